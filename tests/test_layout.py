"""The house's layout as tests (README, "Layout"): effviz is grouped by subject; the old flat module names still
reach the new modules (effviz.moved); no module imports another package's private names; the subject packages
import each other in one direction only, and the ones that must stay light import no torch."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from effviz import moved

ROOT = Path(__file__).resolve().parents[1]
FIRST_PARTY = ("effviz", "app_support", "pages", "tests", "bench", "deploy", "app")
SCANNED = [ROOT / "app.py", *sorted(p for d in FIRST_PARTY[:-1] for p in (ROOT / d).rglob("*.py"))]

# DESIGN.md's and README's public names: functions on effviz, and modules reached as effviz.<name>
CONTRACT_FUNCTIONS = ("count", "profile", "profile_onnx", "redundancy_atlas")
CONTRACT_MODULES = ("blocks", "networks", "shuffle", "images", "weights", "features", "similarity", "ghost",
                    "latency", "exercises", "memory_access", "plots", "theory", "connectivity", "onnxfile", "atlas")


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_every_old_name_is_the_new_module_by_attribute_and_by_import():
    """In a fresh interpreter: effviz.<name> first as an attribute (the lazy __getattr__), then every old name of
    effviz.moved.MOVED by `import old`, `from parent import leaf` and sys.modules, each the new module itself."""
    code = f"""
import importlib, json, sys, types
import effviz
from effviz import moved
bad = []
for name in {CONTRACT_FUNCTIONS!r}:
    if not callable(getattr(effviz, name)):
        bad.append(("function", name))
for name in {CONTRACT_MODULES!r}:
    if not isinstance(getattr(effviz, name), types.ModuleType):
        bad.append(("attribute", name))
for old, new in moved.MOVED.items():
    target = importlib.import_module(new)
    if importlib.import_module(old) is not target or sys.modules[old] is not target:
        bad.append(("import", old))
    parent, _, leaf = old.rpartition(".")
    if getattr(__import__(parent, fromlist=[leaf]), leaf) is not target:
        bad.append(("from-import", old))
    if target.__name__ != new:
        bad.append(("name", old, target.__name__))
for name in {CONTRACT_MODULES!r}:
    if getattr(effviz, name) is not importlib.import_module("effviz." + name):
        bad.append(("attribute-vs-import", name))
from effviz.ghost import reconstruct
from effviz.redundancy.reconstruction import reconstruct as new_reconstruct
import effviz.onnxfile.reading
if reconstruct is not new_reconstruct or effviz.onnxfile.reading is not sys.modules["effviz.networks.onnxfile.reading"]:
    bad.append(("deep",))
print(json.dumps(bad))
"""
    out = _python(code)
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_old_names_import_no_torch_where_the_new_modules_do_not():
    code = ("import sys, effviz, effviz.theory, effviz.comparison, effviz.formulas, effviz.latency, "
            "effviz.memory_access, effviz.guidelines, effviz.connectivity, effviz.blocks._spec, effviz.onnxfile, "
            "effviz.plots.playground, effviz.plots.latency, effviz.plots.shuffle\n"
            "from effviz.blocks._spec import check_odd_kernel\n"
            "print('torch' in sys.modules)")
    out = _python(code)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == "False"


def test_python_dash_m_runs_the_module_behind_an_old_name():
    out = subprocess.run([sys.executable, "-m", "effviz.weights", "fetch", "--help"], capture_output=True, text=True,
                         cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "resnet50" in out.stdout


def test_moved_names_are_gone_from_the_tree_and_new_names_exist():
    """No file keeps an old name beside its new one (a shim would be a second copy of the module)."""
    for old, new in moved.MOVED.items():
        old_path = ROOT.joinpath(*old.split("."))
        assert not old_path.with_suffix(".py").exists() and not old_path.is_dir(), old
        new_path = ROOT.joinpath(*new.split("."))
        assert new_path.with_suffix(".py").is_file() or (new_path / "__init__.py").is_file(), new


def test_no_two_effviz_modules_share_a_name():
    """ghost.py / layers/ghost.py / ghost_module.py and shuffle.py / plots/shuffle.py were the collisions: every
    public module and package of effviz now has a name of its own."""
    seen: dict[str, Path] = {}
    for path in sorted((ROOT / "effviz").rglob("*.py")):
        name = path.parent.name if path.name == "__init__.py" else path.stem
        if name.startswith("_"):
            continue  # private helpers (networks/_layers.py, exercises/_registry.py) are never imported by name
        assert name not in seen, f"{path.relative_to(ROOT)} and {seen[name].relative_to(ROOT)}"
        seen[name] = path


# ---------------------------------------------------------------- no private names across packages


def _module_name(root: Path, path: Path) -> tuple[str, ...]:
    parts = path.relative_to(root).with_suffix("").parts
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(tree: ast.AST, importer: tuple[str, ...], is_package: bool):
    """(line, dotted name) of every absolute name an import statement names, relative ones resolved."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = importer if is_package else importer[:-1]
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ((node.module,) if node.module else ()))
            else:
                module = node.module
            for alias in node.names:
                if alias.name != "*":
                    yield node.lineno, f"{module}.{alias.name}"


def _owner(root: Path, parts: tuple[str, ...]) -> tuple[str, ...]:
    """The package that holds `parts` (a module's private name belongs to the module's package)."""
    for n in range(len(parts), 0, -1):
        head = parts[:n]
        if root.joinpath(*head).is_dir():
            return head
        if root.joinpath(*head[:-1], head[-1] + ".py").is_file():
            return head[:-1]
    return ()


def private_imports(root: Path, paths) -> list[str]:
    """Every import of a `_name` (module or attribute) of a first-party package the importer is not inside."""
    found = []
    for path in paths:
        importer = _module_name(root, path)
        tree = ast.parse(path.read_text(), filename=str(path))
        for line, name in _imported(tree, importer, path.name == "__init__.py"):
            parts = tuple(name.split("."))
            if parts[0] not in FIRST_PARTY:
                continue
            private = [i for i, p in enumerate(parts) if p.startswith("_") and not p.endswith("__")]
            if not private:
                continue
            owner = _owner(root, parts[:private[0]])
            if importer[:len(owner)] != owner:
                found.append(f"{path.relative_to(root)}:{line} imports {name} from outside {'.'.join(owner)}")
    return found


def test_no_module_imports_another_packages_private_names():
    assert private_imports(ROOT, SCANNED) == []


def test_the_private_import_rule_can_fail(tmp_path):
    (tmp_path / "effviz" / "blocks").mkdir(parents=True)
    (tmp_path / "effviz" / "speed").mkdir()
    (tmp_path / "tests").mkdir()
    for f in ("effviz/__init__.py", "effviz/blocks/__init__.py", "effviz/speed/__init__.py", "tests/__init__.py"):
        (tmp_path / f).write_text("")
    (tmp_path / "effviz/blocks/_spec.py").write_text("def check(): pass\n")
    (tmp_path / "effviz/blocks/counting.py").write_text("def _input_for(): pass\n")
    (tmp_path / "effviz/blocks/family.py").write_text(  # inside the package: fine
        "from effviz.blocks._spec import check\nfrom effviz.blocks.counting import _input_for\nfrom . import _spec\n")
    (tmp_path / "effviz/speed/latency.py").write_text(
        "from effviz.blocks._spec import check\nfrom effviz.blocks import _spec\nimport effviz.blocks._spec\n"
        "from effviz.blocks.counting import _input_for\nfrom effviz.blocks import __doc__\n")
    (tmp_path / "tests/test_x.py").write_text("from effviz.blocks.counting import _input_for\n")
    found = private_imports(tmp_path, sorted(tmp_path.rglob("*.py")))
    assert [f.split(" imports ")[0] for f in found] == [
        "effviz/speed/latency.py:1", "effviz/speed/latency.py:2", "effviz/speed/latency.py:3",
        "effviz/speed/latency.py:4", "tests/test_x.py:1"], found


# ---------------------------------------------------------------- the dependency picture

# What each subject package may import when it is imported (module level); anything else is imported inside the
# function that needs it. README "Layout" draws the same picture.
ALLOWED_AT_IMPORT = {
    "effviz": {"cost", "moved"},
    "cost": set(),
    "uploads": set(),
    "moved": set(),
    "blocks": {"cost"},
    "blocks.layers": {"cost", "blocks", "shuffle"},
    "shuffle": {"cost", "blocks"},
    "networks": {"cost", "blocks"},
    "networks.onnxfile": {"cost", "uploads", "networks"},
    "redundancy": {"cost", "uploads"},
    "speed": {"cost", "blocks"},
    "plots": {"cost", "blocks", "networks", "shuffle", "speed"},
    "exercises": {"cost", "blocks", "networks", "shuffle"},
}
HEAVY = {"torch", "torchvision", "timm", "onnxruntime"}
TORCH_AT_IMPORT = {"blocks.layers", "networks", "redundancy"}  # networks: only networks/_layers.py (the modules)
APP_ONLY = {"plots", "exercises"}  # the app's: no other subject imports them


def _subject(parts: tuple[str, ...]) -> str:
    if len(parts) == 1 or parts[1] not in {s.split(".")[0] for s in ALLOWED_AT_IMPORT}:
        return "effviz"
    if len(parts) > 2 and f"{parts[1]}.{parts[2]}" in ALLOWED_AT_IMPORT:
        return f"{parts[1]}.{parts[2]}"
    return parts[1]


def _imports_by_level(tree: ast.Module):
    """(at_import, dotted name) for each import; `if TYPE_CHECKING:` blocks are skipped."""
    def visit(nodes, at_import):
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Import):
                yield from ((at_import, a.name) for a in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level:
                yield at_import, node.module
                yield from ((at_import, f"{node.module}.{a.name}") for a in node.names)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                yield from visit(node.body, False)
            else:
                for field in ("body", "orelse", "finalbody", "handlers"):
                    yield from visit(getattr(node, field, None) or [], at_import)
    yield from visit(tree.body, True)


@pytest.mark.parametrize("path", sorted((ROOT / "effviz").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_subject_packages_import_in_one_direction(path):
    me = _subject(_module_name(ROOT, path))
    for at_import, name in _imports_by_level(ast.parse(path.read_text())):
        parts = tuple(name.split("."))
        if parts[0] in HEAVY and at_import:
            assert me in TORCH_AT_IMPORT, f"{me} imports {name} when imported"
        if parts[0] in HEAVY and me == "plots":
            raise AssertionError(f"plots import no torch ({name})")
        if parts[0] != "effviz" or len(parts) < 2:
            continue
        them = _subject(parts)
        if them in (me, "effviz"):
            continue
        assert them not in APP_ONLY, f"{me} imports {name}: only the app imports {them}"
        if at_import:
            assert them in ALLOWED_AT_IMPORT[me], f"{me} imports {name} when imported (README, Layout)"


def test_the_readme_layout_names_every_subject_package():
    readme = (ROOT / "README.md").read_text()
    layout = readme[readme.index("## Layout"):readme.index("## Benchmarks")]
    packages = sorted(p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "effviz").glob("*/__init__.py"))
    assert packages and all(f"{p}/" in layout for p in packages), packages


def test_the_code_base_imports_the_new_names():
    """Old names are for people's code and notebooks; the repository's own code says where a module lives now."""
    old_names = []
    for path in SCANNED:
        importer = _module_name(ROOT, path)
        for line, name in _imported(ast.parse(path.read_text()), importer, path.name == "__init__.py"):
            if moved.new_name(name) is not None:
                old_names.append(f"{path.relative_to(ROOT)}:{line} {name} (now {moved.new_name(name)})")
    assert old_names == []
