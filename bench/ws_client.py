"""A headless Streamlit client speaking the app's own websocket protocol (no browser, no rendering).

It opens a session on a page, finds the page's sliders from the elements the server sends, and reruns the
script with a moved slider, timing each rerun from the request to the server's script_finished message. This
measures what the server does for a user (script run, serialisation, transport) without the browser's drawing,
so many simultaneous users can be simulated on a small machine."""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class Slider:
    id: str
    label: str
    min: float
    max: float
    value: float
    is_int: bool


@dataclass
class Button:
    id: str
    label: str


@dataclass
class Widget:
    """Any input widget the server drew, with the value the browser would show (see Session.widget_state).

    kind: slider, select_slider, selectbox, radio, checkbox, toggle, number_input or tabs. `value` is a number
    (slider, number_input), a bool (checkbox, toggle) or the formatted option label (select kinds, tabs).
    `fragment_id` is the st.fragment the widget was drawn in ("" for the page itself): moving it reruns only
    that fragment, as a browser does."""
    kind: str
    id: str
    label: str
    value: Any
    options: list[str] = field(default_factory=list)
    min: float = 0.0
    max: float = 0.0
    step: float = 1.0
    is_int: bool = False
    fragment_id: str = ""
    sidebar: bool = False


@dataclass
class Result:
    seconds: float
    exceptions: int
    sliders: list[Slider] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # the exceptions' texts
    widgets: list[Widget] = field(default_factory=list)  # every input widget sent in this run, in order
    fragment: bool = False  # the run was a fragment rerun (only that fragment's elements were sent)
    bytes: int = 0  # size of the ForwardMsgs received for this run
    toasts: list[str] = field(default_factory=list)    # st.toast texts of this run
    buttons: list[Button] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)     # markdown and alert bodies, in the order they arrived


class Session:
    """One browser tab. `headers` go with the websocket's opening request (e.g. a balancer's affinity cookie:
    {"Cookie": "EFFVIZ_WORKER=w1"}); `resume` is the id of a session this tab had before, which the browser
    sends when it reconnects (the server resumes it if it still has it, else starts a new one).

    Like the browser, a tab keeps the large elements it has received (Streamlit marks them `cacheable`) and
    says which with every rerun request; the server then sends a reference (`ref_hash`) for an element that has
    not changed instead of the element, and the tab uses its copy. `message_cache=False` turns that off (every
    element sent in full, as before)."""

    def __init__(self, url: str, page: str, query: str = "", *, headers: dict[str, str] | None = None,
                 resume: str | None = None, message_cache: bool = True):
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.page, self.query = page, query
        self.page_hash = ""
        self.headers, self.resume = headers or {}, resume
        self.session_id = ""       # the server's id for this session, from its first reply
        self.response_headers = {}  # of the websocket's opening response (a balancer may add its own)
        self.ws = None
        self.on_message = None  # optional callable(ForwardMsg), called with every message received
        self.cached: dict[str, bytes] | None = {} if message_cache else None  # hash -> a cacheable message

    @property
    def url_query(self) -> str:
        """The query string the app last wrote into the URL (st.query_params): what a reload would send."""
        return self.query

    async def __aenter__(self):
        # Like the browser: [protocol, XSRF token (none here), the previous session's id when reconnecting]
        protocols = ["streamlit", "PLACEHOLDER_AUTH_TOKEN", self.resume] if self.resume else ["streamlit"]
        self.ws = await websockets.connect(self.ws_url, subprotocols=protocols, max_size=2**26,
                                           additional_headers=self.headers or None)
        self.response_headers = self.ws.response.headers  # case-insensitive
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def rerun(self, states: list | None = None, timeout: float = 120, *, fragment_id: str = "",
                    on_text=None) -> Result:
        """Rerun the page with `states` (WidgetState protos); with `fragment_id`, rerun only that fragment;
        on_text(seconds, text) for each markdown or alert body as it arrives (e.g. a notice that is replaced
        while the script still runs)."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_name = self.page
        cs.page_script_hash = self.page_hash
        cs.fragment_id = fragment_id
        if self.cached:
            cs.cached_message_hashes.extend(self.cached)
        for state in states or []:
            cs.widget_states.widgets.append(state)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        sliders: list[Slider] = []
        widgets: list[Widget] = []
        tabs: Widget | None = None
        exceptions = 0
        messages: list[str] = []
        received = 0
        buttons: list[Button] = []
        texts: list[str] = []
        toasts: list[str] = []
        deadline = t0 + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.perf_counter()))
            received += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            if fwd.WhichOneof("type") == "ref_hash":  # an element this tab has: its copy, at the new place
                ref = fwd
                fwd = ForwardMsg.FromString(self.cached[ref.ref_hash])
                fwd.metadata.CopyFrom(ref.metadata)
            elif self.cached is not None and fwd.metadata.cacheable and fwd.hash:
                self.cached[fwd.hash] = raw
            if self.on_message is not None:
                self.on_message(fwd)
            kind = fwd.WhichOneof("type")
            if kind == "new_session" and fwd.new_session.initialize.session_id:
                self.session_id = fwd.new_session.initialize.session_id
            elif kind == "navigation" and fwd.navigation.page_script_hash:
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "page_info_changed":
                # the URL the browser would now show, and send with its next rerun
                self.query = fwd.page_info_changed.query_string
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                which = el.WhichOneof("type")
                if which == "exception":
                    exceptions += 1
                    messages.append(f"{el.exception.type}: {el.exception.message}"[:300])
                elif which == "slider" and len(el.slider.value or el.slider.default) == 1:
                    s = el.slider
                    current = (s.value or s.default)[0]  # value is only sent when the script set it
                    sliders.append(Slider(s.id, s.label, s.min, s.max, current, s.data_type == s.INT))
                elif which == "toast":
                    toasts.append(el.toast.body)
                elif which == "button":
                    buttons.append(Button(el.button.id, el.button.label))
                elif which in ("markdown", "alert"):
                    text = getattr(el, which).body
                    texts.append(text)
                    if on_text is not None:
                        on_text(time.perf_counter() - t0, text)
                widget = widget_of(el, which)
                if widget is not None:
                    widget.fragment_id = fwd.delta.fragment_id
                    widget.sidebar = bool(fwd.metadata.delta_path) and fwd.metadata.delta_path[0] == 1
                    widgets.append(widget)
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "add_block":
                block = fwd.delta.add_block
                if block.WhichOneof("type") == "tab_container" and block.id:
                    tabs = Widget("tabs", block.id, block.id, None, fragment_id=fwd.delta.fragment_id)
                    widgets.append(tabs)
                    tabs.value = block.tab_container.default_tab_index  # an index until the labels came
                elif block.WhichOneof("type") == "tab" and tabs is not None:
                    tabs.options.append(block.tab.label)
                    if isinstance(tabs.value, int) and len(tabs.options) == tabs.value + 1:
                        tabs.value = block.tab.label
            elif kind == "script_finished":
                if fwd.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
                                           ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                    return Result(time.perf_counter() - t0, exceptions, sliders, messages, widgets,
                                  fwd.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY, received,
                                  toasts, buttons, texts)

    async def move(self, widget: Widget, value: Any, timeout: float = 120) -> Result:
        """Set one widget to `value` the way the browser does: a fragment rerun for a widget in a fragment."""
        return await self.rerun([self.widget_state(widget, value)], timeout, fragment_id=widget.fragment_id)

    @staticmethod
    def slider_state(slider: Slider, value: float):
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=slider.id)
        state.double_array_value.data.append(value)
        return state

    @staticmethod
    def widget_state(widget: Widget, value: Any):
        """The WidgetState a browser sends for `widget` showing `value` (an option's label for select kinds)."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=widget.id)
        if widget.kind == "slider":
            state.double_array_value.data.append(value)
        elif widget.kind == "select_slider":
            state.string_array_value.data.append(str(value))
        elif widget.kind in ("selectbox", "radio", "tabs"):
            state.string_value = str(value)
        elif widget.kind in ("checkbox", "toggle"):
            state.bool_value = bool(value)
        elif widget.kind == "number_input":
            state.double_value = float(value)
        else:
            raise ValueError(f"no widget state for kind {widget.kind!r}")
        return state

    @staticmethod
    def button_state(button: Button):
        """A click: the button's trigger for exactly one rerun."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        return WidgetState(id=button.id, trigger_value=True)


def widget_of(el, which: str) -> Widget | None:
    """A Widget from a NewElement proto, or None for an element that is not an input widget."""
    if which == "slider":
        s = el.slider
        if s.options:  # st.select_slider: options are labels, the state is the chosen label
            if len(s.raw_value or s.default) != 1:
                return None
            value = s.raw_value[0] if s.raw_value else s.options[int(s.default[0])]
            return Widget("select_slider", s.id, s.label, value, list(s.options))
        if len(s.value or s.default) != 1:
            return None
        return Widget("slider", s.id, s.label, (s.value or s.default)[0], min=s.min, max=s.max, step=s.step,
                      is_int=s.data_type == s.INT)
    if which in ("selectbox", "radio"):
        s = getattr(el, which)
        value = s.raw_value if s.HasField("raw_value") else (s.options[s.default] if s.options else None)
        return Widget(which, s.id, s.label, value, list(s.options))
    if which == "checkbox":
        s = el.checkbox
        return Widget("toggle" if s.type == s.TOGGLE else "checkbox", s.id, s.label,
                      s.value if s.set_value else s.default)
    if which == "number_input":
        s = el.number_input
        return Widget("number_input", s.id, s.label, s.value if s.set_value else s.default,
                      min=s.min if s.has_min else -1e300, max=s.max if s.has_max else 1e300, step=s.step or 1,
                      is_int=s.data_type == s.INT)
    return None
