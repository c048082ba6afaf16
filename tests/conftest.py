"""Test-wide settings. Tests never reach the internet: EFFVIZ_OFFLINE=1 turns effviz's weight downloads off
(the download code itself is tested with local file:// addresses in tests/test_weights.py). Tests never share
the on-disk cache with a developer's server or another test run: EFFVIZ_CACHE_DIR is a fresh temporary
directory, removed at the end; so is EFFVIZ_DATA_DIR (class mode's SQLite database). The browser tests' servers
inherit them from this environment."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import types

import pytest

os.environ.setdefault("EFFVIZ_OFFLINE", "1")
CACHE_DIR = tempfile.mkdtemp(prefix="effviz-test-cache-")
os.environ["EFFVIZ_CACHE_DIR"] = CACHE_DIR
DATA_DIR = tempfile.mkdtemp(prefix="effviz-test-data-")
os.environ["EFFVIZ_DATA_DIR"] = DATA_DIR


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(CACHE_DIR, ignore_errors=True)
    shutil.rmtree(DATA_DIR, ignore_errors=True)


@pytest.fixture
def page_as_main(tmp_path, monkeypatch):
    """What Streamlit's script runner does while a page runs: `__main__` is a module with the page's file. The page
    here writes the returned marker path when it runs. Spawn runs the parent's `__main__` file again in a child:
    a child started while the fixture is in place must leave the marker unwritten and this module in place."""
    marker = tmp_path / "ran"
    page = tmp_path / "page.py"
    page.write_text(f"open({str(marker)!r}, 'w').write('the page ran in the child')\n")
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = str(page)
    monkeypatch.setitem(sys.modules, "__main__", fake_main)
    yield marker
    assert sys.modules["__main__"] is fake_main  # the page's module is left as it was
