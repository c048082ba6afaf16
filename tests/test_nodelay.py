"""app_support.shell.nodelay: Nagle's algorithm off on the server's TCP sockets, open ones and those accepted later."""
from __future__ import annotations

import socket

import pytest

from app_support.shell import nodelay
from app_support.shell.nodelay import no_delay


def option(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@pytest.mark.parametrize("proc", [True, False], ids=["from /proc", "without /proc (macOS)"])
def test_listening_and_open_sockets_get_tcp_nodelay_and_so_do_later_connections(proc, monkeypatch, tmp_path):
    if not proc:
        monkeypatch.setattr(nodelay, "_FDS", tmp_path / "missing")
    # as uvicorn makes it: protocol number 0, which asyncio's own TCP_NODELAY skips
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    early = socket.create_connection(listener.getsockname())
    served_early, _ = listener.accept()
    local_a, local_b = socket.socketpair()          # not TCP: left alone
    try:
        assert option(listener) == 0 and option(served_early) == 0
        fds = sorted(nodelay.open_descriptors())
        assert {listener.fileno(), served_early.fileno(), local_a.fileno()} <= set(fds)
        assert no_delay() >= 3                        # the listener, and both ends of the open connection
        assert sorted(nodelay.open_descriptors()) == fds   # every duplicate closed again
        assert option(listener) == 1 and option(served_early) == 1
        late = socket.create_connection(listener.getsockname())
        served_late, _ = listener.accept()
        assert option(served_late) == 1              # a connection accepted later has it from the listener
        local_a.sendall(b"x")
        assert local_b.recv(1) == b"x"                # the other sockets still work
        late.close()
        served_late.close()
    finally:
        for s in (listener, early, served_early, local_a, local_b):
            s.close()


def test_on_windows_nothing_is_looked_at(monkeypatch, tmp_path):
    import builtins
    import sys

    real_import = builtins.__import__

    def no_resource(name, *args, **kwargs):
        if name == "resource":
            raise ImportError("no module named 'resource' (Windows)")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(nodelay, "_FDS", tmp_path / "missing")
    monkeypatch.delitem(sys.modules, "resource", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_resource)
    assert nodelay.open_descriptors() == [] and no_delay() == 0
