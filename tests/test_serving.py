"""deploy/serve.py without starting servers: a missing HAProxy is a clear message, and the generated
configurations pin sessions by cookie and check health (HAProxy itself validates its file where installed).
The balancer end to end is in tests/browser/test_balancer.py."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app_support.shell.serving import previous_session_id
from deploy import serve

ROOT = Path(__file__).resolve().parents[1]


def test_missing_haproxy_is_a_clear_message_and_a_failure(tmp_path):
    # a PATH with python but no haproxy
    (tmp_path / "bin").mkdir()
    result = subprocess.run([sys.executable, str(ROOT / "deploy" / "serve.py"), "--workers", "1"],
                            env={"PATH": str(tmp_path / "bin")}, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "haproxy is not installed" in result.stderr
    assert "apt-get install haproxy" in result.stderr and "brew install haproxy" in result.stderr


def test_bad_worker_count_is_refused():
    with pytest.raises(SystemExit):
        serve.parse_args(["--workers", "0"])


def test_defaults_follow_the_machine():
    args = serve.parse_args([])
    assert args.workers == (os.cpu_count() or 1)
    assert (args.port, args.worker_port, args.address) == (8501, 8502, "0.0.0.0")


def test_haproxy_pins_sessions_by_cookie_and_checks_health(tmp_path):
    workers = serve.workers_for(3, 9001)
    cfg = serve.haproxy_config(workers, "127.0.0.1", 9000)
    assert "cookie EFFVIZ_WORKER insert" in cfg and "indirect" not in cfg  # the app sees the cookie too
    assert "balance source" not in cfg  # never by IP: a class behind one NAT shares one IP
    assert "option httpchk GET /_stcore/health" in cfg and "option redispatch" in cfg
    for w in workers:
        assert f"server {w.name} 127.0.0.1:{w.port} cookie {w.name}" in cfg
    haproxy = shutil.which("haproxy")
    if haproxy:
        path = tmp_path / "haproxy.cfg"
        path.write_text(cfg)
        check = subprocess.run([haproxy, "-c", "-f", str(path)], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stdout + check.stderr


def test_supervisor_runs_every_worker_and_haproxy_with_restarts(tmp_path):
    workers = serve.workers_for(2, 9001)
    conf = serve.supervisor_config(tmp_path, workers, "/usr/sbin/haproxy", "ab" * 32)
    for w in workers:
        assert f"[program:{w.name}]" in conf and f"--server.port {w.port}" in conf
        assert f'EFFVIZ_WORKER="{w.name}"' in conf
    assert conf.count("autorestart=true") == len(workers) + 1
    assert conf.count('STREAMLIT_SERVER_COOKIE_SECRET="' + "ab" * 32) == len(workers)  # one shared secret
    assert "-db -f" in conf  # haproxy in the foreground, under supervisor


@pytest.mark.parametrize(("header", "expected"), [
    (None, None),
    ("streamlit", None),
    ("streamlit, 2|ab|cd|1", None),
    ("streamlit, PLACEHOLDER_AUTH_TOKEN, 1c9f-22", "1c9f-22"),
    ("streamlit, 2|ab|cd|1,  1c9f-22 ", "1c9f-22"),
    ("streamlit, , ", None),
])
def test_previous_session_id_from_the_websocket_protocol_header(header, expected):
    assert previous_session_id(header) == expected


def test_a_busy_port_is_named_before_anything_starts():
    if shutil.which("haproxy") is None:
        pytest.skip("haproxy not installed: serve.py stops at that message first")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(ROOT / "deploy" / "serve.py"), "--workers", "1", "--port",
                                 str(port), "--address", "127.0.0.1"], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert f"port(s) {port}" in result.stderr and "already in use" in result.stderr


def test_warming_every_page_is_the_default_and_landing_only_a_choice():
    assert serve.parse_args([]).warm == "pages"
    assert serve.parse_args(["--warm", "landing"]).warm == "landing"
    with pytest.raises(SystemExit):
        serve.parse_args(["--warm", "everything"])


def test_workers_run_the_app_script_given(tmp_path):
    workers = serve.workers_for(1, 9001)
    assert " run app.py " in serve.supervisor_config(tmp_path, workers, "/usr/sbin/haproxy", "ab" * 32)
    conf = serve.supervisor_config(tmp_path, workers, "/usr/sbin/haproxy", "ab" * 32, "bench/bare_app.py")
    assert " run bench/bare_app.py " in conf and " run app.py " not in conf
