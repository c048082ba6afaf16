"""Feature maps of an ONNX file via onnxruntime equal the torch model's own (effviz.redundancy.features), layer by
layer, with
the trained EfficientNet-Lite0 exported to ONNX; the same layer list, the same default layer, the same top-5."""
from __future__ import annotations

import numpy as np
import pytest

from effviz.networks.onnxfile import onnx_features
from effviz.redundancy import features, images
from tests import onnx_exports
from tests.test_onnx_bad_files import good

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lite0(request):
    model, info, path = onnx_exports.trained_lite0(onnx_exports.folder(request))
    net, onnx_info = onnx_features.load(path.read_bytes(), "lite0.onnx")
    return model, info, net, onnx_info


def test_the_layers_and_the_default_layer_are_the_torch_models(lite0):
    model, _, net, _ = lite0
    assert features.layers(net) == features.layers(model)
    # torch's feature extraction merges a block's name with its last activation's (one graph node); the rest
    # have the same shapes, and the default layer is the same
    torch_shapes = features.shapes_of(model, features.layers(model))
    onnx_shapes = {s.name: s for s in features.shapes_of(net, features.layers(net))}
    assert all(onnx_shapes[s.name] == s for s in torch_shapes)
    assert features.pick_default(list(onnx_shapes.values())) == features.default_layer(model)


@pytest.mark.parametrize("layer", ["features.stem", "features.stage2.0.expand", "features.stage4", "features.head"])
def test_feature_maps_equal_the_torch_models(lite0, layer):
    model, info, net, onnx_info = lite0
    img = images.load_sample(images.sample_names()[0])
    a = features.extract(model, img, layer, info=info).numpy()
    # the same preprocessing (Lite0's own mean and std; for a file effviz assumes ImageNet's): the same maps
    b = features.extract(features.extractor(net, layer), img, layer, info=info).numpy()
    assert a.shape == b.shape
    np.testing.assert_allclose(b, a, rtol=1e-3, atol=1e-4 * float(np.abs(a).max()))


def test_predictions_are_the_same(lite0):
    model, info, net, onnx_info = lite0
    img = images.load_sample(images.sample_names()[0])
    assert [i for i, _ in features.predict(net, img, info)] == [i for i, _ in features.predict(model, img, info)]
    assert onnx_info.network == "onnx" and onnx_info.trained and onnx_info.key.startswith("onnx-")


def test_a_graph_without_module_paths_offers_its_nodes_and_a_classifier_test():
    net = onnx_features.OnnxNetwork(good(), "tiny")
    assert net.layers() == ["Conv_0", "Relu_1"]              # (1, 8, 16, 16) maps; pooled and flat ones are not
    maps = net.maps(np.zeros((1, 3, 16, 16), dtype=np.float32))
    assert maps["Conv_0"].shape == (8, 16, 16)
    assert features.predict(net, images.load_sample(images.sample_names()[0])) == []   # 10 outputs: not ImageNet
    with pytest.raises(ValueError, match="not a map"):
        net.maps(np.zeros((1, 3, 16, 16), dtype=np.float32), ["nope"])
    with pytest.raises(ValueError, match="expected a 1×3×16×16"):
        net.run(np.zeros((1, 3, 8, 8), dtype=np.float32))


def test_a_file_that_is_not_an_image_model_is_refused():
    from onnx import helper

    from tests.onnx_graphs import data, model

    seq = data(model([helper.make_node("Relu", ["x"], ["y"])], {"x": (1, 7, 5)}))
    with pytest.raises(ValueError, match="RGB image input"):
        onnx_features.OnnxNetwork(seq)
