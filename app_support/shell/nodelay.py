"""Send every websocket message at once: TCP_NODELAY on the server's sockets.

Streamlit's server (uvicorn) creates its listening socket with protocol number 0, and asyncio turns Nagle's
algorithm off only for sockets whose protocol is IPPROTO_TCP (asyncio.base_events._set_nodelay), so every
connection keeps it. A rerun sends a string of small messages. Nagle holds a small one back until the peer has
acknowledged what was sent before it, and once messages come and go quickly the peer's kernel delays its
acknowledgements (40 ms on Linux, up to 200 ms on Windows). Measured with bench/ws_client.py: a move sent within
~40 ms of the previous rerun's end took 44-48 ms instead of 4-6 ms. Behind deploy/serve.py the peer is HAProxy
on the same machine, which acknowledges as Linux does.

`no_delay()` sets TCP_NODELAY on each TCP socket of the process: on listening sockets (Linux and macOS give the
option to every connection accepted from them later) and on connected ones (the sessions already open). Called
once per process from app_support.shell.preload."""
from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

_FDS = Path("/proc/self/fd")
_SCAN_LIMIT = 4096  # without /proc (macOS): descriptors looked at, from 0


def open_descriptors() -> list[int]:
    """This process's open file descriptors: from /proc on Linux, else the sockets among the first few thousand
    (macOS); none on Windows, where sockets are not file descriptors (nothing is changed there)."""
    if _FDS.is_dir():
        return [int(name) for name in os.listdir(_FDS)]
    try:
        import resource
    except ImportError:  # Windows
        return []
    found = []
    for fd in range(min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], _SCAN_LIMIT)):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                found.append(fd)
        except OSError:
            continue
    return found


def no_delay() -> int:
    """Set TCP_NODELAY on every TCP socket this process has open; how many."""
    count = 0
    for original in open_descriptors():
        try:
            fd = os.dup(original)
        except OSError:  # closed meanwhile
            continue
        try:
            sock = socket.socket(fileno=fd)  # takes over the duplicate: closing it leaves the original open
        except OSError:                      # not a socket
            os.close(fd)
            continue
        with sock:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
                try:
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    count += 1
                except OSError:
                    pass
    return count
