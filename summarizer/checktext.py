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
from array import array
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple, overload

from .figures import FigureTable, numbers_of, periods_of
from .grounding import SourceIndex, Span
from .kinds import KindEvidence, clause_cuts, governing_at, weigh
from .numbers import NumberMention, Period, to_base
from .offsets import OFFSET_TYPECODE
from .structure import Outline, Section, SectionKind

if TYPE_CHECKING:
    from . import models, records

    # A summary's metric, or the model's answer's: the re-ask validators check it with this code.
    AnyMetric = records.Metric | models.Metric

__all__ = ["CheckText", "Nums", "QuoteAt", "SpanSet", "close", "figure_at", "numbers_of",
           "periods_of", "quantities", "section_kind", "states", "states_base",
           "stating"]  # fmt: skip

Nums = Sequence[NumberMention]  # find_numbers of one string, or its view in a FigureTable
_CALENDAR = {"年", "月", "日"}
# Characters of a quote's sentence read on either side of it: a "sentence" that no stop ends
# (lines of figures run together) is read only near the quote, so checking its figures one by
# one stays linear.
SENTENCE_NEAR = 400


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


class QuoteAt(NamedTuple):
    """A claim's quote where it was found, read once for every check of the claim.

    `nums` are the quote's figures (from the report's table when the quote is the text at
    its span), `stating` those of them that state the claimed value, `fig` where the first of
    these starts in the quote (its length when none does), `sentence` the sentence around it.
    """

    start: int
    end: int
    nums: Nums
    stating: tuple[NumberMention, ...]
    fig: int
    sentence: tuple[int, int]


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
        index: SourceIndex | None = None,
    ) -> None:
        self.text = text
        self._figures = figures  # the report's figures and periods, parsed once (lazily)
        # The report's review and plan years, and whether its parts were read with confidence
        # (from the outline when there is one; a chunk is told by the engine).
        if outline is not None:
            years, confident = outline.header.years, outline.confident
        self.years, self.confident = years, confident
        self.index = index if index is not None and index.source is text else SourceIndex(text)
        self.outline = outline
        self.section = section  # a chunk lies inside one part; an outline says it per offset
        # Where each part starts, for a bisect without a key function: every claim asks.
        self._parts = outline.sections if outline is not None else ()
        self._part_starts = [p.start for p in self._parts]
        self.spam = SpanSet(spam_spans)
        self._cuts: tuple[Sequence[int], Sequence[int]] | None = None
        self._pstarts: list[int] | None = None
        self._values: dict[tuple[str, float], array[int]] | None = None
        self._clauses: Sequence[int] | None = None
        self._at: dict[tuple[int, int, str, float | None, str], QuoteAt] = {}
        self._found: dict[str, Span | None] = {}

    # --- where a quote is, and what surrounds it
    def find(self, quote: str) -> Span | None:
        """The first occurrence of a quote under N (annotation, placing and the checks of a
        metric each ask: looked up once)."""
        if quote in self._found:
            return self._found[quote]
        span = self._found[quote] = self.index.find(quote)
        return span

    def find_all(self, quote: str) -> list[Span]:
        """Every occurrence of a quote under N."""
        return self.index.find_all(quote)

    def section_at(self, offset: int) -> Section | None:
        """The outline's section around an offset (Outline.section_at), None without one."""
        if not self._parts:
            return None
        return self._parts[max(0, bisect.bisect_right(self._part_starts, offset) - 1)]

    def kind_at(self, offset: int) -> SectionKind | None:
        """The part of the report an offset sits in, when known."""
        part = self.section_at(offset)
        return part.kind if part is not None else self.section

    def period_at(self, offset: int) -> str | None:
        """The years the part around an offset covers ("2019", "2016-2020"), when known."""
        part = self.section_at(offset)
        return part.period if part is not None else None

    @property
    def figures(self) -> FigureTable:
        """The text's figures and periods, parsed once."""
        if self._figures is None:
            self._figures = FigureTable(self.text)
        return self._figures

    def quote_numbers(self, quote: str, span: Span | None) -> Nums:
        """find_numbers(quote): from the table when the quote is the text at `span`."""
        if span is not None and self.figures.is_at(quote, span.start, span.end):
            return self.figures.numbers(span.start, span.end, quote)
        return numbers_of(quote)

    def quote_periods(self, quote: str, span: Span | None) -> Sequence[Period]:
        """find_periods(quote): from the table when the quote is the text at `span`."""
        if span is not None and self.figures.is_at(quote, span.start, span.end):
            return self.figures.periods_in(span.start, span.end)
        return periods_of(quote)

    def quote_at(self, quote: str, span: Span, value: float | None, unit: str) -> QuoteAt:
        """Where a claim's figure is in its quote at `span`, and the sentence around it: found
        once per claim and shared by its value, direction, period and kind checks."""
        key = (span.start, span.end, quote, value, unit)
        got = self._at.get(key)
        if got is None:
            nums = self.quote_numbers(quote, span)
            said = stating(value, unit, nums)
            fig = said[0].start if said else len(quote)
            got = QuoteAt(span.start, span.end, nums, said, fig, self.sentence_near(span))
            self._at[key] = got
        return got

    def kind_evidence(
        self, span: Span, metric: AnyMetric, nums: Nums | None = None, at: QuoteAt | None = None,
        listed: str | None = None,
    ) -> KindEvidence:  # fmt: skip
        """The witnesses for target vs result of a metric whose quote is at `span`.

        Read from the text's tables (the periods of the sentence before the figure, the
        governing clauses through the text's clause cuts): no substring is parsed again.
        `listed`: see kinds.weigh (the periods are read only when they could tip the verdict).
        """
        if at is None:
            if nums is None:
                at = self.quote_at(metric.quote, span, metric.value, metric.unit)
            else:  # the caller's figures for the quote
                said = stating(metric.value, metric.unit, nums)
                fig = said[0].start if said else len(metric.quote)
                at = QuoteAt(span.start, span.end, nums, said, fig, self.sentence_near(span))
        a, b = at.sentence
        fig = max(a, min(span.start + at.fig, span.end))
        if self._clauses is None:
            self._clauses = clause_cuts(self.text)
        governing = governing_at(self.text, a, b, fig, self._clauses)
        table = self.figures
        return weigh(self.kind_at(span.start), self.confident, governing,
                     lambda: table.periods_before(a, fig), *self.years, listed)  # fmt: skip

    def in_spam(self, span: Span) -> bool:
        """True when the span overlaps a span flagged as injected or tampered text."""
        return self.spam.overlaps(span)

    def _boundaries(self) -> tuple[Sequence[int], Sequence[int]]:
        if self._cuts is None:  # the report's table has them when the engine cut it already
            table = self.figures
            self._cuts = (table.sentence_cuts(), table.line_cuts())
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
    def number_places(self, m: NumberMention) -> Sequence[tuple[int, int]]:
        """Where the text states this quantity (any scale, either end of a range)."""
        if self._values is None:
            # Each value's places as one array of start, end offsets, 4 bytes each: as lists of
            # tuples a 10 MB report's 58,000 places held 3.6 MB to the end of the run.
            self._values = {}
            keyed: dict[float, float] = {}  # a report repeats its figures: each keyed once
            for n in self.figures.mentions:
                if n.is_year:
                    continue
                for v in {n.value} if n.high is None else {n.value, n.high}:
                    # base_value is to_base(value, unit), read when the figure was parsed
                    b = n.base_value if v == n.value else to_base(v, n.unit)[0]
                    k = keyed.get(b)
                    if k is None:
                        k = keyed[b] = _key(b)
                    key = (n.base_unit, k)
                    got = self._values.get(key)
                    if got is None:
                        got = self._values[key] = array(OFFSET_TYPECODE)
                    got.append(n.start)
                    got.append(n.end)
        got = self._values.get((m.base_unit, _key(m.base_value)))
        return _Pairs(got) if got is not None else ()


def _key(v: float) -> float:
    return float(f"{v:.9g}")


class _Pairs(Sequence[tuple[int, int]]):
    """An array of start, end offsets read as (start, end) pairs."""

    __slots__ = ("_flat",)

    def __init__(self, flat: array[int]) -> None:
        self._flat = flat

    def __len__(self) -> int:
        return len(self._flat) // 2

    @overload
    def __getitem__(self, i: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[tuple[int, int]]: ...
    def __getitem__(self, i: int | slice) -> tuple[int, int] | Sequence[tuple[int, int]]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._flat[2 * i], self._flat[2 * i + 1]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        # One iterator read twice per pair: the cheapest pairing (every number a field of a
        # summary states asks for its places, and nearly always takes the first).
        it = iter(self._flat)
        return zip(it, it, strict=True)


# --- which figure of a quote states a value ----------------------------------------


def states(value: float, unit: str, q: NumberMention) -> bool:
    """True when mention `q` states value+unit, scale-aware (a change may drop its sign)."""
    return states_base(*to_base(value, unit), q)


def states_base(bv: float, bu: str, q: NumberMention) -> bool:
    """states() with the claimed value already in its base unit (once per claim, not per
    mention)."""
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
    said = stating(value, unit, nums)
    return said[0].start if said else end


def stating(value: float | None, unit: str, nums: Nums) -> tuple[NumberMention, ...]:
    """The figures of `nums` that state value+unit (none for "no target is set")."""
    if value is None:
        return ()
    calendar = to_base(1, unit)[1] in _CALENDAR  # "连续3年" is a count of years, not a date
    bv, bu = to_base(value, unit)
    return tuple(m for m in nums if (calendar or not m.is_year) and states_base(bv, bu, m))
