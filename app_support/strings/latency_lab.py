"""Latency Lab strings."""

EN = {
    "latency_lab.reparam_title": "Folding branches: the same network, deployed",
    "latency_lab.reparam_intro": (
        "RepVGG, MobileOne and RepGhost train with parallel branches (k×k, 1×1, identity, each with BatchNorm) and "
        "fold them into one conv for inference with timm's `reparameterize_model`: the outputs are equal to "
        "floating-point error (the Conv Playground proves it on one block). Before and after, on this machine, "
        "random weights, batch 1, 224×224."
    ),
    "latency_lab.reparam_counting": "Counting both forms of each network…",
    "latency_lab.reparam_measure": "Measure before and after",
    "latency_lab.reparam_before": "Latency appears after a click (each network is timed in both forms, in the "
                                  "same run).",
    "latency_lab.reparam_col.network": "timm network",
    "latency_lab.reparam_col.params_before": "params (training)",
    "latency_lab.reparam_col.params_after": "params (folded)",
    "latency_lab.reparam_col.macs_before": "MACs (training)",
    "latency_lab.reparam_col.macs_after": "MACs (folded)",
    "latency_lab.reparam_col.ms_before": "ms (training)",
    "latency_lab.reparam_col.ms_after": "ms (folded)",
    "latency_lab.reparam_col.speedup": "speed-up",
    "nav.latency_lab": "Latency Lab",
    "latency_lab.title": "Latency Lab: FLOPs are not speed",
    "latency_lab.intro": (
        "MACs count arithmetic; a CPU also has to move data. ShuffleNet v2 (Ma et al., 2018) measured that "
        "networks with the same MACs can run at very different speeds, because of **memory access cost** (every "
        "element read and written), **fragmentation** (many small operators instead of one large one) and "
        "**element-wise operations** (ReLU, additions: no MACs, but all the memory traffic). Here the same "
        "question is answered on this server, live."
    ),
    "latency_lab.threads": "CPU threads",
    "latency_lab.threads_help": "torch intra-op threads used while timing. One thread is the steadiest on a "
                                "shared server (ShuffleNet v2 also timed its ARM results on one thread).",
    "latency_lab.effort": "Measurement effort",
    "latency_lab.effort.quick": "quick (tiny sizes)",
    "latency_lab.effort.standard": "standard",
    "latency_lab.effort.thorough": "thorough",
    "latency_lab.effort_help": "Quick: guideline networks at 8×8 with 16 channels and very short timings: "
                               "seconds, but rough, so timings only and no verdicts. Standard: the paper's sizes "
                               "(56×56, 10 blocks), 0.2 s per timing. Thorough: 1 s per timing and more rounds.",
    "latency_lab.machine": (
        "All timings on this page are for **this server's CPU** ({cpu}, {cores} logical cores), measured with "
        "**{threads} thread(s)**, batch 1, float32, PyTorch eager mode in inference mode. Other users on the "
        "same server add noise: the IQR column shows how much. On your laptop or phone the numbers will differ; "
        "the orderings are what to look at. The server times one thing at a time, in a separate process at low "
        "priority, so that other users' pages stay quick."
    ),
    "latency_lab.measuring": "Measuring…",
    "latency_lab.queue": "This server times one thing at a time, so that timings do not disturb each other: you "
                         "are **{place}** in line, {ahead} measurement(s) ahead of you.",
    "latency_lab.too_big": "not timed here: {macs} MACs would keep this server busy too long",
    "latency_lab.blocks_title": "Your block and the other families at the same shape",
    "latency_lab.from_playground": "Block from the Conv Playground: **{family}** on a {shape} input (C×H×W). "
                                   "Every other family is built with the same parameters.",
    "latency_lab.from_defaults": "No block chosen in the Conv Playground yet, so this uses its default: "
                                 "**{family}** on a {shape} input (C×H×W). Change it there and come back.",
    "latency_lab.measure_blocks": "⏱️ Measure these {n} blocks",
    "latency_lab.blocks_before": "MACs and memory access are computed from the formulas; click the button to "
                                 "time each block on this CPU.",
    "latency_lab.memory_note": (
        "Memory access (ShuffleNet v2's MAC): elements read and written by every operation PyTorch runs "
        "(convolutions, BatchNorm, activations, additions, concatenation, shuffle copies), at 4 bytes each. "
        "MACs per byte is the arithmetic intensity: low intensity means the CPU waits on memory."
    ),
    "latency_lab.col.family": "Family",
    "latency_lab.col.note": "Note",
    "latency_lab.col.memory": "Memory access (MB)",
    "latency_lab.col.intensity": "MACs per byte",
    "latency_lab.col.median": "Latency (ms, median)",
    "latency_lab.col.iqr": "IQR (ms)",
    "latency_lab.col.rate": "GMAC/s",
    "latency_lab.col.setup": "Set-up",
    "latency_lab.col.widths": "Channels",
    "latency_lab.col.bound": "MAC ÷ lower bound",
    "latency_lab.col.relative": "Time vs first",
    "latency_lab.col.network": "Network",
    "latency_lab.dense_rate": "at the standard conv's MACs/s",
    "latency_lab.axis.latency": "Latency (ms, median; bars: IQR)",
    "latency_lab.axis.rate": "Throughput (GMAC/s)",
    "latency_lab.axis.memory": "Memory access (MB)",
    "latency_lab.blocks_verdict": (
        "The dense conv runs at **{dense} GMAC/s** here. The slowest per MAC is **{slowest}** at {rate} GMAC/s, "
        "{pct}% of the dense rate: counting MACs alone would have predicted the same rate for both. It does "
        "{intensity} MACs per byte of memory access, the dense conv {dense_intensity}."
    ),
    "latency_lab.guidelines_title": "ShuffleNet v2's four guidelines, measured",
    "latency_lab.guidelines_intro": (
        "Each experiment compares small networks with (nearly) the same MACs, built as in the paper: one block "
        "stacked {repeat} times on a {size}×{size} input, reference width c = {c}. Set-ups are timed in "
        "{rounds} round(s); a round times every set-up of every guideline on every chosen backend once, so the "
        "rounds are a whole pass apart in time and background load affects all set-ups alike. Rounds that "
        "disagree with each other by more than their own spread are reported: the machine was not steady."
    ),
    "latency_lab.run_guidelines": "⏱️ Run the four experiments ({n} networks)",
    "latency_lab.guidelines_before": "Set-ups, MACs and memory access below are analytic; click the button to "
                                     "time them.",
    "latency_lab.paper_says": "📄 **The paper:** {text}",
    "latency_lab.we_measured": (
        "🖥️ **Measured here** ({threads} thread(s)): {relative} (time relative to {reference}). {verdict}"
    ),
    "latency_lab.agrees": "✅ The same trend as the paper.",
    "latency_lab.unclear": "➖ No clear difference here: the gap is within the measurement noise (IQR), so on "
                           "this CPU at these sizes the MACs predicted the time well.",
    "latency_lab.disagrees": "⚠️ Not the paper's trend on this CPU at these sizes (try the other effort or "
                             "thread settings: CPUs, GPUs and phones differ, and load adds noise).",
    "latency_lab.not_measured": "Not measured yet.",
    "latency_lab.relative_item": "{label}: **{x}**",
    "latency_lab.measure_again": "⟳ Measure again (new rounds)",
    "latency_lab.again_help": "The results above may come from this server's shared store (timed earlier, for "
                              "anyone). This times every set-up again now, in new rounds.",
    "latency_lab.backend": "Convolution code (backend)",
    "latency_lab.backend.both": "both, side by side",
    "latency_lab.backend.onednn": "oneDNN",
    "latency_lab.backend.native": "PyTorch native",
    "latency_lab.backend_help": "Left to itself, PyTorch sends these batch-1 1×1 convolutions to its own native "
                                "code at 1 thread and to oneDNN at 2 or more threads. The experiments pin one: "
                                "oneDNN, PyTorch native, or both (twice the timings).",
    "latency_lab.backend_note": (
        "Which code runs the convolutions matters as much as the network. Left to itself, PyTorch picks per call: "
        "at 1 thread its native code (a g-group conv as g small convs and a concatenation), at 2 or more threads "
        "oneDNN (with a layout reorder around each conv), so results at different thread counts would compare two "
        "programs. Here every result names the one it ran on: **oneDNN** (`aten::mkldnn_convolution`, called "
        "directly at any thread count) or **PyTorch native** (oneDNN switched off). Same networks, two "
        "implementations: compare their rankings."
    ),
    "latency_lab.we_measured_on": "🖥️ **Measured here on {backend}** ({threads} thread(s)): {relative} (time "
                                  "relative to {reference}).",
    "latency_lab.verdict.agrees": "✅ Every step goes the paper's way.",
    "latency_lab.verdict.partly": "◐ Partly the paper's trend: {agree} of {steps} steps go its way; the others "
                                  "show no difference here.",
    "latency_lab.verdict.mixed": "⚠️ Mixed: {agree} of {steps} steps go the paper's way, {disagree} the other "
                                 "way ({against}).",
    "latency_lab.verdict.disagrees": "⚠️ Not the paper's trend: no step goes its way, {disagree} of {steps} go "
                                     "the other way ({against}).",
    "latency_lab.verdict.flat": "➖ No difference: every step is within 2 % and the timings are tight, so on this "
                                "CPU the MACs (equal by design) predicted the time.",
    "latency_lab.verdict.noisy": "❔ Cannot tell: the spread of the timings (IQR up to {spread} of a median) is "
                                 "larger than the differences. This says nothing for or against the paper, or "
                                 "MACs: measure again, or with more effort.",
    "latency_lab.verdict.no_verdict.macs": "⏸️ Timings only, no verdict: at these sizes the widths round so far "
                                           "that the set-ups' MACs differ by up to {spread}, so this is not the "
                                           "paper's controlled experiment. The standard effort gives verdicts.",
    "latency_lab.verdict.no_verdict.small": "⏸️ Timings only, no verdict: a {size}×{size} input with c = {c} is "
                                            "smaller than anything the paper timed (56×56, c from 32), and such "
                                            "timings measure per-operation overhead. The standard effort gives "
                                            "verdicts.",
    "latency_lab.verdict.no_verdict.overhead": "⏸️ Timings only, no verdict: the first set-up runs in {ms} ms, "
                                               "which measures per-operation overhead, not the work the paper "
                                               "compares. The standard effort gives verdicts.",
    "latency_lab.step_against": "{slower} faster than {faster}",
    "latency_lab.headline": "**{setup}** took **{factor}** the time of {reference}, with **{macs}** its MACs: "
                            "**{per_mac}** the time per MAC. The paper: **{gpu}** on GPU, **{arm}** on ARM.",
    "latency_lab.size": "Size of the effect: {gpu} the paper's on GPU; {arm} the paper's on ARM.",
    "latency_lab.size.smaller": "**smaller than**",
    "latency_lab.size.larger": "**larger than**",
    "latency_lab.size.similar": "about the same as",
    "latency_lab.size.opposite": "**in the opposite direction to**",
    "latency_lab.unsteady": "⚠️ **This machine is not steady right now.** Across the {rounds} rounds, {setup} "
                            "moved by {drift} of its median, while the spread inside a round was {within}. Other "
                            "work on the server changed its speed during the measurement, so the verdict may not "
                            "hold: measure again (⟳) when it is quieter.",
    "latency_lab.steady": "The {rounds} rounds agree: the largest move between them ({setup}, {drift}) is within "
                          "the spread inside a round or under 5 %.",
    "latency_lab.paper_quote": "The paper's words (Sec. 2): “{quote}”",
    "latency_lab.paper_columns": (
        "Paper columns: {source}, at c = {c}: GPU {gpu} and ARM {arm}. The paper prints speeds (GPU batches/s, "
        "ARM images/s); here they are turned into time relative to the first set-up. Transcribed from two "
        "independent text copies of the paper (the PDF was not at hand), which agree on every number; they have "
        "no page numbers."
    ),
    "latency_lab.paper_no_column": "The paper has no column at c = {c} (its tables are at c = 32 to 512), so no "
                                   "paper numbers are shown at this effort.",
    "latency_lab.col.macs_ratio": "MACs vs first",
    "latency_lab.col.paper_gpu": "Paper GPU: time vs first",
    "latency_lab.col.paper_arm": "Paper ARM: time vs first",
    "latency_lab.col.b_median": "{backend}: latency (ms)",
    "latency_lab.col.b_iqr": "{backend}: IQR (ms)",
    "latency_lab.col.b_relative": "{backend}: time vs first",
    "latency_lab.col.b_per_mac": "{backend}: time per MAC vs first",
    "latency_lab.g1.why_title": "Why G1 may not show on this CPU, measured",
    "latency_lab.g1.why_cache": "**Caches.** The largest single operation here ({setup}: its input, weights and "
                                "output) moves {step} MB. This CPU has {l2} MB of L2 per core and {l3} MB of L3, "
                                "so at batch 1 most of what the paper counts as memory access can stay in "
                                "cache, where unequal widths cost little. The paper's count assumes every access "
                                "costs the same.",
    "latency_lab.g1.why_backend": "**Code.** On {other} the same set-ups gave {setup} at **{factor}** the time of "
                                  "{reference}: the ranking belongs to the convolution code as much as to the "
                                  "network.",
    "latency_lab.g1.why_larger": "**Larger tensors.** At {size}×{size} the largest operation moves {step} MB, "
                                 "more than this CPU's L3. Time G1 there to see whether the paper's trend appears "
                                 "once the tensors leave the cache ({n} networks, about 16 times the work).",
    "latency_lab.g1.measure_larger": "⏱️ Time G1 at {size}×{size}",
    "latency_lab.g1.larger_result": "🔬 **G1 at {size}×{size} on {backend}**: {relative}. {verdict}",
    "latency_lab.g1.tab": "G1 · channel width",
    "latency_lab.g1.title": "G1: equal channel width minimises memory access cost",
    "latency_lab.g1.setup": "Each block: a 1×1 conv c1 → c2 and a 1×1 conv c2 → c1, with c1:c2 = 1:1, 1:2, 1:6, "
                            "1:12 and the widths chosen so the MACs stay the same. For a 1×1 conv with B MACs, "
                            "memory access is smallest exactly when c1 = c2:",
    "latency_lab.g1.expectation": "at the same MACs, 1:1 is fastest, and speed drops as the ratio moves "
                                  "towards 1:12.",
    "latency_lab.g2.tab": "G2 · group count",
    "latency_lab.g2.title": "G2: excessive group convolution increases memory access cost",
    "latency_lab.g2.setup": "Each block: one 1×1 group conv c → c with g = 1, 2, 4, 8; c grows with √g so the "
                            "MACs stay the same, and memory access hw·2c + c²/g grows with it.",
    "latency_lab.g2.expectation": "at the same MACs, more groups are slower; g = 8 was the slowest.",
    "latency_lab.g2.native_note": "On PyTorch native a g-group conv runs as g separate convolutions and a "
                                  "concatenation (a copy of the output): part of any slowdown here is that loop "
                                  "and copy, not the memory access the paper describes. The paper's code avoided "
                                  "it: “our implementation has been specially optimized and is much faster than "
                                  "trivially computing convolutions group by group” (Sec. 2).",
    "latency_lab.g3.tab": "G3 · fragmentation",
    "latency_lab.g3.title": "G3: network fragmentation reduces the degree of parallelism",
    "latency_lab.g3.setup": "Each block: one 1×1 conv, or the same MACs split into 2 or 4 smaller 1×1 convs in "
                            "series (width c/√n) or in parallel branches (c/n outputs each, concatenated).",
    "latency_lab.g3.expectation": "one large operator beats the same work split into pieces; fragmentation "
                                  "hurt most on GPU, less on ARM.",
    "latency_lab.g4.tab": "G4 · element-wise ops",
    "latency_lab.g4.title": "G4: element-wise operations are non-negligible",
    "latency_lab.g4.setup": "Each block: a ResNet bottleneck (1×1 c → c/4, 3×3, 1×1 c/4 → c) with ReLU and the "
                            "shortcut switched on or off. The MACs are identical in all four.",
    "latency_lab.g4.expectation": "removing ReLU and the shortcut gave about 20% speed-up on both GPU and ARM.",
    "latency_lab.networks_title": "Whole networks: ranked by MACs and by latency",
    "latency_lab.networks_missing": "The network zoo (effviz.networks) is not available in this version yet.",
    "latency_lab.networks_intro": "The {n} networks of the zoo at batch 1 and {size}×{size}, random weights "
                                  "(speed does not depend on the weights' values).",
    "latency_lab.measure_networks": "⏱️ Measure the {n} networks",
    "latency_lab.networks_before": "Click the button to time every network (this takes a while on a busy "
                                   "server).",
    "latency_lab.network_failed": "{name} could not be measured: {problem}",
    "latency_lab.timing_stopped": "the timing process stopped before it finished; try again",
    "latency_lab.run_stopped": "The measurement stopped: the process that times the blocks ended before it "
                               "finished (stopped, or out of memory). Nothing from this run was kept; press the "
                               "button again and a new timing process starts.",
    "latency_lab.list_sep": ", ",
    "latency_lab.rank_macs": "Rank by MACs",
    "latency_lab.rank_latency": "Rank by latency",
    "latency_lab.networks_verdict": "{n} network(s) change place between the two rankings: {names}. Red lines "
                                    "cross where counting MACs predicts the wrong order.",
    "latency_lab.setup.label.ratio": "1:{ratio}",
    "latency_lab.setup.label.groups": "g={g}",
    "latency_lab.setup.label.fragment": "1-fragment",
    "latency_lab.setup.label.series": "{n}-series",
    "latency_lab.setup.label.parallel": "{n}-parallel",
    "latency_lab.setup.label.relu_on_shortcut_on": "ReLU on, shortcut on",
    "latency_lab.setup.label.relu_on_shortcut_off": "ReLU on, shortcut off",
    "latency_lab.setup.label.relu_off_shortcut_on": "ReLU off, shortcut on",
    "latency_lab.setup.label.relu_off_shortcut_off": "ReLU off, shortcut off",
    "latency_lab.setup.detail.ratio": "c1={c1}, c2={c2}",
    "latency_lab.setup.detail.groups": "c={c}",
    "latency_lab.setup.detail.fragment": "c={c}",
    "latency_lab.setup.detail.series": "{n}× c={width}",
    "latency_lab.setup.detail.parallel": "{n}× {c}→{branch}, concat",
    "latency_lab.setup.detail.relu_on_shortcut_on": "c={c}, bottleneck {m}",
    "latency_lab.setup.detail.relu_on_shortcut_off": "c={c}, bottleneck {m}",
    "latency_lab.setup.detail.relu_off_shortcut_on": "c={c}, bottleneck {m}",
    "latency_lab.setup.detail.relu_off_shortcut_off": "c={c}, bottleneck {m}",
}

ZH = {
    "latency_lab.reparam_title": "折叠分支：同一个网络，部署形式",
    "latency_lab.reparam_intro": (
        "RepVGG、MobileOne 和 RepGhost 训练时使用并行分支（k×k、1×1、恒等映射，各带 BatchNorm），推理前用 timm 的 "
        "`reparameterize_model` 折叠成一个卷积：输出只差浮点误差（卷积实验场在单个模块上给出了证明）。以下是折叠前后"
        "在本机上的对比：随机权重，批大小 1，224×224。"
    ),
    "latency_lab.reparam_counting": "正在统计每个网络的两种形式……",
    "latency_lab.reparam_measure": "测量折叠前后",
    "latency_lab.reparam_before": "点击后显示延迟（每个网络的两种形式在同一次运行中计时）。",
    "latency_lab.reparam_col.network": "timm 网络",
    "latency_lab.reparam_col.params_before": "参数量（训练）",
    "latency_lab.reparam_col.params_after": "参数量（折叠后）",
    "latency_lab.reparam_col.macs_before": "MACs（训练）",
    "latency_lab.reparam_col.macs_after": "MACs（折叠后）",
    "latency_lab.reparam_col.ms_before": "毫秒（训练）",
    "latency_lab.reparam_col.ms_after": "毫秒（折叠后）",
    "latency_lab.reparam_col.speedup": "加速比",
    "nav.latency_lab": "延迟实验室",
    "latency_lab.title": "延迟实验室：FLOPs 不等于速度",
    "latency_lab.intro": (
        "MACs 只统计了算术运算，而 CPU 还要搬运数据。ShuffleNet v2（Ma 等，2018）实测发现，MACs 相同的网络，"
        "速度可能差得很远，原因在于：**内存访问量**（每个被读写的元素）、**碎片化**（用许多小算子代替一个大算子）"
        "和**逐元素操作**（ReLU、加法：不计 MACs，却照样要读写全部数据）。这一页就在这台服务器上现场回答这个问题。"
    ),
    "latency_lab.threads": "CPU 线程数",
    "latency_lab.threads_help": "计时时 torch 使用的算子内线程数。在多人共用的服务器上，单线程最稳定"
                                "（ShuffleNet v2 在 ARM 上的结果也是单线程测的）。",
    "latency_lab.effort": "测量模式",
    "latency_lab.effort.quick": "快速（极小尺寸）",
    "latency_lab.effort.standard": "标准",
    "latency_lab.effort.thorough": "精细",
    "latency_lab.effort_help": "快速：设计原则实验用 8×8、16 通道的小网络，计时很短：几秒就好，但结果粗糙，"
                               "所以只给计时、不下结论。"
                               "标准：论文的尺寸（56×56、10 个模块），每次计时 0.2 秒。精细：每次计时 1 秒，轮数更多。",
    "latency_lab.machine": (
        "本页所有计时都只代表**这台服务器的 CPU**（{cpu}，{cores} 个逻辑核心），使用 **{threads} 个线程**、"
        "批大小 1、float32、PyTorch eager 模式下的推理模式测得。服务器上的其他用户会带来噪声，IQR 一列显示了"
        "波动有多大。换到你的笔记本或手机上，数字会不同；值得关注的是快慢顺序。服务器一次只测一项，"
        "并在一个低优先级的独立进程里测，以免拖慢其他用户的页面。"
    ),
    "latency_lab.measuring": "正在测量……",
    "latency_lab.queue": "这台服务器一次只测一项，免得测量互相干扰：你排在**{place}**，前面还有 {ahead} 项测量。",
    "latency_lab.too_big": "这里不计时：{macs} MACs 会让服务器忙太久",
    "latency_lab.blocks_title": "你的模块，以及同一形状下的其他模块",
    "latency_lab.from_playground": "模块来自卷积游乐场：**{family}**，输入为 {shape}（C×H×W）。"
                                   "其他模块类型都用相同的参数搭建。",
    "latency_lab.from_defaults": "还没有在卷积游乐场里选模块，所以这里用它的默认设置：**{family}**，"
                                 "输入为 {shape}（C×H×W）。去那里修改后再回来。",
    "latency_lab.measure_blocks": "⏱️ 测量这 {n} 个模块",
    "latency_lab.blocks_before": "MACs 和内存访问量是由公式算出来的；点击按钮，在这台 CPU 上给每个模块计时。",
    "latency_lab.memory_note": (
        "内存访问量（即 ShuffleNet v2 论文中的 memory access cost）：PyTorch 执行的每个操作"
        "（卷积、BatchNorm、激活、加法、拼接、通道重排时的拷贝）"
        "读写的元素数，每个按 4 字节计。每字节 MACs 即计算强度：强度越低，CPU 越是在等内存。"
    ),
    "latency_lab.col.family": "模块类型",
    "latency_lab.col.note": "说明",
    "latency_lab.col.memory": "内存访问量（MB）",
    "latency_lab.col.intensity": "每字节 MACs",
    "latency_lab.col.median": "延迟（毫秒，中位数）",
    "latency_lab.col.iqr": "IQR（毫秒）",
    "latency_lab.col.rate": "GMAC/s",
    "latency_lab.col.setup": "配置",
    "latency_lab.col.widths": "通道数",
    "latency_lab.col.bound": "内存访问量 ÷ 下界",
    "latency_lab.col.relative": "相对第一项的耗时",
    "latency_lab.col.network": "网络",
    "latency_lab.dense_rate": "按标准卷积的 MACs/s 计算",
    "latency_lab.axis.latency": "延迟（毫秒，中位数；误差棒：IQR）",
    "latency_lab.axis.rate": "吞吐量（GMAC/s）",
    "latency_lab.axis.memory": "内存访问量（MB）",
    "latency_lab.blocks_verdict": (
        "在这里，标准卷积的速度是 **{dense} GMAC/s**。按每次乘加的耗时算，最慢的是 **{slowest}**，只有 {rate} GMAC/s，"
        "是标准卷积的 {pct}%：如果只看 MACs，会以为两者速度相同。它每访问一个字节内存只做 {intensity} 次乘加，"
        "标准卷积则是 {dense_intensity} 次。"
    ),
    "latency_lab.guidelines_title": "实测 ShuffleNet v2 的四条设计原则",
    "latency_lab.guidelines_intro": (
        "每个实验比较若干 MACs（几乎）相同的小网络，搭法与论文一致：一个模块在 {size}×{size} 的输入上堆叠 "
        "{repeat} 次，基准宽度 c = {c}。各配置分 {rounds} 轮计时；每一轮把所有设计原则的每个配置在每个所选后端上"
        "各测一次，所以轮与轮之间隔着完整的一遍，后台负载对所有配置的影响也尽量相同。如果各轮之间的差别大于单轮内部的波动，页面会说明："
        "机器当时不稳定。"
    ),
    "latency_lab.run_guidelines": "⏱️ 运行四个实验（共 {n} 个网络）",
    "latency_lab.guidelines_before": "下面的配置、MACs 和内存访问量都是解析计算的；点击按钮给它们计时。",
    "latency_lab.paper_says": "📄 **论文结论**：{text}",
    "latency_lab.we_measured": "🖥️ **本机实测**（{threads} 个线程）：{relative}（相对于 {reference} 的耗时）。{verdict}",
    "latency_lab.agrees": "✅ 与论文趋势一致。",
    "latency_lab.unclear": "➖ 这里看不出明显差别：差距在测量噪声（IQR）之内，所以在这台 CPU、这些尺寸下，"
                           "MACs 对耗时的预测是准确的。",
    "latency_lab.disagrees": "⚠️ 在这台 CPU、这些尺寸下，没有出现论文中的趋势（可以换一种测量模式或线程数试试："
                             "CPU、GPU 和手机各不相同，负载也会带来噪声）。",
    "latency_lab.not_measured": "尚未测量。",
    "latency_lab.relative_item": "{label}：**{x}**",
    "latency_lab.measure_again": "⟳ 重新测量（新的几轮）",
    "latency_lab.again_help": "上面的结果可能来自这台服务器的共享存储（之前为任何人测过的）。点这里会现在重新给"
                              "每个配置计时，用新的几轮。",
    "latency_lab.backend": "卷积实现（后端）",
    "latency_lab.backend.both": "两种并排",
    "latency_lab.backend.onednn": "oneDNN",
    "latency_lab.backend.native": "PyTorch 原生",
    "latency_lab.backend_help": "不加指定时，PyTorch 在 1 个线程下把这些批大小为 1 的 1×1 卷积交给它自己的原生代码，"
                                "在 2 个及以上线程下交给 oneDNN。这里的实验固定一种：oneDNN、PyTorch 原生，或两种都测"
                                "（计时次数加倍）。",
    "latency_lab.backend_note": (
        "由哪段代码执行卷积，和网络本身一样重要。不加指定时，PyTorch 每次调用自行选择：1 个线程时用原生代码"
        "（g 组的分组卷积拆成 g 个小卷积再拼接），2 个及以上线程时用 oneDNN（每个卷积前后各有一次内存布局转换），"
        "所以不同线程数的结果其实比较的是两个不同的程序。这里每个结果都注明了它运行在哪个后端上：**oneDNN**"
        "（直接调用 `aten::mkldnn_convolution`，任何线程数都一样）或 **PyTorch 原生**（关闭 oneDNN）。"
        "同样的网络、两种实现：比较一下它们的快慢排名。"
    ),
    "latency_lab.we_measured_on": "🖥️ **本机实测，{backend}**（{threads} 个线程）：{relative}（相对于 {reference} "
                                  "的耗时）。",
    "latency_lab.verdict.agrees": "✅ 每一步都与论文趋势一致。",
    "latency_lab.verdict.partly": "◐ 部分符合论文趋势：{steps} 步中有 {agree} 步一致，其余各步在这里看不出差别。",
    "latency_lab.verdict.mixed": "⚠️ 结果不一：{steps} 步中 {agree} 步与论文一致，{disagree} 步相反（{against}）。",
    "latency_lab.verdict.disagrees": "⚠️ 不是论文的趋势：没有一步与论文一致，{steps} 步中 {disagree} 步相反"
                                     "（{against}）。",
    "latency_lab.verdict.flat": "➖ 没有差别：每一步都在 2% 以内，而且计时很稳定，所以在这台 CPU 上，"
                                "MACs（按设计相同）准确预测了耗时。",
    "latency_lab.verdict.noisy": "❔ 无法判断：计时的波动（IQR 最多达中位数的 {spread}）比各配置之间的差距还大。"
                                 "这既不支持也不否定论文或 MACs：请重新测量，或提高测量力度。",
    "latency_lab.verdict.no_verdict.macs": "⏸️ 只给计时，不下结论：在这些尺寸下通道数取整误差太大，各配置的 MACs "
                                           "最多相差 {spread}，已经不是论文中的对照实验。用“标准”力度才会给出结论。",
    "latency_lab.verdict.no_verdict.small": "⏸️ 只给计时，不下结论：{size}×{size} 的输入、c = {c}，比论文测过的任何"
                                            "配置都小（56×56，c 从 32 起），这样的计时测到的是每个算子的固定开销。"
                                            "用“标准”力度才会给出结论。",
    "latency_lab.verdict.no_verdict.overhead": "⏸️ 只给计时，不下结论：第一个配置只用 {ms} 毫秒，测到的是每个算子的"
                                               "固定开销，而不是论文比较的计算量。用“标准”力度才会给出结论。",
    "latency_lab.step_against": "{slower} 比 {faster} 快",
    "latency_lab.headline": "**{setup}** 的耗时是 {reference} 的 **{factor}**，MACs 是它的 **{macs}**："
                            "每次乘加的耗时是它的 **{per_mac}**。论文：GPU 上 **{gpu}**，ARM 上 **{arm}**。",
    "latency_lab.size": "效应大小：与论文的 GPU 结果相比{gpu}；与 ARM 结果相比{arm}。",
    "latency_lab.size.smaller": "**更小**",
    "latency_lab.size.larger": "**更大**",
    "latency_lab.size.similar": "大致相同",
    "latency_lab.size.opposite": "**方向相反**",
    "latency_lab.unsteady": "⚠️ **这台机器现在不稳定。** 在 {rounds} 轮测量中，{setup} 的中位数变化了 {drift}，"
                            "而每一轮内部的波动只有 {within}。测量期间服务器上的其他任务改变了它的速度，上面的结论"
                            "未必成立：等服务器空闲一些再测一次（⟳）。",
    "latency_lab.steady": "{rounds} 轮测量彼此一致：轮与轮之间最大的变化（{setup}，{drift}）在单轮内部的波动之内，"
                          "或小于 5%。",
    "latency_lab.paper_quote": "论文原文（第 2 节）：“{quote}”",
    "latency_lab.paper_columns": (
        "论文数据：{source}，取 c = {c} 的列：GPU {gpu}，ARM {arm}。论文给出的是速度（GPU 为批/秒，ARM 为图像/秒），"
        "这里换算成相对于第一个配置的耗时。数字转录自论文的两份相互独立的文本副本（手头没有 PDF），两者的每个数字"
        "都一致；副本中没有页码。"
    ),
    "latency_lab.paper_no_column": "论文中没有 c = {c} 的列（它的表格只有 c = 32 到 512），所以这一测量力度下不显示"
                                   "论文数据。",
    "latency_lab.col.macs_ratio": "MACs（相对第一项）",
    "latency_lab.col.paper_gpu": "论文 GPU：相对耗时",
    "latency_lab.col.paper_arm": "论文 ARM：相对耗时",
    "latency_lab.col.b_median": "{backend}：延迟（毫秒）",
    "latency_lab.col.b_iqr": "{backend}：IQR（毫秒）",
    "latency_lab.col.b_relative": "{backend}：相对耗时",
    "latency_lab.col.b_per_mac": "{backend}：每次乘加的相对耗时",
    "latency_lab.g1.why_title": "为什么 G1 在这台 CPU 上可能不明显：实测说明",
    "latency_lab.g1.why_cache": "**缓存。** 这里最大的单个操作（{setup}：输入、权重和输出）要搬运 {step} MB。"
                                "这台 CPU 每个核心有 {l2} MB 二级缓存、共 {l3} MB 三级缓存，所以在批大小为 1 时，"
                                "论文算作内存访问的数据大多可以留在缓存里，在缓存中通道数不相等的代价很小。论文的计数假设"
                                "每次访问的代价都一样。",
    "latency_lab.g1.why_backend": "**实现。** 在 {other} 上，同样的配置中 {setup} 的耗时是 {reference} 的 "
                                  "**{factor}**：快慢排名既取决于网络，也取决于卷积的实现代码。",
    "latency_lab.g1.why_larger": "**更大的张量。** 在 {size}×{size} 下，最大的操作要搬运 {step} MB，超过了这台 CPU "
                                 "的三级缓存。在那里给 G1 计时，看看张量离开缓存后论文的趋势是否出现（{n} 个网络，"
                                 "计算量约为 16 倍）。",
    "latency_lab.g1.measure_larger": "⏱️ 在 {size}×{size} 下给 G1 计时",
    "latency_lab.g1.larger_result": "🔬 **{size}×{size} 下的 G1，{backend}**：{relative}。{verdict}",
    "latency_lab.g1.tab": "G1 · 通道宽度",
    "latency_lab.g1.title": "G1：输入输出通道数相等时，内存访问量最小",
    "latency_lab.g1.setup": "每个模块：一个 1×1 卷积 c1 → c2，再接一个 1×1 卷积 c2 → c1，c1:c2 取 1:1、1:2、1:6、"
                            "1:12，并调整宽度使 MACs 保持不变。对一个有 B 次乘加的 1×1 卷积，恰好在 c1 = c2 时"
                            "内存访问量最小：",
    "latency_lab.g1.expectation": "MACs 相同时，1:1 最快，比例越偏向 1:12 速度越慢。",
    "latency_lab.g2.tab": "G2 · 分组数",
    "latency_lab.g2.title": "G2：过多的分组卷积会增加内存访问量",
    "latency_lab.g2.setup": "每个模块：一个 1×1 分组卷积 c → c，g 取 1、2、4、8；c 随 √g 增大以保持 MACs 不变，"
                            "内存访问量 hw·2c + c²/g 也随之增大。",
    "latency_lab.g2.expectation": "MACs 相同时，分组越多越慢；g = 8 最慢。",
    "latency_lab.g2.native_note": "在 PyTorch 原生实现中，g 组的分组卷积被拆成 g 个独立的卷积再拼接（输出要复制一次）："
                                  "这里测到的变慢，有一部分来自这个循环和复制，而不是论文所说的内存访问。论文的实现"
                                  "避免了这一点：“our implementation has been specially optimized and is much faster "
                                  "than trivially computing convolutions group by group”（第 2 节）。",
    "latency_lab.g3.tab": "G3 · 碎片化",
    "latency_lab.g3.title": "G3：网络碎片化会降低并行度",
    "latency_lab.g3.setup": "每个模块：一个 1×1 卷积；或者把同样的 MACs 拆成 2 个或 4 个更小的 1×1 卷积，"
                            "串联（宽度 c/√n）或并联成多个分支（每支输出 c/n 个通道，再拼接）。",
    "latency_lab.g3.expectation": "一个大算子比拆成几块的同样计算更快；碎片化在 GPU 上影响最大，在 ARM 上较小。",
    "latency_lab.g4.tab": "G4 · 逐元素操作",
    "latency_lab.g4.title": "G4：逐元素操作的开销不可忽略",
    "latency_lab.g4.setup": "每个模块：一个 ResNet 瓶颈结构（1×1 c → c/4、3×3、1×1 c/4 → c），分别打开或关闭 ReLU "
                            "和捷径分支。四种情况的 MACs 完全相同。",
    "latency_lab.g4.expectation": "去掉 ReLU 和捷径分支后，在 GPU 和 ARM 上都快了约 20%。",
    "latency_lab.networks_title": "完整网络：按 MACs 排序与按延迟排序",
    "latency_lab.networks_missing": "当前版本还没有网络库（effviz.networks）。",
    "latency_lab.networks_intro": "网络库中的 {n} 个网络，批大小 1、输入 {size}×{size}、随机权重"
                                  "（速度与权重的具体数值无关）。",
    "latency_lab.measure_networks": "⏱️ 测量这 {n} 个网络",
    "latency_lab.networks_before": "点击按钮给每个网络计时（服务器繁忙时需要一些时间）。",
    "latency_lab.network_failed": "{name} 无法测量：{problem}",
    "latency_lab.timing_stopped": "计时进程在完成前停止了；请再试一次",
    "latency_lab.run_stopped": "测量已中断：负责计时的进程在完成前结束了（被停止或内存不足）。本次结果没有保留；"
                               "再按一次按钮，会启动新的计时进程。",
    "latency_lab.list_sep": "、",
    "latency_lab.rank_macs": "按 MACs 排名",
    "latency_lab.rank_latency": "按延迟排名",
    "latency_lab.networks_verdict": "有 {n} 个网络在两种排名中位置不同：{names}。红线交叉的地方，就是按 MACs "
                                    "预测的快慢顺序出错的地方。",
    "latency_lab.setup.label.ratio": "1:{ratio}",
    "latency_lab.setup.label.groups": "g={g}",
    "latency_lab.setup.label.fragment": "1 个片段",
    "latency_lab.setup.label.series": "{n} 个串联",
    "latency_lab.setup.label.parallel": "{n} 个并联",
    "latency_lab.setup.label.relu_on_shortcut_on": "有 ReLU，有捷径",
    "latency_lab.setup.label.relu_on_shortcut_off": "有 ReLU，无捷径",
    "latency_lab.setup.label.relu_off_shortcut_on": "无 ReLU，有捷径",
    "latency_lab.setup.label.relu_off_shortcut_off": "无 ReLU，无捷径",
    "latency_lab.setup.detail.ratio": "c1={c1}，c2={c2}",
    "latency_lab.setup.detail.groups": "c={c}",
    "latency_lab.setup.detail.fragment": "c={c}",
    "latency_lab.setup.detail.series": "{n}× c={width}",
    "latency_lab.setup.detail.parallel": "{n}× {c}→{branch}，拼接",
    "latency_lab.setup.detail.relu_on_shortcut_on": "c={c}，瓶颈 {m}",
    "latency_lab.setup.detail.relu_on_shortcut_off": "c={c}，瓶颈 {m}",
    "latency_lab.setup.detail.relu_off_shortcut_on": "c={c}，瓶颈 {m}",
    "latency_lab.setup.detail.relu_off_shortcut_off": "c={c}，瓶颈 {m}",
}
