"""Widget state <-> URL query parameters, so a copied link reproduces the view.

Each page declares its parameters once. `restore` runs before the widgets: on a session's first visit it
seeds st.session_state from the URL, turning a missing, malformed or out-of-range value into the nearest valid
one (with a notice). Widgets are then created with `key=` only (no `value=`), and `publish` writes the values
that differ from the defaults back to the URL. Parsing is pure (`parse`) and bounded: a crafted URL can never
ask for a huge allocation because every number is clamped to the widget's own range.

Why this is hand-written and not Streamlit's `bind="query-params"` (checked on Streamlit 1.67.0, installed here;
requirements.txt asks for >= 1.67). Its widgets, st.tabs and st.expander accept `bind`, and the binding keeps
defaults out of the URL, which is the one thing here it would do as well. It cannot carry the rest, so no widget
uses it:

- Crafted values. A bound widget drops an invalid value silently: `?c_in=5000` on a 1..1024 slider, `abc`, `nan`
  all give the default and vanish from the URL with no word to the user (SessionState._seed_widget_from_url;
  seen in AppTest). Here 5000 becomes 1024 and the page says so (url.clamped, url.not_a_number, ...), in
  the user's language, and a number between a choice's options goes to the nearest one.
- Values in links. A bound selectbox, radio or select_slider stores its *formatted* option in the URL
  (format_func's output) and accepts only that: with our translated labels, `?fr_net=resnet50` would be refused
  and links would read `?fr_net=ResNet-50` in English and something else in 中文. Our links carry the option
  itself, the same in both languages (bench/ws_client and shared links depend on them).
- Widgets that are not drawn. Streamlit removes a bound parameter when its widget is not drawn in a run
  (QueryParams.remove_stale_bindings): a closed tab's settings (Feature Redundancy, Playground's sweep), the
  Playground's ratio or groups for a family without them, would fall out of the link. `publish` keeps them.
- One URL key, several widgets. The Network Explorer gives each network its own option widget
  (nx_width__ghostnet, see app_support.network_explorer.choice) under one URL key (nx_width); a bound key is the
  widget's key. The timm link (nx_net=timm/<name>, app_support.network_explorer.own_network.source) rewrites nx_net
  and nx_res through st.query_params, which Streamlit refuses for a bound parameter.
- Arrivals and page switches. A link's values win once when a page is entered (`begin_page`), and a page
  remembers its values while another page runs; the Latency Lab reads the Playground's last block (`remembered`).
  A bound widget follows the URL on its first load only, then session state.
- Language switch and fragments. `relabel_widgets` resends keyed selectboxes whose format_func output changed
  (Streamlit bug, PR #13788), and `fragment` redraws the sidebar's share link after a fragment's rerun; the link
  is made from st.query_params, which a bound widget's frontend-side URL updates reach only on the next rerun.

Revisit when `bind` can report a replaced value (or take a parser) and store the option rather than its label."""
from __future__ import annotations

import contextlib
import functools
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from app_support.shell.i18n import t

P = ParamSpec("P")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class IntParam:
    key: str
    default: int
    low: int
    high: int

    def parse(self, raw: str) -> tuple[int, str | None]:
        try:
            number = float(raw.strip())
        except ValueError:
            return self.default, t("url.not_a_number", key=self.key, raw=raw[:40], value=self.default)
        if not math.isfinite(number):
            return self.default, t("url.not_a_number", key=self.key, raw=raw[:40], value=self.default)
        value = min(max(round(number), self.low), self.high)
        if value != number:
            return value, t("url.clamped", key=self.key, raw=raw[:40], low=self.low, high=self.high, value=value)
        return value, None

    def format(self, value: Any) -> str:
        return str(int(value))


@dataclass(frozen=True)
class FloatParam:
    key: str
    default: float
    low: float
    high: float
    step: float

    def parse(self, raw: str) -> tuple[float, str | None]:
        try:
            number = float(raw.strip())
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            return self.default, t("url.not_a_number", key=self.key, raw=raw[:40], value=self.default)
        snapped = self.low + round((min(max(number, self.low), self.high) - self.low) / self.step) * self.step
        value = round(min(snapped, self.high), 6)
        if not math.isclose(value, number):
            return value, t("url.clamped", key=self.key, raw=raw[:40], low=self.low, high=self.high, value=value)
        return value, None

    def format(self, value: Any) -> str:
        return f"{float(value):g}"


@dataclass(frozen=True)
class ChoiceParam:
    key: str
    default: Any
    options: tuple

    def parse(self, raw: str) -> tuple[Any, str | None]:
        for option in self.options:
            if str(option).lower() == raw.strip().lower():
                return option, None
        value = self.default
        if all(isinstance(o, (int, float)) and not isinstance(o, bool) for o in self.options):
            try:
                number = float(raw.strip())
            except ValueError:
                number = math.nan
            if math.isfinite(number):  # a number between the options: the nearest one
                value = min(self.options, key=lambda o: (abs(o - number), o))
        allowed = ", ".join(map(str, self.options))
        return value, t("url.unknown_choice", key=self.key, raw=raw[:40], allowed=allowed, value=value)

    def format(self, value: Any) -> str:
        return str(value)


@dataclass(frozen=True)
class BoolParam:
    key: str
    default: bool

    def parse(self, raw: str) -> tuple[bool, str | None]:
        text = raw.strip().lower()
        if text in _TRUE:
            return True, None
        if text in _FALSE:
            return False, None
        return self.default, t("url.not_a_bool", key=self.key, raw=raw[:40], value=self.default)

    def format(self, value: Any) -> str:
        return "1" if value else "0"


Param = IntParam | FloatParam | ChoiceParam | BoolParam

_KNOWN_KEYS: set[str] = set()  # every key restore() has seen: stable app-wide names, not session data


def relabel_widgets() -> None:
    """on_change callback of the language selector. A keyed selectbox keeps showing its old formatted label when
    only its format_func's output changes (Streamlit bug, PR #13788); writing each value back through
    st.session_state makes Streamlit send it, with the new label, to the browser."""
    for key in _KNOWN_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


_SAVED = "_urlstate_saved."  # last value each param had on its page, kept across page switches


_SHELL = threading.local()  # .depth > 0 while app.py runs a page (see page)


@contextlib.contextmanager
def page(page_id: str):
    """app.py runs the chosen page inside this: `with url.page(navigation.url_path): navigation.run()`."""
    begin_page(page_id)
    _SHELL.depth = getattr(_SHELL, "depth", 0) + 1
    try:
        yield
    finally:
        _SHELL.depth -= 1


def _require_shell() -> None:
    """A page run without app.py around it is run again through app.py, before it draws anything (Streamlit's
    legacy `pages/` mode, left in one place: app_support.leave_legacy_pages_mode says why). Not under AppTest: it
    resets Streamlit's flag before every run and runs a switched-to page file on its own, which its tests rely
    on."""
    from streamlit import config

    from app_support import leave_legacy_pages_mode

    if getattr(_SHELL, "depth", 0) or get_script_run_ctx() is None or config.get_option("global.appTest"):
        return

    leave_legacy_pages_mode(page_ran_alone=True)


def begin_page(page_id: str) -> None:
    """Called by app.py before a page runs. On an *arrival* (the page differs from the last run's: a link, the
    sidebar, a fresh session) each of the page's keys may follow the URL once more, so a link's values win over
    remembered ones, while the user's own widget moves win on every later run."""
    if st.session_state.get("_urlstate_page") != page_id:
        st.session_state["_urlstate_page"] = page_id
        st.session_state["_urlstate_followed"] = set()


def arriving(params: Sequence[Param]) -> set[str]:
    """The keys whose URL values the next `restore` will follow (a link's values on arrival): call it before
    restore, for a page that must check what a link asked for as a whole (see the Playground's block)."""
    followed = st.session_state.get("_urlstate_followed", set())
    return {p.key for p in params if p.key in st.query_params and p.key not in followed}


def restore(params: Sequence[Param], *, follow_links: bool = True) -> list[str]:
    """Seed st.session_state for the page's params before its widgets are drawn.

    A key takes the URL's value if it has not followed the URL since the page was entered (see begin_page) or
    is not set yet; otherwise its current value stays. A key without a URL value gets the value it last had on
    this page in this session (Streamlit forgets widget values while another page runs), else its default.
    Shows (and returns) one notice per URL value that had to be replaced."""
    if follow_links:  # a page's own state (app.py's language restores with follow_links=False)
        _require_shell()
    followed = st.session_state.setdefault("_urlstate_followed", set())
    notices = []
    for p in params:
        _KNOWN_KEYS.add(p.key)
        raw = st.query_params.get(p.key)
        fresh_link = follow_links and raw is not None and p.key not in followed
        followed.add(p.key)  # from now on, until the page is left, the URL only mirrors the widgets
        if p.key in st.session_state and not fresh_link:
            continue
        if raw is not None:
            value, problem = p.parse(str(raw))
            if problem:
                notices.append(problem)
        else:
            value = st.session_state.get(_SAVED + p.key, p.default)
        st.session_state[p.key] = value
    for notice in notices:
        st.warning(notice, icon="🔗")
    return notices


def ensure_choice(key: str, options: Sequence[Any], reason: str = "", notify: bool = True) -> str | None:
    """Keep st.session_state[key] among `options` (which depend on other widgets): an invalid value moves to
    the nearest valid one (numerically for numbers), with a notice. Call before creating the widget."""
    if not options:
        return None
    value = st.session_state.get(key)
    if value in options:
        return None
    if isinstance(value, (int, float)) and all(isinstance(o, (int, float)) for o in options):
        new = min(options, key=lambda o: (abs(o - value), o))
    else:
        new = options[0]
    st.session_state[key] = new
    notice = t("url.adjusted", key=key, old=value, new=new, reason=reason)
    if notify:
        st.info(notice, icon="ℹ️")
    return notice


def remembered(keys: Sequence[str]) -> dict[str, Any]:
    """The values publish() last wrote for these keys in this session, on whichever page: for a page that
    builds on another page's choices (the Latency Lab times the Conv Playground's block)."""
    return {k: st.session_state[_SAVED + k] for k in keys if _SAVED + k in st.session_state}


def publish(params: Sequence[Param]) -> None:
    """Mirror current values into the URL (defaults are left out to keep links short), and remember them for
    the next visit to this page in this session. In a section that reruns on its own, use `fragment` below."""
    for p in params:
        value = st.session_state.get(p.key, p.default)
        st.session_state[_SAVED + p.key] = value
        if value == p.default:
            if p.key in st.query_params:
                del st.query_params[p.key]
        else:
            text = p.format(value)
            if st.query_params.get(p.key) != text:
                st.query_params[p.key] = text


def follow_into(param: Param, widget_key: str) -> None:
    """For a widget whose URL key differs from its own (one widget per network, one URL key: the Network
    Explorer's chosen block): on arrival, a link's value for param.key goes into the widget's state. Call before
    the widget; `publish_value` after it."""
    followed = st.session_state.setdefault("_urlstate_followed", set())
    raw = st.query_params.get(param.key)
    if raw is not None and param.key not in followed:
        value, problem = param.parse(str(raw))
        if problem:
            st.warning(problem, icon="🔗")
        st.session_state[widget_key] = value
    followed.add(param.key)


def publish_value(param: Param, value: Any) -> None:
    """Mirror one value into the URL under param.key (left out when it is the default)."""
    if value == param.default:
        if param.key in st.query_params:
            del st.query_params[param.key]
    elif st.query_params.get(param.key) != param.format(value):
        st.query_params[param.key] = param.format(value)


def tabs(key: str, names: Sequence[str], label: Callable[[str], str]) -> list:
    """st.tabs whose open tab is in the link: `key=<name>` (the tab's code, the same in every language; the
    first tab, the default, is left out). Only the open tab's `.open` is true (on_change="rerun"), so a page
    draws that one only. Streamlit keeps the open tab's *label* in st.session_state[key]: a link's name is turned
    into the label on arrival, and a label of the other language (after a language switch) back into the tab
    it named. Call it where the tabs are drawn (inside a fragment: the share link is redrawn by `fragment`)."""
    names = tuple(names)
    labels = [label(n) for n in names]
    param = ChoiceParam(key, names[0], names)
    followed = st.session_state.setdefault("_urlstate_followed", set())
    raw = st.query_params.get(key)
    wanted = None
    if raw is not None and key not in followed:      # a link's tab wins once, on arrival
        wanted, problem = param.parse(str(raw))
        if problem:
            st.warning(problem, icon="🔗")
    elif st.session_state.get(key) not in labels:    # first visit, back from another page, or a language switch
        wanted = st.session_state.get(_SAVED + key, names[0])
    followed.add(key)
    if wanted is not None:
        st.session_state[key] = labels[names.index(wanted)]
    drawn = st.tabs(labels, key=key, on_change="rerun")
    current = st.session_state.get(key)
    name = names[labels.index(current)] if current in labels else names[0]
    st.session_state[_SAVED + key] = name
    if name == names[0]:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != name:
        st.query_params[key] = name
    return drawn


_SHARE_SLOT = "_urlstate_share_slot"


def share_slot(slot) -> None:
    """app.py: the st.empty() in the sidebar where the link to the current view is drawn, made before the page
    runs (so that a fragment can redraw it: see `fragment`); None until it exists in this run."""
    st.session_state[_SHARE_SLOT] = slot


def fragment(func: Callable[P, None]) -> Callable[P, None]:
    """st.fragment for a page section that publishes its widgets to the URL. A widget in an st.fragment reruns
    only that function: app.py, which draws the sidebar's share link after the page, does not run. So the
    section redraws the link itself, at its end, on every run. (Streamlit lets a fragment write into a
    container made outside it only if it also did on the last full run: hence every run, not only when the URL
    changed.)"""

    @functools.wraps(func)
    def section(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            func(*args, **kwargs)
        finally:
            show_share_link()

    return st.fragment(section)


# Secrets in the URL (class mode: the teacher's token, a student's own token) are never put in the share link.
PRIVATE_KEYS = ("teacher", "me")


def share_link() -> str:
    base = (st.context.url or "").split("?")[0]
    query = urlencode({k: v for k, v in st.query_params.to_dict().items() if k not in PRIVATE_KEYS})
    return f"{base}?{query}" if query else base


def show_share_link() -> None:
    slot = st.session_state.get(_SHARE_SLOT)
    if slot is not None:
        slot.code(share_link(), language=None, wrap_lines=True)
