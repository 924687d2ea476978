"""Tests for the Chinese-numeral converter (summarizer.numerals)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from summarizer.numerals import arabic, candidates, cn_decimal, cn_value, split_scale, year_digits


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("八", "8"),
        ("十", "10"),
        ("十二", "12"),
        ("二十四", "24"),
        ("一百零八", "108"),
        ("一百十", "110"),
        ("一千零五十", "1050"),
        ("二千零十六", "2016"),
        ("两千三百", "2300"),
        ("三千五", "3500"),  # spoken short form
        ("一万五", "15000"),
        ("一万零五", "10005"),
        ("十万八千", "108000"),
        ("一亿三千万", "130000000"),
        ("十二亿四千万", "1240000000"),
        ("一亿零七千万", "170000000"),
        ("四百二十七亿四千万", "42740000000"),
        ("一亿六千五百五十二万", "165520000"),
        ("四亿零五百三十", "400000530"),
        ("一亿五", "150000000"),
        ("一万二千亿", "1200000000000"),
        ("三万亿", "3000000000000"),
        ("五点四", "5.4"),
        ("零点五", "0.5"),
        ("十点零五", "10.05"),
        ("六点一", "6.1"),
        ("二百○八", "208"),
        ("零", "0"),
        ("百", "100"),
    ],
)
def test_values_are_exact(s: str, expected: str) -> None:
    assert cn_decimal(s) == Decimal(expected)
    assert cn_value(s) == float(expected)


@pytest.mark.parametrize(
    "s",
    ["一二三", "九二", "二三十", "十十", "百十", "一千万万", "万", "亿", "万五", "点五", "一亿三千",
     "三万三万", "九三百千九点七", "零五", "三十几", "五零"],
)  # fmt: skip
def test_non_numerals_are_none(s: str) -> None:
    assert cn_decimal(s) is None


@pytest.mark.parametrize(
    ("s", "split"),
    [
        ("三千万", ("三千", "万")),
        ("三万亿", ("三", "万亿")),
        ("一万二千亿", ("一万二千", "亿")),
        ("一亿三千万", ("一亿三千万", "")),  # one number: its 万 scales the last section only
        ("十二亿四千万", ("十二亿四千万", "")),
        ("三万五千", ("三万五千", "")),
    ],
)
def test_split_scale(s: str, split: tuple[str, str]) -> None:
    assert split_scale(s) == split


def test_year_digits() -> None:
    assert year_digits("二〇一九") == 2019
    assert year_digits("一九八○") == 1980
    assert year_digits("一九五") is None
    assert year_digits("二十一年") is None


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("69", 69.0),
        ("4.74", 4.74),
        ("１２", 12.0),  # full-width digits
        ("４．５", 4.5),
        ("1,820", 1820.0),
        ("２８，０４９", 28049.0),
        ("5 . 5", 5.5),  # a point that PDF extraction spaced out
        ("-3", -3.0),
        ("−3", -3.0),  # minus sign
        ("－3", -3.0),  # full-width hyphen
        ("-0", -0.0),
    ],
)
def test_arabic(s: str, expected: float) -> None:
    got = arabic(s)
    assert got == expected and str(got) == str(expected)  # -0.0 keeps its sign


def test_candidates_finds_what_the_plain_pattern_finds() -> None:
    body = r"(?P<year>(?<![0-9])[0-9]{4}年)|(?P<pct>[0-9]+%)|(?P<word>今年以来)"
    plain = re.compile(f"(?:{body})")
    scan = re.compile(candidates("0-9今", body))
    text = "今年以来，2019年增长12%，12019年；今天45%与2023年"
    found, pos = [], 0
    while (m := scan.search(text, pos)) is not None:
        kind = m.lastgroup or ""
        assert m.start() == m.start(kind) and m.end() == m.start() + 1
        found.append((m.start(), m.end(kind), kind))
        pos = m.end(kind)
    assert found == [(m.start(), m.end(), m.lastgroup) for m in plain.finditer(text)]
