"""Progress of a batch on stderr: a live rich display on a terminal, plain lines otherwise."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from .batch import FINISHED, ReportRun, finished, totals


def _money(v: float) -> str:
    return f"${v:.4f}" if v else "—"


class _Detail(ProgressColumn):
    """Chunks, calls, tokens and cost, recomputed at every refresh so they move mid-report."""

    def __init__(self, detail: Callable[[], str]) -> None:
        super().__init__()
        self._detail = detail

    def render(self, task: Task) -> Text:
        return Text(self._detail())


class BatchProgress:
    """Receives ReportRun changes from run_batch and shows them."""

    def __init__(self, console: Console, total: int) -> None:
        self.console = console
        self.total = total
        self.runs: dict[str, ReportRun] = {}
        self.live = console.is_terminal
        self.started = time.perf_counter()
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> BatchProgress:
        if self.live:
            self._progress = Progress(
                TextColumn("[bold]reports"),
                BarColumn(),
                MofNCompleteColumn(),
                _Detail(self._detail),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
                # The display refreshes itself, so chunk and token counts move between reports.
                refresh_per_second=4,
                get_time=time.perf_counter,
            )
            self._progress.start()
            self._task = self._progress.add_task("batch", total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def _detail(self) -> str:
        t = totals(list(self.runs.values()))
        return (
            f"chunks {t['chunks_done']}/{t['chunks']} · calls {t['calls']} · "
            f"tokens {t['tokens']:,} · {_money(t['cost'])}"
        )

    def update(self, run: ReportRun) -> None:
        """Called by run_batch whenever a report changes state."""
        self.runs[run.path] = run
        # Counted alone (every report's chunks, calls and tokens are summed only for the
        # closing table): a line per report is printed on a pipe, each counting all reports.
        done = finished(self.runs.values())
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, completed=done)
            self._progress.refresh()
        elif run.status in FINISHED:
            what = run.status if run.status != "failed" else f"FAILED: {run.reason}"
            self.console.print(
                f"summarizer: [{done}/{self.total}] {run.name}: {what}"
                + (
                    f" ({run.verified} verified, {run.flagged} flagged, {run.meter.calls} calls)"
                    if run.status == "done"
                    else ""
                ),
                markup=False,
            )

    def closing_table(self, runs: Sequence[ReportRun]) -> None:
        """One row per report: status, claims, calls, tokens, cost."""
        table = Table(title=f"{len(runs)} reports in {time.perf_counter() - self.started:.1f} s")
        for col in ("report", "status", "verified", "flagged", "calls", "tokens", "cost"):
            # A corpus row's name ends in its key (…tsv#1954): fold it rather than cut it off.
            table.add_column(
                col,
                justify="left" if col in ("report", "status") else "right",
                overflow="fold" if col == "report" else "ellipsis",
            )
        for r in runs:
            # Names and reasons are data: "[bold]" or "[/x]" in a path is not rich markup.
            reason = escape(r.reason[:80])
            status = r.status if r.status != "failed" else f"[red]failed[/]: {reason}"
            table.add_row(
                escape("stdin" if r.path == "-" else Path(r.name).name),
                status,
                str(r.verified),
                str(r.flagged),
                str(r.meter.calls),
                f"{r.meter.prompt_tokens + r.meter.completion_tokens:,}",
                _money(r.cost),
            )
        t = totals(runs)
        table.add_section()
        table.add_row(
            "total",
            f"{t['failed']} failed" if t["failed"] else "ok",
            str(sum(r.verified for r in runs)),
            str(sum(r.flagged for r in runs)),
            str(t["calls"]),
            f"{t['tokens']:,}",
            _money(t["cost"]),
        )
        self.console.print(table)
