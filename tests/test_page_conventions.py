"""House rules for pages, checked on their source: layout only, strings from the catalogue, exportable tables."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

PAGES = sorted((Path(__file__).resolve().parents[1] / "pages").glob("*.py"))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_every_table_can_be_downloaded(path):
    source = path.read_text()
    assert "st.table(" not in source, "use app_support.export.table_with_csv so the table has its CSV"
    assert source.count("st.dataframe(") <= source.count("st.download_button("), "a grid without a CSV download"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_pages_do_not_cache_or_configure_on_their_own(path):
    source = path.read_text()
    assert not re.search(r"@st\.cache_(data|resource)", source), "cache wrappers live in app_support/cache.py"
    assert "set_page_config" not in source, "page config is set once, in app.py"


def test_effviz_never_imports_streamlit():
    root = Path(__file__).resolve().parents[1] / "effviz"
    offenders = [p for p in root.rglob("*.py") if re.search(r"^\s*(import|from)\s+streamlit", p.read_text(), re.M)]
    assert not offenders, offenders
