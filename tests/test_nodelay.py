"""app_support.nodelay: Nagle's algorithm off on the server's TCP sockets, open ones and those accepted later."""
from __future__ import annotations

import os
import socket

import pytest

from app_support.nodelay import no_delay

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="Linux: sockets found in /proc/self/fd")


def nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_listening_and_open_sockets_get_tcp_nodelay_and_so_do_later_connections():
    # as uvicorn makes it: protocol number 0, which asyncio's own TCP_NODELAY skips
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    early = socket.create_connection(listener.getsockname())
    served_early, _ = listener.accept()
    local_a, local_b = socket.socketpair()          # not TCP: left alone
    try:
        assert nodelay(listener) == 0 and nodelay(served_early) == 0
        fds = len(os.listdir("/proc/self/fd"))
        assert no_delay() >= 3                        # the listener, and both ends of the open connection
        assert len(os.listdir("/proc/self/fd")) == fds   # every duplicate closed again
        assert nodelay(listener) == 1 and nodelay(served_early) == 1
        late = socket.create_connection(listener.getsockname())
        served_late, _ = listener.accept()
        assert nodelay(served_late) == 1              # a connection accepted later has it from the listener
        local_a.sendall(b"x")
        assert local_b.recv(1) == b"x"                # the other sockets still work
        late.close()
        served_late.close()
    finally:
        for s in (listener, early, served_early, local_a, local_b):
            s.close()
