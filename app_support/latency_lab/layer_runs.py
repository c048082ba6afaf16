"""The Latency Lab's "where the time and the memory go" results: what is measured on a click (through this
machine's one-at-a-time line, app_support.shell.latency_queue, shared by its workers on disk like every timing), what
is analytic (traced on the meta device, cached), and the roofline ranking of the zoo.

Timings are keyed by machine and threads (app_support.shell.cache's convention); analytic results by network only."""
from __future__ import annotations

import streamlit as st

from app_support.shell import latency_queue
from app_support.shell.cache import predicted_peak  # noqa: F401 - in the shell: the Exercises' answers read it too
from app_support.shell.shared_cache import shared

INPUT = (3, 224, 224)


@shared("layer_times_by_block", guard=latency_queue.turn)
def layer_times(machine: tuple, threads: int, name: str, input_size: tuple[int, int, int]):
    """effviz.speed.layer_times of zoo network `name` (random weights), in the worker's timing process."""
    from effviz.speed import layer_profile

    return latency_queue.run(layer_profile.network_layer_times, name, input_size, threads)


@shared("layer_times_onnx", guard=latency_queue.turn)
def layer_times_onnx(machine: tuple, threads: int, sha256: str, _data: bytes):
    """effviz.speed.layer_times of an uploaded ONNX file (onnxruntime's per-node trace), per file content."""
    from effviz.speed import layer_profile

    return latency_queue.run(layer_profile.layer_times, _data, None, threads)


@shared("machine_peaks", guard=latency_queue.turn)
def machine_peaks(machine: tuple, threads: int):
    """effviz.speed.roofline.measure_peaks: this machine's GMAC/s and GB/s (about 2.5 s, once per machine)."""
    from effviz.speed import roofline

    return latency_queue.run(roofline.measure_peaks, threads)


@shared("peak_measured_split", guard=latency_queue.turn)
def measured_peak(name: str, input_size: tuple[int, int, int]):
    """effviz.speed.memory_measure.measure_network: the real peak of one pass, in a fresh process (in the line:
    it runs a network, and a timing beside it would measure the contention)."""
    from effviz.speed import memory_measure

    return memory_measure.measure_network(name, input_size)


@st.cache_data(max_entries=32, show_spinner=False)
@shared("peak_memory_eager")
def predicted_peak_eager(name: str, input_size: tuple[int, int, int]):
    """effviz.speed.peak_memory(schedule="eager") of zoo network `name`: what eager PyTorch keeps alive (each
    block's inputs until it returns), beside the measured activations (analytic, on the meta device)."""
    from effviz.speed import liveness

    return liveness.network_peak_memory(name, input_size, schedule="eager")


@shared("peak_measured_onnx", guard=latency_queue.turn)
def measured_peak_onnx(sha256: str, _data: bytes):
    from effviz.speed import memory_measure

    return memory_measure.measure_onnx(_data)


@st.cache_data(max_entries=8, show_spinner=False)
def predicted_peak_onnx(sha256: str, _data: bytes):
    from effviz.speed import liveness

    return liveness.of_onnx(_data)


@st.cache_data(max_entries=32, show_spinner=False)
@shared("layer_traffic")
def traffic(name: str, input_size: tuple[int, int, int]) -> tuple[tuple[int, int], ...]:
    """(MACs, bytes) of each leaf module of zoo network `name`, on the meta device: the roofline estimate's input."""
    from effviz.speed import layer_profile

    return tuple((macs, nbytes) for _, _, _, macs, nbytes in layer_profile.network_traffic(name, input_size))


def roofline_ranking(names: list[str], peak_gmacs: float, ridge: float) -> dict[str, float]:
    """{network: roofline latency estimate (s)} at this compute peak and ridge point."""
    from effviz.speed import roofline

    return {n: roofline.estimate(traffic(n, INPUT), peak_gmacs * 1e9, ridge) for n in names}
