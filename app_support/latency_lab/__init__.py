"""The Latency Lab's view helpers: the timing runs and their tables and verdicts, per-layer time and memory,
re-parameterisation timings, uploaded ONNX files, the guideline sweep."""
