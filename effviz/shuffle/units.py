"""ShuffleNet units at the papers' stage-2 widths (the units the Channel Shuffle page draws): the widths from the
papers' tables, and the v1 and v2 units built at those widths for a stride. Pure: no torch, no Streamlit."""
from __future__ import annotations

from effviz import blocks

V1_STAGE2 = {1: 144, 2: 200, 3: 240, 4: 272, 8: 384}       # ShuffleNet v1 1x, Table 1 (Zhang et al. 2018)
V2_STAGE2 = {0.5: 48, 1.0: 116, 1.5: 176, 2.0: 244}        # ShuffleNet v2, Table 5 (Ma et al. 2018)


def units(v1_groups: int, v2_width: float, stride: int) -> tuple[blocks.BlockSpec, blocks.BlockSpec]:
    """(v1 unit, v2 unit) of stage 2: stride 1 keeps the width, stride 2 (a stage's first unit) doubles it."""
    c1, c2 = V1_STAGE2[v1_groups], V2_STAGE2[v2_width]
    if stride == 1:
        return (blocks.make("shuffle_v1", c_in=c1, c_out=c1, groups=v1_groups),
                blocks.make("shuffle_v2", c_in=c2, c_out=c2))
    return (blocks.make("shuffle_v1", c_in=c1, c_out=2 * c1, groups=v1_groups, stride=2),
            blocks.make("shuffle_v2", c_in=c2, c_out=2 * c2, stride=2))


def spec_key(spec: blocks.BlockSpec) -> tuple:
    """What a unit's figure is drawn from: the key of its cached figure."""
    return (spec.family, tuple(sorted(spec.params_dict().items())))
