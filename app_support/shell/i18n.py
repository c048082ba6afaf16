"""One string catalogue for the whole app (English and 简体中文). Pages call t("key", **fmt)."""
from __future__ import annotations

import streamlit as st

from app_support.strings import CATALOGUE, LANGUAGES

DEFAULT_LANG = "en"


def lang() -> str:
    value = st.session_state.get("lang", DEFAULT_LANG)
    return value if value in LANGUAGES else DEFAULT_LANG


def t(key: str, /, **fmt) -> str:
    """The string for `key` in the current language, formatted with fmt. A missing key shows as the key itself
    (tests check that both catalogues have the same keys, so this only happens for a typo)."""
    text = CATALOGUE[lang()].get(key) or CATALOGUE[DEFAULT_LANG].get(key, key)
    return text.format(**fmt) if fmt else text


def problem_text(err: BaseException) -> str:
    """A refusal from effviz in the current language: an effviz.problems.Problem from its code and values
    (problem.<code>); any other error as its own text (a programmer's message)."""
    from effviz.problems import sentence_values

    code = getattr(err, "code", None)
    if not isinstance(code, str) or f"problem.{code}" not in CATALOGUE[DEFAULT_LANG]:
        return str(err)
    values = sentence_values(err.values, t("problem.and"), problem_text)
    what = f"problem.what.{str(values.get('what', '')).lower().replace(' ', '_')}"
    if what in CATALOGUE[DEFAULT_LANG]:   # which kind of file: "image", "weights file", "ONNX file"
        values["what"] = t(what)
    return t(f"problem.{code}", **values)


def ordinal(n: int) -> str:
    """A place in a line: 1st, 2nd, 3rd, 4th, 11th, 21st; 第 1 位 in Chinese."""
    if lang() == "zh":
        return f"第 {n} 位"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def texts(prefix: str, keys) -> dict[str, str]:
    """The strings a figure builder or a table needs, by key: texts("shuffle.heat", ("x", "y")) ->
    {"x": t("shuffle.heat.x"), "y": t("shuffle.heat.y")}."""
    return {k: t(f"{prefix}.{k}") for k in keys}
