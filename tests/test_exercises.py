"""effviz.exercises: every answer re-derived here from the engine (block costs, the closed-form ratios of
effviz.blocks.theory, the step-by-step shuffle, torch-measured connectivity, profiles), determinism across processes,
options and tolerances that do not give the answer away, and reading typed answers."""
from __future__ import annotations

import ast
import collections
import functools
import hashlib
import itertools
import math
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from effviz import blocks, exercises, networks, shuffle
from effviz.blocks import comparison, theory
from effviz.exercises import ladder_options, real_layers
from tests.test_robustness_urls import url_keys

ROOT = Path(__file__).resolve().parents[1]
SEEDS = range(40)


def every(difficulty: str, seeds=SEEDS, n: int = 14):
    return [q for seed in seeds for q in exercises.generate(seed, n, difficulty)]


ALL = {d: every(d) for d in exercises.DIFFICULTIES}


def of_kind(kind: str):
    return [q for d in exercises.DIFFICULTIES for q in ALL[d] if q.kind == kind]


def spec_of(block: dict):
    return blocks.make(block["family"], **block["spec"])


def engine_cost(family: str, spec: dict, h: int, metric: str) -> int:
    cost = blocks.make(family, **spec).cost(h, h)
    return cost.params if metric == "params" else cost.macs


# --- the registry and the sets ----------------------------------------------------------------------------------


def test_kinds_and_their_sizes():
    assert exercises.kinds() == ["block_cost", "ratio_to_standard", "cost_change", "which_cheaper",
                                 "shuffle_position", "groups_seen", "network_compare", "redundancy_compare",
                                 "newer_blocks", "peak_memory"]
    for d in exercises.DIFFICULTIES:
        for kind in exercises.kinds(d):
            assert exercises.count(kind, d) >= 50, (kind, d)
    # harder levels ask about more: every easy example of a kind is also asked at standard or hard
    assert exercises.count("block_cost", "hard") > exercises.count("block_cost", "easy")


def test_registry_refuses_a_duplicate_kind():
    kind = exercises.KINDS["block_cost"]
    with pytest.raises(ValueError, match="already registered"):
        exercises.register("block_cost", candidates=kind.candidates, build=kind.build)


@pytest.mark.parametrize("args, message", [
    ((-1, 5, "easy"), "seed"), ((1.5, 5, "easy"), "seed"), ((True, 5, "easy"), "seed"),
    ((1, 0, "easy"), "n must"), ((1, 51, "easy"), "n must"), ((1, 5, "expert"), "difficulty"),
])
def test_bad_arguments_name_the_problem(args, message):
    with pytest.raises(ValueError, match=message):
        exercises.generate(*args)


def test_a_set_mixes_the_kinds_and_never_repeats_a_question():
    for d in exercises.DIFFICULTIES:
        for seed in range(10):
            qs = exercises.generate(seed, 14, d)
            assert len(qs) == 14
            assert set(q.kind for q in qs) == set(exercises.kinds(d))
            keys = [repr((q.kind, dict(q.values))) for q in qs]
            assert len(set(keys)) == len(keys)


CLASSIC = {"standard", "group", "depthwise_separable", "shuffle_v1", "shuffle_v2", "ghost_module", "ghost_bottleneck",
           "mbconv"}


def test_strata_spread_the_examples():
    """block_cost at hard asks about every one of the eight classic families within a few sets, not mostly group
    convs (which have the most examples). (The newer families have no real-network layer tables in effviz; the
    newer_blocks kind asks about them.)"""
    # sets of this kind alone: the sample does not shrink each time another kind joins the rotation
    families = collections.Counter(q.values["family"] for seed in SEEDS
                                   for q in exercises.generate(seed, 10, "hard", kinds=["block_cost"]))
    assert set(families) == CLASSIC == set(blocks.names()) - {"partial_conv", "uib", "ghost_v2"}
    assert max(families.values()) < 4 * min(families.values()), families


def digest(seed: int) -> str:
    text = repr([exercises.generate(seed, 12, d) for d in exercises.DIFFICULTIES])
    return hashlib.sha256(text.encode()).hexdigest()


def test_same_seed_same_set_across_processes():
    code = ("import sys; from tests.test_exercises import digest; "
            "print(digest(7), digest(123456789)); assert 'torch' not in sys.modules, 'torch was imported'")
    outputs = set()
    for hash_seed in ("0", "1", "random"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0, out.stderr
        outputs.add(out.stdout.strip())
    assert outputs == {f"{digest(7)} {digest(123456789)}"}
    assert digest(7) != digest(8)


def test_generating_never_imports_torch():
    code = ("import sys; from effviz import exercises\n"
            "for d in exercises.DIFFICULTIES:\n"
            "    for s in range(5): exercises.generate(s, 20, d)\n"
            "assert 'torch' not in sys.modules, 'torch was imported'")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, exercises.MAX_SEED), n=st.integers(1, 20), difficulty=st.sampled_from(("easy",
       "standard", "hard")))
def test_any_seed_gives_a_valid_set(seed, n, difficulty):
    qs = exercises.generate(seed, n, difficulty)
    assert len(qs) == n and qs == exercises.generate(seed, n, difficulty)
    for q in qs:
        assert q.difficulty == difficulty and q.link is not None
        assert set(q.link.query) <= set(url_keys(q.link.page)), q.link
        if not q.resolved:
            assert q.needs and q.kind in ("network_compare", "redundancy_compare", "peak_memory")
        elif q.answer_type == exercises.NUMBER:
            assert math.isfinite(q.answer) and q.answer >= 0 and not q.options
        else:
            assert 0 <= q.answer < len(q.options)
        for w in q.worked:
            assert eval(w.formula.expression, {}) == w.formula.total  # noqa: S307 - our own arithmetic


# --- every answer, re-derived ----------------------------------------------------------------------------------


def test_block_cost_answers():
    qs = of_kind("block_cost")
    assert {q.values["family"] for q in qs} == CLASSIC
    for q in qs:
        v = q.values
        assert q.answer == engine_cost(v["family"], v["spec"], v["h"], v["metric"])
        assert q.worked[0].formula.total == q.answer


def test_block_shapes_are_the_networks_own():
    """A question's block is the very block of the network it names (its own table), at the input size the
    network gives it; the input sizes are checked against torch in test_block_input_sizes_match_torch."""
    checked = 0
    for q in of_kind("block_cost") + of_kind("ratio_to_standard"):
        v = q.values
        name, options = v["source"].split(":")[0], dict(networks.parse_variant(v["source"])[1]) \
            if not v["source"].startswith("shufflenet_v2") else {}
        if v["role"] != "block" or name == "shufflenet_v2":
            continue
        stage, table_spec = __import__(f"effviz.networks.{name}", fromlist=["x"]).block_specs(**options)[v["index"] - 1]
        ours = blocks.make(v["family"], **v["spec"])
        assert ours.cost(v["h"], v["h"]) == table_spec.cost(v["h"], v["h"])
        checked += 1
    assert checked > 50


@pytest.mark.parametrize("name", sorted(real_layers.STEM_STRIDES))
def test_block_input_sizes_match_torch(name):
    import torch

    import effviz

    with torch.device("meta"):
        model = networks.build(name)
    prof = effviz.profile(model, networks.info(name).input_size)
    sizes = [u.in_shape[1] for u in prof.units if u.stage not in ("head",) and u.name.count(".") == 2]
    walked = [h for _, _, h in real_layers.walk(name)]
    assert len(sizes) == len(walked) >= 13 and sizes == walked, (sizes, walked)


def test_shufflenet_v2_table_is_torchvisions():
    from torchvision.models import shufflenetv2

    for width, stages in real_layers.SHUFFLENET_V2.items():
        name = f"shufflenet_v2_x{str(width).replace('.', '_')}"
        model = getattr(shufflenetv2, name)()
        assert tuple(model._stage_out_channels[1:4]) == stages
        assert model._stage_out_channels[0] == real_layers.SHUFFLENET_V2_STEM
        counted = sum(p.numel() for s in (model.stage2, model.stage3, model.stage4) for p in s.parameters())
        ours = sum(spec.cost(8, 8).params for _, spec, _ in real_layers.walk("shufflenet_v2", width=width))
        assert counted == ours


def test_ratio_answers():
    qs = of_kind("ratio_to_standard")
    for q in qs:
        v = q.values
        spec = blocks.make(v["family"], **v["spec"])
        base = comparison.standard_equivalent(spec)
        ours, theirs = (engine_cost(s.family, s.params_dict(), v["h"], v["metric"]) for s in (spec, base))
        assert q.answer == pytest.approx(theirs / ours, rel=1e-12)
        if v["family"] == "group" and v["metric"] == "macs":
            assert q.answer == pytest.approx(v["spec"]["groups"])
        if v["family"] == "depthwise_separable" and v["metric"] == "macs":
            assert q.answer == pytest.approx(1 / theory.depthwise_separable_ratio(spec.c_out, spec.kernel))


def test_cost_change_answers():
    qs = of_kind("cost_change")
    assert {q.values["change"] for q in qs} == {"groups", "resolution", "width", "kernel"}
    for q in qs:
        v = q.values
        before_spec, h = dict(v["spec"]), v["h"]
        after_spec, h_after = dict(before_spec), h
        if v["what"] == "h":
            h_after = v["new"]
        elif v["what"] == "width":
            _, old = networks.mobilenet_v1.block_specs(width=v["old"])[v["index"] - 1]
            _, new = networks.mobilenet_v1.block_specs(width=v["new"])[v["index"] - 1]
            assert old.cost(h, h) == blocks.make(v["family"], **before_spec).cost(h, h)
            before_spec, after_spec = old.params_dict(), new.params_dict()
            # the same layer sees the same input size at any width
        else:
            assert before_spec[v["what"]] == v["old"]
            after_spec[v["what"]] = v["new"]
        factor = Fraction(engine_cost(v["family"], after_spec, h_after, v["metric"]),
                          engine_cost(v["family"], before_spec, h, v["metric"]))
        if q.answer_type == exercises.OPTION:
            assert Fraction(q.options[q.answer]) == factor
        else:
            assert q.answer == pytest.approx(float(factor), rel=1e-12)
        if v["what"] == "groups" and v["family"] == "group" and v["metric"] == "macs":
            assert factor == Fraction(1, 2)
        if v["what"] == "h" and v["metric"] == "params":
            assert factor == 1
        if v["what"] == "kernel":
            assert factor == Fraction(25 + before_spec["c_out"], 9 + before_spec["c_out"])


def test_which_cheaper_answers():
    # with sets of this kind alone, so that the sample does not shrink each time another kind joins the rotation
    qs = of_kind("which_cheaper") + [q for d in exercises.DIFFICULTIES for seed in range(10)
                                     for q in exercises.generate(seed, 10, d, kinds=["which_cheaper"])]
    assert {q.values["case"] for q in qs} == {"mnas", "ghost_ratio", "v1_vs_v2", "mbconv_vs_ghost"}
    equal = 0
    for q in qs:
        v = q.values
        if v["case"] == "mnas":
            five, three = (v["first"], v["second"]) if v["first"]["spec"]["kernel"] == 5 else (v["second"],
                                                                                                v["first"])
            m, n, h = five["spec"]["c_in"], five["spec"]["c_out"], five["h"]
            costs = {id(five): theory.mnas_5x5_cost(h, h, m, n), id(three): theory.mnas_two_3x3_cost(h, h, m, n)}
            a, b = costs[id(v["first"])], costs[id(v["second"])]
        else:
            a, b = (spec_of(x).cost(x["h"], x["h"]).macs for x in (v["first"], v["second"]))
        expected = "equal" if a == b else ("first" if a < b else "second")
        assert q.options[q.answer] == expected
        equal += expected == "equal"
        assert (q.figures["first"], q.figures["second"]) == (a, b)
    assert equal, "MnasNet's crossover (N = 7, equal cost) never asked"


def test_ghost_ratio_four_is_not_always_cheaper():
    answers = {q.options[q.answer] == ("first" if q.values["first"]["spec"]["ratio"] == 4 else "second")
               for q in of_kind("which_cheaper") if q.values["case"] == "ghost_ratio"}
    cases = [c for c in exercises.KINDS["which_cheaper"].candidates("standard") if c[0] == "ghost_ratio"]
    narrow = [c for c in cases if c[1]["spec"]["c_in"] < 9]  # c k^2 < d^2: s = 4 costs more
    assert narrow and True in answers


def test_shuffle_position_answers():
    qs = of_kind("shuffle_position")
    for q in qs:
        v = q.values
        flat = shuffle.stages(v["channels"], v["groups"])[-1].order()  # reshape/transpose/flatten, step by step
        if v["direction"] == "to":
            assert q.answer == flat[v["position"]]
        else:
            assert flat[int(q.answer)] == v["position"]
        assert q.worked[0].formula.total == q.answer


def test_shuffle_position_agrees_with_the_tensor_op():
    import torch

    for q in of_kind("shuffle_position")[:100]:
        v = q.values
        x = torch.arange(v["channels"]).reshape(1, -1)
        out = shuffle.channel_shuffle(x, v["groups"])[0].tolist()
        assert (out[v["position"]] if v["direction"] == "to" else out.index(v["position"])) == q.answer


def test_groups_seen_answers_measured_on_torch_modules():
    from effviz.shuffle import connectivity

    qs = of_kind("groups_seen")
    stacks = {}
    for q in qs:
        v = q.values
        key = (v["channels"], v["groups"], v["layers"], v["shuffle"])
        if key not in stacks and len(stacks) >= 24:
            continue
        if key not in stacks:
            model = connectivity.group_stack(*key)
            stacks[key] = connectivity.measure(model, v["channels"], groups=v["groups"])
        assert stacks[key].verdict(v["output"]).count == q.answer, (key, v["output"])
        if not v["shuffle"]:
            assert q.answer == 1
    assert any(k[3] for k in stacks) and any(k[2] == 3 for k in stacks)


def test_network_compare_answers_from_profiles():
    import torch

    import effviz

    qs = [q for q in of_kind("network_compare")][:30]
    assert {q.values["case"] for q in of_kind("network_compare")} == {"more", "faster"}
    profiles = {}
    for q in qs:
        assert not q.resolved and q.needs
        measured = {}
        for need in q.needs:
            if need.what == "profile":
                if need.subject not in profiles:
                    name, options = networks.parse_variant(need.subject)
                    with torch.device("meta"):
                        model = networks.build(name, **options)
                    prof = effviz.profile(model, networks.info(name).input_size)
                    profiles[need.subject] = (prof.params, prof.macs)
                measured[need] = profiles[need.subject]
            else:
                measured[need] = 0.01 if need.subject == q.options[1] else 0.02  # the second is faster
        answered = exercises.resolve(q, measured)
        if q.values["case"] == "faster":
            assert answered.answer == 1
            continue
        i = 0 if q.values["metric"] == "params" else 1
        values = [profiles[o][i] for o in q.options]
        assert answered.answer == values.index(max(values))
        with pytest.raises(KeyError, match="missing measurements"):
            exercises.resolve(q, {})


def test_measure_counts_like_the_profile():
    import torch

    import effviz

    params, macs = exercises.measure(exercises.Need("profile", "ghostnet:width=1.0"))
    with torch.device("meta"):
        prof = effviz.profile(networks.build("ghostnet"), (3, 224, 224))
    assert (params, macs) == (prof.params, prof.macs)
    published = networks.info("ghostnet").published(width=1.0)  # the paper: 5.2M params, 141M MACs
    assert abs(params - published.params) <= published.tolerance("params", 0.0)
    assert abs(macs - published.macs) <= published.tolerance("macs", 0.0)


@functools.cache
def lite0_redundancy() -> dict[str, tuple[float, float, int]]:
    """Every asked Lite0 layer's (share of near-copies, mean nearest-neighbour similarity, maps) on the sample
    photo, from the Feature Redundancy page's own path: features.extract, similarity.matrix, similarity.nearest
    (one forward pass for all the layers), not from effviz.redundancy.atlas or the generator."""
    import numpy as np

    from effviz.exercises import redundancy_compare as rc
    from effviz.redundancy import features, images, similarity, weights

    model, info = weights.load(rc.NETWORK, rc.WEIGHTS, download=False, fallback=False)
    assert info.network == "efficientnet_lite0" and info.weights == "imagenet"
    layers = sorted({n for bands in rc.BANDS.values() for band in bands for n in band})
    ex = features.extractor(model, layers)
    photo = images.load_sample(rc.IMAGE)
    out = {}
    for layer in layers:
        fmap = features.extract(ex, photo, layer, info=info)
        _, nn = similarity.nearest(similarity.matrix(fmap, "cosine"))
        out[layer] = (float(np.mean(nn >= rc.NEAR_COPY)), float(np.mean(nn)), fmap.shape[0])
    return out


def test_redundancy_bands_are_lite0_convs_and_clearly_apart():
    """The bands only choose which layers to ask about; here they are re-measured: every name is a convolution
    of Lite0, and neighbouring bands are at least MARGIN apart (so no rounding near 0.9 can flip an answer)."""
    from torch import nn

    from effviz import networks
    from effviz.exercises import redundancy_compare as rc
    from effviz.redundancy import atlas

    assert rc.NEAR_COPY == atlas.NEAR_COPY
    convs = {n for n, m in networks.build("efficientnet_lite0").named_modules() if isinstance(m, nn.Conv2d)}
    measured = lite0_redundancy()
    for metric, column in (("near_copies", 0), ("nn_mean", 1)):
        bands = rc.BANDS[metric]
        assert len(bands) >= 2 and all(bands)
        assert {n for band in bands for n in band} <= convs
        for low, high in itertools.pairwise(bands):
            top = max(measured[n][column] for n in low)
            bottom = min(measured[n][column] for n in high)
            assert bottom - top >= rc.MARGIN[metric], (metric, top, bottom)


def test_redundancy_answers_from_the_feature_maps():
    measured = lite0_redundancy()
    qs = of_kind("redundancy_compare")
    assert {q.difficulty for q in qs} == set(exercises.DIFFICULTIES)
    assert {q.unit for q in qs if q.difficulty == "hard"} == {"nn_mean"}
    assert {q.unit for q in qs if q.difficulty != "hard"} == {"near_copies"}
    positions = collections.Counter()
    for q in qs:
        assert not q.resolved and len(q.options) == 2 and q.options == (q.values["first"], q.values["second"])
        answered = exercises.resolve(q, {n: measured[n.subject] for n in q.needs})
        column = 0 if q.unit == "near_copies" else 1
        values = [measured[o][column] for o in q.options]
        assert answered.answer == values.index(max(values))
        assert abs(values[0] - values[1]) >= 0.05
        assert answered.figures["channels"] == tuple(measured[o][2] for o in q.options)
        positions[answered.answer] += 1
        assert q.link.page == "feature_redundancy" and q.link.query["fr_layer"] == q.options[0]
        assert q.link.query["fr_net"] == "efficientnet_lite0" and q.link.query["fr_weights"] == "imagenet"
    assert min(positions.values()) > 0.3 * len(qs), positions   # the right layer is not always A


def test_measure_redundancy_agrees_with_the_single_layer_path():
    """exercises.measure (effviz.redundancy.atlas.conv_redundancy: one traced pass over every conv) gives the
    numbers the Feature Redundancy page's single-layer path gives: shares within one map, similarities to 1e-4."""
    measured = lite0_redundancy()
    for layer, (share, nn_mean, c) in measured.items():
        got = exercises.measure(exercises.Need("redundancy", layer))
        assert got[2] == c
        assert abs(got[0] - share) <= 1 / c + 1e-9 and abs(got[1] - nn_mean) < 1e-4, (layer, got, measured[layer])
    with pytest.raises(ValueError, match="not a convolution"):
        exercises.measure(exercises.Need("redundancy", "features.nowhere"))


def test_an_unresolved_question_cannot_be_checked():
    q = next(q for q in ALL["standard"] if not q.resolved)
    with pytest.raises(ValueError, match="resolve first"):
        exercises.check(q, 0)


# --- options and tolerances do not give the answer away --------------------------------------------------------


@pytest.mark.parametrize("kind", ["cost_change", "which_cheaper"])
def test_the_right_option_moves(kind):
    positions = collections.Counter(q.answer for q in of_kind(kind) if q.answer_type == exercises.OPTION)
    assert len(positions) >= 2, positions
    assert max(positions.values()) < 0.75 * sum(positions.values()), positions


def test_ladder_puts_the_answer_anywhere():
    import random

    rng = random.Random(0)
    ladder = [Fraction(2) ** e for e in range(-3, 4)]
    positions = collections.Counter(ladder_options(rng, Fraction(1), ladder).index(Fraction(1)) for _ in range(400))
    assert set(positions) == {0, 1, 2, 3}
    assert min(positions.values()) > 50
    edge = {ladder_options(rng, ladder[0], ladder).index(ladder[0]) for _ in range(20)}
    assert edge == {0}  # the smallest rung can only be first; its window is fixed


def test_tolerances_are_fixed_per_kind_and_level_not_per_answer():
    by = collections.defaultdict(set)
    for d in exercises.DIFFICULTIES:
        for q in ALL[d]:
            by[(q.kind, d, q.answer_type)].add(q.tolerance)
    assert all(len(t) == 1 for t in by.values()), by
    assert {t for ts in by.values() for t in ts} <= {0.0, 0.01, 0.02, 0.05}


def test_options_are_codes_or_values_not_the_answer_alone():
    for q in of_kind("which_cheaper"):
        assert q.options == ("first", "second", "equal")
    for q in of_kind("cost_change"):
        if q.answer_type == exercises.OPTION:
            assert list(q.options) == sorted(q.options) and len(q.options) == 4


# --- reading answers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [
    ("1234", 1234), (" 1,234 ", 1234), ("1_234", 1234), ("1 234", 1234), ("1.5M", 1.5e6), ("2k", 2000),
    ("3.2G", 3.2e9), ("4x", 4), ("0.25×", 0.25), ("1e6", 1e6), ("+7", 7), ("１２", 12), ("1，234", 1234),
])
def test_parse_number(text, value):
    assert exercises.parse_number(text).value == pytest.approx(value)


@pytest.mark.parametrize("text, problem", [
    ("", "empty"), ("   ", "empty"), (None, "empty"), ("abc", "not_a_number"), ("1.2.3", "not_a_number"),
    ("nan", "not_finite"), ("-inf", "not_finite"), ("Infinity", "not_finite"), ("1e400", "too_large"),
    ("9" * 400, "too_large"), ("1e16", "too_large"), ("12 apples", "not_a_number"), ("<script>", "not_a_number"),
])
def test_parse_refuses_with_a_code(text, problem):
    assert exercises.parse_number(text).problem == problem


def test_check_number_within_tolerance():
    q = next(q for q in ALL["standard"] if q.kind == "block_cost")
    a = q.answer
    assert exercises.check(q, str(a)).status == "right"
    assert exercises.check(q, f"{a * 1.019:.6f}").status == "right"
    assert exercises.check(q, f"{a * 1.03:.6f}").status == "wrong"
    assert exercises.check(q, f"{a * 1.03:.6f}").off == pytest.approx(0.03, rel=1e-4)
    assert exercises.check(q, float("nan")).status == "not_finite"
    assert exercises.check(q, "lots").status == "not_a_number"
    exact = next(q for q in ALL["standard"] if q.kind == "shuffle_position")
    assert exercises.check(exact, str(exact.answer + 1)).status == "wrong"
    assert exercises.check(exact, str(exact.answer)).status == "right"


def test_check_option():
    q = next(q for q in ALL["standard"] if q.kind == "which_cheaper")
    assert exercises.check(q, q.answer).status == "right"
    assert exercises.check(q, (q.answer + 1) % len(q.options)).status == "wrong"
    assert exercises.check(q, None).status == "empty"
    for bad in (-1, 5, True, "0"):
        assert exercises.check(q, bad).status == "not_an_option"


# --- links -----------------------------------------------------------------------------------------------------


def test_playground_fields_are_the_pages():
    tree = ast.parse((ROOT / "app_support" / "playground" / "block.py").read_text())  # the Playground's block
    fields = next(ast.literal_eval(n.value) for n in ast.walk(tree)
                  if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "SHAPE_FIELDS")
    assert tuple(fields) == real_layers.PLAYGROUND_FIELDS


def test_playground_links_build_the_block_asked_about():
    for d in exercises.DIFFICULTIES:
        for q in ALL[d]:
            if q.link.page != "playground" or q.kind != "block_cost":
                continue
            query = dict(q.link.query)
            family, h = query.pop("family"), int(query.pop("h"))
            assert int(query.pop("w")) == h == q.values["h"]
            fields = blocks.field_names(family)
            typed = {k: type(getattr(blocks.make(family), k))(float(v) if "." in v else
                                                              (v == "1" if v in ("0", "1") and k in
                                                               ("bias", "norm", "mid_relu", "first_grouped")
                                                               else int(v) if v.lstrip("-").isdigit() else v))
                     for k, v in query.items() if k in fields}
            assert engine_cost(family, typed, h, q.values["metric"]) == q.answer


def test_newer_blocks_answers_from_torch_modules():
    """PConv: full conv's MACs / PConv's, both counted by torch on real modules; RepVGG: the folded module's
    parameter count (effviz.blocks.reparam.fold on a real training-form block)."""
    import torch

    import effviz
    from effviz.blocks import reparam

    qs = of_kind("newer_blocks")
    assert {q.values["case"] for q in qs} == {"pconv", "rep"}
    for q in qs[:40]:
        v = q.values
        if v["case"] == "pconv":
            c, k, h = v["c"], v["k"], v["h"]
            pconv = torch.nn.Conv2d(v["cp"], v["cp"], k, padding=k // 2, bias=False)
            full = torch.nn.Conv2d(c, c, k, padding=k // 2, bias=False)
            ratio = effviz.count(full, (c, h, h)).macs / effviz.count(pconv, (v["cp"], h, h)).macs
            assert q.answer == ratio == v["n"] ** 2
        else:
            spec = reparam.RepSpec(c_in=v["c"], c_out=v["c"], kernel=v["k"], stride=v["stride"],
                                   groups=v["c"] if v["dw"] else 1)
            block = spec.build()
            assert v["train"] == sum(p.numel() for p in block.parameters())
            assert q.answer == sum(p.numel() for p in reparam.fold(block).module.parameters())
        for w in q.worked:
            assert eval(w.formula.expression, {}) == w.formula.total  # noqa: S307 - our own arithmetic


# --- peak memory: liveness over the traced graph -----------------------------------------------------------------


def peak_of(network: str, size: int):
    """effviz.speed.peak_memory of the zoo network, built here on the meta device (no weights needed)."""
    import effviz

    model, _ = networks.build_meta(network)
    return effviz.speed.peak_memory(model, (3, size, size))


def test_peak_memory_questions_wait_for_the_liveness_analysis():
    from effviz.exercises import peak_memory

    qs = of_kind("peak_memory")
    assert {q.difficulty for q in qs} == set(exercises.DIFFICULTIES)
    assert len({(q.values["network"], q.values["size"]) for q in qs}) >= 20   # the sets draw widely
    for q in qs:
        assert q.answer_type == exercises.NUMBER and q.answer is None and q.unit == "mib" and not q.options
        assert q.needs == (exercises.Need("peak_memory", f"{q.values['network']}@{q.values['size']}"),)
        assert q.values["network"] in networks.names() and q.values["size"] in peak_memory.SIZES
    # the same seed asks the same questions; generating them imported no torch (test_generating_never_imports_torch)
    again = [q for d in exercises.DIFFICULTIES for q in every(d) if q.kind == "peak_memory"]
    assert again == qs
    assert exercises.generate(5, 20, "hard", kinds=["peak_memory"]) == \
        exercises.generate(5, 20, "hard", kinds=["peak_memory"])


def test_peak_memory_answers_are_what_peak_memory_predicts():
    """The answer is effviz.speed.peak_memory's peak in MiB, recomputed here; the reveal's timeline adds up."""
    asked = sorted({(q.values["network"], q.values["size"], q.difficulty): q for q in of_kind("peak_memory")}.items())
    for (network, size, _), q in asked[::4][:8]:
        pm = peak_of(network, size)
        answered = exercises.resolve(q, {need: exercises.measure(need) for need in q.needs})
        f = answered.figures
        assert answered.answer == pm.peak_bytes / 2**20 and f["peak_bytes"] == pm.peak_bytes
        assert f["peak_step"] == pm.peak_step and f["peak_index"] == pm.peak_index + 1 and f["steps"] == len(pm.steps)
        assert f["allocated"] + f["kept"] == pm.peak_bytes
        assert sum(b for _, b, _ in f["alive"]) == pm.peak_bytes
        assert max(live for *_, live, _ in f["around"]) == pm.peak_bytes
        assert exercises.check(answered, f"{answered.answer:.3f}").status == "right"
        assert exercises.check(answered, str(answered.answer * (1 + 2 * q.tolerance))).status == "wrong"
        assert exercises.check(answered, str(answered.answer * (1 - q.tolerance / 2))).status == "right"


def test_peak_memory_sizes_move_the_peak():
    """Where the question's size changes, the answer changes: the peak scales with the map (H W), so the sizes
    are different questions, not one question four times."""
    peaks = [peak_of("mobilenet_v2", s).peak_bytes for s in (160, 192, 224, 256)]
    assert peaks == sorted(peaks) and len(set(peaks)) == 4
    assert peaks[2] * 160 ** 2 == peaks[0] * 224 ** 2   # MobileNetV2's peak tensors are all H/2 x W/2 maps


def test_measure_peak_memory_names_a_bad_subject():
    for bad in ("mobilenet_v2", "nowhere@224", "mobilenet_v2@big", "mobilenet_v2@4096"):
        with pytest.raises(ValueError, match="not '<network>@<size>'"):
            exercises.measure(exercises.Need("peak_memory", bad))


@pytest.mark.slow
def test_every_peak_memory_question_can_be_answered():
    """Every network at every size the kind asks traces and has a peak; the zoo networks left out cannot be
    traced on the meta device (so no question would wait for an answer that never comes)."""
    from effviz.exercises import peak_memory

    for network, size in peak_memory.candidates("hard"):
        assert peak_of(network, size).peak_bytes > 0, (network, size)
    for network in set(networks.names()) - set(peak_memory.NETWORKS):
        with pytest.raises(Exception):  # noqa: B017,PT011 - whatever the tracer raises
            peak_of(network, 224)
