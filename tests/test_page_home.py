"""The landing page: the story's numbers are computed, and every preset link opens its page cleanly."""
from __future__ import annotations

import pytest

from app_support.home.story import STORY
from effviz import blocks
from tests.apptest_support import open_page
from tests.test_robustness_urls import app_pages, url_keys


def story_links():
    return [link for step in STORY for link in step.links]


def test_landing_page_quotes_computed_numbers():
    at = open_page("home")
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    seed = blocks.make("depthwise_separable", c_in=3, c_out=4, bias=True).cost(64, 64)
    assert f"{seed.parts['depthwise'].params} + {seed.parts['pointwise'].params} = {seed.params}" in text
    dense = blocks.make("standard", c_in=64, c_out=64).cost(56, 56).macs
    assert f"{dense:,}" in text and f"{dense // 4:,}" in text
    assert len(at.get("page_link")) == len(story_links())


@pytest.mark.parametrize("link", story_links(), ids=lambda link: f"{link.page}:{link.label_key}")
def test_every_story_link_opens_its_page_preset_without_notices(link):
    page = link.page.removeprefix("pages/").removesuffix(".py")
    assert page in app_pages()
    assert set(link.query) <= set(url_keys(page)), "a preset key the page does not read"
    at = open_page(page, link.query, timeout=180)
    assert not at.exception
    link_notices = [w.value for w in at.warning if w.icon == "🔗"]
    assert not link_notices, link_notices  # every preset value is valid
    for key, value in link.query.items():
        assert same(at.session_state[key], value), (key, at.session_state[key], value)


def same(state, text: str) -> bool:
    """A widget value against the link's text form ("1" for True, "6" for 6.0, names as they are)."""
    if isinstance(state, bool):
        return state == (text == "1")
    if isinstance(state, (int, float)):
        return float(state) == float(text)
    return str(state) == text


def test_newer_step_quotes_computed_numbers():
    """PConv at r = 1/4: 1/16 of a full 3x3 conv's MACs; the folded RepVGG block's params from its graphs."""
    from effviz.blocks import reparam

    text = " ".join(m.value for m in open_page("home").markdown)
    assert "FLOPs are not FLOPS" in text and "1/16 of a full conv's MACs" in text
    rep = reparam.RepSpec(c_in=32, c_out=32)
    train, deploy = rep.train_graph(56, 56).cost().params, rep.deploy_graph(56, 56).cost().params
    assert f"{train:,} parameters become {deploy:,}" in text
