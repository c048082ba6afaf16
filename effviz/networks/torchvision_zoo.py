"""torchvision's efficient networks (and two classic baselines), built with
`torchvision.models.get_model(name, weights=None)`: no weights are downloaded or loaded.

Published figures come from the weights enums' metadata (`IMAGENET1K_V1.meta`: `num_params`, `_ops`,
`_metrics["ImageNet-1K"]["acc@1"]`), which ships with torchvision, so reading them needs no download. V1 is the
original training recipe of each network (closest to its paper); V2 weights, where they exist, have the same
architecture, params and ops.

torchvision's `_ops` are labelled "GFLOPS" but count one multiply-add once (fvcore's convention): they are
GMACs in ours. E.g. resnet50: `_ops` 4.089, and its convolutions and FC hold 4.09e9 multiply-adds."""
from __future__ import annotations

from effviz.networks._registry import Published, options_key, register
from effviz.networks.pretrained import Weights

CONVENTION = "torchvision's _ops ('GFLOPS') count a multiply-add once: they are GMACs"

# effviz name -> (label, paper, {option values -> torchvision model name}, option name or None)
_ENTRIES = {
    "mobilenet_v2": ("MobileNet v2", "Sandler et al., MobileNetV2 (CVPR 2018)", "mobilenet_v2"),
    "mobilenet_v3_large": ("MobileNet v3 Large", "Howard et al., Searching for MobileNetV3 (ICCV 2019)",
                           "mobilenet_v3_large"),
    "mobilenet_v3_small": ("MobileNet v3 Small", "Howard et al., Searching for MobileNetV3 (ICCV 2019)",
                           "mobilenet_v3_small"),
    "shufflenet_v2": ("ShuffleNet v2", "Ma et al., ShuffleNet V2 (ECCV 2018)",
                      {0.5: "shufflenet_v2_x0_5", 1.0: "shufflenet_v2_x1_0", 1.5: "shufflenet_v2_x1_5",
                       2.0: "shufflenet_v2_x2_0"}),
    "efficientnet_b0": ("EfficientNet-B0", "Tan & Le, EfficientNet (ICML 2019)", "efficientnet_b0"),
    "resnet50": ("ResNet-50", "He et al., Deep Residual Learning (CVPR 2016)", "resnet50"),
    "resnext50_32x4d": ("ResNeXt-50 (32×4d)", "Xie et al., Aggregated Residual Transformations (CVPR 2017)",
                        "resnext50_32x4d"),
    "mnasnet1_0": ("MnasNet 1.0", "Tan et al., MnasNet (CVPR 2019)", "mnasnet1_0"),
}


# ImageNet weights effviz loads itself (effviz.redundancy.weights: offline first, never unpickling), beside the
# builder. ResNet-50: torchvision's ResNet50_Weights.IMAGENET1K_V2 (80.9 % top-1) and IMAGENET1K_V1 (76.1 %), with
# each one's resize preset; the files land in torch's hub cache, where torchvision's own weights API finds them too.
WEIGHTS = {
    "resnet50": Weights(urls=(("https://download.pytorch.org/models/resnet50-11ad3fa6.pth", 232),
                              ("https://download.pytorch.org/models/resnet50-0676ba61.pth", 256)),
                        env="EFFVIZ_RESNET50_WEIGHTS", resize=232),
}


def _tv_name(target, width=None) -> str:
    return target if isinstance(target, str) else target[width]


def _builder(target):
    def build(**options):
        from torchvision.models import get_model

        return get_model(_tv_name(target, options.get("width")), weights=None)

    return build


def meta_figures(tv_name: str) -> Published:
    """Published figures of a torchvision model from its IMAGENET1K_V1 weights metadata (no download)."""
    from torchvision.models import get_model_weights

    weights = get_model_weights(tv_name).IMAGENET1K_V1
    meta = weights.meta
    return Published(
        top1=meta["_metrics"]["ImageNet-1K"]["acc@1"], params=meta["num_params"], macs=meta["_ops"] * 1e9,
        source=f"torchvision {type(weights).__name__}.IMAGENET1K_V1 metadata (num_params, _ops, acc@1)",
        params_unit=1, macs_unit=1e6, note=CONVENTION)


def _published(target):
    def table():
        if isinstance(target, str):
            return {options_key({}): meta_figures(target)}
        return {options_key({"width": w}): meta_figures(name) for w, name in target.items()}

    return table


for _name, (_label, _paper, _target) in _ENTRIES.items():
    _options = {} if isinstance(_target, str) else {"width": tuple(_target)}
    register(_name, label=_label, origin="torchvision", input_size=(3, 224, 224), builder=_builder(_target),
             published=_published(_target), paper=_paper, options=_options,
             defaults={} if isinstance(_target, str) else {"width": 1.0}, figures_convention=CONVENTION,
             weights=WEIGHTS.get(_name))
