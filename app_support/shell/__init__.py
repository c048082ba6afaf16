"""The app's shell: what several pages use. URL state (urlstate), the language and its strings (i18n, over
app_support.strings), caches (cache: every Streamlit cache wrapper; shared_cache: the disk cache the workers share;
figures: built Plotly figures), export (tables, CSV), number formats, serving (preload, nodelay, serving: restarts,
latency_queue: one measurement at a time per machine), and the few view helpers two pages share: the Playground's
block choice that the Latency Lab times (block_choice), the "Predict first" switch (predict), and a question's
words, shared by the Exercises and class mode (question_text). The shell imports no page package
(tests/test_app_layout.py)."""
