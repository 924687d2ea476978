"""The pipeline: ingest → clean → sections → chunk → extract → merge → validate.

Library entry points: `prepare` (a Document to a PreparedReport), `summarize_report` (async,
with any engine), `summarize_file` (sync convenience) and `check_summary` (validate any
contract-shaped summary against its source).
"""

from __future__ import annotations

import re
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from . import recache
from .chunking import DEFAULT_CHUNK_CHARS, chunk_text
from .clean import clean
from .config import Settings
from .engines import Engine, EngineOutput, PreparedReport, make_engine
from .headline_search import complete
from .indicators import annotate
from .ingest import Document, read_report
from .lexicon import LAST_YEAR_OPENER_RE
from .limits import bound
from .merge import compose_overview, merge
from .pricing import Prices, cost, load_prices
from .prose import redact
from .records import Meta, Metric, ReportSummary, ReportWarning, Usage, Validation, replace
from .screen import ScreenedText, findings_warnings, screen
from .structure import Hints, SectionKind, place_in
from .structure import outline as make_outline
from .validate import Place, Source, check_quote, check_text_numbers, drop_flagged, validate_summary

T = TypeVar("T")


def hints(document: Document, place: str | None = None, year: int | None = None) -> Hints:
    """What the file name, a corpus row's columns and the user (--place, --year) say."""
    stem = Path(document.name.partition("#")[0]).stem
    years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", stem)]
    return Hints(
        file_place=place_in(stem),
        file_year=years[0] if len(set(years)) == 1 else None,
        column_place=document.place_hint,
        column_year=document.year_hint,
        place=place,
        year=year,
    )


def prepare(
    document: Document, chunk_chars: int, place: str | None = None, year: int | None = None
) -> PreparedReport:
    """Clean, screen, outline and chunk a document.

    Screening deletes injected text (gambling spam, links, orders to a model) from the clean
    text, with the offset map kept exact: no engine reads it, no quote can carry it, and the
    validation pass checks quotes against the same screened text. `place` and `year` (the
    plan year) override what the report says of itself.
    """
    cleaned = screen(clean(document.text))
    outline = make_outline(
        cleaned.text, title_hint=document.title_hint, hints=hints(document, place, year)
    )
    chunks = tuple(chunk_text(cleaned.text, outline, budget=chunk_chars))
    return PreparedReport(document=document, clean=cleaned, outline=outline, chunks=chunks)


def _input_warnings(report: PreparedReport) -> list[ReportWarning]:
    """What screening found and left out (tampering, prompt injection), and what the
    structure stage could not tell (where the plan part begins)."""
    cleaned = report.clean
    found = findings_warnings(cleaned) if isinstance(cleaned, ScreenedText) else []
    unsure = [
        ReportWarning(kind="structure_uncertain", message=m) for m in report.outline.uncertain
    ]
    return [*found, *unsure]


@dataclass(frozen=True)
class Outcome:
    """A summary plus whether --strict dropped anything from it."""

    summary: ReportSummary
    flagged_before_strict: int


def _meta(report: PreparedReport, engine: Engine, usage: Usage) -> Meta:
    header = report.outline.header
    return Meta(
        source=report.document.name,
        source_sha256=report.document.sha256,
        title=header.title or (report.document.title_hint or ""),
        issuer=header.issuer,
        level=header.level,
        review_period=header.review_period,
        plan_period=header.plan_period,
        place=header.place,
        five_year_period=header.five_year_period,
        engine=engine.name,
        model=engine.model,
        usage=usage,
    )


async def summarize_report(
    report: PreparedReport, engine: Engine, strict: bool = False, prices: Prices | None = None
) -> Outcome:
    """Run an engine over a prepared report and merge, validate and (with strict) prune."""
    # The clean text under N is built before the engine's answers exist, so its building (a
    # second copy of the text, in pieces) is not on top of them: 10 MB report peak 128 -> 126 MB.
    report.index  # noqa: B018
    return assemble(report, engine, await engine.summarize(report), strict, prices)


def assemble(
    report: PreparedReport,
    engine: Engine,
    output: EngineOutput,
    strict: bool = False,
    prices: Prices | None = None,
) -> Outcome:
    """Merge, validate and (with strict) prune an engine's output: CPU work, no I/O.

    `prices` (pricing.load_prices) gives meta.usage its cost: computed here, once, for every
    caller (one report, a batch, a worker process, a Batch API run at the batch price).
    """
    src = Source(
        report.document.text,
        report.clean,
        report.outline,
        figures=report.figures,
        index=report.index,
    )
    # Every quote is looked up several times (merge, spans, checks): find them all in one pass.
    src.clean.index.prefetch(_quotes(output))
    merged = merge(output.results, src.clean.index)
    header = report.outline.header
    usage = Usage(
        calls=output.usage.calls,
        prompt_tokens=output.usage.prompt_tokens,
        completion_tokens=output.usage.completion_tokens,
        cost=cost(engine.model, output.usage.prompt_tokens, output.usage.completion_tokens, prices)
        if prices is not None
        else 0.0,
    )
    summary = ReportSummary(
        meta=_meta(report, engine, usage),
        achievements=merged.achievements,
        problems=merged.problems,
        plans=merged.plans,
        warnings=[*_input_warnings(report), *output.warnings, *merged.warnings],
    )
    summary = bound(summary)  # bounded work
    # The engine's answers, every item before the caps (16 MB of a 10 MB report's), are done
    # with: dropped now, not held through validation, when the caller passed them on
    # (summarize_report does).
    del output, merged
    # Standard indicators and bounds for any engine's output, the headline growth target and
    # outcome where the engine missed them, then where each quote is. No link or order a
    # model wrote is printed (redact), and its strings are then the ones validation scans:
    # the scan is done once (prose caches it). Redacted last, after with_spans has written
    # the periods it takes from the part (it reads only whether a metric has a period): the
    # scan of the strings before them missed that cache every time.
    summary = redact(with_spans(complete(annotate(summary, src.clean), src.clean), src))
    body = validate_all(summary, src)
    # The overview restates figures, so it is built only from what has already been verified;
    # its own numbers are then checked like any other text field.
    verified = drop_flagged(replace(summary, validation=body))
    overview = compose_overview(
        header.issuer, header.review_period, verified.achievements, verified.plans
    )
    claims = [*check_text_numbers(overview, "overview", src), *body.claims]
    ok = sum(c.status == "verified" for c in claims)
    validation = Validation(claims=claims, verified=ok, flagged=len(claims) - ok)
    summary = replace(summary, overview=overview, validation=validation)
    return _strictly(summary, src, strict)


def _quotes(output: EngineOutput) -> Iterator[str]:
    """Every quote and evidence string of an engine's answers."""
    for r in output.results:
        s = r.summary
        for a in s.achievements:
            yield from a.evidence
            yield from (m.quote for m in a.metrics)
        for pr in s.problems:
            yield from pr.evidence
        for p in s.plans:
            yield from p.evidence
            yield from (m.quote for m in p.targets)


def finish(summary: ReportSummary, src: Source, strict: bool) -> Outcome:
    """Attach the validation report; with strict, drop flagged claims."""
    summary = replace(summary, validation=validate_all(summary, src))
    return _strictly(summary, src, strict)


def _strictly(summary: ReportSummary, src: Source, strict: bool) -> Outcome:
    """The one place --strict acts: a validated summary without its flagged claims."""
    flagged = summary.validation.flagged
    if strict and flagged:
        pruned = drop_flagged(summary)
        warning = ReportWarning(
            kind="strict",
            message=f"--strict：已删除 {flagged} 项未通过核对的内容",
        )
        summary = replace(
            pruned, validation=validate_all(pruned, src), warnings=[*pruned.warnings, warning]
        )
    return Outcome(summary, flagged)


def summarize_file(
    path: str | Document, settings: Settings, engine: Engine | None = None
) -> Outcome:
    """Summarise one report file (or a Document already read) synchronously."""
    document = path if isinstance(path, Document) else read_report(path)
    report = prepare(document, settings.chunk_chars, settings.place, settings.year)

    async def run() -> Outcome:
        eng = engine or make_engine(settings)
        try:
            prices = load_prices(settings.prices_file)
            return await summarize_report(report, eng, settings.strict, prices)
        finally:
            if engine is None:
                await eng.aclose()

    # The offline engine never waits on anything, so its run needs no event loop.
    offline = (engine.name if engine else settings.resolved_engine()) == "rules"
    return run_sync(run(), loop=not offline)


def run_sync(coro: Coroutine[Any, Any, T], *, loop: bool = True) -> T:
    """Run a coroutine to its end on a fresh event loop, as asyncio.run does, but cheaply.

    asyncio.run on Python 3.11 formats repr() of its main task, result included, when it
    restores the SIGINT handler: for a whole report's summary that cost a tenth of the run.
    loop=False runs a coroutine that never waits (the offline engine's) to its end in one
    step, with no event loop: importing asyncio costs more than the rules engine spends on a
    small report, so the offline one-report path never imports it.
    """
    if not loop:
        return _in_one_step(coro)
    import asyncio

    event_loop = asyncio.new_event_loop()
    try:
        return event_loop.run_until_complete(coro)
    finally:
        try:  # the clean-up asyncio.run does: open async generators, the default executor
            event_loop.run_until_complete(event_loop.shutdown_asyncgens())
            event_loop.run_until_complete(event_loop.shutdown_default_executor())
        finally:
            event_loop.close()


def _in_one_step(coro: Coroutine[Any, Any, T]) -> T:
    """The result of a coroutine that finishes without waiting; an error if it waits."""
    try:
        coro.send(None)
    except StopIteration as done:
        return cast(T, done.value)
    coro.close()
    raise RuntimeError("the coroutine waited on something: run it with loop=True")


def check_summary(summary: ReportSummary, source_path: str) -> ReportSummary:
    """Validate any contract-shaped summary against its source report.

    The source is prepared exactly as `summarize` prepares it (the same screened text and
    outline), so a quote and a figure verify in both or in neither.
    """
    document = read_report(source_path)
    report = prepare(document, DEFAULT_CHUNK_CHARS)
    src = Source(document.text, report.clean, report.outline, figures=report.figures)
    validation = validate_all(summary, src)
    return replace(summary, validation=validation)


# The parts a metric's quote is placed in, by its kind, and the parts whose year it may take:
# read off the enum once (a member read off its class costs ~0.5 us, several a metric).
_TARGET_PARTS = (SectionKind.PLAN, SectionKind.FIVE_YEAR)
_RESULT_PARTS = (SectionKind.REVIEW, SectionKind.PROBLEMS)
_REVIEW = SectionKind.REVIEW
_YEAR_PARTS = (SectionKind.REVIEW, SectionKind.PLAN)


def _place_for(m: Metric, src: Source) -> Place | None:
    """Where a metric's quote is: of several occurrences ("全市生产总值增长6%" in the review
    and in the plan), the one in the part its kind belongs to."""
    text = src.clean
    first = src.place(m.quote)
    if text.outline is None or first is None:
        return first
    want = _TARGET_PARTS if m.kind == "target" else _RESULT_PARTS
    if not first.in_clean or (first.clean and text.kind_at(first.clean.start) in want):
        return first  # the first occurrence is in its part (or the clean text has none)
    for p in src.places(m.quote):
        if p.clean is not None and text.kind_at(p.clean.start) in want:
            return p
    return first


def _located(m: Metric, src: Source, part_years: bool) -> dict[str, object]:
    """Where a metric's quote is in the text as read, and its period: as written with the
    figure, or else (only when the outline is sure of its parts) the year of the review or
    plan part its quote sits in, marked as taken from the part."""
    place = _place_for(m, src)
    update: dict[str, object] = {
        "span": [place.source.start, place.source.end] if place and place.source else None,
        "period_source": "text" if m.period else None,
    }
    if m.period or not part_years or place is None or place.clean is None:
        return update
    section = src.clean.section_at(place.clean.start)
    if section is not None and section.kind in _YEAR_PARTS:
        year = section.period
        if year and "-" in year and section.kind is _REVIEW:
            # A span of years says too little, but in a review of several years a paragraph that
            # opens on last year ("过去一年，…全省地区生产总值5.3万亿元") is about its last year.
            para = src.clean.paragraph_start(place.clean.start)
            opens = LAST_YEAR_OPENER_RE.match(src.clean.text, para)
            year = year.rsplit("-", 1)[1] if opens else None
        if year:
            update.update(period=f"{year}年", period_source="part")
    return update


def with_spans(summary: ReportSummary, src: Source) -> ReportSummary:
    """Set each metric's span (where its quote is in the text as read) and period source."""
    sure = src.clean.outline is not None and src.clean.outline.confident

    def spanned(ms: list[Metric]) -> list[Metric]:
        return [replace(m, **_located(m, src, sure)) for m in ms]

    return replace(
        summary,
        achievements=[replace(a, metrics=spanned(a.metrics)) for a in summary.achievements],
        plans=[replace(p, targets=spanned(p.targets)) for p in summary.plans],
    )


_TARGET_PATH = recache.compile(r"^plans\[(\d+)\]\.targets\[(\d+)\]$")


def validate_all(summary: ReportSummary, src: Source) -> Validation:
    """validate_summary, with a statement that no target is set (value null) checked as a quote.

    Such a target has no figure to check: its quote must be the report's own words, and the
    claims of the other targets keep their paths.
    """
    none_at = {(i, j) for i, p in enumerate(summary.plans)
               for j, m in enumerate(p.targets) if m.value is None}  # fmt: skip
    if not none_at:
        return validate_summary(summary, src)
    kept = {i: [j for j in range(len(p.targets)) if (i, j) not in none_at]
            for i, p in enumerate(summary.plans)}  # fmt: skip
    stripped = replace(summary, plans=[
        replace(p, targets=[p.targets[j] for j in kept[i]])
        for i, p in enumerate(summary.plans)])  # fmt: skip
    claims = []
    for c in validate_summary(stripped, src).claims:
        if m := _TARGET_PATH.match(c.where):
            i, k = int(m.group(1)), int(m.group(2))
            c = replace(c, where=f"plans[{i}].targets[{kept[i][k]}]")
        claims.append(c)
    for i, j in sorted(none_at):
        unset = summary.plans[i].targets[j]
        claims.append(check_quote(unset.quote, f"plans[{i}].targets[{j}]", src))
    ok = sum(c.status == "verified" for c in claims)
    return Validation(claims=claims, verified=ok, flagged=len(claims) - ok)
