"""Landing page strings."""

EN = {
    "home.title": "effviz: why efficient CNN blocks are efficient",
    "home.intro": (
        "MobileNet, ShuffleNet, GhostNet and EfficientNet are built from a handful of ideas. Follow them in order; "
        "each step opens a page already set to its example. Every number on every page is computed, not typed in."
    ),
    "home.step.grouped.title": "Grouped convolution",
    "home.step.grouped.text": (
        "Split the channels into g groups and convolve each group on its own: every weight and every "
        "multiply-add shrinks g-fold. A 3×3 conv from 64 to 64 channels on 56×56 costs {dense} MACs; with 4 "
        "groups, {grouped}. The price: an output channel only ever sees its own group."
    ),
    "home.step.separable.title": "Depthwise-separable convolution",
    "home.step.separable.text": (
        "Take grouping to the limit (one group per channel: depthwise), then mix channels with a 1×1 pointwise "
        "conv. The seeds' example: 3 → 4 channels, 3×3, with bias — a standard conv has {std} parameters, the "
        "separable one {dw} + {pw} = {total}. In general the cost falls to 1/N + 1/k² of the standard conv: "
        "MobileNet v1 is built from these."
    ),
    "home.step.shuffle.title": "Channel shuffle",
    "home.step.shuffle.text": (
        "Stacked group convolutions never mix groups. ShuffleNet reshapes the channels to (g, C/g), transposes "
        "and flattens: zero parameters, zero MACs, and after it every group feeds every group. The page proves "
        "it on real modules."
    ),
    "home.step.ghost.title": "Ghost module",
    "home.step.ghost.text": (
        "Trained networks make many near-duplicate feature maps. GhostNet computes only 1/s of them with an "
        "ordinary conv and the rest (\"ghosts\") with cheap depthwise ops. See the duplicates in ResNet-50's own "
        "feature maps of a photo, then the saving: a Ghost module 64 → 128 with s = 2 needs {speedup}× fewer "
        "MACs than the 1×1 conv it replaces."
    ),
    "home.step.mbconv.title": "Inverted bottleneck and squeeze-and-excitation",
    "home.step.mbconv.text": (
        "MobileNet v2/v3 and EfficientNet expand with a 1×1 conv, filter with a depthwise conv, re-weight "
        "channels with SE, and project back. SE is nearly free in MACs ({se_macs}% of the block) but holds "
        "{share}% of its parameters."
    ),
    "home.step.latency.title": "FLOPs are not speed",
    "home.step.latency.text": (
        "Fewer MACs do not always mean faster: memory traffic, fragmentation and element-wise work cost time "
        "too (ShuffleNet v2's guidelines). Measure it live on this server."
    ),
    "home.link.grouped": "Group conv in the playground (g = 4)",
    "home.link.seed": "The seeds' example: 112 vs 46",
    "home.link.mobilenet": "MobileNet v1, layer by layer",
    "home.link.shuffle": "Watch the shuffle (12 channels, 3 groups)",
    "home.link.shufflenet": "ShuffleNet v1 (g = 3), layer by layer",
    "home.link.redundancy": "Feature redundancy in ResNet-50",
    "home.link.ghost": "A Ghost module in the playground (s = 2, d = 3)",
    "home.link.ghostnet": "GhostNet, layer by layer",
    "home.link.mbconv": "An MBConv block with SE",
    "home.link.efficientnet": "EfficientNet-Lite0, layer by layer",
    "home.link.latency": "The Latency Lab",
    "home.step.newer.title": "FLOPs are not FLOPS: PConv, UIB, and folding branches",
    "home.step.newer.text": (
        "Newer blocks chase speed, not only fewer MACs. FasterNet's partial conv runs a 3×3 conv on a quarter "
        "of the channels: {macs} of a full conv's MACs, and {memory}× its memory traffic, so the hardware stays "
        "busy (a depthwise conv is cheap in MACs and slow per MAC). MobileNetV4's UIB makes the inverted "
        "bottleneck's depthwise convs optional switches. RepVGG trains three branches and folds them into one "
        "conv for inference: {train} parameters become {deploy}, with the same outputs."
    ),
    "home.link.pconv": "FasterNet's PConv block (r = 1/4)",
    "home.link.uib": "A UIB block (ExtraDW)",
    "home.link.reparam": "Folding a RepVGG block (below the charts)",
    "home.link.fasternet": "FasterNet-T0, layer by layer",
    "home.step.exercises.title": "Check yourself",
    "home.step.exercises.text": (
        "Predict, then reveal: questions generated from real layers of these networks, answered by the same engine, "
        "each with its worked formula. One link gives a whole class the same set; a teacher view shows the key."
    ),
    "home.link.exercises": "Exercises (easy set)",
    "home.footer": "Every link carries its settings in the address: copy it to share exactly that view.",
}

ZH = {
    "home.title": "effviz：高效 CNN 模块为什么高效",
    "home.intro": (
        "MobileNet、ShuffleNet、GhostNet 和 EfficientNet 都建立在少数几个思想之上。按顺序看下去；每一步都会打开一个"
        "已经设置好示例的页面。每一页上的每个数字都是算出来的，而不是手工填的。"
    ),
    "home.step.grouped.title": "分组卷积",
    "home.step.grouped.text": (
        "把通道分成 g 组，每组单独卷积：权重和乘加次数都减少为 1/g。56×56 上一个 64 → 64 通道的 3×3 卷积需要 "
        "{dense} MACs；分成 4 组后只要 {grouped} MACs。代价是：每个输出通道只能看到自己那一组。"
    ),
    "home.step.separable.title": "深度可分离卷积",
    "home.step.separable.text": (
        "把分组做到极致：每个通道一组，即逐通道卷积（Depthwise Convolution），再用 1×1 逐点卷积融合通道。"
        "《关于深度可分离卷积的理解》一文的例子：3 → 4 通道、3×3、带偏置——"
        "标准卷积有 {std} 个参数，深度可分离卷积只有 {dw} + {pw} = {total} 个。一般来说，"
        "计算量降为标准卷积的 1/N + 1/k²：MobileNet v1 就是用它搭起来的。"
    ),
    "home.step.shuffle.title": "通道重排（channel shuffle）",
    "home.step.shuffle.text": (
        "堆叠的分组卷积永远不会让不同组之间交流。ShuffleNet 把通道变形为 (g, C/g)、转置再展平：没有参数、没有 "
        "MACs，之后每一组都能把信息传给每一组。这一页用真实的模块证明这一点。"
    ),
    "home.step.ghost.title": "Ghost 模块",
    "home.step.ghost.text": (
        "训练好的网络会产生很多几乎重复的特征图。GhostNet 只用普通卷积算出其中的 1/s，其余的（“幻影”）用廉价的"
        "逐通道卷积生成。先在 ResNet-50 对一张照片的特征图里看看这些重复，再看节省：s = 2 的 64 → 128 Ghost "
        "模块所需的 MACs 只有它所替代的 1×1 卷积的 1/{speedup}。"
    ),
    "home.step.mbconv.title": "倒残差结构与 SE 模块",
    "home.step.mbconv.text": (
        "MobileNet v2/v3 和 EfficientNet 先用 1×1 卷积升维，再用逐通道卷积滤波，用 SE 模块重新给通道加权，最后降维。"
        "SE 模块几乎不花 MACs（只占模块的 {se_macs}%），却占了模块 {share}% 的参数。"
    ),
    "home.step.latency.title": "FLOPs 不等于速度",
    "home.step.latency.text": (
        "MACs 少不一定就快：内存访问、碎片化和逐元素操作同样花时间（ShuffleNet v2 的设计原则）。在这台服务器上"
        "现场测一测。"
    ),
    "home.link.grouped": "在游乐场里看分组卷积（g = 4）",
    "home.link.seed": "《关于深度可分离卷积的理解》的例子：112 对 46",
    "home.link.mobilenet": "逐层查看 MobileNet v1",
    "home.link.shuffle": "看通道重排的过程（12 个通道，3 组）",
    "home.link.shufflenet": "逐层查看 ShuffleNet v1（g = 3）",
    "home.link.redundancy": "ResNet-50 中的特征冗余",
    "home.link.ghost": "在游乐场里看 Ghost 模块（s = 2，d = 3）",
    "home.link.ghostnet": "逐层查看 GhostNet",
    "home.link.mbconv": "带 SE 的 MBConv 模块",
    "home.link.efficientnet": "逐层查看 EfficientNet-Lite0",
    "home.link.latency": "延迟实验室",
    "home.step.newer.title": "FLOPs 不等于 FLOPS：PConv、UIB 与折叠分支",
    "home.step.newer.text": (
        "较新的模块追求的是速度，而不只是更少的 MACs。FasterNet 的部分卷积只在四分之一的通道上做 3×3 卷积："
        "MACs 是完整卷积的 {macs}，内存访问量是它的 {memory} 倍，硬件因此保持忙碌（逐通道卷积 MACs 很少，但每次"
        "乘加都很慢）。MobileNetV4 的 UIB 把倒残差中的逐通道卷积变成可选的开关。RepVGG 训练时用三个分支，推理时"
        "折叠成一个卷积：{train} 个参数变成 {deploy} 个，输出不变。"
    ),
    "home.link.pconv": "FasterNet 的 PConv 块（r = 1/4）",
    "home.link.uib": "一个 UIB 块（ExtraDW）",
    "home.link.reparam": "折叠一个 RepVGG 块（在图表下方）",
    "home.link.fasternet": "逐层查看 FasterNet-T0",
    "home.step.exercises.title": "自我检测",
    "home.step.exercises.text": (
        "先预测，再揭晓：题目取自这些网络的真实层，由同一个计算引擎给出答案，并附上计算过程。一个链接就能让全班做同一组题；"
        "教师视图可以显示答案。"
    ),
    "home.link.exercises": "练习（简单题组）",
    "home.footer": "每个链接都把设置写在地址里：复制它，就能分享完全相同的视图。",
}
