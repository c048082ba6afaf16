"""Hypothesis strategies that draw valid specs of each block family (family-specific, not filtered at random,
so that the rarely-valid families such as the ShuffleNet v1 unit get as many examples as the others)."""
from __future__ import annotations

from hypothesis import strategies as st

from effviz import blocks

odd_kernel = st.sampled_from([1, 3, 5, 7])
stride = st.sampled_from([1, 2])
channels = st.integers(1, 48)
acts = st.sampled_from(("none",) + blocks.ACTIVATIONS)


@st.composite
def standard(draw):
    return blocks.make("standard", c_in=draw(channels), c_out=draw(channels), kernel=draw(odd_kernel),
                       stride=draw(stride), bias=draw(st.booleans()), norm=draw(st.booleans()),
                       activation=draw(acts))


@st.composite
def group(draw):
    g = draw(st.integers(1, 8))
    return blocks.make("group", c_in=g * draw(st.integers(1, 6)), c_out=g * draw(st.integers(1, 6)), groups=g,
                       kernel=draw(odd_kernel), stride=draw(stride), bias=draw(st.booleans()),
                       norm=draw(st.booleans()), activation=draw(acts))


@st.composite
def depthwise_separable(draw):
    return blocks.make("depthwise_separable", c_in=draw(channels), c_out=draw(channels), kernel=draw(odd_kernel),
                       stride=draw(stride), bias=draw(st.booleans()), norm=draw(st.booleans()),
                       activation=draw(acts), mid_relu=draw(st.booleans()))


@st.composite
def shuffle_v1(draw):
    g = draw(st.sampled_from([1, 2, 3, 4, 8]))
    s = draw(stride)
    first_grouped = draw(st.booleans())
    m = draw(st.integers(1, 4))  # bottleneck = g * m
    if s == 1:
        c = 4 * g * m
        return blocks.make("shuffle_v1", c_in=c, c_out=c, groups=g, stride=1, kernel=draw(odd_kernel),
                           first_grouped=first_grouped)
    c_out = 4 * g * m
    c_in = g * draw(st.integers(1, 4 * m - 1)) if first_grouped else draw(st.integers(1, c_out - 1))
    if (c_out - c_in) % g:
        c_in = g * max(1, c_in // g)
    return blocks.make("shuffle_v1", c_in=c_in, c_out=c_out, groups=g, stride=2, kernel=draw(odd_kernel),
                       first_grouped=first_grouped)


@st.composite
def shuffle_v2(draw):
    s = draw(stride)
    c_out = 2 * draw(st.integers(1, 24))
    c_in = c_out if s == 1 else draw(channels)
    return blocks.make("shuffle_v2", c_in=c_in, c_out=c_out, stride=s, kernel=draw(odd_kernel))


@st.composite
def ghost_module(draw):
    return blocks.make("ghost_module", c_in=draw(channels), c_out=draw(channels), kernel=draw(odd_kernel),
                       ratio=draw(st.integers(1, 6)), dw_kernel=draw(odd_kernel), stride=draw(stride),
                       activation=draw(st.sampled_from(["relu", "none"])))


@st.composite
def ghost_bottleneck(draw):
    return blocks.make("ghost_bottleneck", c_in=draw(channels), c_out=draw(channels), kernel=draw(odd_kernel),
                       stride=draw(stride), expansion=draw(st.sampled_from([1.0, 1.5, 2.0, 3.0, 6.0])),
                       se_ratio=draw(st.sampled_from([0.0, 0.25])), ratio=draw(st.integers(1, 4)),
                       dw_kernel=draw(odd_kernel))


@st.composite
def mbconv(draw):
    return blocks.make("mbconv", c_in=draw(channels), c_out=draw(channels), kernel=draw(odd_kernel),
                       stride=draw(stride), expansion=draw(st.sampled_from([1.0, 2.0, 3.0, 4.0, 6.0])),
                       se_ratio=draw(st.sampled_from([0.0, 0.25, 0.5])),
                       activation=draw(st.sampled_from(blocks.ACTIVATIONS)))


BY_FAMILY = {
    "standard": standard(), "group": group(), "depthwise_separable": depthwise_separable(),
    "shuffle_v1": shuffle_v1(), "shuffle_v2": shuffle_v2(), "ghost_module": ghost_module(),
    "ghost_bottleneck": ghost_bottleneck(), "mbconv": mbconv(),
}
sizes = st.integers(1, 40)


@st.composite
def partial_conv(draw):
    n_div = draw(st.sampled_from([1, 2, 4, 8]))
    c = n_div * draw(st.integers(1, 12)) + draw(st.integers(0, n_div - 1))
    return blocks.make("partial_conv", c_in=c, c_out=draw(st.sampled_from([c, draw(channels)])),
                       kernel=draw(odd_kernel), n_div=n_div, expansion=draw(st.sampled_from([1.0, 1.5, 2.0, 4.0])),
                       activation=draw(st.sampled_from(blocks.ACTIVATIONS)))


@st.composite
def uib(draw):
    start, mid = draw(st.sampled_from([0, 3, 5])), draw(st.sampled_from([0, 3, 5]))
    return blocks.make("uib", c_in=draw(channels), c_out=draw(channels), dw_start=start, dw_mid=mid,
                       stride=draw(stride) if start or mid else 1,
                       expansion=draw(st.sampled_from([1.0, 2.0, 3.0, 4.0, 6.0])),
                       activation=draw(st.sampled_from(blocks.ACTIVATIONS)))


@st.composite
def ghost_v2(draw):
    return blocks.make("ghost_v2", c_in=draw(channels), c_out=draw(channels), kernel=draw(odd_kernel),
                       ratio=draw(st.integers(1, 6)), dw_kernel=draw(odd_kernel), stride=draw(stride),
                       activation=draw(st.sampled_from(["relu", "none"])))


BY_FAMILY.update(partial_conv=partial_conv(), uib=uib(), ghost_v2=ghost_v2())


def sizes_for(family: str):
    """Input sizes the family runs on (GhostNetV2's DFC branch pools 2 x 2, so it needs 2 x 2 at least)."""
    return st.integers(blocks.spec_class(family).min_size, 40)
