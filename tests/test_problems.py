"""The library returns codes and values, the app makes the sentences (issue 12): what effviz refuses
(effviz.problems) and the Latency Lab's guideline set-ups (effviz.speed.guidelines) carry codes that the string
catalogue words in English and Chinese; the English is the library's own text, word for word; the pages word
them through the catalogue and never show or match the library's English."""
from __future__ import annotations

import ast
import io
import itertools
import pickle
import re
import string
from pathlib import Path

import pytest

from app_support.strings import CATALOGUE
from effviz import blocks, shuffle
from effviz.blocks import comparison
from effviz.problems import CODES, MESSAGES, Problem, sentence_values
from effviz.shuffle import connectivity
from effviz.speed import guidelines
from tests.apptest_support import open_page

ROOT = Path(__file__).resolve().parents[1]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def worded(problem: Problem, lang: str) -> str:
    """What app_support.shell.i18n.problem_text shows in `lang` (without a Streamlit session), problems inside a problem
    (a mismatch's parts, an attempt's error) worded in `lang` too."""
    table = CATALOGUE[lang]
    return table[f"problem.{problem.code}"].format(**sentence_values(problem.values, table["problem.and"],
                                                                     lambda p: worded(p, lang)))


def chinese(problem: Problem) -> str:
    """The Chinese wording of a problem, checked to be Chinese and to differ from the English."""
    text = worded(problem, "zh")
    assert text != str(problem) and re.search(r"[\u4e00-\u9fff]", text), text
    return text


def refusals() -> list[Problem]:
    """Every refusal the Playground and the Latency Lab meet over a grid of settings, and the shuffle pages'."""
    out = []
    for family in blocks.names():
        for c_in, c_out, groups, kernel, stride in itertools.product((3, 24, 64), (2, 24, 25, 96), (1, 3, 8),
                                                                      (1, 3, 4), (1, 2)):
            params = dict(c_in=c_in, c_out=c_out, groups=groups, kernel=kernel, stride=stride, expansion=6)
            spec, problem = comparison.try_make(family, **params)
            assert (spec is None) == (problem is not None)
            if problem is not None:
                out.append(problem)
    for call in (lambda: shuffle.permutation(12, 5), lambda: shuffle.permutation(0, 1),
                 lambda: shuffle.source_group(20, 12, 3),
                 lambda: connectivity.stack(12, 5), lambda: blocks.make("mbconv", c_in=8, c_out=8, expansion=20),
                 lambda: blocks.make("mbconv", c_in=8, c_out=8, se_ratio=2.0),
                 lambda: blocks.make("standard", c_in=8, c_out=8, activation="gelu"),
                 lambda: blocks.make("standard", c_in=8.5, c_out=8)):
        with pytest.raises(Problem) as caught:
            call()
        out.append(caught.value)
    return out


REFUSALS = refusals()


def test_every_code_is_worded_in_both_languages_and_the_english_is_the_librarys():
    for code in CODES:
        en, zh = CATALOGUE["en"][f"problem.{code}"], CATALOGUE["zh"][f"problem.{code}"]
        assert en == MESSAGES[code]
        assert placeholders(zh) == placeholders(en), code
        assert not re.search(r"[a-z]{4,} [a-z]{3,}", re.sub(r"\{\w+\}|c_in|c_out|se_ratio|expansion|ImageNet", "",
                                                             zh)), zh
    words = {"and", "what.image", "what.weights_file", "what.onnx_file"}
    assert {k.removeprefix("problem.") for k in CATALOGUE["en"] if k.startswith("problem.")} == {*CODES, *words}


def test_the_refusals_are_problems_with_codes():
    codes = {p.code for p in REFUSALS}
    assert codes >= {"divides", "odd_kernel", "split_equal", "add_equal", "concat_wider", "even_branches",
                     "range", "expansion", "se_ratio", "choice", "integer", "positive"}, codes
    for p in REFUSALS:
        assert isinstance(p, Problem) and isinstance(p, ValueError) and p.code in CODES
        assert str(p) == worded(p, "en")       # the English a user saw before, unchanged
        chinese = worded(p, "zh")
        assert chinese != str(p) and re.search(r"[\u4e00-\u9fff]", chinese), chinese
        again = pickle.loads(pickle.dumps(p))
        assert (again.code, dict(again.values), str(again)) == (p.code, dict(p.values), str(p))
    with pytest.raises(ValueError, match="unknown problem code"):
        Problem("nonsense")


def test_guideline_setups_are_codes_worded_by_the_catalogue():
    for name in guidelines.NAMES:
        for s in guidelines.setups(name):
            values = s.values
            for part, english in (("label", s.label), ("detail", s.detail)):
                key = f"latency_lab.setup.{part}.{s.case}"
                assert CATALOGUE["en"][key].format(**values) == english
                assert placeholders(CATALOGUE["zh"][key]) == placeholders(CATALOGUE["en"][key])
    assert CATALOGUE["zh"]["latency_lab.setup.label.relu_on_shortcut_off"] != "ReLU on, shortcut off"


def families_at_rows(text: str) -> set[str]:
    """The names a source binds to comparison.families_at's rows: `rows = comparison.families_at(...)` and the
    loop variables over either (`for r in rows`, `for r in comparison.families_at(...)`, comprehensions too)."""
    tree = ast.parse(text)

    def is_call(node) -> bool:
        return isinstance(node, ast.Call) and ast.unparse(node.func).endswith("families_at")

    lists = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) and is_call(n.value)
             for t in n.targets if isinstance(t, ast.Name)}
    loops = {n.target.id for n in ast.walk(tree) if isinstance(n, (ast.For, ast.comprehension))
             and isinstance(n.target, ast.Name) and (is_call(n.iter) or (isinstance(n.iter, ast.Name)
                                                                          and n.iter.id in lists))}
    return lists | loops


def test_the_row_check_finds_families_at_rows():
    assert families_at_rows("for r in comparison.families_at(1, 1):\n    r.note") == {"r"}
    assert families_at_rows("rows = comparison.families_at(1, 1)\nx = [q.note for q in rows]") == {"rows", "q"}


def test_pages_word_library_results_through_the_catalogue():
    """No page shows a library note, a set-up's English label or a raw refusal: they go through problem_text /
    setup_label / setup_detail."""
    sources = {str(p.relative_to(ROOT)): p.read_text()
               for p in [*(ROOT / "pages").glob("*.py"), *app_modules()]}
    for name, text in sources.items():
        for row in families_at_rows(text):   # a comparison.Row's note is the library's English
            assert not re.search(rf"\b{row}\.note\b", text), name
        if re.search(r"spec, problem = comparison\.try_make", text):   # the refusal is worded, not shown raw
            assert "problem_text(problem)" in text and ", problem))" not in text, name
        assert "problem=problem)" not in text, name
        assert not re.search(r"(?<!lab\.)\b(s|setup)\.(label|detail)\b", text.replace("r.setup.label:", "")), name
        for m in re.finditer(r"(playground\.invalid|shuffle\.invalid|shuffle\.units\.unavailable)\", problem=(\w+)",
                             text):
            assert m.group(2) == "problem_text", (name, m.group(0))


def test_playground_refusal_in_chinese():
    """A slider moved to a block the family refuses shows the refusal, worded in the page's language (a link to
    one is moved to the nearest block the family takes instead: test_page_playground)."""
    at = open_page("playground", {"family": "shuffle_v1", "c_in": "240", "c_out": "240", "stride": "1"})
    at.session_state["c_out"] = 480  # as the slider sets it
    at.run()
    assert not at.exception
    assert "c_out must equal c_in=240 for a stride-1 unit (residual add), got 480" in at.error[0].value
    at.session_state["lang"] = "zh"  # as the sidebar sets it (AppTest cannot rerun a page drawn in Chinese again)
    at.run()
    assert not at.exception
    text = at.error[0].value
    assert "要求 c_out 等于 c_in=240" in text and "must" not in text


def test_weights_attempts_and_refusal_are_codes(tmp_path, monkeypatch):
    """ResNet-50 offline: the fallback's attempts and the refusal without fallback are coded problems, worded in
    both languages (the Feature Redundancy page shows them through problem_text)."""
    import torch

    from effviz.redundancy import weights

    monkeypatch.setattr(torch.hub, "_hub_dir", str(tmp_path / "hub"))
    monkeypatch.delenv("EFFVIZ_RESNET50_WEIGHTS", raising=False)
    monkeypatch.setenv(weights.ENV_OFFLINE, "1")
    _, info = weights.load("resnet50")
    assert info.fallback and [p.code for p in info.attempts] == ["weights_offline"]
    assert info.problems == tuple(str(p) for p in info.attempts)       # the English, as before
    assert "downloads are off" in info.problems[0] and "下载已关闭" in worded(info.attempts[0], "zh")
    with pytest.raises(Problem) as caught:
        weights.load("resnet50", fallback=False)
    refusal = caught.value
    assert refusal.code == "weights_none" and [p.code for p in refusal.values["attempts"]] == ["weights_offline"]
    assert str(refusal).startswith("weights: no ImageNet weights for ResNet-50: not in the torch hub cache")
    zh = CATALOGUE["zh"]["problem.weights_none"].format(**sentence_values(
        refusal.values, "和", lambda p: worded(p, "zh")))
    assert "找不到 ResNet-50 的 ImageNet 权重" in zh and "下载已关闭" in zh and "downloads" not in zh


def test_feature_redundancy_words_the_weights_through_the_catalogue():
    # the page's inputs and its weights notice live in app_support since the page became layout only
    notice = (ROOT / "app_support" / "feature_redundancy" / "weights_provenance.py").read_text()
    assert "info.problems" not in notice and "info.detail" not in notice and "problem_text" in notice
    inputs = (ROOT / "app_support" / "feature_redundancy" / "inputs.py").read_text()
    assert inputs.count('problem=problem_text(exc)), icon="⚠️")') == 3


def test_bad_uploads_are_coded_problems():
    """A user's bad photo (and any file over its limit, or empty) is refused with a code; the English is the
    message users saw before, and the Chinese is Chinese."""
    from effviz import uploads
    from effviz.redundancy import images
    from tests.test_robustness_uploads import BAD_IMAGES

    seen = set()
    for name, data, _, needle in BAD_IMAGES:
        if needle is None:
            continue
        with pytest.raises(Problem) as caught:
            images.load(data)
        p = caught.value
        seen.add(p.code)
        assert needle in str(p) and str(p) == worded(p, "en"), name
        assert re.search(r"[\u4e00-\u9fff]", worded(p, "zh")), name
    assert {"upload_empty", "image_unknown", "image_corrupt_format"} <= seen, seen
    with pytest.raises(Problem, match="weights file: the file is larger than the limit of 10 bytes") as caught:
        uploads.read_bounded(b"x" * 11, 10, "weights file")
    assert caught.value.code == "upload_too_large" and caught.value.values["what"] == "weights file"


def test_app_shows_library_errors_through_problem_text():
    """Errors from the library reach the user through problem_text (a coded problem in the reader's language;
    anything else as its own text), never formatted raw into a message."""
    for path in [*(ROOT / "pages").glob("*.py"), *app_modules()]:
        text = path.read_text()
        assert not re.search(r"problem=(exc|err|problem)\)", text), path.name


def test_bad_onnx_files_are_coded_problems():
    """Every ONNX file the reader refuses is a coded problem whose English is the message users saw before (and
    that tests/test_onnx_bad_files.py matches), worded in Chinese; across the isolated reader's process boundary
    (the app reads uploads there) it stays a coded problem."""
    from effviz.networks.onnxfile import isolated, reading
    from tests.test_onnx_bad_files import REFUSED

    seen = set()
    for name, payload, needle in REFUSED:
        with pytest.raises(Problem) as caught:
            reading.read(payload)
        p = caught.value
        seen.add(p.code)
        assert needle.lower() in str(p).lower() and str(p) == worded(p, "en"), name
        assert "ONNX" in chinese(p), name
        again = pickle.loads(pickle.dumps(p))   # nested problems (the tensor a refusal names) compare by wording
        assert (again.code, str(again), worded(again, "zh")) == (p.code, str(p), worded(p, "zh"))
    assert {"upload_empty", "onnx_not_protobuf", "onnx_external_data", "onnx_cycle", "onnx_two_producers",
            "onnx_missing_tensor", "onnx_opset_newer", "onnx_no_input", "onnx_dynamic_not_image",
            "onnx_inferred_too_large"} <= seen and seen & {"onnx_stored_values", "onnx_stored_bytes"}, seen
    with pytest.raises(Problem) as caught:
        isolated.profile_onnx(b"these are my lecture notes, not a network\n" * 40)
    assert caught.value.code == "onnx_not_protobuf" and "不是 ONNX 模型" in chinese(caught.value)
    external = next(p for n, p, _ in REFUSED if n == "external data")
    with pytest.raises(Problem) as caught:
        reading.read(external)
    tensor = caught.value.values["tensor"]
    assert tensor.code == "onnx_tensor_initializer" and tensor.values["name"] == "w"
    assert chinese(caught.value).startswith("ONNX 文件：初始值 “w” 的数据存放在另一个文件里"), chinese(caught.value)
    inside = reading._label(("onnx_tensor_attribute", {"attribute": "value", "node": "C",
                                                        "where": ("onnx_in_function", {"function": "f"})}))
    assert str(inside) == "attribute 'value' of node 'C' (in function 'f')"
    assert chinese(inside) == "节点 “C” 的属性 “value”（在函数 “f” 中）"


def test_timm_refusals_are_coded_problems(monkeypatch):
    """An unknown timm name (with and without similar names), a fixed-size architecture at another size, and a
    build failure are coded problems; the third-party error's text stays a value inside the Chinese sentence."""
    pytest.importorskip("timm")
    from effviz import networks
    from effviz.networks import timm_models

    with pytest.raises(Problem) as caught:
        networks.info("timm/ghostnet_999")
    p = caught.value
    assert p.code == "timm_unknown" and p.values["arch"] == "ghostnet_999"
    assert str(p).startswith("unknown timm architecture 'ghostnet_999' (timm ") and "未知的 timm 架构" in chinese(p)
    with pytest.raises(Problem) as caught:
        timm_models.info("timm/ghostnet")
    assert caught.value.code == "timm_unknown_similar" and "ghostnet_100" in caught.value.values["similar"]
    assert "; similar: ghostnet_050, ghostnet_100" in str(caught.value)
    assert "相近的：ghostnet_050, ghostnet_100" in chinese(caught.value)
    with pytest.raises(Problem) as caught:
        timm_models.profile("timm/vit_tiny_patch16_224", 320)
    assert caught.value.code == "timm_fixed_size" and str(caught.value).endswith("got 320×320")
    chinese(caught.value)

    def broken(name):
        raise RuntimeError("the architecture's own error\nsecond line")

    monkeypatch.setattr(networks, "build_meta", broken)
    with pytest.raises(Problem) as caught:
        timm_models.profile("timm/ghostnet_100")
    p = caught.value
    assert p.code == "timm_build_failed" and p.values["detail"] == "the architecture's own error"
    assert str(p).endswith("could not be built or traced here (RuntimeError: the architecture's own error)")
    assert "无法在这里构建或追踪（RuntimeError：the architecture's own error）" in chinese(p)


def test_bad_weight_files_are_coded_problems(tmp_path):
    """Every weights file the Feature Redundancy page refuses is a coded problem (the English as before); a file of
    another architecture is a mismatch whose parts are problems too, worded in Chinese to the last part."""
    from effviz.redundancy import weights
    from tests.test_robustness_uploads import weight_files

    marker, files = weight_files(tmp_path)
    seen = {}
    for name, data, _ in files:
        with pytest.raises(Problem) as caught:
            weights.load_file("resnet50", data)
        p = caught.value
        seen[name] = p
        assert str(p) == worded(p, "en"), name
        chinese(p)
    assert not marker.exists()
    assert {p.code for p in seen.values()} >= {"weights_pickle_global", "weights_mismatch", "weights_not_weights",
                                                "upload_empty"}, {n: p.code for n, p in seen.items()}
    mismatch = seen["wrong.pth"]
    assert [q.code for q in mismatch.values["parts"]] == ["weights_missing_keys", "weights_wrong_shapes"]
    assert str(mismatch).startswith("weights file: does not match ResNet-50: ") and " missing (e.g. " in str(mismatch)
    zh = chinese(mismatch)
    assert "与 ResNet-50 不匹配" in zh and "缺少" in zh and "1 项形状不对" in zh
    assert "fc.weight：文件中为 (10, 10)" in zh
    assert "missing" not in zh and "wrong shape" not in zh


def test_a_wrong_shape_and_a_refused_weights_file_inside_an_attempt_are_worded(tmp_path, monkeypatch):
    """Shapes that differ are problems inside the mismatch; a refused file named by the environment variable is
    an attempt whose `error` is the library's own problem, so the app words it in Chinese too."""
    import torch

    from effviz.redundancy import weights

    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4))
    sd = {k: v.clone() for k, v in model.state_dict().items()}
    sd["0.weight"] = torch.zeros(4, 3, 5, 5)
    with pytest.raises(Problem) as caught:
        weights.check_state_dict(sd, model, "tiny")
    p = caught.value
    assert str(p) == ("weights file: does not match tiny: 1 with the wrong shape (e.g. 0.weight: file (4, 3, 5, 5) "
                      "vs tiny (4, 3, 3, 3))")
    assert "0.weight：文件中为 (4, 3, 5, 5)，tiny 需要 (4, 3, 3, 3)" in chinese(p)

    bad = tmp_path / "bad.pth"
    bad.write_bytes(b"\x00" * 64)
    monkeypatch.setattr(torch.hub, "_hub_dir", str(tmp_path / "hub"))
    monkeypatch.setenv("EFFVIZ_RESNET50_WEIGHTS", str(bad))
    monkeypatch.setenv(weights.ENV_OFFLINE, "1")
    _, info = weights.load("resnet50")
    attempt = info.attempts[0]
    assert attempt.code == "weights_env_refused" and isinstance(attempt.values["error"], Problem)
    assert str(attempt) == f"EFFVIZ_RESNET50_WEIGHTS={bad} was refused: {attempt.values['error']}"
    assert "被拒绝：权重文件：" in chinese(attempt)


def test_download_refusals_are_coded_problems(tmp_path, monkeypatch):
    from effviz.redundancy import weights

    class Response(io.BytesIO):
        headers = {"Content-Length": "100"}

    monkeypatch.setattr(weights.urllib.request, "urlopen", lambda url, timeout: Response(b"x" * 100))
    with pytest.raises(Problem) as caught:
        weights.download("https://example.invalid/w.pth", tmp_path, max_bytes=10)
    assert caught.value.code == "download_too_large"
    assert str(caught.value) == "download: https://example.invalid/w.pth is 100 bytes, over the limit of 10"
    assert "超过了 10 的上限" in chinese(caught.value)
    with pytest.raises(Problem) as caught:
        weights.download("https://example.invalid/w-abcdef12.pth", tmp_path)
    assert caught.value.code == "download_checksum" and "校验和不符" in chinese(caught.value)
    assert not list(tmp_path.iterdir())          # nothing partial left behind


def test_network_explorer_words_a_malformed_onnx_upload_in_chinese(monkeypatch):
    from app_support.shell import i18n

    # AppTest formats the source radio's options outside the script run (no session: English), then cannot find
    # its Chinese option; the language is Chinese for it too
    with monkeypatch.context() as m:
        m.setattr(i18n, "lang", lambda: "zh")
        at = open_page("network_explorer", {"nx_src": "onnx", "lang": "zh"}, timeout=120)
        at.file_uploader(key="nx_onnx_file").set_value(("notes.onnx", b"lecture notes, not a network\n" * 40,
                                                        "application/octet-stream"))
        at.run(timeout=120)
    assert not at.exception
    text = at.error[0].value
    assert "notes.onnx 无法分析：ONNX 文件：不是 ONNX 模型" in text and "not an ONNX model" not in text, text
    at = open_page("network_explorer", {"nx_src": "onnx"}, timeout=120)
    at.file_uploader(key="nx_onnx_file").set_value(("notes.onnx", b"lecture notes, not a network\n" * 40,
                                                    "application/octet-stream"))
    at.run(timeout=120)
    assert "notes.onnx cannot be profiled: ONNX file: not an ONNX model" in at.error[0].value


def test_latency_lab_network_failures_are_worded_in_the_readers_language(monkeypatch):
    """A network the Latency Lab cannot time: the timing process that stopped, or the library's problem (torch's
    own error as its text), each in the reader's language."""
    from app_support.latency_lab import runs as latency_runs
    from app_support.shell import i18n
    from app_support.shell.latency_queue import TimingStopped

    stopped = TimingStopped("the timing process stopped before it finished; try again")
    refused = Problem("timm_time_limit", network="GhostNet", limit=60.0)
    assert latency_runs.failure_text(stopped) == str(stopped)
    assert latency_runs.failure_text(refused) == str(refused)
    assert latency_runs.failure_text(RuntimeError("torch's own words")) == "torch's own words"
    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    assert latency_runs.failure_text(stopped) == "计时进程在完成前停止了；请再试一次"
    assert latency_runs.failure_text(refused) == "GhostNet 在这里的追踪时间超过了 60 秒的上限"
    assert "problem_text(err)" not in (ROOT / "pages" / "latency_lab.py").read_text()
    assert "runs.failure_text(err)" in (ROOT / "pages" / "latency_lab.py").read_text()


def test_feature_redundancy_words_a_mismatched_weights_file_in_chinese(tmp_path, monkeypatch):
    from app_support.shell import i18n
    from tests.test_robustness_uploads import weight_files

    _, files = weight_files(tmp_path)
    wrong = next(data for name, data, _ in files if name == "wrong.pth")
    with monkeypatch.context() as m:      # the language is Chinese for AppTest's own formatting of options too
        m.setattr(i18n, "lang", lambda: "zh")
        at = open_page("feature_redundancy", {"fr_weights": "file", "fr_image": "coffee", "lang": "zh"},
                       timeout=180)
        at.file_uploader(key="fr_weights_file").set_value(("wrong.pth", wrong, "application/octet-stream"))
        at.run(timeout=180)
    assert not at.exception
    text = at.error[0].value
    assert "权重文件：与 ResNet-50 不匹配：缺少" in text and "missing" not in text and "wrong shape" not in text, text


def app_modules() -> list[Path]:
    """The app_support modules of the shell and of the pages' packages (strings/ and classroom/ have their own
    tests)."""
    return [p for p in sorted((ROOT / "app_support").rglob("*.py")) if p.parent.name not in ("strings", "classroom")]
