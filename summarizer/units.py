"""Units and scales: what a unit word is, and how two quantities compare across scales.

A unit as written may carry scale characters (万元, 亿千瓦时) and a "per" part (元/吨); its base
unit drops the scale and takes the canonical name (千克 -> 公斤, 公尺 -> 米, 千瓦小时 -> 千瓦时).
Percent and percentage points are different base units and never compare.
`value_text` prints a value as the report writes it: every module that prints a figure uses it.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from functools import lru_cache

from . import recache

__all__ = ["SCALE", "SCALE_CH", "UNIT", "UNIT_WORDS", "same_quantity", "scale_of", "scaled",
           "to_base", "units_compatible", "value_text"]  # fmt: skip

SCALE_CH = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

# Longest first, so 个百分点 beats 个 and 人次 beats 人; lookaheads keep 两位数, 方面, 度假 out.
UNIT_WORDS = (
    "个百分点 百分点 % ％ ‰ 美元 欧元 港元 港币 日元 英镑 元 平方公里 平方千米 平方米 立方米 "
    "立方 公顷 亩 公里 千米 米 吨标准煤 吨 公斤 千克 斤 克 千瓦时 千瓦 兆瓦 人次 户次 车次 架次 "
    "场次 家次 批次 台次 艘次 班次 "
    "千瓦小时 吨公里 人公里 吨海里 人海里 平方公尺 立方公尺 公尺 "
    "剂次 家 个月 个 件 只 起 场 名 宗 条 处 座 所 批 次 倍 番 枚 笔 份 套 户 人 辆 台 张 篇 "
    "本 针 剂 株 棵 头 间 栋 幢 支 艘 块 轮 层 例 种 类 小时 分钟 天 周年 周岁 岁 年 月 日"
).split()


def _alternation(words: list[str]) -> str:
    """The words as one alternation, longest first, whitespace allowed between characters
    (OCR and line wraps split units too: "7.2亿美 元").

    The words are grouped by their first character, "个(?:\\s*百\\s*分\\s*点|\\s*月|)|…": the
    engine rejects an alternative that opens with another character in one step, so a unit is
    looked for among ~50 groups rather than ~110 words (the figures' tail, read after every
    number). The same matches: words with different first characters never both match at one
    place, and within a group the words keep their longest-first order."""
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(
        re.escape(first)
        + "(?:"
        + "|".join("".join(r"\s*" + re.escape(c) for c in rest) for rest in rests)
        + ")"
        for first, rests in groups.items()
    )


_UNIT_ALTS = _alternation(UNIT_WORDS)
_PER = "平方米|立方米|千瓦时|公斤|人次|小时|亩|人|户|年|月|天|日|吨|斤|台|辆"
UNIT = (
    rf"(?:(?:{_UNIT_ALTS}|项(?!目)|位(?!数)|方(?![面式案向法针位便])|度(?!假)|字(?![方总要诀经])"
    r"|担(?![任当负心保纲]))"
    rf"(?:\s*[/／]\s*(?:{_PER}))?)"
)
# After Arabic digits only; 千 before 瓦/米/克 belongs to the unit (万千瓦 = 万 + 千瓦).
SCALE = r"(?:[百千]?万亿|[百千]?[万亿]|千(?![瓦米克])|百(?!分))"
# The older reports (1950s-1990s) write 公尺 for 米 and 千瓦小时 for 千瓦时.
_CANON = {"％": "%", "百分点": "个百分点", "千克": "公斤", "千米": "公里", "平方千米": "平方公里",
          "港币": "港元", "公尺": "米", "平方公尺": "平方米", "立方公尺": "立方米",
          "千瓦小时": "千瓦时"}  # fmt: skip
_WS = recache.compile(r"\s+")


def value_text(value: float | None) -> str:
    """A value as a report writes it, digit for digit: 69 (not 69.0), 12345.67 (not 12345.7),
    0.00005 (not 5e-05); "" for None (no figure stated).

    The one formatter of every printed figure: a brief that rounds what the check verified
    would show a misstated figure next to a tick.
    """
    if value is None:
        return ""
    v = float(value)
    if v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    r = repr(v)  # the shortest text that reads back as the same float: the digits written
    return format(Decimal(r), "f") if "e" in r else r


def scale_of(scale: str) -> int:
    """The factor of scale characters as written: 万 -> 10**4, 万亿 -> 10**12."""
    return math.prod(SCALE_CH[ch] for ch in scale)


def scaled(value: float, factor: int) -> float:
    """value * factor, exact in decimal (1.2 * 10**12 is 1.2e12)."""
    if factor == 1:
        return value
    # Shifting the decimal exponent keeps 1.2万亿 exactly 1.2e12 (not 1200000000000.0002).
    r = repr(value)
    if "e" in r or "inf" in r or "nan" in r:
        return float(Decimal(r) * factor)
    return float(f"{r}e{len(str(factor)) - 1}")


@lru_cache(maxsize=1024)
def _split_unit(unit: str) -> tuple[int, str]:
    """Split a unit as written into (scale factor, canonical base unit)."""
    unit = _WS.sub("", unit)
    if not unit:
        return 1, ""
    head, sep, per = unit.partition("/") if "/" in unit else unit.partition("／")
    for i in range(len(head) + 1):
        prefix, rest = head[:i], head[i:]
        if any(c not in SCALE_CH for c in prefix):
            break
        if rest == "" or rest in UNIT_WORDS or rest in ("项", "位", "方", "度", "字", "担"):
            base = _CANON.get(rest, rest)
            return scale_of(prefix), base + ("/" + per if sep else "")
    return 1, unit


def to_base(value: float, unit: str) -> tuple[float, str]:
    """Rescale to the base unit: (6.25, "亿元") -> (6.25e8, "元")."""
    factor, base = _split_unit(unit)
    if factor == 1:  # most units carry no scale (%, 人, 年): no call to scaled for them
        return value, base
    # ~40,000 rescalings a corpus run, of a few thousand distinct figures (the engine, the
    # checks and the annotation read the same ones): a nonzero float's is remembered. 0.0 and
    # -0.0 are one key but print apart, and an int (1) would be served a float's (1.0) answer.
    if value and type(value) is float:
        return _remembered_scaled(value, factor), base
    return scaled(value, factor), base


_remembered_scaled = lru_cache(maxsize=1024)(scaled)  # ~2,300 distinct a corpus run


def units_compatible(a_unit: str, b_unit: str) -> bool:
    """True when both units share a base unit (万元 and 亿元; never % and 个百分点)."""
    return _split_unit(a_unit)[1] == _split_unit(b_unit)[1]


def same_quantity(a: float, a_unit: str, b: float, b_unit: str, rel_tol: float = 1e-6) -> bool:
    """Scale-aware equality: (6.25, "亿元") equals (62500, "万元"); (7, "%") != (7, "个百分点")."""
    av, au = to_base(a, a_unit)
    bv, bu = to_base(b, b_unit)
    return au == bu and math.isclose(av, bv, rel_tol=rel_tol, abs_tol=1e-12)
