"""The landing page's story as data: each step's links into a page, preset to its example."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    page: str
    label_key: str
    query: dict[str, str]


@dataclass(frozen=True)
class Step:
    key: str
    links: tuple[Link, ...]


def playground(label: str, **query) -> Link:
    return Link("pages/playground.py", label, {k: str(v) for k, v in query.items()})


STORY = (
    Step("grouped", (playground("home.link.grouped", family="group", c_in=64, c_out=64, groups=4),)),
    Step("separable", (
        playground("home.link.seed", family="depthwise_separable", c_in=3, c_out=4, h=64, w=64, bias=1,
                   activation="none"),
        Link("pages/network_explorer.py", "home.link.mobilenet", {"nx_net": "mobilenet_v1"}),
    )),
    Step("shuffle", (
        Link("pages/channel_shuffle.py", "home.link.shuffle", {"shuffle_channels": "12", "shuffle_groups": "3"}),
        Link("pages/network_explorer.py", "home.link.shufflenet", {"nx_net": "shufflenet_v1", "nx_groups": "3"}),
    )),
    Step("ghost", (
        Link("pages/feature_redundancy.py", "home.link.redundancy", {}),
        playground("home.link.ghost", family="ghost_module", c_in=64, c_out=128, kernel=1, ratio=2, dw_kernel=3),
        Link("pages/network_explorer.py", "home.link.ghostnet", {"nx_net": "ghostnet"}),
    )),
    Step("mbconv", (
        playground("home.link.mbconv", family="mbconv", c_in=24, c_out=24, expansion=6, se_ratio=0.25),
        Link("pages/network_explorer.py", "home.link.efficientnet", {"nx_net": "efficientnet_lite0"}),
    )),
    Step("latency", (Link("pages/latency_lab.py", "home.link.latency", {}),)),
    Step("newer", (
        playground("home.link.pconv", family="partial_conv", c_in=64, c_out=64, kernel=3, n_div=4, expansion=2.0),
        playground("home.link.uib", family="uib", c_in=64, c_out=64, dw_start=3, dw_mid=3, expansion=4.0),
        playground("home.link.reparam", family="standard", c_in=32, c_out=32, rep_c=32, rep_k=3),
        Link("pages/network_explorer.py", "home.link.fasternet", {"nx_net": "fasternet_t0"}),
    )),
    Step("exercises", (Link("pages/exercises.py", "home.link.exercises", {"ex_level": "easy"}),)),
)
