"""The class-mode tables, and the schema version a database is at.

One `schema_version` row says which version of these tables the database holds. `upgrade(engine)` creates a new
database at the current version, brings an older one up step by step (MIGRATIONS: each step only adds, so a
running class survives an upgrade) and refuses a database written by a newer effviz, rather than guessing.

Version 2 adds `effviz_pushed`: questions a teacher pushed to the class from a page ("predict this block's MACs"
on the Conv Playground), stored per class because no seed makes them again."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

VERSION = 2
ADVISORY_LOCK = 0x0EFF_C1A5  # PostgreSQL advisory lock held while upgrading

metadata = MetaData()

schema_version = Table(
    "effviz_schema_version", metadata,
    Column("id", Integer, primary_key=True),      # always 1: one row
    Column("version", Integer, nullable=False),
)

classes = Table(
    "effviz_classes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(8), nullable=False, unique=True),
    Column("teacher_digest", String(64), nullable=False),
    Column("difficulty", String(16), nullable=False),
    Column("seed", BigInteger, nullable=False),
    # the set's question numbers, "1,2,5" (1-based); 0: a question pushed from a page (in effviz_pushed)
    Column("picks", String(400), nullable=False),
    Column("question", Integer, nullable=False, default=0),  # 0: not started; else 1..len(picks)
    Column("phase", String(12), nullable=False, default="answering"),  # answering | closed | revealed
    Column("version", Integer, nullable=False, default=0),  # +1 on every move: what students poll
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
)

# The key: made once when the class starts (store.create_class), so every worker judges alike.
keys = Table(
    "effviz_keys", metadata,
    Column("class_id", Integer, ForeignKey("effviz_classes.id"), primary_key=True),
    Column("question", Integer, primary_key=True),   # 1..n, the class's own numbering
    Column("answer_type", String(8), nullable=False),  # number | option
    Column("answer", Float, nullable=False),
    Column("tolerance", Float, nullable=False),
    Column("options", Integer, nullable=False),       # how many options (0 for numbers)
    Column("revealed", Integer, nullable=False, default=0),  # 1 once the teacher revealed it
)

students = Table(
    "effviz_students", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("class_id", Integer, ForeignKey("effviz_classes.id"), nullable=False),
    Column("number", Integer, nullable=False),        # "Student 7"
    Column("nickname", String(40), nullable=False),   # plain text, unique in the class
    Column("digest", String(64), nullable=False, unique=True),
    Column("joined_at", Float, nullable=False),
    UniqueConstraint("class_id", "nickname"),
    UniqueConstraint("class_id", "number"),
)

answers = Table(
    "effviz_answers", metadata,
    Column("class_id", Integer, ForeignKey("effviz_classes.id"), primary_key=True),
    Column("student_id", Integer, ForeignKey("effviz_students.id"), primary_key=True),
    Column("question", Integer, primary_key=True),
    Column("first_text", String(64), nullable=False),
    Column("first_value", Float, nullable=False),
    Column("first_at", Float, nullable=False),
    Column("last_text", String(64), nullable=False),
    Column("last_value", Float, nullable=False),
    Column("last_at", Float, nullable=False),
    Column("changes", Integer, nullable=False, default=0),
)

# Questions pushed from a page (version 2): the block the teacher had on screen, as JSON (family, params, h, w);
# its key is in effviz_keys like every other question's.
pushed = Table(
    "effviz_pushed", metadata,
    Column("class_id", Integer, ForeignKey("effviz_classes.id"), primary_key=True),
    Column("question", Integer, primary_key=True),   # the class's own numbering, as in effviz_keys
    Column("block", String(1000), nullable=False),
)

# Failed guesses of codes and tokens, per source (the client's address), for slowing brute force.
guesses = Table(
    "effviz_guesses", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(64), nullable=False),
    Column("at", Float, nullable=False),
    Index("effviz_guesses_source_at", "source", "at"),
)

# version -> the step that brings a database at version-1 to it (adds only; never drops a table or a column).
def _add_pushed(conn: Connection) -> None:
    pushed.create(conn, checkfirst=True)


MIGRATIONS: dict[int, Callable[[Connection], None]] = {2: _add_pushed}


class SchemaError(RuntimeError):
    pass


def upgrade(engine: Engine) -> int:
    """Bring the database to VERSION (creating the tables if none exist); returns the version it was at
    (0 for a new database). SchemaError for a database newer than this code."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # several workers may start at once: one upgrades, others wait
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
        metadata.create_all(conn, tables=[schema_version])
        found = conn.execute(select(schema_version.c.version).where(schema_version.c.id == 1)).scalar()
        if found is not None and found > VERSION:
            raise SchemaError(f"the class database is at schema version {found}, newer than this effviz "
                              f"({VERSION}): upgrade effviz, or point EFFVIZ_DATABASE_URL elsewhere")
        if found is None:
            metadata.create_all(conn)
            conn.execute(schema_version.insert().values(id=1, version=VERSION))
            return 0
        for step in range(found + 1, VERSION + 1):
            MIGRATIONS[step](conn)
        if found < VERSION:
            metadata.create_all(conn)  # tables new in this version
            conn.execute(schema_version.update().where(schema_version.c.id == 1).values(version=VERSION))
        return found
