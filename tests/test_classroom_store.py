"""The class-mode store on SQLite and on a real PostgreSQL (the same tests, parametrised; nothing mocked): codes and
tokens, joining and rejoining, pacing, answers (first and last kept, bounded), who may do what, slowed guessing,
expiry, the schema version, and concurrent writers losing nothing."""
from __future__ import annotations

import math
import string
import threading

import pytest
from sqlalchemy import func, select, text, update

from app_support.classroom import schema, store, tokens
from app_support.classroom.store import Key, Refused, Throttled
from effviz import exercises
from tests import postgres_server

KEY = [Key("number", 1000.0, 0.1), Key("option", 2, 0.0, 4), Key("number", 64.0, 0.0)]


@pytest.fixture(scope="session")
def postgres_admin():
    with postgres_server.server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'classes.sqlite3'}"
    else:
        url = postgres_server.fresh_database(request.getfixturevalue("postgres_admin"))
    eng = store.engine(url)
    yield eng
    eng.dispose()


def new_class(db, **kw):
    return store.create_class(db, "standard", 7, [3, 1, 9], KEY, **kw)


# --- codes and tokens ---------------------------------------------------------------------------------------------


def test_codes_have_six_characters_without_look_alikes():
    assert not set("0O1IL2Z5S8B") & set(tokens.CODE_ALPHABET)
    codes = {tokens.new_code() for _ in range(500)}
    assert all(len(c) == 6 and set(c) <= set(tokens.CODE_ALPHABET) for c in codes)
    assert len(codes) > 490  # random, not a counter
    assert tokens.normal_code(" acd-efg ") == "ACDEFG"
    assert tokens.normal_code("ACDEF0") is None and tokens.normal_code("ACDEFGH") is None
    assert tokens.normal_code(None) is None and tokens.normal_code("x" * 10_000) is None


def test_tokens_have_128_bits_and_only_their_digest_is_kept(db):
    token = tokens.new_token()
    assert len(token) >= 22 and set(token) <= set(string.ascii_letters + string.digits + "-_")
    assert tokens.matches(token, tokens.digest(token)) and not tokens.matches(token[:-1] + "x", tokens.digest(token))
    assert not tokens.matches("", tokens.digest("")) and not tokens.matches("a" * 65, tokens.digest("a" * 65))
    cls, teacher = new_class(db)
    student, mine = store.join(db, cls.id)
    with db.connect() as conn:
        dump = " ".join(str(v) for table in schema.metadata.sorted_tables
                        for row in conn.execute(select(table)) for v in row)
    assert teacher not in dump and mine not in dump
    assert tokens.digest(teacher) in dump and tokens.digest(mine) in dump


# --- classes, codes, guesses --------------------------------------------------------------------------------------


def test_a_class_is_found_by_its_code_typed_loosely(db):
    cls, _ = new_class(db)
    assert (cls.question, cls.phase, cls.picks, cls.size) == (0, "answering", (3, 1, 9), 3)
    assert store.lookup(db, cls.code.lower(), "1.2.3.4") == cls
    with pytest.raises(Refused) as err:
        store.lookup(db, "CCCCCC" if cls.code != "CCCCCC" else "DDDDDD", "1.2.3.4")
    assert err.value.code == "no_class"
    with pytest.raises(Refused) as err:
        store.lookup(db, "<b>hi</b>", "1.2.3.4")
    assert err.value.code == "bad_code"


def test_repeated_wrong_codes_are_refused_for_a_while_even_right_ones(db):
    cls, _ = new_class(db)
    now = 1e9
    for _ in range(store.GUESSES_PER_WINDOW):
        with pytest.raises(Refused):
            store.lookup(db, "QQQQQQ", "6.6.6.6", now=now)
    with pytest.raises(Throttled) as err:  # the right code too: a guesser must learn nothing
        store.lookup(db, cls.code, "6.6.6.6", now=now + 1)
    assert 0 < err.value.wait <= store.GUESS_WINDOW
    assert store.find(db, cls.code) == cls
    assert store.lookup(db, cls.code, "7.7.7.7", now=now + 1).id == cls.id   # another source is not slowed
    later = now + store.GUESS_WINDOW + 1
    with db.begin() as conn:  # the class must still be alive at `later` for the lookup below
        conn.execute(update(schema.classes).values(expires_at=later + 100))
    assert store.lookup(db, cls.code, "6.6.6.6", now=later).id == cls.id


def test_brute_force_cannot_find_a_code_in_a_class_lifetime():
    """At most GUESSES_PER_WINDOW guesses per source per window, over a class's life, against the code space."""
    guesses = store.GUESSES_PER_WINDOW * store.LIFETIME / store.GUESS_WINDOW
    space = len(tokens.CODE_ALPHABET) ** tokens.CODE_LENGTH
    assert guesses / space < 1e-3, (guesses, space)


def test_wrong_teacher_tokens_are_refused_and_counted(db):
    cls, token = new_class(db)
    assert store.teacher(db, cls, token, "1.1.1.1") == cls
    for guess in ["", "x", token[:-1], "a" * 500]:
        with pytest.raises(Refused) as err:
            store.teacher(db, cls, guess, "2.2.2.2")
        assert err.value.code == "not_teacher"
    for op in (lambda t: store.pace(db, cls.id, t, 1, "revealed"), lambda t: store.delete_class(db, cls.id, t),
               lambda t: store.dashboard(db, cls.id, t, None)):
        with pytest.raises(Refused) as err:
            op("wrong")
        assert err.value.code == "not_teacher"
    other, _ = new_class(db)
    with pytest.raises(Refused):  # one class's teacher is no other's
        store.pace(db, other.id, token, 1, "answering")


# --- students ---------------------------------------------------------------------------------------------------


def test_students_are_numbered_nicknames_are_plain_unique_and_bounded(db):
    cls, _ = new_class(db)
    first, t1 = store.join(db, cls.id)
    second, _ = store.join(db, cls.id, "  Ada\u202e\n  Lovelace\x00 ")
    assert (first.number, first.nickname) == (1, "Student 1")
    assert second.nickname == "Ada Lovelace"
    long, _ = store.join(db, cls.id, "x" * 500)
    assert long.nickname == "x" * store.MAX_NICKNAME
    with pytest.raises(Refused) as err:
        store.join(db, cls.id, "ada lovelace".title())
    assert err.value.code == "nickname_taken"
    with pytest.raises(Refused):
        store.join(db, cls.id, "Student 1")
    injected, _ = store.join(db, cls.id, "R'); DROP TABLE effviz_students;--")
    assert store.student(db, cls.id, t1) == first   # the same student again from their token
    assert store.student(db, cls.id, "not-a-token") is None and store.student(db, cls.id, None) is None
    with db.connect() as conn:
        names = set(conn.execute(select(schema.students.c.nickname)).scalars())
    assert injected.nickname in names and len(names) == 4


def test_a_student_token_is_for_its_own_class_only(db):
    one, _ = new_class(db)
    two, _ = new_class(db)
    _, token = store.join(db, one.id)
    assert store.student(db, two.id, token) is None


# --- pacing and answers --------------------------------------------------------------------------------------------


def test_answers_only_while_open_first_and_last_kept_changes_bounded(db):
    cls, teacher = new_class(db)
    me, token = store.join(db, cls.id, "me")
    with pytest.raises(Refused) as err:
        store.submit(db, cls.id, token, 1, "5", 5.0)
    assert err.value.code == "not_open"  # nothing asked yet
    moved = store.pace(db, cls.id, teacher, 1, "answering")
    assert (moved.question, moved.phase, moved.version) == (1, "answering", 1)
    assert store.state(db, cls.id) == (1, "answering", 1)
    assert store.submit(db, cls.id, token, 1, "900", 900.0) == "stored"
    assert store.submit(db, cls.id, token, 1, "1.05k", 1050.0) == "stored"
    mine = store.own_answer(db, cls.id, token, 1)
    assert (mine.first_text, mine.first_value, mine.last_text, mine.last_value, mine.changes) == \
        ("900", 900.0, "1.05k", 1050.0, 1)
    for i in range(store.MAX_CHANGES - 1):
        store.submit(db, cls.id, token, 1, str(i), float(i))
    with pytest.raises(Refused) as err:
        store.submit(db, cls.id, token, 1, "7", 7.0)
    assert err.value.code == "too_many_changes"
    with pytest.raises(Refused) as err:
        store.submit(db, cls.id, token, 2, "1", 1.0)  # not the current question
    assert err.value.code == "not_open"
    store.pace(db, cls.id, teacher, 1, "closed")
    with pytest.raises(Refused) as err:
        store.submit(db, cls.id, token, 1, "1", 1.0)
    assert err.value.code == "not_open"
    with pytest.raises(Refused) as err:
        store.submit(db, cls.id, "someone-else", 1, "1", 1.0)
    assert err.value.code == "not_student"
    assert store.state(db, cls.id)[2] == 2


def test_answers_are_bounded_in_size_and_range(db):
    cls, teacher = new_class(db)
    _, token = store.join(db, cls.id)
    store.pace(db, cls.id, teacher, 1, "answering")
    store.submit(db, cls.id, token, 1, "9" * 10_000, 5.0)
    assert len(store.own_answer(db, cls.id, token, 1).last_text) == store.MAX_ANSWER_TEXT
    for bad in (math.nan, math.inf, 1e300):
        with pytest.raises(Refused) as err:
            store.submit(db, cls.id, token, 1, "x", bad)
        assert err.value.code == "bad_answer"
    store.pace(db, cls.id, teacher, 2, "answering")  # an option question with 4 options
    for bad in (-1.0, 4.0, 1.5):
        with pytest.raises(Refused):
            store.submit(db, cls.id, token, 2, "x", bad)
    assert store.submit(db, cls.id, token, 2, "3", 3.0) == "stored"
    with pytest.raises(Refused) as err:
        store.pace(db, cls.id, teacher, 4, "answering")
    assert err.value.code == "bad_question"
    with pytest.raises(Refused):
        store.pace(db, cls.id, teacher, 1, "'; DROP TABLE x")


def test_the_key_is_out_of_reach_before_reveal_and_the_dashboard_needs_the_teacher(db):
    cls, teacher = new_class(db)
    _, a = store.join(db, cls.id, "a")
    _, b = store.join(db, cls.id, "b")
    store.pace(db, cls.id, teacher, 1, "answering")
    store.submit(db, cls.id, a, 1, "1000", 1000.0)
    store.submit(db, cls.id, b, 1, "5", 5.0)
    store.submit(db, cls.id, b, 1, "1050", 1050.0)
    assert store.revealed_key(db, cls.id, 1) is None
    board = store.dashboard(db, cls.id, teacher, 1)
    assert board.joined == 2 and board.key == KEY
    moved = {(r.nickname, store.right(r.first_value, KEY[0]), store.right(r.last_value, KEY[0]))
             for r in board.answers}
    assert moved == {("a", True, True), ("b", False, True)}
    store.pace(db, cls.id, teacher, 1, "revealed")
    assert store.revealed_key(db, cls.id, 1) == KEY[0] and store.revealed_key(db, cls.id, 2) is None
    assert len(store.dashboard(db, cls.id, teacher, None).answers) == 2


def test_right_follows_the_exercises_rule():
    """store.right (which needs no question object) judges as effviz.exercises.check does."""
    checked = 0
    for q in exercises.generate(3, 40, "standard", kinds=["block_cost", "ratio_to_standard", "cost_change",
                                                           "which_cheaper", "shuffle_position", "groups_seen"]):
        key = Key(q.answer_type, float(q.answer), q.tolerance, len(q.options))
        if q.answer_type == "option":
            tries = list(range(len(q.options)))
        else:
            a = float(q.answer)
            tries = [a, a * (1 + q.tolerance * 0.99), a * (1 + q.tolerance * 1.01) + 1, a * 0.5, a + 1]
        for value in tries:
            assert store.right(value, key) == (exercises.check(q, value).status == "right"), (q.kind, value)
            checked += 1
    assert checked > 100


# --- deleting and expiry ---------------------------------------------------------------------------------------------


def counts(db) -> dict[str, int]:
    with db.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                for t in (schema.classes, schema.keys, schema.students, schema.answers)}


def test_ending_a_class_deletes_everything_of_it_and_nothing_else(db):
    keep, _ = new_class(db)
    cls, teacher = new_class(db)
    for c in (keep, cls):
        store.join(db, c.id)
    _, token = store.join(db, cls.id)
    store.pace(db, cls.id, teacher, 1, "answering")
    store.submit(db, cls.id, token, 1, "1", 1.0)
    store.delete_class(db, cls.id, teacher)
    assert counts(db) == {"effviz_classes": 1, "effviz_keys": 3, "effviz_students": 1, "effviz_answers": 0}
    assert store.find(db, cls.code) is None and store.state(db, cls.id) is None


def test_classes_expire_and_are_deleted(db):
    old, teacher = new_class(db, now=1000.0, lifetime=60)
    _, token = store.join(db, old.id)
    store.pace(db, old.id, teacher, 1, "answering")
    store.submit(db, old.id, token, 1, "1", 1.0, now=1001.0)
    assert store.find(db, old.code, now=1059.0) is not None
    assert store.find(db, old.code, now=1061.0) is None
    assert store.state(db, old.id) is None          # long expired by the wall clock
    new_class(db)                                   # starting a class purges expired ones
    assert counts(db) == {"effviz_classes": 1, "effviz_keys": 3, "effviz_students": 0, "effviz_answers": 0}
    assert store.LIFETIME == 7 * 24 * 3600


# --- schema ----------------------------------------------------------------------------------------------------------


def test_the_schema_version_is_kept_an_upgrade_keeps_classes_and_a_newer_database_is_refused(db):
    cls, _ = new_class(db)
    with db.connect() as conn:
        assert conn.execute(select(schema.schema_version.c.version)).scalar() == schema.VERSION
    assert schema.upgrade(db) == schema.VERSION      # again: nothing to do, nothing lost
    assert store.find(db, cls.code) == cls
    with db.begin() as conn:
        conn.execute(update(schema.schema_version).values(version=schema.VERSION + 1))
    with pytest.raises(schema.SchemaError, match="newer"):
        schema.upgrade(db)
    assert store.find(db, cls.code) == cls


def test_an_older_database_is_brought_up_step_by_step(db, monkeypatch):
    """A database at VERSION is treated as at VERSION-1 with a registered step that adds a column: the step runs
    once, the version row moves, the class is still there."""
    cls, _ = new_class(db)
    ran = []

    def step(conn):
        ran.append(True)
        conn.execute(text("ALTER TABLE effviz_classes ADD COLUMN note VARCHAR(20)"))

    with db.begin() as conn:
        conn.execute(update(schema.schema_version).values(version=schema.VERSION))
    monkeypatch.setattr(schema, "VERSION", schema.VERSION + 1)
    monkeypatch.setitem(schema.MIGRATIONS, schema.VERSION, step)
    assert schema.upgrade(db) == schema.VERSION - 1 and ran == [True]
    assert schema.upgrade(db) == schema.VERSION and ran == [True]
    assert store.find(db, cls.code) == cls


def test_only_the_teacher_pushes_a_question_and_the_class_paces_to_it(db):
    """A question pushed from a page: wrong tokens (and another class's teacher) change nothing; the right one
    appends it with its key, the class paces to it and judges it like any other; ending the class deletes it."""
    cls, token = new_class(db)
    other, other_token = new_class(db)
    block = '{"family": "standard", "h": 8, "params": {"c_in": 2}, "w": 8}'
    for guess in ("", "wrong", token[:-1], other_token):
        with pytest.raises(Refused) as err:
            store.push_question(db, cls.id, guess, block, Key("number", 5000.0, 0.02))
        assert err.value.code == "not_teacher"
    assert store.find(db, cls.code) == cls and store.pushed_blocks(db, cls.id) == {}
    for bad in ("", "x" * (store.MAX_BLOCK_TEXT + 1)):
        with pytest.raises(Refused, match="bad_block"):
            store.push_question(db, cls.id, token, bad, Key("number", 1.0, 0.02))
    moved = store.push_question(db, cls.id, token, block, Key("number", 5000.0, 0.02))
    assert moved.size == 4 and moved.picks == (3, 1, 9, 0) and moved.version == cls.version + 1
    assert (moved.question, moved.phase) == (0, "answering")  # the class stays where it was
    assert store.pushed_blocks(db, cls.id) == {4: block} and store.pushed_blocks(db, other.id) == {}
    assert store.dashboard(db, cls.id, token, None).key[3] == Key("number", 5000.0, 0.02)
    _, me = store.join(db, cls.id)
    store.pace(db, cls.id, token, 4, "answering")
    store.submit(db, cls.id, me, 4, "5050", 5050.0)
    assert store.revealed_key(db, cls.id, 4) is None
    store.pace(db, cls.id, token, 4, "revealed")
    assert store.right(store.own_answer(db, cls.id, me, 4).last_value, store.revealed_key(db, cls.id, 4))
    for _ in range(store.MAX_QUESTIONS - 4):
        store.push_question(db, cls.id, token, block, Key("number", 1.0, 0.02))
    with pytest.raises(Refused, match="too_many_questions"):
        store.push_question(db, cls.id, token, block, Key("number", 1.0, 0.02))
    assert store.find(db, cls.code).size == store.MAX_QUESTIONS
    store.delete_class(db, cls.id, token)
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.pushed)).scalar() == 0


def test_a_pushed_block_is_answered_by_the_engine_with_the_sets_tolerance():
    from app_support.classroom import questions

    block = questions.block_json("group", {"c_in": 64, "c_out": 96, "kernel": 3, "groups": 4, "stride": 2}, 56, 30)
    for level in exercises.DIFFICULTIES:
        q = questions.block_question(block, level)
        assert q.answer == 64 * 96 // 4 * 3 * 3 * 28 * 15  # C_in·C_out/g·k²·H_out·W_out at stride 2
        set_tolerance = next(p.tolerance for p in questions.pool(1, level) if p.kind == "block_cost")
        assert q.tolerance == set_tolerance > 0 and q.unit == "macs" and q.answer_type == "number"
        assert dict(q.link.query) | {"h": "56", "w": "30"} == dict(q.link.query) and q.worked
    for bad in ('{"family": "group", "params": {"c_in": 64, "c_out": 96, "groups": 5}, "h": 8, "w": 8}', "{}",
                "not json"):
        with pytest.raises(ValueError):
            questions.block_question(bad, "standard")


def test_a_block_pushed_from_the_latency_lab_names_its_page_and_is_stored_and_judged_alike(db):
    """The Latency Lab pushes "predict this block's MACs" too: its block carries the page (the Playground's
    stays as stored before), the engine answers it alike, the store keeps it as sent, and only known pages pass."""
    from app_support.classroom import questions

    params = {"c_in": 32, "c_out": 64, "kernel": 3, "stride": 1}
    lab = questions.block_json("depthwise_separable", params, 28, 28, "latency_lab")
    playground = questions.block_json("depthwise_separable", params, 28, 28)
    assert '"page": "latency_lab"' in lab and "page" not in playground
    q_lab, q_pg = (questions.block_question(b, "standard") for b in (lab, playground))
    assert q_lab.answer == q_pg.answer == (32 * 3 * 3 + 32 * 64) * 28 * 28
    assert (q_lab.values["page"], q_pg.values["page"]) == ("latency_lab", "playground")
    cls, token = new_class(db)
    moved = store.push_question(db, cls.id, token, lab, questions.key([q_lab])[0])
    assert store.pushed_blocks(db, cls.id) == {moved.size: lab}
    assert store.dashboard(db, cls.id, token, None).key[-1].answer == q_lab.answer
    with pytest.raises(ValueError):
        questions.block_json("standard", {"c_in": 2}, 8, 8, "exercises")
    with pytest.raises(ValueError):
        questions.block_question(lab.replace("latency_lab", "elsewhere"), "standard")


def test_a_version_1_database_is_upgraded_keeping_its_classes(db):
    """Version 1 had every table but effviz_pushed: made here from the current one, with a class in it; the
    upgrade adds the table, moves the version row, keeps the class, and the class can then take pushed
    questions."""
    cls, token = new_class(db)
    with db.begin() as conn:
        schema.pushed.drop(conn)
        conn.execute(update(schema.schema_version).values(version=1))
    assert schema.upgrade(db) == 1
    with db.connect() as conn:
        assert conn.execute(select(schema.schema_version.c.version)).scalar() == schema.VERSION == 2
    assert store.find(db, cls.code) == cls
    assert store.push_question(db, cls.id, token, '{"x": 1}', Key("number", 1.0, 0.0)).size == 4


# --- concurrency ----------------------------------------------------------------------------------------------------


def test_concurrent_joins_and_answers_lose_nothing(db):
    cls, teacher = new_class(db)
    store.pace(db, cls.id, teacher, 1, "answering")
    errors, n_threads, per = [], 8, 6

    def student_thread(i):
        try:
            for j in range(per):
                _, token = store.join(db, cls.id)
                store.submit(db, cls.id, token, 1, "1", float(i * 100 + j))
                store.submit(db, cls.id, token, 1, "2", float(i * 100 + j + 0.5))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=student_thread, args=(i,)) for i in range(n_threads)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert errors == []
    board = store.dashboard(db, cls.id, teacher, 1)
    assert board.joined == n_threads * per and len(board.answers) == n_threads * per
    assert sorted(a.student for a in board.answers) == list(range(1, n_threads * per + 1))
    assert all(a.changes == 1 and a.last_value == a.first_value + 0.5 for a in board.answers)
