"""Strings shared by several pages: navigation, conventions, URL notices, block family and parameter names."""

EN = {
    "nav.home": "Start here",
    "nav.playground": "Conv Playground",
    "sidebar.about": (
        "**effviz** shows *why* efficient CNN building blocks are efficient. Every number is computed from "
        "closed-form formulas and checked against torch's own FLOP counter."
    ),
    "sidebar.share": "🔗 Share this view",
    "sidebar.share_help": "Copy this link (button at the right): it opens exactly this page with these settings.",
    "serving.restored": "Reconnected to a new server process: page and settings came back from the link. "
                        "Uploaded files did not: please upload them again.",
    "convention": (
        "MACs = multiply-accumulates; FLOPs = 2 × MACs (papers' \"FLOPs\" are usually MACs). Counted: convolutions "
        "and linear layers. BatchNorm, activations, pooling, shuffle and concat are 0 MACs. Parameters include "
        "biases and BatchNorm's weight and bias."
    ),
    "url.not_a_number": "Link value {key}={raw!s} is not a number; using {value}.",
    "url.clamped": "Link value {key}={raw!s} is outside {low}–{high}; using {value}.",
    "url.unknown_choice": "Link value {key}={raw!s} is not one of {allowed}; using {value}.",
    "url.not_a_bool": "Link value {key}={raw!s} is not on/off; using {value}.",
    "url.adjusted": "{key}={old} is not valid here{reason}; using {new}.",
    "family.standard": "Standard conv",
    "family.group": "Group conv",
    "family.depthwise_separable": "Depthwise-separable conv",
    "family.shuffle_v1": "ShuffleNet v1 unit",
    "family.shuffle_v2": "ShuffleNet v2 unit",
    "family.ghost_module": "Ghost module",
    "family.ghost_bottleneck": "Ghost bottleneck",
    "family.mbconv": "MBConv (inverted bottleneck + SE)",
    "family.standard.summary": "Dense k×k convolution: every output channel sees every input channel.",
    "family.group.summary": "Channels split into g groups, each convolved on its own: g× fewer weights and MACs.",
    "family.depthwise_separable.summary": "A k×k depthwise conv filters each channel alone, then a 1×1 "
                                          "pointwise conv mixes channels (MobileNet v1, Xception).",
    "family.shuffle_v1.summary": "1×1 group conv → channel shuffle → 3×3 depthwise → 1×1 group conv, plus a "
                                 "shortcut (ShuffleNet v1).",
    "family.shuffle_v2.summary": "Split the channels; one half goes through 1×1 → 3×3 depthwise → 1×1; concat and "
                                 "shuffle (ShuffleNet v2).",
    "family.ghost_module.summary": "An ordinary conv makes only n/s intrinsic maps; cheap d×d depthwise ops make "
                                   "the other \"ghost\" maps (GhostNet).",
    "family.ghost_bottleneck.summary": "Ghost module (expand) → [stride-2 depthwise] → [SE] → Ghost module "
                                       "(project), plus a shortcut (GhostNet).",
    "family.mbconv.summary": "1×1 expand → k×k depthwise → squeeze-and-excitation → 1×1 linear project, with a "
                             "residual (MobileNet v2/v3, EfficientNet).",
    "family.partial_conv": "FasterNet block (partial conv)",
    "family.uib": "UIB (MobileNetV4)",
    "family.ghost_v2": "Ghost module + DFC attention (GhostNetV2)",
    "family.partial_conv.summary": "A k×k conv on only r = 1/n of the channels, the rest passed through untouched; "
                                   "then 1×1 expand → 1×1 project, plus the input (FasterNet).",
    "family.uib.summary": "An inverted bottleneck with two optional depthwise convs, before the expansion and in "
                          "the middle: IB, ConvNext-like, ExtraDW or FFN (MobileNetV4).",
    "family.ghost_v2.summary": "A Ghost module whose output is multiplied by a DFC attention gate: 2×2 pool → conv "
                               "→ 1×5 and 5×1 depthwise → sigmoid → upsample (GhostNetV2).",
    "param.n_div": "Partial ratio r = 1/n",
    "param.n_div.help": "The k×k conv sees c_p = ⌊C_in / n⌋ channels; the others pass through untouched.",
    "param.dw_start": "Depthwise before expansion",
    "param.dw_start.help": "Kernel of the depthwise conv on the narrow input (0: none). With the middle one: "
                           "ExtraDW; alone: ConvNext-like.",
    "param.dw_mid": "Depthwise in the middle",
    "param.dw_mid.help": "Kernel of the depthwise conv on the wide expanded map (0: none). Alone: the classic "
                         "inverted bottleneck (IB); neither: FFN.",
    "param.off": "off",
    "param.c_in": "Input channels C_in",
    "param.c_in.help": "Channels of the input feature map.",
    "param.c_out": "Output channels C_out",
    "param.c_out.help": "Channels of the output feature map.",
    "param.h": "Input height H",
    "param.w": "Input width W",
    "param.kernel": "Kernel size k",
    "param.kernel.help": "Odd sizes only, so that 'same' padding keeps H×W (at stride 1).",
    "param.stride": "Stride",
    "param.groups": "Groups g",
    "param.groups.help": "Only values that divide the channel counts this block needs are offered.",
    "param.ratio": "Ghost ratio s",
    "param.ratio.help": "1/s of the output maps come from the ordinary conv; the rest are cheap 'ghosts'.",
    "param.dw_kernel": "Cheap-op kernel d",
    "param.dw_kernel.help": "Kernel of the depthwise 'cheap operation' that makes ghost maps.",
    "param.expansion": "Expansion",
    "param.expansion.help": "Hidden width = C_in × expansion.",
    "param.se_ratio": "SE ratio",
    "param.se_ratio.help": "Squeeze-and-excitation reduction; 0 turns SE off.",
    "param.activation": "Activation",
    "param.bias": "Bias",
    "param.bias.help": "Add a bias to each conv (C_out parameters each).",
    "param.norm": "BatchNorm",
    "param.norm.help": "BatchNorm after each conv (2 parameters per channel, 0 MACs).",
    "param.mid_relu": "ReLU between",
    "param.mid_relu.help": "Activation between depthwise and pointwise (MobileNet v1 has it; Xception drops it).",
    "param.first_grouped": "Group the first 1×1",
    "param.first_grouped.help": "ShuffleNet's first unit leaves its first 1×1 conv ungrouped (only 24 inputs).",
    "metric.params": "Parameters",
    "metric.macs": "MACs",
    "metric.flops": "FLOPs (= 2 × MACs)",
    "export.csv": "Download as CSV",
    "table.part": "Part",
    "table.shape": "Output shape",
    "table.params": "Parameters",
    "table.macs": "MACs",
    "table.macs_share": "Share of MACs (%)",
}

ZH = {
    "nav.home": "从这里开始",
    "nav.playground": "卷积游乐场",
    "sidebar.about": (
        "**effviz** 用来展示高效 CNN 基本模块**为什么**高效。所有数字都由闭式公式算出，并用 torch 自带的 FLOP "
        "计数器核对。"
    ),
    "sidebar.share": "🔗 分享当前视图",
    "sidebar.share_help": "复制这个链接（右侧按钮）：打开后就是这一页、这些设置。",
    "serving.restored": "已重新连接到新的服务器进程：页面和设置已从链接恢复。上传的文件未能保留，请重新上传。",
    "convention": (
        "MACs = 乘加次数；FLOPs = 2 × MACs（论文里的“FLOPs”通常指 MACs）。只统计卷积层和全连接层；BatchNorm、"
        "激活函数、池化、通道重排和拼接都记为 0 MACs。参数量包含偏置以及 BatchNorm 的权重和偏置。"
    ),
    "url.not_a_number": "链接中的 {key}={raw!s} 不是数字，改用 {value}。",
    "url.clamped": "链接中的 {key}={raw!s} 超出范围 {low}–{high}，改用 {value}。",
    "url.unknown_choice": "链接中的 {key}={raw!s} 不在可选值 {allowed} 之中，改用 {value}。",
    "url.not_a_bool": "链接中的 {key}={raw!s} 不是开/关，改用 {value}。",
    "url.adjusted": "{key}={old} 在这里无效{reason}，改用 {new}。",
    "family.standard": "标准卷积",
    "family.group": "分组卷积",
    "family.depthwise_separable": "深度可分离卷积",
    "family.shuffle_v1": "ShuffleNet v1 单元",
    "family.shuffle_v2": "ShuffleNet v2 单元",
    "family.ghost_module": "Ghost 模块",
    "family.ghost_bottleneck": "Ghost 瓶颈结构",
    "family.mbconv": "MBConv（倒残差 + SE）",
    "family.standard.summary": "稠密的 k×k 卷积：每个输出通道都能看到所有输入通道。",
    "family.group.summary": "把通道分成 g 组，每组单独卷积：权重和 MACs 都减少为 1/g。",
    "family.depthwise_separable.summary": "先用 k×k 逐通道卷积（Depthwise Convolution）对每个通道单独"
                                          "滤波，再用 1×1 逐点卷积（Pointwise Convolution）融合通道"
                                          "（MobileNet v1、Xception）。",
    "family.shuffle_v1.summary": "1×1 分组卷积 → 通道重排（channel shuffle）→ 3×3 逐通道卷积 → 1×1 分组卷积，"
                                 "再加上捷径分支（ShuffleNet v1）。",
    "family.shuffle_v2.summary": "先把通道一分为二，其中一半经过 1×1 → 3×3 逐通道卷积 → 1×1，再拼接并重排通道"
                                 "（ShuffleNet v2）。",
    "family.ghost_module.summary": "普通卷积只生成 n/s 张本征特征图，其余的“幻影”特征图由廉价的 d×d 逐通道卷积"
                                   "生成（GhostNet）。",
    "family.ghost_bottleneck.summary": "Ghost 模块（升维）→［步长 2 的逐通道卷积］→［SE 模块］→ Ghost 模块（降维），"
                                       "再加上捷径分支（GhostNet）。",
    "family.mbconv.summary": "1×1 升维 → k×k 逐通道卷积 → SE 模块 → 1×1 线性降维，并带残差连接"
                             "（MobileNet v2/v3、EfficientNet）。",
    "family.partial_conv": "FasterNet 块（部分卷积）",
    "family.uib": "UIB（MobileNetV4）",
    "family.ghost_v2": "Ghost 模块 + DFC 注意力（GhostNetV2）",
    "family.partial_conv.summary": "k×k 卷积只作用于 r = 1/n 的通道，其余通道原样通过；再接 1×1 升维 → 1×1 降维，"
                                   "并加上输入（FasterNet）。",
    "family.uib.summary": "带两个可选逐通道卷积的倒残差块：一个在升维之前，一个在中间；组合出 IB、类 ConvNext、"
                          "ExtraDW 和 FFN 四种变体（MobileNetV4）。",
    "family.ghost_v2.summary": "Ghost 模块的输出乘以 DFC 注意力门控：2×2 池化 → 卷积 → 1×5 与 5×1 逐通道卷积 → "
                               "sigmoid → 上采样（GhostNetV2）。",
    "param.n_div": "部分比例 r = 1/n",
    "param.n_div.help": "k×k 卷积只看 c_p = ⌊C_in / n⌋ 个通道，其余通道原样通过。",
    "param.dw_start": "升维前的逐通道卷积",
    "param.dw_start.help": "作用于窄输入的逐通道卷积的核大小（0 表示没有）。与中间的一起：ExtraDW；单独：类 ConvNext。",
    "param.dw_mid": "中间的逐通道卷积",
    "param.dw_mid.help": "作用于升维后宽特征图的逐通道卷积的核大小（0 表示没有）。单独：经典倒残差（IB）；"
                         "都没有：FFN。",
    "param.off": "无",
    "param.c_in": "输入通道数 C_in",
    "param.c_in.help": "输入特征图的通道数。",
    "param.c_out": "输出通道数 C_out",
    "param.c_out.help": "输出特征图的通道数。",
    "param.h": "输入高度 H",
    "param.w": "输入宽度 W",
    "param.kernel": "卷积核大小 k",
    "param.kernel.help": "只允许奇数，这样“same”填充在步长为 1 时能保持 H×W 不变。",
    "param.stride": "步长",
    "param.groups": "分组数 g",
    "param.groups.help": "只列出能整除该模块所需通道数的取值。",
    "param.ratio": "Ghost 比例 s",
    "param.ratio.help": "输出特征图中 1/s 由普通卷积生成，其余是廉价的“幻影”。",
    "param.dw_kernel": "廉价操作卷积核 d",
    "param.dw_kernel.help": "生成幻影特征图的逐通道“廉价操作”的卷积核大小。",
    "param.expansion": "扩张倍数",
    "param.expansion.help": "中间层宽度 = C_in × 扩张倍数。",
    "param.se_ratio": "SE 压缩比",
    "param.se_ratio.help": "SE 模块的通道压缩比例；取 0 表示不用 SE 模块。",
    "param.activation": "激活函数",
    "param.bias": "偏置",
    "param.bias.help": "每个卷积加偏置（每个卷积 C_out 个参数）。",
    "param.norm": "BatchNorm",
    "param.norm.help": "每个卷积后接 BatchNorm（每通道 2 个参数，0 MACs）。",
    "param.mid_relu": "中间加 ReLU",
    "param.mid_relu.help": "逐通道卷积和逐点卷积之间是否加激活（MobileNet v1 有，Xception 去掉了）。",
    "param.first_grouped": "第一个 1×1 分组",
    "param.first_grouped.help": "ShuffleNet 的第一个单元输入只有 24 个通道，所以第一个 1×1 卷积不分组。",
    "metric.params": "参数量",
    "metric.macs": "MACs",
    "metric.flops": "FLOPs（= 2 × MACs）",
    "export.csv": "下载 CSV",
    "table.part": "组成部分",
    "table.shape": "输出形状",
    "table.params": "参数量",
    "table.macs": "MACs",
    "table.macs_share": "MACs 占比（%）",
}
