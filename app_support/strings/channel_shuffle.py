"""Channel Shuffle page strings."""

EN = {
    "nav.channel_shuffle": "Channel Shuffle",
    "shuffle.title": "Channel Shuffle",
    "shuffle.intro": (
        "ShuffleNet's argument on one page. Group convolutions are cheap because each group only reads its own "
        "channels, but stack them and every output channel stays blind to all other groups. A **channel "
        "shuffle** between the layers (reshape to (g, C/g), transpose, flatten) hands every group a slice of "
        "every other group, at **0 parameters and 0 MACs**: it only moves memory."
    ),
    "shuffle.channels": "Channels C",
    "shuffle.channels.help": "Channels of each layer in the stack (kept small so that every channel is visible).",
    "shuffle.groups": "Groups g",
    "shuffle.groups.help": "Only divisors of C are offered: each group gets C/g channels.",
    "shuffle.groups_only": "Groups g: **{g}** (the only divisor of {c} here)",
    "shuffle.groups_reason": " (groups must divide C={c})",
    "shuffle.layers": "Stacked group convs",
    "shuffle.layers.help": "1×1 group convolutions (with BatchNorm and ReLU) applied one after another.",
    "shuffle.on": "Shuffle between the layers",
    "shuffle.on.help": "Show the stack below with or without a channel shuffle between consecutive group convs.",
    "shuffle.output": "Output channel to follow",
    "shuffle.output.help": "The verdicts below and the bold paths in the layer-by-layer view are about this "
                           "output channel of the last layer.",
    "shuffle.output_reason": " (there are only {c} channels)",
    "shuffle.anim.header": "1 · What the shuffle does",
    "shuffle.anim.help": (
        "Press **▶ Play** or drag the slider: the animation runs in your browser. Each square is a channel, "
        "coloured by the group it starts in."
    ),
    "shuffle.anim.input": "1 · {c} channels in a row, coloured by group",
    "shuffle.anim.reshape": "2 · reshape to ({g}, {n}): one row per group",
    "shuffle.anim.transpose": "3 · transpose to ({n}, {g}): one column per group",
    "shuffle.anim.flatten": "4 · flatten: the groups now take turns",
    "shuffle.anim.label.input": "input",
    "shuffle.anim.label.reshape": "reshape",
    "shuffle.anim.label.transpose": "transpose",
    "shuffle.anim.label.flatten": "flatten",
    "shuffle.anim.play": "▶ Play",
    "shuffle.anim.pause": "❚❚ Pause",
    "shuffle.anim.step": "Step: ",
    "shuffle.anim.channel": "channel",
    "shuffle.anim.group": "group",
    "shuffle.anim.position": "position",
    "shuffle.order": "Channel order after the shuffle: `{order}`",
    "shuffle.order_identity": "With g = {g} the shuffle leaves the order unchanged (g = 1 or g = C).",
    "shuffle.proof.header": "2 · Proof from the real modules",
    "shuffle.proof.how": (
        "Both stacks below are real torch modules: {layers} group conv(s) from `effviz.blocks` (1×1, g = {g}, "
        "BatchNorm, ReLU), with and without `effviz.shuffle.channel_shuffle` between them. Which input channels "
        "an output channel depends on is read off the Jacobian that autograd computes, not drawn by hand."
    ),
    "shuffle.proof.method": "How is this measured?",
    "shuffle.proof.method_text": (
        "For each output channel o, autograd computes the gradient of (channel o summed over the image) with "
        "respect to the input. Input channel i counts as *seen* when that gradient is nonzero. The module is "
        "probed on a copy with random **positive** weights and a positive input, in eval mode: then every ReLU "
        "is on and no two paths can cancel, so a nonzero gradient means exactly that a path of weights connects "
        "i to o. The same code measures the ShuffleNet units further down."
    ),
    "shuffle.without": "Without shuffle",
    "shuffle.with": "With shuffle",
    "shuffle.verdict.all": "output channel {o} sees **all {g} groups**",
    "shuffle.verdict.only": "output channel {o} sees **its only group** (g = 1)",
    "shuffle.verdict.some": "output channel {o} sees **{k} of {g} groups** (group {which})",
    "shuffle.list_sep": ", ",
    "shuffle.verdict.line": "{label}: {verdict}.",
    "shuffle.single_layer": "With a single layer there is nothing to shuffle between: add a layer to see the "
                            "difference.",
    "shuffle.summary": (
        "Over all {c} output channels: without shuffle each sees **{lo_without}** of the {g} groups; with shuffle "
        "each sees between **{min_with}** and **{max_with}**."
    ),
    "shuffle.summary_same": (
        "Over all {c} output channels: without shuffle each sees **{lo_without}** of the {g} groups; with shuffle "
        "each sees **{min_with}**."
    ),
    "shuffle.too_many_groups": (
        "Here C/g = {n} < g = {g}: one group of the next layer has only {n} channels, so after one shuffle it "
        "can hold channels from at most {n} groups. Stack another layer (each extra shuffle multiplies the reach "
        "by C/g) or use fewer groups."
    ),
    "shuffle.depthwise": (
        "With g = C every group is a single channel (a depthwise conv): the shuffle is the identity and nothing "
        "can mix. That is why MobileNet and ShuffleNet follow depthwise convs with a 1×1 conv over all channels."
    ),
    "shuffle.heat.x": "input channel",
    "shuffle.heat.y": "output channel",
    "shuffle.heat.hover": "output %{y} ← input %{x} · group %{z}",
    "shuffle.heat.caption": "A coloured cell: the output channel (row) depends on the input channel (column), "
                            "coloured by the input's group. Blank: no dependence at all. The outlined row is "
                            "output channel {o}.",
    "shuffle.wiring.header": "Layer by layer",
    "shuffle.wiring.caption": (
        "Each column holds the {c} channels after one module; a line joins an input and an output of that module "
        "wherever the module connects them (measured module by module). Dots keep their group's colour while they "
        "see one group and turn dark once they mix several; bold lines are all the paths into output channel {o}."
    ),
    "shuffle.wiring.input": "input",
    "shuffle.wiring.gconv": "GConv {k}",
    "shuffle.wiring.shuffle": "shuffle",
    "shuffle.wiring.channel": "channel",
    "shuffle.wiring.sees": "sees groups",
    "shuffle.units.header": "3 · The ShuffleNet units",
    "shuffle.units.intro": (
        "**v1** (Zhang et al., 2018) puts the shuffle between its two 1×1 group convs. **v2** (Ma et al., 2018) "
        "drops group convs (guideline G2: many groups cost memory access) and splits the channels instead: half "
        "pass straight through, half go through three convs, then a 2-group shuffle interleaves the halves. Every "
        "number in the boxes comes from `effviz.blocks` (`spec.cost(h, w)`); shuffle, split and concat cost 0 MACs."
    ),
    "shuffle.units.v1_groups": "v1 groups g",
    "shuffle.units.v1_groups.help": "ShuffleNet v1 1× stage 2 widths from the paper's Table 1: g = 1: 144, "
                                    "2: 200, 3: 240, 4: 272, 8: 384 channels.",
    "shuffle.units.v2_width": "v2 width multiplier",
    "shuffle.units.v2_width.help": "ShuffleNet v2 stage 2 widths from the paper's Table 5: 0.5×: 48, 1×: 116, "
                                   "1.5×: 176, 2×: 244 channels.",
    "shuffle.units.stride": "Stride",
    "shuffle.units.stride.help": "Stride 2 is each stage's first unit: it halves H×W and doubles the channels.",
    "shuffle.units.size": "Input H = W",
    "shuffle.units.v1_title": "ShuffleNet v1 unit: {c_in} → {c_out} channels, g = {g}",
    "shuffle.units.v2_title": "ShuffleNet v2 unit ({width}×): {c_in} → {c_out} channels",
    "shuffle.units.compare": "Params and MACs at {size}×{size}: v1 {v1_params} / {v1_macs}, v2 {v2_params} / "
                             "{v2_macs}.",
    "shuffle.unit.input": "input",
    "shuffle.unit.output": "output",
    "shuffle.unit.params": "params",
    "shuffle.unit.macs": "MACs",
    "shuffle.unit.free": "0 params · 0 MACs",
    "shuffle.unit.total": "total",
    "shuffle.unit.gconv1": "1×1 group conv (g={g}) + BN + ReLU",
    "shuffle.unit.shuffle": "channel shuffle (g={g})",
    "shuffle.unit.dwconv": "{k}×{k} depthwise conv, stride {s} + BN",
    "shuffle.unit.gconv2": "1×1 group conv (g={g}) + BN",
    "shuffle.unit.identity": "identity",
    "shuffle.unit.avgpool": "3×3 avg pool, stride 2",
    "shuffle.unit.add": "add, ReLU",
    "shuffle.unit.concat": "concat, ReLU",
    "shuffle.unit.split": "channel split",
    "shuffle.unit.pw1": "1×1 conv + BN + ReLU",
    "shuffle.unit.depthwise": "{k}×{k} depthwise conv, stride {s} + BN",
    "shuffle.unit.pw2": "1×1 conv + BN + ReLU",
    "shuffle.unit.left_dw": "{k}×{k} depthwise conv, stride 2 + BN",
    "shuffle.unit.left_pw": "1×1 conv + BN + ReLU",
    "shuffle.unit.concat2": "concat",
    "shuffle.unit.shuffle2": "channel shuffle (g=2)",
    "shuffle.units.conn_header": "Which groups do the units' outputs see?",
    "shuffle.units.conn_intro": (
        "Measured the same way on stride-1 units built by `effviz.blocks` (input groups: v1's g groups; for v2 "
        "the two halves of its channel split)."
    ),
    "shuffle.units.v1_without": "v1, shuffle removed",
    "shuffle.units.v1_with": "v1 as in the paper",
    "shuffle.units.v2_n": "v2, {n} unit(s) in a row",
    "shuffle.units.v1_verdict": (
        "v1 with its shuffle: **{all_with} of {c}** output channels see all {g} groups; with the shuffle removed "
        "(same convs, shuffle set to 1 group): **{all_without}**."
    ),
    "shuffle.units.v2_verdict": (
        "v2: outputs that see both halves after 1, 2, 3 units: **{counts}** of {c}. One unit alone never mixes "
        "(the left half is copied); the shuffle hands the next unit's convs channels from both halves. Channel 0 "
        "is copied unchanged by every stride-1 unit: what it carries was mixed by the stride-2 unit that opens "
        "the stage, whose two branches both read every input channel."
    ),
    "shuffle.units.unavailable": "This unit cannot be measured at this width: {problem}",
    "shuffle.measuring": "Measuring which channels reach which with autograd (once per setting on this server, "
                         "then every student gets it at once)…",
    "shuffle.invalid": "These settings do not make a valid stack: {problem}",
}

ZH = {
    "nav.channel_shuffle": "通道重排",
    "shuffle.title": "通道重排（Channel Shuffle）",
    "shuffle.intro": (
        "一页看懂 ShuffleNet 的核心论证。分组卷积之所以省，是因为每组只读自己那几个通道；可一旦把它们层层堆叠，"
        "每个输出通道就永远看不到其他组的信息。在层与层之间插入一次**通道重排**（变形为 (g, C/g)、转置、"
        "再展平），每个组都会分到其他所有组的一部分通道，而代价是 **0 个参数、0 MACs**：只是搬动了内存。"
    ),
    "shuffle.channels": "通道数 C",
    "shuffle.channels.help": "堆叠中每一层的通道数（取值较小，以便看清每一个通道）。",
    "shuffle.groups": "分组数 g",
    "shuffle.groups.help": "只列出 C 的约数：每组分到 C/g 个通道。",
    "shuffle.groups_only": "分组数 g：**{g}**（这里 {c} 只有这一个约数可选）",
    "shuffle.groups_reason": "（分组数必须能整除 C={c}）",
    "shuffle.layers": "堆叠的分组卷积层数",
    "shuffle.layers.help": "一层接一层的 1×1 分组卷积（带 BatchNorm 和 ReLU）。",
    "shuffle.on": "层间做通道重排",
    "shuffle.on.help": "下图显示的堆叠是否在相邻两个分组卷积之间插入通道重排。",
    "shuffle.output": "要跟踪的输出通道",
    "shuffle.output.help": "下面的结论和逐层视图中的加粗路径，说的都是最后一层的这个输出通道。",
    "shuffle.output_reason": "（总共只有 {c} 个通道）",
    "shuffle.anim.header": "1 · 通道重排做了什么",
    "shuffle.anim.help": (
        "点 **▶ 播放** 或拖动滑块：动画直接在浏览器里运行。每个方块是一个通道，颜色表示它最初所在的组。"
    ),
    "shuffle.anim.input": "1 · {c} 个通道排成一行，按组着色",
    "shuffle.anim.reshape": "2 · 变形为 ({g}, {n})：每组占一行",
    "shuffle.anim.transpose": "3 · 转置成 ({n}, {g})：每组占一列",
    "shuffle.anim.flatten": "4 · 展平：各组的通道轮流出现",
    "shuffle.anim.label.input": "输入",
    "shuffle.anim.label.reshape": "变形",
    "shuffle.anim.label.transpose": "转置",
    "shuffle.anim.label.flatten": "展平",
    "shuffle.anim.play": "▶ 播放",
    "shuffle.anim.pause": "❚❚ 暂停",
    "shuffle.anim.step": "步骤：",
    "shuffle.anim.channel": "通道",
    "shuffle.anim.group": "组",
    "shuffle.anim.position": "位置",
    "shuffle.order": "重排后的通道顺序：`{order}`",
    "shuffle.order_identity": "g = {g} 时重排不改变通道顺序（g = 1 或 g = C）。",
    "shuffle.proof.header": "2 · 用真实模块来证明",
    "shuffle.proof.how": (
        "下面两个堆叠都是真正的 torch 模块：{layers} 层来自 `effviz.blocks` 的分组卷积（1×1，g = {g}，带 "
        "BatchNorm 和 ReLU），一个在层间插入了 `effviz.shuffle.channel_shuffle`，一个没有。每个输出通道依赖哪些"
        "输入通道，是从 autograd 算出的雅可比矩阵中读出来的，而不是手工画的。"
    ),
    "shuffle.proof.method": "这是怎么测出来的？",
    "shuffle.proof.method_text": (
        "对每个输出通道 o，用 autograd 计算（通道 o 在整幅图上的和）对输入的梯度；若对输入通道 i 的梯度不为零，"
        "就说 o“看到了”i。测量时使用模块的一个副本：权重全部取随机**正数**，输入也取正数，并处于 eval 模式。"
        "这样每个 ReLU 都处于导通状态，不同路径之间也不可能相互抵消，所以梯度不为零恰好意味着有一条权重路径把 i "
        "连到了 o。下面 ShuffleNet 单元的连接关系也是用同一段代码测出来的。"
    ),
    "shuffle.without": "不做重排",
    "shuffle.with": "做重排",
    "shuffle.verdict.all": "输出通道 {o} 能看到**全部 {g} 个组**",
    "shuffle.verdict.only": "输出通道 {o} 看到的是**唯一的那一组**（g = 1）",
    "shuffle.verdict.some": "输出通道 {o} 只能看到 **{g} 个组中的 {k} 个**（第 {which} 组）",
    "shuffle.list_sep": "、",
    "shuffle.verdict.line": "{label}：{verdict}。",
    "shuffle.single_layer": "只有一层时，层与层之间无处可插入重排：再加一层就能看出区别。",
    "shuffle.summary": (
        "在全部 {c} 个输出通道中：不做重排时，每个通道只能看到 {g} 个组中的 **{lo_without}** 个；做重排时，能看到 "
        "**{min_with}** 到 **{max_with}** 个。"
    ),
    "shuffle.summary_same": (
        "在全部 {c} 个输出通道中：不做重排时，每个通道只能看到 {g} 个组中的 **{lo_without}** 个；做重排时，每个通道"
        "都能看到 **{min_with}** 个。"
    ),
    "shuffle.too_many_groups": (
        "这里 C/g = {n} < g = {g}：下一层的每组只有 {n} 个通道，所以一次重排之后它最多只能拿到 {n} 个组的通道。"
        "可以再堆一层（每多一次重排，覆盖的组数就乘以 C/g），或者减少分组数。"
    ),
    "shuffle.depthwise": (
        "g = C 时每组只有一个通道（也就是逐通道卷积）：重排相当于什么都没做，信息无法混合。这就是 MobileNet 和 "
        "ShuffleNet 在逐通道卷积之后都要接一个作用于所有通道的 1×1 卷积的原因。"
    ),
    "shuffle.heat.x": "输入通道",
    "shuffle.heat.y": "输出通道",
    "shuffle.heat.hover": "输出 %{y} ← 输入 %{x} · 第 %{z} 组",
    "shuffle.heat.caption": "有颜色的格子表示该输出通道（行）依赖该输入通道（列），颜色是输入通道所属的组；空白表示"
                            "完全不依赖。带框的那一行是输出通道 {o}。",
    "shuffle.wiring.header": "逐层来看",
    "shuffle.wiring.caption": (
        "每一列是经过一个模块之后的 {c} 个通道；只要该模块把某个输入通道和某个输出通道连了起来，就在两者之间画一条线"
        "（逐个模块分别测量）。圆点在只看到一个组时保持该组的颜色，一旦混合了多个组就变成深色；加粗的线是通往输出"
        "通道 {o} 的全部路径。"
    ),
    "shuffle.wiring.input": "输入",
    "shuffle.wiring.gconv": "分组卷积 {k}",
    "shuffle.wiring.shuffle": "重排",
    "shuffle.wiring.channel": "通道",
    "shuffle.wiring.sees": "看到的组",
    "shuffle.units.header": "3 · ShuffleNet 的基本单元",
    "shuffle.units.intro": (
        "**v1**（Zhang 等，2018）把重排放在两个 1×1 分组卷积之间。**v2**（Ma 等，2018）不再使用分组卷积"
        "（设计原则 G2：分组太多会增加内存访问量），而是先把通道一分为二：一半直接通过，另一半经过三个卷积，"
        "最后用 2 组的通道重排把两半交织在一起。框中的每个数字都来自 `effviz.blocks`（`spec.cost(h, w)`）；"
        "重排、拆分和拼接都是 0 MACs。"
    ),
    "shuffle.units.v1_groups": "v1 分组数 g",
    "shuffle.units.v1_groups.help": "取自论文表 1 中 ShuffleNet v1 1× 第 2 阶段的通道数：g = 1：144，2：200，"
                                    "3：240，4：272，8：384。",
    "shuffle.units.v2_width": "v2 宽度乘子",
    "shuffle.units.v2_width.help": "取自论文表 5 中 ShuffleNet v2 第 2 阶段的通道数：0.5×：48，1×：116，"
                                   "1.5×：176，2×：244。",
    "shuffle.units.stride": "步长",
    "shuffle.units.stride.help": "步长为 2 的是每个阶段的第一个单元：H×W 减半，通道数翻倍。",
    "shuffle.units.size": "输入 H = W",
    "shuffle.units.v1_title": "ShuffleNet v1 单元：{c_in} → {c_out} 通道，g = {g}",
    "shuffle.units.v2_title": "ShuffleNet v2 单元（{width}×）：{c_in} → {c_out} 通道",
    "shuffle.units.compare": "在 {size}×{size} 输入上的参数量 / MACs：v1 为 {v1_params} / {v1_macs}，v2 为 "
                             "{v2_params} / {v2_macs}。",
    "shuffle.unit.input": "输入",
    "shuffle.unit.output": "输出",
    "shuffle.unit.params": "参数",
    "shuffle.unit.macs": "MACs",
    "shuffle.unit.free": "0 参数 · 0 MACs",
    "shuffle.unit.total": "合计",
    "shuffle.unit.gconv1": "1×1 分组卷积（g={g}）+ BN + ReLU",
    "shuffle.unit.shuffle": "通道重排（g={g}）",
    "shuffle.unit.dwconv": "{k}×{k} 逐通道卷积，步长 {s} + BN",
    "shuffle.unit.gconv2": "1×1 分组卷积（g={g}）+ BN",
    "shuffle.unit.identity": "恒等映射",
    "shuffle.unit.avgpool": "3×3 平均池化，步长 2",
    "shuffle.unit.add": "相加，ReLU",
    "shuffle.unit.concat": "拼接，ReLU",
    "shuffle.unit.split": "通道拆分",
    "shuffle.unit.pw1": "1×1 卷积 + BN + ReLU",
    "shuffle.unit.depthwise": "{k}×{k} 逐通道卷积，步长 {s} + BN",
    "shuffle.unit.pw2": "1×1 卷积 + BN + ReLU",
    "shuffle.unit.left_dw": "{k}×{k} 逐通道卷积，步长 2 + BN",
    "shuffle.unit.left_pw": "1×1 卷积 + BN + ReLU",
    "shuffle.unit.concat2": "拼接",
    "shuffle.unit.shuffle2": "通道重排（g=2）",
    "shuffle.units.conn_header": "这些单元的输出能看到哪些组？",
    "shuffle.units.conn_intro": (
        "用同样的方法测量由 `effviz.blocks` 搭建的步长为 1 的单元（输入分组：v1 用它的 g 个组；v2 用通道拆分得到的"
        "两半）。"
    ),
    "shuffle.units.v1_without": "v1，去掉重排",
    "shuffle.units.v1_with": "v1，与论文一致",
    "shuffle.units.v2_n": "v2，连续 {n} 个单元",
    "shuffle.units.v1_verdict": (
        "带重排的 v1：**{c} 个输出通道中有 {all_with} 个**能看到全部 {g} 个组；去掉重排（卷积不变，只把重排的分组数"
        "设为 1）后：**{all_without} 个**。"
    ),
    "shuffle.units.v2_verdict": (
        "v2：经过 1、2、3 个单元后，能同时看到两半的输出通道分别有 **{counts}** 个（共 {c} 个）。单独一个单元从不"
        "混合（左半部分是直接复制的）；重排让下一个单元的卷积拿到来自两半的通道。通道 0 在每个步长为 1 的单元中都被"
        "原样复制：它携带的信息是在阶段开头那个步长为 2 的单元里混合好的，那个单元的两个分支都会读取全部输入通道。"
    ),
    "shuffle.units.unavailable": "在这个宽度下无法测量该单元：{problem}",
    "shuffle.measuring": "正在用自动求导测量通道之间的连接（每种设置在本服务器上只算一次，之后所有学生立即可见）……",
    "shuffle.invalid": "这些设置构不成一个有效的堆叠：{problem}",
}
