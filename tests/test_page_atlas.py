"""The Feature Redundancy page's Atlas tab in Streamlit's AppTest, offline (EFFVIZ_OFFLINE=1): ResNet-50's ImageNet
weights are missing, so the page shows EfficientNet-Lite0 with its real weights and says so. The numbers on the
page are checked against effviz.redundancy.atlas computed here, independently of the page's caches."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from effviz.redundancy import atlas, images, weights
from effviz.redundancy import reconstruction as ghost
from tests.apptest_support import APP, open_page

TIMEOUT = 600
ATLAS = "Atlas: every layer"


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv(weights.ENV_OFFLINE, "1")
    monkeypatch.delenv("EFFVIZ_RESNET50_WEIGHTS", raising=False)


@pytest.fixture(scope="module")
def lite0():
    """{weights: Atlas} of EfficientNet-Lite0 on the cat photo at s = 2, d = 3."""
    out = {}
    for kind in ("imagenet", "untrained"):
        model, info = weights.load("efficientnet_lite0", kind, download=False)
        out[kind] = atlas.redundancy_atlas(model, images.load_sample("cat"), 2, 3, info=info)
    return out


def metric(at, label: str):
    for m in at.metric:
        if m.label == label:
            return m
    raise KeyError(f"no metric {label!r}; have {[m.label for m in at.metric]}")


def ok(at) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def open_atlas(query: dict[str, str], tab: str = ATLAS):
    """The page opened on the Atlas tab in its first run (AppTest mislabels a selectbox when a Chinese page
    reruns after a page switch, so the tab is chosen before the page is drawn rather than by a second run)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for k, v in query.items():
        at.query_params[k] = v
    at.session_state["fr_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at.switch_page("pages/feature_redundancy.py").run()


def fmt_m(x: float) -> str:
    return f"{x / 1e6:,.1f} M" if x < 1e8 else f"{x / 1e6:,.0f} M"


def test_totals_table_and_charts_match_effviz_trained_beside_untrained(lite0):
    at = open_atlas({})
    ok(at)
    assert any("EfficientNet-Lite0" in w.value and "not available offline" in w.value for w in at.warning)
    a, u = lite0["imagenet"], lite0["untrained"]
    assert metric(at, "Network MACs").value == f"{fmt_m(a.macs)} → {fmt_m(a.ghost_macs)}"
    assert metric(at, "Network parameters").value == f"{fmt_m(a.params)} → {fmt_m(a.ghost_params)}"
    error = metric(at, "Mean error, rebuilt maps")
    assert error.value == f"{a.mean_error:.3f}"
    assert error.proto.delta == f"untrained: {u.mean_error:.3f}"
    assert metric(at, "Convolutions replaced").value == f"{len(a.replaced)} / {len(a.rows)}"
    frame = at.dataframe[0].value
    assert list(frame["layer"]) == [r.name for r in a.rows]
    assert list(frame["MACs saved"]) == [r.macs_saved for r in a.rows]
    assert list(frame["error, rebuilt maps"]) == [round(r.ghost_error, 4) for r in a.rows]
    assert list(frame["error, rebuilt maps, untrained"]) == [round(r.ghost_error, 4) for r in u.rows]
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(figures) == 3    # depth chart, savings, scatter
    legends = {tr.get("legendgroup") or tr.get("name") for fig in figures for tr in fig["data"]}
    assert {"EfficientNet-Lite0 · ImageNet weights", "EfficientNet-Lite0 · untrained"} <= legends
    scatter = figures[2]["data"]
    assert [p[0] for p in scatter[0]["customdata"]] == [r.name for r in a.replaced]
    text = " ".join(m.value for m in at.markdown)
    assert all(f"`{r.name}`" in text for r in a.most_redundant(3))
    (a1, a2), (u1, u2) = a.mean_error_halves(), u.mean_error_halves()
    assert f"{a1:.3f} trained vs {u1:.3f} untrained in the first half" in text and f"{a2:.3f} vs {u2:.3f}" in text
    at.run(timeout=TIMEOUT)     # a second visit: served from the cache, its recorded messages replayed cleanly
    ok(at)


def test_choosing_a_layer_opens_it_in_the_single_layer_views(lite0):
    a = lite0["imagenet"]
    row = a.most_redundant(1)[0]
    at = open_atlas({})
    at.selectbox(key="fr_atlas_layer").set_value(row.name).run(timeout=TIMEOUT)
    at.button(key="fr_atlas_open").click().run(timeout=TIMEOUT)
    ok(at)
    assert at.session_state["fr_layer"] == row.name
    assert at.session_state["fr_tab"] == "Ghost reconstruction"
    c, h, w = row.shape
    assert metric(at, "Feature maps").value == f"{c} × {h}×{w}"
    assert metric(at, "Mean nearest-neighbour similarity").value == f"{row.nn_mean:.3f}"
    assert metric(at, "Error, rebuilt maps").value == f"{row.ghost_error:.3f}"
    assert metric(at, "Error, whole layer").value == f"{row.error:.3f}"
    assert dict(at.query_params)["fr_layer"] == row.name     # a link to this view


def test_untrained_weights_are_labelled_and_have_no_companion(lite0):
    at = open_atlas({"fr_net": "efficientnet_lite0", "fr_weights": "untrained", "fr_s": "2", "fr_d": "3"})
    ok(at)
    assert any("untrained" in w.value for w in at.warning)
    u = lite0["untrained"]
    error = metric(at, "Mean error, rebuilt maps")
    assert error.value == f"{u.mean_error:.3f}" and not error.proto.delta
    assert "error, rebuilt maps, untrained" not in at.dataframe[0].value.columns


def test_bad_s_in_a_link_gives_the_usual_notice_and_the_atlas_at_a_valid_s(lite0):
    at = open_page("feature_redundancy", {"fr_s": "9"}, timeout=TIMEOUT)
    assert any("fr_s" in w.value for w in at.warning), [w.value for w in at.warning]    # said once, on arrival
    at.session_state["fr_tab"] = ATLAS
    at.run(timeout=TIMEOUT)
    ok(at)
    s = at.session_state["fr_s"]
    assert s in ghost.RATIOS          # the nearest valid ratio
    assert any(f"Ghost module (s = {s}, d = 3)" in m.value for m in at.markdown)
    assert metric(at, "Network MACs").value.startswith(f"{fmt_m(lite0['imagenet'].macs)} → ")


def test_chinese_atlas(lite0):
    at = open_atlas({"lang": "zh"}, "全网图谱：逐层")
    ok(at)
    a = lite0["imagenet"]
    assert metric(at, "全网 MACs").value == f"{fmt_m(a.macs)} → {fmt_m(a.ghost_macs)}"
    assert "层" in at.dataframe[0].value.columns


def test_a_link_opens_the_atlas_with_its_layer_and_measure(lite0):
    """Issue 21, items 5 and 7: the tab, the atlas's chosen layer and its measure are in the link; the depth chart
    shows one measure, trained beside untrained (two lines, not six)."""
    a = lite0["imagenet"]
    layer = a.rows[5].name
    at = open_page("feature_redundancy", {"fr_tab": "atlas", "fr_atlas_layer": layer,
                                          "fr_atlas_measure": "ghost_error"}, timeout=TIMEOUT)
    ok(at)
    assert at.session_state["fr_tab"] == ATLAS
    assert at.selectbox(key="fr_atlas_layer").value == layer
    depth = json.loads(at.get("plotly_chart")[0].proto.spec)
    lines = [tr for tr in depth["data"] if tr.get("mode") == "lines+markers"]
    assert [tr["name"] for tr in lines] == ["EfficientNet-Lite0 · ImageNet weights", "EfficientNet-Lite0 · untrained"]
    assert lines[0]["y"] == [r.ghost_error for r in a.rows]
    assert lines[1]["y"] == [r.ghost_error for r in lite0["untrained"].rows]
    query = dict(at.query_params)
    assert query["fr_tab"] == "atlas" and query["fr_atlas_layer"] == layer
    assert query["fr_atlas_measure"] == "ghost_error"


def test_the_atlas_says_where_trained_maps_are_less_alike_than_untrained_ones_and_why(lite0):
    """Issue 21, item 9: at some of Lite0's layers the trained network is less redundant than the untrained one."""
    a, u = lite0["imagenet"], lite0["untrained"]
    less = [x.name for x, y in zip(a.rows, u.rows, strict=True) if x.nn_mean < y.nn_mean]
    assert less, "the case the page must explain exists on this photo"
    at = open_atlas({})
    ok(at)
    text = " ".join(m.value for m in at.markdown)
    assert f"at {len(less)} of {len(a.rows)} convolutions the trained maps are *less* alike" in text
    assert "random weights already give correlated maps" in text


def test_a_toast_says_the_atlas_is_being_computed(lite0, tmp_path, monkeypatch):
    """Issue 21, item 8: the progress bar was under the fold at 1440x900; a toast shows the work has started."""
    from app_support.shell import cache

    monkeypatch.setenv("EFFVIZ_CACHE_DIR", str(tmp_path))      # nothing on disk yet: the atlas is computed
    cache.redundancy_atlas.clear()
    at = open_atlas({"fr_compare": "0"})
    ok(at)
    assert any("Computing the atlas" in x.value for x in at.toast), [x.value for x in at.toast]
