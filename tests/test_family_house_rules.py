"""House rule (issue 24): a block family's derived numbers live in its own file, effviz/blocks/<family>.py.

Its closed form, its derived quantities (Ghost's m = ceil(n / s) and ghost maps, ShuffleNet's bottleneck and
branch widths, the SE width and gate, the valid range of s) and its formula text are stated there once; the torch
modules, the diagram, the exercises, the connectivity probe and the app read them (from the spec, or from the
parameters its graph's scopes carry) instead of working them out again.

The check reads the source of effviz/, app_support/ and pages/ (ast) for the known ways these numbers were
re-derived elsewhere:

  ceil_by_ratio      -(-x // ratio), math.ceil(x / ratio): Ghost's m
  ratio_recovered    x // m (m: the intrinsic maps): s worked back from a graph's conv widths
  ghost_maps         x * (ratio - 1): the cheap op's maps
  width_by_constant  c_out // 4, c_in // 2, ...: a unit's bottleneck or branch width
  branch_width       c_out - c_in if stride == 2 ...: ShuffleNet v1's concat branch
  se_width           arithmetic on se_ratio, make_divisible(..se_ratio..): the SE width
  se_gate_rule       "hard_sigmoid" if ... else "sigmoid": the SE gate
  ratio_range        a bound of s written as a number ("ratio": 8, check_int("ratio", x, 1, 16),
                     slider(.., 1, 8, key="ratio"), MAX_RATIO = 16, range(1, 9) under `field == "ratio"`)
  family_branch      `family == "ghost_module"` (or !=, in) outside the family files and the registry

Outside the family files (and the registry, which names them) every hit fails, unless ALLOWED lists it with its
reason. `PYTHONPATH=. python tests/test_family_house_rules.py ROOT` prints the hits for another checkout (on the
code before this rule it found 24 outside the allowances: formulas.py's if-chain, the layers' widths and SE gate,
anatomy's s, real_layers' and connectivity's family branches, the bounds of s, redundancy's m)."""
from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from effviz import blocks
from effviz.blocks import ghost_module

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("effviz", "app_support", "pages")
GATES = {"hard_sigmoid", "sigmoid"}

# (path, rule) -> why the hit is not a family's number computed outside its file.
ALLOWED = {
    ("effviz/exercises/which_cheaper.py", "family_branch"):
        "chooses which pairs of real layers a 'which is cheaper' question compares (the families are the "
        "question's subject); every number comes from the specs",
    ("effviz/exercises/cost_change.py", "family_branch"):
        "chooses which change a 'cost change' question asks about (doubling a group conv's groups, a 3x3 -> 5x5 "
        "depthwise-separable kernel); the costs come from the specs",
    ("effviz/exercises/which_cheaper.py", "ratio_range"):
        "the question compares s = 2 with s = 4 (a value inside the range, not a bound of it)",
    ("app_support/shell/question_text.py", "family_branch"):
        "wording only: the plain convs' sentence mentions BatchNorm and bias, the fields only they have",
    ("app_support/playground/cost_table.py", "family_branch"):
        "the standard conv is the page's baseline; it gets no 'vs standard' delta against itself",
    ("pages/playground.py", "family_branch"):
        "the standard conv is the page's baseline; its caption is not shown for the baseline itself",
    ("effviz/blocks/theory.py", "family_branch"):
        "seed_checks (the Playground's Theory tab) quotes GhostNet's eq. 4 with the block's own kernel only when "
        "the block is a Ghost module (else a 1x1 primary conv, the paper's setting); the numbers come from "
        "theory.py and the specs",
}


class Hit(NamedTuple):
    path: str
    line: int
    rule: str
    code: str


def family_names() -> tuple[str, ...]:
    return tuple(blocks.names())


def own_files(families) -> set[str]:
    """The family files (and the registry, which names every family)."""
    return ({f"effviz/blocks/{f}.py" for f in families}
            | {"effviz/blocks/reparam.py", "effviz/blocks/_registry.py", "effviz/blocks/__init__.py"})


def _names(node: ast.AST) -> set[str]:
    """Every identifier and attribute name in an expression."""
    out = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            out.add(n.attr)
    return out


def _mentions(node: ast.AST, *words: str) -> bool:
    return any(any(w in name for w in words) for name in _names(node))


def _int(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool)


def _str(node: ast.AST, values=None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and (values is None or node.value in values)


def _family_literal(node: ast.AST, families) -> bool:
    if _str(node, families):
        return True
    return isinstance(node, (ast.Tuple, ast.List, ast.Set)) and any(_str(e, families) for e in node.elts)


def _is_family_expr(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id in ("family", "fam")) or \
        (isinstance(node, ast.Attribute) and node.attr == "family")


def _rules(tree: ast.AST, families) -> list[tuple[ast.AST, str]]:
    hits: list[tuple[ast.AST, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp):
            left, right, op = node.left, node.right, node.op
            if isinstance(op, ast.FloorDiv) and isinstance(left, ast.UnaryOp) and isinstance(left.op, ast.USub) \
                    and _mentions(right, "ratio"):
                hits.append((node, "ceil_by_ratio"))
            if isinstance(op, ast.FloorDiv) and (
                    (isinstance(right, ast.Name) and right.id == "m") or _mentions(right, "intrinsic")):
                hits.append((node, "ratio_recovered"))
            if isinstance(op, ast.Mult) and any(
                    isinstance(side, ast.BinOp) and isinstance(side.op, ast.Sub) and _mentions(side.left, "ratio")
                    and not _mentions(side.left, "se_ratio") and _int(side.right) for side in (left, right)):
                hits.append((node, "ghost_maps"))
            if isinstance(op, ast.FloorDiv) and _int(right) and _mentions(left, "c_out", "c_in"):
                hits.append((node, "width_by_constant"))
            if isinstance(op, (ast.Mult, ast.Div, ast.FloorDiv)) and _mentions(node, "se_ratio"):
                hits.append((node, "se_width"))
        elif isinstance(node, ast.IfExp):
            if _str(node.body, GATES) and _str(node.orelse, GATES):
                hits.append((node, "se_gate_rule"))
            if isinstance(node.body, ast.BinOp) and isinstance(node.body.op, ast.Sub) and \
                    _mentions(node.body, "c_out") and _mentions(node.body, "c_in") and _mentions(node.test, "stride"):
                hits.append((node, "branch_width"))
        elif isinstance(node, ast.Call):
            func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if func == "ceil" and node.args and isinstance(node.args[0], ast.BinOp) \
                    and isinstance(node.args[0].op, ast.Div) and _mentions(node.args[0].right, "ratio"):
                hits.append((node, "ceil_by_ratio"))
            if func == "make_divisible" and _mentions(node, "se_ratio"):
                hits.append((node, "se_width"))
            ratio_named = any(_str(a, {"ratio"}) for a in node.args) or any(
                k.arg == "key" and _str(k.value, {"ratio"}) for k in node.keywords)
            if ratio_named and sum(_int(a) for a in node.args) >= 2:
                hits.append((node, "ratio_range"))
        elif isinstance(node, ast.Dict):
            pairs = zip(node.keys, node.values, strict=True)
            if any(k is not None and _str(k, {"ratio"}) and _int(v) for k, v in pairs):
                hits.append((node, "ratio_range"))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and "RATIO" in target.id and "SE" not in target.id \
                        and _int(node.value):
                    hits.append((node, "ratio_range"))
        elif isinstance(node, ast.If):
            test = node.test
            if isinstance(test, ast.Compare) and any(_str(c, {"ratio"}) for c in test.comparators):
                for inner in node.body:
                    for n in ast.walk(inner):
                        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "range" \
                                and n.args and all(_int(a) for a in n.args):
                            hits.append((n, "ratio_range"))
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_family_expr(s) for s in sides) and any(_family_literal(s, families) for s in sides):
                hits.append((node, "family_branch"))
    return hits


def scan_source(source: str, path: str = "<source>", families=None) -> list[Hit]:
    families = family_names() if families is None else families
    tree = ast.parse(source)
    lines = source.splitlines()
    out = {Hit(path, n.lineno, rule, lines[n.lineno - 1].strip()) for n, rule in _rules(tree, families)}
    return sorted(out)


def scan(root: Path = ROOT) -> list[Hit]:
    """Every hit outside the family files, allowed or not."""
    families = family_names()
    own = own_files(families)
    hits = []
    for folder in SCANNED:
        for file in sorted((root / folder).rglob("*.py")):
            rel = file.relative_to(root).as_posix()
            if rel not in own:
                hits += scan_source(file.read_text(encoding="utf-8"), rel, families)
    return hits


def test_no_family_number_is_derived_outside_its_file():
    bad = [h for h in scan() if (h.path, h.rule) not in ALLOWED]
    assert not bad, "a family's number derived outside its file (move it there, or read it from the spec or " \
                    "its graph's scope params):\n" + "\n".join(f"{h.path}:{h.line} [{h.rule}] {h.code}" for h in bad)


def test_every_allowance_is_still_needed():
    used = {(h.path, h.rule) for h in scan()}
    assert set(ALLOWED) <= used, f"allowances that no longer match anything: {sorted(set(ALLOWED) - used)}"


# The rule fails on the code it was written against: lines as they stood before the numbers moved.
OLD = {  # rule -> (lines, hits expected)
    "ceil_by_ratio": ("m = -(-c_out // ratio)\nm = math.ceil(c / ratio)\n", 2),
    "ratio_recovered": ("ratio = (cheap.shape[0] // m + 1) if cheap else 1\n", 1),
    "ghost_maps": ("cheap = conv_norm_act(m, m * (ratio - 1), dw_kernel, groups=m)\n", 1),
    "width_by_constant": ("mid = c_out // 4\nbranch = c_out // 2\n", 2),
    "branch_width": ("branch_out = c_out - c_in if stride == 2 else c_out\n", 1),
    "se_width": ("reduced = make_divisible(mid * se_ratio, 4)\nr = max(1, int(c_in * se_ratio))\n", 2),
    "se_gate_rule": ('gate = "hard_sigmoid" if act == "hswish" else "sigmoid"\n', 1),
    "ratio_range": ('p = url.IntParam("ratio", 2, 1, 8)\nc1.slider(label, 1, 8, key="ratio")\n'
                    'LIMITS = {"ratio": 8}\nMAX_RATIO = 16\ncheck_int("ratio", ratio, 1, 16)\n'
                    'if field == "ratio":\n    values = list(range(1, 9))\n', 6),
    "family_branch": ('groups = spec.groups if family == "shuffle_v1" else 2\n'
                      'if fam in ("standard", "group"):\n    pass\nif spec.family == "ghost_bottleneck":\n    pass\n',
                      3),
}


def test_the_rules_catch_the_old_lines():
    for rule, (source, expected) in OLD.items():
        found = [h for h in scan_source(source) if h.rule == rule]
        assert len(found) == expected, (rule, found)


def test_the_rules_pass_what_the_family_files_now_say():
    """The same numbers read from the declaration are not hits."""
    source = ("m = intrinsic_maps(c_out, ratio)\nmid = spec.mid\nreduced = spec.se_reduced\ngate = spec.se_gate\n"
              'low, high = spec.ranges["ratio"]\ngroups = graph.block_params["input_groups"]\n'
              'ratio = scope.params["ratio"]\n')
    assert scan_source(source) == []


def main() -> None:
    for hit in scan(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT):
        note = " (allowed)" if (hit.path, hit.rule) in ALLOWED else ""
        print(f"{hit.path}:{hit.line} [{hit.rule}] {hit.code}{note}")


# --- what the families declare for others to read agrees with the graph it describes -------------------------

@settings(max_examples=40, deadline=None)
@given(c_in=st.integers(1, 64), c_out=st.integers(1, 64), ratio=st.integers(*ghost_module.RATIO_RANGE),
       family=st.sampled_from(["ghost_module", "ghost_bottleneck", "ghost_v2"]))
def test_a_ghost_scope_says_what_its_convs_do(c_in, c_out, ratio, family):
    extra = {"c_mid": c_out} if family == "ghost_bottleneck" else {}
    graph = blocks.make(family, c_in=c_in, c_out=c_out, ratio=ratio, **extra).graph(8, 8)
    scopes = [s for s in graph.scopes if s.kind == "ghost_module"]
    assert scopes
    for s in scopes:
        convs = [n for n in graph.nodes if n.op == "conv" and n.scope == s.name]
        primary, cheap = convs[0], convs[1:]
        assert s.params["intrinsic"] == primary.shape[0] == ghost_module.intrinsic_maps(s.params["c_out"], ratio)
        assert s.params["ghosts"] == (cheap[0].shape[0] if cheap else 0)
        assert s.params["ratio"] == ratio and primary.attrs["c_in"] == s.params["c_in"]
        # the scope is the Ghost module spec it names: same cost as that spec on the scope's input
        spec = ghost_module.module_spec(s)
        size = graph.scope_input(s.name)[1]
        inside = [n for n in graph.nodes if n.scope == s.name]
        assert spec.cost(size, size).params == sum(n.params for n in inside)
        assert spec.cost(size, size).macs == sum(n.macs for n in inside)


@pytest.mark.parametrize("family, params", [
    ("shuffle_v1", dict(c_in=240, c_out=240, groups=3)), ("shuffle_v1", dict(c_in=24, c_out=240, groups=4, stride=2,
                                                                            first_grouped=False)),
    ("shuffle_v2", dict(c_in=116, c_out=116)), ("shuffle_v2", dict(c_in=24, c_out=116, stride=2)),
])
def test_a_shuffle_unit_declares_the_groups_its_graph_shuffles_with(family, params):
    graph = blocks.make(family, **params).graph(8, 8)
    shuffle = next(n for n in graph.nodes if n.op == "shuffle")
    assert graph.block_params["input_groups"] == graph.block_params["groups"] == shuffle.attrs["groups"]


@pytest.mark.parametrize("family, params", [
    ("shuffle_v1", dict(c_in=240, c_out=240, groups=3)), ("shuffle_v1", dict(c_in=24, c_out=240, groups=4, stride=2,
                                                                            first_grouped=False)),
    ("ghost_bottleneck", dict()), ("ghost_bottleneck", dict(c_in=16, c_out=24, stride=2, ratio=3)),
])
def test_sub_blocks_cost_what_their_part_of_the_block_costs(family, params):
    spec = blocks.make(family, **params)
    parts = dict(spec.cost(14, 14).parts)
    subs = spec.sub_blocks(14)
    assert [role for role, _, _ in subs] == [p for p in parts if p in ("gconv1", "gconv2", "ghost1", "ghost2")]
    for role, sub, size in subs:
        cost = sub.cost(size, size)
        assert (cost.params, cost.macs) == (parts[role].params, parts[role].macs), role


if __name__ == "__main__":
    main()
