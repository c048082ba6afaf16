"""The catalogue: one module per page, each with EN and ZH dicts of the same keys (prefixed by the page)."""
from __future__ import annotations

from app_support.strings import (
    atlas,
    channel_shuffle,
    class_mode,
    common,
    exercises,
    feature_redundancy,
    home,
    latency_lab,
    latency_layers,
    network_explorer,
    own_network,
    playground,
    problems,
)

# One line per page module.
MODULES = (common, home, playground, feature_redundancy, channel_shuffle, latency_lab, network_explorer,
           exercises, own_network, atlas, problems, class_mode,
           latency_layers)

LANGUAGES = {"en": "English", "zh": "简体中文"}


def _merge() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {"en": {}, "zh": {}}
    for module in MODULES:
        for code, table in (("en", module.EN), ("zh", module.ZH)):
            clash = set(table) & set(merged[code])
            if clash:
                raise ValueError(f"string keys defined twice ({module.__name__}): {sorted(clash)}")
            merged[code].update(table)
    return merged


CATALOGUE = _merge()
