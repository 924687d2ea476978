"""Periods named in report prose: the time a figure is of, or the deadline a target is set for.

Contract of find_periods (callers: the rules engine picks the last period before a figure in
its sentence or paragraph; checks compare a claimed period with the ones the source states):

- kinds: ``year`` "2019年", "二〇二〇年", "2019 年度" (a year at the start of a sentence,
  "2023年，全市…", is that sentence's period); ``months`` "1-9月", "前三季度", with ``year`` when
  written ("2019年1-10月" is one period); ``full_year`` "全年", "过去一年"; ``multi_year``
  "五年来", "“十三五”期间", "2021—2025年", "2003年到2023年" (``years`` set); ``to_date``
  "今年以来", "截至10月" (months (1, 10)), "2019年以来"; ``estimate`` "预计"; ``deadline`` a year
  a target is due by: "到2025年", "力争到2020年", "2030年前", "在一九八五年底以前" (``year`` set;
  the span is the year itself, "2025年", as for kind year).
- A comparison base is not a period and is never reported: the year after 比/较/相比/对比/相当于
  ("比2019年下降4.8%", "较2019年同期"), before 相比/比较 ("与2019年相比", "同一九五二年比较"),
  the starting level of a change ("由1954年的59%上升到63%", "从一九五○年的…增加到…"), a level
  returned to ("恢复至2019年同期水平"), a multiple's base ("等于一九四九年的二点五倍") and a
  price base ("按2010年价格计算"). Bases
  without a year (比上年, 同比) never were periods. So a caller that takes the last period
  before a figure gets the figure's own period ("2020年…比2019年增长5%" -> 2020年), not its base.
- "到" after a verb of change states the year a level was reached ("增加到1956年的…",
  "上升到一九五二年的…"): kind year, not deadline; "2023年到2003年" stays two years.

Every pattern here runs in time linear in its input: each branch starts with a fixed word or
a bounded run of digits, and whitespace runs are crossed once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import recache
from .lazyre import lazy
from .numerals import (
    ARABIC_START,
    CN_DIGITS,
    FW,
    SEP,
    D,
    arabic,
    candidates,
    cn_value,
    year_digits,
)

__all__ = ["Period", "find_periods", "resolve_period", "scan_periods"]


@dataclass(frozen=True, slots=True)  # a 10 MB report holds ~20,000
class Period:
    """A reporting period named in the text; ``years`` is set for multi-year spans."""

    start: int
    end: int
    text: str
    kind: str  # year | months | full_year | multi_year | to_date | estimate | deadline
    year: int | None
    months: tuple[int, int] | None
    years: tuple[int, int] | None = None


_NYEARS = rf"(?:[一两二三四五六七八九十]|十[一二三四五六七八九]|{D}{{1,2}})"
_TO = rf"(?:(?P<ty>{D}{{4}})\s*年\s*(?:底|末)?)?(?:(?P<tm>{D}{{1,2}})\s*月\s*(?:底|末|份)?)?"
# Every branch starts with a digit or a fixed word; a year prefix ("2019年1-10月") is merged
# afterwards, which keeps the scan fast. A run of digits is tried at its start only, and only
# when a 年, 月 or range separator follows it (nothing else makes a period of it). Searched for
# its first characters only (numerals.candidates): a match is its first character, and a group
# spans each branch, which is what m.lastgroup names. Each branch is led by its own first
# characters too, which the engine tests before it enters the branch (a superset is safe: it
# only passes over places where the branch cannot start): the scan 27 % fewer instructions.
_PERIOD = recache.compile(
    candidates(
        rf"0-9０-９今年截至上下前第过近未全预“\"{CN_DIGITS}十",
        "|".join(
            [
                candidates(
                    "今年截至", "(?P<since>今年以来|年初以来|截至目前|截止目前|截至当前|至今)"
                ),
                candidates("截", rf"(?P<todate>(?:截至|截止到|截止至|截止)\s*{_TO})"),
                candidates(
                    "0-9０-９",
                    rf"""(?P<numeric>(?<![0-9０-９])(?P<num>{D}{{1,4}})(?!{D})(?=\s*(?:{SEP}|年|月))
                    \s*(?:{SEP}\s*(?P<num2>{D}{{1,4}})(?!{D})\s*)?
                    (?P<suffix>年以来|年度|年|月份|月)?)""",
                ),
                candidates(
                    "上下前第一二三四",
                    "(?P<quarter>上半年|下半年|前三季度|前两个季度|第?[一二三四]季度)",
                ),
                candidates(
                    '“"十', r"(?P<plan>[“\"]?十(?P<pn>[一二三四五])五[”\"]?\s*(?:期间|时期|以来))"
                ),
                candidates(
                    "过近今未一两二三四五六七八九十0-9０-９",
                    rf"""(?P<nyears>(?:过去|近|今后|未来)\s*(?P<n1>{_NYEARS})\s*年(?:来|间|以来)?
                    |(?P<n2>{_NYEARS})\s*年(?:来|以来))""",
                ),
                candidates("全", "(?P<full>全年度?)"),
                candidates("预", "(?P<estimate>预计)"),
                candidates(CN_DIGITS, "(?P<cyear>(?P<cy>[〇零○一二三四五六七八九]{4})年)"),
            ]
        ),
    ),
    re.X,
)
_YEAR_SEP = recache.compile(rf"\s*{SEP}\s*")
_QUARTERS = {"上半年": (1, 6), "下半年": (7, 12), "前三季度": (1, 9), "前两个季度": (1, 6)}
_SIMPLE_KINDS = {"since": "to_date", "full": "full_year", "estimate": "estimate"}

# Comparison bases and deadlines, read from the few characters around a period (whitespace
# removed, the text before cut at the clause's start).
_CUT = recache.compile(r"[，。；：！？,;:!?、（）()《》“”\"\n]")
_BASE_BEFORE = recache.compile(r"(?:比|较|较之|相比|对比|相对于|相较于|相当于|等于)$")
_BASE_PAIR_BEFORE = recache.compile(r"(?:与|同|和|跟)$")
_BASE_PAIR_AFTER = recache.compile(r"(?:底|末)?(?:同期)?(?:相比|比较|相较|对比|比)")
_FROM_BEFORE = recache.compile(r"(?:从|由)$")
_BASE_AFTER = recache.compile(r"(?:底|末)?(?:同期)?(?:的?水平|的[^，。；,;]{0,8}倍)")
_OF_AFTER = lazy(rf"(?:底|末)?的.{{0,3}}?(?:{D}|[{CN_DIGITS}十])")  # 由2021年的30.3亿元
_PRICE = recache.compile(r"(?:不变|可比)?价格?")  # 按1980年不变价格计算: a price base
_DUE_AFTER = recache.compile(
    r"(?:底|末)?(?:以前|之前|前)(?![后三两一二四五六七八九十0-9０-９个季])"
)
# "增加到1956年的…", "恢复至…", "达到…": 到 after a verb of change names the year a level was
# reached, not a deadline; after 年/月/日 it closes a span of time.
_LEVEL_TO = lazy(r"(?:[加长升高降低少大小达复回减扩提展延缩年月日底末\d]|季度)[到至]$")
_WS = recache.compile(r"\s+")


def _int(s: str | None) -> int | None:
    return int(s.translate(FW)) if s else None


def _numeric_period(text: str, m: re.Match[str], span: tuple[int, int, str]) -> Period | None:
    """Periods led by digits: 2019年, 2019年以来, 2021—2025年, (2018—2030), 1-9月."""
    if m.start() and text[m.start() - 1] in ARABIC_START[3:]:
        return None
    a, b, suffix = _int(m["num"]) or 0, _int(m["num2"]), m["suffix"] or ""
    if b is not None and suffix in ("", "年", "年度"):
        ok = 1900 <= a < b <= 2100
        return Period(*span, "multi_year", a, None, (a, b)) if ok else None
    if b is not None and suffix.startswith("月"):
        return Period(*span, "months", None, (a, b)) if 1 <= a <= b <= 12 else None
    if b is None and suffix.startswith("年") and 1900 <= a <= 2100:
        return Period(*span, "to_date" if suffix == "年以来" else "year", a, None)
    return None


def _period(text: str, m: re.Match[str], kind: str, end: int) -> Period | None:
    """The period of a match of _PERIOD, whose branch `kind` ends at `end`."""
    g = m.group
    span = (m.start(), end, text[m.start() : end])
    if kind == "numeric":
        return _numeric_period(text, m, span)
    if kind == "todate":
        tm = _int(g("tm"))
        return Period(*span, "to_date", _int(g("ty")), (1, tm) if tm else None)
    if kind == "quarter":
        q = _QUARTERS.get(g("quarter"))
        if q is None:
            n = "一二三四".index(g("quarter").lstrip("第")[0]) + 1
            q = (3 * n - 2, 3 * n)
        return Period(*span, "months", None, q)
    if kind == "plan":
        first = 1971 + 5 * ("一二三四五".index(g("pn")) + 11 - 4)  # the 4th plan ran 1971-1975
        return Period(*span, "multi_year", first, None, (first, first + 4))
    if kind == "nyears":
        word = g("n1") or g("n2") or ""
        if g("n2") and m.start() and text[m.start() - 1] in CN_DIGITS + "十0123456789":
            return None
        count = arabic(word) if word[0] in ARABIC_START else cn_value(word)
        return Period(*span, "full_year" if count == 1 else "multi_year", None, None)
    if kind == "cyear":
        return Period(*span, "year", year_digits(g("cy")) or 0, None)
    return Period(*span, _SIMPLE_KINDS[kind], None, None)


def scan_periods(text: str) -> list[Period]:
    """Every period as written, adjacent ones merged ("2019年1-10月", "2003年到2023年")."""
    out: list[Period] = []
    pos = 0
    while (m := _PERIOD.search(text, pos)) is not None:
        kind = m.lastgroup or ""
        pos = m.end(kind)
        p = _period(text, m, kind, pos)
        if p is None:
            continue
        prev = out[-1] if out else None
        if (
            prev
            and prev.kind == "year"
            and p.kind == "months"
            and not text[prev.end : p.start].strip()
        ):
            # "2019年1-10月" and "2019年上半年" are one period
            p = Period(prev.start, p.end, text[prev.start : p.end], "months", prev.year, p.months)
            out.pop()
        elif (
            prev
            and prev.kind == p.kind == "year"
            and prev.year is not None
            and p.year is not None
            and prev.year < p.year
            and _YEAR_SEP.fullmatch(text, prev.end, p.start)
        ):
            # "2003年到2023年" is one span of years, as "2003—2023年" is
            years = (prev.year, p.year)
            p = Period(prev.start, p.end, text[prev.start : p.end], "multi_year", prev.year, None,
                       years)  # fmt: skip
            out.pop()
        out.append(p)
    return out


def _role(text: str, p: Period) -> str:
    """'base', 'deadline' or '' (the period of what follows), from the words around it."""
    if p.kind in ("estimate", "to_date", "full_year"):
        return ""
    before = _WS.sub("", text[max(0, p.start - 10) : p.start])
    before = _CUT.split(before)[-1]
    after = _WS.sub("", text[p.end : p.end + 16])
    if _BASE_BEFORE.search(before) or _BASE_AFTER.match(after):
        return "base"
    if _BASE_PAIR_BEFORE.search(before) and _BASE_PAIR_AFTER.match(after):
        return "base"
    if p.kind == "year" and _FROM_BEFORE.search(before) and _OF_AFTER.match(after):
        return "base"
    if before[-1:] in ("按", "以") and _PRICE.match(after):
        return "base"
    if p.kind == "year" and (
        (before[-1:] in ("到", "至") and not _LEVEL_TO.search(before)) or _DUE_AFTER.match(after)
    ):
        return "deadline"
    return ""


def resolve_period(text: str, p: Period) -> Period | None:
    """A period of scan_periods(text) as find_periods reports it: None for a comparison base,
    kind "deadline" for a year a target is due by, else unchanged."""
    role = _role(text, p)
    if role == "base":
        return None
    return replace(p, kind="deadline") if role == "deadline" else p


def find_periods(text: str) -> list[Period]:
    """Periods named in the text (2019年, 1-9月, 全年, 五年来, 到2025年, 截至10月, 预计).

    Comparison bases (比2019年) are left out; see the module docstring. The scan and the
    roles are apart so that one report's table (figures.FigureTable) can read the periods of
    any clause from one scan of the whole text.
    """
    return [q for p in scan_periods(text) if (q := resolve_period(text, p)) is not None]
