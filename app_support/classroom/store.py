"""Every class-mode query, as functions over an Engine (SQLAlchemy 2.x Core; bound parameters only).

Where the class lives: EFFVIZ_DATABASE_URL (PostgreSQL through psycopg 3: "postgresql+psycopg://...") for several
machines; otherwise one SQLite file in the data directory (EFFVIZ_DATA_DIR, else $XDG_DATA_HOME/effviz or
~/.local/share/effviz), shared by all workers of deploy/serve.py on this machine. SQLite runs in WAL mode with a
busy timeout, and every write transaction starts with BEGIN IMMEDIATE, so two workers' writes queue for the
lock instead of failing.

Who may do what is checked here, inside each function, not by the caller: the teacher's operations take the
teacher token, a student's take the student token. Wrong ones raise Refused; repeated wrong codes and tokens
from one source raise Throttled (GUESSES_PER_WINDOW failures in GUESS_WINDOW seconds)."""
from __future__ import annotations

import functools
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, delete, event, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from app_support.classroom import schema, tokens
from app_support.classroom.schema import answers, classes, guesses, keys, pushed, students

LIFETIME = 7 * 24 * 3600           # a class is deleted this long after it starts
PHASES = ("answering", "closed", "revealed")
NUMBER, OPTION = "number", "option"
MAX_QUESTIONS = 30
MAX_STUDENTS = 400                 # per class
MAX_NICKNAME = 24                  # characters
MAX_ANSWER_TEXT = 60               # characters kept of a typed answer
MAX_BLOCK_TEXT = 1000             # characters of a pushed question's block (JSON)
MAX_CHANGES = 20                   # answers per student and question after the first
GUESS_WINDOW = 600.0               # seconds
GUESSES_PER_WINDOW = 30            # failed codes or tokens per source (a class behind one NAT shares one) per
                                   # window; then refused until the window passes
BUSY_TIMEOUT_MS = 10_000


class Refused(ValueError):
    """A wrong code, token or request. `code` names the reason for the page's message."""

    def __init__(self, code: str, **values):
        super().__init__(code)
        self.code, self.values = code, values


class Throttled(Refused):
    def __init__(self, wait: float):
        super().__init__("throttled", wait=wait)
        self.wait = wait


@dataclass(frozen=True)
class Key:
    answer_type: str   # NUMBER or OPTION
    answer: float      # the number, or the right option's index
    tolerance: float   # relative (0: exact)
    options: int = 0   # how many options


@dataclass(frozen=True)
class ClassInfo:
    id: int
    code: str
    difficulty: str
    seed: int
    picks: tuple[int, ...]   # the set's question numbers; 0: a question pushed from a page (push_question)
    question: int      # 0 before the first question
    phase: str
    version: int
    expires_at: float

    @property
    def size(self) -> int:
        return len(self.picks)


@dataclass(frozen=True)
class Student:
    id: int
    number: int
    nickname: str


@dataclass(frozen=True)
class Answer:
    student: int       # the student's number
    nickname: str
    question: int
    first_text: str
    first_value: float
    last_text: str
    last_value: float
    changes: int


# --- the engine -------------------------------------------------------------------------------------------------


def data_dir() -> Path:
    env = os.environ.get("EFFVIZ_DATA_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "effviz"


def database_url() -> str:
    return os.environ.get("EFFVIZ_DATABASE_URL") or f"sqlite:///{data_dir() / 'classes.sqlite3'}"


def engine(url: str | None = None) -> Engine:
    """The process's engine for `url` (default: database_url(), read on every call), its schema brought up to
    date once."""
    return _engine(url or database_url())


@functools.lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        eng = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(eng, "connect", _sqlite_connect)
        event.listen(eng, "begin", _sqlite_begin)
    else:
        eng = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    schema.upgrade(eng)
    return eng


def _sqlite_connect(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event below issues BEGIN itself
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # A deferred transaction that reads and then writes can fail at once with "database is locked" when another
    # process writes in between (the busy timeout does not apply); IMMEDIATE takes the write lock up front.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


def _write(eng: Engine):
    return eng.connect().execution_options(write=True)


def _insert(conn: Connection):
    return pg_insert if conn.dialect.name == "postgresql" else sqlite_insert


# --- guesses ------------------------------------------------------------------------------------------------------


def _check_guesses(conn: Connection, source: str, now: float) -> None:
    since = now - GUESS_WINDOW
    failed = conn.execute(select(func.count(), func.min(guesses.c.at))
                          .where(guesses.c.source == source, guesses.c.at > since)).one()
    if failed[0] >= GUESSES_PER_WINDOW:
        raise Throttled(wait=max(1.0, failed[1] + GUESS_WINDOW - now))


def _failed(eng: Engine, source: str, now: float) -> None:
    with _write(eng) as conn, conn.begin():
        conn.execute(guesses.insert().values(source=source[:64], at=now))
        conn.execute(delete(guesses).where(guesses.c.at < now - GUESS_WINDOW))


# --- classes ------------------------------------------------------------------------------------------------------


def _class(row) -> ClassInfo:
    return ClassInfo(row.id, row.code, row.difficulty, int(row.seed), tuple(int(p) for p in row.picks.split(",")),
                     row.question, row.phase, row.version, row.expires_at)


def create_class(eng: Engine, difficulty: str, seed: int, picks: list[int], key: list[Key],
                 now: float | None = None, lifetime: float = LIFETIME) -> tuple[ClassInfo, str]:
    """A new class of these questions (picks: the set's question numbers, key: their answers in that order);
    returns it and the teacher's token (shown once; only its digest is kept). Expired classes go first."""
    now = time.time() if now is None else now
    if not 1 <= len(picks) <= MAX_QUESTIONS or len(key) != len(picks):
        raise Refused("bad_set", n=len(picks))
    purge_expired(eng, now)
    token = tokens.new_token()
    for _ in range(20):  # a code in use is drawn again
        code = tokens.new_code()
        try:
            with _write(eng) as conn, conn.begin():
                cid = conn.execute(classes.insert().values(
                    code=code, teacher_digest=tokens.digest(token), difficulty=difficulty, seed=seed,
                    picks=",".join(str(int(p)) for p in picks), question=0, phase="answering", version=0,
                    created_at=now, expires_at=now + lifetime)).inserted_primary_key[0]
                conn.execute(keys.insert(), [dict(class_id=cid, question=i, answer_type=k.answer_type,
                                                  answer=float(k.answer), tolerance=float(k.tolerance),
                                                  options=int(k.options), revealed=0)
                                             for i, k in enumerate(key, start=1)])
            return find(eng, code, now=now), token
        except IntegrityError:
            continue
    raise RuntimeError("no free class code after 20 draws")


def find(eng: Engine, code: str, now: float | None = None) -> ClassInfo | None:
    """The class with this code, if it exists and has not expired (no guess counting: see lookup)."""
    now = time.time() if now is None else now
    with eng.connect() as conn:
        row = conn.execute(select(classes).where(classes.c.code == code, classes.c.expires_at > now)).first()
    return _class(row) if row else None


def lookup(eng: Engine, typed: str, source: str, now: float | None = None) -> ClassInfo:
    """The class a student or teacher typed or linked to. Refused("bad_code") for a code that cannot be one,
    Refused("no_class") for none (counted as a failed guess), Throttled after too many failures."""
    now = time.time() if now is None else now
    with eng.connect() as conn:
        _check_guesses(conn, source, now)
    code = tokens.normal_code(typed)
    found = find(eng, code, now) if code else None
    if found is None:
        _failed(eng, source, now)
        raise Refused("no_class" if code else "bad_code")
    return found


def state(eng: Engine, class_id: int) -> tuple[int, str, int] | None:
    """(question, phase, version): what every student's screen polls; None once the class is gone."""
    with eng.connect() as conn:
        row = conn.execute(select(classes.c.question, classes.c.phase, classes.c.version)
                           .where(classes.c.id == class_id, classes.c.expires_at > time.time())).first()
    return tuple(row) if row else None


def _teacher(conn: Connection, class_id: int, token: str) -> ClassInfo:
    row = conn.execute(select(classes).where(classes.c.id == class_id)).first()
    if row is None or not tokens.matches(token, row.teacher_digest):
        raise Refused("not_teacher")
    return _class(row)


def teacher(eng: Engine, cls: ClassInfo, token: str, source: str, now: float | None = None) -> ClassInfo:
    """The class again, if `token` is its teacher's; Refused("not_teacher") (a counted guess) otherwise."""
    now = time.time() if now is None else now
    with eng.connect() as conn:
        _check_guesses(conn, source, now)
        try:
            return _teacher(conn, cls.id, token)
        except Refused:
            pass
    _failed(eng, source, now)
    raise Refused("not_teacher")


def is_teacher(eng: Engine, cls: ClassInfo, token: str | None) -> bool:
    """Whether `token` is this class's teacher's (not counted as a guess: the page lets a right token in even
    from a source that guessed too often, and sends a wrong one through `lookup` and `teacher`, which count)."""
    with eng.connect() as conn:
        try:
            _teacher(conn, cls.id, token or "")
            return True
        except Refused:
            return False


def pace(eng: Engine, class_id: int, token: str, question: int, phase: str) -> ClassInfo:
    """The teacher moves the class to `question` (1..size) in `phase`; revealing marks the key as shown."""
    if phase not in PHASES:
        raise Refused("bad_phase")
    with _write(eng) as conn, conn.begin():
        cls = _teacher(conn, class_id, token)
        if not 1 <= question <= cls.size:
            raise Refused("bad_question", n=cls.size)
        conn.execute(update(classes).where(classes.c.id == class_id)
                     .values(question=question, phase=phase, version=classes.c.version + 1))
        if phase == "revealed":
            conn.execute(update(keys).where(keys.c.class_id == class_id, keys.c.question == question)
                         .values(revealed=1))
        row = conn.execute(select(classes).where(classes.c.id == class_id)).one()
    return _class(row)


def push_question(eng: Engine, class_id: int, token: str, block: str, key: Key) -> ClassInfo:
    """The teacher appends a question made on a page (block: the block as JSON, key: its answer from the engine)
    after the class's last question; the class stays where it is until the teacher moves it there. Teacher token
    only: Refused("not_teacher"); Refused("too_many_questions") past MAX_QUESTIONS, Refused("bad_block")."""
    if not isinstance(block, str) or not 0 < len(block) <= MAX_BLOCK_TEXT or key.answer_type != NUMBER:
        raise Refused("bad_block")
    with _write(eng) as conn, conn.begin():
        # pushes to one class queue on its row (PostgreSQL; SQLite's BEGIN IMMEDIATE queues all writes)
        conn.execute(select(classes.c.id).where(classes.c.id == class_id).with_for_update()).first()
        cls = _teacher(conn, class_id, token)
        if cls.size >= MAX_QUESTIONS:
            raise Refused("too_many_questions", n=MAX_QUESTIONS)
        question = cls.size + 1
        conn.execute(update(classes).where(classes.c.id == class_id)
                     .values(picks=classes.c.picks + ",0", version=classes.c.version + 1))
        conn.execute(keys.insert().values(class_id=class_id, question=question, answer_type=key.answer_type,
                                          answer=float(key.answer), tolerance=float(key.tolerance),
                                          options=int(key.options), revealed=0))
        conn.execute(pushed.insert().values(class_id=class_id, question=question, block=block))
        row = conn.execute(select(classes).where(classes.c.id == class_id)).one()
    return _class(row)


def pushed_blocks(eng: Engine, class_id: int) -> dict[int, str]:
    """{question number: block JSON} of the questions pushed to the class (what anyone in it may see)."""
    with eng.connect() as conn:
        rows = conn.execute(select(pushed.c.question, pushed.c.block).where(pushed.c.class_id == class_id))
        return {int(q): b for q, b in rows}


def delete_class(eng: Engine, class_id: int, token: str) -> None:
    with _write(eng) as conn, conn.begin():
        _teacher(conn, class_id, token)
        _delete(conn, [class_id])


def _delete(conn: Connection, ids: list[int]) -> None:
    if ids:
        for table in (answers, students, keys, pushed):
            conn.execute(delete(table).where(table.c.class_id.in_(ids)))
        conn.execute(delete(classes).where(classes.c.id.in_(ids)))


def purge_expired(eng: Engine, now: float | None = None) -> int:
    """Delete every class past its expiry, with its students and answers; how many."""
    now = time.time() if now is None else now
    with _write(eng) as conn, conn.begin():
        ids = list(conn.execute(select(classes.c.id).where(classes.c.expires_at <= now)).scalars())
        _delete(conn, ids)
    return len(ids)


# --- students -----------------------------------------------------------------------------------------------------


def clean_nickname(text: str | None) -> str:
    """A nickname as stored: no control or format characters, spaces collapsed, at most MAX_NICKNAME
    characters. Shown as plain text only (the page never renders it as markdown or HTML)."""
    text = "".join(ch for ch in str(text or "") if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    return re.sub(r"\s+", " ", text).strip()[:MAX_NICKNAME]


def join(eng: Engine, class_id: int, nickname: str | None = None) -> tuple[Student, str]:
    """A new student of the class and their own token (kept by their browser, in the page's URL). With no
    nickname they are "Student <number>". Refused("nickname_taken"), Refused("class_full")."""
    wanted = clean_nickname(nickname)
    token = tokens.new_token()
    for _ in range(10):  # two students joining at once may draw the same number: try the next
        try:
            with _write(eng) as conn, conn.begin():
                # joins to one class queue on its row (PostgreSQL; SQLite's BEGIN IMMEDIATE queues all writes)
                if conn.execute(select(classes.c.id).where(classes.c.id == class_id).with_for_update()
                                ).first() is None:
                    raise Refused("no_class")
                count, top = conn.execute(select(func.count(), func.max(students.c.number))
                                          .where(students.c.class_id == class_id)).one()
                if count >= MAX_STUDENTS:
                    raise Refused("class_full", n=MAX_STUDENTS)
                number = (top or 0) + 1
                name = wanted or f"Student {number}"
                taken = conn.execute(select(students.c.id).where(students.c.class_id == class_id,
                                                                 students.c.nickname == name)).first()
                if taken is not None:
                    raise Refused("nickname_taken", nickname=name)
                sid = conn.execute(students.insert().values(
                    class_id=class_id, number=number, nickname=name, digest=tokens.digest(token),
                    joined_at=time.time())).inserted_primary_key[0]
            return Student(sid, number, name), token
        except IntegrityError:
            continue
    raise Refused("busy")


def student(eng: Engine, class_id: int, token: str | None) -> Student | None:
    """The student whose token this is, in this class; None otherwise (a wrong or stale link)."""
    if not token or len(token) > tokens.MAX_TOKEN_CHARS:
        return None
    with eng.connect() as conn:
        row = conn.execute(select(students).where(students.c.class_id == class_id,
                                                  students.c.digest == tokens.digest(token))).first()
    return Student(row.id, row.number, row.nickname) if row else None


# --- answers ------------------------------------------------------------------------------------------------------


def right(value: float, key: Key) -> bool:
    """The Exercises page's rule (effviz.exercises.check): an option index equal to the answer, or a number
    within the relative tolerance (0: equal up to float rounding)."""
    if key.answer_type == OPTION:
        return value == key.answer
    return abs(value - key.answer) <= max(key.tolerance * abs(key.answer), 1e-9 * max(1.0, abs(key.answer)))


def submit(eng: Engine, class_id: int, token: str, question: int, text: str, value: float,
           now: float | None = None) -> str:
    """Store a student's answer to the current question while it is open: the first is kept, the last is
    replaced (at most MAX_CHANGES times). Returns "stored"; Refused: "not_student", "not_open",
    "too_many_changes", "bad_answer"."""
    now = time.time() if now is None else now
    text = str(text)[:MAX_ANSWER_TEXT]
    with _write(eng) as conn, conn.begin():
        who = conn.execute(select(students.c.id).where(students.c.class_id == class_id,
                                                       students.c.digest == tokens.digest(token or ""))).first()
        if who is None:
            raise Refused("not_student")
        # a shared lock on the class row (PostgreSQL): a close by the teacher waits for this answer, or it waits
        cls = conn.execute(select(classes.c.question, classes.c.phase).where(classes.c.id == class_id)
                           .with_for_update(read=True)).first()
        if cls is None or cls.question != question or cls.phase != "answering":
            raise Refused("not_open")
        key = conn.execute(select(keys).where(keys.c.class_id == class_id, keys.c.question == question)).one()
        if not _valid(value, key):
            raise Refused("bad_answer")
        insert = _insert(conn)(answers).values(
            class_id=class_id, student_id=who.id, question=question, first_text=text, first_value=value,
            first_at=now, last_text=text, last_value=value, last_at=now, changes=0)
        stmt = insert.on_conflict_do_update(
            index_elements=[answers.c.class_id, answers.c.student_id, answers.c.question],
            set_=dict(last_text=insert.excluded.last_text, last_value=insert.excluded.last_value,
                      last_at=insert.excluded.last_at, changes=answers.c.changes + 1),
            where=answers.c.changes < MAX_CHANGES).returning(answers.c.changes)
        if conn.execute(stmt).first() is None:  # (rowcount is not reliable here on psycopg)
            raise Refused("too_many_changes", n=MAX_CHANGES)
    return "stored"


def _valid(value: float, key) -> bool:
    if not isinstance(value, (int, float)) or value != value or abs(value) > 1e15:
        return False
    if key.answer_type == OPTION:
        return float(value).is_integer() and 0 <= value < key.options
    return True


def own_answer(eng: Engine, class_id: int, token: str, question: int) -> Answer | None:
    with eng.connect() as conn:
        rows = _answers(conn, class_id, question, students.c.digest == tokens.digest(token or ""))
    return rows[0] if rows else None


def _answers(conn: Connection, class_id: int, question: int | None, *where) -> list[Answer]:
    query = (select(students.c.number, students.c.nickname, answers.c.question, answers.c.first_text,
                    answers.c.first_value, answers.c.last_text, answers.c.last_value, answers.c.changes)
             .join(students, students.c.id == answers.c.student_id)
             .where(answers.c.class_id == class_id, *where)
             .order_by(answers.c.question, students.c.number))
    if question is not None:
        query = query.where(answers.c.question == question)
    return [Answer(*row) for row in conn.execute(query)]


def revealed_key(eng: Engine, class_id: int, question: int) -> Key | None:
    """The key of a question, once the teacher has revealed it (students); None before."""
    with eng.connect() as conn:
        row = conn.execute(select(keys).where(keys.c.class_id == class_id, keys.c.question == question,
                                              keys.c.revealed == 1)).first()
    return Key(row.answer_type, row.answer, row.tolerance, row.options) if row else None


@dataclass(frozen=True)
class Dashboard:
    joined: int
    answers: list[Answer]   # of the asked question (all questions when it was None)
    key: list[Key]          # the whole key, question 1 first


def dashboard(eng: Engine, class_id: int, token: str, question: int | None) -> Dashboard:
    """What the teacher sees: joined count, the answers (every student's), the key. Teacher token only."""
    with eng.connect() as conn:
        _teacher(conn, class_id, token)
        joined = conn.execute(select(func.count()).where(students.c.class_id == class_id)).scalar()
        rows = _answers(conn, class_id, question)
        key = [Key(r.answer_type, r.answer, r.tolerance, r.options) for r in conn.execute(
            select(keys).where(keys.c.class_id == class_id).order_by(keys.c.question))]
    return Dashboard(joined, rows, key)
