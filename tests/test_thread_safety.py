"""One server process serves many sessions on threads: counting, profiling and the connectivity probe run at
the same time without disturbing each other (torch's FlopCounterMode installs process-global module hooks)."""
from __future__ import annotations

import threading

import numpy as np
import torch

import effviz
from effviz import blocks, networks
from effviz.shuffle import connectivity


def test_connectivity_and_profiling_in_parallel_threads():
    spec = blocks.make("shuffle_v2", c_in=24, c_out=24)
    expected = connectivity.channel_jacobian(spec.build(), 24, size=6)
    with torch.device("meta"):
        model = networks.build("mobilenet_v1", width=0.25)
    expected_macs = effviz.profile(model, (3, 96, 96)).macs
    problems: list[str] = []

    def probe() -> None:
        for _ in range(6):
            try:
                got = connectivity.channel_jacobian(spec.build(), 24, size=6)
                if not np.allclose(got, expected):
                    problems.append("connectivity changed under load")
            except Exception as err:  # noqa: BLE001 - collected and asserted below
                problems.append(f"probe: {err!r}"[:200])

    def profile() -> None:
        for _ in range(4):
            try:
                if effviz.profile(model, (3, 96, 96)).macs != expected_macs:
                    problems.append("profile total changed under load")
            except Exception as err:  # noqa: BLE001
                problems.append(f"profile: {err!r}"[:200])

    threads = [threading.Thread(target=probe) for _ in range(3)] + [threading.Thread(target=profile)
                                                                     for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not problems, problems[:3]
