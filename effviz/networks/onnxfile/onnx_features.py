"""Feature maps of a photo at the nodes of an ONNX file, with the file's own (trained) weights, via onnxruntime.

    net = OnnxNetwork(data, name="my_model.onnx")     # checked by effviz.networks.onnxfile.reading first
    net.layers()                                       # the maps worth a look, in execution order
    net.maps(x)                                        # {layer: [C, H, W]} for one preprocessed image x

What a "layer" is: where the exporter recorded module paths (torch.onnx's exporters), the output of each module
at the depths effviz.redundancy.features.layers offers for a torch model ("layer1", "layer1.0", "features.stage3.1",
...), i.e. the last tensor a module computes that is read outside it; without module paths, the output of each node
whose result is a stack of maps (1, C, H, W) with C > 1 and H x W > 1, by node name. Those tensors are added to
the model's outputs and one onnxruntime session (CPU) returns them all in one run; nothing else is changed.
effviz.redundancy.features dispatches to this class, so the Feature Redundancy page treats an ONNX file like its
networks."""
from __future__ import annotations

import re

from effviz.networks.onnxfile.reading import FLOAT_TYPES, Graph, read
from effviz.problems import Problem

# as effviz.redundancy.features
_SKIP = re.compile(r"(^|\.)(fc|classifier|avgpool|flatten|dropout|head_pool|pool|global_pool)$")


def _activations(graph: Graph) -> set[str]:
    dynamic = {graph.input_name}
    for node in graph.nodes:
        if node.op_type not in ("Shape", "Size") and any(i in dynamic for i in node.inputs if i):
            dynamic.update(o for o in node.outputs if o)
    return dynamic


def _is_map(graph: Graph, tensor: str) -> bool:
    shape = graph.shapes.get(tensor)
    return (shape is not None and len(shape) == 4 and all(d is not None for d in shape) and shape[0] == 1
            and shape[1] > 1 and shape[2] * shape[3] > 1 and graph.dtypes.get(tensor, 1) in FLOAT_TYPES)


def candidates(graph: Graph, max_depth: int = 2) -> dict[str, str]:
    """{layer name: tensor name} of the maps worth a look, in execution order."""
    dynamic = _activations(graph)
    out: dict[str, str] = {}
    if any(n.scopes for n in graph.nodes):
        inside: dict[str, list[int]] = {}
        for node in graph.nodes:
            for path in node.scopes or ():
                if path:
                    inside.setdefault(path, []).append(node.index)
        readers: dict[str, set[int]] = {}
        for node in graph.nodes:
            for name in node.inputs:
                readers.setdefault(name, set()).add(node.index)
        outputs = set(graph.outputs)
        found = []
        for path, members in inside.items():
            depth = (path[len("features."):] if path.startswith("features.") else path).count(".")
            expand = path.endswith(".expand") and depth == max_depth     # an MBConv's widest maps
            if path == "features" or (depth >= max_depth and not expand) or _SKIP.search(path):
                continue
            mine = set(members)
            last = None
            for i in members:
                for o in graph.nodes[i].outputs:
                    if o in dynamic and (o in outputs or any(r not in mine for r in readers.get(o, ()))):
                        last = (i, o)
            if last is not None and _is_map(graph, last[1]):
                found.append((members[0], path, last[1]))
        for _, path, tensor in sorted(found, key=lambda f: (f[0], f[1].count("."))):  # pre-order: parents first
            out.setdefault(path, tensor)
        return out
    for node in graph.nodes:
        for o in node.outputs[:1]:
            if o in dynamic and _is_map(graph, o):
                out[node.name] = o
    return out


class OnnxNetwork:
    """An ONNX file's intermediate maps, read with onnxruntime (see the module docstring)."""

    is_onnx = True

    def __init__(self, data: bytes, name: str = "ONNX model", threads: int = 1):
        import onnx
        import onnxruntime as ort

        self.name = name
        self.graph = read(data)
        g = self.graph
        if len(g.input_shape) != 4 or g.input_shape[1] != 3 or g.input_shape[0] != 1:
            raise Problem("onnx_features_input", name=g.input_name, shape="×".join(map(str, g.input_shape)))
        self.input_hw = (g.input_shape[2], g.input_shape[3])
        self._layers = candidates(g)
        if not self._layers:
            raise Problem("onnx_features_none")
        model = onnx.ModelProto.FromString(data)
        present = {o.name for o in model.graph.output}
        for tensor in dict.fromkeys(self._layers.values()):
            if tensor not in present:
                model.graph.output.append(onnx.helper.make_tensor_value_info(tensor, g.dtypes.get(tensor, 1),
                                                                             None))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(model.SerializeToString(), sess_options=options,
                                                providers=["CPUExecutionProvider"])
        except Exception as err:  # noqa: BLE001 - onnxruntime's own exception types
            text = str(err).strip().splitlines()
            raise Problem("onnx_ort_load", detail=text[0][:300] if text else repr(err)) from None
        self.first_output = g.outputs[0] if g.outputs else None

    def layers(self) -> list[str]:
        return list(self._layers)

    def shapes(self, names) -> list[tuple[str, int, int, int]]:
        """(name, C, H, W) of each named layer (the file's own input size)."""
        return [(n, *self.graph.shapes[self._layers[n]][1:]) for n in names if n in self._layers]

    def run(self, x) -> dict[str, object]:
        """{tensor name: numpy array} of one run on x [1, 3, H, W] (numpy float32)."""
        import numpy as np

        x = np.ascontiguousarray(x, dtype=np.float32)
        if x.shape != (1, 3, *self.input_hw):
            raise ValueError(f"image: expected a 1×3×{self.input_hw[0]}×{self.input_hw[1]} input, got "
                             f"{'×'.join(map(str, x.shape))}")
        names = [o.name for o in self.session.get_outputs()]
        try:
            values = self.session.run(names, {self.graph.input_name: x})
        except Exception as err:  # noqa: BLE001
            text = str(err).strip().splitlines()
            raise Problem("onnx_ort_run", detail=text[0][:300] if text else repr(err)) from None
        return dict(zip(names, values, strict=True))

    def maps(self, x, layers=None) -> dict[str, object]:
        """{layer: [C, H, W] float32 numpy} for x [1, 3, H, W]."""
        out = self.run(x)
        wanted = self.layers() if layers is None else list(layers)
        unknown = [n for n in wanted if n not in self._layers]
        if unknown:
            raise ValueError(f"layer: {', '.join(map(repr, unknown))} is not a map of this ONNX file; e.g. "
                             f"{', '.join(self.layers()[:8])}")
        return {n: out[self._layers[n]][0] for n in wanted}

    def logits(self, x):
        """The model's first output for x, flattened, where it is one vector per image; else None."""
        if self.first_output is None:
            return None
        value = self.run(x).get(self.first_output)
        if value is None or value.ndim != 2 or value.shape[0] != 1:
            return None
        return value[0]


def load(data: bytes, name: str = "ONNX model"):
    """(OnnxNetwork, effviz.networks.pretrained.WeightsInfo) for the Feature Redundancy page: the file's own
    weights (whether trained, only the file knows), ImageNet's mean and std (what most exported image models
    expect), the photo's short side resized in torchvision's 256:224 proportion to the file's input size.
    ValueError if refused."""
    import hashlib

    from effviz.networks.pretrained import IMAGENET_MEAN, IMAGENET_STD, WeightsInfo

    net = OnnxNetwork(data, name)
    digest = hashlib.sha256(data).hexdigest()
    h = net.input_hw[0]
    info = WeightsInfo("onnx", "file", f"{name} (sha256 {digest[:12]}…)", "onnx",
                       f"{name}: weights read from the ONNX file, run by onnxruntime", "onnx/file", f"onnx-{digest}",
                       resize=max(256, round(h * 256 / 224)), mean=IMAGENET_MEAN, std=IMAGENET_STD)
    return net, info
