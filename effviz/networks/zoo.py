"""The zoo as data: every network variant with a published ImageNet top-1, counted in effviz's convention."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from effviz.networks import Published, info, variant_id, variant_label, variants


@dataclass(frozen=True)
class ZooEntry:
    id: str                          # networks.variant_id
    name: str
    options: tuple[tuple[str, Any], ...]
    label: str
    origin: str
    input_size: tuple[int, int, int]
    params: int                      # counted
    macs: int                        # counted at input_size (the network's default), conv + linear
    published: Published
    default: bool                    # the network's default options


def zoo() -> list[ZooEntry]:
    """Each variant with a published top-1, built on the meta device and counted by torch's FLOP counter at its
    own default input size (the resolution its published figures refer to)."""
    import torch

    from effviz import networks
    from effviz.blocks.counting import count

    out = []
    for name, options in variants():
        entry = info(name)
        pub = entry.published(**options)
        if pub is None or pub.top1 is None:
            continue
        with torch.device("meta"):
            model = networks.build(name, **options)
        cost = count(model, entry.input_size)
        out.append(ZooEntry(variant_id(name, **options), name, tuple(sorted(options.items())),
                            variant_label(name, **options), entry.origin, entry.input_size, cost.params, cost.macs,
                            pub, options == dict(entry.defaults)))
    return out
