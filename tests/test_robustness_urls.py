"""Crafted URLs for every page: zero, negative, huge, non-numeric and unknown values for every URL-bound key
the page declares. The page must run without an exception (notices are fine), and never allocate hugely."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.apptest_support import open_page

ROOT = Path(__file__).resolve().parents[1]


def app_pages() -> list[str]:
    """Page names from app.py's PAGES list (so a new page is covered the moment it is registered)."""
    tree = ast.parse((ROOT / "app.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES":
            return [Path(elt.elts[0].value).stem for elt in node.value.elts]
    raise AssertionError("app.py has no PAGES list")


def page_path(page: str) -> str:
    """The page's address under the app's root, from app.py's PAGES ("" for the landing page; the class page is
    /class)."""
    tree = ast.parse((ROOT / "app.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES":
            paths = {Path(elt.elts[0].value).stem: elt.elts[3].value for elt in node.value.elts}
            return "" if page == next(iter(paths)) else paths[page]
    raise AssertionError("app.py has no PAGES list")


# Pages whose URL keys are read by hand, not declared as Params (class mode: the class code and the tokens)
READ_BY_HAND = {"class": ["code", "me", "teacher"]}


def url_keys(page: str) -> list[str]:
    if page in READ_BY_HAND:
        return READ_BY_HAND[page]
    source = (ROOT / "pages" / f"{page}.py").read_text()
    # a section's own keys, declared beside it (app_support/<page>/<module>.PARAMS) and restored by the page: the
    # module's file found from the name the page imports it under
    imported = imported_modules(source)
    for module in set(re.findall(r"\b(\w+)\.PARAMS\b", source)) - {"url"}:
        source += (ROOT / (imported[module].replace(".", "/") + ".py")).read_text()
    return sorted(set(re.findall(r'Param\(\s*"(\w+)"', source)))


def imported_modules(source: str) -> dict[str, str]:
    """{name in the module: dotted module} for each `from package import module [as name]` of the source."""
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


CRAFTED = ["0", "-5", "999999999", "1e308", "nan", "abc", "", "%00", "<script>alert(1)</script>", "9" * 400]


def test_every_page_declares_url_state():
    for page in app_pages():
        if page != "home":
            assert url_keys(page), f"pages/{page}.py binds no widget to the URL"


@pytest.mark.parametrize("page", app_pages())
@pytest.mark.parametrize("value", CRAFTED)
def test_crafted_values_for_every_key(page, value):
    query = {key: value for key in url_keys(page)}
    query["lang"] = value
    at = open_page(page, query, timeout=120)
    assert not at.exception, at.exception
