"""The Latency Lab's words for a guideline experiment: what was measured on which backend, the verdict over every
step, the headline factor beside the paper's with its MAC ratio and time per MAC, the size of the effect, the
drift between rounds, and why G1 does not show on this CPU. The library returns codes and numbers
(effviz.speed.guidelines, effviz.speed.guideline_tables); the sentences are made here."""
from __future__ import annotations

from app_support.latency_lab.tables import paper_columns, setup_label
from app_support.shell.i18n import t
from effviz.speed import guidelines, latency

LARGER_G1 = guidelines.Sizes(size=224)  # the paper's network input size: G1's tensors no longer fit in L3 here


def backend_label(backend: str) -> str:
    return t(f"latency_lab.backend.{backend}")


def _x(value: float) -> str:
    return f"{value:.2f}×"


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def relative_line(exp: guidelines.Experiment) -> str:
    labels = [setup_label(r.setup) for r in exp.results]
    return " · ".join(t("latency_lab.relative_item", label=label, x=_x(x))
                      for label, x in zip(labels, exp.relative(), strict=True))


def measured_line(exp: guidelines.Experiment, threads: int) -> str:
    return t("latency_lab.we_measured_on", backend=backend_label(exp.backend), threads=threads,
             relative=relative_line(exp), reference=setup_label(exp.results[0].setup))


def verdict_text(exp: guidelines.Experiment) -> str:
    code = exp.verdict()
    if code == "no_verdict":
        reason = exp.unjudged()
        macs = [r.setup.macs for r in exp.results]
        sizes = exp.results[0].setup.sizes
        return t(f"latency_lab.verdict.no_verdict.{reason}", spread=_pct(max(macs) / min(macs) - 1),
                 ms=f"{exp.results[0].latency.median * 1e3:.3f}", size=sizes.size, c=sizes.channels)
    steps = exp.steps()
    against = [s for s in steps if s.outcome == "disagrees"]
    spread = max(r.latency.iqr / r.latency.median for r in exp.results)
    words = t("latency_lab.list_sep").join(
        t("latency_lab.step_against", slower=setup_label(exp.results[s.slower].setup),
          faster=setup_label(exp.results[s.faster].setup)) for s in against)
    return t(f"latency_lab.verdict.{code}", steps=len(steps), agree=sum(s.outcome == "agrees" for s in steps),
             disagree=len(against), against=words, spread=_pct(spread))


def headline_text(exp: guidelines.Experiment) -> str | None:
    """The headline set-up against the reference, beside the paper's factors; None where no verdict is given or
    the paper has no column at this width."""
    columns = paper_columns(exp.name, exp.results[0].setup.sizes)
    if exp.verdict() == "no_verdict" or columns is None:
        return None
    i, gpu, arm = exp.headline, *columns
    factor = exp.relative()[i]
    head = t("latency_lab.headline", setup=setup_label(exp.results[i].setup), factor=_x(factor),
             reference=setup_label(exp.results[0].setup), macs=_x(exp.macs_ratio()[i]),
             per_mac=_x(exp.time_per_mac()[i]), gpu=_x(gpu.relative_time()[i]), arm=_x(arm.relative_time()[i]))
    size = t("latency_lab.size",
             gpu=t(f"latency_lab.size.{guidelines.size_versus_paper(factor, gpu.relative_time()[i])}"),
             arm=t(f"latency_lab.size.{guidelines.size_versus_paper(factor, arm.relative_time()[i])}"))
    return head if exp.verdict() == "noisy" else f"{head} {size}"  # no size of an effect the noise hides


def drift_text(exp: guidelines.Experiment) -> tuple[bool, str] | None:
    """(steady, sentence) from the rounds, or None with a single round."""
    drift = exp.drift()
    if drift is None:
        return None
    words = dict(rounds=len(exp.results[0].rounds), setup=setup_label(exp.results[drift.index].setup),
                 drift=_pct(drift.drift), within=_pct(drift.within))
    return drift.steady, t("latency_lab.steady" if drift.steady else "latency_lab.unsteady", **words)


def paper_note(name: str, sizes: guidelines.Sizes) -> str:
    from effviz.speed import guideline_tables

    columns = paper_columns(name, sizes)
    if columns is None:
        return t("latency_lab.paper_no_column", c=sizes.channels)
    gpu, arm = columns
    return t("latency_lab.paper_columns", source=guideline_tables.table(name).source, c=sizes.channels,
             gpu=gpu.header, arm=arm.header)


def g1_reasons(by_backend: dict[str, guidelines.Experiment]) -> list[str]:
    """Why G1 does not show here, each reason with a number measured or counted on this machine: the caches
    against the largest operation's traffic, the other backend's result, and what a larger size would move."""
    some = next(iter(by_backend.values()))
    widest = max(range(len(some.results)), key=lambda i: some.results[i].setup.largest_step_bytes())
    setup = some.results[widest].setup
    caches = latency.cpu_caches()
    reasons = []
    if 2 in caches and 3 in caches:
        reasons.append(t("latency_lab.g1.why_cache", setup=setup_label(setup),
                         step=f"{setup.largest_step_bytes() / 1e6:.1f}", l2=f"{caches[2] / 2**20:.0f}",
                         l3=f"{caches[3] / 2**20:.0f}"))
    missed = [b for b, e in by_backend.items() if e.verdict() != "agrees"]
    for backend in missed:
        others = [e for b, e in by_backend.items() if b != backend]
        if others:
            other = others[0]
            reasons.append(t("latency_lab.g1.why_backend", other=backend_label(other.backend),
                             setup=setup_label(other.results[3].setup), factor=_x(other.relative()[3]),
                             reference=setup_label(other.results[0].setup)))
            break
    larger = guidelines.setups("g1", LARGER_G1)
    step = max(s.largest_step_bytes() for s in larger)
    if 3 not in caches or step > caches[3]:
        reasons.append(t("latency_lab.g1.why_larger", size=LARGER_G1.size, step=f"{step / 1e6:.0f}",
                         n=len(larger)))
    return reasons
