"""The Class mode page's pieces: joining, starting a class, the student's question and the teacher's dashboard.

Everything a screen shows comes from the database (app_support.classroom.store), so any worker can draw any
student or teacher: after a reload or a worker's death the URL (code, and the student's own token `me` or the
teacher's `teacher`) finds the same class, student and phase. A student's question lives in a fragment
(`card`) that reruns by itself every PACE_EVERY: it reads three numbers and, when the teacher moved, the class's row,
and redraws the question there, never the page. Sending an answer reruns that fragment only, and the answer is
stored in the button's callback, before anything is drawn."""
from __future__ import annotations

from datetime import timedelta

import pandas as pd
import segno
import streamlit as st

from app_support.classroom import charts, questions, store, summary, tokens
from app_support.classroom.store import ClassInfo, Refused
from app_support.shell import question_text as sheet
from app_support.shell.export import csv_bytes
from app_support.shell.figures import figure
from app_support.shell.i18n import t, texts
from effviz import exercises

PACE_EVERY = timedelta(seconds=1.5)   # a student's screen follows the teacher within this (plus one rerun)
BOARD_EVERY = timedelta(seconds=2)    # the teacher's live numbers
_SEEN = "_class_seen"                 # the ClassInfo this session's student card was last drawn for
_MINE = "_class_mine"                 # ((class id, question, version), own answer, key revealed) of that card
_SENT = "_class_sent"                 # (form key, message) of the student's last Send
_KNOWN = "_class_known"               # the code this session found once (its later misses are not guesses)
# On a phone: the reveal's worked formula scaled to fit, as on the Playground (pages/playground.py), and further:
# in the card and its expander a ShuffleNet unit's Chinese line at the Playground's 0.86 em was still 363 px in
# 292 px at 390x844; 0.66 em fits it (about 13 px type)
PHONE_FORMULAS = "@media (max-width: 640px) { .st-key-class_card .katex-display > .katex { font-size: 0.66em; } }"
TEACHING = "_class_teaching"          # (code, teacher token) of the class this session's teacher has open: kept
                                      # in this session only, so other pages can push a question to it


def db():
    return store.engine()


def source() -> str:
    """Who is guessing, for slowing brute force: the client's address (behind our HAProxy, the last
    X-Forwarded-For entry, which HAProxy appends; a client cannot forge that one)."""
    forwarded = (st.context.headers.get("X-Forwarded-For") or "").split(",")[-1].strip()
    direct = getattr(st.context, "ip_address", None)
    direct = direct if isinstance(direct, str) else ""  # (AppTest has no client)
    return (forwarded if direct in ("", "127.0.0.1", "::1") and forwarded else direct or "local")[:64]


def refused(err: Refused) -> None:
    values = dict(err.values)
    if "wait" in values:
        values["minutes"] = max(1, round(values.pop("wait") / 60))
    st.error(t(f"class.refused.{err.code}", **values), icon="🚫")


def app_root() -> str:
    return (st.context.url or "").split("?")[0].removesuffix("/").removesuffix("/class")


def current_question(cls: ClassInfo):
    """The question the class is at: from the set, or (pick 0) the block the teacher pushed from a page."""
    pick = cls.picks[cls.question - 1]
    if pick == 0:
        return questions.block_question(store.pushed_blocks(db(), cls.id)[cls.question], cls.difficulty)
    return questions.chosen(cls.seed, cls.difficulty, (pick,))[0]


def prompt(q) -> str:
    if q.kind != questions.PUSHED:
        return sheet.prompt(q)
    v = q.values
    return t("class.push.ask" if v.get("page", "playground") == "playground" else f"class.push.ask.{v['page']}",
             family=t(f"family.{v['family']}"),
             block=sheet.describe_block(v["family"], v["spec"], v["h"], v["w"]))


# --- arriving ---------------------------------------------------------------------------------------------------


def landing() -> None:
    """No class in the URL: join one by code, or start one."""
    with st.container(border=True):
        st.subheader(t("class.join.title"))
        with st.form("class_join", border=False):
            st.text_input(t("class.join.code"), key="class_code_in", max_chars=12, help=t("class.join.code_help"))
            st.text_input(t("class.join.nickname"), key="class_nick_in", max_chars=store.MAX_NICKNAME,
                          help=t("class.join.nickname_help"))
            pressed = st.form_submit_button(t("class.join.button"), type="primary")
        if pressed:
            try:
                cls = store.lookup(db(), st.session_state.get("class_code_in", ""), source())
                join(cls, st.session_state.get("class_nick_in"))
            except Refused as err:
                refused(err)
    with st.expander(t("class.start.title")):
        start_form()


def join(cls: ClassInfo, nickname: str | None) -> None:
    """Make this browser a student of the class; its token goes into the page's URL, which the browser keeps
    through reloads and reconnects (never into a link anyone is shown)."""
    _, token = store.join(db(), cls.id, nickname)
    st.query_params["code"] = cls.code
    st.query_params["me"] = token
    st.rerun()


def join_form(cls: ClassInfo) -> None:
    st.subheader(t("class.join.into", code=cls.code))
    with st.form("class_join_named", border=False):
        st.text_input(t("class.join.nickname"), key="class_nick_in", max_chars=store.MAX_NICKNAME,
                      help=t("class.join.nickname_help"))
        pressed = st.form_submit_button(t("class.join.button"), type="primary")
    if pressed:
        try:
            join(cls, st.session_state.get("class_nick_in"))
        except Refused as err:
            refused(err)


def start_form() -> None:
    st.caption(t("class.start.rule"))
    c1, c2 = st.columns(2)
    level = c1.radio(t("class.start.level"), exercises.DIFFICULTIES, index=1, horizontal=True,
                     key="class_level", format_func=lambda d: t(f"exercises.level.{d}"))
    seed = int(c2.number_input(t("class.start.seed"), 0, sheet.MAX_SEED, value=1, step=1, key="class_seed"))
    pool = questions.pool(seed, level)
    picks = st.multiselect(t("class.start.picks"), range(1, len(pool) + 1), key="class_picks",
                           format_func=lambda i: f"{i}. {sheet.plain(sheet.prompt(pool[i - 1]))[:90]}",
                           help=t("class.start.picks_help", n=questions.DEFAULT_SIZE))
    if st.button(t("class.start.button"), type="primary", key="class_start"):
        picks = tuple(picks) or tuple(range(1, questions.DEFAULT_SIZE + 1))
        chosen = questions.chosen(seed, level, picks)
        cls, token = store.create_class(db(), level, seed, list(picks), questions.key(chosen))
        st.query_params.clear()
        st.query_params.update(code=cls.code, teacher=token)
        st.rerun()


# --- the student ------------------------------------------------------------------------------------------------


def student_view(cls: ClassInfo, token: str, me: store.Student) -> None:
    st.session_state[_SEEN] = cls  # the fragment below starts from the class this run found
    st.text(t("class.you_are", name=me.nickname, code=cls.code))  # plain text: a nickname is never markup
    st.html(f"<style>{PHONE_FORMULAS}</style>")  # the reveal's worked formula fits a phone's width
    card(cls.code, token)


def seen(code: str) -> ClassInfo | None:
    """The class as the teacher has it now: one small read per poll (store.state); the whole row only when the
    teacher moved (its version changed). None once the class is gone."""
    held: ClassInfo | None = st.session_state.get(_SEEN)
    now = store.state(db(), held.id) if held is not None and held.code == code else None
    if held is None or now is None or held.version != now[2]:
        held = store.find(db(), code)
        st.session_state[_SEEN] = held
    return held


def mine(cls: ClassInfo, token: str) -> tuple[store.Answer | None, bool]:
    """The student's own answer to the current question and whether its key is revealed, read again only when
    the teacher moved or the student sent an answer (send drops it)."""
    at = (cls.id, cls.question, cls.version)
    kept = st.session_state.get(_MINE)
    if kept is None or kept[0] != at:
        revealed = cls.phase == "revealed" and store.revealed_key(db(), cls.id, cls.question) is not None
        kept = (at, store.own_answer(db(), cls.id, token, cls.question), revealed)
        st.session_state[_MINE] = kept
    return kept[1], kept[2]


@st.fragment(run_every=PACE_EVERY)
def card(code: str, token: str) -> None:
    """The student's question, in a fragment that reruns by itself every PACE_EVERY: a move by the teacher redraws
    this fragment only (never the page), and so does sending an answer (stored first, in the button's callback)."""
    cls = seen(code)
    if cls is None:  # the class ended: the page says so
        st.rerun(scope="app")
    if cls.question == 0:
        st.info(t("class.waiting"), icon="⏳")
        return
    q = current_question(cls)
    with st.container(border=True, key="class_card"):
        st.markdown(f"**{t('class.question', i=cls.question, n=cls.size)}**")
        st.markdown(prompt(q))
        st.caption(sheet.tolerance_text(q))
        if cls.phase == "answering":
            answer_form(cls, q, token)
        answer, revealed = mine(cls, token)
        if answer is not None:
            st.caption(t("class.your_answer", answer=given_text(q, answer.last_value)))
        elif cls.phase != "answering":
            st.caption(t("class.no_answer"))
        if cls.phase == "closed":
            st.info(t("class.closed"), icon="🔒")
        if revealed:
            reveal(q, answer)


def given_text(q, value: float) -> str:
    return sheet.option_label(q, int(value)) if q.answer_type == exercises.OPTION else sheet.number_text(q, value)


def send(cls: ClassInfo, q, token: str, key: str) -> None:
    """The Send button's callback: the answer is stored before the fragment redraws anything."""
    raw = st.session_state.get(f"{key}_in")
    read = questions.read(q, raw)
    if isinstance(read, str):
        said = ("warning", t(f"exercises.problem.{read}", text=str(raw)[:40]), "✍️")
    else:
        try:
            store.submit(db(), cls.id, token, cls.question, *read)
            said = ("success", t("class.saved", answer=given_text(q, read[1])), "📨")
        except Refused as err:
            said = ("refused", err, "")
        st.session_state.pop(_MINE, None)
    st.session_state[_SENT] = (key, said)


def answer_form(cls: ClassInfo, q, token: str) -> None:
    key = f"class_{cls.id}_{cls.question}"
    with st.form(key=f"{key}_form", border=False):
        if q.answer_type == exercises.NUMBER:
            st.text_input(t("exercises.your_answer"), key=f"{key}_in", placeholder=t("exercises.placeholder"),
                          max_chars=store.MAX_ANSWER_TEXT)
        else:
            labels = [sheet.option_label(q, j) for j in range(len(q.options))]
            st.radio(t("exercises.pick"), range(len(q.options)), index=None, key=f"{key}_in",
                     format_func=labels.__getitem__)
        st.form_submit_button(t("class.submit"), type="primary", key=f"{key}_send", on_click=send,
                              args=(cls, q, token, key))
    said = st.session_state.get(_SENT)
    if said is None or said[0] != key:  # the last send's message stays while this question is open
        return
    kind, message, icon = said[1]
    if kind == "refused":
        refused(message)
    else:
        getattr(st, kind)(message, icon=icon)


def reveal(q, answer) -> None:
    if answer is not None:
        check = exercises.check(q, int(answer.last_value) if q.answer_type == exercises.OPTION else answer.last_value)
        box = st.success if check.status == "right" else st.error
        box("  \n".join(sheet.verdict_text(q, check)))
    else:
        st.info(t("class.teacher.answer_key", answer=sheet.answer_text(q)))
    sheet.show_worked(q)


# --- the teacher ----------------------------------------------------------------------------------------------


def qr_png(link: str) -> bytes:
    import io

    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=12, border=2)
    return out.getvalue()


def join_panel(cls: ClassInfo, token: str) -> None:
    link = f"{app_root()}/class?code={cls.code}"
    c1, c2 = st.columns([2, 1], vertical_alignment="center")
    with c1:
        st.markdown(t("class.teacher.code", link=f"{app_root()}/class"))
        st.markdown(f"<div style='font-size:96px;font-weight:700;letter-spacing:0.12em;line-height:1.1'>"
                    f"{cls.code}</div>", unsafe_allow_html=True)  # the code's alphabet is ours: A-Z and digits
        st.code(link, language=None, wrap_lines=True)
        with st.expander(t("class.teacher.link_title")):
            st.code(f"{link}&teacher={token}", language=None, wrap_lines=True)
            st.caption(t("class.teacher.link_help"))
    c2.image(qr_png(link), width=320)


def pace(cls: ClassInfo, token: str, question: int, phase: str) -> None:
    try:
        store.pace(db(), cls.id, token, question, phase)
    except Refused as err:
        st.session_state["_class_pace_error"] = err.code


def pace_bar(cls: ClassInfo, token: str) -> None:
    buttons = st.columns(5)
    if cls.question == 0:
        buttons[0].button(t("class.teacher.start"), type="primary", key="class_go_1",
                          on_click=pace, args=(cls, token, 1, "answering"))
        return
    buttons[0].button(t("class.teacher.prev"), key="class_prev", disabled=cls.question <= 1,
                      on_click=pace, args=(cls, token, cls.question - 1, "answering"))
    if cls.phase == "answering":
        buttons[1].button(t("class.teacher.close"), key="class_close", on_click=pace,
                          args=(cls, token, cls.question, "closed"))
    else:
        buttons[1].button(t("class.teacher.reopen"), key="class_reopen", on_click=pace,
                          args=(cls, token, cls.question, "answering"))
    buttons[2].button(t("class.teacher.reveal"), key="class_reveal", type="primary",
                      disabled=cls.phase == "revealed", on_click=pace, args=(cls, token, cls.question, "revealed"))
    buttons[3].button(t("class.teacher.next"), key="class_next", disabled=cls.question >= cls.size,
                      on_click=pace, args=(cls, token, cls.question + 1, "answering"))


@st.fragment(run_every=BOARD_EVERY)
def live(cls: ClassInfo, token: str) -> None:
    """The current question's numbers and chart, redrawn every BOARD_EVERY (the teacher's screen only)."""
    now = store.state(db(), cls.id)
    if now is None:
        st.rerun(scope="app")
    if now[2] != cls.version:  # moved from another device: redraw the whole dashboard
        st.rerun(scope="app")
    if cls.question == 0:
        board = store.dashboard(db(), cls.id, token, 0)
        st.info(t("class.teacher.not_started", joined=board.joined), icon="⏳")
        return
    board = store.dashboard(db(), cls.id, token, cls.question)
    key = board.key[cls.question - 1]
    numbers = summary.summarise(board.answers, key)
    st.markdown(f"### {t('class.teacher.status', i=cls.question, n=cls.size, phase=t(f'class.phase.{cls.phase}'))}")
    cols = st.columns(5)
    cols[0].metric(t("class.teacher.joined"), board.joined)
    cols[1].metric(t("class.teacher.answered"), f"{numbers.answered} / {board.joined}")
    shown = cls.phase == "revealed"
    share = numbers.share_right
    cols[2].metric(t("class.teacher.within"), f"{share:.0%}" if shown and share is not None else "–")
    cols[3].metric(t("class.teacher.moved_right"), numbers.wrong_to_right if shown else "–")
    cols[4].metric(t("class.teacher.moved_wrong"), numbers.right_to_wrong if shown else "–")
    q = current_question(cls)
    st.markdown(prompt(q))
    labels = texts("class.chart", ("answers", "students", "truth", "band", "first", "last"))
    last = tuple(a.last_value for a in board.answers)
    first = tuple(a.first_value for a in board.answers)
    if key.answer_type == store.OPTION:
        options = tuple(sheet.option_label(q, j) for j in range(key.options))
        st.plotly_chart(figure(charts.option_bars, options, tuple(summary.option_counts(board.answers, key)),
                               tuple(summary.option_counts(board.answers, key, last=False)),
                               int(key.answer) if shown else -1, labels), key="class_chart")
    else:
        st.plotly_chart(figure(charts.log_histogram, last, first, key.answer, key.tolerance, labels, shown),
                        key="class_chart")
        hidden = sum(v <= 0 for v in last)
        if hidden:
            st.caption(t("class.teacher.not_positive", n=hidden))
    st.caption(t("class.teacher.answer_key", answer=sheet.answer_text(q)) if shown else t("class.teacher.key_hidden"))


def teacher_view(cls: ClassInfo, token: str) -> None:
    """The dashboard of a class whose teacher token was checked (every store call below checks it again)."""
    error = st.session_state.pop("_class_pace_error", None)
    if error:
        refused(Refused(error))
    join_panel(cls, token)
    pace_bar(cls, token)
    live(cls, token)
    whole_class(cls, token)


def spreadsheet_safe(text: str) -> str:
    """A student's text for the CSV: a leading = + - @ would make a spreadsheet run it as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def answer_rows(board: store.Dashboard) -> pd.DataFrame:
    rows = []
    for a in board.answers:
        key = board.key[a.question - 1]
        rows.append({t("class.col.question"): a.question, t("class.col.student"): a.student,
                     t("class.col.nickname"): spreadsheet_safe(a.nickname), t("class.col.first"): a.first_text,
                     t("class.col.first_right"): store.right(a.first_value, key),
                     t("class.col.last"): a.last_text, t("class.col.last_right"): store.right(a.last_value, key),
                     t("class.col.changes"): a.changes})
    return pd.DataFrame(rows, columns=[t(f"class.col.{c}") for c in ("question", "student", "nickname", "first",
                                                                       "first_right", "last", "last_right",
                                                                       "changes")])


def whole_class(cls: ClassInfo, token: str) -> None:
    board = store.dashboard(db(), cls.id, token, None)
    st.subheader(t("class.teacher.per_question"))
    rows = [{t("class.col.question"): i, t("class.col.answered"): s.answered,
             t("class.col.right_first"): s.right_first, t("class.col.right_last"): s.right_last}
            for i, s in enumerate(summary.per_question(board.answers, board.key), start=1) if i <= cls.question]
    frame = pd.DataFrame(rows)
    st.dataframe(frame, hide_index=True)
    answers = answer_rows(board)
    st.download_button(t("class.teacher.csv"), csv_bytes(answers, index=False), f"class-{cls.code}.csv",
                       "text/csv", key="class_csv")
    if st.toggle(t("class.teacher.show_students"), key="class_show_students", value=False):
        st.dataframe(answers, hide_index=True)  # nicknames as cell text: never markdown
    with st.expander(t("class.teacher.end")):
        if st.button(t("class.teacher.end_confirm"), key="class_end", type="primary"):
            store.delete_class(db(), cls.id, token)
            st.session_state.pop(TEACHING, None)
            st.query_params.clear()
            st.success(t("class.teacher.ended"))


# --- the page -----------------------------------------------------------------------------------------------------


def show() -> None:
    """The page: from the URL, the landing, a student's screen or the teacher's dashboard.

    A link with a right token (the teacher's or the student's own) opens at once. Everything else is a guess
    and goes through store.lookup, which counts failures per source and refuses a source that failed too often:
    a class behind the same school NAT as a guesser still reloads and reconnects."""
    code = st.query_params.get("code")
    if not code:
        landing()
        return
    teacher, me = st.query_params.get("teacher"), st.query_params.get("me")
    normal = tokens.normal_code(code)
    cls = store.find(db(), normal) if normal else None
    if cls is not None and teacher is not None and store.is_teacher(db(), cls, teacher):
        st.session_state[_KNOWN] = code
        st.session_state[TEACHING] = (cls.code, teacher)
        teacher_view(cls, teacher)
        return
    if cls is not None and me and 0 < len(me) <= tokens.MAX_TOKEN_CHARS:
        student = store.student(db(), cls.id, me)
        if student is not None:
            st.session_state[_KNOWN] = code
            student_view(cls, me, student)
            return
    if cls is None and st.session_state.get(_KNOWN) == code:  # this session was in it: it ended
        st.info(t("class.gone"), icon="🏁")
        return
    try:
        cls = store.lookup(db(), code, source())
        if teacher is not None:
            store.teacher(db(), cls, teacher, source())  # wrong: counted, refused
    except Refused as err:
        refused(err)
        if teacher is None and not isinstance(err, store.Throttled):
            landing()
        return
    if me:
        refused(Refused("not_student"))
    join_form(cls)
