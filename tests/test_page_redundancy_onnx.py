"""Feature Redundancy with "My ONNX model…" in AppTest: the trained EfficientNet-Lite0 exported to ONNX shows the
same layers and, maps read by onnxruntime, the numbers effviz computes from them; the page says which model,
weights and node; bad files give messages and a good file works after them."""
from __future__ import annotations

import numpy as np
import pytest

from effviz.networks.onnxfile import onnx_features
from effviz.redundancy import features, images, similarity
from effviz.redundancy import reconstruction as ghost
from tests import onnx_exports
from tests.apptest_support import open_page
from tests.test_onnx_bad_files import REFUSED, good

TIMEOUT = 300


def metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def ok(at) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


@pytest.mark.slow
def test_an_onnx_files_maps_are_analysed_like_a_networks(request):
    _, _, path = onnx_exports.trained_lite0(onnx_exports.folder(request))
    data = path.read_bytes()
    at = open_page("feature_redundancy", {"fr_net": "onnx", "fr_image": "cat"}, timeout=TIMEOUT)
    assert not at.exception and any("ONNX" in i.value for i in at.info)      # waiting for the file
    at.file_uploader(key="fr_onnx_file").set_value(("lite0.onnx", data, "application/octet-stream"))
    at.run(timeout=TIMEOUT)
    ok(at)
    net, info = onnx_features.load(data, "lite0.onnx")
    layer = at.session_state["fr_layer"]
    assert list(at.selectbox(key="fr_layer").options) and layer in features.layers(net)
    fmap = features.extract(net, images.load_sample("cat"), layer, info=info).numpy()
    c, h, w = fmap.shape
    assert metric(at, "Feature maps") == f"{c} × {h}×{w}"
    nn = similarity.nearest(similarity.matrix(fmap, "cosine"))[1]
    assert metric(at, "Mean nearest") == f"{float(np.mean(nn)):.3f}"
    shown = " ".join(i.value for i in at.info)
    assert "lite0.onnx" in shown and "onnxruntime" in shown                  # which model, weights, how
    assert any("%" in m.value for m in at.markdown)                          # 1000 outputs: top-5 classes
    at.session_state["fr_tab"] = "Ghost reconstruction"
    at.run(timeout=TIMEOUT)
    ok(at)
    rec = ghost.reconstruct(fmap, 2, 3, "first")
    assert metric(at, "Error, rebuilt maps") == f"{rec.ghost_error:.3f}"
    assert not [m for m in at.metric if m.label.startswith("Error, rebuilt") and m.proto.delta]  # no untrained twin


def test_bad_onnx_files_then_a_good_one():
    at = open_page("feature_redundancy", {"fr_net": "onnx", "fr_image": "cat"}, timeout=TIMEOUT)
    for name, payload, message in REFUSED[1:6]:
        at.file_uploader(key="fr_onnx_file").set_value((f"{name}.onnx", payload, "application/octet-stream"))
        at.run(timeout=TIMEOUT)
        assert not at.exception and at.error and message.lower() in at.error[0].value.lower(), name
    at.file_uploader(key="fr_onnx_file").set_value(("tiny.onnx", good(), "application/octet-stream"))
    at.run(timeout=TIMEOUT)
    ok(at)
    assert metric(at, "Feature maps") == "8 × 16×16"
