"""The published-latency table against the lines it was transcribed from (tests/data/published_latency_excerpts.txt,
quoted from each source), and the orderings the Latency Lab shows from it."""
from __future__ import annotations

from pathlib import Path

import pytest

from effviz import networks
from effviz.speed import hardware_table as hw

EXCERPTS = Path(__file__).parent / "data" / "published_latency_excerpts.txt"


def quoted() -> dict[str, dict[str, float]]:
    """{device: {name in source: ms}} read from the quoted lines (ncnn: avg; SD855: thread=1 / thread=4 columns;
    T4: FP32 batch 1)."""
    out: dict[str, dict[str, float]] = {}
    devices: list[str] = []
    for line in EXCERPTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            devices = [d.strip() for d in line.strip("[]").split("|")]
            for d in devices:
                out[d] = {}
        elif line.startswith("#") or not line.strip():
            continue
        elif "avg =" in line:
            name = line.split()[0]
            out[devices[0]][name] = float(line.split("avg =")[1])
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(devices) == 2:      # SD855: thread=1 is the first column, thread=4 the third
                out[devices[0]][cells[0]] = float(cells[1])
                out[devices[1]][cells[0]] = float(cells[3])
            else:                      # T4: FP32 batch size 1 is the fourth cell
                out[devices[0]][cells[0]] = float(cells[3])
    return out


def test_every_row_matches_its_quoted_source_line():
    source = quoted()
    assert set(hw.devices()) == set(source)
    for row in hw.ROWS:
        assert source[row.device][row.name_in_source] == row.ms, row
    assert sum(len(v) for v in source.values()) == len(hw.ROWS)   # nothing quoted was left out of the table


def test_rows_name_zoo_networks_and_carry_their_source():
    names = set(networks.names())
    for row in hw.ROWS:
        assert row.network in names and row.ms > 0 and row.conditions
        assert row.source[1].startswith("https://github.com/") and len(row.source[1].split("/")[6]) == 40


def test_the_ranking_depends_on_the_hardware():
    pi, ryzen = hw.ms(hw.PI4), hw.ms(hw.RYZEN)
    # ncnn: ShuffleNet v2 is faster than MobileNet v2 on the Raspberry Pi 4, slower on the Threadripper
    assert pi["shufflenet_v2"] < pi["mobilenet_v2"] and ryzen["shufflenet_v2"] > ryzen["mobilenet_v2"]
    phone, gpu = hw.ms(hw.SD855_1), hw.ms(hw.T4)
    # PaddleClas: MobileNetV3-Large faster than MobileNetV1 on the phone, slower on the T4 GPU
    assert phone["mobilenet_v3_large"] < phone["mobilenet_v1"] and gpu["mobilenet_v3_large"] > gpu["mobilenet_v1"]
    assert phone["mobilenet_v1"] / phone["mobilenet_v3_large"] == pytest.approx(30.24 / 16.55)


def test_unknown_device_is_a_clear_error():
    with pytest.raises(ValueError, match="devices: "):
        hw.ms("a toaster")
