"""Where the memory goes: how many MiB of activations are alive at once at the peak of one inference pass of a
zoo network (batch 1, float32, weights not counted), as predicted by liveness analysis over the network's traced
graph (effviz.speed.peak_memory: each tensor lives from the operation that makes it to the last one that reads
it; MobileNetV2's Sec. 5.1 argument).

The answer is computed, not looked up: the question waits for Need("peak_memory", "<network>@<size>") -> the
network's PeakMemory (effviz.speed.liveness.network_peak_memory, traced on the meta device: no weights, no
timing, so the same number on every machine). The reveal shows the timeline around the peak: the step where it
happens, what that step allocates, what is kept alive from earlier steps, and the steps either side. The link
opens the Latency Lab's "where the time and the memory go" section at the network (its memory tab is at 224×224).
Generating imports no torch."""
from __future__ import annotations

import functools

from effviz.exercises._common import TOLERANCE
from effviz.exercises._question import NUMBER, Link, Need, Question
from effviz.exercises._registry import register

# The zoo networks whose graph torch.fx traces on the meta device (mobilenetv4_conv_small's head BatchNorm
# refuses a 1×1 map in training mode, so it is not asked; tests/test_exercises.py traces every one listed).
NETWORKS = ("mobilenet_v1", "shufflenet_v1", "ghostnet", "efficientnet_lite0", "xception", "mobilenet_v2",
            "mobilenet_v3_large", "mobilenet_v3_small", "shufflenet_v2", "efficientnet_b0", "resnet50",
            "resnext50_32x4d", "mnasnet1_0", "fasternet_t0", "ghostnetv2_100", "repvgg_a0")
SIZES = (160, 192, 224, 256)   # input H = W; the peak grows with the map, and where it sits can move
MIB = 2 ** 20


@functools.cache
def candidates(difficulty: str):
    """(network, input size), the same at every difficulty: the tolerance tightens from 5 % to 1 %."""
    return tuple((n, s) for n in NETWORKS for s in SIZES)


def subject(network: str, size: int) -> str:
    return f"{network}@{size}"


def parse_subject(text: str) -> tuple[str, int]:
    """"mobilenet_v2@224" -> ("mobilenet_v2", 224); ValueError naming the problem otherwise."""
    network, _, size = str(text).partition("@")
    if network not in NETWORKS or not size.isdigit() or not 32 <= int(size) <= 1024:
        raise ValueError(f"need: {text!r} is not '<network>@<size>' with a network of {', '.join(NETWORKS)} "
                         "and a size from 32 to 1024")
    return network, int(size)


def build(candidate, difficulty: str, rng) -> Question:
    network, size = candidate
    return Question(kind="peak_memory", difficulty=difficulty, answer_type=NUMBER, answer=None,
                    tolerance=TOLERANCE[difficulty], unit="mib",
                    values={"network": network, "size": size},
                    needs=(Need("peak_memory", subject(network, size)),),
                    link=Link("latency_lab", {"lat_layers_open": "1", "lat_layers_net": network}))


def resolve(question: Question, measured) -> Question:
    """measured: {Need("peak_memory", subject): PeakMemory}. The answer is its peak in MiB; the figures are the
    timeline around the peak (step number from 1, name, op, live bytes, bytes it allocates) and the buffers alive
    at the peak (the step that made each, bytes, whether it is the network's input), for the reveal."""
    (need,) = question.needs
    pm = measured[need]
    steps = pm.steps
    at = pm.peak_index
    peak = steps[at]
    if peak.live_bytes != pm.peak_bytes or sum(b for _, b in pm.alive_at_peak) != pm.peak_bytes:
        raise ValueError(f"the timeline does not add up to the peak of {pm.peak_bytes} bytes")
    made = {s.name for s in steps}
    alive = tuple((name, b, name not in made) for name, b in pm.alive_at_peak)   # (..., is the network's input)
    around = tuple((i + 1, s.name, s.op, s.live_bytes, s.output_bytes)
                   for i, s in enumerate(steps) if abs(i - at) <= 1)
    return question.with_answer(pm.peak_bytes / MIB, peak_bytes=pm.peak_bytes, peak_step=peak.name, peak_op=peak.op,
                                peak_index=at + 1, steps=len(steps), allocated=peak.output_bytes,
                                kept=pm.peak_bytes - peak.output_bytes, input_bytes=pm.input_bytes,
                                largest=pm.largest_tensor_bytes, around=around, alive=alive)


def predicted(network: str, size: int):
    """The PeakMemory the answer comes from (imports torch; a meta-device trace, well under a second)."""
    from effviz.speed import liveness

    return liveness.network_peak_memory(network, (3, size, size))


register("peak_memory", candidates=candidates, build=build, resolve=resolve, stratum=lambda c: c[0])
