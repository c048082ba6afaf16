"""Problems a user can meet (a block that cannot take these settings, a shuffle that does not fit, a file or an
upload refused, an ONNX file or a timm architecture that cannot be read, weights that do not match), as codes and
values: the app's string catalogue makes the sentence in the user's language (app_support/strings/problems.py,
`problem.<code>`), and str() stays the English message for programmers and scripts.

    try:
        blocks.make("group", c_in=64, c_out=96, groups=5)
    except Problem as p:
        p.code, p.values     # "divides", {"name": "groups", "value": 5, "channels": {...}, "valid": [1, 2, ...]}

Problem is a ValueError, so code that catches ValueError keeps working."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

# code -> the English sentence, with the values' names as placeholders ("channels" is written "c_in=64 and
# c_out=96"; lists and reprs as Python prints them).
MESSAGES: Mapping[str, str] = MappingProxyType({
    "integer": "{name} must be an integer, got {value}",
    "positive": "{name} must be a positive integer, got {value}",
    "range": "{name} must be {low}..{high}, got {value}",
    "at_least": "{name} must be >= {low}, got {value}",
    "odd_kernel": "{name} must be odd (1, 3, 5, 7, ...) so that 'same' padding keeps the size, got {value}",
    "choice": "{name} must be one of {allowed}; got {value}",
    "divides": "{name}={value} must divide {channels}; valid {name}: {valid}",
    "expansion": "expansion must be a number from 1 to 16, got {value}",
    "se_ratio": "se_ratio must be 0 (no SE) or a fraction up to 1, got {value}",
    "even_branches": "c_out must be even (two equal branches), got {c_out}",
    "split_equal": "c_out must equal c_in={c_in} for a stride-1 unit (channel split), got {c_out}",
    "add_equal": "c_out must equal c_in={c_in} for a stride-1 unit (residual add), got {c_out}",
    "concat_wider": "c_out must exceed c_in={c_in} for a stride-2 unit (concat shortcut), got {c_out}",
    "stride_needs_dw": "stride 2 needs a depthwise conv (dw_start or dw_mid above 0); the FFN variant has none",
    "pconv_stride": "stride must be 1: FasterNet's block keeps the size (it downsamples in separate layers), got "
                    "{value}",
    "bottleneck_min": "c_out must be at least 4 (bottleneck = c_out / 4), got {c_out}",
    # effviz.redundancy.weights: what was tried on the way to ImageNet weights ({error}: the refusal's own text)
    "weights_env_refused": "{env}={path} was refused: {error}",
    "weights_package_failed": "{package}: {error}",
    "weights_cache_refused": "cached {path} was refused: {error}",
    "weights_no_address": "no download address is known for {network}",
    "weights_offline": "not in the torch hub cache ({cache}) and downloads are off",
    "weights_download_failed": "not in the torch hub cache ({cache}) and the download failed: {error}",
    "weights_none": "weights: no ImageNet weights for {network}: {attempts}",
    # effviz.uploads / effviz.redundancy.images: a file a user gave ({what}: "image", "weights file", "ONNX file")
    "upload_empty": "{what}: the file is empty (0 bytes)",
    "upload_too_large": "{what}: the file is larger than the limit of {limit:,} bytes",
    "upload_size": "{what}: the file is {size:,} bytes; the limit is {limit:,} bytes",
    "image_format": "image: {format} files are not supported; allowed formats: {allowed}",
    "image_pixels": "image: {width}x{height} is {pixels:,} pixels; the limit is {limit:,}",
    "image_pixels_bomb": "image: {width}x{height} is {pixels:,} pixels; the limit is {limit:,} (a decompression "
                         "bomb: tiny file, huge picture)",
    "image_too_small": "image: {width}x{height} is too small; each side must be at least {min_side} px",
    "image_unknown": "image: not an image file (or not one of {allowed})",
    "image_bomb": "image: too many pixels (decompression bomb); the limit is {limit:,}",
    "image_corrupt": "image: the file is truncated or corrupt ({error})",
    "image_corrupt_format": "image: the {format} file is truncated or corrupt ({error})",
    # effviz.networks.onnxfile: an ONNX file refused ({tensor}: which tensor, as the reader names it; {detail}:
    # the onnx / onnxruntime package's own text)
    # ... the phrases naming a tensor inside those refusals ({where}: "" or one of onnx_in_*)
    "onnx_tensor_initializer": "initializer '{name}'{where}",
    "onnx_tensor_sparse": "sparse initializer '{name}'{where}",
    "onnx_tensor_sparse_indices": "sparse initializer indices '{name}'{where}",
    "onnx_tensor_attribute": "attribute '{attribute}' of node '{node}'{where}",
    "onnx_in_subgraph": " (in a subgraph of '{node}')",
    "onnx_in_function": " (in function '{function}')",
    "onnx_not_protobuf": "ONNX file: not an ONNX model, or a truncated one: the protobuf could not be parsed "
                         "({detail})",
    "onnx_no_graph": "ONNX file: not an ONNX model: no graph of nodes in it (a truncated file, or another kind of "
                     "file)",
    "onnx_external_data": "ONNX file: {tensor} keeps its data in a separate file (external data). effviz reads only "
                          "self-contained .onnx files and never opens a path a file names; re-export with "
                          "torch.onnx.export(..., external_data=False) or onnx.save_model(model, path, "
                          "save_as_external_data=False)",
    "onnx_negative_dim": "ONNX file: {tensor} declares a negative dimension {dims}",
    "onnx_tensor_too_large": "ONNX file: {tensor} declares shape {dims} ({count:,} values, {size}); the limit for "
                             "one tensor is {limit}",
    "onnx_stored_bytes": "ONNX file: {tensor} declares shape {dims}, which needs {expected:,} bytes, but stores "
                         "{stored:,} bytes (a truncated or corrupted file)",
    "onnx_stored_values": "ONNX file: {tensor} declares shape {dims}, which needs {expected:,} values, but stores "
                          "{stored:,} values (a truncated or corrupted file)",
    "onnx_two_producers": "ONNX file: two producers write the tensor '{tensor}' (node '{node}'); an ONNX graph "
                          "assigns each name once",
    "onnx_missing_tensor": "ONNX file: node '{node}' reads '{tensor}', which no node, input or initializer provides "
                           "(a truncated or broken graph)",
    "onnx_cycle": "ONNX file: the graph has a cycle: {count} nodes wait on each other ({nodes}); an ONNX graph must "
                  "be acyclic",
    "onnx_no_input": "ONNX file: the graph has no input tensor",
    "onnx_dynamic_other_input": "ONNX file: the model has {inputs} inputs and '{name}' has dynamic dims; effviz "
                                "profiles models with one image input (other inputs need fixed shapes)",
    "onnx_input_no_shape": "ONNX file: the input '{name}' declares no shape (not even its rank)",
    "onnx_input_scalar": "ONNX file: the input '{name}' is a scalar; effviz profiles models of an image (N, C, H, W)",
    "onnx_dynamic_not_image": "ONNX file: the input '{name}' has dynamic dims ({axes}) and is not an image "
                              "(N, C, H, W); give input_size (the {rest} dims after the batch)",
    "onnx_declared_too_large": "ONNX file: tensor '{tensor}' declares shape {dims} ({size}); the limit for one "
                               "tensor is {limit}",
    "onnx_shape_inference": "ONNX file: shape inference failed: {detail}",
    "onnx_no_opset": "ONNX file: no opset of the default ONNX domain is declared (opset_import)",
    "onnx_opset_newer": "ONNX file: opset {opset} is newer than this installation's onnx knows (up to {newest})",
    "onnx_nodes": "ONNX file: {count:,} nodes; the limit is {limit:,}",
    "onnx_functions": "ONNX file: its local functions could not be expanded ({detail})",
    "onnx_nodes_inlined": "ONNX file: {count:,} nodes after expanding functions; the limit is {limit:,}",
    "onnx_input_too_large": "ONNX file: the input {dims} would need {size}; the limit is {limit}",
    "onnx_inferred_too_large": "ONNX file: the tensor '{tensor}' would have shape {dims} ({size}) for this input; "
                               "the limit for one tensor is {limit}",
    "onnx_ort_load": "ONNX file: onnxruntime could not load the model ({detail})",
    "onnx_ort_run": "ONNX file: onnxruntime failed while running the model ({detail})",
    "onnx_features_input": "ONNX file: feature maps need one RGB image input (1, 3, H, W); this file's input "
                           "'{name}' is {shape}",
    "onnx_features_none": "ONNX file: no node of this model outputs a stack of feature maps (1, C, H, W)",
    # effviz.networks.onnxfile.isolated: the reader's child process ({what}: "ONNX file")
    "onnx_timeout": "{what}: reading it took longer than the limit of {limit:g} s",
    "onnx_crashed": "{what}: the ONNX reader stopped on this file (exit code {exitcode}); the file is malformed in "
                    "a way the onnx package does not survive",
    "onnx_unreadable": "{what}: could not be read ({kind}: {detail})",
    # effviz.networks.timm_models ({detail}: the first line of the build or trace error, from timm or torch)
    "timm_unknown": "unknown timm architecture {arch!r} (timm {version} has {count:,}, listed by "
                    "timm.list_models())",
    "timm_unknown_similar": "unknown timm architecture {arch!r} (timm {version} has {count:,}, listed by "
                            "timm.list_models()); similar: {similar}",
    "timm_fixed_size": "{network} takes only {height}×{width} inputs (timm's fixed_input_size); got {size}×{size}",
    "timm_time_limit": "{network} took longer than the limit of {limit:g} s to trace here",
    "timm_build_failed": "{network} could not be built or traced here ({kind}: {detail})",
    # effviz.redundancy.weights: a weights file refused, a download refused ({detail}: torch's or safetensors' text)
    "weights_safetensors": "weights file: not a valid safetensors file ({detail})",
    "weights_pickle_global": "weights file: refused: it asks to create Python objects other than tensors, and "
                             "effviz never unpickles those ({detail})",
    "weights_not_weights": "weights file: not a PyTorch (.pt/.pth) or safetensors weights file ({detail})",
    "weights_not_state_dict": "weights file: expected a state dict (name -> tensor), got {kind}",
    "weights_not_tensors": "weights file: {count} entries are not tensors (e.g. {example!r})",
    "weights_mismatch": "weights file: does not match {network}: {parts}",
    "weights_missing_keys": "{count} missing (e.g. {keys})",
    "weights_unexpected_keys": "{count} unexpected (e.g. {keys})",
    "weights_wrong_shapes": "{count} with the wrong shape (e.g. {shapes})",
    "weights_shape": "{key}: file {file} vs {network} {expected}",
    "weights_nonfinite": "weights file: {count} tensors contain NaN or infinity (e.g. {example})",
    "download_too_large": "download: {url} is {size:,} bytes, over the limit of {limit:,}",
    "download_over_limit": "download: {url} is over the limit of {limit:,} bytes",
    "download_checksum": "download: checksum mismatch for {name}: sha256 {digest}... does not start with {expected}",
})
CODES = tuple(MESSAGES)


def channels_text(channels: Mapping[str, int], conjunction: str = " and ") -> str:
    """{"c_in": 64, "c_out": 96} -> "c_in=64 and c_out=96"."""
    return conjunction.join(f"{k}={v}" for k, v in channels.items())


# Values that are problems inside a problem, and how their sentences are joined: what was tried (`attempts`), the
# parts of a mismatch (`parts`), the tensors of the wrong shape (`shapes`).
NESTED: Mapping[str, str] = MappingProxyType({"attempts": "; ", "parts": ", ", "shapes": "; "})
# Values that may be one problem (or a coded phrase) inside a problem: an attempt's `error`, the `tensor` an ONNX
# refusal names and `where` it is.
SINGLE = ("error", "tensor", "where")


def sentence_values(values: Mapping[str, Any], conjunction: str = " and ",
                    word: Callable[[BaseException], str] = str) -> dict[str, Any]:
    """The values as the sentences print them: the channels joined, lists of choices joined by commas, problems
    inside a problem (NESTED; SINGLE values that are themselves problems) each worded by `word` and joined."""
    out = dict(values)
    if "channels" in out:
        out["channels"] = channels_text(out["channels"], conjunction)
    if "allowed" in out:
        out["allowed"] = ", ".join(map(str, out["allowed"]))
    for key, joiner in NESTED.items():
        if key in out and not isinstance(out[key], str):
            out[key] = joiner.join(map(word, out[key]))
    for key in SINGLE:
        if isinstance(out.get(key), BaseException):
            out[key] = word(out[key])
    return out


class Problem(ValueError):
    """A refused value: `code` (one of CODES) and `values` (the numbers and names the sentence needs)."""

    def __init__(self, code: str, **values: Any):
        if code not in MESSAGES:
            raise ValueError(f"unknown problem code {code!r}; allowed: {', '.join(CODES)}")
        for key in NESTED:
            if key in values and not isinstance(values[key], str):
                values[key] = tuple(values[key])
        self.code = code
        self.values = MappingProxyType(dict(values))
        super().__init__(MESSAGES[code].format(**sentence_values(values)))

    def __reduce__(self):  # picklable (caches and worker processes), with its code and values
        return (_rebuild, (self.code, dict(self.values)))


def _rebuild(code: str, values: dict) -> Problem:
    return Problem(code, **values)
