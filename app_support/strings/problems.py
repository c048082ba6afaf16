"""What effviz refuses, worded from effviz.problems' codes and values (shared by every page). The English
sentences are effviz.problems.MESSAGES word for word (tested)."""

EN = {
    "problem.and": " and ",
    "problem.integer": "{name} must be an integer, got {value}",
    "problem.positive": "{name} must be a positive integer, got {value}",
    "problem.range": "{name} must be {low}..{high}, got {value}",
    "problem.at_least": "{name} must be >= {low}, got {value}",
    "problem.odd_kernel": "{name} must be odd (1, 3, 5, 7, ...) so that 'same' padding keeps the size, got {value}",
    "problem.choice": "{name} must be one of {allowed}; got {value}",
    "problem.divides": "{name}={value} must divide {channels}; valid {name}: {valid}",
    "problem.expansion": "expansion must be a number from 1 to 16, got {value}",
    "problem.se_ratio": "se_ratio must be 0 (no SE) or a fraction up to 1, got {value}",
    "problem.even_branches": "c_out must be even (two equal branches), got {c_out}",
    "problem.split_equal": "c_out must equal c_in={c_in} for a stride-1 unit (channel split), got {c_out}",
    "problem.add_equal": "c_out must equal c_in={c_in} for a stride-1 unit (residual add), got {c_out}",
    "problem.stride_needs_dw": "stride 2 needs a depthwise conv (dw_start or dw_mid above 0); the FFN variant has "
                               "none",
    "problem.pconv_stride": "stride must be 1: FasterNet's block keeps the size (it downsamples in separate "
                            "layers), got {value}",
    "problem.concat_wider": "c_out must exceed c_in={c_in} for a stride-2 unit (concat shortcut), got {c_out}",
    "problem.bottleneck_min": "c_out must be at least 4 (bottleneck = c_out / 4), got {c_out}",
    "problem.weights_env_refused": "{env}={path} was refused: {error}",
    "problem.weights_package_failed": "{package}: {error}",
    "problem.weights_cache_refused": "cached {path} was refused: {error}",
    "problem.weights_no_address": "no download address is known for {network}",
    "problem.weights_offline": "not in the torch hub cache ({cache}) and downloads are off",
    "problem.weights_download_failed": "not in the torch hub cache ({cache}) and the download failed: {error}",
    "problem.weights_none": "weights: no ImageNet weights for {network}: {attempts}",
    "problem.upload_empty": "{what}: the file is empty (0 bytes)",
    "problem.upload_too_large": "{what}: the file is larger than the limit of {limit:,} bytes",
    "problem.upload_size": "{what}: the file is {size:,} bytes; the limit is {limit:,} bytes",
    "problem.what.image": "image",
    "problem.what.weights_file": "weights file",
    "problem.what.onnx_file": "ONNX file",
    "problem.image_format": "image: {format} files are not supported; allowed formats: {allowed}",
    "problem.image_pixels": "image: {width}x{height} is {pixels:,} pixels; the limit is {limit:,}",
    "problem.image_pixels_bomb": "image: {width}x{height} is {pixels:,} pixels; the limit is {limit:,} (a "
                                 "decompression bomb: tiny file, huge picture)",
    "problem.image_too_small": "image: {width}x{height} is too small; each side must be at least {min_side} px",
    "problem.image_unknown": "image: not an image file (or not one of {allowed})",
    "problem.image_bomb": "image: too many pixels (decompression bomb); the limit is {limit:,}",
    "problem.image_corrupt": "image: the file is truncated or corrupt ({error})",
    "problem.image_corrupt_format": "image: the {format} file is truncated or corrupt ({error})",
    "problem.onnx_tensor_initializer": "initializer '{name}'{where}",
    "problem.onnx_tensor_sparse": "sparse initializer '{name}'{where}",
    "problem.onnx_tensor_sparse_indices": "sparse initializer indices '{name}'{where}",
    "problem.onnx_tensor_attribute": "attribute '{attribute}' of node '{node}'{where}",
    "problem.onnx_in_subgraph": " (in a subgraph of '{node}')",
    "problem.onnx_in_function": " (in function '{function}')",
    "problem.onnx_not_protobuf": "ONNX file: not an ONNX model, or a truncated one: the protobuf could not be parsed "
                                 "({detail})",
    "problem.onnx_no_graph": "ONNX file: not an ONNX model: no graph of nodes in it (a truncated file, or another kind "
                             "of file)",
    "problem.onnx_external_data": "ONNX file: {tensor} keeps its data in a separate file (external data). effviz reads "
                                  "only self-contained .onnx files and never opens a path a file names; re-export with "
                                  "torch.onnx.export(..., external_data=False) or onnx.save_model(model, path, "
                                  "save_as_external_data=False)",
    "problem.onnx_negative_dim": "ONNX file: {tensor} declares a negative dimension {dims}",
    "problem.onnx_tensor_too_large": "ONNX file: {tensor} declares shape {dims} ({count:,} values, {size}); the limit "
                                     "for one tensor is {limit}",
    "problem.onnx_stored_bytes": "ONNX file: {tensor} declares shape {dims}, which needs {expected:,} bytes, but "
                                 "stores {stored:,} bytes (a truncated or corrupted file)",
    "problem.onnx_stored_values": "ONNX file: {tensor} declares shape {dims}, which needs {expected:,} values, but "
                                  "stores {stored:,} values (a truncated or corrupted file)",
    "problem.onnx_two_producers": "ONNX file: two producers write the tensor '{tensor}' (node '{node}'); an ONNX graph "
                                  "assigns each name once",
    "problem.onnx_missing_tensor": "ONNX file: node '{node}' reads '{tensor}', which no node, input or initializer "
                                   "provides (a truncated or broken graph)",
    "problem.onnx_cycle": "ONNX file: the graph has a cycle: {count} nodes wait on each other ({nodes}); an ONNX graph "
                          "must be acyclic",
    "problem.onnx_no_input": "ONNX file: the graph has no input tensor",
    "problem.onnx_dynamic_other_input": "ONNX file: the model has {inputs} inputs and '{name}' has dynamic dims; "
                                        "effviz profiles models with one image input (other inputs need fixed shapes)",
    "problem.onnx_input_no_shape": "ONNX file: the input '{name}' declares no shape (not even its rank)",
    "problem.onnx_input_scalar": "ONNX file: the input '{name}' is a scalar; effviz profiles models of an image (N, C, "
                                 "H, W)",
    "problem.onnx_dynamic_not_image": "ONNX file: the input '{name}' has dynamic dims ({axes}) and is not an image (N, "
                                      "C, H, W); give input_size (the {rest} dims after the batch)",
    "problem.onnx_declared_too_large": "ONNX file: tensor '{tensor}' declares shape {dims} ({size}); the limit for one "
                                       "tensor is {limit}",
    "problem.onnx_shape_inference": "ONNX file: shape inference failed: {detail}",
    "problem.onnx_no_opset": "ONNX file: no opset of the default ONNX domain is declared (opset_import)",
    "problem.onnx_opset_newer": "ONNX file: opset {opset} is newer than this installation's onnx knows (up to "
                                "{newest})",
    "problem.onnx_nodes": "ONNX file: {count:,} nodes; the limit is {limit:,}",
    "problem.onnx_functions": "ONNX file: its local functions could not be expanded ({detail})",
    "problem.onnx_nodes_inlined": "ONNX file: {count:,} nodes after expanding functions; the limit is {limit:,}",
    "problem.onnx_input_too_large": "ONNX file: the input {dims} would need {size}; the limit is {limit}",
    "problem.onnx_inferred_too_large": "ONNX file: the tensor '{tensor}' would have shape {dims} ({size}) for this "
                                       "input; the limit for one tensor is {limit}",
    "problem.onnx_ort_load": "ONNX file: onnxruntime could not load the model ({detail})",
    "problem.onnx_ort_run": "ONNX file: onnxruntime failed while running the model ({detail})",
    "problem.onnx_features_input": "ONNX file: feature maps need one RGB image input (1, 3, H, W); this file's input "
                                   "'{name}' is {shape}",
    "problem.onnx_features_none": "ONNX file: no node of this model outputs a stack of feature maps (1, C, H, W)",
    "problem.onnx_timeout": "{what}: reading it took longer than the limit of {limit:g} s",
    "problem.onnx_crashed": "{what}: the ONNX reader stopped on this file (exit code {exitcode}); the file is "
                            "malformed in a way the onnx package does not survive",
    "problem.onnx_unreadable": "{what}: could not be read ({kind}: {detail})",
    "problem.timm_unknown": "unknown timm architecture {arch!r} (timm {version} has {count:,}, listed by "
                            "timm.list_models())",
    "problem.timm_unknown_similar": "unknown timm architecture {arch!r} (timm {version} has {count:,}, listed by "
                                    "timm.list_models()); similar: {similar}",
    "problem.timm_fixed_size": "{network} takes only {height}×{width} inputs (timm's fixed_input_size); got "
                               "{size}×{size}",
    "problem.timm_time_limit": "{network} took longer than the limit of {limit:g} s to trace here",
    "problem.timm_build_failed": "{network} could not be built or traced here ({kind}: {detail})",
    "problem.weights_safetensors": "weights file: not a valid safetensors file ({detail})",
    "problem.weights_pickle_global": "weights file: refused: it asks to create Python objects other than tensors, and "
                                     "effviz never unpickles those ({detail})",
    "problem.weights_not_weights": "weights file: not a PyTorch (.pt/.pth) or safetensors weights file ({detail})",
    "problem.weights_not_state_dict": "weights file: expected a state dict (name -> tensor), got {kind}",
    "problem.weights_not_tensors": "weights file: {count} entries are not tensors (e.g. {example!r})",
    "problem.weights_mismatch": "weights file: does not match {network}: {parts}",
    "problem.weights_missing_keys": "{count} missing (e.g. {keys})",
    "problem.weights_unexpected_keys": "{count} unexpected (e.g. {keys})",
    "problem.weights_wrong_shapes": "{count} with the wrong shape (e.g. {shapes})",
    "problem.weights_shape": "{key}: file {file} vs {network} {expected}",
    "problem.weights_nonfinite": "weights file: {count} tensors contain NaN or infinity (e.g. {example})",
    "problem.download_too_large": "download: {url} is {size:,} bytes, over the limit of {limit:,}",
    "problem.download_over_limit": "download: {url} is over the limit of {limit:,} bytes",
    "problem.download_checksum": "download: checksum mismatch for {name}: sha256 {digest}... does not start with "
                                 "{expected}",
}

ZH = {
    "problem.and": " 和 ",
    "problem.integer": "{name} 必须是整数，当前为 {value}",
    "problem.positive": "{name} 必须是正整数，当前为 {value}",
    "problem.range": "{name} 必须在 {low}–{high} 之间，当前为 {value}",
    "problem.at_least": "{name} 必须 ≥ {low}，当前为 {value}",
    "problem.odd_kernel": "{name} 必须是奇数（1、3、5、7……），这样 same 填充才能保持尺寸不变，当前为 {value}",
    "problem.choice": "{name} 必须是 {allowed} 之一，当前为 {value}",
    "problem.divides": "{name}={value} 必须整除 {channels}；可用的 {name}：{valid}",
    "problem.expansion": "expansion 必须是 1 到 16 之间的数，当前为 {value}",
    "problem.se_ratio": "se_ratio 必须为 0（不用 SE）或不超过 1 的比例，当前为 {value}",
    "problem.even_branches": "c_out 必须是偶数（两个分支一样宽），当前为 {c_out}",
    "problem.split_equal": "步长为 1 的单元（通道拆分）要求 c_out 等于 c_in={c_in}，当前为 {c_out}",
    "problem.add_equal": "步长为 1 的单元（残差相加）要求 c_out 等于 c_in={c_in}，当前为 {c_out}",
    "problem.stride_needs_dw": "步长为 2 需要一个逐通道卷积（dw_start 或 dw_mid 大于 0）；FFN 变体没有逐通道卷积",
    "problem.pconv_stride": "步长必须为 1：FasterNet 的块保持尺寸不变（下采样由单独的层完成），当前为 {value}",
    "problem.concat_wider": "步长为 2 的单元（拼接捷径）要求 c_out 大于 c_in={c_in}，当前为 {c_out}",
    "problem.bottleneck_min": "c_out 至少为 4（瓶颈宽度 = c_out / 4），当前为 {c_out}",
    "problem.weights_env_refused": "{env}={path} 被拒绝：{error}",
    "problem.weights_package_failed": "{package}：{error}",
    "problem.weights_cache_refused": "缓存中的 {path} 被拒绝：{error}",
    "problem.weights_no_address": "不知道 {network} 的下载地址",
    "problem.weights_offline": "torch 的下载缓存（{cache}）中没有，且下载已关闭",
    "problem.weights_download_failed": "torch 的下载缓存（{cache}）中没有，下载也失败了：{error}",
    "problem.weights_none": "权重：找不到 {network} 的 ImageNet 权重：{attempts}",
    "problem.upload_empty": "{what}：文件是空的（0 字节）",
    "problem.upload_too_large": "{what}：文件超过了 {limit:,} 字节的上限",
    "problem.upload_size": "{what}：文件有 {size:,} 字节，上限是 {limit:,} 字节",
    "problem.what.image": "图片",
    "problem.what.weights_file": "权重文件",
    "problem.what.onnx_file": "ONNX 文件",
    "problem.image_format": "图片：不支持 {format} 文件；支持的格式：{allowed}",
    "problem.image_pixels": "图片：{width}x{height} 共 {pixels:,} 像素，上限是 {limit:,}",
    "problem.image_pixels_bomb": "图片：{width}x{height} 共 {pixels:,} 像素，上限是 {limit:,}"
                                 "（解压炸弹：文件很小，图却极大）",
    "problem.image_too_small": "图片：{width}x{height} 太小；每条边至少要 {min_side} 像素",
    "problem.image_unknown": "图片：不是图片文件（或不是 {allowed} 之一）",
    "problem.image_bomb": "图片：像素太多（解压炸弹）；上限是 {limit:,}",
    "problem.image_corrupt": "图片：文件被截断或已损坏（{error}）",
    "problem.image_corrupt_format": "图片：这个 {format} 文件被截断或已损坏（{error}）",
    "problem.onnx_tensor_initializer": "初始值 “{name}”{where}",
    "problem.onnx_tensor_sparse": "稀疏初始值 “{name}”{where}",
    "problem.onnx_tensor_sparse_indices": "稀疏初始值的索引 “{name}”{where}",
    "problem.onnx_tensor_attribute": "节点 “{node}” 的属性 “{attribute}”{where}",
    "problem.onnx_in_subgraph": "（在 “{node}” 的子图中）",
    "problem.onnx_in_function": "（在函数 “{function}” 中）",
    "problem.onnx_not_protobuf": "ONNX 文件：不是 ONNX 模型，或是被截断的模型：无法解析其 protobuf（{detail}）",
    "problem.onnx_no_graph": "ONNX 文件：不是 ONNX 模型：其中没有由节点组成的图（文件被截断，或是别的类型的文件）",
    "problem.onnx_external_data": "ONNX 文件：{tensor} 的数据存放在另一个文件里（外部数据）。effviz 只读取自包含的 "
                                  ".onnx 文件，也从不打开文件中写的路径；请用 `torch.onnx.export(..., "
                                  "external_data=False)` 或 "
                                  "`onnx.save_model(model, path, save_as_external_data=False)` 重新导出",
    "problem.onnx_negative_dim": "ONNX 文件：{tensor} 声明了负的维度 {dims}",
    "problem.onnx_tensor_too_large": "ONNX 文件：{tensor} 声明的形状为 {dims}（{count:,} 个值，{size}）；"
                                     "单个张量的上限是 {limit}",
    "problem.onnx_stored_bytes": "ONNX 文件：{tensor} 声明的形状为 {dims}，需要 {expected:,} 字节，实际存了 {stored:,} "
                                 "字节（文件被截断或已损坏）",
    "problem.onnx_stored_values": "ONNX 文件：{tensor} 声明的形状为 {dims}，需要 {expected:,} 个值，实际存了 "
                                  "{stored:,} 个值（文件被截断或已损坏）",
    "problem.onnx_two_producers": "ONNX 文件：有两个节点都写入张量 “{tensor}”（节点 “{node}”）；ONNX "
                                  "图中每个名字只能赋值一次",
    "problem.onnx_missing_tensor": "ONNX 文件：节点 “{node}” 读取 “{tensor}”，"
                                   "但没有任何节点、输入或初始值提供它（图被截断或已损坏）",
    "problem.onnx_cycle": "ONNX 文件：图中有环：{count} 个节点互相等待（{nodes}）；ONNX 图必须是无环的",
    "problem.onnx_no_input": "ONNX 文件：图没有输入张量",
    "problem.onnx_dynamic_other_input": "ONNX 文件：模型有 {inputs} 个输入，而 “{name}” 的维度是动态的；effviz "
                                        "只分析只有一个图像输入的模型（其他输入须为固定形状）",
    "problem.onnx_input_no_shape": "ONNX 文件：输入 “{name}” 没有声明形状（连维数都没有）",
    "problem.onnx_input_scalar": "ONNX 文件：输入 “{name}” 是标量；effviz 分析的是以图像（N, C, H, W）为输入的模型",
    "problem.onnx_dynamic_not_image": "ONNX 文件：输入 “{name}” 有动态维度（{axes}），且不是图像（N, C, H, W）；请给出 "
                                      "input_size（批量之后的 {rest} 个维度）",
    "problem.onnx_declared_too_large": "ONNX 文件：张量 “{tensor}” 声明的形状为 {dims}（{size}）；单个张量的上限是 "
                                       "{limit}",
    "problem.onnx_shape_inference": "ONNX 文件：形状推断失败：{detail}",
    "problem.onnx_no_opset": "ONNX 文件：没有声明默认 ONNX 域的算子集版本（opset_import）",
    "problem.onnx_opset_newer": "ONNX 文件：算子集版本 {opset} 比本机安装的 onnx 所支持的更新（最高 {newest}）",
    "problem.onnx_nodes": "ONNX 文件：共 {count:,} 个节点；上限是 {limit:,}",
    "problem.onnx_functions": "ONNX 文件：无法展开其中的本地函数（{detail}）",
    "problem.onnx_nodes_inlined": "ONNX 文件：展开函数后共 {count:,} 个节点；上限是 {limit:,}",
    "problem.onnx_input_too_large": "ONNX 文件：输入 {dims} 需要 {size}；上限是 {limit}",
    "problem.onnx_inferred_too_large": "ONNX 文件：对这个输入，张量 “{tensor}” 的形状会是 {dims}（{size}）；"
                                       "单个张量的上限是 {limit}",
    "problem.onnx_ort_load": "ONNX 文件：onnxruntime 无法加载这个模型（{detail}）",
    "problem.onnx_ort_run": "ONNX 文件：onnxruntime 运行这个模型时出错（{detail}）",
    "problem.onnx_features_input": "ONNX 文件：特征图需要一个 RGB 图像输入（1, 3, H, W）；这个文件的输入 “{name}” 是 "
                                   "{shape}",
    "problem.onnx_features_none": "ONNX 文件：这个模型没有任何节点输出一叠特征图（1, C, H, W）",
    "problem.onnx_timeout": "{what}：读取时间超过了 {limit:g} 秒的上限",
    "problem.onnx_crashed": "{what}：ONNX 读取程序在这个文件上中止了（退出码 {exitcode}）；文件损坏得太严重，"
                            "onnx 包无法处理",
    "problem.onnx_unreadable": "{what}：无法读取（{kind}：{detail}）",
    "problem.timm_unknown": "未知的 timm 架构“{arch}”（timm {version} 共有 {count:,} 个，见 timm.list_models()）",
    "problem.timm_unknown_similar": "未知的 timm 架构“{arch}”（timm {version} 共有 {count:,} 个，见 "
                                    "timm.list_models()）；相近的：{similar}",
    "problem.timm_fixed_size": "{network} 只接受 {height}×{width} 的输入（timm 的 fixed_input_size）；当前为 "
                               "{size}×{size}",
    "problem.timm_time_limit": "{network} 在这里的追踪时间超过了 {limit:g} 秒的上限",
    "problem.timm_build_failed": "{network} 无法在这里构建或追踪（{kind}：{detail}）",
    "problem.weights_safetensors": "权重文件：不是有效的 safetensors 文件（{detail}）",
    "problem.weights_pickle_global": "权重文件：已拒绝：它要求创建张量以外的 Python 对象，而 effviz "
                                     "从不反序列化这些对象（{detail}）",
    "problem.weights_not_weights": "权重文件：不是 PyTorch（.pt/.pth）或 safetensors 权重文件（{detail}）",
    "problem.weights_not_state_dict": "权重文件：应为状态字典（名称 → 张量），实际是 {kind}",
    "problem.weights_not_tensors": "权重文件：有 {count} 项不是张量（例如 {example!r}）",
    "problem.weights_mismatch": "权重文件：与 {network} 不匹配：{parts}",
    "problem.weights_missing_keys": "缺少 {count} 项（例如 {keys}）",
    "problem.weights_unexpected_keys": "多出 {count} 项（例如 {keys}）",
    "problem.weights_wrong_shapes": "{count} 项形状不对（例如 {shapes}）",
    "problem.weights_shape": "{key}：文件中为 {file}，{network} 需要 {expected}",
    "problem.weights_nonfinite": "权重文件：有 {count} 个张量含有 NaN 或无穷大（例如 {example}）",
    "problem.download_too_large": "下载：{url} 有 {size:,} 字节，超过了 {limit:,} 的上限",
    "problem.download_over_limit": "下载：{url} 超过了 {limit:,} 字节的上限",
    "problem.download_checksum": "下载：{name} 的校验和不符：sha256 {digest}…… 不是以 {expected} 开头",
}
