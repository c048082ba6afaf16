"""Real layer shapes for the questions, read from the networks' own tables (effviz.networks.<name>.block_specs),
with the input size each block sees in the network at its default resolution.

Only examples that the Conv Playground can show as they are (its URL ranges: PRESET_LIMITS) are kept, so that
every question's link opens the very block it asks about. Hidden widths given as `c_mid` (GhostNet) become an
expansion factor where that factor is one the playground offers."""
from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from effviz import blocks, networks
from effviz.blocks import comparison
from effviz.blocks.spec import BlockSpec, out_size

# The fields of a block the Conv Playground takes from its URL (its SHAPE_FIELDS; a test compares them).
PLAYGROUND_FIELDS = ("c_in", "c_out", "kernel", "stride", "groups", "ratio", "dw_kernel", "expansion", "se_ratio",
                     "activation", "bias", "norm", "mid_relu", "first_grouped", "n_div", "dw_start", "dw_mid")
# The ranges its URL accepts (a test opens the links and checks that no value was replaced).
PRESET_LIMITS = {"channels": 1024, "size": 512, "kernel": (1, 3, 5, 7, 9, 11), "dw_kernel": (1, 3, 5, 7),
                 "ratio": blocks.spec_class("ghost_module").ranges["ratio"][1], "expansion": (1.0, 8.0, 0.5),
                 "se_ratio": (0.0, 0.0625, 0.125, 0.25, 0.5)}

# Strides before the first block: the stem conv (and ShuffleNet v1's 3x3 max pool). Checked against the
# profiled networks' unit input shapes in the tests.
STEM_STRIDES = {"mobilenet_v1": (2,), "shufflenet_v1": (2, 2), "ghostnet": (2,), "efficientnet_lite0": (2,)}

# ShuffleNet v2 (Ma et al. 2018, Table 5): output channels of stages 2-4 per width; 4, 8, 4 units; 24-channel stem
# with a stride-2 conv and max pool. torchvision builds it (no table in effviz.networks): a test compares.
SHUFFLENET_V2 = {0.5: (48, 96, 192), 1.0: (116, 232, 464), 1.5: (176, 352, 704), 2.0: (244, 488, 976)}
SHUFFLENET_V2_REPEATS = (4, 8, 4)
SHUFFLENET_V2_STEM = 24


@dataclass(frozen=True)
class Example:
    """One block at the input size it sees in a real network. `source` is the network variant id, `index` the
    block's 1-based position there, `role` "block" or the part of it this is ("dense": the standard conv of the
    block's shape; "gconv1"/"gconv2": a unit's 1x1 group convs; "ghost1"/"ghost2": a bottleneck's Ghost modules)."""

    source: str
    index: int
    role: str
    family: str
    params: tuple[tuple[str, Any], ...]
    h: int

    def spec(self) -> BlockSpec:
        return blocks.make(self.family, **dict(self.params))


def preset_params(spec: BlockSpec) -> dict[str, Any] | None:
    """The spec as the playground's fields, or None where the playground cannot show it."""
    raw = spec.params_dict()
    params = {k: v for k, v in raw.items() if k in PLAYGROUND_FIELDS}
    mid = raw.get("c_mid", 0)
    if mid:
        expansion = Fraction(mid, spec.c_in)
        low, high, step = PRESET_LIMITS["expansion"]
        if not (low <= expansion <= high and (expansion / Fraction(step)).denominator == 1):
            return None
        params["expansion"] = float(expansion)
    if max(spec.c_in, spec.c_out) > PRESET_LIMITS["channels"]:
        return None
    if "kernel" in params and params["kernel"] not in PRESET_LIMITS["kernel"]:
        return None
    if "dw_kernel" in params and params["dw_kernel"] not in PRESET_LIMITS["dw_kernel"]:
        return None
    if params.get("ratio", 1) > PRESET_LIMITS["ratio"]:
        return None
    if "se_ratio" in params:
        if params["se_ratio"] not in PRESET_LIMITS["se_ratio"]:
            return None
        params["se_ratio"] = float(params["se_ratio"])
    if "expansion" in params:
        params["expansion"] = float(params["expansion"])
    same = blocks.make(spec.family, **params)
    if same.cost(8, 8) != spec.cost(8, 8):  # the conversion must not change the block
        return None
    return params


def _variant_specs(name: str, options: dict[str, Any]) -> list[tuple[str, BlockSpec]]:
    if name == "shufflenet_v2":
        return _shufflenet_v2_specs(options["width"])
    return importlib.import_module(f"effviz.networks.{name}").block_specs(**options)


def _shufflenet_v2_specs(width: float) -> list[tuple[str, BlockSpec]]:
    specs, c_in = [], SHUFFLENET_V2_STEM
    for i, (c_out, repeats) in enumerate(zip(SHUFFLENET_V2[width], SHUFFLENET_V2_REPEATS, strict=True), start=2):
        for j in range(repeats):
            specs.append((f"stage{i}", blocks.make("shuffle_v2", c_in=c_in, c_out=c_out, stride=2 if j == 0 else 1)))
            c_in = c_out
    return specs


def _input_size(name: str) -> int:
    if name == "shufflenet_v2":
        return 224
    return networks.info(name).input_size[1]


def _first_block_size(name: str) -> int:
    h = _input_size(name)
    for s in STEM_STRIDES.get(name, (2, 2)):  # ShuffleNet v2: stride-2 conv and max pool, as v1
        h = out_size(h, s)
    return h


def walk(name: str, **options: Any) -> list[tuple[str, BlockSpec, int]]:
    """(stage, spec, input size) of every block of a network variant, in order."""
    h, rows = _first_block_size(name), []
    for stage, spec in _variant_specs(name, options):
        rows.append((stage, spec, h))
        h = spec.output_shape(h, h)[1]
    return rows


def _variants() -> list[tuple[str, dict[str, Any]]]:
    out = [(name, options) for name in STEM_STRIDES for options in networks.info(name).variants()]
    return out + [("shufflenet_v2", {"width": w}) for w in SHUFFLENET_V2]


@functools.cache
def examples() -> tuple[Example, ...]:
    """Every distinct (family, parameters, input size) of the real networks' blocks, their parts and their dense
    counterparts, that the playground can show; the first network that has it is named as its source."""
    seen, out = set(), []
    for name, options in _variants():
        source = f"{name}:width={options['width']}" if name == "shufflenet_v2" else networks.variant_id(name, **options)
        for index, (_, spec, h) in enumerate(walk(name, **options), start=1):
            dense = comparison.standard_equivalent(spec)
            for role, sub, size in [("block", spec, h), ("dense", dense, h), *spec.sub_blocks(h)]:
                params = preset_params(sub)
                if params is None or size > PRESET_LIMITS["size"]:
                    continue
                key = (sub.family, tuple(sorted(params.items())), size)
                if key in seen:
                    continue
                seen.add(key)
                out.append(Example(source, index, role, sub.family, key[1], size))
    return tuple(out)


def of_family(*families: str) -> tuple[Example, ...]:
    return tuple(e for e in examples() if e.family in families)
