"""Structural re-parameterisation: train with parallel branches, deploy one convolution (RepVGG, Ding et al.
2021, arXiv 2101.03697, Sec. 3.3 and Fig. 4; the same folding in MobileOne, RepGhost and GhostNetV3).

The training form of a RepVGG block sums three branches, each ending in BatchNorm: a k x k conv, a 1 x 1 conv,
and (when the shapes allow) the identity; a ReLU follows the sum. In eval mode every branch is linear, so it is
one k x k conv with a bias:

  * BN folded into its conv: W' = W * gamma / sqrt(var + eps), b' = beta - mean * gamma / sqrt(var + eps);
  * the 1 x 1 kernel padded with zeros to k x k (its weight at the centre);
  * the identity written as a k x k kernel: 1 at the centre of channel i's own input, 0 elsewhere (then its BN
    folded the same way);
  * the three kernels and biases added.

    block = reparam.RepSpec(c_in=32, c_out=32).build()     # the training form (nn.Module), random weights
    f = reparam.fold(block)          # the per-branch k x k kernels and biases, their sum, the deployed module
    c = reparam.compare(block, (32, 28, 28))   # both forms on one random input, in eval mode:
    c.max_abs, c.max_rel, c.train.params, c.deploy.params

For whole networks, `network_forms(arch)` builds a timm architecture in its training form and folded by timm's
own `reparameterize_model` (RepVGG-A0, MobileOne-S0, RepGhostNet 1.0x: NETWORKS).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from effviz.blocks.graph import Builder, Graph
from effviz.blocks.spec import check_choice, check_divides, check_int, check_odd_kernel, out_size
from effviz.cost import Cost

NETWORKS = ("repvgg_a0", "mobileone_s0", "repghostnet_100")  # timm architectures with reparameterize()


@dataclass(frozen=True)
class RepSpec:
    """A RepVGG block: k x k conv + BN, 1 x 1 conv + BN, identity BN when c_in == c_out at stride 1; sum; ReLU.
    groups > 1 makes every conv grouped (groups == channels: MobileOne's depthwise branches)."""

    c_in: int = 32
    c_out: int = 32
    kernel: int = 3
    stride: int = 1
    groups: int = 1

    def __post_init__(self) -> None:
        check_int("c_in", self.c_in, 1, 1024)
        check_int("c_out", self.c_out, 1, 1024)
        check_odd_kernel("kernel", self.kernel)
        if self.kernel < 3:
            check_int("kernel", self.kernel, 3, 15)
        check_choice("stride", self.stride, (1, 2))
        check_int("groups", self.groups, 1, 1024)
        check_divides("groups", self.groups, c_in=self.c_in, c_out=self.c_out)

    @property
    def identity(self) -> bool:
        """Whether the identity branch exists (the output has the input's shape)."""
        return self.c_in == self.c_out and self.stride == 1

    def train_graph(self, h: int, w: int) -> Graph:
        """The training form as a graph (effviz.blocks.graph): the diagram, params and MACs come from it."""
        b = Builder("reparam_train", self.c_in, h, w)
        x = b.input
        b.parts("dense", "pointwise", "identity")
        y = b.conv_bn_act(x, "dense", self.c_out, self.kernel, self.stride, self.groups)
        y = b.add(y, b.conv_bn_act(x, "pointwise", self.c_out, 1, self.stride, self.groups), "sum")
        if self.identity:
            y = b.add(y, b.norm(x, "identity"), "sum2")
        return b.output(b.act(y, "relu", "relu"))

    def deploy_graph(self, h: int, w: int) -> Graph:
        """The folded form: one k x k conv with a bias, then ReLU."""
        b = Builder("reparam_deploy", self.c_in, h, w)
        y = b.conv_bn_act(b.input, "folded", self.c_out, self.kernel, self.stride, self.groups, bias=True,
                          norm=False, act="relu")
        return b.output(y)

    def output_shape(self, h: int, w: int) -> tuple[int, int, int]:
        return (self.c_out, out_size(h, self.stride), out_size(w, self.stride))

    def build(self, seed: int = 0):
        """The training form as a torch module (effviz.blocks.layers.rep_layers.RepBlock), with random weights and
        BN statistics (so that folding has something to fold: fresh BNs are the identity)."""
        from effviz.blocks.layers.rep_layers import RepBlock

        return RepBlock(self, seed)


def _torch():
    import torch

    return torch


@dataclass(frozen=True)
class Branch:
    """One branch as the k x k kernel and bias it contributes after folding: `name` dense / pointwise /
    identity; `raw` the kernel before its BN is folded in (the 1 x 1 already padded, the identity as 0/1);
    `scale` gamma / sqrt(var + eps) per output channel; kernel = raw * scale, bias = beta - mean * scale."""

    name: str
    raw: Any        # torch.Tensor [c_out, c_in / g, k, k]
    scale: Any      # [c_out]
    kernel: Any     # [c_out, c_in / g, k, k]
    bias: Any       # [c_out]


@dataclass(frozen=True)
class Folding:
    branches: tuple[Branch, ...]
    kernel: Any     # the sum of the branches' kernels
    bias: Any
    module: Any     # the deployed nn.Module: k x k conv with bias -> ReLU


def _fold_bn(raw, bn):
    torch = _torch()
    std = torch.sqrt(bn.running_var + bn.eps)
    scale = bn.weight / std
    return scale, raw * scale.reshape(-1, 1, 1, 1), bn.bias - bn.running_mean * scale


def fold(block) -> Folding:
    """The training-form block folded into one k x k conv, branch by branch (see the module docstring)."""
    torch = _torch()
    from torch import nn

    spec: RepSpec = block.spec
    k, g = spec.kernel, spec.groups
    branches = []
    with torch.no_grad():
        raw = block.dense[0].weight.detach().clone()
        branches.append(Branch("dense", raw, *_fold_bn(raw, block.dense[1])))
        pad = k // 2
        raw = nn.functional.pad(block.pointwise[0].weight.detach(), (pad, pad, pad, pad))
        branches.append(Branch("pointwise", raw, *_fold_bn(raw, block.pointwise[1])))
        if block.identity is not None:
            per_group = spec.c_in // g
            raw = torch.zeros(spec.c_out, per_group, k, k)
            for i in range(spec.c_out):
                raw[i, i % per_group, pad, pad] = 1.0
            branches.append(Branch("identity", raw, *_fold_bn(raw, block.identity)))
        kernel = sum(b.kernel for b in branches)
        bias = sum(b.bias for b in branches)
        conv = nn.Conv2d(spec.c_in, spec.c_out, k, spec.stride, k // 2, groups=g, bias=True)
        conv.weight.copy_(kernel)
        conv.bias.copy_(bias)
    module = nn.Sequential(conv, nn.ReLU()).eval()
    return Folding(tuple(branches), kernel, bias, module)


@dataclass(frozen=True)
class Comparison:
    """The training form against its folding on one random input (eval mode)."""

    folding: Folding
    max_abs: float          # max |y_train - y_deploy|
    max_rel: float          # max_abs / max |y_train|
    train: Cost             # params and MACs of the training form (its graph; BN affine counted)
    deploy: Cost            # of the folded conv


def compare(block, input_size: tuple[int, int, int], seed: int = 0, batch: int = 1) -> Comparison:
    """Fold `block` (a RepSpec's training-form module) and run both forms on the same random input of
    `input_size` (C, H, W) in eval mode; the block's own mode is restored afterwards."""
    torch = _torch()

    spec: RepSpec = block.spec
    c, h, w = input_size
    if c != spec.c_in:
        raise ValueError(f"input_size channels must equal the block's c_in={spec.c_in}, got {c}")
    check_int("h", h, 1, 1024)
    check_int("w", w, 1, 1024)
    folding = fold(block)
    was_training = block.training
    block.eval()
    try:
        x = torch.randn(batch, c, h, w, generator=torch.Generator().manual_seed(seed))
        with torch.no_grad():
            a, b = block(x), folding.module(x)
    finally:
        block.train(was_training)
    max_abs = float((a - b).abs().max())
    peak = float(a.abs().max())
    return Comparison(folding, max_abs, max_abs / peak if peak else max_abs,
                      spec.train_graph(h, w).cost(), spec.deploy_graph(h, w).cost())


def network_forms(arch: str, meta: bool = True):
    """(training form, deployed form) of a timm architecture with re-parameterisable blocks (NETWORKS): the
    deployed one is timm's `reparameterize_model` of a copy. On the meta device by default (no weights)."""
    check_choice("arch", arch, NETWORKS)
    torch = _torch()
    import timm
    from timm.utils.model import reparameterize_model

    if meta:
        with torch.device("meta"):
            train = timm.create_model(arch, pretrained=False)
            deploy = reparameterize_model(timm.create_model(arch, pretrained=False))
        return train, deploy
    torch.manual_seed(0)
    train = timm.create_model(arch, pretrained=False).eval()
    return train, reparameterize_model(train, inplace=False)


def network_costs(arch: str, input_size=(3, 224, 224)) -> tuple[Cost, Cost]:
    """Params and MACs (torch's FLOP counter) of the training and the deployed form."""
    from effviz.blocks.counting import count

    train, deploy = network_forms(arch)
    a, b = count(train, input_size), count(deploy, input_size)
    return Cost(a.params, a.macs), Cost(b.params, b.macs)
