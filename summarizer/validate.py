"""Check every claim of a ReportSummary against the source report.

A claim is a metric or target, an evidence quote, or a number inside a text field. Quotes are
looked up under normalisation N, first in the source text and then in the cleaned text (which
only deletes page numbers, markers and navigation lines, so a quote that spans a deleted page
number is still the report's own words). Whatever engine produced the summary, the same checks
run; the statuses are those of the contract.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .grounding import SourceIndex, Span
from .models import Claim, Metric, ReportSummary, Validation
from .numbers import NumberMention, find_numbers, same_quantity


@dataclass
class Source:
    """A report prepared for checking: its text, cleaned text and the numbers it contains."""

    text: str
    clean_text: str | None = None
    _indexes: list[SourceIndex] = field(default_factory=list, init=False)
    _values: dict[str, set[float]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self._indexes = [SourceIndex(self.text)]
        if self.clean_text is not None and self.clean_text != self.text:
            self._indexes.append(SourceIndex(self.clean_text))
        for m in find_numbers(self.clean_text if self.clean_text is not None else self.text):
            if not m.is_year:
                self._values.setdefault(m.base_unit, set()).add(_key(m.base_value))

    def locate(self, quote: str) -> Span | None:
        """The quote's span in the source text (or cleaned text), or None."""
        for idx in self._indexes:
            span = idx.find(quote)
            if span is not None:
                return span
        return None

    def has_number(self, m: NumberMention) -> bool:
        """True when the source states this quantity somewhere, in any scale."""
        return _key(m.base_value) in self._values.get(m.base_unit, set())


def _key(v: float) -> float:
    return float(f"{v:.9g}")


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def check_metric(metric: Metric, where: str, src: Source, expect_target: bool) -> Claim:
    """Check one metric (or target) against its quote and the source."""
    text = f"{metric.name}：{_fmt(metric.value)}{metric.unit}"
    base = {"where": where, "text": text, "value": metric.value, "unit": metric.unit}
    span = src.locate(metric.quote)
    if span is None:
        return Claim(
            **base, status="quote_not_found", detail=f"引文不在原文中：{metric.quote[:60]}"
        )
    mentions = [m for m in find_numbers(metric.quote) if not m.is_year]
    if not any(same_quantity(metric.value, metric.unit, m.value, m.unit) for m in mentions):
        written = "、".join(m.text for m in mentions) or "无数字"
        # The figure is there but in another unit or scale (69万元 claimed, 69亿元 written).
        same_figure = any(
            abs(m.value - metric.value) <= 1e-9 * max(1.0, abs(m.value)) for m in mentions
        )
        status = "unit_mismatch" if same_figure else "value_mismatch"
        return Claim(**base, status=status, detail=f"引文中的数字：{written}")
    if expect_target != (metric.kind == "target"):
        want = "计划目标" if expect_target else "已完成实绩"
        return Claim(**base, status="kind_mismatch", detail=f"此处应为{want}，kind={metric.kind}")
    return Claim(**base, status="verified", detail=f"原文第{span.start}字")


def check_quote(quote: str, where: str, src: Source) -> Claim:
    """Check that an evidence quote is in the source."""
    span = src.locate(quote)
    if span is None:
        return Claim(where=where, text=quote, status="quote_not_found", detail="原文中找不到该引文")
    return Claim(where=where, text=quote, status="verified", detail=f"原文第{span.start}字")


def check_text_numbers(text: str, where: str, src: Source) -> Iterator[Claim]:
    """One claim per number stated in a free-text field."""
    for m in find_numbers(text):
        if m.is_year:
            continue
        found = src.has_number(m)
        yield Claim(
            where=where,
            text=m.text,
            value=m.value,
            unit=m.unit,
            status="verified" if found else "number_not_found",
            detail="" if found else f"原文中没有“{m.text}”这个数",
        )


def validate_summary(summary: ReportSummary, src: Source) -> Validation:
    """Check every claim of a summary; return the full ValidationReport."""
    claims: list[Claim] = []
    claims.extend(check_text_numbers(summary.overview, "overview", src))
    for i, a in enumerate(summary.achievements):
        claims.extend(check_text_numbers(a.text, f"achievements[{i}].text", src))
        for j, m in enumerate(a.metrics):
            claims.append(check_metric(m, f"achievements[{i}].metrics[{j}]", src, False))
        for j, q in enumerate(a.evidence):
            claims.append(check_quote(q, f"achievements[{i}].evidence[{j}]", src))
    for i, p in enumerate(summary.problems):
        claims.extend(check_text_numbers(p.text, f"problems[{i}].text", src))
        for j, q in enumerate(p.evidence):
            claims.append(check_quote(q, f"problems[{i}].evidence[{j}]", src))
    for i, p in enumerate(summary.plans):
        claims.extend(check_text_numbers(p.text, f"plans[{i}].text", src))
        for j, m in enumerate(p.targets):
            claims.append(check_metric(m, f"plans[{i}].targets[{j}]", src, True))
        for j, q in enumerate(p.evidence):
            claims.append(check_quote(q, f"plans[{i}].evidence[{j}]", src))
    verified = sum(c.status == "verified" for c in claims)
    return Validation(claims=claims, verified=verified, flagged=len(claims) - verified)


def flagged_paths(validation: Validation) -> set[str]:
    """The JSON paths of every flagged claim."""
    return {c.where for c in validation.claims if c.status != "verified"}


def drop_flagged(summary: ReportSummary) -> ReportSummary:
    """--strict: remove every flagged metric, quote and item whose text states an unfound number."""
    bad = flagged_paths(summary.validation)

    def keep_list(items: list, prefix: str) -> list:
        return [x for j, x in enumerate(items) if f"{prefix}[{j}]" not in bad]

    achievements = [
        a.model_copy(
            update={
                "metrics": keep_list(a.metrics, f"achievements[{i}].metrics"),
                "evidence": keep_list(a.evidence, f"achievements[{i}].evidence"),
            }
        )
        for i, a in enumerate(summary.achievements)
        if f"achievements[{i}].text" not in bad
    ]
    problems = [
        p.model_copy(update={"evidence": keep_list(p.evidence, f"problems[{i}].evidence")})
        for i, p in enumerate(summary.problems)
        if f"problems[{i}].text" not in bad
    ]
    plans = [
        p.model_copy(
            update={
                "targets": keep_list(p.targets, f"plans[{i}].targets"),
                "evidence": keep_list(p.evidence, f"plans[{i}].evidence"),
            }
        )
        for i, p in enumerate(summary.plans)
        if f"plans[{i}].text" not in bad
    ]
    overview = "" if "overview" in bad else summary.overview
    return summary.model_copy(
        update={
            "achievements": achievements,
            "problems": problems,
            "plans": plans,
            "overview": overview,
        }
    )
