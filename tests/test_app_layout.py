"""The app side's house rules (issue 24): app_support/ in two levels a newcomer sees at a glance.

- shell/: what several pages use (URL state, i18n, caches, export, number formats, serving, and the few view
  helpers two pages share). The shell imports no page package.
- <page>/: one package per page, named after pages/<page>.py and strings/<page>.py; each of its modules serves
  that page only, computed from the import graph of pages/*.py and app.py (imports inside functions count).
- classroom/ (class mode) and strings/ stay where they are; nothing else sits flat at app_support/'s top level.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP_SUPPORT = ROOT / "app_support"
OWN_RULES = {"shell", "classroom", "strings"}   # packages that are not a page's


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in [*APP_SUPPORT.rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]}
PAGE_PACKAGES = sorted(p.name for p in APP_SUPPORT.iterdir() if p.is_dir() and p.name not in OWN_RULES
                       and (p / "__init__.py").exists())


def imports(name: str) -> set[str]:
    """The app modules `name` imports, anywhere in its file (a function's lazy import included)."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text())):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            candidates = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        for c in candidates:
            # `import a.b.c` imports a and a.b too; the modules named are the ones that count here
            if c in MODULES:
                found.add(c)
    return found


GRAPH = {name: imports(name) for name in MODULES}


def reached(entry: str) -> set[str]:
    seen, todo = set(), [entry]
    while todo:
        for dep in GRAPH[todo.pop()]:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen


ENTRIES = ["app", *sorted(n for n in MODULES if n.startswith("pages."))]
SERVES: dict[str, set[str]] = {}
for _entry in ENTRIES:
    for _module in reached(_entry):
        SERVES.setdefault(_module, set()).add(_entry.removeprefix("pages."))


def test_the_graph_sees_the_pages_packages():
    """The check below can fail: every page package is reached from its page, and the shell from every page."""
    assert PAGE_PACKAGES, "no page packages found"
    for package in PAGE_PACKAGES:
        assert any(m.startswith(f"app_support.{package}.") for m in reached(f"pages.{package}")), package
    assert SERVES["app_support.shell.i18n"] >= {"app", "home", "playground", "latency_lab"}


@pytest.mark.parametrize("package", PAGE_PACKAGES)
def test_a_page_package_is_named_after_its_page(package):
    assert (ROOT / "pages" / f"{package}.py").exists(), f"app_support/{package}/ names no page in pages/"
    assert (APP_SUPPORT / "strings" / f"{package}.py").exists(), f"app_support/{package}/ has no strings/{package}.py"


def test_a_page_packages_module_serves_its_page_only():
    """No module outside the shell (and class mode's classroom/) serves more than one page: a helper two pages
    use belongs in the shell, or is split so that each part serves one page."""
    wrong = {}
    for name in MODULES:
        parts = name.split(".")
        if parts[0] != "app_support" or len(parts) < 3 or parts[1] in OWN_RULES:
            continue
        served = SERVES.get(name, set())
        if served != {parts[1]}:
            wrong[name] = sorted(served)
    assert not wrong, f"page-package modules serving other pages than their own (or none): {wrong}"


def test_the_shell_imports_no_page_package():
    # app_support itself (its __init__: the legacy pages/ guard) imports nothing of the app
    wrong = {name: sorted(d for d in deps if d != "app_support" and d.split(".")[1] not in ("shell", "strings"))
             for name, deps in GRAPH.items() if name.startswith("app_support.shell")}
    wrong = {name: deps for name, deps in wrong.items() if deps}
    assert not wrong, f"shell modules importing a page's package (or class mode's): {wrong}"


def test_no_flat_modules_at_app_support_top_level():
    flat = sorted(p.name for p in APP_SUPPORT.glob("*.py") if p.name != "__init__.py")
    assert not flat, f"modules at app_support/'s top level (put them in shell/ or in a page's package): {flat}"
    stray = sorted(p.name for p in APP_SUPPORT.iterdir()
                   if p.is_dir() and p.name != "__pycache__" and not (p / "__init__.py").exists())
    assert not stray, f"folders in app_support/ that are not packages: {stray}"
