"""Speed: FLOPs are not speed. Measured CPU latency, the memory a block reads and writes, and ShuffleNet v2's
four guidelines run live.

    latency.py        measured CPU latency of a block spec or a module (effviz.latency, the old name)
    memory_access.py  the elements a block reads and writes, from its graph, checked against an aten trace
    guidelines.py     ShuffleNet v2's four guidelines as experiments: set-ups, measurements on a stated
                      convolution backend, verdicts over every step, the drift between rounds
    guideline_tables.py  the paper's Tables 1-4 (GPU and ARM speeds of every set-up), with their source
    layer_profile.py  each layer's measured time (torch.profiler, onnxruntime's trace): layer_times
    liveness.py       predicted peak activation memory, liveness over the traced graph: peak_memory
    memory_measure.py the real peak, measured in a fresh process, to check the prediction
    roofline.py       this machine's compute and memory peaks (machine_peaks) and the roofline estimate

Importing this package imports nothing; torch is imported when something is measured."""


def layer_times(model, input_size=None, threads: int = 1, **kw):
    """Each layer's measured CPU time beside its MACs: see effviz.speed.layer_profile."""
    from effviz.speed.layer_profile import layer_times as _layer_times

    return _layer_times(model, input_size, threads, **kw)


def peak_memory(model, input_size=None, schedule: str = "graph"):
    """Predicted peak activation memory (liveness over the traced graph; schedule "graph" or "eager"): see
    effviz.speed.liveness."""
    from effviz.speed.liveness import peak_memory as _peak_memory

    return _peak_memory(model, input_size, schedule)


def machine_peaks(threads: int = 1):
    """This machine's measured GMAC/s and GB/s with their spread: see effviz.speed.roofline."""
    from effviz.speed.roofline import machine_peaks as _machine_peaks

    return _machine_peaks(threads)
