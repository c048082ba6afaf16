"""Exercises page strings (and the Predict-first switch on the Playground and the Latency Lab)."""

EN = {
    "nav.exercises": "Exercises",
    "exercises.title": "Exercises: predict, then reveal",
    "exercises.intro": (
        "Work each answer out first (pencil, calculator), then check it. Every question is generated from a real "
        "network's layer and answered by the same engine as the other pages. Everyone who opens this page's link "
        "gets the same questions in the same order."
    ),
    "exercises.seed": "Set number",
    "exercises.seed_help": "The set is drawn from this number: the same number gives everyone the same questions.",
    "exercises.level": "Difficulty",
    "exercises.level.easy": "Easy",
    "exercises.level.standard": "Standard",
    "exercises.level.hard": "Hard",
    "exercises.new_set": "🎲 New set",
    "exercises.teacher": "Teacher view: answer key",
    "exercises.teacher_help": "Shows every answer, on this screen only: the key is never in a link, and the "
                              "students' question sheet (CSV) carries no answers and no links to worked examples. "
                              "A class run from the Class page keeps its key behind the teacher's link.",
    "exercises.key_row": "**{i}.** {answer} · {format} · [{open}]({link})",
    "exercises.teacher_not_in_links": "A link cannot open the answer key: a teacher switches on “Teacher view” on "
                                      "this page (students see no answers unless they do the same).",
    "exercises.download_set": "Download the questions (CSV)",
    "exercises.key_title": "Answer key",
    "exercises.question": "Question {i} of {n}",
    "exercises.your_answer": "Your answer",
    "exercises.placeholder": "e.g. 1,234,567 or 1.2M or 4",
    "exercises.pick": "Your choice",
    "exercises.check": "Check",
    "exercises.tolerance.exact": "Exact answer expected.",
    "exercises.tolerance.relative": "Accepted within ±{pct} %.",
    "exercises.tolerance.option": "Pick one.",
    "exercises.right": "✓ Right! The answer is {answer}.",
    "exercises.wrong": "✗ Not quite: the answer is {answer}.",
    "exercises.off": "Your answer: {given} ({off} from the answer).",
    "exercises.problem.empty": "Type a number first.",
    "exercises.problem.not_a_number": "“{text}” is not a number. Type digits, e.g. 1234567, 1,234,567 or 1.2M.",
    "exercises.problem.not_finite": "“{text}” is not a finite number: type an ordinary number.",
    "exercises.problem.too_large": "“{text}” is far too large for any answer here: check the digits.",
    "exercises.problem.not_an_option": "Pick one of the options.",
    "exercises.measuring": "Counting and measuring the networks (this takes a few seconds the first time)…",
    "exercises.measure_failed": "This answer could not be measured here: {problem}",
    "exercises.worked": "How it is worked out",
    "exercises.open": "Open this example on its page",
    "exercises.score": "Your score: **{right} of {n}** right at the first try ({answered} answered). "
                       "It is kept in this browser tab only.",
    "exercises.score_none": "Answer the questions above: your score appears here.",
    "exercises.first_try": "Only the first check of each question counts for the score.",
    # the roles of the worked formulas
    "exercises.role.block": "This block",
    "exercises.role.baseline": "Standard conv, same shape",
    "exercises.role.before": "Before",
    "exercises.role.after": "After",
    "exercises.role.first": "A",
    "exercises.role.second": "B",
    "exercises.role.shuffle": "Channel shuffle",
    "exercises.role.stack": "Groups seen after each conv",
    "exercises.label.params": "params",
    "exercises.label.MACs": "MACs",
    "exercises.label.channel": "channel",
    "exercises.label.groups": "groups",
    # describing blocks
    "exercises.input": "input {h}×{w}",
    "exercises.stride": "stride {s}",
    "exercises.bn": "BatchNorm after each conv",
    "exercises.no_bn": "no BatchNorm",
    "exercises.bias": "with bias",
    "exercises.first_ungrouped": "first 1×1 not grouped",
    "exercises.no_se": "no SE",
    "exercises.source.block": "block {index} of {network}",
    "exercises.source.dense": "a standard conv of the shape of block {index} of {network}",
    "exercises.source.gconv1": "the first 1×1 group conv of block {index} of {network}",
    "exercises.source.gconv2": "the second 1×1 group conv of block {index} of {network}",
    "exercises.source.ghost1": "the first Ghost module of block {index} of {network}",
    "exercises.source.ghost2": "the second Ghost module of block {index} of {network}",
    "exercises.metric.params": "parameters",
    "exercises.metric.macs": "MACs",
    # the questions
    "exercises.sep.list": ", ",
    "exercises.sep.clause": "; ",
    "exercises.sep.label": ": ",
    "exercises.ask.block_cost": "**{family}**: {block} ({source}). How many **{metric}** does it need?",
    "exercises.ask.ratio_to_standard": (
        "**{family}**: {block} ({source}). How many times fewer **{metric}** does it need than a standard {k}×{k} "
        "conv with the same input and output shape? Answer standard ÷ this block (below 1 if the block needs more)."
    ),
    "exercises.ask.cost_change.groups": (
        "**{family}**: {block} ({source}). Its groups double from g = {old} to g = {new}. By what factor do its "
        "**{metric}** change (new ÷ old)?"
    ),
    "exercises.ask.cost_change.resolution": (
        "**{family}**: {block} ({source}). Its input becomes {new}×{new} instead of {old}×{old}. By what factor do "
        "its **{metric}** change (new ÷ old)?"
    ),
    "exercises.ask.cost_change.width": (
        "MobileNet v1 is thinned from width multiplier α = {old} to α = {new}. Its block {index} is a **{family}** "
        "(a 3×3 depthwise conv, then a 1×1 pointwise conv); at α = {old}: {block}. By what factor do that block's "
        "**{metric}** change (new ÷ old)? Work it out for this block: the paper's α² is a rule of thumb."
    ),
    "exercises.ask.cost_change.kernel": (
        "**{family}**: {block} ({source}). Its depthwise kernel grows from 3×3 to 5×5. By what factor do its "
        "**{metric}** change (new ÷ old)?"
    ),
    "exercises.ask.which_cheaper": "Which needs fewer **MACs**?\n\n- **A**: {first}\n- **B**: {second}",
    "exercises.ask.newer_blocks.pconv": (
        "**FasterNet's partial conv**: a {k}×{k} conv on only r = 1/{n} of C = {c} channels of a {h}×{h} map, the "
        "rest passed through. How many times fewer **MACs** does this PConv need than a full {k}×{k} conv on all "
        "{c} channels (C → C)? Answer full ÷ PConv."
    ),
    "exercises.ask.newer_blocks.rep": (
        "**RepVGG block**, {shape}, C = {c} → {c}, {k}×{k}, stride {s}: in training it has {branches} "
        "({train} parameters with the BNs). Folded into one {k}×{k} conv with a bias for inference, how many "
        "**parameters** does it have?"
    ),
    "exercises.newer.dense": "dense",
    "exercises.newer.depthwise": "depthwise (MobileOne-style, every branch grouped per channel)",
    "exercises.newer.identity": "a k×k conv + BN, a 1×1 conv + BN and an identity BN",
    "exercises.newer.no_identity": "a k×k conv + BN and a 1×1 conv + BN (no identity: the size changes)",
    "exercises.mnas.one": "one 5×5 depthwise-separable layer, {m} → {n} channels, input {h}×{h}",
    "exercises.mnas.two": (
        "two 3×3 depthwise-separable layers, each counted as {m} → {n} channels (as MnasNet counts them), "
        "input {h}×{h}"
    ),
    "exercises.ask.shuffle_position.to": (
        "A channel shuffle of **{channels}** channels in **{groups}** groups (reshape to {groups}×{per}, "
        "transpose, flatten). Which input channel lands at output position **{position}**? (Channels count from 0.)"
    ),
    "exercises.ask.shuffle_position.from": (
        "A channel shuffle of **{channels}** channels in **{groups}** groups (reshape to {groups}×{per}, "
        "transpose, flatten). At which output position does input channel **{position}** end up? "
        "(Channels count from 0.)"
    ),
    "exercises.ask.groups_seen.on": (
        "{layers} group convs ({channels} → {channels} channels, {groups} groups each) are stacked **with** a "
        "channel shuffle between them. Output channel {output} of the last one depends on how many of the "
        "{groups} input groups?"
    ),
    "exercises.ask.groups_seen.off": (
        "{layers} group convs ({channels} → {channels} channels, {groups} groups each) are stacked **without** a "
        "channel shuffle. Output channel {output} of the last one depends on how many of the {groups} input groups?"
    ),
    "exercises.ask.network_compare.more": (
        "Which network has more **{metric}** at its default input size?\n\n- **A**: {first}\n- **B**: {second}"
    ),
    "exercises.ask.network_compare.faster": (
        "Which network runs faster **on this server** (CPU, batch 1, its default input size)?\n\n"
        "- **A**: {first}\n- **B**: {second}"
    ),
    "exercises.option.first": "A",
    "exercises.option.second": "B",
    "exercises.option.equal": "Both the same",
    "exercises.option.network": "{label} ({which})",
    "exercises.reveal.which_cheaper": "A needs {first} MACs, B needs {second}: {factor}× apart.",
    "exercises.reveal.network": "{label}: {params} parameters, {macs} MACs",
    "exercises.reveal.latency": "{label}: {ms} ms here (median)",
    "exercises.reveal.groups_seen": "Output channel {output} sees input groups {seen}.",
    "exercises.ask.redundancy_compare.near_copies": (
        "{net} with its ImageNet weights looks at the sample photo ({image}). A map has a **near-copy** when "
        "another map of the same layer has cosine similarity ≥ {thr} with it. Which convolution has the **larger "
        "share** of maps with a near-copy?\n\n- **A**: `{first}`\n- **B**: `{second}`"
    ),
    "exercises.ask.redundancy_compare.nn_mean": (
        "{net} with its ImageNet weights looks at the sample photo ({image}). Take each output map's cosine "
        "similarity to its most similar other map of the same layer, and average it over the layer. Which "
        "convolution has the **higher mean nearest-neighbour similarity**?\n\n- **A**: `{first}`\n"
        "- **B**: `{second}`"
    ),
    "exercises.option.layer": "{layer} ({which})",
    "exercises.ask.peak_memory": (
        "**{net}** at {size}×{size}, batch 1, float32, runs its layers one after another in the order of its traced "
        "graph. Each activation is alive from the layer that makes it to the last layer that reads it; weights are "
        "not counted. How many **MiB** of activations are alive at once at the **peak** (1 MiB = 2²⁰ bytes)? The "
        "answer is what liveness analysis over the traced graph predicts (the Latency Lab's peak memory tab runs the "
        "same analysis, at 224×224)."
    ),
    "exercises.reveal.peak": (
        "The peak, {mib} MiB ({bytes} bytes), is at step {index} of {n}, {step} ({op}): that step allocates "
        "{alloc} MiB, and {kept} MiB are still alive from earlier steps."
    ),
    "exercises.reveal.peak_alive": "Alive at the peak ({n} tensors): {tensors}",
    "exercises.reveal.peak_tensor": "{name} {mib} MiB",
    "exercises.reveal.input": "the input",
    "exercises.reveal.peak_around": "Live memory step by step around it: {steps}",
    "exercises.reveal.peak_step": "step {index} {step} {mib} MiB",
    "exercises.reveal.peak_scale": "For scale: the input is {input} MiB, the largest single activation {largest} MiB.",
    "exercises.reveal.redundancy": (
        "{which}: `{layer}`, {c} maps: {share} have a near-copy (≥ {thr}); mean nearest-neighbour similarity {nn}"
    ),
    # the CSV
    "exercises.col.number": "#",
    "exercises.col.question": "Question",
    "exercises.col.options": "Options",
    "exercises.col.format": "Answer format",
    "exercises.col.answer": "Answer",
    "exercises.col.link": "Link",
    # predict first (Conv Playground, Latency Lab)
    "predict.switch": "Predict first",
    "predict.switch_help": "Hide the results until you have typed your own estimate.",
    "predict.prompt": "Your estimate of the {what}",
    "predict.hidden": "Type your estimate of the {what} and press Enter: the results appear then.",
    "predict.result": "You predicted **{guess}**; the answer is **{answer}**: {verdict}.",
    "predict.off": "{pct} off",
    "predict.close": "within 10 % — well estimated",
    "predict.what.playground": "MACs of this block",
    "predict.what.latency": "latency of the {family} here, in ms",
}

ZH = {
    "nav.exercises": "练习",
    "exercises.title": "练习：先预测，再揭晓",
    "exercises.intro": (
        "先自己算出答案（纸笔、计算器都可以），再核对。每道题都取自真实网络中的某一层，并由与其他页面相同的计算引擎给出"
        "答案。打开这个页面链接的每个人都会看到同样的题目、同样的顺序。"
    ),
    "exercises.seed": "题组编号",
    "exercises.seed_help": "题组由这个编号生成：编号相同，所有人的题目就相同。",
    "exercises.level": "难度",
    "exercises.level.easy": "简单",
    "exercises.level.standard": "标准",
    "exercises.level.hard": "困难",
    "exercises.new_set": "🎲 换一组",
    "exercises.teacher": "教师视图：答案",
    "exercises.teacher_help": "在本屏幕上显示所有答案：答案从不放进链接，学生的题目表（CSV）不含答案，也不含"
                              "打开例题的链接。在“课堂”页面开的课，答案只在教师链接中可见。",
    "exercises.teacher_not_in_links": "链接不能打开答案：教师需在本页打开“教师视图”"
                                      "（学生不这样做就看不到答案）。",
    "exercises.key_row": "**{i}.** {answer} · {format} · [{open}]({link})",
    "exercises.download_set": "下载题目（CSV）",
    "exercises.key_title": "答案",
    "exercises.question": "第 {i} 题，共 {n} 题",
    "exercises.your_answer": "你的答案",
    "exercises.placeholder": "例如 1,234,567、1.2M 或 4",
    "exercises.pick": "你的选择",
    "exercises.check": "核对",
    "exercises.tolerance.exact": "需要精确答案。",
    "exercises.tolerance.relative": "误差在 ±{pct}% 以内即算正确。",
    "exercises.tolerance.option": "选一个。",
    "exercises.right": "✓ 正确！答案是 {answer}。",
    "exercises.wrong": "✗ 不对：答案是 {answer}。",
    "exercises.off": "你的答案：{given}（与答案相差 {off}）。",
    "exercises.problem.empty": "请先输入一个数。",
    "exercises.problem.not_a_number": "“{text}” 不是数字。请输入数字，例如 1234567、1,234,567 或 1.2M。",
    "exercises.problem.not_finite": "“{text}” 不是有限的数，请输入普通的数字。",
    "exercises.problem.too_large": "“{text}” 太大了，这里没有这么大的答案，请检查位数。",
    "exercises.problem.not_an_option": "请从选项中选一个。",
    "exercises.measuring": "正在统计和测量这些网络（第一次需要几秒钟）……",
    "exercises.measure_failed": "这里无法测出这道题的答案：{problem}",
    "exercises.worked": "计算过程",
    "exercises.open": "在对应页面中打开这个例子",
    "exercises.score": ("你的得分：**{n} 题中答对 {right} 题**（首次作答；已作答 {answered} 题）。"
                        "得分只保存在这个浏览器标签页中。"),
    "exercises.score_none": "回答上面的题目后，这里会显示你的得分。",
    "exercises.first_try": "每道题只有第一次核对计入得分。",
    "exercises.role.block": "这个模块",
    "exercises.role.baseline": "同形状的标准卷积",
    "exercises.role.before": "改变前",
    "exercises.role.after": "改变后",
    "exercises.role.first": "A",
    "exercises.role.second": "B",
    "exercises.role.shuffle": "通道重排",
    "exercises.role.stack": "每层卷积后看到的组数",
    "exercises.label.params": "参数量",
    "exercises.label.MACs": "MACs",
    "exercises.label.channel": "通道",
    "exercises.label.groups": "组数",
    "exercises.input": "输入 {h}×{w}",
    "exercises.stride": "步长 {s}",
    "exercises.bn": "每个卷积后接 BatchNorm",
    "exercises.no_bn": "无 BatchNorm",
    "exercises.bias": "带偏置",
    "exercises.first_ungrouped": "第一个 1×1 不分组",
    "exercises.no_se": "无 SE",
    "exercises.source.block": "{network} 的第 {index} 个模块",
    "exercises.source.dense": "与 {network} 第 {index} 个模块同形状的标准卷积",
    "exercises.source.gconv1": "{network} 第 {index} 个模块中的第一个 1×1 分组卷积",
    "exercises.source.gconv2": "{network} 第 {index} 个模块中的第二个 1×1 分组卷积",
    "exercises.source.ghost1": "{network} 第 {index} 个模块中的第一个 Ghost 模块",
    "exercises.source.ghost2": "{network} 第 {index} 个模块中的第二个 Ghost 模块",
    "exercises.metric.params": "参数量",
    "exercises.metric.macs": "MACs",
    "exercises.sep.list": "，",
    "exercises.sep.clause": "；",
    "exercises.sep.label": "：",
    "exercises.ask.block_cost": "**{family}**：{block}（{source}）。它需要多少 **{metric}**？",
    "exercises.ask.ratio_to_standard": (
        "**{family}**：{block}（{source}）。输入、输出形状相同的标准 {k}×{k} 卷积，**{metric}** 是这个模块的"
        "几倍？请回答 标准卷积 ÷ 这个模块（如果这个模块更贵，答案小于 1）。"
    ),
    "exercises.ask.cost_change.groups": (
        "**{family}**：{block}（{source}）。把分组数从 g = {old} 翻倍到 g = {new}，它的 **{metric}** 变为原来的几倍"
        "（新 ÷ 旧）？"
    ),
    "exercises.ask.cost_change.resolution": (
        "**{family}**：{block}（{source}）。输入从 {old}×{old} 变为 {new}×{new}，它的 **{metric}** 变为原来的几倍"
        "（新 ÷ 旧）？"
    ),
    "exercises.ask.cost_change.width": (
        "把 MobileNet v1 的宽度乘子从 α = {old} 调到 α = {new}。它的第 {index} 个模块是**{family}**"
        "（先 3×3 逐通道卷积，再 1×1 逐点卷积），在 α = {old} 时为：{block}。这个模块的 **{metric}** 变为原来的几倍"
        "（新 ÷ 旧）？请按这个模块实际计算：论文中的 α² 只是粗略估计。"
    ),
    "exercises.ask.cost_change.kernel": (
        "**{family}**：{block}（{source}）。把逐通道卷积核从 3×3 加大到 5×5，它的 **{metric}** 变为原来的几倍"
        "（新 ÷ 旧）？"
    ),
    "exercises.ask.which_cheaper": "哪一个的 **MACs** 更少？\n\n- **A**：{first}\n- **B**：{second}",
    "exercises.ask.newer_blocks.pconv": (
        "**FasterNet 的部分卷积**：{h}×{h} 特征图上 C = {c} 个通道中只有 r = 1/{n} 做 {k}×{k} 卷积，其余通道原样通过。"
        "在全部 {c} 个通道上做完整的 {k}×{k} 卷积（C → C），其 **MACs** 是这个 PConv 的几倍？"
        "回答 完整卷积 ÷ PConv。"
    ),
    "exercises.ask.newer_blocks.rep": (
        "**RepVGG 块**，{shape}，C = {c} → {c}，{k}×{k}，步长 {s}：训练时它有{branches}（连同 BN 共 {train} 个参数）。"
        "推理时折叠成一个带偏置的 {k}×{k} 卷积后，它有多少个**参数**？"
    ),
    "exercises.newer.dense": "普通卷积",
    "exercises.newer.depthwise": "逐通道（MobileOne 风格，每个分支都按通道分组）",
    "exercises.newer.identity": "一个 k×k 卷积 + BN、一个 1×1 卷积 + BN 和一个恒等 BN",
    "exercises.newer.no_identity": "一个 k×k 卷积 + BN 和一个 1×1 卷积 + BN（没有恒等分支：尺寸改变了）",
    "exercises.mnas.one": "一个 5×5 深度可分离卷积层，{m} → {n} 通道，输入 {h}×{h}",
    "exercises.mnas.two": "两个 3×3 深度可分离卷积层，每个都按 {m} → {n} 通道计算（MnasNet 的算法），输入 {h}×{h}",
    "exercises.ask.shuffle_position.to": (
        "对 **{channels}** 个通道、**{groups}** 组做通道重排（变形为 {groups}×{per}、转置、再展平）。"
        "输出位置 **{position}** 上是哪个输入通道？（通道从 0 开始编号。）"
    ),
    "exercises.ask.shuffle_position.from": (
        "对 **{channels}** 个通道、**{groups}** 组做通道重排（变形为 {groups}×{per}、转置、再展平）。"
        "输入通道 **{position}** 会到哪个输出位置？（通道从 0 开始编号。）"
    ),
    "exercises.ask.groups_seen.on": (
        "{layers} 个分组卷积（{channels} → {channels} 通道，每个 {groups} 组）堆叠在一起，中间 **有** 通道重排。"
        "最后一层的输出通道 {output} 依赖于 {groups} 个输入组中的几个？"
    ),
    "exercises.ask.groups_seen.off": (
        "{layers} 个分组卷积（{channels} → {channels} 通道，每个 {groups} 组）堆叠在一起，中间 **没有** 通道重排。"
        "最后一层的输出通道 {output} 依赖于 {groups} 个输入组中的几个？"
    ),
    "exercises.ask.network_compare.more": (
        "在默认输入尺寸下，哪个网络的 **{metric}** 更多？\n\n- **A**：{first}\n- **B**：{second}"
    ),
    "exercises.ask.network_compare.faster": (
        "哪个网络 **在这台服务器上** 跑得更快（CPU、批大小 1、默认输入尺寸）？\n\n- **A**：{first}\n- **B**：{second}"
    ),
    "exercises.option.first": "A",
    "exercises.option.second": "B",
    "exercises.option.equal": "一样多",
    "exercises.option.network": "{label}（{which}）",
    "exercises.reveal.which_cheaper": "A 需要 {first} MACs，B 需要 {second}：多的是少的 {factor} 倍。",
    "exercises.reveal.network": "{label}：{params} 个参数，{macs} MACs",
    "exercises.reveal.latency": "{label}：在这里测得 {ms} ms（中位数）",
    "exercises.reveal.groups_seen": "输出通道 {output} 看到的是第 {seen} 个输入组。",
    "exercises.ask.redundancy_compare.near_copies": (
        "使用 ImageNet 权重的 {net} 处理示例照片（{image}）。"
        "如果同一层中另有一张特征图与某张特征图的余弦相似度 ≥ {thr}，"
        "就说这张图有一个 **近似副本**。"
        "哪个卷积层中有近似副本的特征图 **占比更大**？\n\n"
        "- **A**：`{first}`\n- **B**：`{second}`"
    ),
    "exercises.ask.redundancy_compare.nn_mean": (
        "使用 ImageNet 权重的 {net} 处理示例照片（{image}）。"
        "对每张输出特征图，取它与同一层中最相似的另一张图的余弦相似度，再对整层求平均。"
        "哪个卷积层的 **平均最近邻相似度更高**？\n\n"
        "- **A**：`{first}`\n- **B**：`{second}`"
    ),
    "exercises.option.layer": "{layer}（{which}）",
    "exercises.ask.peak_memory": (
        "**{net}** 输入 {size}×{size}，batch 1，float32，按追踪图的顺序逐层运行。每个激活从产生它的层开始存活，"
        "直到最后一个读取它的层为止；不计权重。在 **峰值** 处同时存活的激活共有多少 **MiB**（1 MiB = 2²⁰ 字节）？"
        "答案是对追踪图做活跃性分析得到的预测值（延迟实验室的“峰值内存”标签页做的是同样的分析，输入为 224×224）。"
    ),
    "exercises.reveal.peak": (
        "峰值为 {mib} MiB（{bytes} 字节），出现在共 {n} 步中的第 {index} 步 {step}（{op}）：这一步分配 {alloc} MiB，"
        "另有 {kept} MiB 是之前各步留下、仍然存活的。"
    ),
    "exercises.reveal.peak_alive": "峰值处存活的张量（{n} 个）：{tensors}",
    "exercises.reveal.peak_tensor": "{name} {mib} MiB",
    "exercises.reveal.input": "输入",
    "exercises.reveal.peak_around": "峰值前后每一步的存活内存：{steps}",
    "exercises.reveal.peak_step": "第 {index} 步 {step} {mib} MiB",
    "exercises.reveal.peak_scale": "作为参照：输入为 {input} MiB，最大的单个激活为 {largest} MiB。",
    "exercises.reveal.redundancy": (
        "{which}：`{layer}`，{c} 张特征图：{share} 有近似副本（≥ {thr}）；平均最近邻相似度 {nn}"
    ),
    "exercises.col.number": "#",
    "exercises.col.question": "题目",
    "exercises.col.options": "选项",
    "exercises.col.format": "作答要求",
    "exercises.col.answer": "答案",
    "exercises.col.link": "链接",
    "predict.switch": "先预测",
    "predict.switch_help": "在你输入自己的估计之前先隐藏结果。",
    "predict.prompt": "你的估计：{what}",
    "predict.hidden": "先输入你的估计（{what}）并按回车，然后才会显示结果。",
    "predict.result": "你的预测是 **{guess}**，答案是 **{answer}**：{verdict}。",
    "predict.off": "相差 {pct}",
    "predict.close": "误差在 10% 以内——估得不错",
    "predict.what.playground": "这个模块的 MACs",
    "predict.what.latency": "{family}在这里的延迟（毫秒）",
}
