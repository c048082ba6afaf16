"""Feature Redundancy lab strings."""

EN = {
    "redundancy.nav": "Feature Redundancy",
    "redundancy.title": "Feature Redundancy lab",
    "redundancy.intro": (
        "GhostNet starts from an observation: many feature maps of a trained CNN are near-copies of each other, "
        "so an ordinary convolution could compute only a few *intrinsic* maps and make the rest (*ghosts*) with "
        "cheap depthwise filters. Check it on a photo: ResNet-50's first stage (`layer1`, 256 maps of 56×56) is "
        "the layer of the paper's Figure 1."
    ),
    "redundancy.intro.efficientnet_lite0": (
        "GhostNet starts from an observation: many feature maps of a trained CNN are near-copies of each other, "
        "so an ordinary convolution could compute only a few *intrinsic* maps and make the rest (*ghosts*) with "
        "cheap depthwise filters. Check it on a photo with EfficientNet-Lite0, a network of MBConv blocks: its "
        "first layer with many maps at 56×56 (`features.stage2.1.expand`, 144 maps) stands in for ResNet-50's "
        "`layer1`, the layer of the paper's Figure 1."
    ),
    # inputs
    "redundancy.image": "Image",
    "redundancy.image.upload": "Upload your own…",
    "redundancy.sample.cat": "Cat",
    "redundancy.sample.coffee": "Coffee cup",
    "redundancy.sample.astronaut": "Astronaut",
    "redundancy.sample.rocket": "Rocket launch",
    "redundancy.sample.cameraman": "Cameraman (greyscale)",
    "redundancy.upload": "PNG, JPEG, WebP, BMP or GIF (first frame)",
    "redundancy.upload_wait": "Choose an image file to analyse.",
    "redundancy.bad_image": "This image cannot be used: {problem}",
    "redundancy.network": "Network",
    "redundancy.net.resnet50": "ResNet-50",
    "redundancy.net.efficientnet_lite0": "EfficientNet-Lite0",
    "redundancy.weights": "Weights",
    "redundancy.w.imagenet": "ImageNet (trained)",
    "redundancy.w.untrained": "Untrained (random)",
    "redundancy.w.file": "My weights file…",
    "redundancy.weights_upload": "A state dict: .pt / .pth (tensors only) or .safetensors",
    "redundancy.weights_wait": "Choose a weights file for {net}. Only tensors are read: effviz never unpickles "
                               "Python objects.",
    "redundancy.bad_weights": "These weights cannot be used: {problem}",
    "redundancy.no_weights": "No ImageNet weights could be loaded: {problem}. Choose “Untrained” or upload a "
                             "weights file.",
    "redundancy.less_than_untrained": "At this layer the trained network is *less* redundant than the same network "
                                      "untrained: mean nearest-neighbour similarity {trained} against {untrained}.",
    "redundancy.layer": "Layer",
    "redundancy.layer.option": "{name} · {c}×{h}×{w}",
    "redundancy.metric": "Similarity",
    "redundancy.metric.cosine": "Cosine",
    "redundancy.metric.pearson": "Pearson correlation",
    "redundancy.metric.ssim": "SSIM (structure)",
    "redundancy.metric.help": (
        "Cosine: angle between two maps. Pearson: cosine after removing each map's mean. SSIM: structural "
        "similarity of the maps scaled to 0–1, averaged over 7×7 windows."
    ),
    # provenance
    "redundancy.showing": "On screen: **{net}** with **{weights}**.",
    "redundancy.wlabel.imagenet": "ImageNet weights",
    "redundancy.wlabel.untrained": "untrained (random) weights",
    "redundancy.wlabel.file": "weights from your file",
    "redundancy.source": "Source: {source}",
    "redundancy.why.env": "Read from the file named by {env}.",
    "redundancy.why.cache": "Found in torch's download cache.",
    "redundancy.why.downloaded": "Downloaded once into torch's cache.",
    "redundancy.why.requested": "As chosen.",
    "redundancy.why.file": "Checked against the architecture: every tensor name and shape matches.",
    "redundancy.why.untrained": "Untrained: a random initialisation (seed 0). Any structure you see comes from "
                                "the architecture and the image, not from learning.",
    "redundancy.fallback": (
        "ResNet-50's ImageNet weights are not available offline, so this shows **EfficientNet-Lite0 (ImageNet)** "
        "instead. To use ResNet-50, run `python -m effviz.weights fetch resnet50` once on a machine with a "
        "network, set `EFFVIZ_RESNET50_WEIGHTS` to a weights file, or choose “My weights file…”."
    ),
    "redundancy.fallback_details": "What was tried",
    "redundancy.downloading": "Downloading ResNet-50 ImageNet weights: {done} of {total} MB",
    "redundancy.download_failed": "Download failed ({problem}); using what is available offline.",
    "redundancy.loading": "Loading the network…",
    "redundancy.computing": "Computing feature maps and similarities…",
    "redundancy.computing_ghost": "Fitting the ghost maps…",
    "redundancy.computing_sweep": "Trying every s and d…",
    "redundancy.sees": "The network sees: {top}",
    "redundancy.input": "Network input (224×224 centre crop)",
    # summary
    "redundancy.metric_maps": "Feature maps",
    "redundancy.metric_nn": "Mean nearest-neighbour similarity",
    "redundancy.metric_copies": "Maps with a near-copy (≥ {thr})",
    "redundancy.metric_nn.help": "For each map, its similarity to the most similar other map; averaged.",
    # tabs
    "redundancy.tab.maps": "Feature maps",
    "redundancy.tab.similarity": "Similarity heatmap",
    "redundancy.tab.pairs": "Most similar pairs",
    "redundancy.tab.channel": "One channel",
    "redundancy.tab.ghost": "Ghost reconstruction",
    "redundancy.sort": "Order",
    "redundancy.sort.channel": "By channel number",
    "redundancy.sort.cluster": "By similarity cluster",
    "redundancy.colors": "Colour map",
    "redundancy.page": "Page",
    "redundancy.grid_png": "Download this page of maps (PNG)",
    "redundancy.grid_caption": (
        "Channels {first}–{last} of {total}. Each map is scaled to its own minimum–maximum; hover for the raw "
        "value. In cluster order, similar maps sit next to each other."
    ),
    "redundancy.hover_channel": "channel {c}",
    "redundancy.hover_pair": "channel {i} vs {j}",
    "redundancy.heatmap_caption": (
        "{metric} between every pair of the {c} maps, ordered by hierarchical clustering (average linkage on "
        "1 − similarity): bright blocks on the diagonal are groups of redundant maps."
    ),
    "redundancy.heatmap_pooled": " Shown as {side}×{side} blocks of {f} neighbouring channels (averaged).",
    "redundancy.hist_x": "Similarity to the nearest other map",
    "redundancy.hist_y": "Number of maps",
    "redundancy.series.trained": "{net} · {weights}",
    "redundancy.series.untrained": "{net} · untrained",
    "redundancy.topk": "Pairs to show",
    "redundancy.pair_title": "#{i} ↔ #{j}: {score}",
    "redundancy.pairs_caption": (
        "The {k} most similar pairs by {metric}. GhostNet's Figure 1 marks such pairs with spanners: one map "
        "could be made from the other by a cheap operation."
    ),
    "redundancy.channel": "Channel",
    "redundancy.channel_title": "#{c} (chosen)",
    "redundancy.neighbour_title": "#{c}: {score}",
    "redundancy.channel_caption": "Channel {c} and its {k} most similar maps by {metric}.",
    # ghost
    "redundancy.ghost_ratio": "Ratio s",
    "redundancy.ghost_ratio.help": "m = ⌈C / s⌉ maps are kept (intrinsic); the other C − m are rebuilt.",
    "redundancy.ghost_kernel": "Cheap filter d×d",
    "redundancy.ghost_choice": "Intrinsic maps",
    "redundancy.choice.first": "The first m (as a Ghost module lays them out)",
    "redundancy.choice.cluster": "One representative per similarity cluster",
    "redundancy.compare": "Compare with the same network untrained",
    "redundancy.ghost_explain": (
        "For each of the {g} other maps, effviz fits a {d}×{d} depthwise filter plus a bias by least squares "
        "from every intrinsic map and keeps the best one. Relative error = ‖reconstruction − actual‖ / ‖actual‖; "
        "PSNR uses each map's own range as the peak."
    ),
    "redundancy.ghost_m": "Intrinsic maps m",
    "redundancy.ghost_error": "Error, rebuilt maps",
    "redundancy.ghost_error_all": "Error, whole layer",
    "redundancy.ghost_psnr": "PSNR, whole layer",
    "redundancy.ghost_untrained_delta": "untrained: {value}",
    "redundancy.ghost_examples": "The two best and two worst rebuilt maps",
    "redundancy.row.source": "intrinsic #{c}",
    "redundancy.row.rebuilt": "rebuilt from #{src}: error {err}",
    "redundancy.row.actual": "actual #{c}",
    "redundancy.vs_d": "Error of the rebuilt maps against d (s = {s})",
    "redundancy.vs_s": "Error of the rebuilt maps against s (d = {d})",
    "redundancy.axis_d": "cheap filter size d",
    "redundancy.axis_s": "ratio s",
    "redundancy.axis_error": "relative error",
    "redundancy.ghost_cost": (
        "The point of it: a Ghost module computes only the m intrinsic maps with an ordinary convolution; the "
        "others cost one {d}×{d} depthwise filter each, so the layer needs about 1/{s} of the MACs (see the Conv "
        "Playground, Ghost module)."
    ),
    "redundancy.single_map": "This layer has a single map: there is nothing to compare.",
}

ZH = {
    "redundancy.nav": "特征冗余",
    "redundancy.title": "特征冗余实验室",
    "redundancy.intro": (
        "GhostNet 的出发点是一个观察：训练好的 CNN 里，很多特征图互为近似副本。因此普通卷积只需算出少量"
        "**本征**特征图（intrinsic），其余的**幻影**特征图（ghost）可以用廉价的逐通道卷积生成。用一张照片亲自验证："
        "ResNet-50 的第一个残差阶段（`layer1`，256 张 56×56 的特征图）正是论文图 1 所用的那一层。"
    ),
    "redundancy.intro.efficientnet_lite0": (
        "GhostNet 的出发点是一个观察：训练好的 CNN 里，很多特征图互为近似副本。因此普通卷积只需算出少量"
        "**本征**特征图（intrinsic），其余的**幻影**特征图（ghost）可以用廉价的逐通道卷积生成。用一张照片和 "
        "EfficientNet-Lite0（由 MBConv 模块组成的网络）亲自验证：它在 56×56 上第一个通道很多的层"
        "（`features.stage2.1.expand`，144 张特征图）相当于论文图 1 所用的 ResNet-50 `layer1`。"
    ),
    "redundancy.image": "图片",
    "redundancy.image.upload": "上传自己的图片……",
    "redundancy.sample.cat": "猫",
    "redundancy.sample.coffee": "咖啡杯",
    "redundancy.sample.astronaut": "宇航员",
    "redundancy.sample.rocket": "火箭发射",
    "redundancy.sample.cameraman": "摄影师（灰度图）",
    "redundancy.upload": "PNG、JPEG、WebP、BMP 或 GIF（取第一帧）",
    "redundancy.upload_wait": "请选择要分析的图片文件。",
    "redundancy.bad_image": "无法使用这张图片：{problem}",
    "redundancy.network": "网络",
    "redundancy.net.resnet50": "ResNet-50",
    "redundancy.net.efficientnet_lite0": "EfficientNet-Lite0",
    "redundancy.weights": "权重",
    "redundancy.w.imagenet": "ImageNet（已训练）",
    "redundancy.w.untrained": "未训练（随机）",
    "redundancy.w.file": "我的权重文件……",
    "redundancy.weights_upload": "state dict：.pt / .pth（只含张量）或 .safetensors",
    "redundancy.weights_wait": "请为 {net} 选择权重文件。只读取张量：effviz 从不反序列化（unpickle）Python 对象。",
    "redundancy.bad_weights": "无法使用这些权重：{problem}",
    "redundancy.no_weights": "无法加载任何 ImageNet 权重：{problem}。请选择“未训练”，或上传权重文件。",
    "redundancy.less_than_untrained": "在这一层，训练后的网络反而**不如**未训练的同一网络冗余：最近邻平均相似度 "
                                      "{trained}，未训练时为 {untrained}。",
    "redundancy.layer": "层",
    "redundancy.layer.option": "{name} · {c}×{h}×{w}",
    "redundancy.metric": "相似度",
    "redundancy.metric.cosine": "余弦相似度",
    "redundancy.metric.pearson": "皮尔逊相关系数",
    "redundancy.metric.ssim": "SSIM（结构相似度）",
    "redundancy.metric.help": (
        "余弦：两张特征图之间的夹角。皮尔逊：各自减去均值后的余弦。SSIM：把特征图缩放到 0–1 后，"
        "在 7×7 窗口上取平均的结构相似度。"
    ),
    "redundancy.showing": "当前显示：**{net}**，使用 **{weights}**。",
    "redundancy.wlabel.imagenet": "ImageNet 权重",
    "redundancy.wlabel.untrained": "未训练的（随机）权重",
    "redundancy.wlabel.file": "你上传的权重文件",
    "redundancy.source": "来源：{source}",
    "redundancy.why.env": "读取自环境变量 {env} 指定的文件。",
    "redundancy.why.cache": "在 torch 的下载缓存中找到。",
    "redundancy.why.downloaded": "已下载一次并存入 torch 缓存。",
    "redundancy.why.requested": "按你的选择。",
    "redundancy.why.file": "已与网络结构逐一核对：所有张量的名称和形状都匹配。",
    "redundancy.why.untrained": "未训练：随机初始化（种子 0）。你看到的任何结构都来自网络结构和图片本身，"
                                "而不是学习。",
    "redundancy.fallback": (
        "离线状态下没有 ResNet-50 的 ImageNet 权重，因此改为显示 **EfficientNet-Lite0（ImageNet）**。"
        "若要使用 ResNet-50：在联网的机器上运行一次 `python -m effviz.weights fetch resnet50`，"
        "或把 `EFFVIZ_RESNET50_WEIGHTS` 设为权重文件路径，或选择“我的权重文件……”。"
    ),
    "redundancy.fallback_details": "尝试过的途径",
    "redundancy.downloading": "正在下载 ResNet-50 的 ImageNet 权重：{done} / {total} MB",
    "redundancy.download_failed": "下载失败（{problem}），改用离线可用的权重。",
    "redundancy.loading": "正在加载网络……",
    "redundancy.computing": "正在计算特征图和相似度……",
    "redundancy.computing_ghost": "正在拟合幻影特征图……",
    "redundancy.computing_sweep": "正在尝试所有 s 和 d 的组合……",
    "redundancy.sees": "网络的识别结果：{top}",
    "redundancy.input": "网络输入（中心裁剪 224×224）",
    "redundancy.metric_maps": "特征图",
    "redundancy.metric_nn": "最近邻平均相似度",
    "redundancy.metric_copies": "有近似副本的特征图（≥ {thr}）",
    "redundancy.metric_nn.help": "对每张特征图，取它与最相似的另一张图的相似度，再求平均。",
    "redundancy.tab.maps": "特征图",
    "redundancy.tab.similarity": "相似度热力图",
    "redundancy.tab.pairs": "最相似的特征图对",
    "redundancy.tab.channel": "单个通道",
    "redundancy.tab.ghost": "Ghost 重建",
    "redundancy.sort": "排列顺序",
    "redundancy.sort.channel": "按通道编号",
    "redundancy.sort.cluster": "按相似度聚类",
    "redundancy.colors": "配色",
    "redundancy.page": "页码",
    "redundancy.grid_png": "下载这一页特征图（PNG）",
    "redundancy.grid_caption": (
        "第 {first}–{last} 个通道，共 {total} 个。每张图按自身的最小值–最大值缩放；鼠标悬停可看原始数值。"
        "按聚类排列时，相似的特征图会挨在一起。"
    ),
    "redundancy.hover_channel": "通道 {c}",
    "redundancy.hover_pair": "通道 {i} 与 {j}",
    "redundancy.heatmap_caption": (
        "{c} 张特征图两两之间的{metric}，按层次聚类（以 1 − 相似度为距离，平均链接）排序："
        "对角线上的亮块就是一组组冗余的特征图。"
    ),
    "redundancy.heatmap_pooled": "以 {side}×{side} 的色块显示，每块是 {f} 个相邻通道的平均值。",
    "redundancy.hist_x": "与最相似的另一张特征图的相似度",
    "redundancy.hist_y": "特征图数量",
    "redundancy.series.trained": "{net} · {weights}",
    "redundancy.series.untrained": "{net} · 未训练",
    "redundancy.topk": "显示的特征图对数",
    "redundancy.pair_title": "#{i} ↔ #{j}:{score}",
    "redundancy.pairs_caption": (
        "按{metric}排出的最相似的 {k} 对特征图。GhostNet 的图 1 用扳手标出这样的特征图对："
        "其中一张可以由另一张经廉价操作得到。"
    ),
    "redundancy.channel": "通道",
    "redundancy.channel_title": "#{c}（所选）",
    "redundancy.neighbour_title": "#{c}:{score}",
    "redundancy.channel_caption": "通道 {c}，以及按{metric}与它最相似的 {k} 张特征图。",
    "redundancy.ghost_ratio": "比例 s",
    "redundancy.ghost_ratio.help": "保留 m = ⌈C / s⌉ 张特征图作为本征图，其余 C − m 张由它们重建。",
    "redundancy.ghost_kernel": "廉价滤波器 d×d",
    "redundancy.ghost_choice": "本征特征图",
    "redundancy.choice.first": "前 m 张（与 Ghost 模块的排列方式相同）",
    "redundancy.choice.cluster": "每个相似度聚类选一张代表",
    "redundancy.compare": "与同一网络未训练时比较",
    "redundancy.ghost_explain": (
        "对其余 {g} 张特征图中的每一张，effviz 用最小二乘法从每张本征图拟合一个 {d}×{d} 逐通道卷积滤波器"
        "加偏置，并保留效果最好的那张本征图。相对误差 = ‖重建 − 实际‖ / ‖实际‖；PSNR 以每张图自身的取值范围为峰值。"
    ),
    "redundancy.ghost_m": "本征特征图数 m",
    "redundancy.ghost_error": "重建特征图的误差",
    "redundancy.ghost_error_all": "整层误差",
    "redundancy.ghost_psnr": "整层 PSNR",
    "redundancy.ghost_untrained_delta": "未训练：{value}",
    "redundancy.ghost_examples": "重建得最好和最差的各两张特征图",
    "redundancy.row.source": "本征图 #{c}",
    "redundancy.row.rebuilt": "由 #{src} 重建：误差 {err}",
    "redundancy.row.actual": "实际特征图 #{c}",
    "redundancy.vs_d": "重建特征图的误差随 d 的变化（s = {s}）",
    "redundancy.vs_s": "重建特征图的误差随 s 的变化（d = {d}）",
    "redundancy.axis_d": "廉价滤波器尺寸 d",
    "redundancy.axis_s": "比例 s",
    "redundancy.axis_error": "相对误差",
    "redundancy.ghost_cost": (
        "意义在于：Ghost 模块只用普通卷积计算 m 张本征图，其余每张只需一个 {d}×{d} 逐通道卷积滤波器，"
        "因此这一层大约只需要 1/{s} 的 MACs（见“卷积游乐场”中的 Ghost 模块）。"
    ),
    "redundancy.single_map": "这一层只有一张特征图，没有可比较的对象。",
}
