"""The Conv Playground's block as other pages read it, declared once: its defaults (the Playground's URL
parameters start from them, and the Latency Lab times them until the Playground has been used in the session),
what the Latency Lab takes of it, and a change of shape in the reader's symbols. The Playground's own controls are
app_support.playground.block."""
from __future__ import annotations

from typing import Any

from app_support.shell import urlstate as url
from app_support.shell.i18n import t

DEFAULTS: dict[str, Any] = dict(family="depthwise_separable", c_in=64, c_out=128, kernel=3, stride=1, groups=4,
                                h=56, w=56, ratio=2, dw_kernel=3, expansion=6.0, se_ratio=0.25, activation="relu",
                                bias=False, norm=False, mid_relu=True, first_grouped=True, n_div=4, dw_start=3,
                                dw_mid=3)
SYMBOLS = {"c_in": "C_in", "c_out": "C_out", "groups": "g"}  # the formulas' symbols, the same in every language
# What the Latency Lab takes from the Playground: the shape of the block, not its bias, norm or ReLU switches.
TIMED = ("family", "c_in", "c_out", "kernel", "stride", "groups", "h", "w", "ratio", "dw_kernel", "expansion",
         "se_ratio", "activation", "n_div", "dw_start", "dw_mid")


def changes_text(changed) -> str:
    """(("c_out", 128, 64),) -> "C_out 128 → 64", in the reader's symbols."""
    return t("playground.sep.changes").join(f"{SYMBOLS.get(k, k)} {old} → {new}" for k, old, new in changed)


def remembered() -> tuple[dict[str, Any], bool]:
    """The block the Playground last showed in this session (app_support.shell.urlstate.remembered), else the
    defaults; and whether it came from the Playground."""
    snapshot = url.remembered(TIMED)
    block = {k: DEFAULTS[k] for k in TIMED}
    return ({**block, **snapshot}, True) if "family" in snapshot else (block, False)
