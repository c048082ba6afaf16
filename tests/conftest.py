"""Test-wide settings. Tests never reach the internet: EFFVIZ_OFFLINE=1 turns effviz's weight downloads off
(the download code itself is tested with local file:// addresses in tests/test_weights.py). The browser
tests' servers inherit it from this environment."""
from __future__ import annotations

import os

os.environ.setdefault("EFFVIZ_OFFLINE", "1")
