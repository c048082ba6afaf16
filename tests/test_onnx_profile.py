"""effviz.profile_onnx: every zoo network exported by torch.onnx.export profiles exactly like the module itself.

Without graph optimisation (BatchNorm kept, the exporter's shape arithmetic left in) the whole Profile is equal:
every layer row (name, kind, class, unit, stage, output shape, params, MACs, kernel, groups), every unit, every
stage, the peak activation. With the exporter's default optimisation (BatchNorm folded into the convolutions)
the MACs are equal layer by layer and the params differ by exactly what folding changed."""
from __future__ import annotations

import dataclasses

import pytest

import effviz
from effviz import networks
from effviz.networks.onnxfile.reading import read
from tests import onnx_exports

pytestmark = pytest.mark.slow
# The networks effviz and torchvision build. The zoo's timm-built entries (FasterNet-T0, MobileNetV4-Conv-S,
# GhostNetV2, RepVGG-A0) are not in this exactness set yet: their exports list layers in another order than the
# modules register them (FasterNet's partial conv comes out after its MLP), which this test compares row by row.
NAMES = [name for name in networks.names() if networks.info(name).origin != "timm"]


@pytest.fixture(scope="module")
def cache(request):
    return onnx_exports.folder(request)


@pytest.fixture(scope="module")
def exported(cache):
    """name -> (model, torch profile, unoptimised path, optimised path); each network exported once."""
    out = {}

    def get(name):
        if name not in out:
            model, plain, folded = onnx_exports.dynamo(name, cache)
            size = (3, onnx_exports.RESOLUTION, onnx_exports.RESOLUTION)
            out[name] = (model, effviz.profile(model, size), plain, folded)
        return out[name]

    return get


@pytest.mark.parametrize("name", NAMES)
def test_an_unoptimised_export_profiles_exactly_like_the_module(exported, name):
    model, expected, plain, _ = exported(name)
    prof = effviz.profile_onnx(plain)
    assert prof.onnx is not None and prof.onnx.module_paths
    assert prof.onnx.not_counted == () and prof.onnx.folded_bn == 0
    assert (prof.params, prof.macs) == (expected.params, expected.macs)
    for got, want in zip(prof.layers, expected.layers, strict=True):
        assert got == want
    assert prof.units == expected.units
    assert prof.stages == expected.stages
    assert dataclasses.replace(prof, onnx=None) == expected   # every field, the peak activation included


def _folding_change(plain) -> tuple[int, int, int]:
    """(BatchNorm affine params, output channels of bias-free convolutions that feed a BatchNorm, such pairs),
    read from the unoptimised graph: what folding removes and adds."""
    graph = read(plain)
    producer = {o: n for n in graph.nodes for o in n.outputs}
    removed = added = pairs = 0
    for node in graph.nodes:
        if node.op_type != "BatchNormalization":
            continue
        channels = graph.constants[node.inputs[1]][0][0]
        removed += 2 * channels                         # scale and shift
        conv = producer.get(node.inputs[0])
        if conv is not None and conv.op_type == "Conv":
            pairs += 1
            if len(conv.inputs) < 3 or not conv.inputs[2] or conv.inputs[2] not in graph.constants:
                added += channels                           # the bias folding gives it
    return removed, added, pairs


@pytest.mark.parametrize("name", NAMES)
def test_a_default_export_folds_batchnorm_and_only_the_params_change_by_that(exported, name):
    model, expected, plain, folded = exported(name)
    prof = effviz.profile_onnx(folded)
    removed, added, pairs = _folding_change(plain)
    assert pairs > 0
    assert prof.macs == expected.macs
    assert {r.name: r.macs for r in prof.layers if r.macs} == {r.name: r.macs for r in expected.layers if r.macs}
    assert prof.params == expected.params - removed + added
    assert not any(r.kind == "norm" for r in prof.layers)
    assert (prof.onnx.folded_bn, prof.onnx.folded_evidence) == (pairs, "rewriter")
    assert prof.onnx.not_counted == ()


def test_the_torchscript_exporter_counts_the_same(cache):
    """The older exporter (dynamo=False) names nodes by module path instead of recording it; totals and every
    row's name, params and MACs are the same, and its constant-folded export is recognised as folded."""
    model, plain, folded = onnx_exports.torchscript("mobilenet_v2", cache)
    expected = effviz.profile(model, (3, onnx_exports.RESOLUTION, onnx_exports.RESOLUTION))
    prof = effviz.profile_onnx(plain)
    assert (prof.params, prof.macs) == (expected.params, expected.macs)
    assert [(r.name, r.kind, r.shape, r.params, r.macs) for r in prof.layers] == \
        [(r.name, r.kind, r.shape, r.params, r.macs) for r in expected.layers]
    assert prof.onnx.folded_bn == 0
    removed, added, pairs = _folding_change(plain)
    fprof = effviz.profile_onnx(folded)
    assert fprof.macs == expected.macs and fprof.params == expected.params - removed + added
    assert {r.name: r.macs for r in fprof.layers if r.macs} == {r.name: r.macs for r in expected.layers if r.macs}
    assert (fprof.onnx.folded_bn, fprof.onnx.folded_evidence) == (pairs, "names")


def test_bytes_and_file_objects_read_like_paths(exported):
    _, expected, plain, _ = exported("mobilenet_v1")
    data = plain.read_bytes()
    with open(plain, "rb") as f:
        from_file = effviz.profile_onnx(f)
    assert effviz.profile_onnx(data) == from_file == effviz.profile_onnx(str(plain))


def test_a_fixed_input_size_must_match_and_the_report_says_what_was_read(exported):
    _, _, plain, _ = exported("mobilenet_v1")
    prof = effviz.profile_onnx(plain, (3, 64, 64))
    assert prof.onnx.input_shape == (1, 3, 64, 64) and prof.onnx.defaulted == () and prof.onnx.batch == 1
    assert prof.onnx.producer == "pytorch" and dict(prof.onnx.opsets)[""] >= 18
    assert dict(prof.onnx.op_counts)["Conv"] == 27
    with pytest.raises(ValueError, match="does not fit"):
        effviz.profile_onnx(plain, (3, 224, 224))


class _Tokens:
    """A module with parameters of its own at the root (a ViT's position embedding)."""

    @staticmethod
    def build():
        import torch
        from torch import nn

        class Tokens(nn.Module):
            def __init__(self):
                super().__init__()
                self.embed = nn.Conv2d(3, 8, 4, stride=4)
                self.pos = nn.Parameter(torch.rand(1, 8, 4, 4))
                self.head = nn.Linear(8, 5)

            def forward(self, x):
                return self.head((self.embed(x) + self.pos).mean((2, 3)))

        return Tokens()


class _Branches:
    """A block calling its ModuleList's members and doing a matrix product of its own (timm's GhostModuleV3)."""

    @staticmethod
    def build():
        import torch
        from torch import nn

        class Branches(nn.Module):
            def __init__(self):
                super().__init__()
                self.convs = nn.ModuleList([nn.Conv2d(4, 4, 3, padding=1) for _ in range(3)])
                self.mix = nn.Parameter(torch.rand(4, 4))

            def forward(self, x):
                y = sum(conv(x) for conv in self.convs)
                return torch.einsum("bchw,cd->bdhw", y, self.mix)

        return nn.Sequential(nn.Conv2d(3, 4, 1), Branches(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))


@pytest.mark.parametrize("case", [_Tokens, _Branches], ids=["root-parameters", "module-list-branches"])
def test_hand_built_modules_export_exactly(case, tmp_path):
    import warnings

    import torch

    model = case.build().eval()
    size = (3, 16, 16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(model, (torch.zeros(1, *size),), dynamo=True, optimize=False, verbose=False)
    program.save(str(tmp_path / "m.onnx"), external_data=False)
    expected = effviz.profile(model, size)
    assert dataclasses.replace(effviz.profile_onnx(tmp_path / "m.onnx"), onnx=None) == expected
    assert sum(u.params for u in expected.units) == expected.params
