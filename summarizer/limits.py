"""Caps on what one summary may hold, so that hostile input cannot make checking it unbounded.

Every check of a metric reads every figure of its quote and of the sentence around it, so a
quote of thousands of characters (5,000 lines `第N个项目投资增长7%` with no full stop, joined
into one sentence by cleaning) made validation quadratic: 74 s and 2 GB (issue 14). No work
report needs more than the caps below (over the whole corpus and the samples: quotes of at
most 143 characters, 179 figures and quotes in one item, 122 items in a report); what goes
over one is left out with a warning that says so.
"""

from __future__ import annotations

from .records import ReportSummary, ReportWarning, replace

__all__ = ["MAX_FIGURES", "MAX_ITEMS", "MAX_QUOTE", "bound"]

MAX_QUOTE = 1000  # characters of one quote or evidence string
MAX_FIGURES = 400  # metrics or targets, and evidence quotes, of one item
MAX_ITEMS = 600  # achievements, problems or plans of one report


def bound(summary: ReportSummary) -> ReportSummary:
    """The summary within the caps, with one warning per kind of thing left out."""
    long_quotes = figures = items = 0
    update: dict[str, object] = {}
    for section in ("achievements", "problems", "plans"):
        kept = []
        listed = getattr(summary, section)
        items += max(0, len(listed) - MAX_ITEMS)
        for item in listed[:MAX_ITEMS]:
            change: dict[str, object] = {}
            for name in ("metrics", "targets", "evidence"):
                values = getattr(item, name, None)
                if values is None:
                    continue
                short = [v for v in values if len(getattr(v, "quote", v)) <= MAX_QUOTE]
                long_quotes += len(values) - len(short)
                figures += max(0, len(short) - MAX_FIGURES)
                if len(short) < len(values) or len(short) > MAX_FIGURES:
                    change[name] = short[:MAX_FIGURES]
            kept.append(replace(item, **change) if change else item)
        update[section] = kept
    said = [
        (long_quotes, f"{long_quotes} 处引文超过 {MAX_QUOTE} 字，不是逐字摘录的一句话，已略去"),
        (figures, f"{figures} 个指标或引文超出每项 {MAX_FIGURES} 个的上限，已略去"),
        (items, f"{items} 项内容超出每类 {MAX_ITEMS} 项的上限，已略去"),
    ]
    warnings = [ReportWarning(kind="limit", message=m) for n, m in said if n]
    if not warnings:
        return summary
    return replace(summary, **{**update, "warnings": [*summary.warnings, *warnings]})
