"""The report header: title, issuer, level, and the years the report reviews and plans.

The issuer and the years are read from the text first (the title, the date line "——2024年1月
15日在…人民代表大会…上", the speaker line "北京市市长 殷勇", "我代表X人民政府"), then inferred
with the gazetteer (the place of the cue's level the report keeps naming), then from the file
name, then from a corpus file's columns — in that order of trust — and any of them can be
overridden by the user. A string is taken for a place only if the gazetteer knows it: a phrase
that merely ends in 市 ("发展市", "论坛市") is never an issuer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, partial

from .. import recache
from ..lexicon import (
    CJK,
    CN_DIGITS,
    HEAD_TITLE_LEVEL,
    NATIONAL_ISSUER,
    PLACE_SUFFIX,
    SPAM_HINT_RE,
    YEAR,
)
from ..lexicon import PLACE_SUFFIX_LEVEL as _SUFFIX_LEVEL
from .headings import META, Para, classify, heading_years
from .places import NameFinder, Place, gazetteer
from .types import SectionKind

__all__ = [
    "Hints",
    "find_title",
    "place_in",
    "read_issuer",
    "read_years",
    "tidy",
    "years_from_hints",
]

_TITLE_KW = recache.compile(r"工作报告|工作总结|工作思路|工作计划|工作安排|工作回顾|汇报\d{4}年")
_PLACE = rf"[{CJK}]{{2,10}}?{PLACE_SUFFIX}"
_ORG_LINE = recache.compile(rf"[{CJK}（）()]{{2,30}}(?:[镇乡区县市州省园）)]|政府|管委会)")
_PARK_TOWN = recache.compile(rf"[{CJK}]{{2,12}}园[（(]([{CJK}]{{2,6}}(?:镇|乡|街道))[)）]")
_HEADS = "|".join(HEAD_TITLE_LEVEL)
_SPEAKER = recache.compile(
    rf"^[^{CJK}]{{0,3}}在?([{CJK}（）()]{{0,16}}?)(?:人民政府)?(?<!副)代?({_HEADS})"
    rf"[\s\u3000\xa0]*[{CJK}·]{{2,4}}",
    re.M,
)
_DATE = recache.compile(
    rf"({YEAR})\s*年\s*(\d{{1,2}})\s*月\s*\d{{1,2}}\s*日(?:[和至、](?:\d{{1,2}}月)?\d{{1,2}}日)?\s*在"
)
_CONGRESS = recache.compile(rf"在({_PLACE}|[{CJK}]{{2,12}})第[{CN_DIGITS}]+届人民代表大会")
_NATIONAL_CONGRESS = recache.compile(
    r"在(?:中华人民共和国)?第[一二三四五六七八九十]+届全国人民代表大会"
)
_I_REPRESENT = recache.compile(rf"我代表(国务院|中央人民政府|[{CJK}（）()]{{0,14}}?)(?:人民)?政府")
# The title's own years: a summary of one year, a plan of one, a report delivered in one.
_TITLE_REVIEW_YEAR = recache.compile(r"(\d{4})年度?工作(?:总结|回顾)")
_TITLE_PLAN_YEAR = recache.compile(r"(\d{4})年度?工作(?:思路|计划|安排|要点|打算)")
_TITLE_REPORT_YEAR = recache.compile(rf"({YEAR})年(?:度)?(?:[^\d年]{{0,12}})?政府工作报告")
_YEAR_TITLE = recache.compile(r"\d{4}年.{2,12}?(?:政府|人民政府)?工作报告")
# "2024年是…" opening a paragraph that sets this year's goals.
_YEAR_IS = recache.compile(rf"({YEAR})年是")
_PLAN_OPENER = recache.compile(r"今年|总体要求|主要(?:预期)?目标")
_I_REPRESENT_STATE = recache.compile(r"我代表(?:国务院|中央人民政府)")
_I_REPRESENT_LEVEL = recache.compile(r"我代表本?(自治区|[省市州区县镇乡旗盟])(?:人民)?政府")
_GOVERNMENT_END = recache.compile(r"(?:人民)?政府$|管委会$")
_LEVEL_END = recache.compile(rf"({PLACE_SUFFIX})[）)]?(?:人民政府|政府)?$")
_PLACE_END = recache.compile(f"{PLACE_SUFFIX}$")
_LEVEL_WORD = {"镇": "town", "乡": "town", "区": "district", "县": "county", "市": "city",
               "州": "prefecture", "盟": "prefecture", "省": "province", "自治区": "province",
               "旗": "county"}  # fmt: skip


@dataclass(frozen=True)
class Hints:
    """What the report's file or corpus row says about it, and what the user says."""

    file_place: str | None = None  # a place name read from the file name
    file_year: int | None = None
    column_place: str | None = None  # a corpus file's place column
    column_year: int | None = None  # a corpus file's year column (the year it was delivered)
    place: str | None = None  # --place: overrides everything
    year: int | None = None  # --year: the plan year, overrides everything


# A title set with a space between every character, and spaces inside one (PDF, letter-spacing).
_SPACED = recache.compile(rf"(?:[{CJK}][\s\u3000]+)+[{CJK}]")
_SPACES = recache.compile(r"[\s\u3000]+")
_INNER_SPACE = recache.compile(rf"(?<=[{CJK}\d])[\s\u3000]+(?=[{CJK}\d])|^[-—]+")
_CJK_RUN = recache.compile(f"[{CJK}]{{2,}}")
_TITLE_ISSUER = recache.compile(
    rf"(?:\d{{4}}年度?)?([{CJK}（）()]{{2,20}}?)(?:\d{{4}}年|政府工作|人民政府)"
)


def tidy(s: str) -> str:
    """Drop decoration and the spaces a PDF or letter-spacing put inside a title."""
    s = s.replace("**", "").strip(" \u3000\xa0\t#■")
    if _SPACED.fullmatch(s):
        return _SPACES.sub("", s)
    return _INNER_SPACE.sub("", s)


def find_title(lines: list[str]) -> str:
    """The report title from the title block ('' if none)."""
    for i, s in enumerate(lines):
        m = _TITLE_KW.search(s)
        if not m or SPAM_HINT_RE.search(s) or s.startswith(("在", "（", "(")) or "》" in s:
            continue
        if len(s) > 40 or "\t" in s:  # a title inside a sentence: place, year and keyword only
            run = re.search(rf"(?:{_PLACE})?(?:\d{{4}}年度?)?(?:政府)?{m.group()}", s)
            s = run.group() if run else m.group()
        if i + 1 < len(lines) and lines[i + 1][0] in "及和与暨并":
            s += lines[i + 1]  # "…2021年工作总结" / "及2022年工作计划" on two lines
        if s[0].isdigit() and not _YEAR_TITLE.match(s):
            # "2019年工作总结和2020年工作思路" under or over its issuer line
            org = [o for o in lines[max(0, i - 1) : i + 3] if _ORG_LINE.fullmatch(o)]
            s = (org[0] if org else "") + s
        return s
    # No title keyword: a headline ("抓转型促发展…"), but not a date, speaker or issuer line.
    skip = recache.compile(rf"\d|[（(]|.*人民代表大会|.*(?:{_HEADS})|{_ORG_LINE.pattern}$")
    return next((s for s in lines if not SPAM_HINT_RE.search(s) and not skip.match(s)), "")


# ---------------------------------------------------------------- places


def _known(name: str) -> Place | None:
    """The division a name (or its longest known tail: 江苏省南京市 -> 南京市) stands for."""
    name = _GOVERNMENT_END.sub("", name)
    g = gazetteer()
    for k in range(len(name) - 1):
        tail = name[k:]
        found = g.lookup(tail)
        if found and (k == 0 or len(tail) >= 3 or tail[-1] not in "市县区镇乡"):
            return found[0]
    return None


def _level_of(name: str) -> str:
    m = _LEVEL_END.search(name)
    return _SUFFIX_LEVEL[m.group(1)] if m else "unknown"


def _at_level(p: Place, level: str) -> bool:
    # "county_city": a county-level city (恩施市), which also says 我代表市人民政府.
    if level == "county_city":
        return p.level == "county" and p.name.endswith("市")
    return p.level == level


def _names_at(level: str) -> set[str]:
    """Every name (full and short) of the divisions at a level."""
    known = _level_names()
    found = known[level] if level in known else gazetteer().names_where(
        lambda p: _at_level(p, level))  # fmt: skip
    return {n for n in found if len(n) >= 2}


@cache
def _finder(levels: tuple[str, ...]) -> NameFinder | None:
    """A finder of the names of each of `levels` that has names, in their order."""
    sets = [_names_at(lv) for lv in levels if lv not in ("unknown", "national", "town")]
    sets = [names for names in sets if names]
    return NameFinder(*sets) if sets else None


_LEVELS = ("city", "district", "county", "province", "prefecture", "county_city")


@cache
def _level_names() -> dict[str, set[str]]:
    """The names of every level the issuer search counts, gathered in one pass over the
    divisions above the towns (county_city is a kind of county)."""
    tests = {lv: partial(_at_level, level=lv) for lv in _LEVELS}
    return gazetteer().names_by(tests, levels=[lv for lv in _LEVELS if lv != "county_city"])


def _most_named(text: str, levels: tuple[str, ...], city: bool = False) -> Place | None:
    """The division of one of `levels` the report names most often (at least three times).

    Under "我代表市人民政府" (`city`) a province-level division is one only when it is a 市
    (北京市, 重庆市), never the province a city's report names as often as itself (乌鲁木齐
    2024: 新疆 30 times)."""
    counts: Counter[str] = Counter()
    finder = _finder(levels)
    head = text[:200_000]
    for matches in finder.each(head) if finder is not None else ():  # level by level
        # A name glued to gambling words is injected spam, never the report's own place.
        counts.update(
            name for a, b, name in matches if not SPAM_HINT_RE.search(head, max(0, a - 4), b + 4)
        )
    for name, n in counts.most_common(3):
        found = [
            p
            for p in gazetteer().lookup(name)
            if any(_at_level(p, lv) for lv in levels)
            and not (city and p.level == "province" and not p.name.endswith("市"))
        ]
        if n >= 3 and found:
            return found[0]
    return None


def place_in(name: str) -> str | None:
    """The first run of Chinese in a file name that the gazetteer knows ("2026_上海市_政府…")."""
    for m in _CJK_RUN.finditer(name):
        if _known(m.group()) is not None:
            return m.group()
    return None


def _hint_place(h: Hints) -> tuple[Place, str] | None:
    for value, source in ((h.file_place, "file name"), (h.column_place, "corpus column")):
        p = _known(value) if value else None
        if p is not None:
            return p, source
    return None


def read_issuer(
    text: str, zone: int, lines: list[str], title: str, hints: Hints
) -> tuple[str, str, str, str]:
    """(issuer as written, place's standard name, level, where it was read from)."""
    if hints.place:
        p = _known(hints.place)
        name = p.name if p else hints.place
        level = p.level if p else _level_of(hints.place)
        return (name if name == NATIONAL_ISSUER else _government(name)), name, level, "override"
    head = text[: zone + 1500]
    speaker = _SPEAKER.search("\n".join(lines)) or _SPEAKER.search(head)
    sp_level = HEAD_TITLE_LEVEL[speaker.group(2)] if speaker else "unknown"
    national = (
        _I_REPRESENT_STATE.search(head)
        or _NATIONAL_CONGRESS.search(head)
        or (speaker is not None and speaker.group(2) == "总理")
    )
    if national:
        return NATIONAL_ISSUER, NATIONAL_ISSUER, "national", "text"
    cands: list[str] = []
    if m := _TITLE_ISSUER.match(title):
        cands.append(m.group(1))
    cands += [m.group() for m in _PARK_TOWN.finditer(head)]
    if speaker and speaker.group(1):
        cands.append(speaker.group(1))
    cands += [m.group(1) for m in _CONGRESS.finditer(head)]
    cands += [m.group(1) for m in _I_REPRESENT.finditer(head) if m.group(1)]
    cands += [s for s in lines if _ORG_LINE.fullmatch(s) and "党" not in s and s != title]
    for c in cands:
        c = c.strip(" ").lstrip("）)")
        c = c.rstrip("（(") if c.count("（") + c.count("(") != c.count("）") + c.count(")") else c
        if SPAM_HINT_RE.search(c) or len(c) < 2:
            continue
        park = _PARK_TOWN.fullmatch(c)
        place = _known(park.group(1) if park else c)
        if place is None:
            continue
        written = c if park else _written_name(c, place)
        body = _government(written) if _PLACE_END.search(written) else written
        return body, place.name, place.level, "text"
    # Every cue lacks the name (我代表市人民政府, 代区长…): the place the report keeps naming.
    m = _I_REPRESENT_LEVEL.search(head)
    level = _LEVEL_WORD[m.group(1)] if m else sp_level
    # A 市 may be a prefecture-level city, a municipality or a county-level city; a 州 an
    # autonomous prefecture.
    levels = {
        "city": ("city", "province", "county_city"),
        "prefecture": ("prefecture", "city"),
        "unknown": ("city", "district", "county", "prefecture", "province"),
    }
    found = _most_named(text, levels.get(level, (level,)), level == "city")
    hinted = _hint_place(hints)
    if hinted and found is not None and hinted[0].short in found.name:
        hinted = None  # "恩施" names both 恩施州 and 恩施市: the text's reading settles it
    if hinted and (found is None or hinted[0].name != found.name):
        # A file or column naming a place the text names too beats a mere count.
        if found is None or text[:200_000].count(hinted[0].short) >= 3:
            return _government(hinted[0].name), hinted[0].name, hinted[0].level, hinted[1]
    if found is not None:
        return _government(found.name), found.name, found.level, "gazetteer"
    return "", "", level, ""


def _government(place: str) -> str:
    """The government of a place: a league (盟) or a 地区 has an administrative office
    (锡林郭勒盟行政公署), every other division a people's government."""
    return place + ("行政公署" if place.endswith(("盟", "地区")) else "人民政府")


def _written_name(c: str, place: Place) -> str:
    """The place as the report writes it: the shortest tail of `c` naming it (黔东南州)."""
    for k in range(len(c) - 1):
        if _known(c[k:]) == place:
            tail = c[k:]
            return tail if _PLACE_END.search(tail) else place.name
    return place.name


# ---------------------------------------------------------------- years


def read_years(
    text: str, zone: int, title: str, hints: Hints, paras: list[Para]
) -> tuple[int | None, int | None, str]:
    """(review year, plan year, where they were read from), before the parts are known."""
    if hints.year:
        return hints.year - 1, hints.year, "override"
    tr = _TITLE_REVIEW_YEAR.search(title)
    tp = _TITLE_PLAN_YEAR.search(title)
    if tr or tp:
        r = int(tr.group(1)) if tr else int(tp.group(1)) - 1  # type: ignore[union-attr]
        return r, int(tp.group(1)) if tp else r + 1, "text"
    d = _DATE.search(text[: zone + 800])
    if d:  # spring congresses review last year; a December one reviews the current year
        y, month = int(d.group(1)), int(d.group(2))
        return (y - 1, y, "text") if month <= 6 else (y, y + 1, "text")
    t = _TITLE_REPORT_YEAR.search(title)
    if t:
        return int(t.group(1)) - 1, int(t.group(1)), "text"
    # A heading naming the plan of one year ("二、2024年主要工作安排") says it before any
    # sentence does: "2023年是…开局之年…圆满实现…主要预期目标" opens 丽水 2024's review.
    for p in paras:
        if len(p.s) <= 40 and classify(p.s) is SectionKind.PLAN:
            years = {a for a, b in heading_years(p.s) if a == b}
            if len(years) == 1:
                y = years.pop()
                return y - 1, y, "text"
    # "2024年是…关键之年，做好今年工作…" opens the plan of 2024.
    for p in paras:
        m = _YEAR_IS.match(p.s)
        if m and _PLAN_OPENER.search(p.s[:200]):
            y = int(m.group(1))
            return y - 1, y, "text"
    return None, None, ""


def years_from_hints(hints: Hints) -> tuple[int | None, int | None, str]:
    """Review and plan years from a corpus column or the file name, when the text is silent."""
    if hints.column_year:
        return hints.column_year - 1, hints.column_year, "corpus column"
    if hints.file_year:
        return hints.file_year - 1, hints.file_year, "file name"
    return None, None, ""


def title_lines(paras: list[Para], zone: int) -> list[str]:
    """The tidied lines of the title block, web-page fields left out."""
    return [s for p in paras if p.line < zone and not META.match(s := tidy(p.s)) and s]
