"""The newer efficient networks of the zoo, built by timm (timm.create_model(name, pretrained=False): no weights)
and profiled like the others. Their blocks are the Playground's newer families (partial_conv, uib, ghost_v2; the
tests check each family against timm's block), and RepVGG-A0 is registered in its deployed form: the training
form with its three branches per layer folded into one 3x3 conv by timm's `reparameterize_model`
(effviz.blocks.reparam shows the folding on one block).

Published figures, transcribed from sources one can read (each `source` says which):
  * FasterNet-T0: the authors' README (github.com/JierunChen/FasterNet, "Pre-trained Models"): 71.9 % top-1,
    3.9M params, 0.34G FLOPs (multiply-adds: the count of the timm model, 335 M, agrees).
  * MobileNetV4-Conv-S: timm's README (github.com/huggingface/pytorch-image-models, What's New, June 12, 2024):
    mobilenetv4_conv_small.e2400_r224_in1k 73.756 % top-1 at 224 (timm-trained weights: the paper's TF weights
    are unreleased); params 3.8M and GMACs 0.2 from that weight's model card (huggingface.co/timm/...).
  * GhostNetV2 1.0x: the paper's abstract (arXiv 2211.12905): 75.3 % top-1 with 167M FLOPs; the abstract gives
    no parameter count, so none is recorded.
  * RepVGG-A0 (deploy): OpenMMLab's mmpretrain model table (configs/repvgg/README.md, weights converted from the
    authors'): 72.41 % top-1, 8.31M params and 1.36 GFLOPs deployed (9.11M and 1.52 G in training form)."""
from __future__ import annotations

from effviz.networks._registry import Published, options_key, register

CONVENTION = "papers' FLOPs here are multiply-adds (MACs), as the counts of the timm models show"

# effviz name -> (label, paper, timm architecture, deployed form?, Published)
_ENTRIES = {
    "fasternet_t0": ("FasterNet-T0", "Chen et al., Run, Don't Walk: Chasing Higher FLOPS for Faster Neural Networks "
                     "(CVPR 2023)", "fasternet_t0", False,
                     Published(top1=71.9, params=3.9e6, macs=0.34e9, params_unit=1e5, macs_unit=1e7,
                               source="FasterNet README (github.com/JierunChen/FasterNet), Pre-trained Models: "
                                      "FasterNet-T0 71.9, 3.9M, 0.34G",
                               note=CONVENTION)),
    "mobilenetv4_conv_small": ("MobileNetV4-Conv-S", "Qin et al., MobileNetV4: Universal Models for the Mobile "
                               "Ecosystem (ECCV 2024)", "mobilenetv4_conv_small", False,
                               Published(top1=73.756, params=3.8e6, macs=0.2e9, params_unit=1e5, macs_unit=1e8,
                                         source="timm README (github.com/huggingface/pytorch-image-models), June "
                                                "12, 2024: mobilenetv4_conv_small.e2400_r224_in1k 73.756 at 224 "
                                                "(timm-trained); model card: Params (M) 3.8, GMACs 0.2",
                                         note="timm-trained weights; the paper's own weights are unreleased")),
    "ghostnetv2_100": ("GhostNetV2 1.0×", "Tang et al., GhostNetV2: Enhance Cheap Operation with Long-Range "
                       "Attention (NeurIPS 2022)", "ghostnetv2_100", False,
                       Published(top1=75.3, params=None, macs=167e6, macs_unit=1e6,
                                 source="GhostNetV2 abstract (arXiv 2211.12905): 75.3% top-1 with 167M FLOPs "
                                        "(no parameter count given there)",
                                 note=CONVENTION)),
    "repvgg_a0": ("RepVGG-A0 (deploy)", "Ding et al., RepVGG: Making VGG-style ConvNets Great Again (CVPR 2021)",
                  "repvgg_a0", True,
                  Published(top1=72.41, params=8.31e6, macs=1.36e9, params_unit=1e4, macs_unit=1e7,
                            source="OpenMMLab mmpretrain configs/repvgg/README.md: RepVGG-A0 72.41, "
                                   "9.11 (train) | 8.31 (deploy) M params, 1.52 (train) | 1.36 (deploy) GFLOPs",
                            note=CONVENTION)),
}


def _builder(arch: str, deploy: bool):
    def build(**options):
        import timm

        model = timm.create_model(arch, pretrained=False)
        if deploy:
            from timm.utils.model import reparameterize_model

            model = reparameterize_model(model)
        return model

    return build


def _published(pub: Published):
    def table():
        return {options_key({}): pub}

    return table


for _name, (_label, _paper, _arch, _deploy, _pub) in _ENTRIES.items():
    register(_name, label=_label, origin="timm", input_size=(3, 224, 224), builder=_builder(_arch, _deploy),
             published=_published(_pub), paper=_paper, figures_convention=CONVENTION)
