"""Conv Playground strings."""

EN = {
    "playground.title": "Conv Playground",
    "playground.family": "Block family",
    "playground.family_reset": "{family} cannot take the current numbers, so it starts from its textbook example.",
    "playground.link_adjusted": "{family} cannot take the link's numbers as they are, so the nearest block it "
                                "takes is shown: {changes}.",
    "playground.sep.changes": ", ",
    "playground.shown_at": "{family} ({changes})",
    "playground.shown_at_note": "A family that cannot take this shape is shown at the nearest one it takes, named "
                                "in brackets (a stride-1 ShuffleNet unit adds or splits its input, so C_out = C_in).",
    "playground.seed_button": "Seed example: 112 vs 46",
    "playground.seed_help": "3 → 4 channels, 3×3, 64×64, with bias: a standard conv has 112 parameters, the "
                            "depthwise-separable one 30 + 16 = 46.",
    "playground.groups_reason": " (groups must divide C_in={c_in} and C_out={c_out})",
    "playground.invalid": "These settings do not make a valid block: {problem}",
    "playground.delta": "{pct}% · {factor}× fewer",
    "playground.delta_more": "{factor}× more",
    "playground.delta_same": "same as the standard conv",
    "playground.baseline": "Baseline: a standard {k}×{k} conv of the same shape has {params} parameters and "
                           "{macs} MACs.",
    "playground.output_shape": "Output C×H×W: **{shape}**",
    "playground.verify": "Check against torch's FLOP counter",
    "playground.verify_help": "Builds the block as a real torch module (on the meta device, no weights allocated) "
                              "and counts it with torch.utils.flop_counter.",
    "playground.verifying": "Building the module and counting with torch…",
    "playground.verified": "✓ torch counts {params} parameters and {macs} MACs: identical to the formulas.",
    "playground.mismatch": "✗ torch counts {params} parameters and {macs} MACs, which differs from the formulas.",
    "playground.log_scale": "Log scale",
    "playground.sweep_param": "Vary",
    "playground.sweep_metric": "Show",
    "playground.dense_baseline": "Standard conv, same shape",
    "playground.crossover_text": (
        "MnasNet prefers one 5×5 depthwise-separable layer to two 3×3 ones. For input (H, W, M) and output N: "
        "one 5×5 costs H·W·M·(25 + N), two 3×3 cost 2·H·W·M·(9 + N), so the 5×5 is cheaper exactly when N > 7. "
        "Both curves below are computed from the block costs."
    ),
    "playground.crossover_m": "Input channels M",
    "playground.crossover_n": "Output channels N",
    "playground.one_5x5": "one 5×5 depthwise-separable",
    "playground.two_3x3": "two 3×3 depthwise-separable",
    "anatomy.title": "The block, as its paper draws it",
    "anatomy.caption": "Every box is one operation of the block at the settings on the left (conv, BN and "
                       "activation drawn as one box), with its parameters, its MACs and their share of the block's; "
                       "every arrow carries the tensor's C×H×W. ★ marks the box with the most MACs; dashed arrows "
                       "are identity paths. Drawn from the same declaration the numbers above come from.",
    "anatomy.input": "input",
    "anatomy.output": "output",
    "anatomy.conv": "{k}×{k} Conv",
    "anatomy.depthwise": "{k}×{k} DWConv",
    "anatomy.group": "{k}×{k} GConv, g={g}",
    "anatomy.stride": "stride {s}",
    "anatomy.bias": "bias",
    "anatomy.bn": "BN",
    "anatomy.relu": "ReLU",
    "anatomy.relu6": "ReLU6",
    "anatomy.hswish": "h-swish",
    "anatomy.swish": "swish",
    "anatomy.sigmoid": "sigmoid",
    "anatomy.hard_sigmoid": "h-sigmoid",
    "anatomy.se": "SE",
    "anatomy.se_detail": "pool → 1×1 → {act}\n→ 1×1 → {gate} → ×",
    "anatomy.ghost_module": "Ghost module, s={s}",
    "anatomy.ghost_detail": "primary {k}×{k} Conv → {m}\ncheap {d}×{d} DWConv → {g}",
    "anatomy.pool": "{k}×{k} avg pool, stride {s}",
    "anatomy.global_pool": "global avg pool",
    "anatomy.add": "add",
    "anatomy.mul": "multiply",
    "anatomy.concat": "concat",
    "anatomy.split": "channel split",
    "anatomy.shuffle": "channel shuffle, g={g}",
    "anatomy.slice": "keep first {c} channels",
    "anatomy.pad": "TF SAME padding",
    "anatomy.params": "{n} params",
    "anatomy.macs": "{n} MACs · {pct}%",
    "anatomy.free": "0 params · 0 MACs",
    "anatomy.total": "total: {params} params · {macs} MACs",
    "anatomy.conv_rect": "{kh}×{kw} Conv",
    "anatomy.depthwise_rect": "{kh}×{kw} DWConv",
    "anatomy.group_rect": "{kh}×{kw} GConv, g={g}",
    "anatomy.upsample": "nearest upsample",
    "anatomy.dfc": "DFC attention",
    "anatomy.norm": "BN",
    "reparam.title": "Folding branches: re-parameterisation (RepVGG, MobileOne)",
    "reparam.intro": (
        "A RepVGG block trains with three parallel branches, each ending in BatchNorm: a k×k conv, a 1×1 conv and "
        "the identity. At inference every branch is linear, so the three fold into **one k×k conv with a bias**: "
        "the same outputs, fewer parameters and MACs, and one kernel instead of three passes over the feature map "
        "(and two additions) — which is where the time goes. The numbers below are computed on a real block with "
        "random weights and random BatchNorm statistics."
    ),
    "reparam.channels": "Channels C (in = out)",
    "reparam.size": "Input H = W",
    "reparam.depthwise": "Depthwise (MobileOne)",
    "reparam.depthwise_help": "Every branch grouped per channel, as in MobileOne's depthwise blocks.",
    "reparam.train_graph": "Training graph",
    "reparam.deploy_graph": "Inference graph (folded)",
    "reparam.kernels_title": "The kernels that add up",
    "reparam.kernels_text": (
        "Output channel 0, input channel 0. Each branch's BatchNorm is folded into its own kernel "
        "(W·γ/√(σ²+ε), bias β − μ·γ/√(σ²+ε)); the 1×1 kernel is padded with zeros to {k}×{k}; the identity is a "
        "{k}×{k} kernel with a single 1 at its centre. Their sum is the folded kernel, and the biases add up too."
    ),
    "reparam.branch.dense": "k×k conv + BN",
    "reparam.branch.pointwise": "1×1 conv + BN, padded",
    "reparam.branch.identity": "identity + BN",
    "reparam.branch.folded": "folded k×k",
    "reparam.bias": "bias {b}",
    "reparam.proof": "Both forms on the same random {c}×{hw}×{hw} input (eval mode): largest difference "
                     "{abs} ({rel} of the largest output): equal up to floating-point rounding.",
    "reparam.col.params": "parameters",
    "reparam.col.macs": "MACs",
    "reparam.col.latency": "latency (ms, 1 thread)",
    "reparam.row.train": "training form (3 branches + BN)",
    "reparam.row.deploy": "folded (one conv)",
    "reparam.measure": "Measure the latency of both",
    "reparam.measuring": "Timing both forms on this machine…",
    "reparam.speedup": "The folded block runs {x}× as fast as its training form here (same run, same input).",
    "tab.families": "All families at this shape",
    "tab.sweep": "Sweep a parameter",
    "tab.crossover": "5×5 vs two 3×3",
    "tab.theory": "Theory check",
    "theory.dws": (
        "**Depthwise-separable vs standard** (MobileNet v1): the cost ratio is 1/N + 1/k² = "
        "1/{n} + 1/{k}² = **{formula:.4f}**; computed from the two blocks' MACs: **{measured:.4f}**."
    ),
    "theory.ghost": (
        "**Ghost module vs standard conv** (GhostNet, eq. 4): speed-up c·k²·s / (c·k² + (s−1)·d²) with c={c}, "
        "k={k}, s={s}, d={d} gives **{formula:.3f}×**; computed from the two blocks' MACs: **{measured:.3f}×** "
        "(identical when s divides C_out: {divisible}). As c·k² grows the speed-up tends to s."
    ),
    "playground.family_note": "{family}: {note}",
    "theory.divisible.yes": "yes",
    "theory.divisible.no": "no",
    # A block's parts (cost.leaves() names, one key per dotted segment): the parts table, chart and formulas.
    "part.sep": " · ",
    "part.block": "block",
    "part.conv": "conv",
    "part.depthwise": "depthwise",
    "part.dwconv": "depthwise",
    "part.pointwise": "pointwise",
    "part.expand": "expand",
    "part.project": "project",
    "part.reduce": "reduce",
    "part.se": "SE",
    "part.primary": "primary conv",
    "part.cheap": "cheap op",
    "part.ghost1": "Ghost module 1",
    "part.ghost2": "Ghost module 2",
    "part.left": "left branch",
    "part.right": "right branch",
    "part.shortcut": "shortcut",
    "part.gconv1": "1×1 group conv 1",
    "part.gconv2": "1×1 group conv 2",
    "part.pw1": "1×1 conv 1",
    "part.pw2": "1×1 conv 2",
    "part.pconv": "partial conv",
    "part.dw_start": "depthwise at the start",
    "part.dw_mid": "depthwise in the middle",
    "part.ghost": "Ghost module",
    "part.dfc": "DFC attention",
    "part.horizontal": "horizontal FC",
    "part.vertical": "vertical FC",
}


ZH = {
    "playground.title": "卷积游乐场",
    "playground.family": "模块类型",
    "playground.family_reset": "{family} 不能使用当前的数值，所以改用它的标准示例。",
    "playground.link_adjusted": "{family} 不能直接使用链接中的数值，所以显示它能接受的最接近的模块：{changes}。",
    "playground.sep.changes": "，",
    "playground.shown_at": "{family}（{changes}）",
    "playground.shown_at_note": "不能取这个形状的模块族按它能接受的最接近的形状显示，括号中注明改动"
                                "（步长为 1 的 ShuffleNet 单元要与输入相加或拆分输入，所以 C_out = C_in）。",
    "playground.seed_button": "文章示例：112 对 46",
    "playground.seed_help": "出自《关于深度可分离卷积的理解》一文：3 → 4 通道、3×3、64×64、带偏置，"
                            "标准卷积有 112 个参数，深度可分离卷积只有 30 + 16 = 46 个。",
    "playground.groups_reason": "（分组数必须能整除 C_in={c_in} 和 C_out={c_out}）",
    "playground.invalid": "这些设置构不成一个有效的模块：{problem}",
    "playground.delta": "{pct}%（1/{factor}）",
    "playground.delta_more": "是标准卷积的 {factor} 倍",
    "playground.delta_same": "与标准卷积相同",
    "playground.baseline": "基准：同样形状的标准 {k}×{k} 卷积有 {params} 个参数、{macs} MACs。",
    "playground.output_shape": "输出 C×H×W：**{shape}**",
    "playground.verify": "用 torch 的 FLOP 计数器核对",
    "playground.verify_help": "把模块真正搭成 torch 模块（在 meta 设备上，不分配权重），再用 "
                              "torch.utils.flop_counter 计数。",
    "playground.verifying": "正在搭建模块并用 torch 计数……",
    "playground.verified": "✓ torch 统计出 {params} 个参数、{macs} MACs：与公式完全一致。",
    "playground.mismatch": "✗ torch 统计出 {params} 个参数、{macs} MACs，与公式不一致。",
    "playground.log_scale": "对数坐标",
    "playground.sweep_param": "改变",
    "playground.sweep_metric": "显示",
    "playground.dense_baseline": "同形状的标准卷积",
    "playground.crossover_text": (
        "MnasNet 更喜欢用一个 5×5 深度可分离卷积层，而不是两个 3×3 的。设输入为 (H, W, M)、输出通道为 N："
        "一个 5×5 的计算量是 H·W·M·(25 + N)，两个 3×3 的是 2·H·W·M·(9 + N)，所以恰好在 N > 7 时 5×5 更省。"
        "下面两条曲线都是由模块的计算量算出来的。"
    ),
    "playground.crossover_m": "输入通道数 M",
    "playground.crossover_n": "输出通道数 N",
    "playground.one_5x5": "一个 5×5 深度可分离卷积",
    "playground.two_3x3": "两个 3×3 深度可分离卷积",
    "anatomy.title": "按论文的画法看这个模块",
    "anatomy.caption": "每个方框是模块在左侧设置下的一个运算（卷积、BN 和激活画在同一个框里），标出它的参数量、MACs "
                       "以及占整个模块 MACs 的比例；每条箭头上写着张量的 C×H×W。★ 标出 MACs 最多的方框；虚线箭头是恒等"
                       "映射。图和上面的数字来自同一份结构声明。",
    "anatomy.input": "输入",
    "anatomy.output": "输出",
    "anatomy.conv": "{k}×{k} 卷积",
    "anatomy.depthwise": "{k}×{k} 逐通道卷积",
    "anatomy.group": "{k}×{k} 分组卷积，g={g}",
    "anatomy.stride": "步长 {s}",
    "anatomy.bias": "偏置",
    "anatomy.bn": "BN",
    "anatomy.relu": "ReLU",
    "anatomy.relu6": "ReLU6",
    "anatomy.hswish": "h-swish",
    "anatomy.swish": "swish",
    "anatomy.sigmoid": "sigmoid",
    "anatomy.hard_sigmoid": "h-sigmoid",
    "anatomy.se": "SE 模块",
    "anatomy.se_detail": "池化 → 1×1 → {act}\n→ 1×1 → {gate} → ×",
    "anatomy.ghost_module": "Ghost 模块，s={s}",
    "anatomy.ghost_detail": "主卷积 {k}×{k} → {m}\n廉价操作 {d}×{d} 逐通道 → {g}",
    "anatomy.pool": "{k}×{k} 平均池化，步长 {s}",
    "anatomy.global_pool": "全局平均池化",
    "anatomy.add": "相加",
    "anatomy.mul": "相乘",
    "anatomy.concat": "拼接",
    "anatomy.split": "通道拆分",
    "anatomy.shuffle": "通道重排，g={g}",
    "anatomy.slice": "保留前 {c} 个通道",
    "anatomy.pad": "TF SAME 填充",
    "anatomy.params": "{n} 参数",
    "anatomy.macs": "{n} MACs · {pct}%",
    "anatomy.free": "0 参数 · 0 MACs",
    "anatomy.total": "合计：{params} 参数 · {macs} MACs",
    "anatomy.conv_rect": "{kh}×{kw} 卷积",
    "anatomy.depthwise_rect": "{kh}×{kw} 逐通道卷积",
    "anatomy.group_rect": "{kh}×{kw} 分组卷积，g={g}",
    "anatomy.upsample": "最近邻上采样",
    "anatomy.dfc": "DFC 注意力",
    "anatomy.norm": "BN",
    "reparam.title": "折叠分支：结构重参数化（RepVGG、MobileOne）",
    "reparam.intro": (
        "RepVGG 块在训练时有三个并行分支，每个分支都以 BatchNorm 结尾：k×k 卷积、1×1 卷积和恒等映射。推理时每个分支"
        "都是线性的，所以三者可以折叠成**一个带偏置的 k×k 卷积**：输出相同，参数和 MACs 更少，而且只需在特征图上"
        "走一遍、不再需要两次相加——时间正花在这些地方。下面的数字来自一个真实的模块，"
        "权重和 BatchNorm 统计量都是随机的。"
    ),
    "reparam.channels": "通道数 C（输入 = 输出）",
    "reparam.size": "输入 H = W",
    "reparam.depthwise": "逐通道（MobileOne）",
    "reparam.depthwise_help": "每个分支都按通道分组，与 MobileOne 的逐通道块相同。",
    "reparam.train_graph": "训练时的结构",
    "reparam.deploy_graph": "推理时的结构（已折叠）",
    "reparam.kernels_title": "相加的卷积核",
    "reparam.kernels_text": (
        "输出通道 0、输入通道 0。每个分支的 BatchNorm 折叠进它自己的卷积核（W·γ/√(σ²+ε)，偏置 β − μ·γ/√(σ²+ε)）；"
        "1×1 卷积核四周补零成 {k}×{k}；恒等映射是中心为 1 的 {k}×{k} 卷积核。它们的和就是折叠后的卷积核，偏置也相加。"
    ),
    "reparam.branch.dense": "k×k 卷积 + BN",
    "reparam.branch.pointwise": "1×1 卷积 + BN（补零）",
    "reparam.branch.identity": "恒等 + BN",
    "reparam.branch.folded": "折叠后的 k×k",
    "reparam.bias": "偏置 {b}",
    "reparam.proof": "两种形式在同一个随机 {c}×{hw}×{hw} 输入上运行（eval 模式）：最大差异 {abs}（相对最大输出为 "
                     "{rel}）：只差浮点舍入。",
    "reparam.col.params": "参数量",
    "reparam.col.macs": "MACs",
    "reparam.col.latency": "延迟（毫秒，单线程）",
    "reparam.row.train": "训练形式（3 个分支 + BN）",
    "reparam.row.deploy": "折叠后（一个卷积）",
    "reparam.measure": "测量两者的延迟",
    "reparam.measuring": "正在本机上测量两种形式……",
    "reparam.speedup": "在这里，折叠后的块比训练形式快 {x} 倍（同一次运行、同一个输入）。",
    "tab.families": "同一形状下的所有模块",
    "tab.sweep": "扫描一个参数",
    "tab.crossover": "5×5 对比两个 3×3",
    "tab.theory": "理论核对",
    "theory.dws": (
        "**深度可分离卷积 对比 标准卷积**（MobileNet v1）：计算量之比为 1/N + 1/k² = 1/{n} + 1/{k}² = "
        "**{formula:.4f}**；由两个模块的 MACs 直接算出：**{measured:.4f}**。"
    ),
    "theory.ghost": (
        "**Ghost 模块 对比 标准卷积**（GhostNet 公式 4）：加速比 c·k²·s / (c·k² + (s−1)·d²)，取 c={c}、k={k}、"
        "s={s}、d={d} 得 **{formula:.3f}×**；由两个模块的 MACs 直接算出：**{measured:.3f}×**（s 整除 C_out 时两者相同，"
        "{divisible}）。c·k² 越大，加速比越接近 s。"
    ),
    "playground.family_note": "{family}：{note}",
    "theory.divisible.yes": "这里正是如此",
    "theory.divisible.no": "这里 s 不整除 C_out",
    "part.sep": " · ",
    "part.block": "整个模块",
    "part.conv": "卷积",
    "part.depthwise": "逐通道卷积",
    "part.dwconv": "逐通道卷积",
    "part.pointwise": "逐点卷积",
    "part.expand": "升维",
    "part.project": "降维",
    "part.reduce": "降维",
    "part.se": "SE 模块",
    "part.primary": "主卷积",
    "part.cheap": "廉价操作",
    "part.ghost1": "第一个 Ghost 模块",
    "part.ghost2": "第二个 Ghost 模块",
    "part.left": "左分支",
    "part.right": "右分支",
    "part.shortcut": "捷径分支",
    "part.gconv1": "第一个 1×1 分组卷积",
    "part.gconv2": "第二个 1×1 分组卷积",
    "part.pw1": "第一个 1×1 卷积",
    "part.pw2": "第二个 1×1 卷积",
    "part.pconv": "部分卷积",
    "part.dw_start": "起始逐通道卷积",
    "part.dw_mid": "中间逐通道卷积",
    "part.ghost": "Ghost 模块",
    "part.dfc": "DFC 注意力",
    "part.horizontal": "水平全连接",
    "part.vertical": "垂直全连接",
}
