"""Check every claim of a ReportSummary against the source report.

A claim is a metric or target, an evidence quote, or a number inside a text field. Quotes are
looked up under normalisation N in the cleaned text (which only deletes page numbers, markers
and navigation lines, so a quote that spans a deleted page number is still the report's own
words), then in the source text. The checks themselves live in `checks`, shared with the
model's re-ask validators; this module runs them over a whole summary and reports one Claim
each, with the contract's statuses:

quote_not_found, value_mismatch / unit_mismatch (scale-aware), number_not_found,
direction_mismatch (the `change` field against its quote), period_mismatch, kind_mismatch
(the list a metric sits in against its kind, and against the part of the report its quote is
in), spam (the quote overlaps a span flagged as injected text) — or verified, with where the
quote is in the source.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .checks import CheckText, Finding, SpanSet, part_label
from .checks import check_metric as _check_metric
from .checktext import numbers_of
from .clean import CleanText
from .figures import FigureTable
from .grounding import SourceIndex, Span
from .offsets import line_ends, line_number
from .prose import check_prose
from .records import Claim, ClaimStatus, Metric, ReportSummary, Validation, replace
from .screen import ScreenedText
from .structure import Outline
from .units import value_text

_MAX_PLACES = 20  # occurrences of one quote tried before a contextual flag stands


class Place(NamedTuple):
    """Where a quote is: in the clean text (for its context) and in the source text.

    A named tuple (as grounding.Span): made for every quote and each of its occurrences."""

    clean: Span | None
    source: Span | None
    in_clean: bool = True  # False: only the source text has it (clean is then approximate)


@dataclass
class Source:
    """A report prepared for checking: source text, cleaned text, outline and flagged spans.

    `clean_text` may be the pipeline's CleanText, whose offset map lets a claim point at the
    source text; `outline` tells which part (review, plan) a quote sits in; `spam_spans` are
    clean-text ranges flagged as injected or tampered text; `figures` is the clean text's
    figure table when the caller has it (the engine's), so the report is parsed once; `index`
    the clean text's N-index when the caller built it already (before the engine, off the peak).
    """

    text: str
    clean_text: str | CleanText | None = None
    outline: Outline | None = None
    spam_spans: Sequence[tuple[int, int]] = ()
    figures: FigureTable | None = None
    index: SourceIndex | None = None
    clean: CheckText = field(init=False, repr=False)

    def __post_init__(self) -> None:
        ct = self.clean_text
        body = ct.text if isinstance(ct, CleanText) else (ct if ct is not None else self.text)
        self._offsets = ct.offsets if isinstance(ct, CleanText) else None
        self._same = body == self.text
        table = self.figures if self.figures is not None and self.figures.text == body else None
        self.clean = CheckText(body, self.outline, self.spam_spans, figures=table, index=self.index)
        self._raw: SourceIndex | None = None  # built only for a quote the clean text lacks
        self._lines: Sequence[int] | None = None
        # Where each quote is: merge, spans, annotation and checks all ask, several times.
        self._place: dict[str, Place | None] = {}
        self._places: dict[str, list[Place]] = {}
        self._where: dict[Place, str] = {}
        # Flagged text in source offsets, for a quote only the source text has: screening
        # (screen.ScreenedText) deletes injected spans from the clean text, so a quote of them
        # is found in the source text alone, and must not pass as the report's own words.
        in_source = [self.source_span(Span(a, b)) for a, b in self.spam_spans]
        if isinstance(ct, ScreenedText):
            in_source += [Span(a, b) for a, b in ct.source_spans]  # page chrome included
        self._source_spam = SpanSet([(s.start, s.end) for s in in_source if s is not None])

    def is_spam(self, place: Place) -> bool:
        """True when the quote at `place` overlaps flagged text."""
        if place.clean is not None and self.clean.in_spam(place.clean):
            return True
        # A quote the clean text has may straddle a deleted span without carrying it.
        return not place.in_clean and self._source_spam.overlaps(place.source or Span(0, 0))

    def place(self, quote: str) -> Place | None:
        """Where a quote is, or None when it is in neither text."""
        if quote not in self._place:
            self._place[quote] = self._find(quote)
        return self._place[quote]

    def _find(self, quote: str) -> Place | None:
        span = self.clean.find(quote)
        if span is not None:
            return Place(span, self.source_span(span))
        if self._same:
            return None
        if self._raw is None:
            self._raw = SourceIndex(self.text)
        raw = self._raw.find(quote)
        return None if raw is None else Place(self._to_clean(raw), raw, in_clean=False)

    def places(self, quote: str) -> Iterator[Place]:
        """Every occurrence of a quote in the clean text (a bounded number)."""
        found = self._places.get(quote)
        if found is None:
            spans = self.clean.find_all(quote)[:_MAX_PLACES]
            found = self._places[quote] = [Place(s, self.source_span(s)) for s in spans]
        yield from found

    def locate(self, quote: str) -> Span | None:
        """The quote's span in the source text (or cleaned text), or None."""
        p = self.place(quote)
        return None if p is None else (p.source or p.clean)

    def source_span(self, span: Span) -> Span | None:
        """The source-text span of a clean-text span, when the offset map is known."""
        if self._same:
            return span
        if self._offsets is None or span.end > len(self._offsets):
            return None
        return Span(self._offsets[span.start], self._offsets[span.end - 1] + 1)

    def _to_clean(self, span: Span) -> Span | None:
        if self._offsets is None:
            return None
        a = bisect.bisect_left(self._offsets, span.start)
        return Span(a, max(a, bisect.bisect_left(self._offsets, span.end)))

    def where(self, place: Place) -> str:
        """A claim's location, for people: line and character of the source, and its part."""
        # A quote's metrics and evidence share its place: each place is written once.
        got = self._where.get(place)
        if got is None:
            got = self._where[place] = self._where_of(place)
        return got

    def _where_of(self, place: Place) -> str:
        part = part_label(self.clean.kind_at(place.clean.start)) if place.clean else ""
        part = f"，{part}部分" if part else ""
        if place.source is None:
            return f"清理后文本第{place.clean.start if place.clean else 0}字{part}"
        if self._lines is None:
            self._lines = line_ends(self.text)
        line = line_number(self._lines, place.source.start)
        return f"原文第{line}行（第{place.source.start}字{part}）"


def _span(span: Span | None) -> list[int] | None:
    """A claim's place in the source text, as the contract's [start, end) pair."""
    return None if span is None else [span.start, span.end]


def _claim(
    where: str, text: str, value: float | None, unit: str | None, status: ClaimStatus,
    detail: str, span: list[int] | None = None,
) -> Claim:  # fmt: skip
    """A claim, its fields in the contract's order."""
    return Claim(where=where, text=text, value=value, unit=unit, status=status, detail=detail,
                 span=span)  # fmt: skip


def _claim_at(metric: Metric, expect_target: bool, src: Source, place: Place) -> Finding | None:
    if src.is_spam(place):
        return Finding("spam", "引文出自被标记为注入/篡改的文字", "")
    return _check_metric(metric, expect_target, src.clean if place.clean else None, place.clean)


def check_metric(metric: Metric, where: str, src: Source, expect_target: bool) -> Claim:
    """Check one metric (or target) against its quote, the quote's context and its place."""
    text = f"{metric.name}：{value_text(metric.value)}{metric.unit}"
    first = src.place(metric.quote)
    if first is None:
        detail = f"引文不在原文中：{metric.quote[:60]}"
        return _claim(where, text, metric.value, metric.unit, "quote_not_found", detail)
    finding = _claim_at(metric, expect_target, src, first)
    if finding is not None and first.clean is not None:
        # A short quote may occur more than once; one place where every check holds suffices.
        for other in src.places(metric.quote):
            if other.clean != first.clean and _claim_at(metric, expect_target, src, other) is None:
                first, finding = other, None
                break
    span = _span(first.source)
    if finding is not None:
        return _claim(where, text, metric.value, metric.unit, finding.status, finding.detail, span)
    return _claim(where, text, metric.value, metric.unit, "verified", src.where(first), span)


def check_quote(quote: str, where: str, src: Source) -> Claim:
    """Check that an evidence quote is in the source and not in a flagged span."""
    place = src.place(quote)
    if place is None:
        return _claim(where, quote, None, None, "quote_not_found", "原文中找不到该引文")
    if src.is_spam(place):
        clean = next((p for p in src.places(quote) if not src.is_spam(p)), None)
        if clean is None:
            detail = "引文出自被标记为注入/篡改的文字"
            return _claim(where, quote, None, None, "spam", detail, _span(place.source))
        place = clean
    return _claim(where, quote, None, None, "verified", src.where(place), _span(place.source))


def check_text_numbers(text: str, where: str, src: Source) -> Iterator[Claim]:
    """One claim per number stated in a free-text field: it must be stated in the source."""
    for m in numbers_of(text):
        if m.is_year:
            continue
        spans = src.clean.number_places(m)
        if not spans:
            detail = f"原文中没有“{m.text}”这个数"
            yield _claim(where, m.text, m.value, m.unit, "number_not_found", detail)
            continue
        ok = next((s for s in spans if not src.clean.spam.overlaps(Span(*s))), None)
        if ok is None:
            span = _span(src.source_span(Span(*spans[0])))
            detail = "原文只在被标记为注入/篡改的文字中有此数"
            yield _claim(where, m.text, m.value, m.unit, "spam", detail, span)
        else:
            place = Place(Span(*ok), src.source_span(Span(*ok)))
            yield _claim(where, m.text, m.value, m.unit, "verified", src.where(place),
                       _span(place.source))  # fmt: skip


def _recs(summary: ReportSummary, src: Source) -> Iterator[Claim]:
    """Every claim of a summary but its prose, in the contract's order."""
    yield from check_text_numbers(summary.overview, "overview", src)
    for i, a in enumerate(summary.achievements):
        yield from check_text_numbers(a.text, f"achievements[{i}].text", src)
        for j, m in enumerate(a.metrics):
            yield check_metric(m, f"achievements[{i}].metrics[{j}]", src, False)
        for j, q in enumerate(a.evidence):
            yield check_quote(q, f"achievements[{i}].evidence[{j}]", src)
    for i, problem in enumerate(summary.problems):
        yield from check_text_numbers(problem.text, f"problems[{i}].text", src)
        for j, q in enumerate(problem.evidence):
            yield check_quote(q, f"problems[{i}].evidence[{j}]", src)
    for i, p in enumerate(summary.plans):
        yield from check_text_numbers(p.text, f"plans[{i}].text", src)
        for j, m in enumerate(p.targets):
            yield check_metric(m, f"plans[{i}].targets[{j}]", src, True)
        for j, q in enumerate(p.evidence):
            yield check_quote(q, f"plans[{i}].evidence[{j}]", src)


def locate_in_clean(src: Source) -> Callable[[str], tuple[int, int] | None]:
    """Where a quote is in the clean text, for the prose checks' local support."""

    def locate(quote: str) -> tuple[int, int] | None:
        place = src.place(quote)
        span = None if place is None else place.clean
        return None if span is None else (span.start, span.end)

    return locate


def validate_summary(summary: ReportSummary, src: Source) -> Validation:
    """Check every claim of a summary; return the full ValidationReport."""
    claims = list(_recs(summary, src))
    # Words with no figure to check: item prose against the report's own words.
    index = src.clean.index
    claims.extend(check_prose(summary, index.source, index.text, locate_in_clean(src), index))
    verified = sum(c.status == "verified" for c in claims)
    return Validation(claims=claims, verified=verified, flagged=len(claims) - verified)


def flagged_paths(validation: Validation) -> set[str]:
    """The JSON paths of every flagged claim."""
    return {c.where for c in validation.claims if c.status != "verified"}


# The lists of claims each kind of item carries.
_CLAIM_LISTS = {
    "achievements": ("metrics", "evidence"),
    "problems": ("evidence",),
    "plans": ("targets", "evidence"),
}


def drop_flagged(summary: ReportSummary) -> ReportSummary:
    """--strict: remove every flagged metric, quote and item whose text states an unfound number."""
    bad = flagged_paths(summary.validation)
    if not bad:  # nothing to drop (most reports): no copy of every item
        return summary

    def prune(section: str) -> list[Any]:
        kept = []
        for i, item in enumerate(getattr(summary, section)):
            if {f"{section}[{i}].text", f"{section}[{i}].area"} & bad:  # unfound number or prose
                continue
            lists = {
                name: [
                    x
                    for j, x in enumerate(getattr(item, name))
                    if f"{section}[{i}].{name}[{j}]" not in bad
                ]
                for name in _CLAIM_LISTS[section]
            }
            kept.append(replace(item, **lists))
        return kept

    update: dict[str, object] = {section: prune(section) for section in _CLAIM_LISTS}
    update["overview"] = "" if "overview" in bad else summary.overview
    return replace(summary, **update)
