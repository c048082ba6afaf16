"""The Latency Lab's ONNX section in AppTest: an export of a zoo network is matched to its torch twin and timed by
onnxruntime beside torch eager; a file onnxruntime cannot load gives a message, and a good file works after."""
from __future__ import annotations

import pytest

from app_support.strings import CATALOGUE
from tests import onnx_exports
from tests.apptest_support import open_page
from tests.test_onnx_bad_files import custom_op, good

TIMEOUT = 300


def errors(at) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.slow
def test_an_export_is_timed_beside_its_torch_twin(request):
    cache = onnx_exports.folder(request)
    _, _, folded = onnx_exports.dynamo("mobilenet_v1", cache)
    at = open_page("latency_lab", {"lat_effort": "quick"}, timeout=TIMEOUT)
    at.file_uploader(key="lat_onnx_file").set_value(("mnv1.onnx", folded.read_bytes(), "application/octet-stream"))
    at.run(timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    assert at.selectbox(key="lat_onnx_torch").value == "mobilenet_v1"     # same MACs at 64 x 64, BN folded
    at.button(key="lat_onnx_measure").click().run(timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    table = at.table[-1].value
    assert len(table) == 2 and table.index[0].startswith("onnxruntime") and table.index[1].startswith("torch")
    assert table.iloc[0]["MACs"] == table.iloc[1]["MACs"]
    median = CATALOGUE["en"]["latency_lab.col.median"]
    assert all(float(v) > 0 for v in table[median])


def test_a_file_onnxruntime_cannot_load_then_a_good_one():
    at = open_page("latency_lab", {"lat_effort": "quick"}, timeout=TIMEOUT)
    at.file_uploader(key="lat_onnx_file").set_value(("junk.onnx", b"junk" * 100, "application/octet-stream"))
    at.run(timeout=TIMEOUT)
    assert not at.exception and errors(at) and "not an ONNX model" in errors(at)[0]
    at.file_uploader(key="lat_onnx_file").set_value(("custom.onnx", custom_op(), "application/octet-stream"))
    at.run(timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    at.button(key="lat_onnx_measure").click().run(timeout=TIMEOUT)
    assert not at.exception and errors(at) and "onnxruntime could not load" in errors(at)[0]
    at.file_uploader(key="lat_onnx_file").set_value(("good.onnx", good(), "application/octet-stream"))
    at.run(timeout=TIMEOUT)
    at.button(key="lat_onnx_measure").click().run(timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    assert at.table[-1].value.index[0].startswith("onnxruntime")


def test_onnxruntime_killing_the_timing_process_is_said(monkeypatch):
    """A file that crashes onnxruntime takes the timing process with it: the page says so (no traceback), and the
    same file measures on the next click once it no longer crashes."""
    import os
    import signal

    from app_support.shell import cache, latency_queue

    at = open_page("latency_lab", {"lat_effort": "quick"}, timeout=TIMEOUT)
    at.file_uploader(key="lat_onnx_file").set_value(("good.onnx", good(), "application/octet-stream"))
    at.run(timeout=TIMEOUT)
    with monkeypatch.context() as patch:
        patch.setattr(cache, "latency_onnx", lambda *a, **k: latency_queue.run(
            os.kill, latency_queue.run(os.getpid), signal.SIGKILL))
        at.button(key="lat_onnx_measure").click().run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    assert errors(at) == [CATALOGUE["en"]["latency_lab.run_stopped"]]
    at.button(key="lat_onnx_measure").click().run(timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    assert at.table[-1].value.index[0].startswith("onnxruntime")
