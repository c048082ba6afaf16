"""Every timm architecture as a network of the zoo's kind, resolved on first use: "timm/<name>".

    networks.info("timm/mobilenetv3_large_100")     # a NetworkInfo made on demand (not in networks.names())
    model, device = networks.build_meta("timm/ghostnetv3_100")   # no weights: meta device, CPU where needed

timm (PyPI: timm) registers about 1,370 architectures; importing it takes seconds, so nothing here imports it
until a "timm/..." name is asked for, and the zoo's registry is not filled with them. Each is built with
timm.create_model(name, pretrained=False): no weights are downloaded or loaded. The default input size is the
one timm's pretrained config gives (its `input_size`); architectures whose config says `fixed_input_size` (most
vision transformers) take only that size.

Published accuracy: none. The installed timm package ships no results tables (its results/*.csv files live in
the repository, not in the wheel) and its pretrained configs carry no accuracy, so there is no source to cite."""
from __future__ import annotations

from functools import cache, lru_cache

from effviz.networks._registry import NetworkInfo
from effviz.problems import Problem

PREFIX = "timm/"


def is_timm(name: str) -> bool:
    return isinstance(name, str) and name.startswith(PREFIX)


@cache
def architectures() -> tuple[str, ...]:
    """timm.list_models(): every architecture name of the installed timm, sorted."""
    import timm

    return tuple(timm.list_models())


def version() -> str:
    import timm

    return timm.__version__


def _config(arch: str):
    from timm.models import get_pretrained_cfg

    try:
        return get_pretrained_cfg(arch)
    except Exception:  # noqa: BLE001 - an architecture without a pretrained config
        return None


def _builder(arch: str):
    def build(**options):
        import timm

        return timm.create_model(arch, pretrained=False)

    return build


@lru_cache(maxsize=512)
def info(name: str) -> NetworkInfo:
    """The NetworkInfo of "timm/<arch>"; ValueError for an architecture timm does not have."""
    arch = name[len(PREFIX):] if is_timm(name) else name
    known = architectures()
    if arch not in set(known):
        close = [a for a in known if arch and arch.lower() in a][:5]
        if close:
            raise Problem("timm_unknown_similar", arch=arch, version=version(), count=len(known),
                          similar=", ".join(close))
        raise Problem("timm_unknown", arch=arch, version=version(), count=len(known))
    cfg = _config(arch)
    size = tuple(int(v) for v in cfg.input_size) if cfg is not None and cfg.input_size else (3, 224, 224)
    paper = (cfg.paper_name or "") if cfg is not None else ""
    return NetworkInfo(PREFIX + arch, arch, "timm", size, {}, {}, paper, _builder(arch), dict,
                       "timm " + version())


def fixed_input_size(name: str) -> bool:
    """Whether timm's config says the architecture takes only its default input size."""
    cfg = _config(name[len(PREFIX):] if is_timm(name) else name)
    return bool(cfg is not None and cfg.fixed_input_size)


def search(query: str, limit: int = 50) -> list[str]:
    """Architecture names containing every word of `query` (case-insensitive), shortest first."""
    words = str(query).lower().split()
    hits = [a for a in architectures() if all(w in a.lower() for w in words)]
    return sorted(hits, key=lambda a: (len(a), a))[:limit]


TIME_LIMIT_S = 60.0     # building and one forward pass on the meta device. bench/sweep_timm.py (timm 1.0.31):
#                         all 1,371 architectures within it, median 0.9 s; the slowest re-timed at load ~6 on
#                         2 cores: sequencer2d_m 25 s (LSTMs), caformer_m36 3 s, the rest of the ten under 3 s


def profile(name: str, resolution: int | None = None, time_limit: float | None = TIME_LIMIT_S):
    """effviz.profile of a timm architecture built without weights (networks.build_meta) on a 3 x r x r input
    (r: timm's default when None). ValueError, never another exception, names why a network cannot be shown:
    unknown, a fixed input size, over the time limit, or failing to build or trace here."""
    import effviz
    from effviz import networks

    entry = info(name)
    r = entry.input_size[1] if resolution is None else int(resolution)
    if r != entry.input_size[1] and fixed_input_size(name):
        raise Problem("timm_fixed_size", network=entry.label, height=entry.input_size[1],
                      width=entry.input_size[2], size=r)
    size = (entry.input_size[0], r, r if r != entry.input_size[1] else entry.input_size[2])
    import time

    start = time.monotonic()
    try:
        model, _ = networks.build_meta(name)
        left = None if time_limit is None else time_limit - (time.monotonic() - start)  # building counts too
        if left is not None and left <= 0:
            raise TimeoutError
        return effviz.profile(model, size, time_limit=left)
    except TimeoutError:
        raise Problem("timm_time_limit", network=entry.label, limit=time_limit) from None
    except ValueError:
        raise
    except Exception as err:  # noqa: BLE001 - any architecture-specific failure becomes a message
        first = str(err).strip().splitlines()[0][:200] if str(err).strip() else ""
        raise Problem("timm_build_failed", network=entry.label, kind=type(err).__name__, detail=first) from None
