"""Reading a user's file safely: a path, bytes, or a binary file object (e.g. Streamlit's UploadedFile),
never more than the limit plus one byte, so a huge file is refused without being loaded whole."""
from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from effviz.problems import Problem

Source = str | os.PathLike | bytes | bytearray | memoryview | BinaryIO


def read_bounded(source: Source, max_bytes: int, what: str) -> tuple[bytes, str]:
    """(data, a name for messages). `what` starts every error message ("image", "weights file")."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, name = bytes(source), "uploaded file"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise ValueError(f"{what}: no such file {str(path)!r}")
        size = path.stat().st_size
        if size > max_bytes:
            raise Problem("upload_size", what=what, size=size, limit=max_bytes)
        data, name = path.read_bytes(), str(path)
    elif hasattr(source, "read"):
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(max_bytes + 1)
        if not isinstance(data, (bytes, bytearray)):
            raise ValueError(f"{what}: the file object must be opened in binary mode")
        data, name = bytes(data), getattr(source, "name", "uploaded file")
    else:
        raise ValueError(f"{what}: expected a path, bytes or a binary file object, not {type(source).__name__}")
    if not data:
        raise Problem("upload_empty", what=what)
    if len(data) > max_bytes:
        raise Problem("upload_too_large", what=what, limit=max_bytes)
    return data, name
