"""URL parsing (pure) and the string catalogue."""
from __future__ import annotations

import re

import pytest

from app_support.shell import urlstate as url
from app_support.strings import CATALOGUE, MODULES

INT = url.IntParam("c_in", 64, 1, 1024)


@pytest.mark.parametrize("raw, value, notice", [
    ("32", 32, False), ("0", 1, True), ("-5", 1, True), ("999999", 1024, True), ("1e400", 64, True),
    ("nan", 64, True), ("abc", 64, True), ("", 64, True), ("12.6", 13, True), (" 8 ", 8, False),
    ("9" * 5000, 64, True),
])
def test_int_param_parse(raw, value, notice):
    got, problem = INT.parse(raw)
    assert got == value and isinstance(got, int)
    assert (problem is not None) == notice
    if problem:
        assert "c_in" in problem and len(problem) < 300  # names the key; never echoes a huge value


def test_choice_bool_float_params():
    fam = url.ChoiceParam("family", "standard", ("standard", "group"))
    assert fam.parse("GROUP") == ("group", None)
    value, problem = fam.parse("inception")
    assert value == "standard" and "standard, group" in problem
    flag = url.BoolParam("bias", False)
    assert flag.parse("on") == (True, None) and flag.parse("0") == (False, None)
    assert flag.parse("maybe")[0] is False and flag.parse("maybe")[1]
    exp = url.FloatParam("expansion", 6.0, 1.0, 8.0, 0.5)
    assert exp.parse("2.5") == (2.5, None)
    assert exp.parse("2.6")[0] == 2.5 and exp.parse("100")[0] == 8.0 and exp.parse("inf")[0] == 6.0


def test_catalogues_have_the_same_keys_and_placeholders():
    en, zh = CATALOGUE["en"], CATALOGUE["zh"]
    assert set(en) == set(zh), set(en) ^ set(zh)
    field = re.compile(r"\{(\w+)")
    for key in en:
        assert set(field.findall(en[key])) == set(field.findall(zh[key])), key
        assert zh[key].strip(), key
    for module in MODULES:
        assert set(module.EN) == set(module.ZH), module.__name__


def test_chinese_catalogue_is_chinese():
    zh = CATALOGUE["zh"]
    with_han = [k for k, v in zh.items() if re.search(r"[\u4e00-\u9fff]", v)]
    assert len(with_han) > 0.8 * len(zh)
