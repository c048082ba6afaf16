"""A real, throwaway PostgreSQL for the class-mode tests: EFFVIZ_TEST_POSTGRES_URL if set, else a cluster made
with initdb in a temporary folder and started with pg_ctl on a free 127.0.0.1 port (as the `postgres` user when
run as root, since PostgreSQL refuses to run as root), stopped and deleted afterwards.

Without the server binaries the tests skip, unless CI=true or EFFVIZ_REQUIRE_BROWSER=1 (.ci/run), where they
fail: CI must never skip them silently."""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.browser.conftest import free_port


def _bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def _required() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("EFFVIZ_REQUIRE_BROWSER") == "1"


def _as_user(cmd: list[str], user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--", *cmd] if user else cmd


@contextlib.contextmanager
def server(also_listen: tuple[str, ...] = (), trusted_net: str = ""):
    """Yields a SQLAlchemy URL of an empty database on a running PostgreSQL on 127.0.0.1 (and on
    `also_listen` addresses, accepting clients of `trusted_net` without a password: the two-machine test)."""
    given = os.environ.get("EFFVIZ_TEST_POSTGRES_URL")
    if given and not also_listen:
        yield given
        return
    bins = _bin_dir()
    if bins is None:
        if _required():
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) are missing: apt-get install postgresql")
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql)")
    user = None
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres").pw_name
        except KeyError:
            pytest.fail("running as root and there is no `postgres` user to run PostgreSQL as")
    home = Path(tempfile.mkdtemp(prefix="effviz-pg-"))
    if user:
        shutil.chown(home, user)
    data, port = home / "data", free_port()
    run = dict(capture_output=True, text=True, timeout=120)
    out = subprocess.run(_as_user([str(bins / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                                   "-E", "UTF8", "--no-sync"], user), **run)
    if out.returncode:
        shutil.rmtree(home, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {out.stderr[-2000:]}")
    if trusted_net:
        hba = data / "pg_hba.conf"
        subprocess.run(_as_user(["sh", "-c", f"echo 'host all all {trusted_net} trust' >> {hba}"], user), **run)
    listen = ",".join(("127.0.0.1", *also_listen))
    options = f"-p {port} -k {home} -c listen_addresses={listen} -c fsync=off -c max_connections=200"
    out = subprocess.run(_as_user([str(bins / "pg_ctl"), "-D", str(data), "-l", str(home / "log"), "-o", options,
                                   "-w", "-t", "60", "start"], user), **run)
    try:
        if out.returncode:
            raise RuntimeError(f"pg_ctl start failed: {out.stderr[-2000:]} {(home / 'log').read_text()[-2000:]}")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_user([str(bins / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], user),
                       **run)
        shutil.rmtree(home, ignore_errors=True)


def fresh_database(admin_url: str) -> str:
    """A new empty database on that server; its URL."""
    from sqlalchemy import create_engine

    name = f"effviz_{uuid.uuid4().hex[:12]}"
    eng = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')  # a name made here, not user input
    eng.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name
