"""Network Explorer strings for a network of one's own: any timm architecture, an uploaded ONNX file."""

EN = {
    "own.source": "Network from",
    "own.source.zoo": "The zoo",
    "own.source.timm": "Any timm architecture",
    "own.source.onnx": "My ONNX model…",
    "own.source_help": "The zoo: 13 networks with published figures. timm: any of the architectures of the "
                       "installed timm library, built without weights. ONNX: a .onnx file of your own, read "
                       "(never run) and counted with the same conventions.",
    "own.timm_loading": "Listing timm's architectures (the first time takes a few seconds)…",
    "own.timm_missing": "timm is not installed on this server (pip install timm).",
    "own.timm_unknown": "The link asks for timm architecture '{name}', which this timm does not have; showing "
                        "{default} instead. Similar names: {similar}.",
    "own.timm_search": "Search timm",
    "own.timm_search_help": "Words in the name, e.g. 'ghostnet 100' or 'mobilenetv4'. timm has {n} architectures.",
    "own.timm_pick": "Architecture ({n} found)",
    "own.timm_res_help": "Square input, r × r; it starts at the architecture's own size from timm's config.",
    "own.timm_caption": "Built with timm {version} without weights (pretrained=False, on PyTorch's meta device) and "
                        "counted by torch's FLOP counter. Its own input size is {res}×{res}{fixed}.",
    "own.timm_fixed": "; it takes only that size (timm's fixed_input_size)",
    "own.timm_published_none": "No published figures are shown for timm architectures: the installed timm ships no "
                               "accuracy tables to cite.",
    "own.timm_profiling": "Building {name} without weights and counting it…",
    "own.onnx_upload": "Your ONNX file",
    "own.onnx_upload_help": "A self-contained .onnx file of at most {mb} MiB. It is parsed, never executed; files "
                            "that keep their weights in a separate file (external data) are refused.",
    "own.onnx_how": "Export a PyTorch model with `torch.onnx.export(model, (x,), 'model.onnx', "
                    "external_data=False)`. Add `optimize=False` to keep BatchNorm and the module names: the "
                    "profile then equals the module's own, layer by layer.",
    "own.onnx_reading": "Reading the ONNX file…",
    "own.onnx_res": "Input resolution (pixels)",
    "own.onnx_res_help": "The file leaves height and width open (dynamic dims): choose the size to count at.",
    "own.onnx_error": "{name} cannot be profiled: {problem}",
    "own.onnx_read": "Read from the file (parsed, not executed): made by {producer}, opset {opset}, {nodes} nodes, "
                     "input {input}, {tensors} parameter tensors.",
    "own.onnx_axis": "dim {axis} = {value}",
    "own.onnx_defaulted": "The file leaves some input dims open; counted with {dims}.",
    "own.onnx_batch": "The file fixes the batch at {batch}: every count here is for {batch} images at once.",
    "own.onnx_folded.rewriter": "BatchNorm is folded into the convolutions in this file ({n} convolutions, as the "
                                "exporter's optimiser recorded): BatchNorm's scale and shift are gone and each "
                                "convolution carries a bias. MACs are unchanged; parameters differ from the "
                                "PyTorch module by exactly that.",
    "own.onnx_folded.names": "BatchNorm appears folded into the convolutions in this file ({n} convolutions with "
                             "exporter-made weights and biases, no BatchNorm left): MACs are unchanged, but the "
                             "parameters differ from the PyTorch module by BatchNorm's scale and shift.",
    "own.onnx_no_modules": "The file records no module structure, so each node is its own layer and block.",
    "own.onnx_not_counted": "{n} nodes are not counted (their MACs are missing from the totals, not zero):",
    "own.onnx_col.op": "Op",
    "own.onnx_col.domain": "Domain",
    "own.onnx_col.reason": "Why not counted",
    "own.onnx_col.nodes": "Nodes",
    "own.onnx_col.examples": "Examples",
    "own.reason.custom_domain": "a custom op (not a standard ONNX domain)",
    "own.reason.unknown_op": "an op this effviz does not know",
    "own.reason.shape_unknown": "a shape it needs could not be inferred",
    "own.reason.control_flow": "control flow (its work depends on data)",
    "own.reason.recurrent_state": "a recurrent op whose work depends on its settings",
    "own.reason.svm_kernel": "kernel evaluations, not matrix products",
    "own.reason.training": "a training op",
    "redundancy.net.onnx": "My ONNX model",
    "redundancy.why.onnx": "The file's own weights (trained or not, only the file knows), run by onnxruntime after "
                           "effviz's checks; the photo is resized to the file's input size and normalised with "
                           "ImageNet's mean and std. Layers are the outputs of the file's modules (or nodes).",
    "own.fr_onnx_help": "An image model (1 × 3 × H × W input), self-contained .onnx. Its feature maps are read "
                        "with onnxruntime, with the weights the file carries.",
    "own.fr_onnx_wait": "Upload an ONNX image model to look at its feature maps (e.g. torch.onnx.export(model, "
                        "(x,), 'model.onnx', external_data=False) of a trained network).",
    "own.lat_title": "Your ONNX model: onnxruntime beside torch",
    "own.lat_intro": "Upload an ONNX file to time it with onnxruntime on this CPU, next to the same network run "
                     "by PyTorch (eager mode, random weights) where the zoo has it. Same MACs, different "
                     "runtimes: FLOPs are not speed, and neither is the architecture alone.",
    "own.lat_before": "No file yet. The Network Explorer's 'My ONNX model…' shows how to export one.",
    "own.lat_matching": "Looking for the same network in the zoo…",
    "own.lat_torch": "Beside torch eager",
    "own.lat_torch_help": "Preselected when a zoo network has the file's parameter count, or its MACs at the same "
                          "input size (a BatchNorm-folded export has fewer parameters but the same MACs).",
    "own.lat_torch_none": "— none —",
    "own.lat_measure": "Measure",
    "own.lat_press": "Press Measure to time the file (and the torch network, if one is chosen).",
    "own.lat_ort": "onnxruntime {version}: {name}",
    "own.lat_eager": "torch {version} eager: {name}",
    "own.lat_col.runtime": "Runtime",
    "own.lat_col.threads": "Threads",
    "own.lat_col.runs": "Timed runs",
    "own.lat_caption": "Input {input}, batch as the file fixes it (else 1); {threads} intra-op thread(s) in both "
                       "runtimes (onnxruntime: intra_op_num_threads, one inter-op thread; its default graph "
                       "optimisations on). Median and IQR of timed blocks on this machine, now.",
    "own.lat_verdict": "torch eager takes **{ratio}×** onnxruntime's time for the same MACs.",
}

ZH = {
    "own.source": "网络来源",
    "own.source.zoo": "模型库",
    "own.source.timm": "任意 timm 架构",
    "own.source.onnx": "我的 ONNX 模型……",
    "own.source_help": "模型库：13 个有公开数据的网络。timm：已安装的 timm 库中的任意架构，不加载权重构建。"
                       "ONNX：你自己的 .onnx 文件，只解析（从不运行），按同样的约定计数。",
    "own.timm_loading": "正在列出 timm 的架构（第一次需要几秒钟）……",
    "own.timm_missing": "此服务器未安装 timm（pip install timm）。",
    "own.timm_unknown": "链接要求的 timm 架构“{name}”在此 timm 中不存在；改为显示 {default}。相近的名称：{similar}。",
    "own.timm_search": "搜索 timm",
    "own.timm_search_help": "名称中的词，例如“ghostnet 100”或“mobilenetv4”。timm 共有 {n} 个架构。",
    "own.timm_pick": "架构（{n} 个匹配）",
    "own.timm_res_help": "正方形输入 r × r；初始为 timm 配置中该架构自己的尺寸。",
    "own.timm_caption": "用 timm {version} 构建，不加载权重（pretrained=False，PyTorch 的 meta 设备），由 torch 的 "
                        "FLOP 计数器计数。它自己的输入尺寸是 {res}×{res}{fixed}。",
    "own.timm_fixed": "；它只接受这个尺寸（timm 的 fixed_input_size）",
    "own.timm_published_none": "timm 架构不显示公开数据：已安装的 timm 没有附带可引用的精度表。",
    "own.timm_profiling": "正在不加载权重构建 {name} 并计数……",
    "own.onnx_upload": "你的 ONNX 文件",
    "own.onnx_upload_help": "一个自包含的 .onnx 文件，最大 {mb} MiB。只解析，从不执行；把权重放在单独文件中"
                            "（外部数据）的文件会被拒绝。",
    "own.onnx_how": "用 `torch.onnx.export(model, (x,), \"model.onnx\", external_data=False)` 导出 PyTorch 模型。"
                    "加上 `optimize=False` 可保留 BatchNorm 和模块名：这样得到的分析与模块本身逐层相同。",
    "own.onnx_reading": "正在读取 ONNX 文件……",
    "own.onnx_res": "输入分辨率（像素）",
    "own.onnx_res_help": "文件没有固定高和宽（动态维度）：选择计数所用的尺寸。",
    "own.onnx_error": "{name} 无法分析：{problem}",
    "own.onnx_read": "从文件读取（解析，未执行）：由 {producer} 生成，opset {opset}，{nodes} 个节点，输入 {input}，"
                     "{tensors} 个参数张量。",
    "own.onnx_axis": "第 {axis} 维 = {value}",
    "own.onnx_defaulted": "文件没有固定部分输入维度；按 {dims} 计数。",
    "own.onnx_batch": "文件把批大小固定为 {batch}：这里的所有计数都是一次 {batch} 张图像的。",
    "own.onnx_folded.rewriter": "此文件中 BatchNorm 已折叠进卷积（{n} 个卷积，导出器的优化器有记录）："
                                "BatchNorm 的缩放和平移没有了，每个卷积带有偏置。MACs 不变；参数量与 PyTorch "
                                "模块正好相差这些。",
    "own.onnx_folded.names": "此文件中 BatchNorm 看起来已折叠进卷积（{n} 个卷积的权重和偏置由导出器生成，且没有"
                             "剩下 BatchNorm）：MACs 不变，但参数量与 PyTorch 模块相差 BatchNorm 的缩放和平移。",
    "own.onnx_no_modules": "文件没有记录模块结构，因此每个节点各自是一层、一个块。",
    "own.onnx_not_counted": "有 {n} 个节点没有计数（它们的 MACs 不在总数中，而不是为零）：",
    "own.onnx_col.op": "算子",
    "own.onnx_col.domain": "域",
    "own.onnx_col.reason": "为何不计数",
    "own.onnx_col.nodes": "节点数",
    "own.onnx_col.examples": "示例",
    "own.reason.custom_domain": "自定义算子（不属于标准 ONNX 域）",
    "own.reason.unknown_op": "此 effviz 不认识的算子",
    "own.reason.shape_unknown": "无法推断它所需的形状",
    "own.reason.control_flow": "控制流（其计算量取决于数据）",
    "own.reason.recurrent_state": "计算量取决于其设置的循环算子",
    "own.reason.svm_kernel": "核函数求值，而不是矩阵乘",
    "own.reason.training": "训练用算子",
    "redundancy.net.onnx": "我的 ONNX 模型",
    "redundancy.why.onnx": "使用文件自带的权重（是否训练过只有文件知道），经 effviz 检查后由 onnxruntime 运行；"
                           "照片缩放到文件的输入尺寸，并用 ImageNet 的均值和标准差归一化。层是文件中各模块"
                           "（或节点）的输出。",
    "own.fr_onnx_help": "一个图像模型（输入 1 × 3 × H × W），自包含的 .onnx 文件。用 onnxruntime 读取它的特征图，"
                        "使用文件自带的权重。",
    "own.fr_onnx_wait": "上传一个 ONNX 图像模型来查看它的特征图（例如用 `torch.onnx.export(model, (x,), "
                        "\"model.onnx\", external_data=False)` 导出一个训练好的网络）。",
    "own.lat_title": "你的 ONNX 模型：onnxruntime 与 torch 对比",
    "own.lat_intro": "上传一个 ONNX 文件，用 onnxruntime 在这台 CPU 上计时，并与 PyTorch 运行同一网络（eager 模式，"
                     "随机权重）对比（如果模型库中有这个网络）。MACs 相同，运行时不同：FLOPs 不等于速度，"
                     "架构本身也不等于速度。",
    "own.lat_before": "还没有文件。“网络结构探索”页的“我的 ONNX 模型……”说明了如何导出。",
    "own.lat_matching": "正在模型库中寻找同一个网络……",
    "own.lat_torch": "对比 torch eager",
    "own.lat_torch_help": "当模型库中某个网络的参数量与文件相同，或在相同输入尺寸下 MACs 相同时预先选中"
                          "（折叠了 BatchNorm 的导出参数更少，但 MACs 相同）。",
    "own.lat_torch_none": "— 无 —",
    "own.lat_measure": "测量",
    "own.lat_press": "点击“测量”为文件计时（如果选择了 torch 网络，也为它计时）。",
    "own.lat_ort": "onnxruntime {version}：{name}",
    "own.lat_eager": "torch {version} eager：{name}",
    "own.lat_col.runtime": "运行时",
    "own.lat_col.threads": "线程",
    "own.lat_col.runs": "计时运行次数",
    "own.lat_caption": "输入 {input}，批大小按文件固定（否则为 1）；两个运行时都用 {threads} 个算子内线程"
                       "（onnxruntime：intra_op_num_threads，一个算子间线程；默认图优化开启）。"
                       "本机此刻计时块的中位数和四分位距。",
    "own.lat_verdict": "对同样的 MACs，torch eager 用时是 onnxruntime 的 **{ratio}×**。",
}
