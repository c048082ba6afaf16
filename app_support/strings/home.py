"""Landing page strings."""

EN = {
    "home.title": "effviz: why efficient CNN blocks are efficient",
    "home.intro": (
        "Efficient networks (MobileNet, ShuffleNet, GhostNet, EfficientNet) are built from a handful of ideas. "
        "Follow them in order; every number on every page is computed, not typed in."
    ),
    "home.step.playground.text": (
        "**1. Grouped and depthwise-separable convolutions.** Split a convolution into groups and its cost falls "
        "g-fold; split it into a depthwise and a pointwise step and it falls to 1/N + 1/k² of a dense conv. "
        "Start with the seeds' example: 3 → 4 channels, 3×3, 112 parameters against 30 + 16 = 46."
    ),
    "home.step.playground.link": "Open the Conv Playground",
}

ZH = {
    "home.title": "effviz：高效 CNN 模块为什么高效",
    "home.intro": (
        "高效网络（MobileNet、ShuffleNet、GhostNet、EfficientNet）都建立在少数几个思想之上。按顺序看下去；"
        "每一页上的每个数字都是算出来的，而不是手工填的。"
    ),
    "home.step.playground.text": (
        "**1. 分组卷积与深度可分离卷积。** 把卷积分成 g 组，计算量降为 1/g；把它拆成逐通道和逐点两步，计算量降为"
        "标准卷积的 1/N + 1/k²。先看文章里的例子：3 → 4 通道、3×3 卷积，参数量 112，对比 30 + 16 = 46。"
    ),
    "home.step.playground.link": "打开卷积游乐场",
}
