"""The Latency Lab's "where the time and the memory go" section in Streamlit's AppTest: the analytic memory part
shows at once; a click profiles a small network's layers and measures this machine's peaks. No timing values
are asserted, only that they appear, add up and are labelled."""
from __future__ import annotations

import pytest

from effviz.speed import liveness
from tests.apptest_support import open_page


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def opened(query=None):
    at = open_page("latency_lab", query)
    assert not at.get("plotly_chart") or all(not c.key.startswith("lat_layers") for c in at.get("plotly_chart"))
    at.toggle(key="lat_layers_open").set_value(True).run()
    return at


def test_memory_part_shows_the_predicted_peak_without_measuring():
    at = opened()
    assert not at.exception and not at.error
    assert "Where the time and the memory go" in [h.value for h in at.header]
    assert at.selectbox(key="lat_layers_net").value == "mobilenet_v2"
    predicted = liveness.network_peak_memory("mobilenet_v2")
    text = markdown(at)
    assert f"Predicted peak: **{predicted.peak_bytes / 2**20:.2f} MiB**" in text and predicted.peak_step in text
    # MobileNetV2's slices: one slice is the whole block, more slices a smaller peak
    whole = liveness.sliced_block_peak(16, 6, 24, 112, 112, 2)
    assert f"**{whole / 2**20:.2f} MiB** whole" in text
    at.select_slider(key="lat_layers_slices").set_value(6).run()
    sliced = liveness.sliced_block_peak(16, 6, 24, 112, 112, 2, slices=6)
    assert f"in 6 slice(s) **{sliced / 2**20:.2f} MiB**" in markdown(at) and sliced < whole
    # other hardware: the published table, every row with its source
    from effviz.speed import hardware_table

    published = next(tb.value for tb in at.table if "Published (ms)" in tb.value.columns)
    assert len(published) == len(hardware_table.ROWS)
    assert all(s.startswith("https://github.com/") for s in published["Source"])


@pytest.mark.slow
def test_profiling_a_network_fills_the_time_and_roofline_tabs():
    at = opened()
    at.selectbox(key="lat_layers_net").set_value("mobilenet_v3_small").run()
    at.button(key="lat_layers_measure").click().run(timeout=300)
    assert not at.exception and not at.error
    text = markdown(at)
    assert "One pass took **" in text and "The slowest layer" in text and "GMAC/s** (IQR" in text
    assert "Depthwise layers do **" in text
    layers = next(tb.value for tb in at.table if "Kind" in tb.value.columns)
    kinds = {"depthwise", "pointwise (1×1)", "other (BN, activations, pooling)"}
    assert len(layers) > 50 and set(layers["Kind"]) >= kinds
    assert at.slider(key="lat_layers_ridge").value <= 500
    assert "Measure the zoo in **Networks**" in "\n".join(c.value for c in at.caption)
    at.slider(key="lat_layers_ridge").set_value(400).run(timeout=120)
    assert not at.exception


def test_chinese_section():
    # AppTest cannot rerun this page in Chinese (its radio's translated labels do not round-trip), so the section
    # is opened through the session state before the first run
    from streamlit.testing.v1 import AppTest

    from tests.apptest_support import APP

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = "zh"
    at.session_state["lat_layers_open"] = True
    at.run()
    at.switch_page("pages/latency_lab.py").run()
    assert not at.exception and "时间与内存花在哪里" in [h.value for h in at.header]
    assert "预测峰值" in markdown(at)


@pytest.mark.slow
def test_measured_peak_is_split_into_activations_and_workspace():
    from effviz.speed import memory_measure

    at = opened()
    at.button(key="lat_layers_measure_peak").click().run(timeout=300)
    assert not at.exception and not at.error
    direct = memory_measure.measure_network("mobilenet_v2", (3, 224, 224))   # allocation sizes: deterministic
    text = markdown(at)
    assert f"**{direct.peak_bytes / 2**20:.2f} MiB**" in text
    assert f"the activations peak at **{direct.activation_bytes / 2**20:.2f} MiB**" in text
    assert direct.workspace_bytes > 0 and direct.activation_bytes < direct.peak_bytes
    # beside it, the eager schedule's prediction, which the measured activations meet
    from effviz.speed import liveness

    eager = liveness.network_peak_memory("mobilenet_v2", (3, 224, 224), schedule="eager")
    assert "Predicted for eager PyTorch instead" in text and f"**{eager.peak_bytes / 2**20:.2f} MiB**" in text
    assert abs(direct.activation_bytes - eager.peak_bytes) / eager.peak_bytes < 0.02
