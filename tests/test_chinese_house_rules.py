"""House rules for the Chinese catalogue, and for Chinese pages as they render.

- Punctuation: full-width ，：；（） beside Chinese characters, Chinese quotation marks, no space before %, one
  ellipsis (……). Code (`...`), formulas ((H, W, M), 2·H·W·(9 + N)) and URLs are exempt.
- The glossary (app_support/strings/glossary.py): each concept one term; refused variants nowhere.
- Rendered pages (AppTest, every page, lang=zh): no raw part ids, English step names or Python values
  (True/False/None), no half-width colon or comma beside Chinese built by code."""
from __future__ import annotations

import itertools
import json
import re

import pandas as pd
import pytest

from app_support.strings import CATALOGUE
from app_support.strings.glossary import TERMS
from tests.apptest_support import open_page
from tests.test_robustness_urls import app_pages

ZH, EN = CATALOGUE["zh"], CATALOGUE["en"]
HAN = r"[\u3400-\u9fff]"
CJK = r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff60“”‘’…—]"   # Chinese characters and Chinese punctuation
EXEMPT = re.compile(r"`[^`]*`|\$[^$]*\$|https?://\S+|<[^>]+>")   # code, TeX, URLs, HTML tags
FORMULA = re.compile(r"[,+\-−×·/=*^<>≥≤²]|\{\w+\}")              # what makes (...) a formula, not a remark


def prose(text: str) -> str:
    """The text a reader reads as sentences: code, formulas in $...$, URLs and HTML tags blanked out."""
    return EXEMPT.sub(" ", text)


def punctuation_problems(text: str) -> list[str]:
    """Each problem as the offending stretch of text."""
    s = prose(text)
    found = []
    for m in re.finditer(r"[,:;]", s):
        left, right = s[:m.start()].rstrip()[-1:], s[m.end():].lstrip()[:1]
        if re.fullmatch(CJK, left or "a") or re.fullmatch(CJK, right or "a"):
            found.append(f"half-width {m.group()!r}: …{s[max(0, m.start() - 6):m.end() + 6]}…")
    for m in re.finditer(r"\(([^()]*)\)", s):
        inner, before, after = m.group(1), s[m.start() - 1:m.start()], s[m.end():m.end() + 1]
        remark = inner.strip() and not FORMULA.search(inner)
        if re.search(HAN, inner) or re.fullmatch(HAN, before or "a") or re.fullmatch(HAN, after or "a") or (
                remark and re.search(HAN, s)):
            found.append(f"half-width parentheses: {m.group()}")
    if re.search(r"[ \u00a0]%(?!\{)", s):
        found.append("space before %")
    if '"' in s or re.search(rf"{CJK}'|'{CJK}", s):
        found.append("ASCII quotation marks (use “” ‘’)")
    if re.search(r"\.\.\.|(?<!…)…(?!…)|………", s):
        found.append("ellipsis other than ……")
    return found


def phrasing_problems(text: str) -> list[str]:
    """Calques a Chinese reader trips on: "少 N 倍" (ambiguous: say 为……的 1/N or 是……的 N 倍) and slanted Chinese
    (Markdown *italics* have no Chinese glyphs: the browser slants them by force)."""
    found = [f"ratio phrasing: {m.group()}" for m in
             re.finditer(r"少 ?\{\w+\} ?倍|少多少倍|相差 ?\{\w+\} ?倍", text)]
    found += [f"italic Chinese: {m.group()}" for m in
              re.finditer(rf"(?<![*\w])\*(?!\*)[^*\n]*{HAN}[^*\n]*(?<!\*)\*(?!\*)", text)]
    return found


@pytest.mark.parametrize("text, bad", [
    ("它的 MACs 少 {x} 倍", True), ("少多少倍？", True), ("相差 {factor} 倍。", True), ("就说 o *看到了* i", True),
    ("为原来的 1/{x}", False), ("多的是少的 {factor} 倍", False), ("**为什么**高效", False), ("2 * 3 * 4", False),
])
def test_the_phrasing_rule_tells_good_from_bad(text, bad):
    assert bool(phrasing_problems(text)) == bad, phrasing_problems(text)


def test_no_ratio_calques_or_slanted_chinese_in_the_catalogue():
    problems = {key: p for key, text in ZH.items() if (p := phrasing_problems(text))}
    assert not problems, problems


@pytest.mark.parametrize("text, bad", [
    ("一个观察:训练好的 CNN 里,很多", True),
    ("{pct}(少 {x} 倍)", True),
    ("全网图谱:逐层", True),
    ("论文里的 \"FLOPs\" 通常指 MACs", True),
    ("top-1 **{top1} %**", True),
    ("正在加载…", True),
    ("ImageNet(已训练)", True),
    ("EfficientNet-Lite0(ImageNet) 的权重", True),
    ("设输入为 (H, W, M)、输出通道为 N：2·H·W·M·(9 + N)", False),
    ("运行 `python -m effviz.weights fetch resnet50`，或者", False),
    ("请用 `torch.onnx.export(..., external_data=False)` 重新导出", False),
    ("正在加载……", False),
    ("{pct}%（1/{factor}）", False),
])
def test_the_punctuation_rule_tells_good_from_bad(text, bad):
    assert bool(punctuation_problems(text)) == bad, punctuation_problems(text)


def test_chinese_punctuation_in_the_catalogue():
    problems = {key: p for key, text in ZH.items() if (p := punctuation_problems(text))}
    assert not problems, "\n".join(f"{k}: {v}" for k, v in sorted(problems.items()))


def test_the_glossary_is_one_term_per_concept():
    chosen = [term.chinese for term in TERMS]
    assert len(set(chosen)) == len(chosen)
    for term in TERMS:
        for pattern in term.refused:
            re.compile(pattern)
            assert not re.search(pattern, term.chinese), (term.chinese, pattern)
        assert term.source


@pytest.mark.parametrize("term", TERMS, ids=lambda term: term.english)
def test_refused_variants_appear_nowhere(term):
    hits = {key: pattern for key, text in ZH.items() for pattern in term.refused if re.search(pattern, prose(text))}
    assert not hits, f"{term.english} is {term.chinese!r} in Chinese; found {hits}"


@pytest.mark.parametrize("term", [t for t in TERMS if t.english_re], ids=lambda term: term.english)
def test_the_chosen_term_is_used(term):
    marker = term.marker or term.chinese
    missing = [key for key, text in EN.items() if re.search(term.english_re, prose(text)) and marker not in ZH[key]]
    assert not missing, f"English says {term.english}; Chinese should say {term.chinese}: {missing}"


# ---- pages as they render in Chinese -------------------------------------------------------------------------

RAW = re.compile(r"(?<![\w./-])(depthwise|pointwise|expand|project|se|reshape|head|primary|cheap|shortcut|"
                 r"gconv1|gconv2|dwconv|pw1|pw2|True|False|None|n/a)(?![\w./×-])")
BUILT = re.compile(rf"{HAN}[ ]?[:;,](?=\s|$)|{HAN}[:;,]{HAN}")   # a half-width separator after Chinese


def leaks_in_rendered_text(text: str) -> list[str]:
    """Raw ids, Python values and code-built half-width separators in text shown on a Chinese page. A quotation
    with no Chinese in it (“We observe around 20% speedup…”, the paper's own words) is verbatim, not a leak."""
    text = re.sub(r"“[^”\u4e00-\u9fff]*”", "“”", prose(text))
    return (sorted(set(RAW.findall(text))) + [f"half-width separator: {m.group()!r}" for m in BUILT.finditer(text)]
            + [f"space before %: {m.group()!r}" for m in re.finditer(r"\d[ \u00a0]%(?!\{)", text)])


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        hidden = ("customdata", "x", "y", "z", "ids", "parents", "legendgroup", "uid", "args")
        return [s for k, v in value.items() if k not in hidden for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def rendered_texts(at) -> list[str]:
    """Every string a reader sees in an AppTest run: markdown, captions, labels, options, metric values and
    deltas, table cells, headers and index, chart titles, legends, hover text and annotations."""
    out: list[str] = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            walk(child)
        kind = getattr(node, "type", "")
        for attr in ("value", "label", "help", "placeholder", "body", "delta"):
            try:
                v = getattr(node, attr, None)
            except Exception:  # some elements raise for attributes they do not have
                continue
            if isinstance(v, str):
                out.append(v)
            elif isinstance(v, pd.DataFrame):
                out.extend(map(str, v.columns))
                out.extend(map(str, v.index))
                out.extend(str(c) for c in v.to_numpy().ravel())
        options = getattr(node, "options", None)
        if isinstance(options, (list, tuple)):
            out.extend(str(o) for o in options)
        proto = getattr(node, "proto", None)
        if kind == "plotly_chart" and proto is not None:
            spec = json.loads(proto.spec)
            out.extend(_strings({"data": spec.get("data"), "layout": spec.get("layout")}))
        if kind == "graphviz_chart" and proto is not None:
            out.extend(re.findall(r'label="([^"]*)"', proto.spec))
        if kind in ("tab", "expander") and isinstance(getattr(proto, "label", None), str):
            out.append(proto.label)
    walk(at._tree)
    return out


# (page, URL query): every page's default view, plus the views that show part names and group numbers.
VIEWS = [(page, {}) for page in app_pages()] + [
    ("playground", {"family": "mbconv", "se_ratio": "0.25"}),
    ("playground", {"family": "ghost_bottleneck", "stride": "2", "c_out": "128"}),
    ("playground", {"family": "shuffle_v2", "stride": "2", "c_out": "128"}),
    ("playground", {"family": "shuffle_v1", "groups": "2"}),
    ("playground", {"family": "ghost_module", "c_out": "130", "ratio": "4"}),
    ("channel_shuffle", {"sh_groups": "4", "sh_layers": "2", "sh_shuffle": "0"}),
]


@pytest.mark.slow
@pytest.mark.parametrize("page, query", VIEWS, ids=lambda v: v if isinstance(v, str) else "-".join(v.values()))
def test_a_chinese_page_shows_no_raw_ids_or_python_values(page, query):
    at = open_page(page, {"lang": "zh", **query}, timeout=180)
    assert not at.exception, at.exception
    texts = rendered_texts(at)
    assert any(re.search(HAN, text) for text in texts)
    leaks = {leak: text[:160] for text in texts for leak in leaks_in_rendered_text(text)}
    assert not leaks, leaks


def test_every_part_of_every_family_has_a_name_in_the_catalogue():
    """The Playground names a block's parts (cost.leaves(): "right.pw1") by part.<segment>, in both languages:
    a family whose parts have no entry would show its ids."""
    from app_support.shell import block_choice as block
    from effviz import blocks
    from effviz.blocks import comparison

    segments = set()
    for family in blocks.names():
        fields = set(blocks.field_names(family))
        base = {k: v for k, v in block.DEFAULTS.items() if k in fields}
        for stride, se_ratio, wider in itertools.product((1, 2), (0, 0.25), (False, True)):
            params = {**base, **({"stride": stride} if "stride" in fields else {}),
                      **({"se_ratio": se_ratio} if "se_ratio" in fields else {})}
            params["c_out"] = params.get("c_in", 32) * (2 if wider else 1)
            spec, _ = comparison.try_make(family, **params)
            if spec is not None:
                segments |= {seg for name, _ in spec.cost(56, 56).leaves() for seg in name.split(".")}
    assert {"depthwise", "pointwise", "expand", "se", "project", "primary", "cheap"} <= segments
    missing = sorted(seg for seg in segments if f"part.{seg}" not in EN or f"part.{seg}" not in ZH)
    assert not missing, missing
