"""Many reports at once: one engine, one global request limit, atomic outputs, resumable runs.

A run is planned first (`plan_runs`): one ReportRun per report file, and one per row of each
corpus file (read ahead, to name every row's output after its place and year; a row that is
not a report is a failed run of its own). All reports share one engine, so one HTTP client
and one cap on requests in flight serve every chunk of every report. Each report runs in its
own task with its own usage meter; one report's failure is recorded and never stops the
others. A manifest in the output directory remembers which outputs are up to date (per source,
path or path#row: output name, input hash and settings fingerprint), so a second run redoes
only what failed or changed, unless forced.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import __version__
from .config import Settings
from .engines import Engine, make_engine
from .errors import InputError, SummarizerError
from .ingest import Document, RowError, may_hold_many, printable, read_documents, read_report
from .manifest import Manifest, out_dir_lock
from .outputs import check_out_dir, safe_output, write_atomic
from .pricing import Prices, load_prices
from .prompting import prompt_hash
from .records import ReportSummary
from .usage import UsageMeter, current_meter

if TYPE_CHECKING:
    from .engines import EngineOutput, PreparedReport
    from .pipeline import Outcome

# About ten ordinary work reports, in characters of text or bytes of a file: above this,
# reading and preparing moves to the worker thread.
BIG_INPUT = 1_000_000
# Loop turns from starting a report's extraction to its requests being written to the socket
# (engine task -> chunk tasks -> request tasks -> transport).
NETWORK_TURNS = 4

T = TypeVar("T")


@dataclass
class ReportRun:
    """The fate of one report in a batch."""

    path: str  # the report's name: its file, or path#key for a row of a corpus file
    output: Path | None = None
    status: str = "pending"  # pending | running | done | skipped | failed
    reason: str = ""
    verified: int = 0
    flagged: int = 0
    meter: UsageMeter = field(default_factory=UsageMeter)
    chunks: int = 0
    cost: float = 0.0
    # A corpus row, read while planning; a report file is read when its turn comes.
    document: Document | None = field(default=None, repr=False)
    file: str = ""  # the input file the report is in (path itself for a report file)

    def __post_init__(self) -> None:
        self.file = self.file or self.path

    def done(self, summary: ReportSummary, flagged: int) -> None:
        """Record a report written: its cost and its claims (flagged before any --strict)."""
        self.cost = summary.meta.usage.cost
        self.verified = summary.validation.verified
        self.flagged = flagged
        self.status = "done"

    @property
    def chunks_done(self) -> int:
        """Chunks answered so far: counted as they come (live), all once the report is written
        (whatever engine wrote it: the offline one counts nothing as it goes)."""
        return self.chunks if self.status == "done" else min(self.meter.chunks_done, self.chunks)

    @property
    def name(self) -> str:
        """The report as messages show it (a legacy-encoded file name made printable)."""
        return printable(self.path)


@dataclass(frozen=True)
class ReportWriter:
    """How a batch writes each report an engine has answered: merged, validated and priced
    (pipeline.assemble), rendered, written atomically and recorded. One copy for the thread,
    worker-process and Batch API paths."""

    strict: bool
    fmt: str
    detail: str
    prices: Prices
    manifest: Manifest | None = None  # None in a worker process: the parent records outputs
    fingerprint: str = ""

    def write(
        self, report: PreparedReport, engine: Engine, output: EngineOutput, path: Path, source: str
    ) -> Outcome:
        """Write one report's output file; its outcome (summary, flagged before --strict)."""
        from .formats import render_file
        from .pipeline import assemble

        outcome = assemble(report, engine, output, self.strict, self.prices)
        write_atomic(
            path, render_file(outcome.summary, self.fmt, report.document.text, self.detail)
        )
        if self.manifest is not None:
            self.manifest.mark(source, path, report.document.sha256, self.fingerprint)
        return outcome


def fingerprint(settings: Settings, fmt: str, detail: str = "page") -> str:
    """What an output depends on besides its input: engine, model, prompts, format, version."""
    engine = settings.resolved_engine()
    parts = {
        "engine": engine,
        "model": settings.model if engine == "llm" else None,
        "mode": settings.mode,
        "chunk_chars": settings.chunk_chars,
        "strict": settings.strict,
        "format": fmt,
        "detail": detail,
        "prompts": prompt_hash("extract_system.md", "extract_user.md"),
        "version": __version__,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def _file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # stdin, or a missing file: read_report reports it


def _names(candidates: Sequence[tuple[str, str]]) -> list[str]:
    """One output name per (stem, fuller name) pair, unique by construction and stable across
    runs: the stem, the fuller name when stems collide, and a position suffix when even those
    do — itself made unique against every other name (d3/a.txt-1.txt is named a.txt-1 too).
    Names are compared case-folded: on a case-insensitive disk A.md is a.md."""
    stems = Counter(s.casefold() for s, _ in candidates)  # counted once: a corpus has many rows
    # report.pdf and report.docx must not overwrite each other's brief.
    chosen = [n if stems[s.casefold()] > 1 else s for s, n in candidates]
    counts = Counter(c.casefold() for c in chosen)
    taken = {c.casefold() for c in chosen if counts[c.casefold()] == 1}
    out = []
    for i, c in enumerate(chosen):
        if counts[c.casefold()] == 1:
            out.append(c)
            continue
        name, k = f"{c}-{i + 1}", 2  # the same file name in two folders
        while name.casefold() in taken:
            name, k = f"{c}-{i + 1}-{k}", k + 1
        taken.add(name.casefold())
        out.append(name)
    return out


def _candidate(path: str) -> tuple[str, str]:
    shown = Path(printable(path))  # an output name must be writable as UTF-8 (the manifest)
    return ("stdin", "stdin") if path == "-" else (shown.stem, shown.name)


def output_paths(out_dir: Path, paths: Sequence[str], fmt: str) -> list[Path]:
    """Where each report file's output goes: <stem>.<fmt>, or <name>.<fmt> when stems collide."""
    return [out_dir / f"{c}.{fmt}" for c in _names([_candidate(p) for p in paths])]


def plan_runs(paths: Sequence[str], out_dir: Path, fmt: str) -> list[ReportRun]:
    """One run per report: per report file, and per row of each corpus file, outputs named.

    A corpus row's output is named by its `Document.stem` (place-year); a corpus file that
    cannot be read, and each row of one that is not a report, is a failed run.
    """
    runs: list[ReportRun] = []
    candidates: list[tuple[str, str]] = []
    for path in paths:
        # Stdin can be read only once, and may hold a corpus: it is read now, like a corpus file.
        if path != "-" and not may_hold_many(path):
            runs.append(ReportRun(path))
            candidates.append(_candidate(path))
            continue
        errors: list[InputError] = []
        try:
            documents = read_documents(path, errors)
        except SummarizerError as e:
            runs.append(ReportRun(path, status="failed", reason=str(e)))
            candidates.append(_candidate(path))
            continue
        for doc in documents:
            runs.append(ReportRun(doc.name, document=doc, file=path))
            candidates.append(_candidate(path) if doc.name == path else (doc.stem, doc.stem))
        for error in errors:
            name = error.name if isinstance(error, RowError) else path
            runs.append(ReportRun(name, status="failed", reason=str(error), file=path))
            candidates.append(("", ""))  # never written
    for run, name in zip(runs, _names(candidates), strict=True):
        if run.status != "failed":
            run.output = out_dir / f"{name}.{fmt}"
    return runs


def source_key(run: ReportRun) -> str:
    """A report's key in the manifest: its file's absolute path, plus #key for a corpus row."""
    if run.file == "-":
        return run.path
    return printable(os.path.abspath(run.file)) + run.path[len(run.file) :]


Listener = Callable[[ReportRun], None]


async def run_batch(
    paths: Sequence[str] | Sequence[ReportRun],
    settings: Settings,
    out_dir: Path,
    fmt: str,
    force: bool = False,
    on_change: Listener | None = None,
    engine: Engine | None = None,
    detail: str = "page",
) -> list[ReportRun]:
    """Summarise every report into out_dir; never raises for one report's failure.

    `paths` are input files (planned here) or the runs `plan_runs` made of them.
    """
    import asyncio  # here: a batch of worker processes (workers.py) runs no event loop

    from .pipeline import prepare

    fp = fingerprint(settings, fmt, detail)
    runs = [p for p in paths if isinstance(p, ReportRun)]
    if len(runs) < len(paths):
        runs = plan_runs([p for p in paths if isinstance(p, str)], out_dir, fmt)
    from .cli_shared import REPORT_SUFFIXES

    # Before any paid work: no output may replace an input or be read back as a report.
    check_out_dir(
        out_dir, [r.file or r.path for r in runs], [r.output for r in runs if r.output],
        REPORT_SUFFIXES,
    )  # fmt: skip
    out_dir.mkdir(parents=True, exist_ok=True)
    prices = load_prices(settings.prices_file)
    notify = on_change or (lambda run: None)
    own_engine = engine is None
    engine = engine or make_engine(settings)
    # Reports in flight: enough to keep the request limit busy, few enough to bound memory.
    reports_at_once = asyncio.Semaphore(max(2, settings.concurrency * 8))
    preparing = asyncio.Lock()  # one report is read and prepared at a time
    # Reading and preparing is CPU work: one worker doing it in order gets the first report's
    # requests out at once, where many threads sharing the GIL would all finish late together.
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare")
    loop = asyncio.get_running_loop()

    async def cpu(size: int, fn: Callable[..., T], *args: Any) -> T:
        # A few milliseconds of work (an ordinary report) is cheapest done right here: handing
        # it to a thread only makes it share the GIL with the loop in 5 ms slices. A big input
        # goes to the worker so the loop keeps sending and receiving meanwhile.
        if size < BIG_INPUT:
            return fn(*args)
        return await loop.run_in_executor(worker, fn, *args)

    async def one(run: ReportRun) -> None:
        if run.status == "failed":  # found unreadable while planning
            notify(run)
            return
        async with reports_at_once:
            current_meter.set(run.meter)
            try:
                async with preparing:
                    document = run.document
                    if document is None:
                        document = await cpu(_file_size(run.path), read_report, run.path)
                    run.document = None  # a row's text is held only until it is prepared
                    assert run.output is not None
                    source = source_key(run)
                    if manifest.settled(source, run.output, document.sha256, fp, force):
                        run.status = "skipped"
                        notify(run)
                        return
                    run.status = "running"
                    size = len(document.text)
                    report = await cpu(
                        size, prepare, document, settings.chunk_chars, settings.place, settings.year
                    )
                    run.chunks = sum(c.section.value != "preamble" for c in report.chunks)
                    notify(run)
                    summarizing = asyncio.ensure_future(engine.summarize(report))
                    # Let this report's requests reach the network before the next report is
                    # prepared: asyncio runs ready tasks first come, first served, so without
                    # these turns every report would be prepared before any request was sent.
                    for _ in range(NETWORK_TURNS):
                        await asyncio.sleep(0)
                output = await summarizing

                # Merging, validating, rendering and writing: CPU work, run like prepare.
                outcome = await cpu(size, writer.write, report, engine, output, run.output, source)
                run.done(outcome.summary, outcome.flagged_before_strict)
            except SummarizerError as e:
                run.status, run.reason = "failed", str(e)
            except Exception as e:  # one report must never stop the batch
                reason = f"internal error: {type(e).__name__}: {e}"
                run.status, run.reason = "failed", safe_output(reason)
            notify(run)

    try:
        with out_dir_lock(out_dir):  # another run on this folder finishes first
            manifest = Manifest(out_dir)  # read once this run holds the folder
            writer = ReportWriter(settings.strict, fmt, detail, prices, manifest, fp)
            try:
                await asyncio.gather(*(one(r) for r in runs))
            finally:
                manifest.flush()
    finally:
        worker.shutdown(wait=False)
        if own_engine:
            await engine.aclose()
    return runs


FINISHED = ("done", "skipped", "failed")  # a report's states once its turn is over


def finished(runs: Iterable[ReportRun]) -> int:
    """How many of `runs` are finished (written, skipped or failed)."""
    return sum(r.status in FINISHED for r in runs)


def totals(runs: Sequence[ReportRun]) -> dict[str, float]:
    """Sums over a batch, for the progress display and the closing table."""
    return {
        "done": finished(runs),
        "failed": sum(r.status == "failed" for r in runs),
        "chunks": sum(r.chunks for r in runs),
        "chunks_done": sum(r.chunks_done for r in runs),
        "calls": sum(r.meter.calls for r in runs),
        "tokens": sum(r.meter.prompt_tokens + r.meter.completion_tokens for r in runs),
        "cost": round(sum(r.cost for r in runs), 6),
    }
