"""effviz.redundancy.weights: offline resolution order, safe reading of weight files (a code-running pickle is refused
and never runs), shape checks, downloads from local file:// URLs with a progress callback, the fetch command.

Nothing here touches the internet: downloads read files the tests write, and the hub cache is a temp folder."""
from __future__ import annotations

import hashlib
import io
import os
import pickle
from pathlib import Path

import pytest
import torch
from torch import nn

from effviz import networks
from effviz.redundancy import weights


def tiny() -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Conv2d(4, 2, 1))


def tiny_state(seed=1) -> dict:
    torch.manual_seed(seed)
    return tiny().state_dict()


def hashed_name(data: bytes, stem="tiny") -> str:
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:8]}.pth"


def saved(sd: dict) -> bytes:
    buf = io.BytesIO()
    torch.save(sd, buf)
    return buf.getvalue()


@pytest.fixture
def hub(tmp_path, monkeypatch):
    """torch's hub folder moved into tmp_path (so the real cache is neither read nor written)."""
    monkeypatch.setattr(torch.hub, "_hub_dir", str(tmp_path / "hub"))
    monkeypatch.delenv("EFFVIZ_RESNET50_WEIGHTS", raising=False)
    return tmp_path / "hub" / "checkpoints"


@pytest.fixture
def tiny_arch(monkeypatch, tmp_path):
    """A registered architecture 'tiny' whose ImageNet file is at a local file:// URL."""
    data = saved(tiny_state())
    origin = tmp_path / "origin"
    origin.mkdir()
    path = origin / hashed_name(data)
    path.write_bytes(data)
    arch = networks.NetworkInfo("tiny", "Tiny", "test", (3, 8, 8), {}, {}, "a test's own", tiny, dict,
                                weights=networks.Weights(urls=((path.as_uri(), 224),), env="EFFVIZ_TINY_WEIGHTS"))
    monkeypatch.delenv("EFFVIZ_TINY_WEIGHTS", raising=False)
    monkeypatch.delenv(weights.ENV_OFFLINE, raising=False)
    with networks.REGISTRY.swapped("tiny", arch):   # registered beside the real networks, gone afterwards
        yield arch, path


def same_weights(model: nn.Module, sd: dict) -> bool:
    got = model.state_dict()
    return all(torch.equal(got[k], sd[k].to(got[k].dtype)) for k in sd)


# --- reading files: formats and refusals -------------------------------------------------------------------


def test_reads_torch_zip_legacy_and_safetensors(tmp_path):
    from safetensors.torch import save as save_safetensors

    sd = tiny_state()
    legacy = io.BytesIO()
    torch.save(sd, legacy, _use_new_zipfile_serialization=False)
    for data in (saved(sd), legacy.getvalue(), save_safetensors(sd)):
        got = weights.read_state_dict(data)
        assert set(got) == set(sd) and all(torch.equal(got[k], sd[k]) for k in sd)
    path = tmp_path / "w.pt"
    path.write_bytes(saved(sd))
    assert set(weights.read_state_dict(path)) == set(sd)
    assert set(weights.read_state_dict(io.BytesIO(saved(sd)))) == set(sd)


def test_unwraps_checkpoints_and_data_parallel_prefixes():
    sd = tiny_state()
    wrapped = {"epoch": 3, "state_dict": {f"module.{k}": v for k, v in sd.items()}}
    got = weights.read_state_dict(saved(wrapped))
    assert set(got) == set(sd)


class CreatesMarker:
    """Unpickling this would call Path.touch(marker): code execution, which must never happen."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.mark.parametrize("how", ["pickle", "torch.save"])
def test_a_code_running_pickle_is_refused_and_never_runs(tmp_path, how):
    marker = tmp_path / "pwned"
    evil = CreatesMarker(marker)
    if how == "pickle":
        data = pickle.dumps(evil, protocol=2)
    else:
        data = saved({"conv.weight": torch.zeros(1), "payload": evil})
    # sanity: an ordinary unpickler really would run it
    assert not marker.exists()
    with pytest.raises(ValueError, match="refused.*never unpickles"):
        weights.read_state_dict(data)
    assert not marker.exists()
    path = tmp_path / "evil.pth"
    path.write_bytes(data)
    with pytest.raises(ValueError, match="refused"):
        weights.load("resnet50", file=path)
    assert not marker.exists()


def test_the_marker_pickle_is_really_dangerous(tmp_path):
    # Proves the test above could fail: plain pickle.loads does create the marker.
    marker = tmp_path / "pwned"
    pickle.loads(pickle.dumps(CreatesMarker(marker)))
    assert marker.exists()


@pytest.mark.parametrize("data, match", [
    (b"", "empty"),
    (b"definitely not a weights file" * 5, "not a PyTorch"),
    (b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all", "safetensors"),
])
def test_junk_is_refused(data, match):
    with pytest.raises(ValueError, match=match):
        weights.read_state_dict(data)


def test_non_tensor_entries_are_refused():
    with pytest.raises(ValueError, match="not tensors"):
        weights.read_state_dict(saved({"a.weight": torch.zeros(2), "b": 3}))
    with pytest.raises(ValueError, match="state dict"):
        weights.read_state_dict(saved([torch.zeros(2)]))


def test_size_limit(tmp_path):
    data = saved(tiny_state())
    with pytest.raises(ValueError, match="limit"):
        weights.read_state_dict(data, max_bytes=len(data) - 1)
    path = tmp_path / "w.pt"
    path.write_bytes(data)
    with pytest.raises(ValueError, match="limit"):
        weights.read_state_dict(path, max_bytes=100)


# --- shape checks against the architecture -----------------------------------------------------------------


def test_shape_check_names_missing_unexpected_and_wrong_shapes():
    model = tiny()
    sd = tiny_state()
    bad = dict(sd)
    del bad["0.weight"]
    with pytest.raises(ValueError, match=r"1 missing \(e.g. 0.weight"):
        weights.check_state_dict(bad, model, "Tiny")
    with pytest.raises(ValueError, match="1 unexpected.*extra.bias"):
        weights.check_state_dict({**sd, "extra.bias": torch.zeros(1)}, model, "Tiny")
    with pytest.raises(ValueError, match=r"wrong shape.*3.weight: file \(5, 4, 1, 1\) vs Tiny \(2, 4, 1, 1\)"):
        weights.check_state_dict({**sd, "3.weight": torch.zeros(5, 4, 1, 1)}, model, "Tiny")
    with pytest.raises(ValueError, match="NaN"):
        weights.check_state_dict({**sd, "3.bias": torch.tensor([float("nan"), 0.0])}, model, "Tiny")
    no_counter = {k: v for k, v in sd.items() if "num_batches_tracked" not in k}
    assert set(weights.check_state_dict(no_counter, model)) == set(model.state_dict())


def test_resnet50_file_with_the_wrong_head_is_refused():
    torch.manual_seed(0)
    sd = torchvision_resnet50().state_dict()
    sd["fc.weight"] = torch.zeros(10, 2048)
    sd["fc.bias"] = torch.zeros(10)
    with pytest.raises(ValueError, match=r"does not match ResNet-50.*fc.weight: file \(10, 2048\) vs ResNet-50 "
                                         r"\(1000, 2048\)"):
        weights.load("resnet50", file=saved(sd))


def torchvision_resnet50():
    from torchvision.models import resnet50

    return resnet50()


def test_resnet50_weights_from_the_environment_variable(tmp_path, hub, monkeypatch):
    # A full ResNet-50 state dict (random values, half precision to keep the file small) is loaded, checked
    # against the architecture and used as the ImageNet weights, and info says where they came from.
    torch.manual_seed(3)
    sd = {k: (v.half() if v.is_floating_point() else v) for k, v in torchvision_resnet50().state_dict().items()}
    path = tmp_path / "classroom-resnet50.pth"
    torch.save(sd, path)
    monkeypatch.setenv("EFFVIZ_RESNET50_WEIGHTS", str(path))
    model, info = weights.load("resnet50", download=False)
    assert (info.network, info.weights, info.reason) == ("resnet50", "imagenet", "env")
    assert str(path) in info.detail and "EFFVIZ_RESNET50_WEIGHTS" in info.detail
    assert same_weights(model, sd)
    assert not model.training and not any(p.requires_grad for p in model.parameters())


def test_resnet50_urls_are_torchvisions():
    from torchvision.models import ResNet50_Weights

    urls = [u for u, _ in weights.weights_of("resnet50").urls]
    assert urls == [ResNet50_Weights.IMAGENET1K_V2.url, ResNet50_Weights.IMAGENET1K_V1.url]
    sizes = [r for _, r in weights.weights_of("resnet50").urls]
    assert sizes == [ResNet50_Weights.IMAGENET1K_V2.transforms().resize_size[0],
                     ResNet50_Weights.IMAGENET1K_V1.transforms().resize_size[0]]


# --- the resolution order ----------------------------------------------------------------------------------


def test_user_file_wins_and_is_labelled(tiny_arch):
    sd = tiny_state(seed=7)
    model, info = weights.load("tiny", file=saved(sd))
    assert (info.weights, info.reason) == ("file", "file") and same_weights(model, sd)
    assert info.label == "Tiny (your file)"
    assert info.key.startswith("tiny:file:")


def test_environment_variable_then_cache_then_download(tiny_arch, hub, tmp_path, monkeypatch):
    arch, origin = tiny_arch
    sd = tiny_state()
    # 1. environment variable
    env_sd = tiny_state(seed=9)
    env_file = tmp_path / "env.pt"
    env_file.write_bytes(saved(env_sd))
    monkeypatch.setenv("EFFVIZ_TINY_WEIGHTS", str(env_file))
    model, info = weights.load("tiny", download=False)
    assert info.reason == "env" and same_weights(model, env_sd)
    # a broken env file is reported and the search goes on (here: to a download from the file:// URL)
    env_file.write_bytes(b"garbage")
    calls = []
    model, info = weights.load("tiny", download=True, progress=lambda done, total: calls.append((done, total)))
    assert info.reason == "downloaded" and same_weights(model, sd)
    assert any("EFFVIZ_TINY_WEIGHTS" in p and "refused" in p for p in info.problems)
    size = origin.stat().st_size
    assert calls[0][0] == 0 and calls[-1] == (size, size)
    assert (hub / origin.name).read_bytes() == origin.read_bytes()
    # 2. now it is in the hub cache: no download needed, even with downloads forbidden
    monkeypatch.delenv("EFFVIZ_TINY_WEIGHTS")
    origin.unlink()
    model, info = weights.load("tiny", download=False)
    assert info.reason == "cache" and same_weights(model, sd) and origin.name in info.detail


def test_offline_switch_means_no_download(tiny_arch, hub, monkeypatch):
    monkeypatch.setenv(weights.ENV_OFFLINE, "1")
    monkeypatch.setattr(weights, "download", lambda *a, **k: pytest.fail("download attempted while offline"))
    with networks.REGISTRY.swapped("efficientnet_lite0", networks.REGISTRY["tiny"]), \
            pytest.raises(ValueError, match="downloads are off"):
        weights.load("tiny", fallback=False)


def test_failed_download_is_reported(tiny_arch, hub, tmp_path):
    arch, origin = tiny_arch
    origin.unlink()                      # the "server" has nothing: urllib raises URLError (an OSError)
    with pytest.raises(ValueError, match="download failed"):
        weights.load("tiny", download=True, fallback=False)
    assert not hub.exists() or not any(hub.iterdir())   # no partial file left behind


def test_untrained_is_seeded_and_labelled(tiny_arch):
    a, info = weights.load("tiny", "untrained")
    b, _ = weights.load("tiny", "untrained")
    assert all(torch.equal(x, y) for x, y in zip(a.state_dict().values(), b.state_dict().values(), strict=True))
    assert info.weights == "untrained" and not info.trained and "untrained" in info.label
    assert "untrained" in info.detail and "random" in info.source


def test_bad_names_are_refused():
    with pytest.raises(ValueError, match="network.*resnet50, efficientnet_lite0"):
        weights.load("vgg16")
    with pytest.raises(ValueError, match="weights.*imagenet, untrained"):
        weights.load("resnet50", "cifar")


# --- downloads ----------------------------------------------------------------------------------------------


def test_download_checks_the_hash_in_the_file_name(tmp_path):
    data = saved(tiny_state())
    src = tmp_path / "src"
    src.mkdir()
    good = src / hashed_name(data)
    good.write_bytes(data)
    out = weights.download(good.as_uri(), tmp_path / "dest")
    assert out.read_bytes() == data
    wrong = src / "tiny-deadbeef.pth"
    wrong.write_bytes(data)
    with pytest.raises(ValueError, match="checksum mismatch"):
        weights.download(wrong.as_uri(), tmp_path / "dest")
    assert not (tmp_path / "dest" / "tiny-deadbeef.pth").exists()
    assert [p.name for p in (tmp_path / "dest").iterdir()] == [good.name]   # no .partial left


def test_download_size_limit(tmp_path):
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(3 << 20))
    with pytest.raises(ValueError, match="limit"):
        weights.download(src.as_uri(), tmp_path / "dest", max_bytes=1 << 20)
    assert not any((tmp_path / "dest").iterdir())


def test_fetch_command(tiny_arch, tmp_path, capsys):
    arch, origin = tiny_arch
    rc = weights.main(["fetch", "tiny", "--url", origin.as_uri(), "--dir", str(tmp_path / "out")])
    assert rc == 0
    assert (tmp_path / "out" / origin.name).read_bytes() == origin.read_bytes()
    assert "saved to" in capsys.readouterr().out
    # a file that is not the architecture's weights is downloaded but reported as failed
    other = tmp_path / hashed_name(saved({"x": torch.zeros(1)}), "other")
    other.write_bytes(saved({"x": torch.zeros(1)}))
    assert weights.main(["fetch", "tiny", "--url", other.as_uri(), "--dir", str(tmp_path / "out")]) == 1
    assert "does not match" in capsys.readouterr().err


def test_fetch_is_a_module_command():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "effviz.redundancy.weights", "fetch", "--help"], capture_output=True,
                         text=True, cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert out.returncode == 0 and "resnet50" in out.stdout


def test_pending_download_says_what_load_would_fetch(tiny_arch, hub, monkeypatch):
    arch, origin = tiny_arch
    assert weights.pending_download("tiny") == origin.as_uri()
    assert weights.pending_download("tiny", allow_download=False) is None
    monkeypatch.setenv(weights.ENV_OFFLINE, "1")
    assert weights.pending_download("tiny") is None
    monkeypatch.delenv(weights.ENV_OFFLINE)
    weights.download_to_cache(origin.as_uri())
    assert weights.pending_download("tiny") is None          # now cached
    assert weights.pending_download("efficientnet_lite0") is None   # ships with a package, nothing to fetch


# --- the offline default: EfficientNet-Lite0 with real ImageNet weights -----------------------------------------


def test_offline_resnet50_falls_back_to_lite0_and_says_why(hub, monkeypatch):
    monkeypatch.setenv(weights.ENV_OFFLINE, "1")
    monkeypatch.setattr(weights, "download", lambda *a, **k: pytest.fail("download attempted while offline"))
    model, info = weights.load("resnet50")
    assert (info.network, info.weights, info.reason) == ("efficientnet_lite0", "imagenet", "fallback")
    assert info.fallback and info.trained and info.requested == "resnet50/imagenet"
    assert "ResNet-50 ImageNet weights not found offline" in info.detail
    assert "EfficientNet-Lite0 (ImageNet)" in info.detail and "downloads are off" in info.detail
    assert weights.LITE0_PACKAGE in info.source
    assert info.label == "EfficientNet-Lite0 (ImageNet)"
    assert not model.training
    with pytest.raises(ValueError, match="no ImageNet weights for ResNet-50"):
        weights.load("resnet50", fallback=False)


# the photo's true content, as ImageNet class names (any one in the top 5 counts)
TRUTH = {
    "cat": {"tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat"},
    "coffee": {"espresso", "cup", "coffee mug"},
    "cameraman": {"tripod", "reflex camera", "Polaroid camera"},
    "rocket": {"missile", "projectile", "space shuttle"},
}


def test_lite0_weights_are_really_imagenet_pretrained():
    from effviz.redundancy import features, images

    names = weights.categories()
    model, info = weights.load("efficientnet_lite0")
    assert (info.network, info.weights) == ("efficientnet_lite0", "imagenet")
    for sample, truth in TRUTH.items():
        top5 = {names[i] for i, _ in features.predict(model, images.load_sample(sample), info, k=5)}
        assert top5 & truth, (sample, top5)
    # the same architecture untrained does not recognise the cat: the weights, not the code, do
    untrained, uinfo = weights.load("efficientnet_lite0", "untrained")
    top5 = {names[i] for i, _ in features.predict(untrained, images.load_sample("cat"), uinfo, k=5)}
    assert not top5 & TRUTH["cat"]


def test_lite0_package_file_goes_through_the_safe_loader(monkeypatch):
    seen = []
    real = weights.read_state_dict
    monkeypatch.setattr(weights, "read_state_dict", lambda src, *a: seen.append(type(src)) or real(src, *a))
    weights.load("efficientnet_lite0")
    assert seen, "the packaged Lite0 weights must be read with read_state_dict (weights_only)"
