"""Merge per-chunk answers into one summary, deterministically and without asking the model again.

Items are placed where their evidence sits in the clean text, achievements are grouped by area
(areas in order of first appearance), metrics are deduplicated on (indicator, period, unit,
value), and two different values for the same indicator and period are both kept and reported
as a `conflicting_values` warning, because choosing one would be a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .engines import ChunkResult
from .grounding import SourceIndex, normalize
from .records import Achievement, Metric, Plan, Problem, ReportWarning, replace
from .units import value_text


@dataclass(frozen=True)
class Merged:
    """The merged body of a summary."""

    achievements: list[Achievement]
    problems: list[Problem]
    plans: list[Plan]
    warnings: list[ReportWarning]


def _position(index: SourceIndex, quotes: Iterable[str], fallback: int) -> int:
    # The earliest match at or after the chunk start places an item; repeated phrases earlier
    # in the report must not pull it out of its chunk.
    norm_from = index.source_to_norm(fallback)
    best: int | None = None
    for q in quotes:
        span = index.find(q, norm_from) or index.find(q)
        if span is not None and (best is None or span.start < best):
            best = span.start
    return fallback if best is None else best


_MetricKey = tuple[str, str, str, float | None, bool]  # None: "no target is set"
# Names and periods repeat across a report's metrics, and each is keyed twice (dedupe, conflicts).
_norm = lru_cache(maxsize=8192)(normalize)


def _metric_key(m: Metric) -> _MetricKey:
    return (
        _norm(m.name),
        _norm(m.period or ""),
        m.unit,
        None if m.value is None else float(m.value),
        m.kind == "target",
    )


def _dedupe_metrics(metrics: Sequence[Metric], seen: set[_MetricKey]) -> list[Metric]:
    kept = []
    for m in metrics:
        key = _metric_key(m)
        if key not in seen:
            seen.add(key)
            kept.append(m)
    return kept


def _conflicts(metrics: Iterable[Metric]) -> list[ReportWarning]:
    from .numbers import same_quantity, units_compatible

    by_indicator: dict[tuple[str, str, bool], list[Metric]] = {}
    for m in metrics:
        key = (_norm(m.name), _norm(m.period or ""), m.kind == "target")
        by_indicator.setdefault(key, []).append(m)
    warnings = []
    for group in by_indicator.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.value is None or b.value is None:
                    continue  # a statement that no target is set conflicts with no figure
                if units_compatible(a.unit, b.unit) and not same_quantity(
                    a.value, a.unit, b.value, b.unit
                ):
                    period = f"（{a.period}）" if a.period else ""
                    warnings.append(
                        ReportWarning(
                            kind="conflicting_values",
                            message=(
                                f"“{a.name}”{period}出现两个不同的数值："
                                f"{value_text(a.value)}{a.unit} 与 "
                                f"{value_text(b.value)}{b.unit}，两者均保留"
                            ),
                            evidence=b.quote,
                        )
                    )
    return warnings


def merge(results: Sequence[ChunkResult], clean: str | SourceIndex) -> Merged:
    """Merge chunk answers into ordered, deduplicated lists plus conflict warnings.

    `clean` is the clean text, or its index when the caller already has one (validation
    indexes the same text, so the pipeline passes that rather than build it twice).
    """
    index = clean if isinstance(clean, SourceIndex) else SourceIndex(clean)
    ach: list[tuple[int, Achievement]] = []
    probs: list[tuple[int, Problem]] = []
    plans: list[tuple[int, Plan]] = []
    for r in results:
        s = r.summary
        for a in s.achievements:
            quotes = [*a.evidence, *(m.quote for m in a.metrics)]
            ach.append((_position(index, quotes, r.start), a))
        for pr in s.problems:
            probs.append((_position(index, pr.evidence, r.start), pr))
        for p in s.plans:
            quotes = [*p.evidence, *(m.quote for m in p.targets)]
            plans.append((_position(index, quotes, r.start), p))

    seen: set[_MetricKey] = set()
    achievements = []
    for _, a in sorted(ach, key=lambda t: t[0]):
        metrics = _dedupe_metrics(a.metrics, seen)
        if a.text.strip() or metrics:
            achievements.append(replace(a, metrics=metrics))
    area_order: dict[str, int] = {}
    for a in achievements:
        area_order.setdefault(a.area.strip(), len(area_order))
    achievements.sort(key=lambda a: area_order[a.area.strip()])  # stable: source order within area

    plan_list = []
    for _, p in sorted(plans, key=lambda t: t[0]):
        targets = _dedupe_metrics(p.targets, seen)
        if p.text.strip() or targets:
            plan_list.append(replace(p, targets=targets))

    problems: list[Problem] = []
    seen_text: set[str] = set()
    for _, pr in sorted(probs, key=lambda t: t[0]):
        key = normalize(pr.text)
        if key and key not in seen_text:
            seen_text.add(key)
            problems.append(pr)

    all_metrics = [m for a in achievements for m in a.metrics] + [
        m for p in plan_list for m in p.targets
    ]
    return Merged(achievements, problems, plan_list, _conflicts(all_metrics))


# The indicators readers of these reports look for first, in the order they are usually given.
KEY_INDICATORS = (
    "生产总值",
    "GDP",
    "一般公共预算收入",
    "财政收入",
    "工业总产值",
    "工业增加值",
    "开票销售",
    "固定资产投资",
    "工业投资",
    "社会消费品零售总额",
    "进出口",
    "外资",
    "可支配收入",
)


def headline_rank(name: str) -> int:
    """Position of the key indicator a metric name names, or len(KEY_INDICATORS) if none."""
    return next((i for i, k in enumerate(KEY_INDICATORS) if k in name), len(KEY_INDICATORS))


def _headline(m: Metric, when: str) -> str:
    figure = f"{value_text(m.value)}{m.unit}"
    notes = []
    # A figure's own period (1-10月) or status (预计) is part of the figure, not a detail.
    if m.period and normalize(m.period) not in (normalize(when), "全年"):
        notes.append(m.period)
    if m.kind == "estimate":
        notes.append("预计")
    if m.change and normalize(figure) in normalize(m.change):
        head = f"{m.name}{m.change}"  # the figure is the change itself (增幅16.7%)
    else:
        head = f"{m.name}{figure}"
        if m.change:
            notes.append(m.change)
    return head + (f"（{'，'.join(notes)}）" if notes else "")


def stated_target(m: Metric) -> str:
    """A target's figure with its change, neither dropped: 240亿元（同比增长21%）; 增长7.5%以上."""
    if m.value is None:  # a statement that no target is set: its words are all there is
        return m.change or "不设具体目标"
    figure = f"{value_text(m.value)}{m.unit}"
    if not m.change:
        return figure
    if normalize(figure) in normalize(m.change):
        return m.change  # the figure is the change itself
    return f"{figure}（{m.change}）"


def compose_overview(
    issuer: str, period: str | None, achievements: Sequence[Achievement], plans: Sequence[Plan]
) -> str:
    """Two or three sentences built from the summary's own headline figures (no model call)."""
    who = issuer or "报告"
    when = f"{period}年" if period and re.fullmatch(r"\d{4}(-\d{4})?", period) else (period or "")
    lines = []
    actual = [m for a in achievements for m in a.metrics
              if m.kind in ("actual", "estimate") and m.value is not None]  # fmt: skip
    # Key indicators first (stable sort keeps source order among equals).
    headline = sorted(actual, key=lambda m: headline_rank(m.name))[:3]
    if headline:
        figs = "，".join(_headline(m, when) for m in headline)
        lines.append(f"{who}{when}：{figs}。")
    elif achievements:
        lines.append(f"{who}{when}：{achievements[0].text.rstrip('。')}。")
    areas = list(dict.fromkeys(a.area for a in achievements if a.area))[:5]
    if areas:
        # No counts of our own here: every number in a brief must be one the report states.
        lines.append(f"成绩涉及{'、'.join(areas)}等方面。")
    # A statement that no target is set has no figure to headline.
    targets = [m for p in plans for m in p.targets if m.value is not None][:3]
    if targets:
        figs = "，".join(f"{m.name}{stated_target(m)}" for m in targets)
        lines.append(f"下一阶段目标：{figs}。")
    elif plans:
        lines.append(f"下一阶段重点：{plans[0].text.rstrip('。')}。")
    return "".join(lines)
