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
}

ZH = {
    "playground.title": "卷积游乐场",
    "playground.family": "模块类型",
    "playground.family_reset": "{family} 不能使用当前的数值，所以从它的教科书示例开始。",
    "playground.link_adjusted": "{family} 不能直接使用链接中的数值，所以显示它能接受的最接近的模块：{changes}。",
    "playground.sep.changes": "，",
    "playground.shown_at": "{family}（{changes}）",
    "playground.shown_at_note": "不能取这个形状的模块族按它能接受的最接近的形状显示，括号中注明改动"
                                "（步长为 1 的 ShuffleNet 单元要与输入相加或拆分输入，所以 C_out = C_in）。",
    "playground.seed_button": "文章示例：112 对 46",
    "playground.seed_help": "3 → 4 通道、3×3、64×64、带偏置：标准卷积有 112 个参数，"
                            "深度可分离卷积只有 30 + 16 = 46 个。",
    "playground.groups_reason": "（分组数必须能整除 C_in={c_in} 和 C_out={c_out}）",
    "playground.invalid": "这些设置构不成一个有效的模块：{problem}",
    "playground.delta": "{pct}%（1/{factor}）",
    "playground.delta_more": "是标准卷积的 {factor} 倍",
    "playground.delta_same": "与标准卷积相同",
    "playground.baseline": "基准：同样形状的标准 {k}×{k} 卷积有 {params} 个参数、{macs} 次 MACs。",
    "playground.output_shape": "输出 C×H×W：**{shape}**",
    "playground.verify": "用 torch 的 FLOP 计数器核对",
    "playground.verify_help": "把模块真正搭成 torch 模块（在 meta 设备上，不分配权重），再用 "
                              "torch.utils.flop_counter 计数。",
    "playground.verifying": "正在搭建模块并用 torch 计数…",
    "playground.verified": "✓ torch 统计出 {params} 个参数、{macs} 次 MACs：与公式完全一致。",
    "playground.mismatch": "✗ torch 统计出 {params} 个参数、{macs} 次 MACs，与公式不一致。",
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
    "anatomy.se": "SE（挤压-激励）",
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
        "s={s}、d={d} 得 **{formula:.3f}×**；由两个模块的 MACs 直接算出：**{measured:.3f}×**（当 s 整除 C_out "
        "时两者相同：{divisible}）。c·k² 越大，加速比越接近 s。"
    ),
}
