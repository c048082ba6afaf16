"""Every op of the standard ONNX domains, and what it costs: op type -> handler, as fvcore keeps its
op-name -> handle table (fvcore/nn/jit_handles.py) and torch its flop registry (torch/utils/flop_counter.py).

Counting convention (effviz.cost, DESIGN.md): MACs are multiply-accumulates; only convolutions and matrix
products count (what torch's FlopCounterMode counts, divided by 2): a Conv output value sums C_in/groups x kernel
products, so MACs = |Y| x prod(W.shape[1:]) (torch: conv_flop_count); a matrix product of an (.., M, K) and a
(.., K, N) tensor is |Y| x K (torch: mm/bmm_flop). Biases add no MACs. Everything else (element-wise
arithmetic, activations, normalisation, pooling, shape arithmetic, casts, constants, resampling) is 0 MACs, as
BatchNorm, activations, pooling, shuffle and concat are 0 MACs in the rest of effviz.

Each op type is in exactly one table (a test checks it against onnx.defs for the installed onnx):
    COUNTED   op -> formula(node, graph) -> MACs, or None where a shape it needs is unknown
    ZERO      op -> category (0 MACs, known)
    DECLINED  op -> reason code: known, but its work is not a fixed count of products (listed as not counted)
Ops of any other domain (custom ops: com.microsoft, a vendor's) and op types newer than this table are listed as
not counted by name, never silently 0.

Parameters: a constant tensor (an initializer or a Constant node's value) is a parameter when some node uses it
in a weight role (PARAM_INPUTS: Conv's W and B, Gemm's B and C, BatchNormalization's scale and bias, ...); as
any other op's input it is one when it is floating point with more than one value (a learned scale, a bias added
with Add, a position embedding), except in the roles of NOT_PARAMS (BatchNormalization's running mean and
variance, quantisation scales, Resize scales). Shape and index constants are integers, so never parameters."""
from __future__ import annotations

import math
from collections.abc import Callable

DEFAULT, ML, TRAINING, PREVIEW = "", "ai.onnx.ml", "ai.onnx.preview.training", "ai.onnx.preview"
STANDARD_DOMAINS = (DEFAULT, ML, TRAINING, PREVIEW)


def _known(shape) -> bool:
    return shape is not None and all(d is not None for d in shape)


def _shape(graph, name: str):
    return graph.shapes.get(name) if name else None


def conv(node, graph, w_index: int = 1) -> int | None:
    """Conv, ConvInteger, DeformConv, CausalConvWithState: |Y| x (C_in / groups) x prod(kernel)."""
    w, y = _shape(graph, node.inputs[w_index]) if len(node.inputs) > w_index else None, \
        _shape(graph, node.outputs[0])
    if not (_known(w) and _known(y)) or len(w) < 2:
        return None
    return math.prod(y) * math.prod(w[1:])


def qlinear_conv(node, graph) -> int | None:
    return conv(node, graph, w_index=3)


def conv_transpose(node, graph) -> int | None:
    """Every input value is spread over C_out / groups x prod(kernel) outputs: |X| x prod(W.shape[1:])
    (torch's conv_flop_count with transposed=True counts the same products)."""
    x, w = _shape(graph, node.inputs[0]), _shape(graph, node.inputs[1])
    if not (_known(x) and _known(w)) or len(w) < 2:
        return None
    return math.prod(x) * math.prod(w[1:])


def gemm(node, graph) -> int | None:
    """Y = alpha A' B' + beta C with A' of shape (M, K): |Y| x K."""
    a, y = _shape(graph, node.inputs[0]), _shape(graph, node.outputs[0])
    if not (_known(a) and _known(y)) or len(a) != 2:
        return None
    k = a[0] if node.attrs.get("transA", 0) else a[1]
    return math.prod(y) * k


def matmul(node, graph) -> int | None:
    """MatMul, MatMulInteger, QLinearMatMul (numpy matmul semantics): |Y| x K, K the last dim of A."""
    a, y = _shape(graph, node.inputs[0]), _shape(graph, node.outputs[0])
    if not (_known(a) and _known(y)) or not a:
        return None
    return math.prod(y) * a[-1]


def einsum(node, graph) -> int | None:
    """Two or more operands: the product of the sizes of every index in the equation (each output value sums
    the products over the contracted indices), the count torch's einsum -> bmm decomposition gives for two.
    One operand (a transpose, trace or sum) does no products: 0."""
    if len(node.inputs) < 2:
        return 0
    equation = str(node.attrs.get("equation", "")).replace(" ", "")
    lhs = equation.split("->")[0].split(",")
    if len(lhs) != len(node.inputs):
        return None
    sizes: dict[str, int] = {}
    for term, name in zip(lhs, node.inputs, strict=True):
        shape = _shape(graph, name)
        if not _known(shape):
            return None
        letters = term.replace("...", "")
        n_ellipsis = len(shape) - len(letters)
        if "..." in term:
            before = term.index("...")
            letters_before = term[:before]
            for i, letter in enumerate(letters_before):
                sizes[letter] = max(sizes.get(letter, 1), shape[i])
            for i in range(n_ellipsis):
                key = f"...{n_ellipsis - i}"
                sizes[key] = max(sizes.get(key, 1), shape[before + i])
            for i, letter in enumerate(term[before + 3:]):
                sizes[letter] = max(sizes.get(letter, 1), shape[before + n_ellipsis + i])
        else:
            if len(letters) != len(shape):
                return None
            for letter, d in zip(letters, shape, strict=True):
                sizes[letter] = max(sizes.get(letter, 1), d)
    return math.prod(sizes.values())


def attention(node, graph) -> int | None:
    """Attention (opset 23) and FlexAttention: Q K^T and P V, B x H_q x S_q x S_kv x (D + D_v) (torch's
    sdpa_flop_count). Rank-3 inputs (B, S, H x D) use the q_num_heads / kv_num_heads attributes."""
    q, k, v = (_shape(graph, n) for n in node.inputs[:3])
    if not (_known(q) and _known(k) and _known(v)):
        return None
    if len(q) == 4:
        b, hq, sq, d = q
        skv, dv = k[2], v[3]
    elif len(q) == 3:
        hq = node.attrs.get("q_num_heads", 0)
        hkv = node.attrs.get("kv_num_heads", 0)
        if not hq or not hkv:
            return None
        b, sq, d = q[0], q[1], q[2] // hq
        skv, dv = k[1], v[2] // hkv
    else:
        return None
    if len(node.inputs) > 4 and node.inputs[4]:       # past_key: the cached keys are attended to as well
        past = _shape(graph, node.inputs[4])
        if not _known(past):
            return None
        skv += past[2]
    return b * hq * sq * skv * (d + dv)


def recurrent(node, graph) -> int | None:
    """RNN, GRU, LSTM: every step multiplies the input by W and the hidden state by R, for each direction:
    seq x batch x (|W| + |R|)."""
    x, w, r = (_shape(graph, n) for n in node.inputs[:3])
    if not (_known(x) and _known(w) and _known(r)) or len(x) != 3:
        return None
    seq, batch = (x[1], x[0]) if node.attrs.get("layout", 0) else (x[0], x[1])
    return seq * batch * (math.prod(w) + math.prod(r))


def linear_ml(node, graph) -> int | None:
    """ai.onnx.ml LinearClassifier / LinearRegressor: each of the N rows meets every coefficient once."""
    x = _shape(graph, node.inputs[0])
    if not _known(x):
        return None
    rows = x[0] if len(x) == 2 else 1
    return rows * len(node.attrs.get("coefficients", ()))


COUNTED: dict[str, Callable] = {
    "Conv": conv, "ConvInteger": conv, "DeformConv": conv, "CausalConvWithState": conv,
    "QLinearConv": qlinear_conv, "ConvTranspose": conv_transpose,
    "Gemm": gemm, "MatMul": matmul, "MatMulInteger": matmul, "QLinearMatMul": matmul, "Einsum": einsum,
    "Attention": attention, "FlexAttention": attention,
    "RNN": recurrent, "GRU": recurrent, "LSTM": recurrent,
    "LinearClassifier": linear_ml, "LinearRegressor": linear_ml,
}

ZERO: dict[str, str] = {}
for _category, _names in {
    "elementwise": "Abs Acos Acosh Add And Asin Asinh Atan Atanh BitShift BitwiseAnd BitwiseNot BitwiseOr "
                   "BitwiseXor Ceil Clip Cos Cosh Div Equal Erf Exp Floor Greater GreaterOrEqual IsInf IsNaN Less "
                   "LessOrEqual Log Max Mean Min Mod Mul Neg Not Or Pow Reciprocal Round Sign Sin Sinh Sqrt Sub "
                   "Sum Tan Where Xor RotaryEmbedding Det",
    "activation": "Celu Elu Gelu HardSigmoid HardSwish Hardmax LeakyRelu LogSoftmax Mish PRelu Relu Selu Shrink "
                  "Sigmoid Softmax Softplus Softsign Swish SwiGLU Tanh ThresholdedRelu",
    "normalization": "BatchNormalization GroupNormalization InstanceNormalization LayerNormalization "
                     "LpNormalization LRN MeanVarianceNormalization RMSNormalization",
    "pooling": "AveragePool GlobalAveragePool GlobalLpPool GlobalMaxPool LpPool MaxPool MaxRoiPool MaxUnpool "
               "RoiAlign",
    "reduction": "ArgMax ArgMin ReduceL1 ReduceL2 ReduceLogSum ReduceLogSumExp ReduceMax ReduceMean ReduceMin "
                 "ReduceProd ReduceSum ReduceSumSquare CumProd CumSum TopK",
    "shape": "CenterCropPad Col2Im Compress Concat DepthToSpace Dropout Expand Flatten Gather GatherElements "
             "GatherND Identity NonZero OneHot Pad Reshape ReverseSequence Scatter ScatterElements ScatterND Shape "
             "Size Slice SpaceToDepth Split Squeeze TensorScatter Tile Transpose Trilu Unique Unsqueeze",
    "resampling": "AffineGrid GridSample Resize Upsample",
    "constant": "BlackmanWindow Constant ConstantOfShape EyeLike HammingWindow HannWindow MelWeightMatrix Range",
    "random": "Bernoulli Multinomial RandomNormal RandomNormalLike RandomUniform RandomUniformLike",
    "cast": "BitCast Cast CastLike DequantizeLinear DynamicQuantizeLinear QuantizeLinear",
    "sequence": "ConcatFromSequence Optional OptionalGetElement OptionalHasElement SequenceAt SequenceConstruct "
                "SequenceEmpty SequenceErase SequenceInsert SequenceLength SplitToSequence",
    "text": "ImageDecoder RegexFullMatch StringConcat StringNormalizer StringSplit TfIdfVectorizer",
    "loss": "NegativeLogLikelihoodLoss SoftmaxCrossEntropyLoss",
    "detection": "NonMaxSuppression",
    "signal": "DFT STFT",
    # ai.onnx.ml: lookups, encoders, scalers and trees (comparisons, not products)
    "ml": "ArrayFeatureExtractor Binarizer CastMap CategoryMapper DictVectorizer FeatureVectorizer Imputer "
          "LabelEncoder Normalizer OneHotEncoder Scaler TreeEnsemble TreeEnsembleClassifier TreeEnsembleRegressor "
          "ZipMap",
}.items():
    ZERO.update(dict.fromkeys(_names.split(), _category))

# Control flow (If, Loop, Scan, SequenceMap) is 0 when its subgraphs hold no counted op, else declined: a loop's
# trip count or a branch is only known at run time.
CONTROL_FLOW = frozenset({"If", "Loop", "Scan", "SequenceMap"})
DECLINED: dict[str, str] = {
    **dict.fromkeys(CONTROL_FLOW, "control_flow"),
    "LinearAttention": "recurrent_state",            # its recurrence depends on update_rule and chunking
    "SVMClassifier": "svm_kernel", "SVMRegressor": "svm_kernel",
    "Adagrad": "training", "Adam": "training", "Gradient": "training", "Momentum": "training",
}

# Which ops live in which standard domain (op types are unique across them).
DOMAIN_OF: dict[str, str] = {}
DOMAIN_OF.update(dict.fromkeys(
    "ArrayFeatureExtractor Binarizer CastMap CategoryMapper DictVectorizer FeatureVectorizer Imputer LabelEncoder "
    "LinearClassifier LinearRegressor Normalizer OneHotEncoder SVMClassifier SVMRegressor Scaler TreeEnsemble "
    "TreeEnsembleClassifier TreeEnsembleRegressor ZipMap".split(), ML))
DOMAIN_OF.update(dict.fromkeys("Adagrad Adam Gradient Momentum".split(), TRAINING))
DOMAIN_OF["FlexAttention"] = PREVIEW

PARAM_INPUTS: dict[str, tuple[int, ...]] = {
    "Conv": (1, 2), "ConvInteger": (1,), "ConvTranspose": (1, 2), "DeformConv": (1, 3), "QLinearConv": (3, 8),
    "CausalConvWithState": (1, 2), "Gemm": (0, 1, 2), "MatMul": (0, 1), "MatMulInteger": (0, 1),
    "QLinearMatMul": (0, 3), "Einsum": tuple(range(16)), "RNN": (1, 2, 3), "GRU": (1, 2, 3),
    "LSTM": (1, 2, 3, 7), "BatchNormalization": (1, 2), "InstanceNormalization": (1, 2),
    "LayerNormalization": (1, 2), "GroupNormalization": (1, 2), "RMSNormalization": (1,), "PRelu": (1,),
    "Gather": (0,),
}
_ALL = tuple(range(16))
NOT_PARAMS: dict[str, tuple[int, ...]] = {
    "BatchNormalization": (3, 4),                    # running mean and variance: statistics, not parameters
    "QuantizeLinear": (1, 2), "DequantizeLinear": (1, 2), "ConvInteger": (2, 3), "MatMulInteger": (2, 3),
    "QLinearConv": (1, 2, 4, 5, 6, 7), "QLinearMatMul": (1, 2, 4, 5, 6, 7),
    "Resize": (1, 2, 3), "Upsample": (1,), "Pad": (1, 2, 3), "Clip": (1, 2),
    "Shape": _ALL, "Size": _ALL, "CastLike": (1,), "ConstantOfShape": _ALL, "Range": _ALL,
}


def lookup(domain: str, op_type: str) -> tuple[str, object]:
    """("counted", formula) | ("zero", category) | ("declined", reason) | ("unknown", reason)."""
    domain = DEFAULT if domain == "ai.onnx" else domain
    if domain not in STANDARD_DOMAINS:
        return "unknown", "custom_domain"
    if DOMAIN_OF.get(op_type, DEFAULT) != domain:
        return "unknown", "unknown_op"
    if op_type in COUNTED:
        return "counted", COUNTED[op_type]
    if op_type in ZERO:
        return "zero", ZERO[op_type]
    if op_type in DECLINED:
        return "declined", DECLINED[op_type]
    return "unknown", "unknown_op"


def param_role(op_type: str, index: int) -> str:
    """"param" (a weight role), "never", or "generic" (a parameter if floating point with more than one value)."""
    if index in PARAM_INPUTS.get(op_type, ()):
        return "param"
    if index in NOT_PARAMS.get(op_type, ()):
        return "never"
    return "generic"


def known_ops() -> dict[str, set[str]]:
    """Every op type the tables know, by standard domain."""
    out: dict[str, set[str]] = {d: set() for d in STANDARD_DOMAINS}
    for op in (*COUNTED, *ZERO, *DECLINED):
        out[DOMAIN_OF.get(op, DEFAULT)].add(op)
    return out
