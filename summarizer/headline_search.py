"""What an engine may have missed: the annual headline growth target and outcome, searched in
the report's own sentences, and an explicit statement that no growth target is set.

Run by `indicators.annotate` when the report's clean text is given. A candidate is a growth
figure next to a GDP name (地区/国内/国民生产总值, 经济增长速度) or, in a report naming no GDP,
工农业总产值 (the State Council's headline until the mid-1980s), scored as a goal of the plan
year (主要预期目标是…, 今年…计划, the plan part) or a result of the review year (比上年增长,
过去一年…, the review part). Only a candidate that passes the validation checks where it stands
is added, quoted from the text, so the pass never adds a flagged claim.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from . import recache
from .checks import CheckText, check_metric
from .indicators import (
    _CUT,
    FOUND_OUTCOME_AREA,
    FOUND_TARGET_AREA,
    GDP_GROWTH,
    _annotated,
    _family,
    _last_clauses,
    _multi_year,
    _registry,
    get,
    growth_in_change,
)
from .lazyre import lazy
from .lexicon import (
    CN_YEAR,
    FROM_TO_RATE_RE,
    GOAL_CUE_RE,
    GOAL_STATEMENT_RE,
    GROWTH_WORD_RE,
    RESULT_AFTER_PLAN_RE,
    RESULT_CUE_RE,
)
from .numbers import NumberMention, find_periods, numbers_in
from .records import Achievement, Metric, MetricKind, Plan, ReportSummary, replace
from .structure import SectionKind

__all__ = ["complete"]

# 比1980年: a base year, not the year a figure is for.
_BASE_YEAR = lazy(rf"比\s*(?:[0-9０-９]{{4}}|{CN_YEAR})\s*年")
_SENTENCE = recache.compile(r"[^。！？!?\n]+")
# A bound or a second end written after a figure found by the search: 7%左右, 百分之八至九.
_AFTER_FIGURE = lazy(
    r"\s*(?:左右|以上|以内|以下|(?:—|-|–|～|~|至|到)\s*(?:百分之)?"
    r"[0-9０-９.．零〇一二两三四五六七八九十点]+\s*[%％]?)"
)
_NO_TARGET = lazy(
    r"(?:没有|不再|未|不)(?:提出|设定|设置|设|规定|确定|制定)[^。；，,]{0,12}?(?:具体|量化)?"
    r"[^。；，,]{0,6}?(?:增长|增速)?目标"
)


def _named(text: CheckText, names: Sequence[str]) -> Iterator[tuple[int, str, str]]:
    """The sentences that name one of `names`, in order, with their start and the sentence
    before them.

    A name holds no sentence stop, so the sentences holding a match of the names' alternation
    are those holding any name: each name is looked for with str.find, skipping to the end of
    a sentence once it is found there (the alternation's scan tested every character of the
    report against the names' first characters, for each search: 5 % of the checks' work).
    The sentences are the runs between the report's sentence cuts (its figure table finds them
    once for the engine and the checks).
    """
    t, cuts = text.text, text.figures.sentence_cuts()
    held: set[int] = set()  # i: the sentence after the i-th cut
    for name in names:
        k = t.find(name)
        while k >= 0:
            i = bisect.bisect_right(cuts, k)
            held.add(i)
            k = t.find(name, cuts[i] + 1) if i < len(cuts) else -1
    for i in sorted(held):
        a = cuts[i - 1] + 1 if i else 0
        yield a, t[a : cuts[i] if i < len(cuts) else len(t)], _before(t, cuts, i)


def _before(t: str, cuts: Sequence[int], i: int) -> str:
    """The sentence before the one after the i-th cut: the last run with no stop, skipping
    empty ones (as _SENTENCE reads the text)."""
    for k in range(i - 1, -1, -1):
        a = cuts[k - 1] + 1 if k else 0
        if a < cuts[k]:
            return t[a : cuts[k]]
    return ""


def _sentences(text: CheckText) -> Iterator[tuple[int, str]]:
    """Each sentence with its start; its part is looked up (text.kind_at) only where a
    sentence holds what is searched for: most hold nothing, and the look-up was most of the
    search's cost."""
    for s in _SENTENCE.finditer(text.text):
        yield s.start(), s.group()


# The headline output whose growth is searched for: GDP (GNP in older reports), and, where a
# report names none, the 工农业总产值 that the State Council's reports led with until 1984.
HEADLINES = (("gdp", GDP_GROWTH), ("gross_output", "gross_output_growth"))


def _name_list(family: tuple[str, ...]) -> list[str]:
    return [n for n, iid in _registry().synonyms if iid in family]


def _names_of(family: tuple[str, ...]) -> re.Pattern[str]:
    return recache.compile("|".join(map(re.escape, _name_list(family))))


@dataclass(frozen=True)
class _Found:
    score: int
    start: int  # in the clean text
    quote: str
    name: str
    mention: NumberMention
    change: str | None
    period: str | None = None  # the one year the sentence names (１９８２年的计划…)
    level: NumberMention | None = None  # 国民生产总值达到13853亿元，…增长11.2%: the level


def _years(sentence: str) -> set[int]:
    return {p.year for p in find_periods(sentence) if p.kind == "year" and p.year}


def _candidates(text: CheckText, goal: bool, year: int | None,
                family: tuple[str, ...] = HEADLINES[0]) -> Iterator[_Found]:  # fmt: skip
    """Growth figures of a headline stated in sentences, scored as a goal (or as a result)."""
    names = _names_of(family)
    reg = _registry()
    others = [n for n, iid in reg.synonyms if iid not in family]
    levels = {n for n, iid in reg.synonyms if iid in family and get(iid).measure == "level"}
    for start, s, last in _named(text, _name_list(family)):
        for nm in names.finditer(s):
            prefix = _CUT.split(s[: nm.start()])[-1]
            if any(w in prefix for w in (*reg.part_words, "人均", "单位", "万元")):
                continue
            if _multi_year(_last_clauses(s[: nm.start()])):
                continue  # “十五”期间年均经济增长速度…; 在这个期间，我国工农业总产值…
            w0 = nm.end()
            all_years = _years(_BASE_YEAR.sub("", s))
            if year is not None and len(all_years) > 1 and year in all_years:
                # 一九八一年计划为3.7%，实际达到4.6%；一九八二年计划为4%，预计可以达到6.4%:
                # the clause of the year sought, its plan figure or its actual one.
                at = _year_clause(s, w0, year)
                if at is None:
                    continue
                w0 = at
            window = _CLAUSES.split(s[w0 : w0 + 60])[0] if w0 != nm.end() else s[w0 : w0 + 60]
            fig = _figure(window, goal)
            if fig is None:
                continue
            between = window[: fig.start]
            if _multi_year(_CUT.split(window[fig.end :])[0]):
                continue  # …增长百分之二十一点七，平均每年递增百分之四: a total over years
            if between.count("，") + between.count(",") > 2 or "；" in between:
                continue
            if any(w in between for w in (*reg.part_words, *others)):
                continue
            if nm.group() in levels and not GROWTH_WORD_RE.search(s[nm.end() : w0] + between):
                continue  # 国民生产总值…8%: a share or a level, not its growth
            ys = all_years  # 比1980年增长5.5%: 1980 is the base
            if year is not None and ys and year not in ys:
                continue
            score = _score(s[: w0 + fig.end], s, text.kind_at(start), goal, year, last)
            if score < (2 if goal else 1):
                continue
            end = w0 + fig.end
            after = _AFTER_FIGURE.match(s, end)
            end = after.end() if after else end
            quote = s[nm.start() - len(prefix) : end]  # from the clause start: 今年…
            grows = GROWTH_WORD_RE.search(between)
            change = between[grows.start() :] + window[fig.start : fig.end] if grows else None
            said = [p for p in find_periods(_BASE_YEAR.sub("", s)) if p.kind == "year"]
            period = said[0].text if len({p.year for p in said}) == 1 else None
            if w0 != nm.end():
                period = next((p.text for p in said if p.year == year), period)
            level = next((n for n in numbers_in(window[: fig.start])
                          if _family(n.unit) == "money" and not n.is_change), None)  # fmt: skip
            yield _Found(score, start + nm.start() - len(prefix), quote, nm.group(), fig, change,
                         period, level)  # fmt: skip
            break


_CLAUSES = lazy(r"[；;。]")


def _year_clause(s: str, after: int, year: int) -> int | None:
    """Where, after `after`, the clause of a sentence that names `year` starts."""
    for p in find_periods(s[after:]):
        if p.kind == "year" and p.year == year:
            return after + p.start
    return None


def _figure(window: str, goal: bool) -> NumberMention | None:
    """The growth figure of a headline in the text after its name: the first one not stated as
    a total over several years (在1979到1983年平均每年递增7.9%的基础上，比上年增长14.2%); where a
    plan figure and the actual one follow (计划为4%，预计可以达到6.4%), the one sought."""
    pcts = [n for n in numbers_in(window) if n.base_unit == "%"]
    if len(pcts) > 1 and (raised := FROM_TO_RATE_RE.search(window[: pcts[1].start])):
        if raised.start() < pcts[0].start and goal:
            return pcts[1]  # 增长速度由今年预计的3%提高到4%: the goal is the second
    actual = RESULT_AFTER_PLAN_RE.search(window)
    for n in pcts:
        if _multi_year(_last_clauses(window[: n.start], 1)):
            continue
        if actual and not goal and len(pcts) > 1 and n.start < actual.start():
            continue  # 计划为4%，预计可以达到6.4%: the result is the second
        return n
    return None


def _score(upto: str, sentence: str, part: SectionKind | None, goal: bool, year: int | None,
           last: str = "") -> int:  # fmt: skip
    wanted = SectionKind.PLAN if goal else SectionKind.REVIEW
    # The parts of old or unusual reports are often misread: a wrong part only weighs against.
    score = 2 if part is wanted else (-1 if part in (SectionKind.PLAN, SectionKind.REVIEW) else 0)
    said_year = year is not None and year in _years(sentence)
    if goal:
        score += 2 if (said_year or re.search(r"今年(?!以来)|明年", sentence)) else 0
        goal_said = GOAL_CUE_RE.search(upto)
        # 主要预期目标是：… names the year's goals even where the part was misread.
        score += 3 if GOAL_STATEMENT_RE.search(_last_clauses(upto)) else 1 if goal_said else 0
        score -= 3 if RESULT_CUE_RE.search(upto) and not goal_said else 0
    else:
        score += 1 if (said_year or re.search(r"去年|上年|全年|比上年", sentence)) else 0
        score += 2 if re.search(r"过去一年|去年|一年来", last) else 0  # 过去一年…。国内生产总值增长
        base = [_years(b.group()) for b in _BASE_YEAR.finditer(upto)]
        last_year = year is not None and any(year - 1 in b for b in base)  # 比1957年 in 1958
        score += 1 if re.search(r"比上年|比去年|同比", upto) or last_year else 0
        score -= 3 if GOAL_STATEMENT_RE.search(_last_clauses(upto)) else 0
        near = _last_clauses(upto)
        score -= 3 if RESULT_CUE_RE.search(near) is None and GOAL_CUE_RE.search(near) else 0
    return score


def _found_metric(f: _Found, kind: MetricKind) -> Metric:
    # A level written before its growth is the figure its name binds to, as an engine gives it:
    # 国民生产总值 13853亿元 with the change 增长11.2%, whose growth row the panel derives.
    shown = f.level if f.level is not None and f.change else f.mention
    m = Metric(name=f.name, value=shown.value, unit=shown.unit, change=f.change, kind=kind,
               quote=f.quote, period=f.period)  # fmt: skip
    return _annotated(m, kind == "target")


def _no_target(text: CheckText) -> Metric | None:
    """An explicit statement that no growth target is set (没有提出全年经济增速具体目标)."""
    for start, s in _sentences(text):
        for m in _NO_TARGET.finditer(s):
            if text.kind_at(start) is SectionKind.REVIEW:
                break
            clause = _CUT.split(s[: m.start()])[-1] + m.group()
            subject = re.search(r"经济增速|经济增长|增长速度|增速|生产总值|GDP", clause)
            if subject is None:
                continue
            return Metric(name=subject.group(), value=None, unit="%", kind="target", quote=clause,
                          change=m.group(), indicator=GDP_GROWTH, bound="none")  # fmt: skip
    return None


def _year_of(period: str | None) -> int | None:
    return int(period[:4]) if period and re.fullmatch(r"\d{4}", period) else None


def _has(metrics: list[Metric], indicator: str) -> bool:
    for m in metrics:
        g = growth_in_change(m)
        if m.indicator == indicator or (g is not None and g.indicator == indicator):
            return True
    return False


def _best(text: CheckText, goal: bool, year: int | None) -> Metric | None:
    """The best-scored growth of the first headline the report states (GDP, else 工农业总产值)
    that passes the checks validation will make of it where it stands."""
    kind: MetricKind = "target" if goal else "actual"
    for family in HEADLINES:
        found = sorted(_candidates(text, goal, year, family), key=lambda f: (-f.score, f.start))
        for f in found:
            m = _found_metric(f, kind)
            if check_metric(m, goal, text, text.find(m.quote)) is None:
                return m
    return None


def complete(summary: ReportSummary, text: CheckText) -> ReportSummary:
    """An annotated summary with a no-target statement, or the headline growth target and
    outcome, added where the engine missed them."""
    plans, achievements = _completed(summary, text, summary.plans, summary.achievements)
    return replace(summary, plans=plans, achievements=achievements)


def _completed(
    summary: ReportSummary, text: CheckText, plans: list[Plan], achievements: list[Achievement]
) -> tuple[list[Plan], list[Achievement]]:
    """Add a no-target statement, or the headline growth target and outcome, where missing."""
    targets = [m for p in plans for m in p.targets]
    if not any(_has(targets, growth) for _, growth in HEADLINES):
        year = _year_of(summary.meta.plan_period)
        found = _no_target(text) if not any(m.value is None for m in targets) else None
        found = found or _best(text, True, year)
        if found is not None:
            plans = [*plans, Plan(area=FOUND_TARGET_AREA, text=found.quote, targets=[found])]
    actuals = [m for a in achievements for m in a.metrics]
    if not any(_has(actuals, growth) for _, growth in HEADLINES):
        m = _best(text, False, _year_of(summary.meta.review_period))
        if m is not None:
            item = Achievement(area=FOUND_OUTCOME_AREA, text=m.quote, metrics=[m])
            achievements = [*achievements, item]
    return plans, achievements
