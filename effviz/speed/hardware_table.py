"""Published latencies of the zoo's networks on hardware other than this server, each with its source and its
conditions, transcribed once from the source's own text (tests/data/published_latency_excerpts.txt keeps the
lines they were read from, and tests/test_hardware_table.py checks every row against them).

    from effviz.speed import hardware_table
    hardware_table.ROWS            # Measurement(network, name_in_source, device, conditions, ms, source)
    hardware_table.devices()       # the devices, in table order
    hardware_table.ms("Raspberry Pi 4 (ncnn, 4 threads)")   # {zoo network: ms}

Sources (read through the stored copies of their repositories, at the commit named):
  * ncnn's benchmark/README.md (Tencent/ncnn @ 08c2dacbbff85d9eb592d4b9b4e5b9359091924f): benchncnn output,
    fp32, batch 1, 224x224, average over the loop in ms; ncnn's own model definitions of the same names
    ("mobilenet" is MobileNet v1, "shufflenet" ShuffleNet v1).
  * PaddleClas's docs/zh_CN/models/ImageNet1k/Mobile.md (PaddlePaddle/PaddleClas @
    206c89011f263ee2632b75f77aad3c10a4539af4): Snapdragon 855 with Paddle-Lite, batch 1, 1 and 4 threads; T4
    GPU FP32 batch 1. On that page the T4 table repeats the V100 table's numbers row for row.
Not included: ShuffleNet v2's own GPU and ARM tables (Ma et al. 2018, Table 8 and Fig. 1): no copy of them
could be read through the project's stored sources, and no number is written here from memory."""
from __future__ import annotations

from dataclasses import dataclass

NCNN = ("ncnn benchmark/README.md", "https://github.com/Tencent/ncnn/blob/"
        "08c2dacbbff85d9eb592d4b9b4e5b9359091924f/benchmark/README.md")
PADDLECLAS = ("PaddleClas Mobile.md", "https://github.com/PaddlePaddle/PaddleClas/blob/"
              "206c89011f263ee2632b75f77aad3c10a4539af4/docs/zh_CN/models/ImageNet1k/Mobile.md")


@dataclass(frozen=True)
class Measurement:
    network: str            # the zoo's name (effviz.networks)
    name_in_source: str     # as the source spells it
    device: str
    conditions: str
    ms: float
    source: tuple[str, str]  # (title, address)


PI4 = "Raspberry Pi 4 (ncnn, 4 threads)"
PI4_CONDITIONS = "Broadcom BCM2711B0, Cortex-A72 1.5 GHz x 4; benchncnn 8 4 0: 4 threads, fp32, avg of 8 runs"
RYZEN = "Threadripper 3970X (ncnn, 1 thread)"
RYZEN_CONDITIONS = "AMD Ryzen Threadripper 3970X (Zen2 3.7-4.5 GHz); benchncnn 10 1 0 -1 0: 1 thread, fp32, avg of 10"
SD855_1 = "Snapdragon 855 (Paddle-Lite, 1 thread)"
SD855_4 = "Snapdragon 855 (Paddle-Lite, 4 threads)"
SD855_CONDITIONS = "SD855 time(ms), bs=1, thread={threads}; 224x224"
T4 = "NVIDIA T4 (Paddle, FP32)"
T4_CONDITIONS = "FP32, batch size 1, crop 224 (the page's T4 table repeats its V100 table's numbers)"


def _rows() -> tuple[Measurement, ...]:
    rows: list[Measurement] = []
    ncnn = {PI4: (PI4_CONDITIONS, {"mobilenet": 86.01, "mobilenet_v2": 75.84, "shufflenet": 37.98,
                                   "shufflenet_v2": 33.38, "mnasnet": 64.64, "resnet50": 486.97}),
            RYZEN: (RYZEN_CONDITIONS, {"mobilenet": 21.68, "mobilenet_v2": 14.82, "shufflenet": 14.12,
                                       "shufflenet_v2": 26.06, "mnasnet": 14.14, "efficientnet_b0": 22.93,
                                       "resnet50": 128.21})}
    zoo_of_ncnn = {"mobilenet": "mobilenet_v1", "mobilenet_v2": "mobilenet_v2", "shufflenet": "shufflenet_v1",
                   "shufflenet_v2": "shufflenet_v2", "mnasnet": "mnasnet1_0", "efficientnet_b0": "efficientnet_b0",
                   "resnet50": "resnet50"}
    for device, (conditions, values) in ncnn.items():
        rows += [Measurement(zoo_of_ncnn[n], n, device, conditions, ms, NCNN) for n, ms in values.items()]
    zoo_of_paddle = {"MobileNetV1": "mobilenet_v1", "MobileNetV2": "mobilenet_v2",
                     "MobileNetV3_large_x1_0": "mobilenet_v3_large", "MobileNetV3_small_x1_0": "mobilenet_v3_small",
                     "ShuffleNetV2": "shufflenet_v2", "ShuffleNetV2_x1_0": "shufflenet_v2", "GhostNet_x1_0": "ghostnet"}
    sd855 = {"MobileNetV1": (30.24, 10.30), "MobileNetV2": (20.74, 8.10), "MobileNetV3_large_x1_0": (16.55, 6.84),
             "MobileNetV3_small_x1_0": (5.63, 2.60), "ShuffleNetV2": (9.72, 4.13), "GhostNet_x1_0": (12.89, 6.72)}
    for n, (one, four) in sd855.items():
        rows.append(Measurement(zoo_of_paddle[n], n, SD855_1, SD855_CONDITIONS.format(threads=1), one, PADDLECLAS))
        rows.append(Measurement(zoo_of_paddle[n], n, SD855_4, SD855_CONDITIONS.format(threads=4), four, PADDLECLAS))
    t4 = {"MobileNetV1": 0.64, "MobileNetV2": 1.02, "MobileNetV3_large_x1_0": 1.37, "MobileNetV3_small_x1_0": 1.03,
          "ShuffleNetV2_x1_0": 1.05, "GhostNet_x1_0": 1.69}
    for n, ms in t4.items():
        rows.append(Measurement(zoo_of_paddle[n], n, T4, T4_CONDITIONS, ms, PADDLECLAS))
    return tuple(rows)


ROWS = _rows()


def devices() -> list[str]:
    return list(dict.fromkeys(r.device for r in ROWS))


def ms(device: str) -> dict[str, float]:
    """{zoo network: published ms} on `device`; ValueError for a device not in the table."""
    found = {r.network: r.ms for r in ROWS if r.device == device}
    if not found:
        raise ValueError(f"no published latencies for {device!r}; devices: {', '.join(devices())}")
    return found


def conditions(device: str) -> tuple[str, tuple[str, str]]:
    """(conditions, source) of `device`'s rows."""
    row = next((r for r in ROWS if r.device == device), None)
    if row is None:
        raise ValueError(f"no published latencies for {device!r}; devices: {', '.join(devices())}")
    return row.conditions, row.source
