"""Photos in, network inputs out: safe decoding of user uploads, the bundled samples, ImageNet preprocessing.

Uploads are untrusted. `load` refuses anything it cannot decode into a sensible RGB picture with a ValueError
whose message names the problem (empty, too many bytes, not an image, an unsupported format, too many pixels,
truncated, too small), and it checks the pixel count from the header *before* decoding, so a small file that
would inflate into gigabytes (a decompression bomb) is refused without being decompressed. EXIF orientation is
applied (phones store portraits sideways), animations give their first frame, and every mode (palette,
greyscale, 16-bit, CMYK, alpha) becomes 8-bit RGB, transparency composited on white.

torch is imported only by `preprocess`."""
from __future__ import annotations

import hashlib
import io
import struct
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from effviz.networks.pretrained import IMAGENET_MEAN, IMAGENET_STD
from effviz.problems import Problem
from effviz.uploads import Source, read_bounded

MAX_BYTES = 20 * 1024 * 1024          # an upload larger than this is refused before decoding
MAX_PIXELS = 36_000_000               # width x height from the header; a 36-megapixel photo still passes
MIN_SIDE = 8                          # smaller than this is not a photo (the network needs some context)
FORMATS = ("PNG", "JPEG", "WEBP", "BMP", "GIF")

# ImageNet preprocessing (torchvision's classification presets): resize the short side to 256, centre-crop 224,
# normalise with ImageNet's mean and std (declared with the weights: effviz.networks.pretrained).
RESIZE = 256
CROP = 224

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "assets" / "samples"
# name -> file in assets/samples (sources and licences: assets/samples/LICENSE.md). The first is the default.
SAMPLES = {
    "cat": "cat.jpg",
    "coffee": "coffee.jpg",
    "astronaut": "astronaut.jpg",
    "rocket": "rocket.jpg",
    "cameraman": "cameraman.jpg",
}



def _read(source: Source) -> bytes:
    return read_bounded(source, MAX_BYTES, "image")[0]


def _to_rgb(img: Image.Image) -> Image.Image:
    """Any PIL mode -> 8-bit RGB. Transparency is composited on white (a transparent PNG's hidden pixels are
    often black garbage); 16-bit and float greyscale are rescaled to their own range."""
    if img.mode == "RGB":
        return img
    if img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    if img.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        import numpy as np

        a = np.asarray(img, dtype=np.float64)
        lo, hi = float(np.nanmin(a)), float(np.nanmax(a))
        scaled = np.zeros_like(a) if hi <= lo else (a - lo) / (hi - lo) * 255.0
        img = Image.fromarray(np.nan_to_num(scaled).round().astype(np.uint8), mode="L")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return img.convert("RGB")


def load(source: Source) -> Image.Image:
    """Decode an uploaded or bundled image into an RGB PIL image, or raise ValueError naming the problem."""
    data = _read(source)
    fmt = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            fmt = img.format
            if fmt not in FORMATS:
                raise Problem("image_format", format=fmt, allowed=FORMATS)
            width, height = img.size
            if width * height > MAX_PIXELS:
                bomb = len(data) * 100 < width * height
                raise Problem("image_pixels_bomb" if bomb else "image_pixels", width=width, height=height,
                              pixels=width * height, limit=MAX_PIXELS)
            if min(width, height) < MIN_SIDE:
                raise Problem("image_too_small", width=width, height=height, min_side=MIN_SIDE)
            if getattr(img, "n_frames", 1) > 1:
                img.seek(0)  # animated GIF/WebP: the first frame
            img.load()
    except ValueError:
        raise
    except UnidentifiedImageError:
        raise Problem("image_unknown", allowed=FORMATS) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Problem("image_bomb", limit=MAX_PIXELS) from None
    except (OSError, SyntaxError, EOFError, IndexError, struct.error) as exc:
        if fmt:
            raise Problem("image_corrupt_format", format=fmt, error=str(exc)) from None
        raise Problem("image_corrupt", error=str(exc)) from None
    try:
        img = ImageOps.exif_transpose(img)
    except Exception:  # noqa: BLE001 - a malformed EXIF block: keep the pixels as stored
        pass
    return _to_rgb(img)


def sample_names() -> list[str]:
    return list(SAMPLES)


def sample_path(name: str) -> Path:
    if name not in SAMPLES:
        raise ValueError(f"sample: unknown sample {name!r}; allowed: {', '.join(SAMPLES)}")
    return SAMPLES_DIR / SAMPLES[name]


def load_sample(name: str) -> Image.Image:
    return load(sample_path(name))


def fingerprint(img: Image.Image) -> str:
    """A content hash of the decoded pixels (size, mode and bytes), the image's cache key."""
    h = hashlib.sha256(f"{img.mode}:{img.size}".encode())
    h.update(img.tobytes())
    return h.hexdigest()[:32]


def resize_crop(img: Image.Image, resize: int = RESIZE, crop: int = CROP) -> Image.Image:
    """torchvision's eval preset in PIL: short side to `resize` (bilinear, antialiased), centre crop `crop`."""
    if resize < 1 or crop < 1 or crop > resize:
        raise ValueError(f"resize/crop: need 1 <= crop <= resize, got resize={resize}, crop={crop}")
    w, h = img.size
    scale = resize / min(w, h)
    new = (max(crop, round(w * scale)), max(crop, round(h * scale)))
    img = img.resize(new, Image.BILINEAR)
    left, top = (new[0] - crop) // 2, (new[1] - crop) // 2
    return img.crop((left, top, left + crop, top + crop))


def preprocess(img: Image.Image, mean=IMAGENET_MEAN, std=IMAGENET_STD, resize: int = RESIZE, crop: int = CROP):
    """RGB PIL image -> float32 tensor [3, crop, crop], normalised with per-channel mean/std (0..1 scale)."""
    import numpy as np
    import torch

    if img.mode != "RGB":
        img = _to_rgb(img)
    a = np.asarray(resize_crop(img, resize, crop), dtype=np.float32) / 255.0
    a = (a - np.asarray(mean, dtype=np.float32)) / np.asarray(std, dtype=np.float32)
    return torch.from_numpy(np.ascontiguousarray(a.transpose(2, 0, 1)))
