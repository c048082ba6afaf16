"""House rules for pages, checked on their source: layout only, strings from the catalogue, exportable tables."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "pages").glob("*.py"))


def app_modules() -> list[Path]:
    """The app_support modules of the shell and of the pages' packages (strings/ and classroom/ have their own
    tests)."""
    return [p for p in sorted((ROOT / "app_support").rglob("*.py")) if p.parent.name not in ("strings", "classroom")]


# The pages and the app_support modules that draw a page's sections (atlas_view, ghost_view, ...)
DRAWING = PAGES + sorted(p for p in app_modules() if ".plotly_chart(" in p.read_text()
                         and p.name != "figures.py")
MAX_PAGE_LINES = 250


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_every_page_is_short(path):
    """A page is layout: widgets -> one library or cache call -> figures. Scheduling, retry policies, tables,
    data shaping and multi-step logic live in app_support/ (one concept per module) or in effviz."""
    lines = len(path.read_text().splitlines())
    assert lines < MAX_PAGE_LINES, f"pages/{path.name} has {lines} lines (the rule: under {MAX_PAGE_LINES})"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_every_table_can_be_downloaded(path):
    source = path.read_text()
    assert "st.table(" not in source, "use app_support.shell.export.table_with_csv so the table has its CSV"
    assert source.count("st.dataframe(") <= source.count("st.download_button("), "a grid without a CSV download"


@pytest.mark.parametrize("path", [ROOT / "app.py", *PAGES], ids=lambda p: p.stem)
def test_no_page_relies_on_streamlit_magic(path):
    """.streamlit/config.toml turns Streamlit's magic off (every compile of a page is then a plain compile, not a
    syntax-tree rewrite): so no page may draw a bare expression, which magic would have shown and now drops."""
    import tomllib

    from streamlit.runtime.scriptrunner import magic

    assert tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["runner"]["magicEnabled"] is False
    rewritten = ast.unparse(magic.add_magic(path.read_text(), str(path)))
    assert "__streamlitmagic__.transparent_write(" not in rewritten, \
        f"{path.name} has a bare expression magic would draw; use st.*"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_pages_do_not_cache_or_configure_on_their_own(path):
    source = path.read_text()
    assert not re.search(r"@st\.cache_(data|resource)", source), \
        "cache wrappers live in app_support (cache.py for results, figures.py for built figures)"
    assert "set_page_config" not in source, "page config is set once, in app.py"


@pytest.mark.parametrize("path", DRAWING, ids=lambda p: p.stem)
def test_pages_draw_figures_built_once(path):
    """st.plotly_chart gets its figure from app_support.shell.figures.figure (built once per input for every session),
    never from a builder called on each rerun: building is most of a rerun's cost (bench/bench_rerun_cpu.py)."""
    source = path.read_text()
    drawn = re.findall(r"\.plotly_chart\(\s*([A-Za-z_][\w.]*)(\()?", source)
    for name, call in drawn:
        assert (name, call) in (("figure", "("), ("fig", "")), f"st.plotly_chart({name}{call}...)"
    assignments = re.findall(r"\bfig\s*=\s*([\w.]+)\(", source)
    assert all(a == "figure" for a in assignments), assignments


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_pages_define_records_as_named_tuples(path):
    """A page is a script Streamlit runs again on every rerun, class statements included: @dataclass writes
    and execs its methods each time (1-2 ms a class on the lab machine, several per page), a NamedTuple
    costs a tenth of that. Dataclasses belong in modules, which are imported once."""
    assert "@dataclass" not in path.read_text()


def test_effviz_never_imports_streamlit():
    root = Path(__file__).resolve().parents[1] / "effviz"
    offenders = [p for p in root.rglob("*.py") if re.search(r"^\s*(import|from)\s+streamlit", p.read_text(), re.M)]
    assert not offenders, offenders


def test_feature_grid_png_is_the_mosaic():
    import io

    import numpy as np
    from PIL import Image
    from plotly.colors import sample_colorscale, unlabel_rgb

    from effviz.plots.redundancy_charts import feature_grid_png

    maps = np.zeros((10, 4, 4))
    maps[3, 0, 0] = 5.0  # channel 3: one bright pixel at the top-left
    png = feature_grid_png(maps, [3, 0, 1], cols=2, colorscale="Viridis", tile=8, gap=2)
    img = Image.open(io.BytesIO(png)).convert("RGB")
    assert img.size == (2 * 8 + 2, 2 * 8 + 2)  # 3 tiles in 2 columns -> 2 rows
    top, low = (unlabel_rgb(c) for c in sample_colorscale("Viridis", [1.0, 0.0]))
    assert img.getpixel((0, 0)) == tuple(top)      # channel 3's maximum, scaled to the top of the scale
    assert img.getpixel((7, 7)) == tuple(low)      # and its minimum at the bottom
    assert img.getpixel((8, 0)) == (255, 255, 255)  # the gap
    assert img.getpixel((17, 17)) == (255, 255, 255)  # the empty fourth slot
