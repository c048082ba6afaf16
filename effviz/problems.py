"""Problems a user can meet (a block that cannot take these settings, a shuffle that does not fit), as codes and
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
})
CODES = tuple(MESSAGES)


def channels_text(channels: Mapping[str, int], conjunction: str = " and ") -> str:
    """{"c_in": 64, "c_out": 96} -> "c_in=64 and c_out=96"."""
    return conjunction.join(f"{k}={v}" for k, v in channels.items())


def sentence_values(values: Mapping[str, Any], conjunction: str = " and ",
                    word: Callable[[BaseException], str] = str) -> dict[str, Any]:
    """The values as the sentences print them: the channels joined, lists of choices joined by commas, problems
    inside a problem (`attempts`) each worded by `word` and joined by "; "."""
    out = dict(values)
    if "channels" in out:
        out["channels"] = channels_text(out["channels"], conjunction)
    if "allowed" in out:
        out["allowed"] = ", ".join(map(str, out["allowed"]))
    if "attempts" in out:
        out["attempts"] = "; ".join(map(word, out["attempts"]))
    return out


class Problem(ValueError):
    """A refused value: `code` (one of CODES) and `values` (the numbers and names the sentence needs)."""

    def __init__(self, code: str, **values: Any):
        if code not in MESSAGES:
            raise ValueError(f"unknown problem code {code!r}; allowed: {', '.join(CODES)}")
        if "attempts" in values:
            values["attempts"] = tuple(values["attempts"])
        self.code = code
        self.values = MappingProxyType(dict(values))
        super().__init__(MESSAGES[code].format(**sentence_values(values)))

    def __reduce__(self):  # picklable (caches and worker processes), with its code and values
        return (_rebuild, (self.code, dict(self.values)))


def _rebuild(code: str, values: dict) -> Problem:
    return Problem(code, **values)
