"""The offline rule-based engine: the default when no model endpoint is configured.

It reads the outline that `sections` built and the numbers that `numbers` found, and turns
them into the ChunkSummary answers a model would give, with no network and no model:

* achievements: one item per heading (or headed paragraph) of the review part, its lead
  sentence as text and every quantified indicator under it as a Metric;
* problems: the admitted shortcomings of each problems part, split on 一是…二是… or ；;
* plans: one item per heading of the plan part with its quantified targets (a target's
  `change` is the goal as written: "增长7.5%以上", "不少于10场"), plus the headline
  expected-goals sentence (主要预期目标是：…) as an item of its own.

A metric quotes the clause of the clean text that holds its figure and is kept only when that
clause, parsed on its own, states the same quantity: exactly the check `validate` makes, so the
engine never states a number the source does not. All helpers are pure functions of the clean
text and its outline; each report is parsed for numbers once. The text has been screened
(`screen.screen`) before it gets here: injected spam is already gone, and a report's own words
about gambling ("查处涉赌案件12起") are figures like any other.
"""

from __future__ import annotations

import bisect

from ... import recache
from ...figures import FigureTable
from ...records import Achievement, ChunkSummary, Plan
from ...structure import Outline, SectionKind
from .. import ChunkResult, EngineOutput, PreparedReport
from .items import _blocks, _lead_of
from .metrics import _distinct, _metrics, _Seen
from .problems import _problems
from .text import _Text

__all__ = ["RulesEngine", "extract"]

_NUMERAL = recache.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿]")


def extract(text: str, outline: Outline, figures: FigureTable | None = None) -> list[ChunkResult]:
    """Achievements, problems and plans of a clean text, one ChunkResult per item, in order.

    `figures` is the text's figure table when the caller has one (the pipeline shares it with
    validation); the text is parsed for numbers and periods once either way.
    """
    tx = _Text(text, figures)
    mentions = tx.figures.mentions
    mstarts = mentions.starts
    periods = tx.figures.periods
    ps = (periods, [p.start for p in periods])
    stated = _Stated(tx.figures)
    seen = _Seen()
    results = [
        ChunkResult(sec.start, sec.end, ChunkSummary(problems=probs))
        for sec in outline.sections
        if sec.kind is SectionKind.PROBLEMS and (probs := _problems(text, sec))
    ]
    for block in _blocks(text, outline):
        i, j = bisect.bisect_left(mstarts, block.start), bisect.bisect_left(mstarts, block.end)
        plan = block.kind is SectionKind.PLAN
        metrics = _distinct(_metrics(tx, mentions[i:j], ps, plan), block.area, seen)
        if not metrics and not block.headed:
            continue
        lead0, lead1 = _lead_of(text, block)
        lead = text[lead0:lead1]
        # A text field may only state numbers the report states: validate checks that too.
        safe = not _NUMERAL.search(lead) or stated(lead0, lead1)
        body, evidence = (lead if lead and safe else block.area), ([lead] if lead else [])
        summary = (
            ChunkSummary(
                plans=[Plan(area=block.area, text=body, evidence=evidence, targets=metrics)]
            )
            if plan
            else ChunkSummary(
                achievements=[
                    Achievement(area=block.area, text=body, evidence=evidence, metrics=metrics)
                ]
            )
        )
        results.append(ChunkResult(block.start, block.end, summary))
    return sorted(results, key=lambda r: r.start)


class _Stated:
    """Whether the figures of a stretch of the report (years aside) are all figures the
    report states somewhere, by base unit and value (%.9g)."""

    def __init__(self, figures: FigureTable) -> None:
        self.figures = figures
        self._known: set[tuple[str, str]] | None = None  # every figure's, built when needed

    def __call__(self, a: int, b: int) -> bool:
        mentions = self.figures.mentions
        starts = mentions.starts
        for n in self.figures.numbers(a, b):
            if n.is_year:
                continue
            written = (n.base_unit, f"{n.base_value:.9g}")
            # Mostly the report's own figure at that place: stated, no look-up in the set.
            k = bisect.bisect_left(starts, a + n.start)
            if k < len(starts) and starts[k] == a + n.start:
                own = mentions[k]
                if not own.is_year and (own.base_unit, f"{own.base_value:.9g}") == written:
                    continue
            if self._known is None:
                self._known = {
                    (m.base_unit, f"{m.base_value:.9g}")
                    for m in mentions.distinct()
                    if not m.is_year
                }
            if written not in self._known:
                return False
        return True


class RulesEngine:
    """The offline engine: rules over the outline and the numbers, no model and no network."""

    name = "rules"
    model: str | None = None

    async def summarize(self, report: PreparedReport) -> EngineOutput:
        """Extract achievements, problems and plans from a prepared report."""
        return EngineOutput(results=extract(report.clean.text, report.outline, report.figures))

    async def aclose(self) -> None:
        """Nothing to release: the engine holds no connections."""
