"""The number engine: every numeric mention in report prose, as a typed value.

Semantics (the contract other modules rely on):

- ``value`` is the number as written, in the report's own unit; ``unit`` keeps the scale word:
  "69 亿元" -> 69, "亿元"; "三万人" -> 3, "万人"; "三万五千人" -> 35000, "人"; "三万" -> 3, "万".
  ``base_value``/``base_unit`` rescale: (6.9e9, "元"). Percent stays percent: "百分之四十" and
  "40%" are both 40 with unit "%"; "7个百分点" is a different base unit from "7%".
- Ranges ("1-9月", "20-30%", "5—10万元") are one mention: value = low, ``high`` set, both in
  ``unit``; a side written without a scale borrows the other side's ("5—10万元" is 5万 to 10万).
- Qualifiers: 余/多 written inside the figure ("2.5万余吨") win, then one written just after
  (以上, 以下, 以内, 左右, 之多), then one just before (超, 近, 约, 达 …), then a multi-character
  one earlier in the same clause (力争, 超过, 突破, 不少于, 达到 …). The span never includes a
  qualifier outside the figure.
- Changes: a change verb governing the number makes it a change ("同比增长7%", "增幅16.7%",
  "下降3%", "提升4名", "增收1.25 亿元" -> is_change, UP, 1.25 亿元). "提高到80%"/"降至3%"
  state a level: is_change False, but direction is set. A number listed right after a change
  with 、/和/及 ("分别增长5%、6%") inherits it. A negative change under an UP verb is DOWN.
  "新增10个" is an amount of new things, not a change.
- Calendar numbers are periods, flagged ``is_year``: "2019年", a bare 4-digit year (1900-2100)
  with no unit, "1-9月", "11月", "5日", "2020-12-28", and any count of 年 ("五年来",
  "连续3年"). Rankings are quantities: "排名284名", "第2位", "提升4名" (unit 名/位).
- Not numbers: 5G, PM2.5, 4A级 and other ASCII identifiers; "1号", "3期", "4级"; numerals in short
  quotes (“十三五”, “1231”项目, “两个确立”); enumerators (一是, 一、, （一）, "1." at line start,
  第三批); words containing 一 (一般, 一批, 一体化, 统一, 唯一) — a lone 一 counts only in 一倍,
  翻一番 and 第一名/位; Chinese digit strings (一二三产, 九二共识); Chinese numerals with neither
  unit nor 万/亿.
- Whitespace (line wraps, OCR spaces) may sit between number, scale, qualifier and unit, and
  inside the clause before the number: "同\\n比增长 8.19%" is still a change.
- Chinese numerals convert exactly in every form of the corpus (see numerals): "百分之五点四"
  5.4 %, "千分之六点一" 6.1 ‰, "一千零五十七万元" 1057 万元, "一亿三千万元" 1.3e8 元 (a numeral
  with a larger section inside is one number: no scale in ``unit``), "一亿六千余万亩" 1.6e8 亩
  (余 inside), "百分之十到二十" a range, "二百○八所" 208. Approximate forms are no numbers:
  十几, 几十万, 数十万, 二三十年, 百分之十几.
- Periods: find_periods and Period live in periods (re-exported here); see its docstring.
- Time: linear in the input. No branch can fail after an unbounded run (an ASCII word or a run of
  Chinese numerals is matched whole and cut in Python: _cn_end) and the scan resumes where the
  last match ended (tests/test_numbers.py runs hostile inputs of 100 KB and 1 MB).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum
from functools import lru_cache
from typing import NamedTuple

from . import recache
from .fastscan import gated
from .lexicon import AFTER_FIGURE, CHANGE_FILL, CHANGE_WORDS, DOWN_WORDS, QUAL_FAR, QUAL_NEAR
from .numerals import (
    ARABIC_START,
    CN_DIGITS,
    FW,
    RANGE_SEPARATORS,
    SEP,
    D,
    arabic,
    candidates,
    cn_value,
    split_scale,
    year_digits,
)
from .periods import Period, find_periods
from .units import SCALE as _SCALE
from .units import UNIT as _UNIT
from .units import same_quantity, to_base, units_compatible
from .units import scale_of as _scale_of
from .units import scaled as _scaled

__all__ = ["Direction", "NumberMention", "Period", "direction_of", "find_numbers",
           "find_periods", "iter_numbers", "numbers_in", "parse_number", "same_quantity", "to_base",
           "units_compatible"]  # fmt: skip


class Direction(str, Enum):
    """The direction a change asserts."""

    UP = "up"
    DOWN = "down"


class NumberMention(NamedTuple):
    """One numeric mention; see the module docstring for field semantics.

    A named tuple, not a frozen dataclass: a report has tens of thousands, and a frozen
    dataclass's __init__ (one object.__setattr__ per field) cost five times as much."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    base_value: float
    base_unit: str
    low: float | None
    high: float | None
    qualifier: str | None
    is_change: bool
    direction: Direction | None
    is_year: bool


# ---------------------------------------------------------------------------------- vocabulary
# Thousands are grouped with "," and, between full-width digits (the older reports:
# "２８，０４９，７８０，０００元"), with "，", which elsewhere ends a clause.
_ANUM = (
    rf"(?<![0-9０-９.．])(?:{D}{{1,3}}(?:,{D}{{3}})+(?!{D})"
    rf"|[０-９]{{1,3}}(?:，[０-９]{{3}})+(?!{D})|{D}+)(?:[.．]{D}+|[ ][.．][ ]{D}+)?"
)
# " . " between digits is a decimal point that PDF extraction spaced out ("增长5 . 5%"); a point
# spaced on one side only ("1. 产业") numbers a list item.
_CN_START = "[零〇一二两三四五六七八九十]"
# ○ (a zero in older typesetting) only inside a numeral, never as its start: it is a bullet too.
_CN_BODY = r"(?:[零〇○一二两三四五六七八九十百万亿]|千(?![瓦米克])|点(?=[零〇○一二三四五六七八九]))"
_CNUM = f"{_CN_START}{_CN_BODY}*"
# What may follow a Chinese numeral for it to be a quantity: a unit or a scale (after 余/多),
# or a range separator and a second numeral. `(?:[余多]\s*)?` rather than `[余多]?\s*` so that a
# run of whitespace is crossed once, not once per split between two stars.
_CN_NEXT = rf"\s*(?:[余多]\s*)?(?:{_UNIT}|[万亿])|\s*{SEP}\s*{_CN_START}"

# Searched for its first characters only (numerals.candidates: 7x faster than letting every
# branch fail on its own, and 1.3x faster than a lookahead gate); a match is its first character,
# and each branch's group spans the branch. No branch can fail after a run of unbounded length,
# so the scan is linear: an ASCII word is consumed whole whether or not a digit follows it
# (ident), and a run of Chinese numerals is matched whole (c) and cut in Python (see _cn_end);
# the lookahead after its first character only spares Python the many lone 一 of 一般, 统一, 一批.
# A date's two separators are alike (2020-12-28, 2020.12.28), written out: the lookbehind the
# search reads it in refers back to no group. Each branch is led by its own first characters
# too (candidates again), which the engine tests before it enters the branch: at a 一 only the
# Chinese numeral's branch is tried (the scan 3 % fewer instructions).
_CORE = recache.compile(
    candidates(
        rf"0-9０-９A-Za-z\-－−{CN_DIGITS}十百千万亿",
        "|".join(
            [
                candidates(
                    "A-Za-z0-9",
                    r"""(?P<ident>(?<![A-Za-z0-9])[A-Za-z][A-Za-z_/.\-]*(?:[0-9][A-Za-z0-9_/.\-]*)?
                    |(?<![A-Za-z0-9.])[0-9]+[A-Za-z][A-Za-z0-9_/.\-]*)""",
                ),
                candidates(
                    "12",
                    r"""(?P<date>(?<![0-9])(?:19|20)[0-9]{2}(?:-[01]?[0-9]-|/[01]?[0-9]/|[.][01]?[0-9][.])
                    [0-3]?[0-9](?![0-9]))""",
                ),
                rf"百分之(?P<pct>{_CNUM}|百|{_ANUM})",
                rf"千分之(?P<pml>{_CNUM}|{_ANUM})",
                candidates(
                    r"\-－−0-9０-９", rf"(?P<a>(?:(?<![0-9０-９A-Za-z])[-－−](?={D}))?(?:{_ANUM}))"
                ),
                candidates(
                    _CN_START[1:-1],  # the characters of its class
                    rf"(?!(?<=[几数])十)(?P<c>{_CN_START}(?:(?={_CN_BODY}){_CN_BODY}*|(?={_CN_NEXT})))",
                ),
                candidates(
                    "百千万亿",
                    rf"(?P<bare>(?<![{CN_DIGITS}十百千万亿数几0-9０-９])[百千万亿]+)(?=\s*(?:美元|元))",
                ),
            ]
        ),
    ),
    re.X,
)
_CN_NEXT_RE = recache.compile(_CN_NEXT)
_ACORE = recache.compile(_ANUM)
_PARSE_ARABIC = recache.compile(rf"(-?{_ANUM})({_SCALE})?")
_CCORE = recache.compile(_CNUM)
_TAIL = recache.compile(
    rf"(?:\s*(?P<q1>[余多])(?=\s*(?:{_SCALE}|{_UNIT})))?(?:\s*(?P<scale>{_SCALE}))?"
    rf"(?:\s*(?P<q2>[余多])(?=\s*{_UNIT}))?(?:\s*(?P<unit>{_UNIT}))?"
)
_RANGE = recache.compile(rf"\s*{SEP}\s*(?=[0-9０-９{CN_DIGITS}十])")
_PCT_RANGE = recache.compile(rf"\s*{SEP}\s*(?:百分之)?(?={_CN_START}|{D})")
_QUOTED = recache.compile(r"“[^“”\n]{1,12}”|\"[^\"\n]{1,12}\"|「[^」\n]{1,12}」|‘[^‘’\n]{1,12}’")
_SLOGAN = recache.compile(
    "两个(?:确立|维护|毫不动摇|大局|一百年|百年)|四个(?:自信|意识|全面)|三个代表|八项规定|五位一体"
    "|三次产业"
)
_CLAUSE_STOPS = '，。；：！？,;:!?、（）()《》“”"'  # where the clause before a figure starts
_LAST_BOUNDARY = recache.compile(f"(?s).*[{_CLAUSE_STOPS}]")
_WS = recache.compile(r"\s+")

# Searched in the clause before every figure: gated, so a position that cannot open a change
# word or a qualifier is passed over with one set test, not a try of every alternative.
_CHANGE = gated(CHANGE_WORDS)
_DOWN_RE = recache.compile(DOWN_WORDS)
_PRE_CHANGE = gated(rf"(?P<chg>{CHANGE_WORDS})(?P<fill>(?:{CHANGE_FILL})*)$")
_PRE_QUAL = gated(rf"(?:{QUAL_NEAR})$")
_FAR_QUAL = gated(QUAL_FAR)
_POST_QUAL = recache.compile(rf"\s*({AFTER_FIGURE})")
_LOOKAROUND = recache.compile(r"\(\?<?[!=][^()]*\)")  # "(?<!改造)提升", "增加(?!值)"


def _last_chars(*alternations: str) -> frozenset[str] | None:
    """The characters the words of alternations of plain words end with (their lookarounds
    aside); None when a word is more than letters, whose last character is not read off."""
    words = _LOOKAROUND.sub("", "|".join(alternations)).split("|")
    if any(not w or any(c in "()[]{}?*+.\\^$" for c in w) for w in words):
        return None
    return frozenset(w[-1] for w in words)


# A clause ends with a near qualifier or a change word (and its fill) only if its last character
# ends one: two clauses in three end otherwise, and are not searched.
_QUAL_LAST = _last_chars(QUAL_NEAR)
_CHANGE_LAST = _last_chars(CHANGE_WORDS, CHANGE_FILL)
_SEP_FIRST = frozenset(sep[0] for sep in RANGE_SEPARATORS)
_LISTED = recache.compile(
    rf"\s*(?:{AFTER_FIGURE})?\s*[、和及与]?\s*"
)  # "分别增长6.5%左右和8.5%左右"
_CALENDAR = {"年", "月", "日"}
_BLANK = " \t\u3000\r"  # skipped back over to the character before a figure
# A record built from its fields' tuple, not through the named tuple's generated __new__ (a
# Python frame each; a corpus run builds ~60,000 figures).
_new = tuple.__new__
_IDENT_NEXT = set("号期级届代版型路")
# "十一届十次、十一次全会": a plenary session's number, wherever the 届 before it stands.
_SESSION = recache.compile(r"\s*(?:全会|全体会议)")
# "把安全放在第一位", "摆在第二位": where a thing is put among priorities, not a ranking.
_PLACED = recache.compile(r"(?:放|摆|置)(?:在|到|于)了?第$")


# ------------------------------------------------------------------------------------ values
@lru_cache(maxsize=4096)
def _cn_value(s: str) -> float | None:
    """Value of a located Chinese numeral (see numerals); digit strings are not numbers."""
    return cn_value(s)


def parse_number(s: str) -> float | None:
    """Parse a bare numeral with optional scale and %: "1,820", "三万", "1.2万亿", "百分之四十"."""
    s = _WS.sub("", s).translate(FW)
    if s.startswith("百分之"):
        s = s[3:]
    s = s.rstrip("%％")
    if not s:
        return None
    m = _PARSE_ARABIC.fullmatch(s)
    if m:
        return _scaled(arabic(m.group(1)), _scale_of(m.group(2) or ""))
    if _CCORE.fullmatch(s) or s == "百":
        if (year := year_digits(s)) is not None:
            return float(year)  # 二〇一九 is read digit by digit
        coef, scale = split_scale(s)
        v = _cn_value(coef)
        return None if v is None else _scaled(v, _scale_of(scale))
    return None


@lru_cache(maxsize=256)
def _verb_direction(word: str) -> Direction | None:
    """direction_of a change word of a clause (the few there are, each read once)."""
    return direction_of(word)


def direction_of(text: str) -> Direction | None:
    """The direction the first change word in a phrase asserts (增长 UP, 下降 DOWN), or None."""
    m = _CHANGE.search(_WS.sub("", text))
    if m is None:
        return None
    word = m.group()
    return Direction.DOWN if word == "负增长" or _DOWN_RE.fullmatch(word) else Direction.UP


# ------------------------------------------------------------------------------ find_numbers
class _Fig(NamedTuple):
    """One figure (number, scale, unit) before its context is read."""

    end: int
    value: float
    scale: str
    unit: str
    inner_q: str | None


def _tail(text: str, pos: int) -> re.Match[str]:
    """The 余/多, scale, 余/多 and unit after a numeral at pos (its groups, in that order: each
    part optional, so possibly empty)."""
    t = _TAIL.match(text, pos)
    assert t is not None  # every part of _TAIL is optional: it matches everywhere
    return t


@lru_cache(maxsize=1024)
def _unit_text(unit: str) -> str:
    """A unit as written, without the whitespace a line wrap left in it (a few hundred)."""
    return _WS.sub("", unit)


def _fig(text: str, kind: str, core: str, end: int) -> _Fig | None:
    if kind in ("pct", "pml"):
        if text.startswith("几", end):
            return None  # 百分之十几: approximate, no value
        v = arabic(core) if core[0] in ARABIC_START else _cn_value(core)
        return None if v is None else _new(_Fig, (end, v, "", "%" if kind == "pct" else "‰", None))
    t = _tail(text, end)
    q1, more, q2, unit = t.groups()  # ~30,000 a corpus: the groups read at once
    if kind == "a":
        value: float | None = arabic(core)
        scale = ""
    elif kind == "c":
        coef, scale = split_scale(core)
        if more in ("万", "亿") and not split_scale(whole := core + more)[1]:
            # 一亿一千多万: that 万 scales the last section only, so the numeral is one number
            end = t.end("scale")
            coef, scale, t = whole, "", _tail(text, end)
            first_q = q1
            q1, more, q2, unit = t.groups()
            q1 = first_q or q1
        value = _cn_value(coef)
        if value is None and text.startswith("年", end):
            value = parse_number(coef)  # 二〇一九年
    else:  # a bare scale before 元/美元: 超千万元, 亿元以上企业
        value, scale = 1.0, core
    if value is None:
        return None
    if more:
        scale += more
    if not scale and not unit:
        return _new(_Fig, (end, value, "", "", q1 or q2))
    return _new(_Fig, (t.end(), value, scale, _unit_text(unit) if unit else "", q1 or q2))


def _range(text: str, kind: str, first: _Fig) -> tuple[_Fig, float, float] | None:
    """Extend a figure over "1-9月", "20-30%", "5—10万元"; low is returned in the final unit."""
    pct = kind in ("pct", "pml")
    r = (_PCT_RANGE if pct else _RANGE).match(text, first.end)
    if r is None:
        return None
    arabic_next = text[r.end() : r.end() + 1] in ARABIC_START
    cm = (_ACORE if kind == "a" or (pct and arabic_next) else _CCORE).match(text, r.end())
    second = _fig(text, kind, cm.group(), cm.end()) if cm else None
    if second is None or (pct and _tail(text, second.end)["unit"]):
        return None  # 百分之十到二十 is a range; 百分之五到十年 is not
    if second.unit or second.scale:
        if first.unit and not units_compatible(first.unit, second.unit):
            return None
    elif first.scale or not all(_yearish(f.value) for f in (first, second)):
        return None  # only years make a unit-less range: (2018—2030)
    low = first.value
    if first.scale and first.scale != second.scale:
        low = _scaled(first.value, _scale_of(first.scale)) / _scale_of(second.scale)
    fig = _Fig(second.end, low, second.scale, second.unit, first.inner_q or second.inner_q)
    return fig, low, second.value


def _yearish(v: float) -> bool:
    return v.is_integer() and 1900 <= v <= 2100


def _clause_before(text: str, lo: int, start: int) -> str:
    """The clause just before a number, whitespace removed, cut at punctuation."""
    if lo >= start or text[start - 1] in _CLAUSE_STOPS:
        return ""  # a figure right after a stop or the figure before it (one in six)
    win = text[lo:start]
    cut = _LAST_BOUNDARY.match(win)
    clause = win[cut.end() :] if cut else win
    # A blank is a space or unprintable (tests/test_numbers.py): most clauses hold none, and
    # are not rewritten.
    return clause if clause.isprintable() and " " not in clause else _WS.sub("", clause)


def _mention(
    text: str, kind: str, start: int, core_end: int, core: str, prev: NumberMention | None
) -> NumberMention | None:
    if kind == "date":
        v = float(core[:4])
        return _new(NumberMention, (start, core_end, core, v, "", v, "", None, None, None,
                                    False, None, True))  # fmt: skip
    fig = _fig(text, kind, core, core_end)
    if fig is None:
        return None
    low = high = None
    nxt = text[fig.end : fig.end + 1]  # a range needs a separator next, or blanks before one
    if kind != "bare" and (nxt in _SEP_FIRST or nxt.isspace()) and (rng := _range(text, kind, fig)):
        fig, low, high = rng
    end, unit = fig.end, fig.scale + fig.unit
    base_value, base_unit = to_base(fig.value, unit)
    before = text[start - 1] if start else "\n"
    if before in _BLANK:  # the character before the blanks before the figure
        w = text[max(0, start - 4) : start].rstrip(_BLANK)
        before = w[-1] if w else "\n"
    ordinal = before in "第届" or (base_unit == "次" and _SESSION.match(text, end) is not None)
    if ordinal and base_unit not in ("名", "位"):
        return None  # 第三批, 第九次会议, 十一届六次全会; but 第2位 and 第一名 are rankings
    if ordinal and _PLACED.search(_WS.sub("", text[max(0, start - 8) : start])):
        return None  # 放在第一位 is an idiom of priority
    if base_unit == "字" and kind == "c" and not fig.scale and not any(c in "百千" for c in core):
        return None  # 红十字会, 十六字方针; but 20万字, 二十万字 are lengths
    lone_one_ok = base_unit == "倍" or ordinal or (base_unit == "番" and before == "翻")
    if kind == "c" and (_SLOGAN.match(text, start) or (core == "一" and not lone_one_ok)):
        return None  # 一批, 一个, 一次性 are words; 一倍, 翻一番, 第一名 are quantities
    if kind == "a" and not unit:
        nxt = text[end : end + 1]
        if nxt in _IDENT_NEXT or (
            len(core) <= 2 and nxt and nxt in ".．、)）" and before in "\n（(：:；;。"
        ):
            return None  # 1号, 3期, and enumerators "1.", "（1）", "2、"
    value = fig.value
    # (FW maps character for character: a core's length is its digits' as translated)
    is_year = base_unit in _CALENDAR or (
        kind == "a" and not unit and len(core) == 4 and _yearish(value)
    )
    # Qualifier: inside the figure, then just after, then just before, then earlier in clause.
    qualifier = fig.inner_q
    if qualifier is None and (post := _POST_QUAL.match(text, end)):
        qualifier = post.group(1)
    clause = _clause_before(text, max(prev.end if prev else 0, start - 16), start)
    if qualifier is None and clause:
        may_qual = _QUAL_LAST is None or clause[-1] in _QUAL_LAST
        near = _PRE_QUAL.search(clause) if may_qual else None
        far = None if near else _FAR_QUAL.findall(clause)  # the words alone: no group in it
        qualifier = near.group() if near else (far[-1] if far else None)
    # Change: a change verb governing the number, or inherited along a 、/和 list.
    is_change, direction = False, None
    if is_year:
        pass  # 居民增收三年行动: a period is never a change
    elif (
        clause
        and (_CHANGE_LAST is None or clause[-1] in _CHANGE_LAST)
        and (pc := _PRE_CHANGE.search(clause))
    ):
        direction = _verb_direction(pc.group("chg"))
        fill = pc.group("fill")
        is_change = "至" not in fill and "到" not in fill  # 提高到80% is a level
    elif prev is not None and prev.is_change and _LISTED.fullmatch(text, prev.end, start):
        is_change, direction = True, prev.direction
    if is_change and direction is Direction.UP and value < 0:
        direction = Direction.DOWN
    return _new(NumberMention, (
        start, end, text[start:end], value, unit, base_value, base_unit, low, high,
        qualifier, is_change, direction, is_year,
    ))  # fmt: skip


# Clauses whose mentions figures.FigureTable already read from the report, so the passes handed
# only a quote's string (bounds, re-ask checks) do not parse it again; a miss costs one parse.
KNOWN: dict[str, tuple[NumberMention, ...]] = {}


def find_numbers(text: str) -> list[NumberMention]:
    """Every numeric mention in order, non-overlapping; years and months have is_year=True."""
    if (known := KNOWN.get(text)) is not None:
        return list(known)
    return list(iter_numbers(text))


def quoted_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where each short quoted name (“十三五”, “1231”) starts and ends, in order."""
    return map(re.Match.span, _QUOTED.finditer(text))


def iter_numbers(
    text: str, quoted: Iterator[tuple[int, int]] | None = None
) -> Iterator[NumberMention]:
    """find_numbers(text) one mention at a time (KNOWN aside): a whole report's mentions are
    read into columns (figures.Mentions) without a list of them all first. `quoted`: the
    text's quoted_spans, when the caller has them."""
    prev: NumberMention | None = None
    last_end = pos = 0
    # The quoted names in order, read as the scan passes them (a report's are 2 MB as a list).
    quotes = quoted_spans(text) if quoted is None else quoted
    quote = next(quotes, None)
    while (m := _CORE.search(text, pos)) is not None:
        kind = m.lastgroup or ""
        start, pos = m.start(), m.end(kind)  # the match is the first character (see _CORE)
        if kind == "c":
            cut = _cn_end(text, start, pos)
            if cut is None:
                # No shorter numeral of this run has a unit either; only 百分之 may begin at
                # its last character.
                pos -= text.startswith("百", pos - 1)
                continue
            pos = cut
        if start < last_end or kind == "ident":
            continue
        while quote is not None and quote[1] <= start:
            quote = next(quotes, None)
        if quote is not None and quote[0] <= start:
            continue  # a name or slogan in quotes: “十三五”, “1231”项目
        core = text[start:pos] if kind in ("c", "date") else m.group(kind)
        mention = _mention(text, kind, start, pos, core, prev)
        if mention is not None:
            yield mention
            prev, last_end = mention, mention.end


def _cn_end(text: str, start: int, end: int) -> int | None:
    """Where the Chinese numeral in text[start:end] ends, or None when it is no quantity.

    The longest prefix that ends at a 万/亿 or is followed by a unit (or by a range separator
    and a numeral) — what a lookahead after a greedy run would find by backtracking, found here
    in one pass: inside the run only 万/亿 or a unit starting with 百/千 (百分点, 千 瓦) can follow.
    """
    if text[end - 1] in "万亿" or _CN_NEXT_RE.match(text, end):
        return end
    if text[end - 1] in "百千" and end - 1 > start and _CN_NEXT_RE.match(text, end - 1):
        return end - 1
    cut = max(text.rfind("万", start, end - 1), text.rfind("亿", start, end - 1))
    return cut + 1 if cut > start else None


def numbers_in(text: str) -> list[NumberMention]:
    """The quantity mentions of `text`: find_numbers without years and other periods."""
    return [m for m in find_numbers(text) if not m.is_year]
