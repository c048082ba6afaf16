"""effviz.redundancy.features: feature maps at any node equal a hand-run forward pass; the shared model is never
mutated."""
from __future__ import annotations

import pytest
import torch
from torch import nn

from effviz.redundancy import features, images, weights


@pytest.fixture(scope="module")
def resnet():
    model, info = weights.load("resnet50", "untrained")
    return model, info


@pytest.fixture(scope="module")
def cat():
    return images.load_sample("cat")


def manual_stem(model, x):
    """ResNet-50's stem and first stage by hand, from the module definitions."""
    with torch.inference_mode():
        conv1 = model.conv1(x)
        relu = model.relu(model.bn1(conv1))
        maxpool = model.maxpool(relu)
        layer1 = model.layer1(maxpool)
    return {"conv1": conv1, "relu": relu, "maxpool": maxpool, "layer1": layer1}


def test_layer1_is_256x56x56_and_equals_a_manual_forward(resnet, cat):
    model, info = resnet
    x = features.to_input(cat, info)
    expected = manual_stem(model, x)
    ex = features.extractor(model, ["conv1", "relu", "maxpool", "layer1"])
    out = ex(x)
    for name, ref in expected.items():
        assert torch.allclose(out[name], ref, atol=1e-5), name
    fmap = features.extract(model, cat, "layer1", info=info)
    assert tuple(fmap.shape) == (256, 56, 56) and fmap.dtype == torch.float32
    assert torch.allclose(fmap, expected["layer1"][0], atol=1e-5)


def test_any_graph_node_works(resnet):
    model, _ = resnet
    x = torch.randn(1, 3, 64, 64)
    node = "layer1.0.conv2"
    assert node in features.nodes(model)
    with torch.inference_mode():
        ref = model.layer1[0].conv2(model.layer1[0].relu(model.layer1[0].bn1(model.layer1[0].conv1(
            model.maxpool(model.relu(model.bn1(model.conv1(x))))))))
    assert torch.allclose(features.extract(model, x[0], node), ref[0], atol=1e-5)


def test_layer_list_and_shapes(resnet):
    model, _ = resnet
    names = features.layers(model)
    assert names[:5] == ["conv1", "bn1", "relu", "maxpool", "layer1"]
    assert "fc" not in names and "avgpool" not in names and "layer4" in names
    shapes = {s.name: s.shape for s in features.shapes_of(model, ["conv1", "maxpool", "layer1", "layer4"])}
    # expected from the architecture: stride-2 stem conv, stride-2 pool, expansion 4 bottlenecks
    assert shapes == {"conv1": (64, 112, 112), "maxpool": (64, 56, 56), "layer1": (64 * 4, 56, 56),
                      "layer4": (512 * 4, 7, 7)}
    assert features.default_layer("resnet50") == "layer1" == features.default_layer(model)


def test_unknown_layer_is_a_value_error_naming_it(resnet, cat):
    model, _ = resnet
    with pytest.raises(ValueError, match=r"layer: 'layer9' not found.*layer1"):
        features.extract(model, cat, "layer9")
    ex = features.extractor(model, "layer1")
    with pytest.raises(ValueError, match="layer2"):
        features.extract(ex, cat, "layer2")


def test_bad_images(resnet):
    model, _ = resnet
    with pytest.raises(ValueError, match="image"):
        features.extract(model, "cat.jpg", "conv1")
    with pytest.raises(ValueError, match=r"\[3, H, W\]"):
        features.extract(model, torch.zeros(1, 64, 64), "conv1")


class Recorder(nn.Sequential):
    """Records train()/eval() calls made on *this* instance (a deep copy records into its own list)."""

    def __init__(self, *mods):
        super().__init__(*mods)
        self.calls = []

    def train(self, mode=True):
        self.calls.append(mode)
        return super().train(mode)


def test_the_shared_model_is_never_mutated():
    torch.manual_seed(0)
    model = Recorder(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU())
    model.eval()
    model.calls.clear()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    ex = features.extractor(model, "1")
    features.extract(ex, torch.randn(3, 16, 16), "1")
    assert model.calls == []                              # torchvision's tracer toggled only the copy
    assert not model.training
    for m in model.modules():
        assert not m._forward_hooks and not m._forward_pre_hooks
    after = model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)   # BN running stats untouched
    # and the extractor shares the weight tensors (no copy of the weights was made)
    assert ex.graph.get_submodule("0").weight.data_ptr() == model[0].weight.data_ptr()


def test_predict_returns_probabilities(resnet, cat):
    model, info = resnet
    top = features.predict(model, cat, info, k=5)
    assert len(top) == 5 and all(0 <= i < 1000 for i, _ in top)
    probs = [p for _, p in top]
    assert probs == sorted(probs, reverse=True) and 0 < sum(probs) <= 1 + 1e-6
    with pytest.raises(ValueError, match="k"):
        features.predict(model, cat, info, k=0)


def test_pick_default_is_the_widest_quarter_resolution_layer():
    shapes = [features.LayerShape("a", 64, 112, 112), features.LayerShape("b", 24, 56, 56),
              features.LayerShape("c", 144, 56, 56), features.LayerShape("d", 144, 56, 56),
              features.LayerShape("e", 512, 28, 28)]
    assert features.pick_default(shapes) == "c"
    assert features.pick_default(shapes[:1]) == "a"
    with pytest.raises(ValueError, match="shapes"):
        features.pick_default([])


def test_efficientnet_lite0_layers_trace_through_tf_same_padding():
    # Conv2dTFSame computes its padding from the input size in Python, which FX cannot trace: it is kept as
    # one node, and the stage outputs have the shapes of the architecture table (strides 2, 2, 2, 2 of 5).
    model, info = weights.load("efficientnet_lite0", "untrained")
    names = features.layers(model)
    shapes = {s.name: s.shape for s in features.shapes_of(model, names)}
    assert shapes["features.stem"] == (32, 112, 112)
    assert shapes["features.stage2"] == (24, 56, 56)
    assert shapes["features.stage7"] == (320, 7, 7)
    assert features.default_layer(model) == "features.stage2.1.expand"
    assert shapes["features.stage2.1.expand"] == (24 * 6, 56, 56)
