"""README's "Get started", followed as written: the commands are read from README.md, never copied here.

The slow test runs the first command (make a virtual environment, activate it, install, run) in a copy of the
repository and checks that the app answers on /_stcore/health. One thing differs from a newcomer's machine: the
virtual environment is made before the command runs, and it sees the packages of the environment running the
tests (a .pth file), so `pip install -r requirements.txt` resolves every requirement against them and has
nothing to download but a newer setuptools than the venv's own (torch requires it). A full install is about
6 GB with PyPI's CUDA torch; CI installs everything from scratch anyway when it runs the test command. The
command itself runs unchanged; STREAMLIT_SERVER_PORT and STREAMLIT_SERVER_ADDRESS move the server to a free port
on 127.0.0.1."""
from __future__ import annotations

import os
import re
import shutil
import signal
import site
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def get_started() -> str:
    """README's "## Get started" section, up to its first subsection or the next section."""
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Get started\n")
    end = re.compile(r"^#{1,3} ", re.M).search(text, start + len("\n## Get started\n"))
    return text[start:end.start() if end else len(text)]


def get_started_commands() -> list[str]:
    """The ```bash blocks of "Get started", one command each."""
    blocks = re.findall(r"^```bash\n(.*?)^```", get_started(), re.M | re.S)
    return [" ".join(line.strip() for line in block.strip().splitlines()) for block in blocks]


def test_get_started_gives_two_commands_run_and_test():
    commands = get_started_commands()
    assert len(commands) == 2, commands
    run, tests = commands
    assert "venv" in run and "pip install -r requirements.txt" in run and run.endswith("streamlit run app.py")
    assert "pip install -r requirements-dev.txt" in tests and "python -m pytest" in tests
    assert "http://localhost:8501" in get_started() and "Ctrl-C" in get_started()


def test_ci_runs_readme_test_command_verbatim():
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert get_started_commands()[1] in ci_lines


def test_python_versions_agree_with_pyproject():
    """README names the versions; pyproject's requires-python starts at the lowest of them."""
    versions = re.findall(r"Python (3\.\d+), (3\.\d+) or (3\.\d+)", get_started())
    assert versions, "README's Get started names no Python versions"
    lowest = min(versions[0], key=lambda v: int(v.split(".")[1]))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == f">={lowest}"
    assert sys.version_info >= tuple(int(x) for x in lowest.split("."))


def test_quick_subset_command_uses_declared_markers():
    text = README.read_text(encoding="utf-8")
    quick = re.search(r'`(python -m pytest -m "([^"]+)" -q)`', text)
    assert quick, "README gives no quick subset command"
    markers = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["markers"]
    declared = {m.split(":")[0] for m in markers}
    used = set(re.findall(r"\b(?!not\b|and\b|or\b)(\w+)", quick.group(2)))
    assert used and used <= declared, (used, declared)


def test_effviz_chromium_names_the_browser_by_path_or_command(tmp_path, monkeypatch):
    from tests.browser.conftest import chromium_executable

    browser = tmp_path / "bin" / "my-chrome"
    browser.parent.mkdir()
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    assert chromium_executable({"EFFVIZ_CHROMIUM": str(browser)}) == str(browser.resolve())
    monkeypatch.setenv("PATH", f"{browser.parent}{os.pathsep}{os.environ['PATH']}")
    assert chromium_executable({"EFFVIZ_CHROMIUM": "my-chrome"}) == str(browser.resolve())
    assert chromium_executable({"EFFVIZ_CHROMIUM": str(tmp_path / "missing")}) is None
    browser.chmod(0o644)  # a file that cannot run is no browser
    assert chromium_executable({"EFFVIZ_CHROMIUM": str(browser)}) is None


def _tracked_copy(dest: Path) -> None:
    """The repository's files as a clean clone has them (tracked files, as they are in the working tree)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, timeout=60)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: cannot make a clean copy")
    for name in filter(None, listed.stdout.decode().split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_get_started_run_command_serves_the_app(tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("README's command is a POSIX shell line")
    run = get_started_commands()[0]
    repo = tmp_path / "effviz"
    _tracked_copy(repo)
    base_python = Path(getattr(sys, "_base_executable", sys.executable))
    subprocess.run([str(base_python), "-m", "venv", ".venv"], cwd=repo, check=True, timeout=120)
    venv_site = next((repo / ".venv" / "lib").glob("python3*/site-packages"), None) or \
        repo / ".venv" / "Lib" / "site-packages"
    (venv_site / "_effviz_test_parent_env.pth").write_text(
        "\n".join([*site.getsitepackages(), site.getusersitepackages()]) + "\n")

    port = _free_port()
    # `python3` is the (base) interpreter running the tests; `streamlit` is found in its scripts folder (the venv
    # has no script of its own for a package it did not install).
    scripts = Path(sys.executable).parent
    env = {**os.environ, "PATH": os.pathsep.join([str(base_python.parent), str(scripts), os.environ["PATH"]]),
           "STREAMLIT_SERVER_PORT": str(port), "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    log = open(tmp_path / "get-started.log", "w")
    proc = subprocess.Popen(["bash", "-c", run], cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        healthy = False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    healthy = r.status == 200 and r.read().strip() == b"ok"
                    if healthy:
                        break
            except OSError:
                time.sleep(0.5)
        output = (tmp_path / "get-started.log").read_text(errors="replace")
        assert healthy, f"README's command did not serve the app (exit {proc.poll()}):\n{output[-3000:]}"
        # A new venv carries its own pip and setuptools (3.11's is older than torch requires): pip may replace
        # those; anything else would mean the environment running the tests lacks a requirement.
        installed = {re.sub(r"-[^-]+$", "", name) for line in re.findall(r"^Successfully installed (.*)$", output, re.M)
                     for name in line.split()}
        assert installed <= {"pip", "setuptools", "wheel"}, f"pip had to install {sorted(installed)}"
        assert "Requirement already satisfied: streamlit" in output
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as r:
            assert r.status == 200
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
