"""Any timm architecture as "timm/<name>": resolved lazily, built without weights, profiled like the zoo, and its
parameter count equal to timm's own model's (built normally, on the CPU, with its weights)."""
from __future__ import annotations

import subprocess
import sys

import pytest
import torch

import effviz
from effviz import networks
from effviz.networks import timm_models

# Efficient-CNN families first (MobileNet v1-v4, GhostNet v1-v3, EfficientNet/-Lite/-V2, MixNet, FBNet, LCNet,
# RegNet, MnasNet, ...), then classic and transformer families: one small variant each.
FAMILIES = """mobilenetv1_100 mobilenetv2_100 mobilenetv3_large_100 mobilenetv3_small_100 mobilenetv4_conv_small
ghostnet_100 ghostnetv2_100 ghostnetv3_050 repghostnet_050 efficientnet_b0 efficientnet_lite0 tf_efficientnetv2_b0
mixnet_s fbnetc_100 lcnet_050 regnetx_002 regnety_002 mnasnet_100 spnasnet_100 tinynet_a hardcorenas_a
semnasnet_050 rexnet_100 mobileone_s0 repvgg_a0 efficientvit_b0 fastvit_t8 edgenext_xx_small convnext_atto
resnet18 resnext26ts res2net50_26w_4s ese_vovnet19b_dw dla34 densenet121 inception_v3 selecsls42b gernet_s
xception41 cspresnet50 dpn48b mobilevit_xxs levit_128s vit_tiny_patch16_224 deit_tiny_patch16_224
cait_xxs24_224""".split()


def test_importing_effviz_imports_neither_torch_nor_timm():
    code = ("import sys, effviz, effviz.networks; effviz.networks.names(); "
            "print('torch' in sys.modules, 'timm' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


def test_timm_names_are_resolved_on_demand_not_registered():
    assert not any(n.startswith("timm/") for n in networks.names())
    entry = networks.info("timm/mobilenetv3_large_100")
    assert (entry.origin, entry.label, entry.input_size, dict(entry.options)) == \
        ("timm", "mobilenetv3_large_100", (3, 224, 224), {})
    assert networks.variant_id("timm/mobilenetv3_large_100") == "timm/mobilenetv3_large_100"
    assert networks.parse_variant("timm/mobilenetv3_large_100") == ("timm/mobilenetv3_large_100", {})
    assert entry.published() is None                 # no installed source for timm accuracies
    assert len(timm_models.architectures()) > 1000
    assert networks.info("timm/tf_efficientnetv2_s").input_size == (3, 300, 300)    # timm's config, not 224
    assert timm_models.fixed_input_size("timm/vit_tiny_patch16_224")
    assert not timm_models.fixed_input_size("timm/resnet18")


@pytest.mark.parametrize("name", ["timm/no_such_net", "timm/", "timm/ghostnet"])
def test_an_unknown_timm_architecture_is_a_value_error(name):
    with pytest.raises(ValueError, match="unknown timm architecture"):
        networks.info(name)


def test_search_finds_every_word():
    hits = timm_models.search("ghostnet v3")
    assert hits and all("ghostnet" in h and "v3" in h for h in hits)
    assert timm_models.search("GHOSTNET_100")[0] == "ghostnet_100"
    assert timm_models.search("zzzz-nothing") == []


def test_there_are_at_least_30_families():
    assert len(FAMILIES) >= 30
    assert set(FAMILIES) <= set(timm_models.architectures())


@pytest.mark.slow
@pytest.mark.parametrize("arch", FAMILIES)
def test_a_timm_network_profiles_on_meta_and_its_params_equal_timms_model(arch):
    import timm

    name = "timm/" + arch
    model, device = networks.build_meta(name)
    assert device == "meta"
    prof = effviz.profile(model, networks.info(name).input_size)
    real = timm.create_model(arch, pretrained=False)
    assert prof.params == sum(p.numel() for p in real.parameters())
    assert prof.macs > 0
    for parts in (prof.layers, prof.units, prof.stages):
        assert sum(p.params for p in parts) == prof.params and sum(p.macs for p in parts) == prof.macs
    assert prof.stages[-1].key == "head"


def test_build_meta_falls_back_to_the_cpu_where_initialisation_reads_a_tensor():
    """torchvision's RegNet initialises with values read out of a tensor, which the meta device refuses."""

    entry = networks.NetworkInfo("regnet_test", "RegNet", "torchvision", (3, 64, 64), {}, {}, "",
                                  lambda: __import__("torchvision").models.get_model("regnet_y_400mf"), dict)
    with networks.REGISTRY.swapped("regnet_test", entry):
        with pytest.raises(NotImplementedError, match="meta"):
            with torch.device("meta"):
                networks.build("regnet_test")
        model, device = networks.build_meta("regnet_test")
    assert device == "cpu" and next(model.parameters()).device.type == "cpu"
    assert effviz.profile(model, (3, 64, 64)).params == sum(p.numel() for p in model.parameters())


def test_a_network_over_the_time_limit_or_of_a_fixed_size_is_a_value_error():
    with pytest.raises(ValueError, match="longer than the limit"):
        timm_models.profile("timm/resnet18", time_limit=0)
    with pytest.raises(ValueError, match="takes only 224×224"):
        timm_models.profile("timm/vit_tiny_patch16_224", 160)
    prof = timm_models.profile("timm/resnet18", 160)
    assert prof.input_size == (3, 160, 160)
