"""The zoo's newer networks, built by timm: registered with cited published figures, counted within those figures'
rounding, identical to timm's own model in parameters (RepVGG-A0 in its deployed, folded form), and on the
accuracy-versus-MACs map."""
from __future__ import annotations

import pytest
import torch

import effviz
from effviz import networks

timm = pytest.importorskip("timm")
from timm.utils.model import reparameterize_model  # noqa: E402

NEW = {"fasternet_t0": "fasternet_t0", "mobilenetv4_conv_small": "mobilenetv4_conv_small",
       "ghostnetv2_100": "ghostnetv2_100", "repvgg_a0": "repvgg_a0"}


@pytest.mark.parametrize("name", list(NEW))
def test_params_equal_timms_model(name):
    with torch.device("meta"):
        ours = networks.build(name)
        theirs = timm.create_model(NEW[name], pretrained=False)
        if name == "repvgg_a0":
            theirs = reparameterize_model(theirs)
    count = sum(p.numel() for p in ours.parameters())
    assert count == sum(p.numel() for p in theirs.parameters())
    assert networks.info(name).origin == "timm"
    pub = networks.info(name).published()
    assert pub.top1 and pub.source


def test_repvgg_a0_is_the_deployed_form():
    """Folding removes the 1x1 and identity branches and their BNs: fewer params and MACs than the training form,
    both as published (8.31M deployed against 9.11M in training: mmpretrain's table)."""
    with torch.device("meta"):
        train = timm.create_model("repvgg_a0", pretrained=False)
        deploy = networks.build("repvgg_a0")
    a, b = effviz.profile(train, (3, 224, 224)), effviz.profile(deploy, (3, 224, 224))
    assert b.params < a.params and b.macs < a.macs
    assert abs(a.params - 9.11e6) <= 0.005e6 and abs(b.params - 8.31e6) <= 0.005e6
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in deploy.stages.modules())


def test_the_new_networks_are_on_the_accuracy_map():
    from effviz.networks.zoo import zoo

    entries = {e.name: e for e in zoo()}
    for name in NEW:
        assert name in entries and entries[name].origin == "timm"
