"""Many reports on all cores: the offline engine's batch, one report per worker process.

The offline engine is pure CPU work, so one process uses one core however many reports wait.
Here the reports of a batch run in a process pool, forked where that is safe and spawned
elsewhere (`start_method`; spawn-safe: the work function and its arguments are plain
top-level, picklable things). Each worker reads, prepares, summarises,
validates, renders and writes one report, as `batch.run_batch` does; the parent alone touches
the manifest and the progress display, so the outputs, the manifest (entries recorded in the
batch's own order) and the closing table are those of a one-process run. The live engine keeps
its single-process async path: its cost is waiting on the network, which one loop overlaps.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from .batch import (
    Listener,
    ReportRun,
    ReportWriter,
    fingerprint,
    source_key,
)
from .collector import tune
from .config import Settings
from .errors import SummarizerError
from .ingest import Document
from .manifest import Manifest, out_dir_lock


@dataclass(frozen=True)
class _Job:
    """What a worker needs of one report: where it comes from and where its output goes."""

    path: str
    output: Path
    source: str  # the manifest key
    document: Document | None  # a corpus row, read while planning; None: read the file


@dataclass(frozen=True)
class _Done:
    """What a worker hands back: the fields of ReportRun a one-process run would have set."""

    status: str
    reason: str = ""
    verified: int = 0
    flagged: int = 0
    chunks: int = 0
    cost: float = 0.0
    sha256: str = ""


@dataclass(frozen=True)
class _Context:
    """The batch's constant part, sent once to each worker."""

    settings: Settings
    fmt: str
    detail: str
    force: bool
    fingerprint: str
    manifest: Manifest  # read-only in workers: only the parent records outputs


_context: _Context | None = None  # one per worker process, set by _init


def _init(context: _Context) -> None:
    global _context
    from multiprocessing.util import Finalize

    from . import recache

    tune()  # a spawned worker starts with the default thresholds
    _context = context
    # The patterns this worker compiled, kept for the next run: a forked worker ends without
    # running exit handlers (where the store saves itself), but with multiprocessing's own.
    Finalize(None, recache.save, exitpriority=0)


def _summarize(job: _Job) -> _Done:
    """One report, read to written, as `batch.run_batch` does it (never raises)."""
    from .engines.rules import RulesEngine
    from .ingest import read_report
    from .pipeline import prepare, run_sync
    from .pricing import load_prices

    ctx = _context
    assert ctx is not None
    settings = ctx.settings
    try:
        document = job.document or read_report(job.path)
        if ctx.manifest.settled(
            job.source, job.output, document.sha256, ctx.fingerprint, ctx.force
        ):
            return _Done("skipped", sha256=document.sha256)
        report = prepare(document, settings.chunk_chars, settings.place, settings.year)
        chunks = sum(c.section.value != "preamble" for c in report.chunks)
        engine = RulesEngine()
        output = run_sync(engine.summarize(report))
        writer = ReportWriter(
            settings.strict, ctx.fmt, ctx.detail, load_prices(settings.prices_file)
        )
        outcome = writer.write(report, engine, output, job.output, job.source)
        summary = outcome.summary
        return _Done(
            "done",
            verified=summary.validation.verified,
            flagged=outcome.flagged_before_strict,
            chunks=chunks,
            cost=summary.meta.usage.cost,
            sha256=document.sha256,
        )
    except SummarizerError as e:
        return _Done("failed", str(e))
    except Exception as e:  # one report must never stop the batch
        return _Done("failed", f"internal error: {type(e).__name__}: {e}")


def _size(run: ReportRun) -> int:
    if run.document is not None:
        return len(run.document.text.encode("utf-8"))
    try:
        return os.path.getsize(run.path)
    except OSError:
        return 0


def default_jobs() -> int:
    """Worker processes by default: one per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def max_jobs() -> int:
    """The most worker processes a run may ask for: four per core (each holds a report and the
    engine, ~50-100 MB; --jobs 99999999 over a folder of 1,000 reports would start 1,000)."""
    return 4 * default_jobs()


def start_method() -> str:
    """How the workers start: "fork" on Linux while this process runs one thread, else "spawn".

    A forked worker is a copy of this process, running in about a millisecond with every
    module it has imported; a spawned one starts an interpreter and imports the command's
    modules again, ~0.1 s of a core before its first report, while the batch waits: with two
    workers, --jobs 2 ran 1.6x faster than --jobs 1 spawned and 1.75-1.8x forked (bench/).
    Fork is not safe on macOS (its system libraries), Windows has none, and a fork copies
    any lock another thread holds at that moment (a library caller's thread): spawn there.
    """
    import sys
    import threading

    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _warm() -> None:
    """A worker's first task: the pipeline imported while the parent still plans the batch."""
    from .engines.rules import RulesEngine  # noqa: F401
    from .pipeline import prepare  # noqa: F401


class Workers:
    """A batch's worker processes, started before the batch is planned.

    Starting a worker (a fresh interpreter importing the pipeline) takes about as long as the
    parent's planning of a corpus file's rows: started first, the two overlap. The output
    folder is locked, and its manifest read, from the start; `close` ends both.
    """

    def __init__(
        self,
        settings: Settings,
        out_dir: Path,
        fmt: str,
        jobs: int,
        force: bool = False,
        detail: str = "page",
    ) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        self._lock = contextlib.ExitStack()
        self._lock.enter_context(out_dir_lock(out_dir))  # another run here finishes first
        try:
            self.manifest = Manifest(out_dir)
            self.fingerprint = fingerprint(settings, fmt, detail)
            self.jobs = jobs
            context = _Context(settings, fmt, detail, force, self.fingerprint, self.manifest)
            self._pool = ProcessPoolExecutor(
                max_workers=jobs,
                mp_context=multiprocessing.get_context(start_method()),
                initializer=_init,
                initargs=(context,),
            )
        except BaseException:
            self._lock.close()  # no workers: the folder is not held either
            raise
        # The pool starts a process per task it cannot hand to an idle one: one each.
        for _ in range(jobs):
            self._pool.submit(_warm)

    def close(self) -> None:
        """Stop the workers (cancelling what they have not begun), save the manifest, unlock."""
        try:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self.manifest.flush()
        finally:
            self._lock.close()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, runs: Sequence[ReportRun], on_change: Listener | None = None) -> list[ReportRun]:
        """Summarise planned runs in the workers; the runs, as a one-process batch leaves them."""
        return _run(self._pool, self.manifest, self.fingerprint, self.jobs, runs, on_change)


def run_parallel(
    runs: Sequence[ReportRun],
    settings: Settings,
    out_dir: Path,
    fmt: str,
    jobs: int,
    force: bool = False,
    on_change: Listener | None = None,
    detail: str = "page",
) -> list[ReportRun]:
    """Summarise planned runs with the offline engine in `jobs` worker processes."""
    with Workers(settings, out_dir, fmt, jobs, force, detail) as workers:
        return workers.run(runs, on_change)


def _run(
    pool: ProcessPoolExecutor,
    manifest: Manifest,
    fp: str,
    jobs: int,
    runs: Sequence[ReportRun],
    on_change: Listener | None,
) -> list[ReportRun]:
    notify = on_change or (lambda run: None)
    runs = list(runs)
    for run in runs:
        if run.status == "failed":  # found unreadable while planning
            notify(run)
    # Biggest first: the last report to start is then a small one, so no core idles long.
    waiting = sorted(
        (i for i, r in enumerate(runs) if r.status != "failed"), key=lambda i: -_size(runs[i])
    )
    waiting.reverse()  # popped from the end
    done: dict[int, _Done] = {}
    recorded = 0  # runs[:recorded] are settled in the manifest

    def record() -> None:
        # Entries are recorded in the batch's order, as one process records them, so the
        # manifest file is the same byte for byte.
        nonlocal recorded
        while recorded < len(runs) and (runs[recorded].status == "failed" or recorded in done):
            result = done.get(recorded)
            run = runs[recorded]
            if result is not None and result.status == "done" and run.output is not None:
                manifest.mark(source_key(run), run.output, result.sha256, fp)
            recorded += 1

    flying: dict[Future[_Done], int] = {}
    while waiting or flying:
        # A few reports queued per worker: busy cores, and few corpus rows held in memory.
        while waiting and len(flying) < 2 * jobs:
            i = waiting.pop()
            run = runs[i]
            assert run.output is not None
            job = _Job(run.path, run.output, source_key(run), run.document)
            run.document = None  # a row's text is held only until it is handed over
            run.status = "running"
            flying[pool.submit(_summarize, job)] = i
            notify(run)
        finished, _ = wait(flying, return_when=FIRST_COMPLETED)
        for future in finished:
            i = flying.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool as e:  # a worker died (killed, out of memory)
                result = _Done("failed", f"internal error: worker process died ({e})")
            run = runs[i]
            run.status, run.reason = result.status, result.reason
            run.verified, run.flagged = result.verified, result.flagged
            run.chunks, run.cost = result.chunks, result.cost
            done[i] = result
            notify(run)
        record()
    return runs
