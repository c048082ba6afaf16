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
