"""The text a claim is checked against, and where a quote's figure is.

A `CheckText` is the clean report (or one chunk) with its N-index and, built lazily once per
text, its figure table (numbers and periods, `figures`), its sentence and paragraph cuts, the
section each offset sits in (from the outline, or one kind for a whole chunk) and the spans
flagged as injected text. The checks themselves are in `checks`.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from .figures import FigureTable
from .grounding import SourceIndex, Span
from .kinds import KindEvidence, kind_evidence
from .numbers import NumberMention, Period, find_numbers, find_periods, to_base
from .structure import Outline, SectionKind

if TYPE_CHECKING:
    from .models import Metric

__all__ = ["CheckText", "Nums", "SpanSet", "close", "figure_at", "numbers_of", "periods_of",
           "quantities", "section_kind", "states"]  # fmt: skip

Nums = Sequence[NumberMention]  # find_numbers of one string, or its view in a FigureTable
_CALENDAR = {"年", "月", "日"}
_SENTENCE_CUT = re.compile(r"[。！？!?\n]")
_PARA_CUT = re.compile(r"\n")
# Characters of a quote's sentence read on either side of it: a "sentence" that no stop ends
# (lines of figures run together) is read only near the quote, so checking its figures one by
# one stays linear.
SENTENCE_NEAR = 400


@lru_cache(maxsize=8192)
def numbers_of(text: str) -> tuple[NumberMention, ...]:
    # Quotes and changes repeat across claims and re-asks; parse each string once.
    return tuple(find_numbers(text))


@lru_cache(maxsize=4096)
def periods_of(text: str) -> tuple[Period, ...]:
    return tuple(find_periods(text))


def section_kind(value: object) -> SectionKind | None:
    """A SectionKind from an enum member or its string value; None for anything else."""
    if isinstance(value, SectionKind):
        return value
    try:
        return SectionKind(str(value)) if value is not None else None
    except ValueError:
        return None


class SpanSet:
    """Half-open spans (flagged text), for overlap queries in O(log n)."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        ordered = sorted((a, b) for a, b in spans if b > a)
        self._starts = [a for a, _ in ordered]
        # The furthest end among spans starting at or before each one: one bisect per query.
        self._reach = list(itertools.accumulate((b for _, b in ordered), max))

    def overlaps(self, span: Span) -> bool:
        """True when `span` overlaps any of the spans."""
        i = bisect.bisect_left(self._starts, span.end)
        return i > 0 and self._reach[i - 1] > span.start


class CheckText:
    """A clean report or one chunk, prepared once for every check made against it."""

    def __init__(
        self,
        text: str,
        outline: Outline | None = None,
        spam_spans: Sequence[tuple[int, int]] = (),
        section: SectionKind | None = None,
        years: tuple[int | None, int | None] = (None, None),
        confident: bool = False,
        figures: FigureTable | None = None,
    ) -> None:
        self.text = text
        self._figures = figures  # the report's figures and periods, parsed once (lazily)
        # The report's review and plan years, and whether its parts were read with confidence
        # (from the outline when there is one; a chunk is told by the engine).
        if outline is not None:
            years, confident = outline.header.years, outline.confident
        self.years, self.confident = years, confident
        self.index = SourceIndex(text)
        self.outline = outline
        self.section = section  # a chunk lies inside one part; an outline says it per offset
        self.spam = SpanSet(spam_spans)
        self._cuts: tuple[list[int], list[int]] | None = None
        self._pstarts: list[int] | None = None
        self._values: dict[tuple[str, float], list[tuple[int, int]]] | None = None

    # --- where a quote is, and what surrounds it
    def find(self, quote: str) -> Span | None:
        """The first occurrence of a quote under N."""
        return self.index.find(quote)

    def find_all(self, quote: str) -> list[Span]:
        """Every occurrence of a quote under N."""
        return self.index.find_all(quote)

    def kind_at(self, offset: int) -> SectionKind | None:
        """The part of the report an offset sits in, when known."""
        return self.outline.kind_at(offset) if self.outline is not None else self.section

    def period_at(self, offset: int) -> str | None:
        """The years the part around an offset covers ("2019", "2016-2020"), when known."""
        return self.outline.section_at(offset).period if self.outline is not None else None

    @property
    def figures(self) -> FigureTable:
        """The text's figures and periods, parsed once."""
        if self._figures is None:
            self._figures = FigureTable(self.text)
        return self._figures

    def quote_numbers(self, quote: str, span: Span | None) -> Nums:
        """find_numbers(quote): from the table when the quote is the text at `span`."""
        if span is not None and self.text[span.start : span.end] == quote:
            return self.figures.numbers(span.start, span.end)
        return numbers_of(quote)

    def quote_periods(self, quote: str, span: Span | None) -> Sequence[Period]:
        """find_periods(quote): from the table when the quote is the text at `span`."""
        if span is not None and self.text[span.start : span.end] == quote:
            return self.figures.periods_in(span.start, span.end)
        return periods_of(quote)

    def kind_evidence(self, span: Span, metric: Metric, nums: Nums | None = None) -> KindEvidence:
        """The witnesses for target vs result of a metric whose quote is at `span`."""
        a, b = self.sentence_near(span)
        if nums is None:
            nums = self.quote_numbers(metric.quote, span)
        fig = span.start + figure_at(metric.value, metric.unit, nums, len(metric.quote))
        return kind_evidence(
            self.text[a:b], min(fig, span.end) - a, self.kind_at(span.start), self.confident,
            *self.years,
        )  # fmt: skip

    def in_spam(self, span: Span) -> bool:
        """True when the span overlaps a span flagged as injected or tampered text."""
        return self.spam.overlaps(span)

    def _boundaries(self) -> tuple[list[int], list[int]]:
        if self._cuts is None:
            t = self.text
            self._cuts = ([m.start() for m in _SENTENCE_CUT.finditer(t)],
                          [m.start() for m in _PARA_CUT.finditer(t)])  # fmt: skip
        return self._cuts

    def sentence(self, span: Span) -> tuple[int, int]:
        """The sentence around a span (； does not end it: a period governs across it)."""
        cuts = self._boundaries()[0]
        i = bisect.bisect_left(cuts, span.start)
        j = bisect.bisect_left(cuts, max(span.start, span.end - 1))
        return (cuts[i - 1] + 1 if i else 0), (cuts[j] if j < len(cuts) else len(self.text))

    def sentence_near(self, span: Span) -> tuple[int, int]:
        """The sentence around a span, at most SENTENCE_NEAR characters either side of it."""
        a, b = self.sentence(span)
        return max(a, span.start - SENTENCE_NEAR), min(b, span.end + SENTENCE_NEAR)

    def paragraph_start(self, offset: int) -> int:
        """Where the paragraph (line of the clean text) around an offset starts."""
        cuts = self._boundaries()[1]
        i = bisect.bisect_left(cuts, offset)
        return cuts[i - 1] + 1 if i else 0

    def periods(self, start: int, end: int) -> list[Period]:
        """The periods named inside text[start:end]."""
        ps = self.figures.periods
        if self._pstarts is None:
            self._pstarts = [p.start for p in ps]
        i = bisect.bisect_left(self._pstarts, start)
        out = []
        while i < len(ps) and ps[i].start < end:
            if ps[i].end <= end:
                out.append(ps[i])
            i += 1
        return out

    # --- numbers anywhere in the text, for the numbers of free-text fields
    def number_places(self, m: NumberMention) -> list[tuple[int, int]]:
        """Where the text states this quantity (any scale, either end of a range)."""
        if self._values is None:
            self._values = {}
            for n in self.figures.mentions:
                if n.is_year:
                    continue
                for v in {x for x in (n.value, n.high) if x is not None}:
                    key = (n.base_unit, _key(to_base(v, n.unit)[0]))
                    self._values.setdefault(key, []).append((n.start, n.end))
        return self._values.get((m.base_unit, _key(m.base_value)), [])


def _key(v: float) -> float:
    return float(f"{v:.9g}")


# --- which figure of a quote states a value ----------------------------------------


def states(value: float, unit: str, q: NumberMention) -> bool:
    """True when mention `q` states value+unit, scale-aware (a change may drop its sign)."""
    bv, bu = to_base(value, unit)
    if bu != q.base_unit:
        return False
    # base_value is to_base(value, unit) of the mention, computed when it was parsed
    high = None if q.high is None else to_base(q.high, q.unit)[0]
    for qv in (q.base_value, high):
        if qv is None:
            continue
        if close(bv, qv) or (q.is_change and close(abs(bv), abs(qv))):
            return True
    return False


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def quantities(nums: Nums, unit: str) -> list[NumberMention]:
    calendar = to_base(1, unit)[1] in _CALENDAR  # "连续3年" is a count of years, not a date
    return [m for m in nums if calendar or not m.is_year]


def figure_at(value: float | None, unit: str, nums: Nums, end: int) -> int:
    """Where the metric's own figure starts in its quote (`end`, its length, when it is not
    there); `nums` are the quote's figures."""
    if value is None:  # "no target is set" states no figure
        return end
    for m in quantities(nums, unit):
        if states(value, unit, m):
            return m.start
    return end
