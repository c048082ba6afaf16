"""The Chinese glossary: one term for each concept the pages teach, where the term comes from, and the variants
the catalogue must not use (tests/test_chinese_house_rules.py checks every ZH string against it).

Sources: the reference articles in the project's seeds (cited by their subject), else the usual term in Chinese
textbooks and course notes where the articles are silent. A translator adding a string looks the concept up here
first. Refused variants are regular expressions, matched outside `code` spans."""
from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    english: str
    chinese: str
    source: str
    refused: tuple[str, ...] = ()   # regular expressions for the other names this concept must not get
    english_re: str = ""   # where an English string matches this, its Chinese twin must use the term...
    marker: str = ""       # ...or this part of it (a label such as "3×3 逐通道" shortens the term)


SEED_GHOST = "参考文章：GhostNet（分组卷积、深度可分离卷积与 Ghost 模块）"
SEED_DWS = "参考文章：关于深度可分离卷积的理解"
SEED_SHUFFLE = "参考文章：ShuffleNet 论文阅读笔记"
SEED_MBCONV = "参考文章：移动翻转瓶颈卷积（MBConv、SE、MobileNetV3）"
SEED_MOBILENET = "参考文章：MobileNets v1 模型解析"
TEXTBOOK = "教材常用译名（参考文章未涉及）"

TERMS: tuple[Term, ...] = (
    Term("group convolution", "分组卷积", SEED_GHOST, (r"(?<![分])组卷积",)),
    Term("depthwise-separable convolution", "深度可分离卷积", SEED_DWS, (r"深度分离卷积", r"深度向卷积")),
    Term("depthwise convolution", "逐通道卷积", SEED_DWS, (r"深度卷积", r"深度方向卷积"),
         r"(?i)\bdepthwise\b(?![- ]separable)", "逐通道"),
    Term("pointwise convolution", "逐点卷积", SEED_DWS, (r"点卷积(?<!逐点卷积)",)),
    Term("feature map", "特征图", SEED_DWS, (r"特征映射",)),
    Term("parameter count", "参数量", SEED_GHOST, (r"参数数量",)),
    Term("multiply-accumulate (MACs)", "乘加（MACs 照写）", SEED_MOBILENET, (r"次 ?MACs", r"乘积累加")),
    Term("memory access cost", "内存访问量", SEED_SHUFFLE,
         (r"(?<![A-Za-z])MAC(?![A-Za-z])", r"访存量", r"内存访问成本")),
    Term("channel shuffle", "通道重排", TEXTBOOK, (r"通道混洗", r"通道洗牌", r"通道打乱"), r"(?i)channel shuffle"),
    Term("ShuffleNet v2's guidelines", "设计原则", SEED_SHUFFLE, (r"准则", r"指导原则"), r"(?i)guideline", "原则"),
    Term("width multiplier", "宽度乘子", TEXTBOOK, (r"宽度系数", r"宽度倍率", r"宽度因子", r"宽度乘数"),
         r"(?i)width multiplier"),
    Term("squeeze-and-excitation", "SE 模块", SEED_MBCONV, (r"SE ?注意力", r"挤压-?激励", r"挤压与激励")),
    Term("ghost feature map", "幻影特征图", SEED_GHOST, (r"鬼影", r"幽灵特征")),
    Term("intrinsic feature map", "本征特征图", TEXTBOOK, (r"固有特征图", r"内在特征图")),
    Term("near-copy", "近似副本", TEXTBOOK, (r"复制品",), r"(?i)near-cop"),
    Term("cheap operation", "廉价操作", TEXTBOOK, (r"廉价运算", r"便宜的操作")),
    Term("inverted residual", "倒残差", TEXTBOOK, (r"逆残差", r"反向残差")),
    Term("expand / project (1×1)", "升维 / 降维", SEED_MBCONV, ()),
    Term("stride", "步长", SEED_GHOST, (r"步幅",)),
    Term("receptive field", "感受野", SEED_MBCONV, ()),
    Term("peak activation (largest layer output)", "最大单层输出", TEXTBOOK, (r"最大激活",)),
)
