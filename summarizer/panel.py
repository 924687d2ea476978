"""A tidy panel of many reports: one row per figure, every cell traceable to its sentence.

`summarize_many` runs the pipeline over every report that files, folders and corpus files hold
(one engine for all, progress on stderr); `panel_rows` turns summaries into long-format rows
(place, level, report_year, period, indicator, name, value, unit, kind, bound, low, high,
change, quote, source, span_start, span_end, status). A level figure whose change states a
growth (地区生产总值69亿元，同比增长7%) gives two rows: the level and its growth indicator.
`write_table` writes CSV with the csv module (no extra needed), or Parquet / Excel through
pandas (the optional `tables` extra).
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import recache
from .errors import InputError, SummarizerError, UsageError
from .indicators import growth_in_change
from .ingest import Document, read_documents
from .lexicon import CJK, NATIONAL_ISSUER, PLACE_SUFFIX
from .records import Metric, ReportSummary
from .units import value_text

__all__ = ["PANEL_COLUMNS", "Summarized", "panel_rows", "place_of",
           "plan_year", "read_all", "review_year", "summarize_many", "write_table"]  # fmt: skip

PANEL_COLUMNS = ("place", "level", "report_year", "period", "indicator", "name", "value", "unit",
                 "kind", "bound", "low", "high", "change", "quote", "source", "span_start",
                 "span_end", "status")  # fmt: skip
_LEVEL_SUFFIX = recache.compile(f"{PLACE_SUFFIX}$")
_YEAR = recache.compile(r"^(\d{4})")


@dataclass(frozen=True)
class Summarized:
    """One report's summary, with what its corpus row said about place and year."""

    summary: ReportSummary
    place_hint: str | None = None
    year_hint: int | None = None


# --- places and years ---------------------------------------------------------------------


def _standard(name: str) -> str:
    """The gazetteer's full name of a place (东营 -> 东营市, 黔东南 -> 黔东南苗族侗族自治州)."""
    from .structure.places import gazetteer

    known = gazetteer().lookup(name)
    return known[0].name if known else name


def normalise_place(name: str) -> str:
    """One spelling per place: 常州空港产业园（罗溪镇）人民政府 is 罗溪镇; 国务院 is one place."""
    s = re.sub(r"\s+", "", name)
    if NATIONAL_ISSUER in s or "中央人民政府" in s:
        return NATIONAL_ISSUER
    s = re.sub(r"(?:人民政府|政府)$", "", s)
    inner = re.search(r"[（(]([^（）()]+)[)）]$", s)
    if inner and _LEVEL_SUFFIX.search(inner.group(1)):
        s = inner.group(1)  # a park named with the town that governs it: the town
    return _standard(s) if s else s


def _named_file(source: str) -> str | None:
    """The place a file is named after (南京.txt, 东营-2024.txt), when the gazetteer knows it."""
    stem = re.sub(r"[\s\d_\-—.（）()年]+", "", Path(source.split("#")[0]).stem.split(".")[0])
    if not re.fullmatch(rf"[{CJK}]{{2,10}}", stem):
        return None
    standard = _standard(stem)
    return standard if standard != stem or _LEVEL_SUFFIX.search(stem) else None


def place_of(s: Summarized) -> str:
    """The place a report is about: the corpus row's place, else its normalised issuer.

    A report file named after a place (东营.txt) whose issuer does not name it keeps the file's
    place (东营市): the issuer was misread, and a place issues one report a year, so two cities
    must not merge into one.
    """
    if s.place_hint:
        return normalise_place(s.place_hint)
    meta = s.summary.meta
    if meta.level == "national":
        return NATIONAL_ISSUER
    place = normalise_place(meta.issuer or "")
    named = _named_file(meta.source)
    if named and named != place and not (place and place in named):
        return named
    return place


def _single(period: str | None) -> int | None:
    return int(period) if period and re.fullmatch(r"\d{4}", period) else None


def plan_year(s: Summarized) -> int | None:
    """The year whose targets the report sets.

    With a corpus year (the year the report was given): that year, or the next when the
    report reviews its own year (a December or mid-year report). Else the header's plan year.
    """
    meta = s.summary.meta
    if s.year_hint is not None:
        return s.year_hint + 1 if _single(meta.review_period) == s.year_hint else s.year_hint
    if (y := _single(meta.plan_period)) is not None:
        return y
    if meta.plan_period and (m := _YEAR.match(meta.plan_period)):
        return int(m.group(1))
    if meta.review_period and (m := re.search(r"(\d{4})$", meta.review_period)):
        return int(m.group(1)) + 1
    return None


def review_year(s: Summarized) -> int | None:
    """The last year the report reviews (the year its outcomes are for)."""
    meta = s.summary.meta
    if (y := _single(meta.review_period)) is not None:
        return y
    plan = plan_year(s)
    return None if plan is None else plan - 1


def report_year(s: Summarized) -> int | None:
    """The year the report was given: the corpus year, else its plan year."""
    return s.year_hint if s.year_hint is not None else plan_year(s)


# --- rows ----------------------------------------------------------------------------------


def _statuses(summary: ReportSummary) -> dict[str, str]:
    return {c.where: c.status for c in summary.validation.claims}


def _row(s: Summarized, m: Metric, where: str, status: str | None, **over: Any) -> dict[str, Any]:
    meta = s.summary.meta
    span: list[int | None] = list(m.span) if m.span else [None, None]
    row = {
        "place": place_of(s), "level": meta.level, "report_year": report_year(s),
        "period": m.period, "period_source": m.period_source,  # the latter not a column
        "indicator": m.indicator, "name": m.name,
        "value": m.value, "unit": m.unit, "kind": m.kind, "bound": m.bound, "low": m.low,
        "high": m.high, "change": m.change, "quote": m.quote, "source": meta.source,
        "span_start": span[0], "span_end": span[1], "status": status,
    }  # fmt: skip
    row.update(over)
    return row


def panel_rows(reports: Iterable[Summarized]) -> list[dict[str, Any]]:
    """One row per figure of every report (two for a level that states its growth)."""
    rows: list[dict[str, Any]] = []
    for s in reports:
        status = _statuses(s.summary)
        lists = [
            (f"achievements[{i}].metrics", a.metrics) for i, a in enumerate(s.summary.achievements)
        ]
        lists += [(f"plans[{i}].targets", p.targets) for i, p in enumerate(s.summary.plans)]
        for prefix, metrics in lists:
            for j, m in enumerate(metrics):
                where = f"{prefix}[{j}]"
                rows.append(_row(s, m, where, status.get(where)))
                g = growth_in_change(m)
                if g is None:
                    continue
                target = m.kind == "target"
                rows.append(_row(
                    s, m, where, status.get(where), indicator=g.indicator, value=g.value,
                    unit=g.unit, bound=g.info.bound if target else None,
                    low=g.info.low if target else None, high=g.info.high if target else None,
                ))  # fmt: skip
    return rows


# --- output --------------------------------------------------------------------------------


def _cell(v: Any) -> Any:
    # 5, not 5.0, as the summary JSON writes it; None is an empty cell (NA in pandas and R).
    if v is None:
        return ""
    return value_text(v) if isinstance(v, float) else v


def _csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: _cell(r.get(k)) for k in columns})
    return buf.getvalue()


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise UsageError(
            "Parquet and Excel output need pandas: pip install 'summarizer[tables]'"
        ) from None
    return pandas


def write_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], output: str | None) -> str:
    """Write rows as CSV (stdout when no output), .parquet or .xlsx; return what was written."""
    from .outputs import write_atomic, write_atomic_with

    if output is None:
        return _csv_text(rows, columns)
    path = Path(output)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_atomic(path, _csv_text(rows, columns))
        return str(path)
    if suffix not in (".parquet", ".xlsx"):
        raise UsageError(f"{output}: write .csv, .parquet or .xlsx")
    pd = _pandas()
    frame = pd.DataFrame(list(rows), columns=list(columns))
    for col in frame.columns:  # numbers stay numbers; an all-empty column stays a column
        if frame[col].dtype == object and frame[col].map(lambda v: isinstance(v, str)).any():
            frame[col] = frame[col].astype("string")

    def write(tmp: Path) -> None:
        if suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_excel(tmp, index=False, engine="openpyxl")

    try:
        write_atomic_with(path, write)
    except ImportError as e:
        raise UsageError(f"{output}: {e}; pip install 'summarizer[tables]'") from None
    return str(path)


# --- running the pipeline over many reports ------------------------------------------------

Notify = Callable[[Any], None]


async def _run(docs: list[Document], settings: Any, notify: Notify) -> list[Summarized | None]:
    from .batch import ReportRun
    from .engines import make_engine
    from .pipeline import prepare, summarize_report
    from .usage import current_meter

    engine = make_engine(settings)
    limit = asyncio.Semaphore(max(2, settings.concurrency * 2))

    async def one(doc: Document) -> Summarized | None:
        run = ReportRun(doc.name, status="running")
        async with limit:
            current_meter.set(run.meter)
            try:
                report = prepare(doc, settings.chunk_chars)
                outcome = await summarize_report(report, engine, settings.strict)
            except SummarizerError as e:
                run.status, run.reason = "failed", str(e)
                notify(run)
                return None
            v = outcome.summary.validation
            run.status, run.verified, run.flagged = "done", v.verified, v.flagged
            notify(run)
            return Summarized(outcome.summary, doc.place_hint, doc.year_hint)

    try:
        return list(await asyncio.gather(*(one(d) for d in docs)))
    finally:
        await engine.aclose()


def read_all(files: Sequence[str]) -> tuple[list[Document], list[str]]:
    """Every report the files hold (a corpus file's rows), and one line for each that failed."""
    docs: list[Document] = []
    errors: list[InputError] = []
    for f in files:
        try:
            docs.extend(read_documents(f, errors))
        except InputError as e:
            errors.append(e)
    return docs, [str(e) for e in errors]


def summarize_many(docs: list[Document], settings: Any, notify: Notify | None = None
                   ) -> list[Summarized]:  # fmt: skip
    """Summarise every report with one engine; a failed report is left out (and notified)."""
    done = asyncio.run(_run(docs, settings, notify or (lambda run: None)))
    return [s for s in done if s is not None]
