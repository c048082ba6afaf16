"""Bad uploads through the Feature Redundancy page, one after another in the same session: each gives a clear
message or a correct result, never an exception, and the page still serves a good file afterwards.
The corpus is generated here; a pickle that would run code must be refused without running."""
from __future__ import annotations

import io
import pickle
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from tests.apptest_support import open_page

TIMEOUT = 240


def png(img: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", **kw)
    return buf.getvalue()


def jpeg(img: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", **kw)
    return buf.getvalue()


def photo(size=(96, 80)) -> Image.Image:
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8))


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG whose header claims 900 megapixels (the IDAT is a few bytes of compressed zeros)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + \
        chunk(b"IEND", b"")


def gif_animated() -> bytes:
    frames = [Image.new("P", (40, 40), i * 40) for i in range(3)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


def exif_rotated() -> bytes:
    img = photo((120, 60))
    exif = img.getexif()
    exif[0x0112] = 6  # rotate 90° on display
    return jpeg(img, exif=exif)


GOOD = ("good.png", png(photo()), "image/png")
BAD_IMAGES = [  # (name, bytes, mime, what the message must mention or None for a correct result)
    ("empty.png", b"", "image/png", "empty"),
    ("notes.png", b"these are my lecture notes, not a picture\n" * 20, "image/png", "not an image"),
    ("truncated.png", png(photo())[:200], "image/png", "truncated"),
    ("truncated.jpg", jpeg(photo())[:300], "image/jpeg", "truncated"),
    ("bomb.png", bomb_png(), "image/png", "pixels"),
    ("deep.png", png(Image.fromarray(np.arange(96 * 80, dtype=np.uint16).reshape(80, 96) * 8)), "image/png",
     None),
    ("cmyk.jpg", jpeg(photo().convert("CMYK")), "image/jpeg", None),
    ("anim.gif", gif_animated(), "image/gif", None),
    ("rgba.png", png(photo().convert("RGBA")), "image/png", None),
    ("grey.png", png(photo().convert("L")), "image/png", None),
    ("rotated.jpg", exif_rotated(), "image/jpeg", None),
    ("huge-but-valid.png", png(Image.new("RGB", (4000, 3000), (120, 30, 200)), compress_level=1), "image/png",
     None),
]


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def test_bad_images_one_after_another_then_a_good_one():
    at = open_page("feature_redundancy", {"fr_image": "upload", "fr_weights": "untrained"}, timeout=TIMEOUT)
    assert not at.exception
    for name, data, mime, problem in BAD_IMAGES:
        at.file_uploader(key="fr_upload").set_value((name, data, mime)).run(timeout=TIMEOUT)
        assert not at.exception, (name, at.exception)
        if problem is None:
            assert not errors(at), (name, errors(at))
        else:
            assert errors(at) and any(problem in e.lower() for e in errors(at)), (name, errors(at))
    at.file_uploader(key="fr_upload").set_value(GOOD).run(timeout=TIMEOUT)
    assert not at.exception and not errors(at)
    assert at.get("plotly_chart"), "the good photo after all the bad ones is analysed"


class RunsCode:
    """Unpickling this would create a marker file: the loader must refuse it without running it."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def weight_files(tmp_path: Path):
    marker = tmp_path / "pwned"
    good_shape = {"conv1.weight": torch.zeros(64, 3, 7, 7)}
    buf = io.BytesIO()
    torch.save({"fc.weight": torch.zeros(10, 10)}, buf)  # a state dict of the wrong architecture
    wrong_arch = buf.getvalue()
    buf = io.BytesIO()
    torch.save(good_shape, buf)
    return marker, [
        ("evil.pth", pickle.dumps({"state_dict": RunsCode(marker)}), "cannot be used"),
        ("evil-torch.pth", _torch_save_bytes({"x": RunsCode(marker)}), "cannot be used"),
        ("wrong.pth", wrong_arch, "missing"),
        ("truncated.pth", buf.getvalue()[: len(buf.getvalue()) // 2], "cannot be used"),
        ("junk.safetensors", b"\x00" * 64, "cannot be used"),
        ("empty.pth", b"", "cannot be used"),
    ]


def _torch_save_bytes(obj) -> bytes:
    buf = io.BytesIO()
    torch.save(obj, buf)
    return buf.getvalue()


def test_weight_files_refused_with_a_message_and_nothing_runs(tmp_path):
    marker, files = weight_files(tmp_path)
    at = open_page("feature_redundancy", {"fr_weights": "file", "fr_image": "coffee"}, timeout=TIMEOUT)
    assert not at.exception
    for name, data, needle in files:
        at.file_uploader(key="fr_weights_file").set_value((name, data, "application/octet-stream")).run(
            timeout=TIMEOUT)
        assert not at.exception, (name, at.exception)
        assert errors(at), f"{name} was not refused"
        assert needle in errors(at)[0].lower(), (name, errors(at))
        assert not marker.exists(), f"{name}: unpickling ran code"
    # the page still works with the built-in weights afterwards
    at.selectbox(key="fr_weights").set_value("untrained").run(timeout=TIMEOUT)
    assert not at.exception and not errors(at)


@pytest.mark.parametrize("name", [b[0] for b in BAD_IMAGES if b[3] is not None])
def test_bad_image_messages_name_the_file_problem(name):
    from effviz.redundancy import images

    data = next(b[1] for b in BAD_IMAGES if b[0] == name)
    with pytest.raises(ValueError) as err:
        images.load(data)
    assert len(str(err.value)) < 400
