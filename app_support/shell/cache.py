"""Every Streamlit cache wrapper of the app, in one place (pages never cache on their own).

st.cache_resource: models, loaded once per process, in eval mode, never mutated afterwards.
st.cache_data(max_entries=...): tables and arrays, bounded so a busy server cannot grow without limit.
@shared(name) under st.cache_data: results that are expensive to compute (the zoo, profiles, timings, Ghost
sweeps) also go to the disk cache that every worker process of the machine shares (app_support.shell.shared_cache)."""
from __future__ import annotations

import functools
import os

import streamlit as st

from app_support.shell import latency_queue
from app_support.shell.shared_cache import shared

# --- Conv Playground --------------------------------------------------------------------------------------


@st.cache_data(max_entries=512, show_spinner=False)
def measured_cost(family: str, params: tuple[tuple[str, object], ...], h: int, w: int) -> tuple[int, int]:
    """(params, MACs) counted by torch's FlopCounterMode on the block built on the meta device (no weights
    allocated). torch is imported here, only when a user asks for the check."""
    import torch

    import effviz
    from effviz import blocks

    spec = blocks.make(family, **dict(params))
    with torch.device("meta"):
        module = spec.build()
    cost = effviz.count(module, (spec.c_in, h, w))
    return cost.params, cost.macs


# --- Channel Shuffle --------------------------------------------------------------------------------------


@st.cache_data(max_entries=256, show_spinner=False)
@shared("shuffle_stack")
def shuffle_stack(channels: int, groups: int, layers: int, shuffle: bool):
    """effviz.shuffle.connectivity.stack: a group-conv stack measured module by module (torch imported on first use)."""
    from effviz.shuffle import connectivity

    return connectivity.stack(channels, groups, layers, shuffle)


@st.cache_data(max_entries=64, show_spinner=False)
@shared("shuffle_unit")
def shuffle_unit(family: str, units: int, shuffle: bool, params: tuple[tuple[str, object], ...]):
    """effviz.shuffle.connectivity.unit: the channel connectivity of `units` ShuffleNet units in a row."""
    from effviz.shuffle import connectivity

    return connectivity.unit(family, units=units, shuffle=shuffle, **dict(params))


# --- Feature Redundancy -----------------------------------------------------------------------------------
# Models are shared by every session of the process: loaded once, eval mode, gradients off, never mutated
# (features.Extractor traces a structural copy, so not even the train/eval flag is touched). Arrays are cached
# per (image fingerprint, weights key, layer, settings); the leading-underscore arguments are the objects
# those keys stand for and are not hashed. The layers, maps, predictions and similarities of a photo are also
# shared by the machine's workers on disk (the weights key names the network and its weights; untrained ones
# are seeded): a class opening the page on two workers computes them once.


@st.cache_resource(max_entries=6, show_spinner=False)
def redundancy_model(network: str, weights: str):
    """(model, WeightsInfo) from effviz.redundancy.weights.load without downloading (the page downloads first, with a
    progress bar). ImageNet ResNet-50 falls back to EfficientNet-Lite0 offline; info says so."""
    from effviz.redundancy import weights as effviz_weights

    return effviz_weights.load(network, weights, download=False)


@st.cache_resource(show_spinner=False)
def download_failures() -> dict[str, float]:
    """Process-wide record: weights URL -> time of its last failed download. On a server without a network
    (a classroom, a locked-down host) a new session must not wait for the same download to fail again."""
    return {}


@st.cache_resource(max_entries=2, show_spinner=False)
def redundancy_upload_model(network: str, sha256: str, _data: bytes):
    """A user's weights file, checked and loaded once per file content (at most two kept in memory)."""
    from effviz.redundancy import weights as effviz_weights

    return effviz_weights.load(network, file=_data)


@st.cache_resource(max_entries=2, show_spinner=False)
def redundancy_onnx_model(sha256: str, name: str, _data: bytes):
    """An uploaded ONNX file as (effviz.networks.onnxfile.onnx_features.OnnxNetwork, WeightsInfo): checked, then one
    onnxruntime session per file content (at most two kept); ValueError (not cached) for a refused file."""
    from effviz.networks.onnxfile import onnx_features

    return onnx_features.load(_data, name)


@st.cache_resource(max_entries=16, show_spinner=False)
def redundancy_extractor(weights_key: str, layer: str, _model):
    from effviz.redundancy import features

    return features.extractor(_model, layer)


@st.cache_data(max_entries=8, show_spinner=False)
@shared("redundancy_layers")
def redundancy_layers(weights_key: str, _model) -> list:
    """[LayerShape] of the layers a user can pick, at 224 x 224: stages, blocks and every convolution (the
    Atlas view opens any convolution in the single-layer views)."""
    from effviz.redundancy import features

    return features.shapes_of(_model, features.layers(_model, convs=True))


@st.cache_resource(max_entries=16, show_spinner=False)
def sample_image(name: str) -> tuple:
    """A bundled photo decoded once per process, and its fingerprint: (image, key). Shared by every session:
    read only (decoding and hashing it was a tenth of a Feature Redundancy rerun)."""
    from effviz.redundancy import images

    img = images.load_sample(name)
    return img, images.fingerprint(img)


@st.cache_resource(max_entries=16, show_spinner=False)
def shown_image(image_key: str, resize: int, _image) -> bytes:
    """The photo as the network sees it (short side to `resize`, centre crop) as JPEG bytes, made once per image
    and size instead of resized and encoded again on every rerun. JPEG at quality 90 is what st.image sends a
    photo as: shown with output_format="JPEG", Streamlit passes these bytes on as they are (given PNG bytes, it
    re-encoded them to JPEG on every rerun)."""
    import io

    from effviz.redundancy import images

    out = io.BytesIO()
    images.resize_crop(_image, resize).convert("RGB").save(out, format="JPEG", quality=90)
    return out.getvalue()


@st.cache_data(max_entries=16, show_spinner=False)
def redundancy_image(sha256: str, _data: bytes):
    """An upload decoded safely (ValueError, not cached, for a bad file)."""
    from effviz.redundancy import images

    return images.load(_data)


@st.cache_data(max_entries=32, show_spinner=False)
@shared("redundancy_features")
def redundancy_features(image_key: str, weights_key: str, layer: str, _image, _model, _info):
    """Feature maps [C, H, W] (numpy float32) of one image at one layer."""
    from effviz.redundancy import features

    ex = redundancy_extractor(weights_key, layer, _model)
    return features.extract(ex, _image, layer, info=_info).numpy()


@st.cache_data(max_entries=32, show_spinner=False)
@shared("redundancy_predictions")
def redundancy_predictions(image_key: str, weights_key: str, _image, _model, _info) -> list[tuple[str, float]]:
    """Top-5 ImageNet classes (name, probability)."""
    from effviz.redundancy import features
    from effviz.redundancy import weights as effviz_weights

    names = effviz_weights.categories()
    return [(names[i], p) for i, p in features.predict(_model, _image, _info, k=5)]


@st.cache_data(max_entries=16, show_spinner=False)
@shared("redundancy_similarity")
def redundancy_similarity(image_key: str, weights_key: str, layer: str, metric: str, _fmap) -> dict:
    """Similarity matrix, clustering order and nearest neighbours of one layer's maps."""
    from effviz.redundancy import similarity

    sim = similarity.matrix(_fmap, metric)
    nn_index, nn_value = similarity.nearest(sim) if sim.shape[0] > 1 else (sim[0].astype(int), sim[0])
    return {"sim": sim, "order": similarity.order(sim), "nn_index": nn_index, "nn_value": nn_value}


@st.cache_data(max_entries=16, show_spinner=False)
def redundancy_reconstruction(image_key: str, weights_key: str, layer: str, ratio: int, dw_kernel: int,
                              choice: str, _fmap):
    from effviz.redundancy import reconstruction as ghost

    return ghost.reconstruct(_fmap, ratio, dw_kernel, choice)


@st.cache_data(max_entries=16, show_spinner=False)
@shared("redundancy_sweep")
def redundancy_sweep(image_key: str, weights_key: str, layer: str, choice: str, _fmap) -> list:
    """Ghost reconstruction error for every s in {2, 3, 4} and d in {1, 3, 5, 7}."""
    from effviz.redundancy import reconstruction as ghost

    return ghost.sweep(_fmap, choice=choice)


@st.cache_data(max_entries=16, show_spinner=False)
@shared("redundancy_atlas")
def redundancy_atlas(image_key: str, weights_key: str, ratio: int, dw_kernel: int, _image, _model, _info,
                     _progress=None):
    """effviz.redundancy.atlas.redundancy_atlas: every convolution of the network on one photo at (s, d), cached per
    (photo, weights, s, d) and shared by the machine's workers on disk; the weights key names the network too
    (untrained weights are seeded, so every worker has the same ones). _progress(done, total) is called while it
    computes (never on a cache hit). The result is a frozen dataclass of numbers (a few kB, picklable)."""
    from effviz.redundancy import atlas

    return atlas.redundancy_atlas(_model, _image, ratio, dw_kernel, info=_info, progress=_progress)


@st.cache_data(max_entries=4, show_spinner=False)
@shared("redundancy_convs")
def redundancy_convs(image_key: str, weights_key: str, _image, _model, _info) -> tuple:
    """effviz.redundancy.atlas.conv_redundancy: every convolution's share of near-copies and mean nearest-neighbour
    similarity on one photo (one forward pass, no reconstruction), shared by the machine's workers on disk.
    The Exercises page answers its Feature Redundancy questions from it."""
    from effviz.redundancy import atlas

    return atlas.conv_redundancy(_model, _image, info=_info)


# --- Latency Lab ------------------------------------------------------------------------------------------
# A timing belongs to a machine and a thread count: every key starts with `machine` (effviz.speed.latency.machine()
# .key(): CPU model, architecture, os.cpu_count(), torch's default threads, torch version) and `threads`.
# Timings are shared by the machine's workers on disk, measured one at a time per machine in a separate
# low-priority process (app_support.shell.latency_queue; a waiting session is told its place through
# latency_queue.waiting). They are not also in st.cache_data: a session that waits in line must update its page,
# which code inside a st.cache_data function may not do, and a disk hit costs about a millisecond.


@st.cache_resource(show_spinner=False)
def latency_machine() -> tuple:
    """effviz.speed.latency.machine().key() of the process that times (the worker's timing process): asking there
    keeps torch's import (seconds, holding the interpreter lock) out of the worker, whose other sessions would
    wait for it."""
    from effviz.speed import latency

    return latency_queue.run(latency.machine).key()


@shared("latency_block", guard=latency_queue.turn)
def latency_block(machine: tuple, threads: int, family: str, params: tuple[tuple[str, object], ...], h: int,
                  w: int, timing: tuple[float, int, int]):
    """effviz.speed.latency.measure of one block spec on a (c_in, h, w) input; timing = (min_run_time, warmup,
    min_repeats)."""
    from effviz import blocks
    from effviz.speed import latency

    spec = blocks.make(family, **dict(params))
    min_run_time, warmup, min_repeats = timing
    return latency_queue.run(latency.measure, spec, (spec.c_in, h, w), threads=threads, min_run_time=min_run_time,
                             warmup=warmup, min_repeats=min_repeats)


@shared("latency_guideline", guard=latency_queue.turn)
def latency_guideline(machine: tuple, threads: int, name: str, sizes: tuple[int, int, int], index: int,
                      round_: int, min_run_time: float, warmup: int, backend: str | None = None):
    """One round's timing of set-up `index` of a guideline experiment on convolution `backend` (rounds are
    interleaved by the page and pooled with effviz.speed.latency.combine; `round_` keeps each round its own cache
    entry)."""
    from effviz.speed import guidelines

    setup = guidelines.setups(name, guidelines.Sizes(*sizes))[index]
    return latency_queue.run(guidelines.measure_setup, setup, threads=threads, backend=backend,
                             min_run_time=min_run_time, warmup=warmup, min_repeats=3)


@shared("latency_network", guard=latency_queue.turn)
def latency_network(machine: tuple, threads: int, name: str, input_size: tuple[int, int, int],
                    timing: tuple[float, int, int]):
    """(MACs counted by torch's FLOP counter, measured latency) of a zoo network, batch 1, random weights."""
    from effviz.speed import latency

    min_run_time, warmup, min_repeats = timing
    return latency_queue.run(latency.measure_network, name, input_size, threads=threads,
                             min_run_time=min_run_time, warmup=warmup, min_repeats=min_repeats)


@shared("latency_onnx", guard=latency_queue.turn)
def latency_onnx(machine: tuple, threads: int, sha256: str, _data: bytes, input_size: tuple[int, ...] | None,
                 timing: tuple[float, int, int]):
    """effviz.speed.onnx_timing.measure of an uploaded ONNX file (onnxruntime, CPU), per file content, threads
    and input size, in the machine's line like every timing; a file onnxruntime cannot load or run raises ValueError
    (not cached)."""
    from effviz.speed import onnx_timing

    min_run_time, warmup, min_repeats = timing
    return latency_queue.run(onnx_timing.measure, _data, threads=threads, input_size=input_size,
                             min_run_time=min_run_time, warmup=warmup, min_repeats=min_repeats)


@st.cache_data(max_entries=32, show_spinner=False)
@shared("peak_memory")
def predicted_peak(name: str, input_size: tuple[int, int, int]):
    """effviz.speed.peak_memory of zoo network `name`, traced on the meta device (analytic, no timing).
    The Latency Lab's memory tab and the Exercises' peak-memory answers."""
    from effviz.speed import liveness

    return liveness.network_peak_memory(name, input_size)


# --- Network Explorer -------------------------------------------------------------------------------------
# Networks are built on the meta device (no weights allocated) and profiled by torch's FLOP counter; results are
# plain picklable dataclasses, cached per (network, options, resolution).


@st.cache_data(max_entries=128, show_spinner=False)
@shared("network_profile")
def network_profile(name: str, options: tuple[tuple[str, object], ...], resolution: int):
    """effviz.profile of networks.build(name, **options) on a 3 x resolution x resolution input. Any timm
    architecture ("timm/<name>") goes through effviz.networks.timm_models.profile: a time limit, and a
    ValueError (not cached) for one that cannot be shown."""
    import effviz
    from effviz import networks
    from effviz.networks import timm_models

    if timm_models.is_timm(name):
        return timm_models.profile(name, resolution)
    model, _ = networks.build_meta(name, **dict(options))
    return effviz.profile(model, (3, resolution, resolution))


@st.cache_data(max_entries=32, show_spinner=False)
@shared("network_resolution_sweep")
def network_resolution_sweep(name: str, options: tuple[tuple[str, object], ...], resolutions: tuple[int, ...]):
    """[(r, params, MACs)] of the network at each resolution (effviz.networks.profiling.resolution_sweep, meta device);
    a timm architecture with a fixed input size has only its own."""
    from effviz import networks
    from effviz.networks import timm_models
    from effviz.networks.profiling import resolution_sweep

    if timm_models.is_timm(name) and timm_models.fixed_input_size(name):
        resolutions = (networks.info(name).input_size[1],)
    model, _ = networks.build_meta(name, **dict(options))
    return resolution_sweep(model, resolutions)


@st.cache_resource(show_spinner=False)
def timm_architectures() -> tuple[str, ...]:
    """timm.list_models(), once per process (importing timm takes seconds)."""
    from effviz.networks import timm_models

    return timm_models.architectures()


@st.cache_data(max_entries=8, show_spinner=False)
def onnx_profile(sha256: str, _data: bytes, input_size: tuple[int, ...] | None):
    """effviz.profile_onnx of an uploaded file, per file content and input size, in a child process
    (effviz.networks.onnxfile.isolated: a file that crashes the onnx package or takes over a minute costs that child,
    not the server). A refused file raises ValueError, which is not cached."""
    from effviz.networks.onnxfile import isolated

    return isolated.profile_onnx(_data, input_size)


@st.cache_data(max_entries=1, show_spinner=False)
@shared("network_zoo")
def network_zoo():
    """effviz.networks.zoo.zoo(): every variant with a published top-1, counted once per machine."""
    from effviz.networks.zoo import zoo

    return zoo()


# --- Re-parameterisation (Playground section, Latency Lab section) --------------------------------------------


@st.cache_data(max_entries=32, show_spinner=False)
def reparam_comparison(fields: tuple[tuple[str, int], ...], h: int, w: int):
    """effviz.blocks.reparam.compare of one RepVGG block (random weights, seed 0) as plain values: max abs / rel
    difference, the two Costs, and each branch's folded kernel and bias for output channel 0, input channel 0."""
    from effviz.blocks import reparam

    spec = reparam.RepSpec(**dict(fields))
    c = reparam.compare(spec.build(0), (spec.c_in, h, w))
    branches = tuple((b.name, b.kernel[0, 0].tolist(), float(b.bias[0])) for b in c.folding.branches)
    return (c.max_abs, c.max_rel, (c.train.params, c.train.macs), (c.deploy.params, c.deploy.macs), branches,
            c.folding.kernel[0, 0].tolist(), float(c.folding.bias[0]))


@shared("latency_reparam_block", guard=latency_queue.turn)
def latency_reparam_block(machine: tuple, threads: int, fields: tuple[tuple[str, int], ...], h: int, w: int,
                          timing: tuple[float, int, int]):
    """(training-form latency, folded latency) of one RepVGG block, measured in the same call."""
    from effviz.blocks import reparam
    from effviz.speed import reparam_timing

    spec = reparam.RepSpec(**dict(fields))
    min_run_time, warmup, min_repeats = timing
    return latency_queue.run(reparam_timing.measure_block_forms, spec, (spec.c_in, h, w), threads=threads,
                             min_run_time=min_run_time, warmup=warmup, min_repeats=min_repeats)


@st.cache_data(max_entries=8, show_spinner=False)
@shared("reparam_network_costs")
def reparam_network_costs(arch: str):
    """effviz.blocks.reparam.network_costs: (params, MACs) before and after timm's reparameterize_model."""
    from effviz.blocks import reparam

    train, deploy = reparam.network_costs(arch)
    return (train.params, train.macs), (deploy.params, deploy.macs)


@shared("latency_reparam_network", guard=latency_queue.turn)
def latency_reparam_network(machine: tuple, threads: int, arch: str, timing: tuple[float, int, int]):
    """(training-form latency, deployed latency) of a timm network at 224 x 224, measured in the same call."""
    from effviz.speed import reparam_timing

    min_run_time, warmup, min_repeats = timing
    return latency_queue.run(reparam_timing.measure_network_forms, arch, (3, 224, 224), threads=threads,
                             min_run_time=min_run_time, warmup=warmup, min_repeats=min_repeats)


# --- the computation log (tests and benchmarks) -----------------------------------------------------------


def _log_computations(path: str) -> None:
    """EFFVIZ_COMPUTE_LOG=<file>: every time a Streamlit-cached function of this module, app_support.shell.figures
    (built figures) or app_support.shell.export (tables) really runs (a miss: a model loaded, a value computed or read
    from the shared disk, a figure built), append "<pid> <module>.<function name>" to the file.
    tests/browser/test_first_minute.py reads it to show that a warmed worker's first sessions load and compute
    nothing again. Wraps the function each Streamlit cache wrapper calls on a miss (its function key, and so its
    cache, stay the same)."""
    import sys

    from streamlit.runtime.caching.cache_utils import CachedFunc

    from app_support.shell import export, figures

    def logged(name: str, fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, f"{os.getpid()} {name}\n".encode())  # one write: lines of processes never mix
            finally:
                os.close(fd)
            return fn(*args, **kwargs)

        return run

    for module in (sys.modules[__name__], figures, export):
        for name, value in list(vars(module).items()):
            if isinstance(value, CachedFunc):
                value._info.func = logged(f"{module.__name__.rsplit('.', 1)[-1]}.{name}", value._info.func)


if os.environ.get("EFFVIZ_COMPUTE_LOG"):
    _log_computations(os.environ["EFFVIZ_COMPUTE_LOG"])
