"""Exercises: generated questions from real layers; predict, check, then the worked formula and a link to the page
preset to that example. One seed and difficulty in the URL give a class the same set; a teacher view shows the key,
on the page only: the switch is not in the URL, so no link (shared, bookmarked or in a student's history) shows
answers; class mode keeps its key behind the teacher's token."""
from __future__ import annotations

import streamlit as st

from app_support.exercises import sheet
from app_support.shell import urlstate as url
from app_support.shell.export import csv_button
from app_support.shell.i18n import problem_text, t
from effviz import exercises
from effviz.exercises import Question

PARAMS = [
    url.IntParam("ex_seed", 1, 0, sheet.MAX_SEED),
    url.ChoiceParam("ex_level", "standard", exercises.DIFFICULTIES),
]


def new_set() -> None:
    st.session_state["ex_seed"] = sheet.new_seed()


def first_checks(seed: int, level: str) -> dict[int, exercises.Check]:
    """The first judged answer to each question of this set, in this session only (the student's score)."""
    return st.session_state.setdefault("_ex_first", {}).setdefault((seed, level), {})


def controls() -> tuple[int, str]:
    c1, c2, c3 = st.columns([1, 1.5, 1], vertical_alignment="bottom")
    c1.number_input(t("exercises.seed"), 0, sheet.MAX_SEED, step=1, key="ex_seed", help=t("exercises.seed_help"))
    levels = {d: t(f"exercises.level.{d}") for d in exercises.DIFFICULTIES}  # labels fixed at draw time
    c2.radio(t("exercises.level"), exercises.DIFFICULTIES, key="ex_level", horizontal=True, format_func=levels.get)
    c3.button(t("exercises.new_set"), on_click=new_set, key="ex_new", use_container_width=True)
    return int(st.session_state["ex_seed"]), st.session_state["ex_level"]


def answered(q: Question) -> Question | None:
    """The question with its answer (zoo counts and timings come from the app's caches); None after a
    message if a measurement failed."""
    if q.resolved:
        return q
    try:
        with st.spinner(t("exercises.measuring")):
            return sheet.answered(q)
    except Exception as err:  # noqa: BLE001 - a failed count or timing is reported, the page keeps working
        st.error(t("exercises.measure_failed", problem=problem_text(err)[:300]), icon="⚠️")
        return None


def answer_box(q: Question, key: str):
    """The number box or the option picker, in a form: nothing is judged until Check is pressed."""
    with st.form(key=f"{key}_form", border=False):
        if q.answer_type == exercises.NUMBER:
            st.text_input(t("exercises.your_answer"), key=f"{key}_in", placeholder=t("exercises.placeholder"),
                          max_chars=60)
        else:
            labels = [sheet.option_label(q, j) for j in range(len(q.options))]
            st.radio(t("exercises.pick"), range(len(q.options)), index=None, key=f"{key}_in",
                     format_func=labels.__getitem__)
        if st.form_submit_button(t("exercises.check"), key=f"{key}_check", type="primary"):
            st.session_state[f"_{key}_given"] = st.session_state.get(f"{key}_in")


def reveal(q: Question, i: int, given, first: dict) -> None:
    q = answered(q)
    if q is None:
        return
    check = exercises.check(q, given)
    if not check.judged:
        st.warning(sheet.problem_text(check, given), icon="✍️")
        return
    first.setdefault(i, check)
    box = st.success if check.status == "right" else st.error
    box("  \n".join(sheet.verdict_text(q, check)))
    sheet.show_worked(q)


def question(q: Question, i: int, n: int, key: str, first: dict) -> None:
    with st.container(border=True, key=f"{key}_card"):
        st.markdown(f"**{t('exercises.question', i=i, n=n)}**")
        st.markdown(sheet.prompt(q))
        st.caption(sheet.tolerance_text(q))
        answer_box(q, key)
        if f"_{key}_given" in st.session_state:
            reveal(q, i, st.session_state[f"_{key}_given"], first)


def teacher_key(questions: list[Question], seed: int, level: str, base: str) -> None:
    keyed = [answered(q) for q in questions]
    if any(q is None for q in keyed):
        return
    st.subheader(t("exercises.key_title"))
    st.markdown("\n".join(f"- {line}" for line in sheet.key_lines(keyed, base)))
    csv_button(sheet.set_frame(keyed, base, key=True), f"exercises-key-{level}-{seed}")


def main() -> None:
    st.title(t("exercises.title"))
    st.markdown(t("exercises.intro"))
    url.restore(PARAMS)
    if st.query_params.pop("ex_teacher", None) is not None:  # old links: the key is never opened by a link
        st.info(t("exercises.teacher_not_in_links"), icon="🔒")
    seed, level = controls()
    url.publish(PARAMS)
    questions = exercises.generate(seed, sheet.QUESTIONS, level)
    base = sheet.app_root(st.context.url or "")
    c1, c2 = st.columns(2, vertical_alignment="center")
    with c1:
        csv_button(sheet.set_frame_once(questions, seed, level, base), f"exercises-{level}-{seed}",
                   label=t("exercises.download_set"))
    teacher = c2.toggle(t("exercises.teacher"), key="ex_teacher", help=t("exercises.teacher_help"))
    if teacher:
        teacher_key(questions, seed, level, base)
        st.page_link("pages/class.py", label=t("class.from_exercises"), icon="🙋")
    first = first_checks(seed, level)
    for i, q in enumerate(questions, start=1):
        question(q, i, len(questions), f"ex_{level}_{seed}_{i}", first)
    if first:
        right = sum(c.status == "right" for c in first.values())
        st.info(t("exercises.score", right=right, n=len(questions), answered=len(first)), icon="🏁")
        st.caption(t("exercises.first_try"))
    else:
        st.caption(t("exercises.score_none"))


main()
