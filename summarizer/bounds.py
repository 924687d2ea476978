"""How a figure bounds its indicator: 8%左右, 6%以上, 不低于6%, 3%以内, 控制在3%, 6.5%—7%, 百分之八.

`read_bound(text, value)` reads the figure in `text` (a quote or clause) that states `value`
and returns its bound (exact, about, at_least, at_most, range), its low and high ends, the
qualifier written with it (近, 余, 超, 以上 …) and a trailing note such as
在实际工作中争取更好结果. Figures are found by `numbers.find_numbers`, so Arabic and Chinese
numerals (百分之五点五) read the same; only the bound words are read here.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

from . import recache
from .figures import numbers_of
from .numbers import NumberMention, parse_number, units_compatible

__all__ = ["BoundInfo", "figure_in", "read_bound"]

# Words before a figure (in its clause) and just after it.
_AT_LEAST_BEFORE = recache.compile(
    r"(?:不低于|不少于|(?<![不])高于|(?<![不])超过|(?<![不])超|突破|不下于|至少)$"
)
_AT_MOST_BEFORE = recache.compile(
    r"(?:不超过|不高于|低于|控制在|控制|以内|降到|降至|压缩到|压减到)$"
)
_ABOUT_BEFORE = recache.compile(r"(?:约|大约|大体|左右)$")
_AFTER = recache.compile(r"\s*(左右|以上|以下|以内|之内|上下|多一些|或者更多一些|或更多)")
_AFTER_BOUND = {"左右": "about", "上下": "about", "以上": "at_least", "多一些": "at_least",
                "或者更多一些": "at_least", "或更多": "at_least", "以下": "at_most",
                "以内": "at_most", "之内": "at_most"}  # fmt: skip
# A second end written after the figure: 8%—9%, 百分之八至九, 6.5%到7%.
_SECOND = recache.compile(
    r"\s*(?:——|—|–|-|－|~|～|至|到)\s*(?:百分之)?"
    r"([0-9０-９]+(?:[.．][0-9０-９]+)?|[零〇一二两三四五六七八九十点]+)\s*[%％]?"
)
# 在实际工作中争取更好结果, 力争更好, 努力实现更好结果: kept as the target's note.
_NOTE = recache.compile(
    r"(?:在实际工作中)?(?:力争|争取|努力)[^，。；;,]{0,10}更[好高快多大][^，。；;,]{0,6}"
)
# Qualifiers of an actual figure worth keeping; 达/达到/力争 only say the figure was reached.
_QUALIFIERS = {"近", "余", "多", "超", "超过", "以上", "约", "逾", "突破", "接近", "将近", "左右",
               "之多", "不到", "不少于", "不低于", "不超过", "以下", "以内", "破"}  # fmt: skip
_CLAUSE_CUT = recache.compile(r"[，。；：！？,;:!?\n]")


class BoundInfo(NamedTuple):
    """A figure's bound as the report writes it.

    A named tuple, not a frozen dataclass: read once per metric and quote (~21,000 a corpus
    run), and a frozen dataclass's __init__ (one object.__setattr__ a field) cost 3x as much."""

    bound: str  # exact | about | at_least | at_most | range
    low: float | None
    high: float | None
    qualifier: str | None
    note: str | None


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@lru_cache(maxsize=8192)
def mentions_in(text: str) -> tuple[NumberMention, ...]:
    """numbers_in, parsed once per string: quotes and changes are read several times (and
    the checks read the same strings through figures.numbers_of: one parse serves both)."""
    return tuple([m for m in numbers_of(text) if not m.is_year])


def figure_in(text: str, value: float | None, unit: str = "") -> NumberMention | None:
    """The mention in `text` that states `value` (in a compatible unit), else the first."""
    mentions = mentions_in(text)
    if value is not None:
        for m in mentions:
            # the value first: it rules out most figures at the cost of one comparison
            said = _close(m.value, value) or (m.high is not None and _close(m.high, value))
            if said and (not unit or not m.unit or units_compatible(m.unit, unit)):
                return m
    pct = [m for m in mentions if m.base_unit == "%"]
    first = pct or mentions
    return first[0] if first else None


def _second_end(text: str, m: NumberMention) -> tuple[float, int] | None:
    s = _SECOND.match(text, m.end)
    if s is None:
        return None
    v = parse_number(s.group(1))
    return None if v is None or v <= m.value else (v, s.end())


def read_bound(text: str, value: float | None, unit: str = "", target: bool = True) -> BoundInfo:
    """The bound of the figure stating `value` in `text` (a quote, a clause or a change)."""
    m = figure_in(text, value, unit)
    if m is None:
        return BoundInfo("exact", value, value, None, None)
    low: float | None = m.value
    high: float | None = m.value
    end = m.end
    bound = "exact"
    if m.high is not None and m.high > m.value:
        bound, high = "range", m.high
    elif (second := _second_end(text, m)) is not None:
        bound, (high, end) = "range", second
    before = _CLAUSE_CUT.split(text[: m.start])[-1].replace(" ", "")
    after = _AFTER.match(text, end)
    word = after.group(1) if after else None
    if bound == "range":
        pass
    elif word in ("左右", "上下") or _ABOUT_BEFORE.search(before):
        bound = "about"
    elif word is not None:
        bound = _AFTER_BOUND[word]
    elif _AT_LEAST_BEFORE.search(before):
        bound = "at_least"
    elif _AT_MOST_BEFORE.search(before):
        bound = "at_most"
    if bound == "at_least":
        high = None
    elif bound == "at_most":
        low = None
    rest = _CLAUSE_CUT.split(text[after.end() if after else end :], maxsplit=2)
    tail = "".join(rest[:2])
    note = _NOTE.search(tail) if target else None
    qualifier = None
    if not target:
        q = m.qualifier or word
        qualifier = q if q in _QUALIFIERS else None
    return BoundInfo(bound, low, high, qualifier, note.group() if note else None)
