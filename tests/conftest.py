"""Test-wide settings. Tests never reach the internet: EFFVIZ_OFFLINE=1 turns effviz's weight downloads off
(the download code itself is tested with local file:// addresses in tests/test_weights.py). Tests never share
the on-disk cache with a developer's server or another test run: EFFVIZ_CACHE_DIR is a fresh temporary
directory, removed at the end; so is EFFVIZ_DATA_DIR (class mode's SQLite database). The browser tests' servers
inherit them from this environment."""
from __future__ import annotations

import os
import shutil
import tempfile

os.environ.setdefault("EFFVIZ_OFFLINE", "1")
CACHE_DIR = tempfile.mkdtemp(prefix="effviz-test-cache-")
os.environ["EFFVIZ_CACHE_DIR"] = CACHE_DIR
DATA_DIR = tempfile.mkdtemp(prefix="effviz-test-data-")
os.environ["EFFVIZ_DATA_DIR"] = DATA_DIR


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(CACHE_DIR, ignore_errors=True)
    shutil.rmtree(DATA_DIR, ignore_errors=True)
