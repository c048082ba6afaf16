"""A re-parameterised block or network timed in both its forms: the training form and the folded (deployed) one,
measured one after the other in the same call, so that the two timings share the machine's state (was
effviz.blocks.reparam's; measuring is this package's subject).

    train, deployed = reparam_timing.measure_block_forms(reparam.RepSpec(...), (64, 56, 56), threads=1)
    train, deployed = reparam_timing.measure_network_forms("repvgg_a0", threads=1)   # a timm architecture"""
from __future__ import annotations

from effviz.blocks import reparam
from effviz.speed import latency


def measure_network_forms(arch: str, input_size=(3, 224, 224), **measure_kw):
    """(latency of the training form, latency of the deployed form), measured one after the other in the same
    call (effviz.speed.latency.measure; random weights: speed does not depend on their values)."""
    train, deploy = reparam.network_forms(arch, meta=False)
    return latency.measure(train, input_size, **measure_kw), latency.measure(deploy, input_size, **measure_kw)


def measure_block_forms(spec: reparam.RepSpec, input_size: tuple[int, int, int], seed: int = 0, **measure_kw):
    """(latency of the training form, latency of the folded form) of one block, measured one after the other in
    the same call (effviz.speed.latency.measure)."""
    block = spec.build(seed)
    folded = reparam.fold(block).module
    return latency.measure(block, input_size, **measure_kw), latency.measure(folded, input_size, **measure_kw)
