"""Latency Lab strings: where the time and the memory go (per-layer time, the roofline, peak memory)."""

EN = {
    "latency_layers.title": "Where the time and the memory go",
    "latency_layers.intro": (
        "MACs are not speed, layer by layer too. Pick a network and press the button: every layer is timed on "
        "this server's CPU by **PyTorch's profiler** (onnxruntime's own per-node profiler for an uploaded ONNX "
        "file), beside its MACs and the bytes it reads and writes. The roofline tab puts each layer under this "
        "machine's measured compute and memory peaks; the memory tab shows which activations are alive at each "
        "step of one pass and where the peak is."
    ),
    "latency_layers.open": "Show per-layer time, the roofline, peak memory and other hardware",
    "latency_layers.network": "Network",
    "latency_layers.uploaded": "The uploaded ONNX file",
    "latency_layers.measure": "Profile every layer",
    "latency_layers.before": "Press **Profile every layer** to time this network's layers (a few seconds).",
    "latency_layers.failed": "The layers could not be profiled: {problem}",
    "latency_layers.tab.time": "Time by layer",
    "latency_layers.tab.roofline": "Roofline",
    "latency_layers.tab.memory": "Peak memory",
    "latency_layers.kind.dense": "dense conv",
    "latency_layers.kind.pointwise": "pointwise (1×1)",
    "latency_layers.kind.depthwise": "depthwise",
    "latency_layers.kind.grouped": "grouped conv",
    "latency_layers.kind.linear": "linear",
    "latency_layers.kind.other": "other (BN, activations, pooling)",
    "latency_layers.runtime.torch": "PyTorch eager, profiled with torch.profiler",
    "latency_layers.runtime.onnxruntime": "onnxruntime, its own per-node profiler",
    "latency_layers.passes.one": "one profiled pass",
    "latency_layers.rest_item": "{where} {ms} ms",
    "latency_layers.passes.many": "the median of {passes} profiled passes",
    "latency_layers.summary": (
        "One pass took **{whole} ms** ({runtime}; {passes}). Its layers add up to **{sum} ms ({pct} %)**: each "
        "module's time, and each block's own operations (residual additions, concatenations, channel shuffles) as a "
        "row of that block, of kind \"other\". The slowest layer: **{slowest}** ({slow_ms} ms)."
    ),
    "latency_layers.rest.torch": (
        "The rest, {rest_ms} ms, is Python between layers, by the module whose forward ran it: {rest}. No operation "
        "runs then: it is eager PyTorch's cost of calling many small modules (ShuffleNet v2's guideline G3: "
        "fragmentation), the profiler's marks, and other users of this server."
    ),
    "latency_layers.rest.onnxruntime": (
        "The rest, {rest_ms} ms, is onnxruntime's own work between its kernels."
    ),
    "latency_layers.share_macs": "share of MACs",
    "latency_layers.share_time": "share of measured time",
    "latency_layers.axis.share": "% of the network",
    "latency_layers.depthwise_verdict": (
        "Depthwise layers do **{macs} %** of the MACs but take **{time} %** of the layers' time: they read and "
        "write as much as a pointwise layer of the same size for a fraction of the arithmetic."
    ),
    "latency_layers.col.layer": "Layer",
    "latency_layers.col.kind": "Kind",
    "latency_layers.col.ms": "Time (ms)",
    "latency_layers.col.share": "% of the pass",
    "latency_layers.roofline_intro": (
        "This machine's roofs, measured once ({seconds} s, {threads} thread(s)): **{gmacs} GMAC/s** (IQR "
        "{gmacs_iqr}) from the faster of a 1024×1024 matrix product and a 3×3 convolution, and **{gbs} GB/s** "
        "(IQR {gbs_iqr}) from copying 32 MiB. A layer that does fewer than **{ridge} MACs per byte** it moves "
        "cannot reach the compute roof: it waits for memory. The roofs are drawn at the fastest timing "
        "({best_gmacs} GMAC/s, {best_gbs} GB/s). The copy measures main memory; a layer whose tensors fit in the "
        "CPU's caches can run above the memory roof, and on this shared server a layer timed at a quieter moment "
        "can land above either roof."
    ),
    "latency_layers.axis.intensity": "Arithmetic intensity (MACs per byte moved)",
    "latency_layers.axis.gmacs": "Achieved GMAC/s",
    "latency_layers.roof_memory": "memory roof (GB/s × intensity)",
    "latency_layers.roof_compute": "compute roof",
    "latency_layers.memory_bound": (
        "{n} of the {total} layers with MACs sit left of the ridge point ({ridge} MACs/byte): memory-bound on "
        "this machine. Layers far below both roofs lose their time to overheads the roofline does not model "
        "(small kernels, layout conversions, Python)."
    ),
    "latency_layers.ridge_title": "Other hardware: move the ridge point",
    "latency_layers.ridge_intro": (
        "A roofline estimate of each zoo network: every layer takes max(MACs ÷ compute peak, bytes ÷ bandwidth), "
        "with this machine's compute peak and the bandwidth set by the ridge point (MobileNetV4 compares "
        "hardware from a CPU, ridge near 0, to accelerators near 500 MACs/byte). At ridge 0 the order is the MACs "
        "order; as the ridge rises, networks that move many bytes per MAC fall behind."
    ),
    "latency_layers.ridge": "Ridge point (MACs per byte)",
    "latency_layers.ridge_help": "Compute peak ÷ memory bandwidth. It starts at this machine's measured value.",
    "latency_layers.tracing": "Tracing the zoo's layers…",
    "latency_layers.axis.estimate": "Latency (ms): roofline estimate; ◆ measured here",
    "latency_layers.estimate": "roofline estimate",
    "latency_layers.measured_here": "measured on this server",
    "latency_layers.spearman": (
        "Rank agreement of the estimate at ridge {ridge} with the {n} networks measured on this server "
        "(Spearman's ρ): **{rho}** (1 = the same order, 0 = unrelated). This machine's own ridge is {here} "
        "MACs/byte. The estimate leaves out what the measurements include: kernel quality per layer type, "
        "layout conversions and Python overhead."
    ),
    "latency_layers.spearman_before": (
        "Measure the zoo in **Networks** above to see how well this estimate orders the networks on this server "
        "(Spearman's rank correlation)."
    ),
    "latency_layers.memory_title": "Memory over one pass",
    "latency_layers.memory_intro": (
        "Predicted by liveness analysis of the traced graph (analytic, batch 1, float32): each operation allocates "
        "its output and a tensor is freed after its last reader; views and in-place activations allocate "
        "nothing. The input counts while it is alive; weights are not included."
    ),
    "latency_layers.memory_failed": "The peak memory could not be computed: {problem}",
    "latency_layers.peak": (
        "Predicted peak: **{peak} MiB** of live activations, at **{step}**. The largest single tensor is {largest} "
        "MiB (the Network Explorer's \"peak activation\"); the input is {input} MiB."
    ),
    "latency_layers.peak_mark": "peak",
    "latency_layers.axis.step": "Step of the pass (operations in execution order)",
    "latency_layers.axis.live": "Live activations (MiB)",
    "latency_layers.measured_line": "measured peak",
    "latency_layers.measure_peak": "Measure the real peak",
    "latency_layers.measuring_peak": "Running one pass in a fresh process…",
    "latency_layers.measured_torch_profiler": (
        "Measured in a fresh process by torch's profiler (every allocation and free of one pass): **{measured} MiB**"
        " against **{predicted} MiB** predicted ({err} %). The measured peak falls inside {op}, which allocated "
        "and freed {transient} MiB of its own workspace there (oneDNN's reordered or padded copies), a buffer the "
        "graph does not show. Without any op's workspace (buffers freed before the op that made them ends), the "
        "activations peak at **{acts} MiB** ({acts_err} %): eager PyTorch keeps each block's input referenced "
        "until the block returns, longer than the graph needs it (run as its torch.fx trace, which frees each "
        "tensor after its last reader, the activations match the prediction: bench/bench_layer_times.py)."
    ),
    "latency_layers.measured_eager": (
        "Predicted for eager PyTorch instead (each block's caller holds the block's inputs until it returns, and "
        "the network's caller holds the input to the end): **{eager} MiB** at **{step}**; the measured "
        "activations are {err} % from it."
    ),
    "latency_layers.measured_rss": (
        "Measured in a fresh process as onnxruntime's peak resident memory above the memory before the run "
        "(arena off): **{measured} MiB** against **{predicted} MiB** predicted from the file's graph ({err} %), "
        "with its activations and Clip run in place where nothing else reads their input, as onnxruntime does. "
        "The rest of the gap: onnxruntime also fuses nodes (a residual Add into the Conv before it), so some of "
        "the file's tensors never exist; your input array stays alive for the whole run; and memory is counted in "
        "whole 4 KiB pages."
    ),
    "latency_layers.slices_intro": (
        "**MobileNetV2's argument, analytic.** The inverted residual's expanded tensor is the largest one alive. "
        "Its first 16→24 block (expansion 6, 112×112, stride 2) computed in t slices of the expanded channels "
        "(MobileNetV2, Sec. 5.1) or in patches of the map (MCUNetV2) keeps only one piece alive at a time. The "
        "block is taken as deployed: BatchNorm folded into the convolutions, activations in place (the chart "
        "above keeps BatchNorm's own output tensors, so its peak is higher)."
    ),
    "latency_layers.slices": "Slices t of the expanded channels",
    "latency_layers.patches": "Patches per side",
    "latency_layers.slices_result": (
        "Analytic peak of that block: **{whole} MiB** whole; in {k} slice(s) **{sliced} MiB** ({s_pct} %); in "
        "{p}×{p} patches **{tiled} MiB** ({p_pct} %). Patches recompute a one-pixel halo, slices add no MACs."
    ),
    "latency_layers.tab.hardware": "Other hardware",
    "latency_layers.hardware_intro": (
        "Published latencies of the zoo's networks on other hardware, each with its source and conditions "
        "(ncnn's benchmark README; PaddleClas's mobile-model tables). Each line is one network's latency relative "
        "to MobileNetV2 on each device: where two lines cross, the hardware flips their order. On a Raspberry Pi "
        "4, ncnn runs ShuffleNet v2 faster than MobileNetV2; on a Threadripper, one thread, slower. On a "
        "Snapdragon 855 MobileNetV3-Large beats MobileNetV1; on a T4 GPU it loses. ShuffleNet v2's own GPU and "
        "ARM tables are not included: no copy could be read in this project's sources."
    ),
    "latency_layers.hardware_before": (
        "Measure the zoo in **Networks** above to add MACs and this server's latency as columns."
    ),
    "latency_layers.col_macs": "MACs",
    "latency_layers.col_here": "this server",
    "latency_layers.axis.relative": "Relative to MobileNetV2 (×, log)",
    "latency_layers.col.device": "Device",
    "latency_layers.col.as_named": "Name in the source",
    "latency_layers.col.published_ms": "Published (ms)",
    "latency_layers.col.conditions": "Conditions",
    "latency_layers.col.source": "Source",
}

ZH = {
    "latency_layers.title": "时间与内存花在哪里",
    "latency_layers.intro": (
        "逐层来看，MACs 也不等于速度。选一个网络并点击按钮：每一层都在本服务器的 CPU 上由 **PyTorch 分析器**计时"
        "（上传的 ONNX 文件则用 onnxruntime 自带的逐节点分析器），并列出它的 MACs 与读写的字节数。“屋顶线”标签页把"
        "每一层放在本机实测的计算峰值与内存峰值之下；“峰值内存”标签页显示一次推理中每一步存活的激活及峰值所在。"
    ),
    "latency_layers.open": "显示逐层时间、屋顶线、峰值内存与其他硬件",
    "latency_layers.network": "网络",
    "latency_layers.uploaded": "上传的 ONNX 文件",
    "latency_layers.measure": "逐层分析",
    "latency_layers.before": "点击 **逐层分析** 为这个网络的各层计时（需要几秒）。",
    "latency_layers.failed": "无法逐层分析：{problem}",
    "latency_layers.tab.time": "逐层时间",
    "latency_layers.tab.roofline": "屋顶线",
    "latency_layers.tab.memory": "峰值内存",
    "latency_layers.kind.dense": "普通卷积",
    "latency_layers.kind.pointwise": "逐点卷积（1×1）",
    "latency_layers.kind.depthwise": "逐通道卷积",
    "latency_layers.kind.grouped": "分组卷积",
    "latency_layers.kind.linear": "全连接",
    "latency_layers.kind.other": "其他（BN、激活、池化）",
    "latency_layers.runtime.torch": "PyTorch 动态图，由 torch.profiler 分析",
    "latency_layers.runtime.onnxruntime": "onnxruntime，由其逐节点分析器分析",
    "latency_layers.passes.one": "分析一次",
    "latency_layers.rest_item": "{where} {ms} 毫秒",
    "latency_layers.passes.many": "{passes} 次分析的中位数",
    "latency_layers.summary": (
        "一次推理用时 **{whole} 毫秒**（{runtime}；{passes}）。各层合计 **{sum} 毫秒（{pct}%）**：每个模块的时间，"
        "以及每个模块自己的运算（残差加法、拼接、通道重排），记在该模块名下，归入“其他”。"
        "最慢的层：**{slowest}**（{slow_ms} 毫秒）。"
    ),
    "latency_layers.rest.torch": (
        "其余 {rest_ms} 毫秒是层与层之间的 Python，按执行它的模块的 forward 分列：{rest}。这段时间里没有算子在"
        "运行：这是 PyTorch 动态图调用许多小模块的开销（ShuffleNet v2 设计原则中的 G3：网络碎片化）、分析器的标记，"
        "以及本服务器上的其他用户。"
    ),
    "latency_layers.rest.onnxruntime": "其余 {rest_ms} 毫秒是 onnxruntime 自己在算子之间的工作。",
    "latency_layers.share_macs": "MACs 占比",
    "latency_layers.share_time": "实测时间占比",
    "latency_layers.axis.share": "占整个网络的百分比",
    "latency_layers.depthwise_verdict": (
        "逐通道卷积层只做了 **{macs}%** 的 MACs，却占用各层 **{time}%** 的时间：它们读写的数据量与同尺寸的逐点卷积"
        "相当，计算量却只有其一小部分。"
    ),
    "latency_layers.col.layer": "层",
    "latency_layers.col.kind": "类型",
    "latency_layers.col.ms": "时间（毫秒）",
    "latency_layers.col.share": "占一次推理的百分比",
    "latency_layers.roofline_intro": (
        "本机的屋顶，只测一次（{seconds} 秒，{threads} 个线程）：1024×1024 矩阵乘与 3×3 卷积中较快者得到 "
        "**{gmacs} GMAC/s**（IQR {gmacs_iqr}），复制 32 MiB 得到 **{gbs} GB/s**（IQR {gbs_iqr}）。每搬运一字节做"
        "不到 **{ridge} 次乘加**的层达不到计算屋顶：它在等内存。屋顶按最快的一次计时绘制（{best_gmacs} GMAC/s，"
        "{best_gbs} GB/s）。复制测的是主内存；张量能放进 CPU 缓存的层可以高于内存屋顶；在这台共享服务器上，在较空闲"
        "时刻计时的层也可能高于任一屋顶。"
    ),
    "latency_layers.axis.intensity": "算术强度（每搬运一字节的 MACs）",
    "latency_layers.axis.gmacs": "实际达到的 GMAC/s",
    "latency_layers.roof_memory": "内存屋顶（GB/s × 强度）",
    "latency_layers.roof_compute": "计算屋顶",
    "latency_layers.memory_bound": (
        "{total} 个有 MACs 的层中有 {n} 个位于脊点（{ridge} MACs/字节）左侧：在本机上受内存限制。远低于两条屋顶的层，"
        "时间花在屋顶线模型之外的开销上（小算子、布局转换、Python）。"
    ),
    "latency_layers.ridge_title": "其他硬件：移动脊点",
    "latency_layers.ridge_intro": (
        "对模型库中每个网络做屋顶线估计：每层耗时取 max（MACs ÷ 计算峰值，字节数 ÷ 带宽），计算峰值用本机实测值，"
        "带宽由脊点决定（MobileNetV4 用它比较从 CPU（脊点接近 0）到加速器（接近 500 MACs/字节）的硬件）。脊点为 0 "
        "时排序就是 MACs 的排序；脊点升高后，每次乘加搬运字节多的网络会落后。"
    ),
    "latency_layers.ridge": "脊点（每字节 MACs）",
    "latency_layers.ridge_help": "计算峰值 ÷ 内存带宽。初始值为本机实测值。",
    "latency_layers.tracing": "正在追踪模型库各网络的层……",
    "latency_layers.axis.estimate": "延迟（毫秒）：屋顶线估计；◆ 本机实测",
    "latency_layers.estimate": "屋顶线估计",
    "latency_layers.measured_here": "本服务器实测",
    "latency_layers.spearman": (
        "脊点为 {ridge} 时的估计与本服务器实测的 {n} 个网络的排序一致程度（Spearman ρ）：**{rho}**（1 表示顺序相同，"
        "0 表示无关）。本机自身的脊点为 {here} MACs/字节。估计没有包含实测中有的因素：各类层的算子实现质量、布局"
        "转换和 Python 开销。"
    ),
    "latency_layers.spearman_before": (
        "先在上面的 **网络** 部分测量模型库，才能看到这个估计在本服务器上的排序准确度（Spearman 秩相关）。"
    ),
    "latency_layers.memory_title": "一次推理中的内存",
    "latency_layers.memory_intro": (
        "由追踪图的活跃性分析预测（解析计算，batch 1，float32）：每个算子为输出分配内存，张量在最后一个读取者之后"
        "释放；视图和原地激活不分配内存。输入在存活期间计入；不含权重。"
    ),
    "latency_layers.memory_failed": "无法计算峰值内存：{problem}",
    "latency_layers.peak": (
        "预测峰值：**{peak} MiB** 存活激活，位于 **{step}**。最大的单个张量为 {largest} MiB（即网络浏览器中的"
        "“峰值激活”）；输入为 {input} MiB。"
    ),
    "latency_layers.peak_mark": "峰值",
    "latency_layers.axis.step": "推理步骤（按执行顺序的算子）",
    "latency_layers.axis.live": "存活激活（MiB）",
    "latency_layers.measured_line": "实测峰值",
    "latency_layers.measure_peak": "测量真实峰值",
    "latency_layers.measuring_peak": "正在新进程中运行一次推理……",
    "latency_layers.measured_torch_profiler": (
        "在新进程中由 torch 分析器实测（一次推理的每次分配与释放）：**{measured} MiB**，预测为 **{predicted} MiB**"
        "（{err}%）。实测峰值出现在 {op} 内部，它在那里分配又释放了 {transient} MiB 的工作空间（oneDNN 重排或填充的"
        "副本），计算图中看不到这块缓冲区。去掉各运算自己的工作空间（在分配它的运算结束前就释放的缓冲区），激活值的"
        "峰值为 **{acts} MiB**（{acts_err}%）：PyTorch 的即时执行让每个模块的输入一直被引用到模块返回，比计算图需要的"
        "更久（按 torch.fx 的追踪图运行，每个张量在最后一次读取后释放，激活值就与预测一致：见 "
        "bench/bench_layer_times.py）。"
    ),
    "latency_layers.measured_eager": (
        "若按 PyTorch 动态图的方式预测（每个模块的调用者在它返回之前一直持有它的输入，网络的调用者一直持有输入）："
        "**{eager} MiB**，峰值在 **{step}**；实测的激活与它相差 {err}%。"
    ),
    "latency_layers.measured_rss": (
        "在新进程中以 onnxruntime 运行时常驻内存的峰值减去运行前的内存来实测（关闭内存池）：**{measured} MiB**，"
        "按文件的计算图预测为 **{predicted} MiB**（{err}%）；预测与 onnxruntime 一样，在输入不再被别处读取时原地执行"
        "激活与 Clip。其余差距：onnxruntime 还会融合节点（把残差加法并入前面的卷积），文件中的某些张量从未真正存在；"
        "你的输入数组在整次运行中一直存活；内存按 4 KiB 整页计数。"
    ),
    "latency_layers.slices_intro": (
        "**MobileNetV2 的论点（解析计算）。** 倒残差块中扩展后的张量是存活的最大张量。把它的第一个 16→24 块（扩展 6，"
        "112×112，步长 2）按扩展通道分成 t 片计算（MobileNetV2 第 5.1 节），或把特征图分块计算（MCUNetV2），同一时刻"
        "只有一片存活。这里按部署时的形式计算：BatchNorm 已融合进卷积，激活原地进行（上图保留了 BatchNorm 自己的输出"
        "张量，所以峰值更高）。"
    ),
    "latency_layers.slices": "扩展通道分片数 t",
    "latency_layers.patches": "每边分块数",
    "latency_layers.slices_result": (
        "该块的解析峰值：整体计算 **{whole} MiB**；分 {k} 片 **{sliced} MiB**（{s_pct}%）；分 {p}×{p} 块 "
        "**{tiled} MiB**（{p_pct}%）。分块需要重算一像素的边缘，分片不增加 MACs。"
    ),
    "latency_layers.tab.hardware": "其他硬件",
    "latency_layers.hardware_intro": (
        "模型库中各网络在其他硬件上的公开延迟，每一行都注明来源和条件（ncnn 的基准测试 README；PaddleClas 的移动端"
        "模型表）。每条线是一个网络在各设备上相对 MobileNetV2 的延迟：两条线交叉处，硬件颠倒了它们的顺序。在树莓派 4 "
        "上，ncnn 运行 ShuffleNet v2 比 MobileNetV2 快；在 Threadripper 单线程上则更慢。在骁龙 855 上 "
        "MobileNetV3-Large 快于 MobileNetV1；在 T4 GPU 上则更慢。未收录 ShuffleNet v2 论文自己的 GPU 与 ARM 表格："
        "在本项目可读的来源中找不到它们的副本。"
    ),
    "latency_layers.hardware_before": "先在上面的 **网络** 部分测量模型库，即可加入 MACs 与本服务器延迟两列。",
    "latency_layers.col_macs": "MACs",
    "latency_layers.col_here": "本服务器",
    "latency_layers.axis.relative": "相对 MobileNetV2（倍，对数）",
    "latency_layers.col.device": "设备",
    "latency_layers.col.as_named": "来源中的名称",
    "latency_layers.col.published_ms": "公开值（毫秒）",
    "latency_layers.col.conditions": "条件",
    "latency_layers.col.source": "来源",
}
