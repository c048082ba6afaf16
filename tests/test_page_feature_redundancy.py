"""The Feature Redundancy lab in Streamlit's AppTest, offline (EFFVIZ_OFFLINE=1: nothing is downloaded).

The numbers on the page are checked against effviz computed here, independently of the page's caches."""
from __future__ import annotations

import json

import numpy as np
import pytest

from effviz.redundancy import features, images, similarity, weights
from effviz.redundancy import reconstruction as ghost
from tests.apptest_support import open_page

TIMEOUT = 240


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv(weights.ENV_OFFLINE, "1")
    monkeypatch.delenv("EFFVIZ_RESNET50_WEIGHTS", raising=False)


def metric(at, label_start: str) -> str:
    for m in at.metric:
        if m.label.startswith(label_start):
            return m.value
    raise KeyError(f"no metric {label_start!r}; have {[m.label for m in at.metric]}")


def open_tab(at, label: str):
    at.session_state["fr_tab"] = label
    return at.run(timeout=TIMEOUT)


def figures(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def ok(at) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def expected_fmap(network: str, kind: str, sample: str, layer: str) -> np.ndarray:
    model, info = weights.load(network, kind, download=False)
    return features.extract(model, images.load_sample(sample), layer, info=info).numpy()


def test_default_view_says_what_is_on_screen_and_why():
    at = open_page("feature_redundancy", timeout=TIMEOUT)
    ok(at)
    # offline: ResNet-50's ImageNet weights are missing, so the page says it shows EfficientNet-Lite0
    shown = " ".join(w.value for w in at.warning)
    assert "EfficientNet-Lite0" in shown and "not available offline" in shown
    assert "python -m effviz.weights fetch resnet50" in shown
    layer = at.session_state["fr_layer"]
    assert layer == "features.stage2.1.expand"
    fmap = expected_fmap("resnet50", "imagenet", "cat", layer)
    c, h, w = fmap.shape
    assert metric(at, "Feature maps") == f"{c} × {h}×{w}"
    _, nn = similarity.nearest(similarity.matrix(fmap, "cosine"))
    assert metric(at, "Mean nearest") == f"{float(np.mean(nn)):.3f}"
    assert any("Egyptian cat" in m.value or "tabby" in m.value for m in at.markdown)   # the network sees a cat
    assert figures(at), "the feature-map grid"


@pytest.mark.parametrize("lang, intro", [("en", "with EfficientNet-Lite0"), ("zh", "EfficientNet-Lite0（由 MBConv")])
def test_offline_fallback_names_what_is_on_screen_in_the_controls_and_the_text(lang, intro):
    """Issue 21, item 6: with no ResNet-50 weights the page showed EfficientNet-Lite0's maps (and its banner said
    so) while the Network box still read ResNet-50 and the intro described ResNet-50's layer1."""
    at = open_page("feature_redundancy", {"lang": lang}, timeout=TIMEOUT)
    ok(at)
    assert at.selectbox(key="fr_net").value == "efficientnet_lite0"
    text = " ".join(m.value for m in at.markdown)
    assert intro in text and "`layer1`，256" not in text and "(`layer1`, 256" not in text
    assert at.query_params.get("fr_net") in ("efficientnet_lite0", ["efficientnet_lite0"])
    # the banner still says what was asked for and why it is not on screen
    assert any("EfficientNet-Lite0" in w.value and "ResNet-50" in w.value for w in at.warning)
    if lang != "en":  # (AppTest loses the sidebar's language on the next run after a page switch)
        return
    # choosing ResNet-50 untrained is possible and shows ResNet-50 (no weights are needed)
    at.selectbox(key="fr_weights").set_value("untrained").run(timeout=TIMEOUT)
    at.selectbox(key="fr_net").set_value("resnet50").run(timeout=TIMEOUT)
    ok(at)
    assert at.selectbox(key="fr_net").value == "resnet50"
    assert any("ResNet-50" in w.value and "untrained" in w.value.lower() or "未训练" in w.value for w in at.warning)


def test_a_rerun_encodes_no_image(monkeypatch):
    # The photo is encoded once per process (cache.shown_image) in the format Streamlit sends, so a rerun passes
    # its bytes on: given PNG bytes, st.image re-encoded them to JPEG on every rerun of every student.
    from PIL import Image

    at = open_page("feature_redundancy", timeout=TIMEOUT)
    ok(at)
    assert at.get("image"), "the photo"
    saves = []
    save = Image.Image.save
    monkeypatch.setattr(Image.Image, "save", lambda self, *a, **k: saves.append(self.size) or save(self, *a, **k))
    at.run(timeout=TIMEOUT)
    ok(at)
    assert saves == []


def test_untrained_resnet50_layer1_is_labelled_untrained():
    at = open_page("feature_redundancy", {"fr_weights": "untrained"}, timeout=TIMEOUT)
    ok(at)
    assert at.session_state["fr_layer"] == "layer1"
    assert metric(at, "Feature maps") == "256 × 56×56"            # GhostNet's Figure 1 layer
    assert any("untrained" in w.value for w in at.warning)
    assert not any("The network sees" in m.value for m in at.markdown)   # no class guesses from noise


def test_moving_layer_and_metric_changes_the_numbers_correctly():
    at = open_page("feature_redundancy", {"fr_weights": "untrained"}, timeout=TIMEOUT)
    at.selectbox(key="fr_layer").set_value("maxpool").run(timeout=TIMEOUT)
    ok(at)
    assert metric(at, "Feature maps") == "64 × 56×56"
    at.selectbox(key="fr_metric").set_value("pearson").run(timeout=TIMEOUT)
    ok(at)
    fmap = expected_fmap("resnet50", "untrained", "cat", "maxpool")
    _, nn = similarity.nearest(similarity.matrix(fmap, "pearson"))
    assert metric(at, "Mean nearest") == f"{float(np.mean(nn)):.3f}"
    assert metric(at, "Maps with a near-copy") == f"{float(np.mean(nn >= 0.9)):.0%}"


@pytest.mark.parametrize("tab", ["Similarity heatmap", "Most similar pairs", "One channel"])
def test_each_similarity_tab_draws(tab):
    at = open_page("feature_redundancy", {"fr_weights": "untrained", "fr_image": "coffee"}, timeout=TIMEOUT)
    open_tab(at, tab)
    ok(at)
    assert figures(at)


def test_top_pairs_are_the_most_similar_pairs():
    at = open_page("feature_redundancy", {"fr_net": "efficientnet_lite0", "fr_topk": "4"}, timeout=TIMEOUT)
    open_tab(at, "Most similar pairs")
    ok(at)
    layer = at.session_state["fr_layer"]
    fmap = expected_fmap("efficientnet_lite0", "imagenet", "cat", layer)
    pairs = similarity.top_pairs(similarity.matrix(fmap, "cosine"), 4)
    titles = " ".join(a["text"] for fig in figures(at) for a in fig["layout"].get("annotations", []))
    for p in pairs:
        assert f"#{p.i} ↔ #{p.j}: {p.score:.3f}" in titles


def test_ghost_tab_numbers_match_effviz_and_compare_with_untrained():
    at = open_page("feature_redundancy", {"fr_net": "efficientnet_lite0", "fr_s": "3", "fr_d": "5"},
                   timeout=TIMEOUT)
    open_tab(at, "Ghost reconstruction")
    ok(at)
    layer = at.session_state["fr_layer"]
    fmap = expected_fmap("efficientnet_lite0", "imagenet", "cat", layer)
    rec = ghost.reconstruct(fmap, 3, 5, "first")
    assert metric(at, "Intrinsic maps m") == f"{rec.m} / {fmap.shape[0]}"
    assert metric(at, "Error, rebuilt maps") == f"{rec.ghost_error:.3f}"
    untrained = ghost.reconstruct(expected_fmap("efficientnet_lite0", "untrained", "cat", layer), 3, 5, "first")
    deltas = [m.proto.delta for m in at.metric if m.label.startswith("Error, rebuilt")]
    assert deltas == [f"untrained: {untrained.ghost_error:.3f}"]
    assert len(figures(at)) == 3      # examples, error vs d, error vs s
    at.radio(key="fr_choice").set_value("cluster").run(timeout=TIMEOUT)
    ok(at)
    rec = ghost.reconstruct(fmap, 3, 5, "cluster")
    assert metric(at, "Error, rebuilt maps") == f"{rec.ghost_error:.3f}"


def test_settings_survive_a_tab_switch():
    at = open_page("feature_redundancy", {"fr_weights": "untrained", "fr_layer": "conv1"}, timeout=TIMEOUT)
    open_tab(at, "Ghost reconstruction")
    at.select_slider(key="fr_d").set_value(7).run(timeout=TIMEOUT)
    open_tab(at, "Feature maps")           # the d slider is not drawn now...
    ok(at)
    assert at.session_state["fr_d"] == 7 and dict(at.query_params)["fr_d"] == "7"   # ...but kept, and in the URL
    open_tab(at, "Ghost reconstruction")
    ok(at)
    assert at.select_slider(key="fr_d").value == 7


@pytest.mark.parametrize("query, key", [
    ({"fr_s": "9"}, "fr_s"), ({"fr_layer": "layer99"}, "fr_layer"), ({"fr_net": "vgg"}, "fr_net"),
    ({"fr_image": "../../etc/passwd"}, "fr_image"), ({"fr_topk": "1e9"}, "fr_topk"),
])
def test_bad_url_values_give_a_notice_not_an_exception(query, key):
    at = open_page("feature_redundancy", {"fr_weights": "untrained", **query}, timeout=TIMEOUT)
    ok(at)
    assert any(key in w.value for w in at.warning), [w.value for w in at.warning]


def test_chinese_page_runs():
    at = open_page("feature_redundancy", {"lang": "zh", "fr_weights": "untrained"}, timeout=TIMEOUT)
    ok(at)
    assert at.title[0].value == "特征冗余实验室"
    assert any("未训练" in w.value for w in at.warning)


# --- the page's figures (pure functions, no browser) -----------------------------------------------------------


def test_feature_grid_places_each_map_in_its_tile_with_its_own_colour_range():
    from effviz.plots import redundancy_charts as charts

    rng = np.random.default_rng(0)
    maps = rng.normal(size=(10, 12, 12)).astype(np.float32)
    fig = charts.feature_grid(maps, [7, 2, 5], cols=2)
    step = 12 + charts.GAP
    assert len(fig.data) == 3
    for k, (c, heat) in enumerate(zip([7, 2, 5], fig.data, strict=True)):
        r, q = divmod(k, 2)
        m = maps[c]
        assert (heat.x0, heat.y0) == (q * step, r * step)
        assert np.array_equal(np.asarray(heat.z), m)
        assert (heat.zmin, heat.zmax) == (float(m.min()), float(m.max()))
        assert f"channel {c}<br>" in heat.hovertemplate
    assert [a.text for a in fig.layout.annotations] == ["7", "2", "5"]
    flat = charts.feature_grid(np.zeros((1, 4, 4), np.float32), [0])   # a dead channel: one colour, no error
    assert flat.data[0].zmin == 0.0 and flat.data[0].zmax > 0.0
    big = charts.feature_grid(rng.normal(size=(2, 112, 112)), [0, 1], cols=2)
    assert np.asarray(big.data[1].z).shape == (56, 56)   # pooled 2x for the browser
    assert big.data[1].x0 == 56 + charts.GAP
    with pytest.raises(ValueError, match="channels"):
        charts.feature_grid(maps, [])


def test_similarity_heatmap_is_reordered_and_pooled_above_the_limit():
    from effviz.plots import redundancy_charts as charts

    sim = similarity.matrix(np.random.default_rng(1).normal(size=(6, 5, 5)), "cosine")
    order = [3, 1, 5, 0, 2, 4]
    fig = charts.similarity_heatmap(sim, order, "cosine")
    assert np.allclose(np.asarray(fig.data[0].z, dtype=float), sim[np.ix_(order, order)])
    big = np.random.default_rng(2).uniform(size=(600, 600)).astype(np.float32)
    fig = charts.similarity_heatmap(big, None, "cosine")
    z = np.asarray(fig.data[0].z, dtype=float)
    f = -(-600 // charts.MAX_HEATMAP)
    assert z.shape == (600 // f, 600 // f)
    assert z[0, 1] == pytest.approx(big[:f, f:2 * f].mean(), rel=1e-5)


def test_small_multiples_keep_square_pixels_per_subplot():
    from effviz.plots import redundancy_charts as charts

    maps = np.random.default_rng(3).normal(size=(4, 8, 16))
    fig = charts.reconstruction_rows(maps, maps, [0, 0, 1, 1], [2, 3], [("a", "b", "c"), ("d", "e", "f")])
    anchors = {name: ax.scaleanchor for name, ax in
               ((k, fig.layout[k]) for k in fig.layout.to_plotly_json() if k.startswith("yaxis"))}
    assert anchors and all(anchor == fig.layout[name].anchor for name, anchor in anchors.items())


def test_reconstructions_share_the_actual_maps_colour_range_and_hover_raw_values():
    from effviz.plots import redundancy_charts as charts

    rng = np.random.default_rng(4)
    actual = rng.normal(size=(4, 8, 8)).astype(np.float32)
    approx = (actual * 1.5).astype(np.float32)     # overshoots: drawn in the end colours of the actual's range
    fig = charts.reconstruction_rows(actual, approx, [0, 0, 1, 1], [2, 3], [("a", "b", "c"), ("d", "e", "f")])
    for r, (g, src) in enumerate(((2, 1), (3, 1))):  # the intrinsic source of each ghost channel: [0, 0, 1, 1][g]
        source, rebuilt, real = fig.data[3 * r:3 * r + 3]
        act = actual[g]
        assert (source.zmin, source.zmax) == (float(actual[src].min()), float(actual[src].max()))
        assert (rebuilt.zmin, rebuilt.zmax) == (real.zmin, real.zmax) == (float(act.min()), float(act.max()))
        assert np.array_equal(np.asarray(rebuilt.z), approx[g]) and np.array_equal(np.asarray(real.z), act)
        assert all(tr.customdata is None and "%{z" in tr.hovertemplate for tr in (source, rebuilt, real))
    rows = charts.map_rows(actual, [[1, 2]], [["one", "two"]])
    assert np.array_equal(np.asarray(rows.data[1].z), actual[2]) and "channel 2<br>" in rows.data[1].hovertemplate


def test_where_a_network_exists_resnet50_weights_are_downloaded_then_used(tmp_path, monkeypatch):
    # The "network" is a file:// URL to a ResNet-50-shaped state dict written here; the hub cache is tmp_path.
    import dataclasses
    import hashlib

    import torch
    from torchvision.models import resnet50

    from app_support.shell import cache
    from effviz import networks

    torch.manual_seed(0)
    sd = {k: (v.half() if v.is_floating_point() else v) for k, v in resnet50().state_dict().items()}
    raw = tmp_path / "raw.pth"
    torch.save(sd, raw)
    served = tmp_path / f"resnet50-{hashlib.sha256(raw.read_bytes()).hexdigest()[:8]}.pth"
    raw.rename(served)
    monkeypatch.delenv(weights.ENV_OFFLINE)
    monkeypatch.setattr(torch.hub, "_hub_dir", str(tmp_path / "hub"))
    entry = networks.info("resnet50")   # ResNet-50 with its weights served from a local file:// URL
    served_entry = dataclasses.replace(entry, weights=dataclasses.replace(entry.weights,
                                                                          urls=((served.as_uri(), 232),)))
    calls = []
    real = weights.download_to_cache
    monkeypatch.setattr(weights, "download_to_cache", lambda url, progress=None: calls.append(url) or real(
        url, lambda done, total: (calls.append((done, total)), progress(done, total))))
    cache.redundancy_model.clear()
    try:
        with networks.REGISTRY.swapped("resnet50", served_entry):
            at = open_page("feature_redundancy", timeout=TIMEOUT)
            ok(at)
    finally:
        cache.redundancy_model.clear()
    assert calls[0] == served.as_uri() and calls[-1] == (served.stat().st_size,) * 2   # progress reached 100 %
    assert (tmp_path / "hub" / "checkpoints" / served.name).exists()
    shown = " ".join(i.value for i in at.info)
    assert "**ResNet-50** with **ImageNet weights**" in shown and served.name in shown
    assert not any("not available offline" in w.value for w in at.warning)
    assert at.session_state["fr_layer"] == "layer1"


def test_a_layer_less_redundant_when_trained_says_so_and_why():
    """Issue 21, item 9: at EfficientNet-Lite0's features.stage4 the trained maps are less alike than untrained
    ones (mean nearest-neighbour similarity 0.476), and the page said nothing."""
    layer = "features.stage4"
    trained = expected_fmap("efficientnet_lite0", "imagenet", "cat", layer)
    untrained = expected_fmap("efficientnet_lite0", "untrained", "cat", layer)
    t_nn = float(np.mean(similarity.nearest(similarity.matrix(trained, "cosine"))[1]))
    u_nn = float(np.mean(similarity.nearest(similarity.matrix(untrained, "cosine"))[1]))
    assert t_nn < u_nn
    at = open_page("feature_redundancy", {"fr_net": "efficientnet_lite0", "fr_layer": layer}, timeout=TIMEOUT)
    ok(at)
    note = " ".join(i.value for i in at.info)
    assert f"{t_nn:.3f} against {u_nn:.3f}" in note and "random weights already give correlated maps" in note
    # where training made the maps more alike, nothing is said
    at = open_page("feature_redundancy", {"fr_net": "efficientnet_lite0"}, timeout=TIMEOUT)
    assert "less* redundant" not in " ".join(i.value for i in at.info)
