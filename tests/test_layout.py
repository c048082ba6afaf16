"""The house's layout as tests (README, "Layout"): effviz is grouped by subject; the old flat module names of the
contract (effviz.OLD_NAMES) still reach the new modules, with a DeprecationWarning, and no others; no module imports
another package's private names; the subject packages import each other in one direction only (no upward
imports, no import cycles), and the ones that must stay light import no torch."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIRST_PARTY = ("effviz", "app_support", "pages", "tests", "bench", "deploy", "app")
SCANNED = [ROOT / "app.py", *sorted(p for d in FIRST_PARTY[:-1] for p in (ROOT / d).rglob("*.py"))]

# DESIGN.md's and README's public names: functions on effviz, and modules reached as effviz.<name>
CONTRACT_FUNCTIONS = ("count", "profile", "profile_onnx", "redundancy_atlas")
CONTRACT_MODULES = ("blocks", "networks", "shuffle", "images", "weights", "features", "similarity", "ghost",
                    "latency", "exercises", "memory_access", "plots", "theory", "connectivity", "onnxfile", "atlas")


# The old module names that effviz.moved's import hook answered until the old-name layer kept only the contract's
# (issue 24): these no longer import. (The contract's own old names are effviz.OLD_NAMES.)
DROPPED = ("effviz.comparison", "effviz.counting", "effviz.formulas", "effviz.blocks._spec", "effviz.layers",
           "effviz.layers.ghost", "effviz.layers.graph", "effviz.layers.mbconv", "effviz.layers.shuffle_units",
           "effviz.profiling", "effviz.onnxfile.profiling", "effviz.onnxfile.features", "effviz.onnxfile.reading",
           "effviz.guidelines", "effviz.exercises._layers", "effviz.plots.atlas", "effviz.plots.latency",
           "effviz.plots.networks", "effviz.plots.playground", "effviz.plots.redundancy", "effviz.plots.shuffle",
           "effviz.moved")


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_the_contract_names_reach_the_new_modules_and_old_ones_warn():
    """In a fresh interpreter: the contract's functions and modules on effviz; each old name (effviz.OLD_NAMES) by
    attribute, by `import`, and by `from old import name`, giving the new module's objects, with one
    DeprecationWarning naming the new module; the new names warn nothing."""
    code = f"""
import importlib, json, sys, types, warnings
warnings.simplefilter("error")          # the new names must not warn
import effviz
from effviz import blocks, networks, shuffle, exercises, plots, redundancy, speed
import effviz.redundancy.weights, effviz.networks.onnxfile
bad = []
for name in {CONTRACT_FUNCTIONS!r}:
    if not callable(getattr(effviz, name)):
        bad.append(("function", name))
for old, new in effviz.OLD_NAMES.items():
    target = importlib.import_module(new)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        stub = getattr(effviz, old)                       # the attribute first: effviz.__getattr__ imports it
        again = importlib.import_module("effviz." + old)
    messages = [str(w.message) for w in seen if w.category is DeprecationWarning]
    if len(messages) != 1 or new not in messages[0]:
        bad.append(("warning", old, messages))
    if stub is not again or not isinstance(stub, types.ModuleType):
        bad.append(("attribute-vs-import", old))
    public = [n for n in vars(target) if not n.startswith("_")]
    if not public or any(getattr(stub, n) is not getattr(target, n) for n in public):
        bad.append(("names", old))
    if stub._new is not target:                           # what the stub forwards to is the new module
        bad.append(("target", old))
for name in {CONTRACT_MODULES!r}:
    if not isinstance(getattr(effviz, name), types.ModuleType):
        bad.append(("attribute", name))
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from effviz.ghost import reconstruct
    from effviz.weights import load
    import effviz.onnxfile
from effviz.redundancy.reconstruction import reconstruct as new_reconstruct
if reconstruct is not new_reconstruct or load is not effviz.redundancy.weights.load:
    bad.append(("from-import",))
if effviz.onnxfile.profile_onnx is not effviz.networks.onnxfile.profile_onnx:
    bad.append(("package",))
print(json.dumps(bad))
"""
    out = _python(code)
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_dropped_old_names_no_longer_import():
    code = (f"import importlib, json, warnings\nwarnings.simplefilter('ignore')\nimport effviz\ngone = []\n"
            f"for name in {DROPPED!r}:\n"
            f"    try:\n        importlib.import_module(name)\n    except ModuleNotFoundError:\n"
            f"        gone.append(name)\nprint(json.dumps(gone))")
    out = _python(code)
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == list(DROPPED)


def test_importing_effviz_changes_no_import_machinery():
    """No finder on sys.meta_path, no hook: importing effviz (and every old name) leaves the import system as it
    was."""
    out = _python("import sys, warnings\nbefore = list(sys.meta_path), list(sys.path_hooks)\n"
                  "warnings.simplefilter('ignore')\nimport effviz, effviz.ghost, effviz.theory\n"
                  "print(before == (list(sys.meta_path), list(sys.path_hooks)))")
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == "True"


def test_old_names_import_no_torch_where_the_new_modules_do_not():
    code = ("import sys, warnings\nwarnings.simplefilter('ignore')\n"
            "import effviz, effviz.theory, effviz.latency, effviz.memory_access, effviz.connectivity, effviz.onnxfile\n"
            "from effviz.theory import ghost_speedup\n"
            "print('torch' in sys.modules)")
    out = _python(code)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip() == "False"


def test_python_dash_m_runs_the_weights_command_by_its_old_name_without_a_warning():
    """`python -m effviz.weights fetch resnet50` is the command the Feature Redundancy page shows."""
    for module in ("effviz.weights", "effviz.redundancy.weights"):
        out = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-m", module, "fetch", "--help"],
                             capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert out.returncode == 0, out.stderr[-3000:]
        assert "resnet50" in out.stdout and "Warning" not in out.stderr


def _old_name_modules() -> dict[str, Path]:
    import effviz

    return {old: ROOT / "effviz" / f"{old}.py" for old in effviz.OLD_NAMES}


def test_old_name_modules_only_forward():
    """Each old name is a small file that imports its new module, warns and forwards: no code of its own (a copy
    of the module would drift), and no other file sits at effviz's top level besides the shared core."""
    import effviz

    core = {"__init__", "cost", "uploads", "problems", "registry"}
    top = {p.stem for p in (ROOT / "effviz").glob("*.py")} | {p.name for p in (ROOT / "effviz").iterdir()
                                                              if (p / "__init__.py").is_file()}
    subjects = {p.parent.name for p in (ROOT / "effviz").glob("*/__init__.py")}
    assert top == core | subjects | set(effviz.OLD_NAMES), top ^ (core | subjects | set(effviz.OLD_NAMES))
    for old, path in _old_name_modules().items():
        tree = ast.parse(path.read_text())
        defs = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))]
        assert defs == ["__getattr__", "__dir__"], (old, defs)
        imports = {n.module for n in tree.body if isinstance(n, ast.ImportFrom) and n.module.startswith("effviz")}
        new = effviz.OLD_NAMES[old]
        assert imports == {new.rpartition(".")[0], new}, (old, imports)
        assert len(path.read_text().splitlines()) < 30, old
    for new in effviz.OLD_NAMES.values():
        path = ROOT.joinpath(*new.split("."))
        assert path.with_suffix(".py").is_file() or (path / "__init__.py").is_file(), new


def test_no_two_effviz_modules_share_a_name():
    """ghost.py / layers/ghost.py / ghost_module.py and shuffle.py / plots/shuffle.py were the collisions: every
    public module and package of effviz now has a name of its own."""
    old_names = set(_old_name_modules().values())
    seen: dict[str, Path] = {}
    for path in sorted((ROOT / "effviz").rglob("*.py")):
        name = path.parent.name if path.name == "__init__.py" else path.stem
        if name.startswith("_") or path in old_names:
            # private helpers (networks/_layers.py, exercises/_registry.py) are never imported by name; an old name
            # (effviz/ghost.py) only forwards to its module
            continue
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

# The subject packages from the bottom up. A package imports only packages on lines above its own, when it is
# imported and inside functions alike: an import of a package further down this list is an upward import, and
# upward imports are how cycles start. The one exception is structural: a package may import its own
# sub-packages inside a function (blocks' spec.build() imports blocks.layers, the torch modules, which import
# blocks). At the top: the old names (effviz/ghost.py, ...), and effviz/__init__.py (count, profile, ...).
ORDER = (
    ("problems",),
    ("cost", "registry", "uploads"),
    ("blocks",),
    ("shuffle",),
    ("blocks.layers",),
    ("networks",),
    ("networks.onnxfile",),
    ("speed",),
    ("redundancy",),
    ("plots", "exercises"),
    ("old names",),
    ("effviz",),
)
RANK = {package: rank for rank, line in enumerate(ORDER) for package in line}

# What each subject package may import when it is imported (module level); anything else is imported inside the
# function that needs it. README "Layout" draws the same picture.
ALLOWED_AT_IMPORT = {
    "effviz": {"cost"},
    "old names": {"blocks", "shuffle", "networks", "networks.onnxfile", "speed", "redundancy"},
    "problems": set(),
    "cost": set(),
    "registry": set(),
    "uploads": {"problems"},
    "blocks": {"cost", "registry", "problems"},
    "blocks.layers": {"cost", "blocks", "shuffle"},
    "shuffle": {"cost", "blocks", "problems"},
    "networks": {"cost", "blocks", "registry", "problems"},
    "networks.onnxfile": {"cost", "uploads", "networks", "problems"},
    "redundancy": {"cost", "uploads", "networks", "problems"},
    "speed": {"cost", "blocks", "problems", "uploads"},
    "plots": {"cost", "blocks", "networks", "shuffle", "speed"},
    "exercises": {"cost", "blocks", "networks", "shuffle", "problems"},
}
HEAVY = {"torch", "torchvision", "timm", "onnxruntime"}
TORCH_AT_IMPORT = {"blocks.layers", "networks", "redundancy"}  # networks: only networks/_layers.py (the modules)
APP_ONLY = {"plots", "exercises"}  # the app's: no other subject imports them


def _subject(parts: tuple[str, ...]) -> str:
    import effviz

    if len(parts) == 2 and parts[1] in effviz.OLD_NAMES:
        return "old names"
    if len(parts) > 2 and f"{parts[1]}.{parts[2]}" in RANK:
        return f"{parts[1]}.{parts[2]}"
    if len(parts) > 1 and parts[1] in RANK:
        return parts[1]
    return "effviz"   # effviz/__init__.py


def _imports_by_level(tree: ast.Module, type_checking: bool = False, names_only: bool = False):
    """(at_import, dotted name) for each import; `if TYPE_CHECKING:` blocks are skipped, or with `type_checking`
    counted as imports at import time (a type's module is a dependency all the same). `from a import b` gives a and
    a.b, or with `names_only` a.b alone."""
    def visit(nodes, at_import):
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                if type_checking:
                    yield from visit(node.body, at_import)
                continue
            if isinstance(node, ast.Import):
                yield from ((at_import, a.name) for a in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level:
                if not names_only:
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


def test_what_packages_import_when_imported_follows_the_order():
    assert set(ALLOWED_AT_IMPORT) == set(RANK)
    assert all(RANK[them] < RANK[me] for me, allowed in ALLOWED_AT_IMPORT.items() for them in allowed)


def upward_imports(root: Path, paths) -> list[str]:
    """Every import, at import time or inside a function, of a subject package further down ORDER than the
    importer's (a package's own sub-packages excepted inside functions)."""
    found = []
    for path in paths:
        importer = _module_name(root, path)
        me = _subject(importer)
        for at_import, name in _imports_by_level(ast.parse(path.read_text()), type_checking=True):
            parts = tuple(name.split("."))
            if parts[0] != "effviz" or len(parts) < 2:
                continue
            them = _subject(parts)
            if them == me or RANK[them] < RANK[me]:
                continue
            if not at_import and them.startswith(me + "."):
                continue  # its own sub-package, imported where it is needed
            found.append(f"{path.relative_to(root)}: {me} imports {name} ({them} is further down ORDER)")
    return sorted(set(found))


def test_no_upward_imports():
    assert upward_imports(ROOT, sorted((ROOT / "effviz").rglob("*.py"))) == []


def _target(root: Path, parts: tuple[str, ...]) -> tuple[str, ...] | None:
    """The first-party module an imported dotted name is (a module or a package), or holds (an attribute)."""
    for n in range(len(parts), 0, -1):
        head = parts[:n]
        if root.joinpath(*head).with_suffix(".py").is_file() or (root.joinpath(*head) / "__init__.py").is_file():
            return head
    return None


def _imported_at_import(tree: ast.Module):
    """The dotted name each import statement run at import time (and under `if TYPE_CHECKING:`) reaches:
    `from a.b import c` is a.b.c where c is a module, else a.b."""
    for at_import, name in _imports_by_level(tree, type_checking=True, names_only=True):
        if at_import:
            yield name


def import_cycles(root: Path, paths) -> list[list[str]]:
    """The cycles (strongly connected components of two or more modules, or a module importing itself) among
    `paths`, over the imports a module makes when it is imported (module level and `if TYPE_CHECKING:` blocks).
    A module's package __init__ runs first on any import: not an edge here (a package importing its own modules
    is how packages are built); an import statement naming a package is."""
    graph: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for path in paths:
        me = _module_name(root, path)
        edges = graph.setdefault(me, set())
        for name in _imported_at_import(ast.parse(path.read_text())):
            target = _target(root, tuple(name.split(".")))
            if target is not None and target[0] == me[0] and target != me:  # `from pkg import sub` inside pkg
                edges.add(target)
    index: dict = {}
    low: dict = {}
    stack: list = []
    on_stack: set = set()
    cycles: list[list[str]] = []

    def connect(v) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(".".join(w))
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                cycles.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return sorted(cycles)


def test_no_import_cycles():
    assert import_cycles(ROOT, sorted((ROOT / "effviz").rglob("*.py"))) == []


def test_the_cycle_and_upward_rules_can_fail(tmp_path):
    """A tree with the two faults effviz had before issue 24: profiling.py and onnx_profiling.py importing each
    other (one of them for a type only), and networks.onnxfile reaching up into redundancy inside a function."""
    files = {
        "effviz/__init__.py": "",
        "effviz/networks/__init__.py": "",
        "effviz/networks/profiling.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                        "    from effviz.networks.onnxfile.onnx_profiling import OnnxReport\n",
        "effviz/networks/onnxfile/__init__.py": "",
        "effviz/networks/onnxfile/onnx_profiling.py": "from effviz.networks.profiling import Profile\n",
        "effviz/networks/onnxfile/onnx_features.py": "def load():\n    from effviz.redundancy.weights import x\n",
        "effviz/networks/lazy.py": "def build():\n    from effviz.networks.onnxfile import reading\n",
        "effviz/redundancy/__init__.py": "",
        "effviz/redundancy/weights.py": "from effviz import networks\n",
        "effviz/blocks/__init__.py": "from effviz.blocks import spec\n",
        "effviz/blocks/spec.py": "def build():\n    from effviz.blocks import layers\n",
        "effviz/blocks/layers/__init__.py": "from effviz.blocks.spec import build\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    paths = sorted(tmp_path.rglob("*.py"))
    assert import_cycles(tmp_path, paths) == [["effviz.networks.onnxfile.onnx_profiling", "effviz.networks.profiling"]]
    upward = upward_imports(tmp_path, paths)
    assert sorted({u.split(":")[0] for u in upward}) == ["effviz/networks/onnxfile/onnx_features.py",
                                                        "effviz/networks/profiling.py"], upward


def test_the_readme_layout_names_every_subject_package():
    readme = (ROOT / "README.md").read_text()
    layout = readme[readme.index("## Layout"):readme.index("## Benchmarks")]
    packages = sorted(p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "effviz").glob("*/__init__.py"))
    assert packages and all(f"{p}/" in layout for p in packages), packages


def test_the_code_base_imports_the_new_names():
    """Old names are for people's code and notebooks; the repository's own code says where a module lives now."""
    import effviz

    old = {f"effviz.{name}": new for name, new in effviz.OLD_NAMES.items()}
    stubs = set(_old_name_modules().values())
    old_names = []
    for path in SCANNED:
        if path in stubs:
            continue
        importer = _module_name(ROOT, path)
        for line, name in _imported(ast.parse(path.read_text()), importer, path.name == "__init__.py"):
            hit = [o for o in (*old, *DROPPED) if name == o or name.startswith(o + ".")]
            if hit:
                old_names.append(f"{path.relative_to(ROOT)}:{line} {name} (now {old.get(hit[0], 'gone')})")
    assert old_names == []
