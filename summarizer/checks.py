"""The checks one claim must pass, shared by the validation pass and the model's re-ask validators.

`validate` runs them over a whole report; the validators in `models` run them over one chunk
while instructor validates an answer, so a failure there is the error the model is re-asked
with. Each check returns a `Finding` (a Claim status, a short detail for the ValidationReport,
and the Chinese message the model is told) or None when the claim holds.

What they read is a `CheckText` (module `checktext`): the clean report (or one chunk) with its
N-index and its figure table, read by offset wherever a quote's place is known.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from . import recache
from .checktext import (
    CheckText,
    Nums,
    QuoteAt,
    SpanSet,
    close,
    figure_at,
    numbers_of,
    periods_of,
    quantities,
    section_kind,
    states_base,
    stating,
)
from .grounding import Span
from .kinds import RESULT, TARGET, check_kind
from .lexicon import AFTER_FIGURE, CHANGE_WORDS, CJK_RE, FIGURE_VERBS, QUAL_NEAR
from .numbers import Direction, NumberMention, Period, direction_of, to_base
from .structure import PART_LABELS_ZH, SectionKind
from .units import value_text

if TYPE_CHECKING:
    from .checktext import AnyMetric as Metric
    from .records import ClaimStatus

__all__ = ["CheckText", "Finding", "SpanSet", "check_direction", "check_figure", "check_metric",
           "check_metric_kind", "check_period", "part_label", "section_kind"]  # fmt: skip

# The figures of a quote, and (read only when needed) of its sentence and of the rest of it.
Parsed = tuple[Nums, Callable[[], Nums], Callable[[], Nums]]

# Bind a metric's figure to the name written next to it in a list quote (see _named_elsewhere):
# "完成农村公厕改造14座、新建7座" named 新建 = 14座 is flagged.
BIND_NAMES = True
# "[、，；;。：！？]|(?<![0-9]),|,(?![0-9])" written to open with one character class (the
# engine's C skip to a candidate, not an alternation tried at every position of each quote).
_SEGMENT_CUT = recache.compile(
    r"[、，；;。：！？,](?:(?<=[、，；;。：！？])|(?<![0-9],)|(?![0-9]))"
)
# Verbs, qualifiers and fillers around a figure: what is left of a stretch names something.
_FILLER = recache.compile(
    f"{FIGURE_VERBS}|其中|同比|比上年|较上年|{CHANGE_WORDS}|{AFTER_FIGURE}|{QUAL_NEAR}|为|是|至|到|了|共|"
    "和|及|与|并|有|年|月"
)


@dataclass(frozen=True)
class Finding:
    """Why a claim failed: its status, a detail for the report, a message for the model."""

    status: ClaimStatus
    detail: str
    message: str


# --- value and unit -----------------------------------------------------------------------


def _segments(quote: str) -> list[int]:
    return [0, *(m.end() for m in _SEGMENT_CUT.finditer(quote)), len(quote) + 1]


def _names_something(quote: str, a: int, b: int, mentions: Sequence[NumberMention]) -> bool:
    """True when quote[a:b] names an indicator of its own, besides figures and verbs."""
    seg = quote[a:b]
    for m in mentions:
        if a <= m.start and m.end <= b:
            seg = seg.replace(m.text, " ")
    return len(CJK_RE.findall(_FILLER.sub("", seg))) >= 2


def _a_word(quote: str, k: int, end: int, here: Sequence[NumberMention]) -> bool:
    """True unless quote[k:end] is the head of a longer noun ("新冠疫苗接种" in "…接种点").

    A name followed by a figure, punctuation or a verb of `_FILLER` stands alone; so does one
    right after its figure ("4家合作社获评…").
    """
    if not CJK_RE.match(quote, end) or _FILLER.match(quote, end):
        return True
    return any(m.end == k for m in here)


def _named_elsewhere(
    name: str, quote: str, mentions: Sequence[NumberMention], matching: Sequence[NumberMention]
) -> list[NumberMention] | None:
    """The name's own figures, when the claimed figure is only next to another indicator's name.

    In "低保金196万元、慈善基金10万元、临时救助金11万元" the figure of 慈善基金 is 10万元, and
    11万元 belongs to 临时救助金. Only a name written in the quote with figures in its own stretch
    binds ("A、B分别为…" names its figures elsewhere); a figure after a bare verb ("首破4亿美元，
    达4.4亿美元", "增长10%、力争完成65亿元") still belongs to the name before it. The name must
    be written as a word of its own: in "新设新冠疫苗接种点" it is part of another noun, and
    binds nothing there.
    """
    if not BIND_NAMES or len(name) < 2 or "分别" in quote or name not in quote:
        return None
    cuts = _segments(quote)
    own: list[NumberMention] = []
    k = quote.find(name)
    while k >= 0:
        i = bisect.bisect_right(cuts, k) - 1
        a, b = cuts[i], cuts[bisect.bisect_left(cuts, k + len(name))]
        here = [m for m in mentions if a <= m.start and m.end <= b]
        if not _a_word(quote, k, k + len(name), here):
            k = quote.find(name, k + 1)
            continue
        if not here:
            return None
        own += here
        k = quote.find(name, k + 1)
    if not own:
        return None
    for m in matching:
        i = bisect.bisect_right(cuts, m.start) - 1
        if m in own or not _names_something(quote, cuts[i], cuts[i + 1], mentions):
            return None
    return own


def check_figure(
    name: str, value: float, unit: str, quote: str, nums: Nums | None = None,
    matching: Sequence[NumberMention] | None = None,
) -> Finding | None:  # fmt: skip
    """value_mismatch / unit_mismatch: the figure is not what its quote states.

    `nums` is find_numbers(quote) when the caller has it from the report's table, `matching`
    those of them that state the value (checktext.stating) when it has that too.
    """
    # The figures read are part of the question: a quote is read from the report's table
    # (engine and validation alike) or, without one, parsed here (nums None).
    key = (name, value, unit, quote, None if nums is None else tuple(nums))
    if key in _FIGURE_CHECKED:
        return _FIGURE_CHECKED[key]
    if len(_FIGURE_CHECKED) >= _MAX_CHECKED:
        _FIGURE_CHECKED.clear()
    found = _FIGURE_CHECKED[key] = _check_figure(name, value, unit, quote, nums, matching)
    return found


# The answers of check_figure, a pure function of its question (`matching` follows from the
# rest): the rules engine checks every figure it states before stating it, validation again.
_FIGURE_CHECKED: dict[tuple[object, ...], Finding | None] = {}
_MAX_CHECKED = 50_000


def _check_figure(
    name: str, value: float, unit: str, quote: str, nums: Nums | None,
    matching: Sequence[NumberMention] | None,
) -> Finding | None:  # fmt: skip
    nums = numbers_of(quote) if nums is None else nums
    if matching is None:
        matching = stating(value, unit, nums)
    own = _named_elsewhere(name, quote, nums, matching) if matching else None
    if matching and own is None:
        return None
    pool = own or quantities(nums, unit)
    written = "、".join(m.text for m in pool) or "无"
    claimed = f"{value_text(value)}{unit}"
    # The figure is written there but in another unit or scale (69万元 claimed, 69亿元 written).
    same = [m for m in pool if any(v is not None and close(abs(v), abs(value))
                                   for v in (m.value, m.high))]  # fmt: skip
    if same:
        return Finding(
            "unit_mismatch",
            f"单位与引文不符：引文为{same[0].text}",
            f"指标“{name}”的数值 {claimed} 与引文中的“{same[0].text}”单位或量级不一致。"
            "unit 必须照引文原样填写（含“万”“亿”等量级），value 按该单位填写，不要换算。",
        )
    if own:
        return Finding(
            "value_mismatch",
            f"引文中“{name}”的数字是{written}",
            f"指标“{name}”的数值 {claimed} 不在其引文中“{name}”之后（引文中“{name}”的数字是"
            f"{written}，{claimed}属于别的指标）。value 和 unit 必须照引文原样填写。",
        )
    return Finding(
        "value_mismatch",
        f"引文中的数字：{written}",
        f"指标“{name}”的数值 {claimed} 不在其引文中（引文中的数字：{written}）。"
        "value 和 unit 必须照引文原样填写。",
    )


# --- direction ----------------------------------------------------------------------------


def check_direction(
    name: str, change: str | None, quote: str, value: float, unit: str,
    sentence: str = "", after: str = "", parsed: Parsed | None = None,
) -> Finding | None:  # fmt: skip
    """direction_mismatch (增长 vs 下降), or value_mismatch for a change figure nobody wrote.

    The change's figures are looked up in the quote, then in the sentence around it (the
    quote may stop before "同比增长7%"). A change without a figure ("增长") is compared with
    the direction of the metric's own figure, else with the first change after it, in the
    quote or in the rest of its sentence (`after`). `parsed`: the figures of quote, sentence
    and after, when the caller has them from the report's table (the last two as functions:
    most changes need neither, and are checked without reading them).
    """
    if not change:
        return None
    if parsed is None:
        parsed = (numbers_of(quote), lambda: numbers_of(sentence), lambda: numbers_of(after))
    q_nums, s_nums, a_nums = parsed
    claimed = [c for c in numbers_of(change) if not c.is_year]
    if claimed:
        pool = [m for m in q_nums if not m.is_year]
        more: list[NumberMention] | None = None  # the sentence's, read only when they may count
    for c in claimed:
        bv, bu = to_base(c.value, c.unit)  # once per figure (a change may drop its sign)
        said = [q for q in pool if states_base(bv, bu, q) or states_base(-bv, bu, q)]
        # The sentence's figures come after the quote's: they matter only when the quote has
        # none that states the change, or none in its direction.
        if sentence and (not said or (c.direction is not None and c.direction not in
                                       {q.direction for q in said})):  # fmt: skip
            if more is None:
                more = [m for m in s_nums() if not m.is_year]
            said += [q for q in more if states_base(bv, bu, q) or states_base(-bv, bu, q)]
        if not said:
            return Finding(
                "value_mismatch",
                f"变化“{change}”中的{c.text}不在引文中",
                f"指标“{name}”的变化“{change}”中的 {c.text} 在引文及其所在句中找不到。"
                "change 只能照抄原文中与该数值相伴的变化。",
            )
        dirs = {q.direction for q in said if q.direction is not None}
        if c.direction is not None and dirs and c.direction not in dirs:
            return _direction_finding(name, change, said[0].text, dirs)
    d = direction_of(change) if not any(c.direction for c in claimed) else None
    if d is None:
        return None
    in_quote = [m for m in q_nums if not m.is_year]
    bv, bu = to_base(value, unit)
    own = [m for m in in_quote if states_base(bv, bu, m)]
    end = own[0].end if own else 0
    near = (
        [m for m in own if m.direction is not None]
        or [m for m in in_quote if m.is_change and m.start >= end]
        or [m for m in a_nums() if m.is_change]
    )[:1]
    if near and near[0].direction is not None and near[0].direction is not d:
        return _direction_finding(name, change, near[0].text, {near[0].direction})
    return None


def _direction_finding(name: str, change: str, written: str, dirs: set[Direction]) -> Finding:
    said = "、".join(sorted("增加" if d.value == "up" else "减少" for d in dirs))
    return Finding(
        "direction_mismatch",
        f"变化方向与原文相反：原文为{said}（{written}）",
        f"指标“{name}”的变化“{change}”与原文方向相反：原文是{said}（“{written}”）。"
        "增长与下降、提高与降低不能颠倒，change 请照原文填写。",
    )


# --- period -------------------------------------------------------------------------------

# ("m", first month, last month) | ("multi", (first, last year) or None) | ("open",)
_Scope = tuple[str | int | tuple[int, int] | None, ...]


def _scope(p: Period) -> _Scope | None:
    if p.kind == "full_year":
        return ("m", 1, 12)
    if p.kind in ("months", "to_date"):
        return ("m", *p.months) if p.months else ("open",)
    if p.kind == "multi_year":
        return ("multi", p.years)
    return None


def _fits(claim: _Scope, said: _Scope) -> bool:
    if "open" in (claim[0], said[0]) or claim == said:
        return True
    return claim[0] == said[0] == "multi" and None in (claim[1], said[1])


def _years(periods: Sequence[Period], claimed: bool = False) -> list[tuple[int, int]]:
    out = []
    for p in periods:
        if p.kind == "multi_year" and p.years:
            out.append(p.years)
        elif p.kind == "to_date" and p.year and not claimed:
            out.append((p.year, 2100))  # "2019年以来" covers every year since
        elif p.kind != "multi_year" and p.year:
            out.append((p.year, p.year))
    return out


@lru_cache(maxsize=4096)
def _claimed(period: str) -> tuple[tuple[_Scope, ...], tuple[tuple[int, int], ...]]:
    """The scopes and years a claimed period names (read once per distinct period)."""
    claim = periods_of(period) if period else ()
    return tuple(s for p in claim if (s := _scope(p))), tuple(_years(claim, claimed=True))


@lru_cache(maxsize=1024)
def _span_years(period: str | None) -> tuple[int, int] | None:
    if not period:
        return None
    a, _, b = period.partition("-")
    return (int(a), int(b or a)) if a.isdigit() and (b or a).isdigit() else None


def check_period(
    name: str, period: str | None, value: float, unit: str, quote: str,
    text: CheckText | None, span: Span | None, at: QuoteAt | None = None,
) -> Finding | None:  # fmt: skip
    """period_mismatch: the claimed period contradicts the one the source gives the figure.

    Only contradictions count: a period the source leaves open is never a flag. The scope
    (全年, 1-9月, 五年来) is read before the figure, in its sentence, else in its paragraph
    (as "1-10月，…" opens one); the year from the quote, the paragraph up to it, or the part.
    `at`: where the figure is (CheckText.quote_at), when the caller has it.
    """
    scopes, claim_years = _claimed(period or "")
    if not scopes and not claim_years:
        return None
    if text is not None and span is not None:
        at = at or text.quote_at(quote, span, value, unit)
        fig, in_quote = at.fig, text.quote_periods(quote, span)
    else:
        fig, in_quote = figure_at(value, unit, numbers_of(quote), len(quote)), periods_of(quote)
    before_fig = [p for p in in_quote if p.end <= fig]
    sent: list[Period] = []
    para: list[Period] = []
    part_years = None
    if text is not None and span is not None and at is not None:
        s0 = at.sentence[0]
        p0 = text.paragraph_start(span.start)
        sent = text.periods(s0, span.start)
        para = text.periods(min(p0, s0), s0)
        part_years = _span_years(text.period_at(span.start))
    said = [s for p in (*before_fig, *sent) if (s := _scope(p))]
    if not said:  # "全年" governs its own sentence only; "1-10月" its paragraph
        said = [s for p in para if p.kind != "full_year" and (s := _scope(p))][-1:]
    if scopes and said and not any(_fits(c, s) for c in scopes for s in said):
        written = "、".join(p.text for p in (*before_fig, *sent, *para) if _scope(p)) or "无"
        return _period_finding(name, period or "", written)
    explicit = _years([*in_quote, *sent, *para])
    allowed = explicit + ([part_years] if part_years and (not explicit or
                          part_years[0] == part_years[1]) else [])  # fmt: skip
    for a, b in claim_years:
        if allowed and not any(x <= a and b <= y for x, y in allowed):
            written = "、".join(f"{x}年" if x == y else f"{x}-{y}年" for x, y in allowed)
            return _period_finding(name, period or "", written)
    return None


def _period_finding(name: str, period: str, written: str) -> Finding:
    return Finding(
        "period_mismatch",
        f"时期与原文不符：原文为{written}",
        f"指标“{name}”的时期“{period}”与原文不符（原文所指时期：{written}）。"
        "period 请照原文填写，1-9月的数不能写成全年，上一年的数不能写成今年。",
    )


# --- kind ---------------------------------------------------------------------------------


def check_metric_kind(
    metric: Metric, listed_as_target: bool, text: CheckText | None, span: Span | None,
    nums: Nums | None = None, at: QuoteAt | None = None,
) -> Finding | None:  # fmt: skip
    """kind_mismatch, judged by the list, the part, the wording and the period (see `kinds`)."""
    found = check_kind(metric.name, metric.kind, listed_as_target, None)  # the list vs the kind
    if found is None and text is not None and span is not None:
        listed = TARGET if listed_as_target else RESULT
        evidence = text.kind_evidence(span, metric, nums, at, listed)
        found = check_kind(metric.name, metric.kind, listed_as_target, evidence)
    return Finding("kind_mismatch", found.detail, found.message) if found else None


# --- a whole metric -----------------------------------------------------------------------


def check_metric(
    metric: Metric, listed_as_target: bool | None, text: CheckText | None, span: Span | None
) -> Finding | None:
    """Every check of one metric whose quote was found at `span` of `text` (None: unknown).

    listed_as_target: whether it sits in a plan's targets; None when the list is not known
    yet (a Metric validated on its own), which leaves the kind to the list's validator.
    """
    m = metric
    if m.value is None:
        # "No target is set" (bound "none") states no figure: only its list can be wrong.
        if listed_as_target is None:
            return None
        return check_metric_kind(m, listed_as_target, text, span)
    # The quote's figures (and its sentence's) come from the report's table when the quote is
    # the text at `span`: each report is parsed once, not once per claim; where the claimed
    # figure is in it is found once, for the value, period and kind checks alike.
    at = None if text is None or span is None else text.quote_at(m.quote, span, m.value, m.unit)
    nums = at.nums if at is not None else None
    found = check_figure(m.name, m.value, m.unit, m.quote, nums, at.stating if at else None)
    if found is None and m.change:
        sentence = after = ""
        parsed = None
        if text is not None and span is not None and at is not None and nums is not None:
            a, b = at.sentence  # at most SENTENCE_NEAR either side: lines run together stay linear
            sentence, after = text.text[a:b], text.text[span.end : b]
            table, end = text.figures, span.end
            parsed = (nums, lambda: table.numbers(a, b), lambda: table.numbers(end, b))
        found = check_direction(m.name, m.change, m.quote, m.value, m.unit, sentence, after, parsed)
    if found is None and m.period:
        found = check_period(m.name, m.period, m.value, m.unit, m.quote, text, span, at)
    if found is None and listed_as_target is not None:
        found = check_metric_kind(m, listed_as_target, text, span, nums, at)
    return found


# The parts a claim's location names, looked up once: an enum member read off its class costs
# ~0.5 us, three of them a claim.
_NAMED_PARTS = {k: PART_LABELS_ZH[k] for k in (SectionKind.REVIEW, SectionKind.PLAN,
                                                SectionKind.FIVE_YEAR)}  # fmt: skip


def part_label(part: SectionKind | None) -> str:
    """The part's name in Chinese, for a claim's location ("" when not review or plan)."""
    return _NAMED_PARTS.get(part, "") if part is not None else ""
