"""Intermediate feature maps of a network, at any node, via torchvision's FX feature extraction.

`extract(model, image, "layer1")` returns the [C, H, W] activations of one photo at that node (a module name
such as "layer1" means that module's output; any node name from `nodes(model)` works). The graph is cut after
the requested node, so asking for ResNet-50's layer1 runs only the stem and the first stage.

The model is shared (one per process) and must never be mutated. torchvision's tracer flips the module's
train/eval flag while it traces both modes, so tracing happens on a structural copy that shares the weight
tensors: the caller's model is never touched, and the extractor costs no extra weight memory. Build an
`Extractor` once per (model, layer) and reuse it; `extract` accepts either."""
from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from PIL import Image
from torch import nn

from effviz.redundancy import images

# The default node of each architecture: ResNet-50's first residual stage (256 x 56 x 56) is the layer of
# GhostNet's Figure 1.
DEFAULT_LAYER = {"resnet50": "layer1"}
_SKIP = re.compile(r"(^|\.)(fc|classifier|avgpool|flatten|dropout|head_pool|pool|global_pool)$")


@dataclass(frozen=True)
class LayerShape:
    name: str
    channels: int
    height: int
    width: int

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.channels, self.height, self.width


def _structural_copy(model: nn.Module) -> nn.Module:
    """A copy of the module tree whose parameters and buffers are the original tensors (no weight memory)."""
    memo = {id(t): t for t in itertools.chain(model.parameters(), model.buffers())}
    return copy.deepcopy(model, memo)


def _leaf_types(model: nn.Module) -> list[type]:
    """Conv subclasses with their own forward (e.g. TF 'same' padding computed from the input size, which FX
    cannot trace) are traced as single nodes: their output is what a user wants, not their padding arithmetic."""
    return sorted({type(m) for m in model.modules() if isinstance(m, nn.Conv2d) and type(m) is not nn.Conv2d},
                  key=lambda cls: cls.__qualname__)


def nodes(model: nn.Module) -> list[str]:
    """Every node name torchvision can return for this model in eval mode (leaf ops, adds, activations...)."""
    from torchvision.models.feature_extraction import get_graph_node_names

    _, eval_nodes = get_graph_node_names(_structural_copy(model), tracer_kwargs={"leaf_modules": _leaf_types(model)})
    return eval_nodes


def layers(model: nn.Module, max_depth: int = 2, convs: bool = False) -> list[str]:
    """Module names in forward order whose output is worth a look: the stages and blocks (fewer than
    `max_depth` dots, not counting a leading "features." wrapper) and the expansion output of inverted-residual
    blocks (`<block>.expand`, the widest maps of an MBConv); pooling and classifier heads left out.
    convs=True adds every nn.Conv2d at its place in the module tree (the rows of effviz.redundancy.atlas)."""
    if _is_onnx(model):
        return model.layers()
    names = []
    for name, module in model.named_modules():
        if not name or name == "features":  # the root, and a wrapper that only repeats the last stage
            continue
        depth = (name[len("features."):] if name.startswith("features.") else name).count(".")
        expand = name.endswith(".expand") and depth == max_depth and not isinstance(module, nn.Identity)
        if depth < max_depth or expand or (convs and isinstance(module, nn.Conv2d)):
            names.append(name)
    return [n for n in names if not _SKIP.search(n)]


def default_layer(model_or_network) -> str:
    """ResNet-50: "layer1"; other networks: `pick_default` over their layers."""
    if isinstance(model_or_network, str):
        if model_or_network in DEFAULT_LAYER:
            return DEFAULT_LAYER[model_or_network]
        raise ValueError(f"network: no default layer for {model_or_network!r}; pass a model instead")
    names = layers(model_or_network)
    return "layer1" if "layer1" in names else pick_default(shapes_of(model_or_network, names))


def pick_default(shapes: Sequence[LayerShape], size: int = 224) -> str:
    """The closest analogue of ResNet-50's layer1: among the layers at 1/4 of the input resolution, the first
    with the most channels (for EfficientNet-Lite0, a 144-channel MBConv expansion at 56 x 56)."""
    if not shapes:
        raise ValueError("shapes: no layers to choose from")
    quarter = [s for s in shapes if s.height == size // 4] or list(shapes)
    best = max(s.channels for s in quarter)
    return next(s.name for s in quarter if s.channels == best)


class Extractor:
    """Callable: a batch [N, 3, H, W] -> {layer: tensor}, with the graph cut after the last requested layer."""

    def __init__(self, model: nn.Module, layer_names: str | Sequence[str]):
        from torchvision.models.feature_extraction import create_feature_extractor

        self.layers = (layer_names,) if isinstance(layer_names, str) else tuple(layer_names)
        if not self.layers:
            raise ValueError("layer: at least one layer name is needed")
        try:
            graph = create_feature_extractor(_structural_copy(model), return_nodes={n: n for n in self.layers},
                                             tracer_kwargs={"leaf_modules": _leaf_types(model)})
        except ValueError as exc:  # torchvision: "node: 'x' is not present in model. ..."
            sample = ", ".join(layers(model)[:12])
            raise ValueError(f"layer: {', '.join(map(repr, self.layers))} not found in {type(model).__name__}; "
                             f"e.g. {sample} (features.nodes(model) lists every node)") from exc
        self.graph = graph.eval()

    def __call__(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        with torch.inference_mode():
            return self.graph(batch)


def extractor(model: nn.Module, layer: str | Sequence[str]) -> Extractor:
    if _is_onnx(model):
        return OnnxExtractor(model, layer)
    return Extractor(model, layer)


def _is_onnx(model) -> bool:
    """An effviz.networks.onnxfile.onnx_features.OnnxNetwork: an ONNX file's maps via onnxruntime, handled alike."""
    return getattr(model, "is_onnx", False) is True


class OnnxExtractor(Extractor):
    """Extractor's interface over an OnnxNetwork: a batch [1, 3, H, W] -> {layer: tensor [1, C, H, W]}."""

    def __init__(self, net, layer_names: str | Sequence[str]):   # noqa: D107 - no torch graph to build
        self.net = net
        self.layers = (layer_names,) if isinstance(layer_names, str) else tuple(layer_names)
        unknown = [n for n in self.layers if n not in net.layers()]
        if not self.layers or unknown:
            raise ValueError(f"layer: {', '.join(map(repr, unknown or ['']))} is not a map of {net.name}; e.g. "
                             f"{', '.join(net.layers()[:8])}")

    def __call__(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        maps = self.net.maps(batch.numpy(), self.layers)
        return {n: torch.from_numpy(m).unsqueeze(0) for n, m in maps.items()}


def to_input(image, info=None, size: tuple[int, int] | None = None) -> torch.Tensor:
    """A PIL image (preprocessed with the weights' mean/std/resize, or ImageNet's) or a ready tensor
    [3, H, W] / [1, 3, H, W] -> a batch [1, 3, H, W]. `size`: a square (H, H) centre crop other than 224, the
    short side resized in the same 256:224 proportion (an ONNX file's own input size)."""
    if isinstance(image, Image.Image):
        if size is not None:
            if size[0] != size[1]:
                raise ValueError(f"image: only square inputs can be cropped from a photo, not {size}")
            x = images.preprocess(image, mean=info.mean if info else images.IMAGENET_MEAN,
                                  std=info.std if info else images.IMAGENET_STD,
                                  resize=round(size[0] * 256 / 224), crop=size[0])
        elif info is not None:
            x = images.preprocess(image, mean=info.mean, std=info.std, resize=info.resize)
        else:
            x = images.preprocess(image)
        return x.unsqueeze(0)
    if isinstance(image, torch.Tensor):
        if image.dim() == 3:
            image = image.unsqueeze(0)
        if image.dim() != 4 or image.shape[0] != 1 or image.shape[1] != 3:
            raise ValueError(f"image: expected a [3, H, W] tensor, got shape {tuple(image.shape)}")
        return image.float()
    raise ValueError(f"image: expected a PIL image or a [3, H, W] tensor, not {type(image).__name__}")


def extract(model_or_extractor, image, layer: str = "layer1", *, info=None) -> torch.Tensor:
    """Feature maps [C, H, W] (float32, on the CPU) of one image at `layer`."""
    ex = model_or_extractor if isinstance(model_or_extractor, Extractor) else extractor(model_or_extractor, layer)
    if layer not in ex.layers:
        raise ValueError(f"layer: this extractor returns {', '.join(ex.layers)}, not {layer!r}")
    size = ex.net.input_hw if isinstance(ex, OnnxExtractor) else None
    out = ex(to_input(image, info, size))[layer]
    if out.dim() != 4:
        raise ValueError(f"layer: {layer!r} outputs shape {tuple(out.shape)}, not a stack of feature maps")
    return out[0].float().contiguous()


def shapes_of(model: nn.Module, names: Sequence[str], size: int = 224) -> list[LayerShape]:
    """Output shape of each named layer for a size x size input (one forward pass on zeros); layers whose
    output is not a 2-D map larger than 1 x 1 are left out.

    Module names are read by forward hooks on a structural copy. (torchvision's extractor, asked for a block
    and a module inside it at once, can give the block the inner module's node and the inner module nothing:
    it matches each graph node to the first requested name that prefixes its module path.) Other node names
    (an add, a functional op) and modules called more than once (FX names the first call after the module) go
    through one Extractor."""
    if _is_onnx(model):
        return [LayerShape(*row) for row in model.shapes(names)]
    modules = dict(_structural_copy(model).named_modules())
    hooked = [n for n in names if n in modules and n]
    calls: dict[str, list[tuple[int, ...]]] = {n: [] for n in hooked}
    for n in hooked:
        modules[n].register_forward_hook(lambda m, a, out, n=n: calls[n].append(tuple(getattr(out, "shape", ()))))
    x = torch.zeros(1, 3, size, size)
    with torch.inference_mode():
        modules[""].eval()(x)       # the copy is thrown away with its hooks
    outs = {n: shapes[0] for n, shapes in calls.items() if len(shapes) == 1}
    others = [n for n in names if n not in outs]
    if others:
        outs.update({n: tuple(v.shape) for n, v in Extractor(model, others)(x).items()})
    return [LayerShape(n, *outs[n][1:]) for n in names if n in outs and len(outs[n]) == 4 and outs[n][-1] > 1]


def predict(model: nn.Module, image, info=None, k: int = 5) -> list[tuple[int, float]]:
    """Top-k ImageNet classes (index, probability) of the full network on one image."""
    if not 1 <= k <= 1000:
        raise ValueError(f"k: must be between 1 and 1000, got {k}")
    if _is_onnx(model):                       # only a model with 1000 outputs is an ImageNet classifier
        values = model.logits(to_input(image, info, model.input_hw).numpy())
        if values is None or values.shape[0] != 1000:
            return []
        logits = torch.from_numpy(values)
    else:
        with torch.inference_mode():
            logits = model(to_input(image, info))[0]
    probs = torch.softmax(logits.float(), dim=0)
    top = torch.topk(probs, k)
    return [(int(i), float(p)) for p, i in zip(top.values, top.indices, strict=True)]
