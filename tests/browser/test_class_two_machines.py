"""Two "machines" sharing one class: each a `deploy/serve.py` in its own network namespace (made and removed by
this test, joined to this host by a veth pair on addresses the test assigns), behind a front HAProxy with cookie
affinity (EFFVIZ_MACHINE, as README's several-machines set-up), both on one PostgreSQL listening on the host's
ends of the veth pairs.

Students (headless websocket clients speaking Streamlit's protocol, bench/ws_client.py) are pinned half to each
machine; the class works as one: every student follows the teacher and answers, and the answers of both
machines are in one database. Then machine 2 is stopped: its students come back through the front on machine 1
as the same students, with nothing lost, and answer again.

Needs root (ip netns), haproxy and PostgreSQL's server binaries; skipped otherwise, unless
EFFVIZ_REQUIRE_NETNS=1, where it fails."""
from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from app_support.classroom import questions, store
from bench.bench_class_mode import Tab
from tests import postgres_server
from tests.browser.conftest import ARTIFACTS, ROOT, free_port, run_async

NET = "10.231"          # 10.231.<machine>.1 on this host, 10.231.<machine>.2 in the machine's namespace
PORT = 8600             # each machine's balancer, inside its namespace
COOKIE = "EFFVIZ_MACHINE"
SEED = 4


def _need(ok: bool, why: str) -> None:
    if not ok:
        if os.environ.get("EFFVIZ_REQUIRE_NETNS") == "1":
            pytest.fail(why)
        pytest.skip(why)


def sh(*cmd: str) -> None:
    subprocess.run(cmd, check=True, capture_output=True, timeout=30)


@contextlib.contextmanager
def namespaces(n: int):
    """n network namespaces, each with a veth pair to this host; removed on exit (whatever happened)."""
    tag = secrets.token_hex(2)
    made: list[tuple[str, str]] = []
    try:
        for m in range(1, n + 1):
            ns, host_end, ns_end = f"effviz-m{m}-{tag}", f"evh{m}{tag}", f"evn{m}{tag}"
            sh("ip", "netns", "add", ns)
            made.append((ns, host_end))
            sh("ip", "link", "add", host_end, "type", "veth", "peer", "name", ns_end)
            sh("ip", "link", "set", ns_end, "netns", ns)
            sh("ip", "addr", "add", f"{NET}.{m}.1/24", "dev", host_end)
            sh("ip", "link", "set", host_end, "up")
            sh("ip", "netns", "exec", ns, "ip", "addr", "add", f"{NET}.{m}.2/24", "dev", ns_end)
            sh("ip", "netns", "exec", ns, "ip", "link", "set", ns_end, "up")
            sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up")
        yield [ns for ns, _ in made]
    finally:
        for ns, host_end in made:
            subprocess.run(["ip", "link", "del", host_end], capture_output=True, timeout=30)
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=30)
        left = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        assert f"-{tag}" not in left, left


@contextlib.contextmanager
def machine(ns: int, name: str, database_url: str, log: Path):
    """serve.py --workers 1 in namespace `name`, its balancer on NET.ns.2:PORT; stopped with SIGINT on exit."""
    run_dir = Path(tempfile.mkdtemp(prefix=f"effviz-{name}-"))
    env = {**os.environ, "EFFVIZ_DATABASE_URL": database_url}
    out = open(log, "w")
    proc = subprocess.Popen(["ip", "netns", "exec", name, sys.executable, str(ROOT / "deploy" / "serve.py"),
                             "--workers", "1", "--port", str(PORT), "--address", f"{NET}.{ns}.2",
                             "--run-dir", str(run_dir), "--warm", "landing"],
                            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 240
        while "effviz: ready" not in log.read_text(errors="replace"):
            assert proc.poll() is None, f"serve.py in {name} exited; see {log}"
            assert time.monotonic() < deadline, f"serve.py in {name} not ready; see {log}"
            time.sleep(0.3)
        yield proc
    finally:
        stop(proc)
        out.close()
        shutil.rmtree(run_dir, ignore_errors=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def front(port: int, machines: int, log: Path):
    cfg = Path(tempfile.mkdtemp(prefix="effviz-front-")) / "front.cfg"
    servers = "\n".join(f"    server m{m} {NET}.{m}.2:{PORT} cookie m{m} check inter 1s fall 2 rise 2"
                        for m in range(1, machines + 1))
    cfg.write_text(f"""\
defaults
    mode http
    option redispatch 1
    retries 3
    retry-on conn-failure empty-response
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
frontend class
    bind 127.0.0.1:{port}
    default_backend machines
backend machines
    balance leastconn
    cookie {COOKIE} insert indirect nocache httponly
    option httpchk GET /_stcore/health
    http-response set-header X-Effviz-Machine %s
{servers}
""")
    out = open(log, "w")
    proc = subprocess.Popen([shutil.which("haproxy"), "-db", "-f", str(cfg)], stdout=out, stderr=subprocess.STDOUT)
    try:
        time.sleep(3)  # first health checks
        assert proc.poll() is None, log.read_text()
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        out.close()
        shutil.rmtree(cfg.parent, ignore_errors=True)


async def open_tab(url: str, query: str, machine: str) -> Tab:
    tab = Tab(url, query)
    tab.session.headers = {"Cookie": f"{COOKIE}={machine}"}
    await tab.session.__aenter__()
    await tab.session.rerun(timeout=180)
    return tab


async def follow(tab: Tab, question: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while tab.shown != question:
        assert time.monotonic() < deadline, f"the student did not follow to question {question}"
        await tab.poll()
        await asyncio.sleep(0.5)


def test_two_machines_one_class(tmp_path):
    _need(os.geteuid() == 0 and shutil.which("ip") is not None, "needs root and iproute2 (ip netns)")
    _need(shutil.which("haproxy") is not None, "haproxy not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.ExitStack() as stack:
        names = stack.enter_context(namespaces(2))
        admin = stack.enter_context(postgres_server.server(also_listen=(f"{NET}.1.1", f"{NET}.2.1"),
                                                           trusted_net=f"{NET}.0.0/16"))
        local = postgres_server.fresh_database(admin)
        database = local.rsplit("/", 1)[1]
        port = local.split("@127.0.0.1:")[1].split("/")[0]
        eng = store.engine(local)
        stack.callback(eng.dispose)
        procs = {}
        for m, name in enumerate(names, start=1):
            url_in_ns = f"postgresql+psycopg://postgres@{NET}.{m}.1:{port}/{database}"
            procs[m] = stack.enter_context(machine(m, name, url_in_ns, ARTIFACTS / f"machine-{m}.log"))
        url = stack.enter_context(front(free_port(), 2, ARTIFACTS / "front-haproxy.log"))

        picks = tuple(i for i, q in enumerate(questions.pool(SEED, "standard"), start=1)
                      if q.answer_type == "number")[:2]
        qs = questions.chosen(SEED, "standard", picks)
        cls, token = store.create_class(eng, "standard", SEED, list(picks), questions.key(qs))
        people = [(f"m{1 + i % 2}", *store.join(eng, cls.id, f"s{i}")) for i in range(6)]

        async def scenario():
            tabs = [await open_tab(url, f"code={cls.code}&me={me}", where) for where, _, me in people]
            seen = [tab.session.response_headers.get("X-Effviz-Machine") for tab in tabs]
            store.pace(eng, cls.id, token, 1, "answering")
            await asyncio.gather(*(follow(tab, 1) for tab in tabs))
            for i, tab in enumerate(tabs):
                result = await tab.send(f"{float(qs[0].answer) * (1 + i):.6g}")
                assert any(t.startswith("Sent:") for t in result.texts), result.texts
            # machine 2 stops; its students reconnect through the front and land on machine 1
            stop(procs[2])
            for tab in tabs:
                with contextlib.suppress(Exception):
                    await tab.session.ws.close()
            await asyncio.sleep(3)  # the front's health checks mark m2 down
            back = [await open_tab(url, f"code={cls.code}&me={me}", where) for where, _, me in people]
            for (_, student, _), tab in zip(people, back, strict=True):
                assert tab.shown == 1, f"{student.nickname} is not back on question 1"
            store.pace(eng, cls.id, token, 2, "answering")
            await asyncio.gather(*(follow(tab, 2) for tab in back))
            for tab in back:
                result = await tab.send(f"{float(qs[1].answer):.6g}")
                assert any(t.startswith("Sent:") for t in result.texts), result.texts
            machines = [tab.session.response_headers.get("X-Effviz-Machine") for tab in back]
            for tab in back:
                await tab.session.ws.close()
            return seen, machines

        seen, machines = run_async(scenario())
        print("machines at first:", seen, "after machine 2 stopped:", machines)
        assert seen == [where for where, _, _ in people]  # the class was split over both machines
        assert set(machines) == {"m1"}
        board = store.dashboard(eng, cls.id, token, None)
        assert board.joined == 6
        per_question = {k: sorted(a.nickname for a in board.answers if a.question == k) for k in (1, 2)}
        assert per_question == {1: [f"s{i}" for i in range(6)], 2: [f"s{i}" for i in range(6)]}
        for i in range(6):  # nothing lost: each student's answer to question 1, from either machine
            a = next(a for a in board.answers if a.question == 1 and a.nickname == f"s{i}")
            assert a.last_text == f"{float(qs[0].answer) * (1 + i):.6g}"
        store.delete_class(eng, cls.id, token)
