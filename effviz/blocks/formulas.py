"""The cost formulas as LaTeX, with the current numbers substituted, for the playground.

Each formula is checked in the tests: the substituted expression is evaluated and must equal spec.cost()."""
from __future__ import annotations

from dataclasses import dataclass

from effviz.blocks.spec import BlockSpec, out_size


@dataclass(frozen=True)
class Formula:
    label: str      # "params" or "MACs"
    symbolic: str   # LaTeX with symbols
    numeric: str    # LaTeX with the numbers substituted, ending in "= total"
    expression: str  # the same arithmetic as plain Python, for the tests
    total: int


def _n(x: int) -> str:
    return f"{x:,}".replace(",", "{,}")


def _formula(label: str, symbolic: str, terms: list[tuple[str, str]], total: int) -> Formula:
    """terms: (latex, python) pairs summed."""
    latex = " + ".join(t for t, _ in terms)
    python = " + ".join(f"({p})" for _, p in terms)
    return Formula(label, symbolic, f"{latex} = {_n(total)}", python, total)


# For a family's own file: a family that defines `formulas(h, w)` returns its formulas from there.
formula_of = _formula
number = _n


def formulas(spec: BlockSpec, h: int, w: int) -> list[Formula]:
    own = getattr(spec, "formulas", None)
    if own is not None:
        return own(h, w)
    cost = spec.cost(h, w)
    ho, wo = out_size(h, spec.stride), out_size(w, spec.stride)
    fam = spec.family
    if fam in ("standard", "group", "depthwise_separable"):
        k, ci, co = spec.kernel, spec.c_in, spec.c_out
        g = spec.groups if fam == "group" else 1
        extra_sym = (r" + C_{out}" if spec.bias else "") + (r" + 2C_{out}" if spec.norm else "")
        if fam == "depthwise_separable":
            per_conv = (1 if spec.bias else 0) + (2 if spec.norm else 0)
            p_terms = [(rf"{k}^2 \cdot {ci}", f"{k}**2*{ci}"), (rf"{ci} \cdot {co}", f"{ci}*{co}")]
            if per_conv:
                p_terms.append((rf"{per_conv} \cdot ({ci} + {co})", f"{per_conv}*({ci}+{co})"))
            return [
                _formula("params", r"k^2 C_{in} + C_{in} C_{out}" + (r" + \text{bias/BN}" if per_conv else ""),
                         p_terms, cost.params),
                _formula("MACs", r"H_{out} W_{out} \, C_{in} \, (k^2 + C_{out})",
                         [(rf"{ho} \cdot {wo} \cdot {ci} \cdot ({k}^2 + {co})", f"{ho}*{wo}*{ci}*({k}**2+{co})")],
                         cost.macs),
            ]
        g_sym = r"\frac{C_{in}}{g}" if fam == "group" else "C_{in}"
        g_num = rf"\frac{{{ci}}}{{{g}}}" if fam == "group" else f"{ci}"
        g_py = f"({ci}//{g})" if fam == "group" else f"{ci}"
        p_terms = [(rf"{k}^2 \cdot {g_num} \cdot {co}", f"{k}**2*{g_py}*{co}")]
        if spec.bias:
            p_terms.append((f"{co}", f"{co}"))
        if spec.norm:
            p_terms.append((rf"2 \cdot {co}", f"2*{co}"))
        return [
            _formula("params", rf"k^2 \, {g_sym} \, C_{{out}}{extra_sym}", p_terms, cost.params),
            _formula("MACs", rf"k^2 \, {g_sym} \, C_{{out}} \, H_{{out}} W_{{out}}",
                     [(rf"{k}^2 \cdot {g_num} \cdot {co} \cdot {ho} \cdot {wo}", f"{k}**2*{g_py}*{co}*{ho}*{wo}")],
                     cost.macs),
        ]
    if fam == "ghost_module":
        k, c, s, d, m, n = spec.kernel, spec.c_in, spec.ratio, spec.dw_kernel, spec.intrinsic, spec.c_out
        sym_m = rf"m = \lceil n / s \rceil = \lceil {n} / {s} \rceil = {m}"
        return [
            _formula("params", r"k^2 c\, m + d^2 m (s-1) + 2 m s \;\; (" + sym_m + ")",
                     [(rf"{k}^2 \cdot {c} \cdot {m}", f"{k}**2*{c}*{m}"),
                      (rf"{d}^2 \cdot {m} \cdot {s - 1}", f"{d}**2*{m}*{s - 1}"),
                      (rf"2 \cdot {m} \cdot {s}", f"2*{m}*{s}")], cost.params),
            _formula("MACs", r"H_{out} W_{out} \, (k^2 c\, m + d^2 m (s-1))",
                     [(rf"{ho} \cdot {wo} \cdot ({k}^2 \cdot {c} \cdot {m} + {d}^2 \cdot {m} \cdot {s - 1})",
                       f"{ho}*{wo}*({k}**2*{c}*{m}+{d}**2*{m}*{s - 1})")], cost.macs),
        ]
    # Composite blocks: the sum of their named parts.
    parts = [(name, part) for name, part in cost.leaves() if part.params or part.macs]
    names = r" + ".join(rf"\text{{{name}}}" for name, _ in parts)  # e.g. right.pw1 + right.depthwise
    return [
        _formula("params", names, [(_n(p.params), str(p.params)) for _, p in parts], cost.params),
        _formula("MACs", names, [(_n(p.macs), str(p.macs)) for _, p in parts], cost.macs),
    ]
