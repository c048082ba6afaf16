"""Measured costs from torch's own FLOP counter: the check on every analytic formula.

torch.utils.flop_counter counts a multiply-add as 2 FLOPs (for convolutions and matrix products only);
we report MACs = FLOPs / 2 so that measured and analytic numbers share one convention (see effviz.cost)."""
from __future__ import annotations

import threading

from effviz.cost import Cost

# torch's FlopCounterMode names modules with a ModTracker, which installs *process-global* module hooks that
# register gradient hooks on the outputs of every module any thread runs meanwhile. That breaks autograd in other
# threads (a batched autograd.grad fails: "leaf node was passed to _will_engine_execute_node"), as measured with
# 20 concurrent app sessions. Everything in effviz that counts with FlopCounterMode or takes gradients holds this
# lock, so one server process can serve many sessions.
GLOBAL_HOOKS_LOCK = threading.RLock()


def input_for(module, input_size, batch: int = 1):
    """A zero input of (batch, *input_size) on the module's device and dtype; ValueError for a bad input_size."""
    import torch

    if len(input_size) != 3 or any(not isinstance(v, int) or v < 1 for v in input_size):
        raise ValueError(f"input_size must be (channels, height, width) of positive ints, got {input_size!r}")
    param = next(module.parameters(), None)
    device = param.device if param is not None else torch.device("cpu")
    dtype = param.dtype if param is not None and param.is_floating_point() else torch.float32
    return torch.zeros((batch, *input_size), device=device, dtype=dtype)


def counted_forward(module, x):
    """One forward pass of x under torch's FlopCounterMode, without autograd and in eval mode (BatchNorm in
    training mode refuses 1x1 maps of batch 1; eval changes no count); the module's mode is restored.
    Returns the counter (get_total_flops(), get_flop_counts() by module)."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with GLOBAL_HOOKS_LOCK:
        # The counter's module tracker hooks every tensor argument that requires grad, and fails on a parameter
        # passed as an argument under no_grad (timm's CaiT hands its class token to its blocks): parameters stop
        # requiring grad while counting (under the lock that every gradient user holds) and are restored after.
        frozen = [p for p in module.parameters() if p.requires_grad]
        was_training = module.training
        module.eval()
        try:
            for p in frozen:
                p.requires_grad_(False)
            with torch.no_grad(), counter:
                module(x)
        finally:
            for p in frozen:
                p.requires_grad_(True)
            module.train(was_training)
    return counter


def count(module, input_size) -> Cost:
    """Params from the module's parameters; MACs from torch's FlopCounterMode on one forward pass of a
    batch-1 input. Build the module under `torch.device("meta")` to count without allocating weights.

    parts: the cost of each top-level child module, by name."""
    counter = counted_forward(module, input_for(module, input_size))
    by_module = counter.get_flop_counts()
    prefix = type(module).__name__  # torch names modules "<RootClass>.<child>.<grandchild>"
    parts = {}
    for name, child in module.named_children():
        flops = sum(by_module.get(f"{prefix}.{name}", {}).values())
        parts[name] = Cost(params=sum(p.numel() for p in child.parameters()), macs=flops // 2)
    return Cost(
        params=sum(p.numel() for p in module.parameters()),
        macs=counter.get_total_flops() // 2,
        parts=parts,
    )
