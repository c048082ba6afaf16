"""Class mode: a class shared by every worker and machine, kept in a database, never in a worker.

- `tokens`: join codes, teacher and student secrets (random, stored hashed, compared in constant time).
- `schema`: the tables and the checked schema version (an upgrade adds to a database, never drops a class).
- `store`: every query, as functions (SQLAlchemy Core, bound parameters only); SQLite in the data directory by
  default, PostgreSQL through EFFVIZ_DATABASE_URL. No streamlit here: tests run it on both databases.
- `questions`: a class's question set from effviz.exercises and its key, made once when the class starts.
- `view`: the page's pieces (Streamlit): the join panel, the student's question, the teacher's dashboard.
- `push`: the Conv Playground's "Ask the class: predict this block's MACs", for a teacher with a class open in
  this session (the token stays in the session; the store checks it)."""
