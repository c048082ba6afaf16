"""A headless Streamlit client speaking the app's own websocket protocol (no browser, no rendering).

It opens a session on a page, finds the page's sliders from the elements the server sends, and reruns the
script with a moved slider, timing each rerun from the request to the server's script_finished message. This
measures what the server does for a user (script run, serialisation, transport) without the browser's drawing,
so many simultaneous users can be simulated on a small machine."""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

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
class Result:
    seconds: float
    exceptions: int
    sliders: list[Slider] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # the exceptions' texts
    toasts: list[str] = field(default_factory=list)    # st.toast texts of this run
    buttons: list[Button] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)     # markdown and alert bodies, in the order they arrived


class Session:
    """One browser tab. `headers` go with the websocket's opening request (e.g. a balancer's affinity cookie:
    {"Cookie": "EFFVIZ_WORKER=w1"}); `resume` is the id of a session this tab had before, which the browser
    sends when it reconnects (the server resumes it if it still has it, else starts a new one)."""

    def __init__(self, url: str, page: str, query: str = "", *, headers: dict[str, str] | None = None,
                 resume: str | None = None):
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.page, self.query = page, query
        self.page_hash = ""
        self.headers, self.resume = headers or {}, resume
        self.session_id = ""       # the server's id for this session, from its first reply
        self.url_query = query     # the query string the app last wrote into the URL (st.query_params)
        self.response_headers = {}  # of the websocket's opening response (a balancer may add its own)
        self.ws = None

    async def __aenter__(self):
        # Like the browser: [protocol, XSRF token (none here), the previous session's id when reconnecting]
        protocols = ["streamlit", "PLACEHOLDER_AUTH_TOKEN", self.resume] if self.resume else ["streamlit"]
        self.ws = await websockets.connect(self.ws_url, subprotocols=protocols, max_size=2**26,
                                           additional_headers=self.headers or None)
        self.response_headers = self.ws.response.headers  # case-insensitive
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def rerun(self, states: list | None = None, timeout: float = 120, on_text=None) -> Result:
        """Rerun the page with `states` (widget states); on_text(seconds, text) for each markdown or alert body as
        it arrives (e.g. a notice that is replaced while the script still runs)."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_name = self.page
        cs.page_script_hash = self.page_hash
        for state in states or []:
            cs.widget_states.widgets.append(state)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        sliders: list[Slider] = []
        buttons: list[Button] = []
        texts: list[str] = []
        exceptions = 0
        messages: list[str] = []
        toasts: list[str] = []
        deadline = t0 + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.perf_counter()))
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session" and fwd.new_session.initialize.session_id:
                self.session_id = fwd.new_session.initialize.session_id
            elif kind == "page_info_changed":
                self.url_query = fwd.page_info_changed.query_string
            elif kind == "navigation" and fwd.navigation.page_script_hash:
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                el = fwd.delta.new_element
                which = el.WhichOneof("type")
                if which == "exception":
                    exceptions += 1
                    messages.append(f"{el.exception.type}: {el.exception.message}"[:300])
                elif which == "toast":
                    toasts.append(el.toast.body)
                elif which == "slider" and len(el.slider.value or el.slider.default) == 1:
                    s = el.slider
                    current = (s.value or s.default)[0]  # value is only sent when the script set it
                    sliders.append(Slider(s.id, s.label, s.min, s.max, current, s.data_type == s.INT))
                elif which == "button":
                    buttons.append(Button(el.button.id, el.button.label))
                elif which in ("markdown", "alert"):
                    text = getattr(el, which).body
                    texts.append(text)
                    if on_text is not None:
                        on_text(time.perf_counter() - t0, text)
            elif kind == "script_finished":
                if fwd.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                    return Result(time.perf_counter() - t0, exceptions, sliders, messages, toasts=toasts,
                                  buttons=buttons, texts=texts)

    @staticmethod
    def slider_state(slider: Slider, value: float):
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=slider.id)
        state.double_array_value.data.append(value)
        return state

    @staticmethod
    def button_state(button: Button):
        """A click: the button's trigger for exactly one rerun."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        return WidgetState(id=button.id, trigger_value=True)
