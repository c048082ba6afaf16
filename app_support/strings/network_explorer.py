"""Network Explorer strings."""

EN = {
    "network_explorer.nav": "Network Explorer",
    "network_explorer.title": "Network Explorer",
    "network_explorer.intro": (
        "Pick a network, its width and the input resolution: see where its parameters and MACs go, stage by stage "
        "and layer by layer, next to every other network of the zoo. Networks are built without weights (on "
        "PyTorch's meta device) and counted by torch's own FLOP counter."
    ),
    "network_explorer.network": "Network",
    "network_explorer.network_help": "Networks marked effviz are built here from effviz's blocks; the others are "
                                     "torchvision's.",
    "network_explorer.width": "Width multiplier",
    "network_explorer.width_help": "Scales the channels of every layer (the paper's α or s×).",
    "network_explorer.groups": "Groups g",
    "network_explorer.groups_help": "Groups of the 1×1 group convolutions (ShuffleNet v1, Table 1).",
    "network_explorer.resolution": "Input resolution (pixels)",
    "network_explorer.resolution_help": "Square input, r × r. MACs grow with r², parameters stay the same.",
    "network_explorer.res_default": "Switched the resolution to {res}×{res}, {network}'s own input size.",
    "network_explorer.origin.effviz": "effviz (built from effviz.blocks)",
    "network_explorer.origin.torchvision": "torchvision",
    "network_explorer.origin.timm": "timm (newer: FasterNet, MobileNetV4, GhostNetV2, RepVGG)",
    "network_explorer.weights": "Weights (float32)",
    "network_explorer.weights_help": "{params} parameters × 4 bytes = {bytes} bytes",
    "network_explorer.peak": "Peak activation (float32)",
    "network_explorer.peak_help": "The largest single output of a layer: {elements} values ({layer}), × 4 bytes.",
    "network_explorer.published": "**Published** ({source}): top-1 **{top1} %**, {params} parameters, {macs} MACs.",
    "network_explorer.published_none": "No published ImageNet figures for this variant.",
    "network_explorer.counted_vs": "Counted here: {params} parameters ({dparams}), {macs} MACs ({dmacs}).",
    "network_explorer.published_at": "Published figures are for {res}×{res} inputs; set the resolution to {res} to "
                                     "compare them with the count.",
    "network_explorer.percent": "{x} %",
    "network_explorer.mismatch": "Known gap: {why}.",
    "network_explorer.scaling": (
        "At {res}×{res} the network needs **{ratio}×** the MACs it needs at {ref}×{ref} — close to (r / r₀)² = "
        "{quad} because MACs grow with the area of every feature map — while its parameters do not change."
    ),
    "network_explorer.stages": "Per stage: params and MACs by layer kind",
    "network_explorer.stages_caption": (
        "A stage is everything at one output stride (1/2, 1/4, … of the input size); \"head\" is everything after "
        "global pooling. Depthwise convs hold few parameters and few MACs; the 1×1 (pointwise or group) convs hold "
        "most of both in efficient networks."
    ),
    "network_explorer.diagram": "Block sequence",
    "network_explorer.diagram_caption": (
        "One row per run of identical blocks, input to output (×n repeats, ↓ stride, channels in → out): bar "
        "length = output channels (log scale), colour = stage. Hover for parameters and MACs."
    ),
    "network_explorer.channels": "output channels",
    "network_explorer.head": "head",
    "network_explorer.tab.treemap": "Where the parameters live",
    "network_explorer.tab.layers": "Layers",
    "network_explorer.tab.graph": "Graph",
    "network_explorer.graph_caption": "The network as a graph, in execution order: one box per block, grouped by "
                                      "stage, coloured by its share of the network's MACs (darker = more), the "
                                      "tensor's C×H×W on every arrow. Open stages to see their blocks' layers (a "
                                      "conv and its BatchNorm as one box; a block's layers are drawn as a chain: "
                                      "the profile measures which layers a block has, not how its branches join).",
    "network_explorer.graph_open": "Open stages to layers",
    "network_explorer.graph_open_help": "Each chosen stage shows the layers of its blocks instead of one box per "
                                        "block.",
    "network_explorer.graph_block": "Block",
    "network_explorer.graph_rows": "Layers of **{block}** ({rows}):",
    "network_explorer.graph.input": "input",
    "network_explorer.graph.params": "{n} params",
    "network_explorer.graph.macs": "{n} MACs · {pct}%",
    "network_explorer.graph.legend": "colour: share of the network's MACs (darkest: {pct}%)",
    "network_explorer.graph.legend_time": "colour: measured time on this machine (darkest: {top})",
    "network_explorer.graph.legend_gmacs": "colour: achieved GMAC/s on this machine (darkest: {top})",
    "network_explorer.graph.legend_memory": "colour: memory access, bytes read and written (darkest: {top})",
    "network_explorer.graph.legend_macs": "colour: MACs (darkest: {top})",
    "network_explorer.graph.measured": "measured {ms} ms · {rate} GMAC/s · {mb} MB moved",
    "network_explorer.overlay": "Colour by",
    "network_explorer.overlay.macs": "MACs (counted)",
    "network_explorer.overlay.time": "Time (measured)",
    "network_explorer.overlay.gmacs": "Achieved GMAC/s (measured)",
    "network_explorer.overlay.memory": "Memory access (bytes moved)",
    "network_explorer.overlay_measure": "⏱️ Measure each layer's time",
    "network_explorer.overlay_help": (
        "Times every layer of this network on this server's CPU with torch's profiler ({threads} thread(s), "
        "random weights: time does not depend on their values). It takes two forward passes and "
        "waits its turn behind other measurements, so it runs only when clicked."
    ),
    "network_explorer.overlay_before": "Time, GMAC/s and memory access colour the graph once each layer's time is "
                                       "measured (the button above).",
    "network_explorer.overlay_done": (
        "Measured at {res} × {res}, {threads} thread(s): the whole pass {whole} ms, its layers {layers} ms "
        "({share}%, each block's own additions and concatenations included); the rest is Python between layers."
    ),
    "network_explorer.overlay_onnx": "An uploaded ONNX file is timed node by node in the Latency Lab (where the "
                                     "time goes); its graph here stays coloured by MACs.",
    "network_explorer.overlay_failed": "Could not time the layers: {problem}",
    "network_explorer.tab.resolution": "Resolution",
    "network_explorer.tab.zoo": "Zoo map",
    "network_explorer.tab.compare": "Compare",
    "network_explorer.treemap_caption": "Area = parameters. Click a stage or block to zoom in; click the top bar to "
                                        "zoom out. Colours are layer kinds, as in the stage chart.",
    "network_explorer.kind.standard": "Standard conv",
    "network_explorer.kind.pointwise": "Pointwise 1×1 conv",
    "network_explorer.kind.depthwise": "Depthwise conv",
    "network_explorer.kind.group": "Group conv",
    "network_explorer.kind.se": "Squeeze-and-excitation",
    "network_explorer.kind.linear": "Linear (FC)",
    "network_explorer.kind.norm": "BatchNorm",
    "network_explorer.kind.other": "Other",
    "network_explorer.filter_kinds": "Layer kinds",
    "network_explorer.filter_name": "Name contains",
    "network_explorer.rows": "{shown} of {total} layers · click a column header to sort.",
    "network_explorer.csv": "Download the table (CSV)",
    "network_explorer.col.name": "Layer",
    "network_explorer.col.kind": "Kind",
    "network_explorer.col.module": "Module",
    "network_explorer.col.stage": "Stage",
    "network_explorer.col.output": "Output shape",
    "network_explorer.col.params": "Parameters",
    "network_explorer.col.macs": "MACs",
    "network_explorer.col.share": "Share of MACs (%)",
    "network_explorer.col.activation": "Output values",
    "network_explorer.resolution_caption": (
        "Counted at every resolution from 128 to 320: the MACs follow the dashed (r / r₀)² curve, the parameter "
        "count is flat. (Not exactly r²: odd sizes round up at each stride-2 layer.)"
    ),
    "network_explorer.res_axis": "input resolution r (r × r pixels)",
    "network_explorer.res_reference": "MACs at r₀ × (r / r₀)²",
    "network_explorer.zoo_caption": (
        "Every network variant with a published ImageNet top-1, at its MACs counted here (at its own input size); "
        "marker area ∝ parameters; the current choice is ringed. Hover for the published figures and their source."
    ),
    "network_explorer.zoo_x": "MACs, counted here (log scale)",
    "network_explorer.zoo_y": "published ImageNet top-1 (%)",
    "network_explorer.zoo_hover": "<b>{label}</b><br>top-1 {top1} % ({source})<br>counted: {params} params, "
                                  "{macs} MACs at {res}×{res}<br>published: {pparams} params, {pmacs} MACs",
    "network_explorer.zoo_missing": "{label} has no published top-1, so it is not on the map.",
    "network_explorer.zoo_loading": "Counting every network of the zoo (once per server)…",
    "network_explorer.profiling": "Counting {network} layer by layer (once per setting on this server, then "
                                  "every student gets it at once)…",
    "network_explorer.compare_with": "Compare with",
    "network_explorer.compare_caption": "Both at {res}×{res}. Stages are matched by output stride.",
    "network_explorer.row.params": "Parameters",
    "network_explorer.row.macs": "MACs",
    "network_explorer.row.flops": "FLOPs",
    "network_explorer.row.weights": "Weights (MB, float32)",
    "network_explorer.row.peak": "Peak activation (MB, float32)",
    "network_explorer.row.top1": "Published top-1 (%)",
    "network_explorer.row.layers": "Layers with parameters",
    "network_explorer.error": "This network cannot be built with these options: {problem}",
}

ZH = {
    "network_explorer.nav": "网络结构探索",
    "network_explorer.title": "网络结构探索",
    "network_explorer.intro": (
        "选择一个网络、它的宽度和输入分辨率，看看参数量和 MACs 都花在了哪里："
        "按阶段、按层逐一拆开，并与模型库里的其他网络对比。"
        "网络在 PyTorch 的 meta 设备上构建（不分配权重），由 torch 自带的 FLOP 计数器统计。"
    ),
    "network_explorer.network": "网络",
    "network_explorer.network_help": "标为 effviz 的网络由本项目的模块搭建而成，其余来自 torchvision。",
    "network_explorer.width": "宽度乘子",
    "network_explorer.width_help": "按比例缩放每一层的通道数（即论文中的 α 或 s×）。",
    "network_explorer.groups": "分组数 g",
    "network_explorer.groups_help": "1×1 分组卷积的组数（ShuffleNet v1 论文表 1）。",
    "network_explorer.resolution": "输入分辨率（像素）",
    "network_explorer.resolution_help": "正方形输入 r × r。MACs 随 r² 增长，参数量保持不变。",
    "network_explorer.res_default": "已将分辨率切换为 {res}×{res}，即 {network} 自己的输入尺寸。",
    "network_explorer.origin.effviz": "effviz（由 effviz 模块搭建）",
    "network_explorer.origin.torchvision": "torchvision",
    "network_explorer.origin.timm": "timm（较新的网络：FasterNet、MobileNetV4、GhostNetV2、RepVGG）",
    "network_explorer.weights": "权重大小（float32）",
    "network_explorer.weights_help": "{params} 个参数 × 4 字节 = {bytes} 字节",
    "network_explorer.peak": "最大单层输出（float32）",
    "network_explorer.peak_help": "单层输出中最大的一个：{elements} 个数值（{layer}），每个 4 字节。",
    "network_explorer.published": "**论文/官方数据**（{source}）：top-1 **{top1}%**，参数量 {params}，MACs {macs}。",
    "network_explorer.published_none": "这个配置没有公开的 ImageNet 数据。",
    "network_explorer.counted_vs": "本页统计：参数量 {params}（{dparams}），MACs {macs}（{dmacs}）。",
    "network_explorer.published_at": "公开数据对应 {res}×{res} 的输入；把分辨率设为 {res} 即可与统计结果对照。",
    "network_explorer.percent": "{x}%",
    "network_explorer.mismatch": "已知差异：{why}。",
    "network_explorer.scaling": (
        "在 {res}×{res} 下，这个网络的 MACs 是 {ref}×{ref} 时的 **{ratio} 倍**，接近 (r / r₀)² = {quad}，"
        "因为每张特征图的面积都随分辨率平方增长；而参数量完全不变。"
    ),
    "network_explorer.stages": "各阶段：按层类型拆分的参数量与 MACs",
    "network_explorer.stages_caption": (
        "一个阶段是同一输出步长（输入尺寸的 1/2、1/4……）下的所有层；“分类头”指全局池化之后的部分。"
        "在高效网络里，逐通道卷积的参数和计算都很少，大头在 1×1 的逐点卷积或分组卷积上。"
    ),
    "network_explorer.diagram": "模块序列",
    "network_explorer.diagram_caption": (
        "从输入到输出，每一行代表一串相同的模块（×n 为重复次数，↓ 为步长，并标出输入→输出通道数）："
        "条形长度为输出通道数（对数坐标），颜色表示所属阶段。鼠标悬停可查看参数量和 MACs。"
    ),
    "network_explorer.channels": "输出通道数",
    "network_explorer.head": "分类头",
    "network_explorer.tab.treemap": "参数都在哪里",
    "network_explorer.tab.layers": "逐层明细",
    "network_explorer.tab.graph": "结构图",
    "network_explorer.graph_caption": "按执行顺序画出整个网络：每个模块一个方框，按阶段分组，颜色表示它占整个网络 "
                                      "MACs 的比例（越深越多），每条箭头上写着张量的 C×H×W。展开某些阶段可以看到其中"
                                      "模块的各层（卷积和它后面的 BatchNorm 画成一个框；模块内的层画成一条链：剖析只"
                                      "测出模块有哪些层，而不是分支如何汇合）。",
    "network_explorer.graph_open": "展开到层的阶段",
    "network_explorer.graph_open_help": "选中的阶段不再每个模块画一个框，而是画出模块里的各层。",
    "network_explorer.graph_block": "模块",
    "network_explorer.graph_rows": "**{block}** 的各层（{rows} 行）：",
    "network_explorer.graph.input": "输入",
    "network_explorer.graph.params": "{n} 参数",
    "network_explorer.graph.macs": "{n} MACs · {pct}%",
    "network_explorer.graph.legend": "颜色：占整个网络 MACs 的比例（最深：{pct}%）",
    "network_explorer.graph.legend_time": "颜色：在本机实测的时间（最深：{top}）",
    "network_explorer.graph.legend_gmacs": "颜色：实际达到的 GMAC/s（最深：{top}）",
    "network_explorer.graph.legend_memory": "颜色：内存访问量，即读写的字节数（最深：{top}）",
    "network_explorer.graph.legend_macs": "颜色：乘加次数（最深：{top}）",
    "network_explorer.graph.measured": "实测 {ms} ms · {rate} GMAC/s · 搬运 {mb} MB",
    "network_explorer.overlay": "颜色表示",
    "network_explorer.overlay.macs": "乘加次数（计数）",
    "network_explorer.overlay.time": "时间（实测）",
    "network_explorer.overlay.gmacs": "实际 GMAC/s（实测）",
    "network_explorer.overlay.memory": "内存访问量（搬运的字节）",
    "network_explorer.overlay_measure": "⏱️ 测量每一层的时间",
    "network_explorer.overlay_help": (
        "用 torch 的性能分析器在本服务器的 CPU 上给这个网络的每一层计时（{threads} 个线程，权重随机："
        "时间与权重的取值无关）。它要跑两次前向传播，还要排在其他测量之后，所以只在点击时运行。"
    ),
    "network_explorer.overlay_before": "测出每一层的时间之后（上面的按钮），才能按时间、GMAC/s 和内存访问量给图上色。",
    "network_explorer.overlay_done": (
        "在 {res} × {res}、{threads} 个线程下测得：整次前向传播 {whole} ms，其中各层 {layers} ms（{share}%，"
        "含各模块自己的加法与拼接）；其余是层与层之间的 Python。"
    ),
    "network_explorer.overlay_onnx": (
        "上传的 ONNX 文件在延迟实验室（时间花在哪里）逐个节点计时；这里的图仍按乘加次数上色。"
    ),
    "network_explorer.overlay_failed": "无法给各层计时：{problem}",
    "network_explorer.tab.resolution": "分辨率",
    "network_explorer.tab.zoo": "模型库全景",
    "network_explorer.tab.compare": "对比",
    "network_explorer.treemap_caption": "面积代表参数量。点击某个阶段或模块可放大，点击顶部横条可返回。"
                                        "颜色表示层的类型，与阶段图一致。",
    "network_explorer.kind.standard": "标准卷积",
    "network_explorer.kind.pointwise": "逐点 1×1 卷积",
    "network_explorer.kind.depthwise": "逐通道卷积",
    "network_explorer.kind.group": "分组卷积",
    "network_explorer.kind.se": "SE 模块",
    "network_explorer.kind.linear": "全连接层",
    "network_explorer.kind.norm": "BatchNorm",
    "network_explorer.kind.other": "其他",
    "network_explorer.filter_kinds": "层类型",
    "network_explorer.filter_name": "名称包含",
    "network_explorer.rows": "显示 {shown} / {total} 层 · 点击列标题可排序。",
    "network_explorer.csv": "下载表格（CSV）",
    "network_explorer.col.name": "层",
    "network_explorer.col.kind": "类型",
    "network_explorer.col.module": "模块",
    "network_explorer.col.stage": "阶段",
    "network_explorer.col.output": "输出形状",
    "network_explorer.col.params": "参数量",
    "network_explorer.col.macs": "MACs",
    "network_explorer.col.share": "MACs 占比（%）",
    "network_explorer.col.activation": "输出数值个数",
    "network_explorer.resolution_caption": (
        "在 128 到 320 的每个分辨率下分别统计：MACs 沿着虚线 (r / r₀)² 增长，参数量是一条水平线。"
        "（不会严格等于 r²：遇到奇数尺寸时，每个步长为 2 的层都会向上取整。）"
    ),
    "network_explorer.res_axis": "输入分辨率 r（r × r 像素）",
    "network_explorer.res_reference": "r₀ 处的 MACs × (r / r₀)²",
    "network_explorer.zoo_caption": (
        "每个有公开 ImageNet top-1 的网络配置：横坐标是本页统计的 MACs（按各自的输入尺寸），点的面积与参数量成正比，"
        "当前选择用圆圈标出。鼠标悬停可查看公开数据及其出处。"
    ),
    "network_explorer.zoo_x": "MACs（本页统计，对数坐标）",
    "network_explorer.zoo_y": "公开的 ImageNet top-1（%）",
    "network_explorer.zoo_hover": "<b>{label}</b><br>top-1 {top1}%（{source}）<br>本页统计：参数量 {params}，"
                                  "MACs {macs}（{res}×{res}）<br>公开数据：参数量 {pparams}，MACs {pmacs}",
    "network_explorer.zoo_missing": "{label} 没有公开的 top-1，因此不在图中。",
    "network_explorer.zoo_loading": "正在统计模型库中的所有网络（每台服务器只需一次）……",
    "network_explorer.profiling": "正在逐层统计 {network}（每种设置在本服务器上只算一次，之后所有学生立即可见）……",
    "network_explorer.compare_with": "对比对象",
    "network_explorer.compare_caption": "两者都在 {res}×{res} 下统计，按输出步长对齐各阶段。",
    "network_explorer.row.params": "参数量",
    "network_explorer.row.macs": "MACs",
    "network_explorer.row.flops": "FLOPs",
    "network_explorer.row.weights": "权重大小（MB，float32）",
    "network_explorer.row.peak": "最大单层输出（MB，float32）",
    "network_explorer.row.top1": "公开 top-1（%）",
    "network_explorer.row.layers": "带参数的层数",
    "network_explorer.error": "无法用这些选项构建该网络：{problem}",
}
