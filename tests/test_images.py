"""effviz.redundancy.images: safe decoding (each bad input kind refused with a message naming it), EXIF, modes,
samples."""
from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from effviz.redundancy import images


def encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def photo(size=(40, 30)) -> Image.Image:
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8))


# --- the bundled samples --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", images.sample_names())
def test_sample_is_small_licensed_and_loads_as_rgb(name):
    path = images.sample_path(name)
    assert path.stat().st_size <= 100 * 1024
    licence = (images.SAMPLES_DIR / "LICENSE.md").read_text()
    row = next(line for line in licence.splitlines() if f"`{path.name}`" in line)
    assert re.search(r"CC0|public domain", row), row
    img = images.load_sample(name)
    assert img.mode == "RGB" and min(img.size) >= images.MIN_SIDE


def test_between_four_and_six_samples():
    assert 4 <= len(images.sample_names()) <= 6
    assert {p.name for p in images.SAMPLES_DIR.glob("*.jpg")} == {images.sample_path(n).name
                                                                   for n in images.sample_names()}


def test_unknown_sample_names_the_choices():
    with pytest.raises(ValueError, match="sample.*cat"):
        images.sample_path("dog")


# --- every bad input kind: a ValueError that names the problem ----------------------------------------------


def test_empty_bytes():
    with pytest.raises(ValueError, match="empty"):
        images.load(b"")


def test_not_an_image():
    with pytest.raises(ValueError, match="not an image"):
        images.load(b"%PDF-1.4 this is a document, not a picture" * 10)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated(fmt):
    data = encode(photo((64, 64)), fmt)
    with pytest.raises(ValueError, match="truncated or corrupt"):
        images.load(data[: len(data) // 2])


def test_unsupported_format_is_named():
    data = encode(photo(), "TIFF")
    with pytest.raises(ValueError, match=r"TIFF.*not supported.*PNG, JPEG, WEBP, BMP, GIF"):
        images.load(data)


def test_too_many_bytes_refused_before_decoding(monkeypatch):
    data = encode(photo(), "PNG")
    monkeypatch.setattr(images, "MAX_BYTES", len(data) - 1)
    with pytest.raises(ValueError, match="limit"):
        images.load(data)


def test_too_many_bytes_from_a_path(tmp_path, monkeypatch):
    path = tmp_path / "big.png"
    path.write_bytes(encode(photo(), "PNG"))
    monkeypatch.setattr(images, "MAX_BYTES", 10)
    with pytest.raises(ValueError, match="limit"):
        images.load(path)


def test_giant_picture_refused_from_the_header(monkeypatch):
    # 6000 x 4000 = 24 MP of one colour: a few KB as PNG. With the limit at 10 MP it must be refused, and
    # without decoding it: Image.load is made to fail loudly if it is ever reached.
    data = encode(Image.new("L", (6000, 4000)), "PNG")
    assert len(data) < 200_000
    monkeypatch.setattr(images, "MAX_PIXELS", 10_000_000)
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("decoded a refused image"))
    with pytest.raises(ValueError, match=r"6000x4000.*pixels.*decompression bomb"):
        images.load(data)


def test_decompression_bomb_beyond_pillows_own_limit():
    # 1-bit PNG, 20000 x 20000 = 400 MP in ~50 KB: Pillow itself raises DecompressionBombError.
    data = encode(Image.new("1", (20000, 20000)), "PNG")
    with pytest.raises(ValueError, match="pixels"):
        images.load(data)


def test_too_small():
    with pytest.raises(ValueError, match="too small"):
        images.load(encode(photo((4, 30)), "PNG"))


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        images.load(tmp_path / "nope.png")


def test_wrong_source_type():
    with pytest.raises(ValueError, match="expected a path, bytes or a binary file"):
        images.load(12345)


def test_text_mode_file_object(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("hello")
    with open(path) as fh, pytest.raises(ValueError, match="binary mode"):
        images.load(fh)


# --- good inputs ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "BMP", "GIF"])
def test_each_allowed_format(fmt):
    img = images.load(encode(photo(), fmt))
    assert img.mode == "RGB" and img.size == (40, 30)


def test_file_object_and_path_give_the_same_pixels(tmp_path):
    data = encode(photo(), "PNG")
    path = tmp_path / "p.png"
    path.write_bytes(data)
    a, b = images.load(io.BytesIO(data)), images.load(path)
    assert np.array_equal(np.asarray(a), np.asarray(b))
    assert np.array_equal(np.asarray(a), np.asarray(photo()))


def test_gif_gives_the_first_frame():
    red, blue = Image.new("RGB", (16, 16), (255, 0, 0)), Image.new("RGB", (16, 16), (0, 0, 255))
    data = encode(red, "GIF", save_all=True, append_images=[blue], duration=100, loop=0)
    assert Image.open(io.BytesIO(data)).n_frames == 2
    img = images.load(data)
    r, g, b = np.asarray(img).reshape(-1, 3).mean(axis=0)
    assert r > 200 and b < 50


def test_exif_orientation_is_applied():
    # Left half red, right half blue, stored with EXIF orientation 6 ("rotate 90 degrees clockwise to view").
    a = np.zeros((20, 40, 3), dtype=np.uint8)
    a[:, :20] = (255, 0, 0)
    a[:, 20:] = (0, 0, 255)
    stored = Image.fromarray(a)
    exif = Image.Exif()
    exif[0x0112] = 6
    img = images.load(encode(stored, "PNG", exif=exif.tobytes()))
    assert img.size == (20, 40)                      # portrait now
    expected = np.asarray(stored.transpose(Image.Transpose.ROTATE_270))   # 90 degrees clockwise
    assert np.array_equal(np.asarray(img), expected)
    assert tuple(np.asarray(img)[0, 0]) == (255, 0, 0)   # the red (left) half is now on top


@pytest.mark.parametrize("mode", ["L", "1", "P", "CMYK", "I;16", "LA", "RGBA"])
def test_any_mode_becomes_rgb(mode):
    base = photo((24, 24)).convert("L")
    img = Image.fromarray(np.asarray(base).astype(np.uint16) * 100) if mode == "I;16" else base.convert(mode)
    out = images.load(encode(img, "JPEG" if mode == "CMYK" else "PNG"))
    assert out.mode == "RGB" and out.size == (24, 24)
    arr = np.asarray(out).astype(int)
    if mode != "CMYK":  # greyscale sources stay grey
        assert np.array_equal(arr[..., 0], arr[..., 1]) and np.array_equal(arr[..., 1], arr[..., 2])


@pytest.mark.parametrize("mode", ["I", "F"])
def test_wide_modes_are_rescaled(mode):
    # 32-bit int / float images (what 16-bit PNGs and some decoders produce) map their own range to 0..255.
    values = np.linspace(-5000, 70000, 24 * 24).reshape(24, 24)
    img = Image.fromarray(values.astype(np.int32 if mode == "I" else np.float32))
    assert img.mode == mode
    out = np.asarray(images._to_rgb(img))
    assert out.shape == (24, 24, 3) and out.min() == 0 and out.max() == 255


def test_transparency_becomes_white():
    rgba = Image.new("RGBA", (16, 16), (0, 0, 0, 0))
    out = np.asarray(images.load(encode(rgba, "PNG")))
    assert (out == 255).all()


def test_sixteen_bit_greyscale_uses_its_own_range():
    ramp = np.tile(np.linspace(1000, 3000, 32).astype(np.uint16), (16, 1))
    out = np.asarray(images.load(encode(Image.fromarray(ramp), "PNG")))[..., 0]
    assert out.min() == 0 and out.max() == 255
    assert np.all(np.diff(out[0].astype(int)) >= 0)


# --- preprocessing and fingerprints ---------------------------------------------------------------------------


def test_preprocess_normalises_with_mean_and_std():
    grey = Image.new("RGB", (300, 200), (128, 64, 200))
    x = images.preprocess(grey)
    assert tuple(x.shape) == (3, images.CROP, images.CROP)
    for c, v in enumerate((128, 64, 200)):
        expected = (v / 255 - images.IMAGENET_MEAN[c]) / images.IMAGENET_STD[c]
        assert x[c].mean().item() == pytest.approx(expected, abs=1e-5)
        assert x[c].std().item() < 1e-5


def test_resize_crop_takes_the_centre():
    a = np.zeros((100, 300, 3), dtype=np.uint8)
    a[:, 100:200] = 255                        # a white centre third in a wide image
    out = np.asarray(images.resize_crop(Image.fromarray(a), resize=64, crop=64))
    assert out.shape == (64, 64, 3)
    assert out[:, 8:56].min() > 240            # the centre crop sees (almost) only the white part


def test_resize_crop_rejects_bad_sizes():
    with pytest.raises(ValueError, match="crop"):
        images.resize_crop(photo(), resize=100, crop=200)


def test_fingerprint_follows_the_pixels():
    a, b = photo(), photo()
    assert images.fingerprint(a) == images.fingerprint(b)
    b.putpixel((0, 0), (1, 2, 3) if a.getpixel((0, 0)) != (1, 2, 3) else (4, 5, 6))
    assert images.fingerprint(a) != images.fingerprint(b)
