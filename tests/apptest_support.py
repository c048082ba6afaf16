"""Running pages through app.py in Streamlit's AppTest, the way a browser session would."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"


def open_page(page: str, query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    """AppTest of app.py switched to pages/<page>.py, with optional URL query parameters."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    at.switch_page(f"pages/{page}.py").run()
    return at


def metric(at: AppTest, label: str) -> str:
    for m in at.metric:
        if m.label == label:
            return m.value
    raise KeyError(f"no metric {label!r}; have {[m.label for m in at.metric]}")
