"""The Network Explorer with a network of one's own, in Streamlit's AppTest: any timm architecture (by link or by
search) and an uploaded ONNX file, with the totals checked against the library, bad files one after another in
one session, and a comparison with a zoo network."""
from __future__ import annotations

import pytest

import effviz
from effviz.networks import timm_models
from tests import onnx_exports
from tests.apptest_support import open_page
from tests.test_onnx_bad_files import REFUSED, custom_op, good

TIMEOUT = 240


def exact(at, label: str) -> int:
    for m in at.metric:
        if m.label == label:
            return int(m.proto.help.replace(",", ""))
    raise KeyError(label)


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def test_a_timm_link_shows_that_architecture_counted_like_the_library():
    at = open_page("network_explorer", {"nx_net": "timm/ghostnet_100"}, timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    assert at.radio(key="nx_src").value == "timm" and at.selectbox(key="nx_timm_pick").value == "ghostnet_100"
    prof = timm_models.profile("timm/ghostnet_100")
    assert (exact(at, "Parameters"), exact(at, "MACs")) == (prof.params, prof.macs)
    assert at.query_params["nx_net"] == "timm/ghostnet_100"
    assert any("timm" in c.value and "224" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) >= 3


def test_searching_timm_and_changing_the_resolution():
    at = open_page("network_explorer", {"nx_net": "timm/ghostnet_100"}, timeout=TIMEOUT)
    at.text_input(key="nx_timm_q").set_value("mobilenetv4 conv small").run(timeout=TIMEOUT)
    assert not at.exception
    options = at.selectbox(key="nx_timm_pick").options
    assert "mobilenetv4_conv_small" in options
    at.selectbox(key="nx_timm_pick").set_value("mobilenetv4_conv_small").run(timeout=TIMEOUT)
    at.slider(key="nx_timm_res").set_value(160).run(timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    prof = timm_models.profile("timm/mobilenetv4_conv_small", 160)
    assert (exact(at, "Parameters"), exact(at, "MACs")) == (prof.params, prof.macs)
    assert at.query_params["nx_net"] == "timm/mobilenetv4_conv_small" and at.query_params["nx_res"] == "160"


def test_an_unknown_timm_name_in_a_link_falls_back_with_a_notice():
    at = open_page("network_explorer", {"nx_net": "timm/ghostnet_999"}, timeout=TIMEOUT)
    assert not at.exception
    assert any("ghostnet_999" in w.value for w in at.warning)
    assert at.selectbox(key="nx_timm_pick").value == "mobilenetv4_conv_small"


def test_a_fixed_size_architecture_keeps_its_size():
    at = open_page("network_explorer", {"nx_net": "timm/vit_tiny_patch16_224", "nx_res": "320"}, timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    assert at.slider(key="nx_timm_res").disabled
    prof = timm_models.profile("timm/vit_tiny_patch16_224")
    assert exact(at, "MACs") == prof.macs


@pytest.fixture(scope="module")
def exports(request):
    cache = onnx_exports.folder(request)
    model, plain, folded = onnx_exports.dynamo("mobilenet_v1", cache)
    return model, plain, folded


@pytest.mark.slow
def test_an_uploaded_onnx_file_shows_the_modules_own_counts_and_compares_with_the_zoo(exports):
    model, plain, folded = exports
    expected = effviz.profile(model, (3, onnx_exports.RESOLUTION, onnx_exports.RESOLUTION))
    at = open_page("network_explorer", {"nx_src": "onnx"}, timeout=TIMEOUT)
    assert not at.exception and at.radio(key="nx_src").value == "onnx"
    at.file_uploader(key="nx_onnx_file").set_value(("mobilenet.onnx", plain.read_bytes(), "application/octet-stream"))
    at.run(timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    assert (exact(at, "Parameters"), exact(at, "MACs")) == (expected.params, expected.macs)
    assert any("opset" in c.value for c in at.caption)
    assert not at.info or not any("folded" in i.value for i in at.info)
    at.session_state["nx_tab"] = "Compare"
    at.session_state["nx_cmp"] = "mobilenet_v2"
    at.run(timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    table = at.table[0].value
    assert list(table.columns) == ["mobilenet", "MobileNet v2"]
    zoo = effviz.profile_onnx(plain)            # the zoo network is counted at the upload's own resolution (64)
    assert table.loc["MACs"].tolist()[0] == f"{zoo.macs:,}"
    assert any("64" in c.value for c in at.caption)
    # the folded export: same MACs, a note about folding
    at.file_uploader(key="nx_onnx_file").set_value(("folded.onnx", folded.read_bytes(), "application/octet-stream"))
    at.run(timeout=TIMEOUT)
    assert not at.exception and exact(at, "MACs") == expected.macs
    assert any("folded" in i.value for i in at.info)


def test_bad_onnx_files_one_after_another_then_a_good_one():
    at = open_page("network_explorer", {"nx_src": "onnx"}, timeout=TIMEOUT)
    for name, payload, message in REFUSED:
        if not payload:
            continue                        # an empty upload is no upload in Streamlit
        at.file_uploader(key="nx_onnx_file").set_value((f"{name}.onnx", payload, "application/octet-stream"))
        at.run(timeout=TIMEOUT)
        assert not at.exception, (name, at.exception)
        assert errors(at) and message.lower() in errors(at)[0].lower(), (name, errors(at))
    at.file_uploader(key="nx_onnx_file").set_value(("custom.onnx", custom_op(), "application/octet-stream"))
    at.run(timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    assert any("MagicActivation" in str(tb.value) for tb in at.table)     # listed as not counted
    at.file_uploader(key="nx_onnx_file").set_value(("good.onnx", good(), "application/octet-stream"))
    at.run(timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    assert exact(at, "MACs") == effviz.profile_onnx(good()).macs


def test_an_upload_with_dynamic_dims_asks_for_its_size():
    from tests.test_onnx_bad_files import dynamic

    at = open_page("network_explorer", {"nx_src": "onnx"}, timeout=TIMEOUT)
    at.file_uploader(key="nx_onnx_file").set_value(("dyn.onnx", dynamic(), "application/octet-stream"))
    at.run(timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    assert exact(at, "MACs") == 4 * 27 * 224 * 224                        # the default, and the page says so
    assert any("224" in c.value and "open" in c.value for c in at.caption)
    at.slider(key="nx_onnx_res").set_value(64).run(timeout=TIMEOUT)
    assert not at.exception and exact(at, "MACs") == 4 * 27 * 64 * 64
