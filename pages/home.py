"""Landing page: the story in order, each step linking into a page preset to its example."""
from __future__ import annotations

import streamlit as st

from app_support.home.story import STORY
from app_support.shell.i18n import t
from effviz import blocks


def step_numbers() -> dict[str, dict[str, str]]:
    """The figures quoted in the story, computed from the block costs (56x56 unless the seed says 64x64)."""
    def macs(family: str, **p) -> int:
        return blocks.make(family, **p).cost(56, 56).macs

    dense = macs("standard", c_in=64, c_out=64)
    seed_std = blocks.make("standard", c_in=3, c_out=4, bias=True).cost(64, 64).params
    seed_dws = blocks.make("depthwise_separable", c_in=3, c_out=4, bias=True).cost(64, 64)
    ghost = macs("ghost_module", c_in=64, c_out=128, kernel=1)
    pointwise = macs("standard", c_in=64, c_out=128, kernel=1, norm=True)
    mb = blocks.make("mbconv", c_in=24, c_out=24).cost(56, 56)
    return {
        "grouped": {"dense": f"{dense:,}", "grouped": f"{macs('group', c_in=64, c_out=64, groups=4):,}"},
        "separable": {"std": f"{seed_std}", "dw": f"{seed_dws.parts['depthwise'].params}",
                      "pw": f"{seed_dws.parts['pointwise'].params}", "total": f"{seed_dws.params}"},
        "shuffle": {},
        "ghost": {"speedup": f"{pointwise / ghost:.2f}"},
        "mbconv": {"share": f"{mb.parts['se'].params / mb.params * 100:.0f}",
                   "se_macs": f"{mb.parts['se'].macs / mb.macs * 100:.2f}"},
        "latency": {},
        "newer": newer_numbers(),
        "exercises": {},
    }


def newer_numbers() -> dict[str, str]:
    """PConv at r = 1/4 against a full 3x3 conv (its conv node's MACs and traffic), and a folded RepVGG block."""
    from effviz.blocks import reparam

    pconv = blocks.make("partial_conv", c_in=64, c_out=64, n_div=4).graph(56, 56).node("pconv")
    full = blocks.make("standard", c_in=64, c_out=64).graph(56, 56).node("conv")
    rep = reparam.RepSpec(c_in=32, c_out=32)
    train, deploy = rep.train_graph(56, 56).cost(), rep.deploy_graph(56, 56).cost()
    return {"macs": f"1/{full.macs // pconv.macs}", "memory": f"{pconv.memory / full.memory:.2f}",
            "train": f"{train.params:,}", "deploy": f"{deploy.params:,}"}


st.title(t("home.title"))
st.markdown(t("home.intro"))
numbers = step_numbers()
for number, step in enumerate(STORY, start=1):
    with st.container(border=True):
        st.markdown(f"**{number}. {t(f'home.step.{step.key}.title')}**")
        st.markdown(t(f"home.step.{step.key}.text", **numbers[step.key]))
        for link in step.links:
            st.page_link(link.page, label=t(link.label_key), icon="➡️", query_params=link.query or None)
st.caption(t("home.footer"))
