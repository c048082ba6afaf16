"""Strings of the Feature Redundancy page's Atlas tab (the whole network, layer by layer)."""

EN = {
    "redundancy.tab.atlas": "Atlas: every layer",
    "atlas.onnx": ("The atlas needs the network as torch modules (one forward pass, every convolution hooked); an "
                   "uploaded ONNX file is read by onnxruntime. Pick ResNet-50 or EfficientNet-Lite0 for the atlas; "
                   "the other tabs show your file's maps."),
    "atlas.intro": (
        "GhostNet's argument is about the whole network: replace every ordinary convolution by a Ghost module "
        "and lose little. Here it is computed for all {n} convolutions of **{net}** on this photo: how alike "
        "each convolution's output maps are, how well m = ⌈C / s⌉ of them rebuild the others with {d}×{d} "
        "depthwise filters, and what a Ghost module of the same shape would cost instead."
    ),
    "atlas.progress": "Atlas of {net}: convolution {done} of {total}…",
    "atlas.totals": "If every ordinary convolution became a Ghost module (s = {s}, d = {d})",
    "atlas.m_macs": "Network MACs",
    "atlas.m_params": "Network parameters",
    "atlas.m_error": "Mean error, rebuilt maps",
    "atlas.m_error.help": "Averaged over the convolutions that would become Ghost modules.",
    "atlas.m_replaced": "Convolutions replaced",
    "atlas.m_change": "{pct} ({x}× fewer)",
    "atlas.untrained_delta": "untrained: {value}",
    "atlas.totals_note": (
        "Depthwise and grouped convolutions stay as they are: GhostNet keeps them, and a Ghost module's primary "
        "convolution is dense, so it would cost more. The rest of the network (BatchNorm, pooling, the "
        "classifier) is unchanged. MACs = multiply-accumulates; FLOPs = 2 × MACs."
    ),
    "atlas.most_redundant": "Most redundant convolutions (share of maps with a near-copy, mean nearest-neighbour "
                            "similarity): {layers}.",
    "atlas.least_error": "Where Ghost pays off most (no other convolution saves more MACs with less error; "
                         "MACs saved, error): {layers}.",
    "atlas.versus": "Trained against untrained: the trained maps are rebuilt with less error at {k} of {n} "
                    "convolutions; mean error {a1} trained vs {u1} untrained in the first half of the network, "
                    "{a2} vs {u2} in the second half.",
    "atlas.computing": "Computing the atlas: {total} convolutions, a few seconds…",
    "atlas.measure": "Measure",
    "atlas.measure_short.nn_mean": "Similarity",
    "atlas.measure_short.near_copies": "Near-copies",
    "atlas.measure_short.ghost_error": "Rebuild error",
    "atlas.less_than_untrained": "Against the story: at {k} of {n} convolutions the trained maps are *less* alike "
                                 "than the untrained ones (mean nearest-neighbour similarity, trained vs "
                                 "untrained): {layers}.",
    "atlas.why_untrained": "Why: random weights already give correlated maps. Every random filter sees the same "
                           "input, whose neighbouring pixels and channels are alike, so all their maps follow the "
                           "photo's layout: \"untrained\" is not \"no redundancy\". Training makes some layers' "
                           "filters specialise (each detects something else), and their maps become less alike. "
                           "GhostNet's claim is that many trained maps are near-copies, not that every layer is "
                           "more redundant than at random.",
    "atlas.depth_title": "Redundancy and error, layer by layer",
    "atlas.savings_title": "MACs each convolution would save (s = {s}, d = {d})",
    "atlas.axis_depth": "convolution, in execution order",
    "atlas.axis_value": "similarity · share · relative error",
    "atlas.measure.nn_mean": "mean nearest-neighbour similarity",
    "atlas.measure.near_copies": "share of maps with a near-copy (≥ {thr})",
    "atlas.measure.ghost_error": "error of the rebuilt maps",
    "atlas.axis_saved": "MACs saved (millions)",
    "atlas.kept": "kept as it is (depthwise or grouped)",
    "atlas.replaced": "would become a Ghost module",
    "atlas.scatter_title": "Where Ghost modules pay off: MACs saved against error",
    "atlas.scatter_caption": (
        "One point per convolution that would become a Ghost module. Bottom right: much saved, little lost. "
        "Click a point to open that layer in the single-layer views."
    ),
    "atlas.chosen": "chosen layer",
    "atlas.pick": "Layer",
    "atlas.open": "Open in the single-layer views",
    "atlas.open.help": "Shows this convolution's maps in the Ghost reconstruction tab (and every other tab).",
    "atlas.table_title": "Every convolution",
    "atlas.col.index": "#",
    "atlas.col.layer": "layer",
    "atlas.col.shape": "output C×H×W",
    "atlas.col.conv": "kernel / stride / groups",
    "atlas.col.nn": "mean NN similarity",
    "atlas.col.copies": "near-copies",
    "atlas.col.error": "error, rebuilt maps",
    "atlas.col.error_all": "error, whole layer",
    "atlas.col.macs": "MACs as is",
    "atlas.col.ghost_macs": "MACs as Ghost",
    "atlas.col.saved": "MACs saved",
    "atlas.col.params": "params as is",
    "atlas.col.ghost_params": "params as Ghost",
    "atlas.col.status": "Ghost module",
    "atlas.col.nn_u": "mean NN similarity, untrained",
    "atlas.col.error_u": "error, rebuilt maps, untrained",
    "atlas.status.ghost": "replaces it",
    "atlas.status.grouped": "kept: grouped/depthwise",
    "atlas.status.shape": "kept: no Ghost module of this shape",
    "atlas.caption": (
        "Maps are each convolution's own output (before its BatchNorm and activation). Similarity: cosine; "
        "near-copy: a nearest neighbour at ≥ {thr}. Intrinsic maps: the first m, as a Ghost module lays them out. "
        "“As is” counts the convolution and the BatchNorm right after it; “as Ghost” is the block engine's Ghost "
        "module (primary convolution and cheap depthwise convolution, each with its BatchNorm) with the same "
        "input and output shape, kernel and stride."
    ),
}

ZH = {
    "redundancy.tab.atlas": "全网图谱：逐层",
    "atlas.onnx": "图谱需要以 torch 模块形式存在的网络（一次前向传播，挂钩每个卷积）；上传的 ONNX 文件由 onnxruntime "
                  "读取。请选择 ResNet-50 或 EfficientNet-Lite0 查看图谱；其他标签页显示你的文件的特征图。",
    "atlas.intro": (
        "GhostNet 的论证针对整个网络：把每个普通卷积都换成 Ghost 模块，损失很小。这里在这张照片上对 **{net}** "
        "的全部 {n} 个卷积逐一计算：每个卷积输出的特征图彼此有多相似，用其中 m = ⌈C / s⌉ 张加上 {d}×{d} "
        "逐通道卷积重建其余特征图的效果如何，以及同形状的 Ghost 模块要花多少计算。"
    ),
    "atlas.progress": "{net} 的图谱：第 {done} / {total} 个卷积……",
    "atlas.totals": "如果每个普通卷积都换成 Ghost 模块（s = {s}，d = {d}）",
    "atlas.m_macs": "全网 MACs",
    "atlas.m_params": "全网参数量",
    "atlas.m_error": "重建特征图的平均误差",
    "atlas.m_error.help": "对会被换成 Ghost 模块的卷积取平均。",
    "atlas.m_replaced": "被替换的卷积",
    "atlas.m_change": "{pct}（为原来的 1/{x}）",
    "atlas.untrained_delta": "未训练：{value}",
    "atlas.totals_note": (
        "逐通道卷积和分组卷积保持不变：GhostNet 也保留它们，而且 Ghost 模块的主卷积是稠密的，替换反而更贵。"
        "网络其余部分（BatchNorm、池化、分类器）不变。MACs = 乘加次数；FLOPs = 2 × MACs。"
    ),
    "atlas.most_redundant": "冗余最多的卷积（有近似副本的特征图比例，最近邻平均相似度）：{layers}。",
    "atlas.least_error": "Ghost 最划算的卷积（没有别的卷积能省得更多、误差又更小；省下的 MACs，误差）：{layers}。",
    "atlas.versus": "训练与未训练对比：在 {n} 个卷积中，有 {k} 个训练后的特征图重建误差更小；网络前半段平均误差 "
                    "{a1}（训练）对 {u1}（未训练），后半段 {a2} 对 {u2}。",
    "atlas.computing": "正在计算图谱：共 {total} 个卷积，需要几秒钟……",
    "atlas.measure": "指标",
    "atlas.measure_short.nn_mean": "相似度",
    "atlas.measure_short.near_copies": "近似副本",
    "atlas.measure_short.ghost_error": "重建误差",
    "atlas.less_than_untrained": "与论文的说法相反：在 {n} 个卷积中，有 {k} 个训练后的特征图反而**不如**未训练时相似"
                                 "（最近邻平均相似度，训练 vs 未训练）：{layers}。",
    "atlas.why_untrained": (
        "原因：随机权重本来就会产生相关的特征图。每个随机滤波器看到的是同一个输入，而输入中相邻的像素和通道彼此相似，"
        "所以它们的特征图都跟着照片的布局走：“未训练”并不等于“没有冗余”。训练让某些层的滤波器各有分工（各自检测不同"
        "的东西），它们的特征图反而变得不那么相似。GhostNet 说的是训练后的很多特征图是近似副本，而不是每一层都比"
        "随机时更冗余。"
    ),
    "atlas.depth_title": "逐层的冗余与误差",
    "atlas.savings_title": "每个卷积能省下的 MACs（s = {s}，d = {d}）",
    "atlas.axis_depth": "卷积（按执行顺序）",
    "atlas.axis_value": "相似度 · 比例 · 相对误差",
    "atlas.measure.nn_mean": "最近邻平均相似度",
    "atlas.measure.near_copies": "有近似副本的特征图比例（≥ {thr}）",
    "atlas.measure.ghost_error": "重建特征图的误差",
    "atlas.axis_saved": "省下的 MACs（百万）",
    "atlas.kept": "保持不变（逐通道卷积或分组卷积）",
    "atlas.replaced": "会换成 Ghost 模块",
    "atlas.scatter_title": "Ghost 模块在哪里最划算：省下的 MACs 与误差",
    "atlas.scatter_caption": (
        "每个点是一个会被换成 Ghost 模块的卷积。越靠右下越好：省得多、损失少。点击一个点，即可在单层视图中打开该层。"
    ),
    "atlas.chosen": "所选的层",
    "atlas.pick": "层",
    "atlas.open": "在单层视图中打开",
    "atlas.open.help": "在“Ghost 重建”标签页（以及其他各标签页）中显示这个卷积的特征图。",
    "atlas.table_title": "全部卷积",
    "atlas.col.index": "#",
    "atlas.col.layer": "层",
    "atlas.col.shape": "输出 C×H×W",
    "atlas.col.conv": "卷积核 / 步长 / 分组",
    "atlas.col.nn": "最近邻平均相似度",
    "atlas.col.copies": "有近似副本的比例",
    "atlas.col.error": "重建特征图的误差",
    "atlas.col.error_all": "整层误差",
    "atlas.col.macs": "原 MACs",
    "atlas.col.ghost_macs": "Ghost MACs",
    "atlas.col.saved": "省下的 MACs",
    "atlas.col.params": "原参数量",
    "atlas.col.ghost_params": "Ghost 参数量",
    "atlas.col.status": "Ghost 模块",
    "atlas.col.nn_u": "最近邻平均相似度（未训练）",
    "atlas.col.error_u": "重建特征图的误差（未训练）",
    "atlas.status.ghost": "替换",
    "atlas.status.grouped": "保留：分组卷积或逐通道卷积",
    "atlas.status.shape": "保留：没有这种形状的 Ghost 模块",
    "atlas.caption": (
        "特征图取自每个卷积自身的输出（在 BatchNorm 和激活之前）。相似度：余弦；近似副本：最近邻相似度 ≥ {thr}。"
        "本征特征图：前 m 张，与 Ghost 模块的排布相同。“原”计入卷积及紧随其后的 BatchNorm；“Ghost”是本项目模块库中"
        "输入输出形状、卷积核和步长都相同的 Ghost 模块（主卷积加廉价的逐通道卷积，各带 BatchNorm）。"
    ),
}
