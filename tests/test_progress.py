"""The batch progress display: live on a terminal, plain lines otherwise, and the closing table."""

from __future__ import annotations

import asyncio
import io

from rich.console import Console

from summarizer.batch import ReportRun
from summarizer.progress import BatchProgress


def _runs():
    done = ReportRun("in/a.txt", status="done", verified=12, flagged=1, chunks=2, cost=0.0021)
    done.meter.calls, done.meter.prompt_tokens, done.meter.completion_tokens = 3, 9000, 1200
    done.meter.chunks_done = 2
    failed = ReportRun("in/b.txt", status="failed", reason="in/b.txt: the file is empty")
    return [done, failed]


def test_plain_lines_when_stderr_is_not_a_terminal():
    out = io.StringIO()
    console = Console(file=out, force_terminal=False, width=120)
    with BatchProgress(console, 2) as progress:
        for run in _runs():
            progress.update(run)
    text = out.getvalue()
    assert "[1/2] in/a.txt: done (12 verified, 1 flagged, 3 calls)" in text
    assert "[2/2] in/b.txt: FAILED: in/b.txt: the file is empty" in text


def test_live_display_on_a_terminal_then_a_closing_table():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    runs = _runs()
    with BatchProgress(console, 2) as progress:
        for run in runs:
            progress.update(run)
        live = out.getvalue()
    assert "chunks 2/2" in live and "tokens 10,200" in live and "$0.0021" in live
    progress.closing_table(runs)
    table = out.getvalue()
    for cell in ("a.txt", "done", "12", "10,200", "$0.0021", "b.txt", "failed", "1 failed"):
        assert cell in table


def test_names_and_reasons_are_shown_as_written_never_as_markup():
    out = io.StringIO()
    console = Console(file=out, force_terminal=False, width=200)
    runs = [
        ReportRun("d[/x]/b[bold]c.txt", status="done"),
        ReportRun("d[/x]/rows.csv#3", status="failed", reason="d[/x]/rows.csv#3: [red] empty"),
    ]
    with BatchProgress(console, 2) as progress:
        for run in runs:
            progress.update(run)
    progress.closing_table(runs)  # "[/x]" closing no tag used to end in a MarkupError
    text = out.getvalue()
    assert "b[bold]c.txt" in text and "rows.csv#3" in text and "[red] empty" in text


def test_an_offline_batch_counts_its_chunks_done(tmp_path):
    # The offline engine counts nothing as it goes: a written report has all its chunks done,
    # so the display does not show "chunks 0/N" for ever.
    from conftest import REPORTS, SAMPLES

    from summarizer.batch import run_batch, totals
    from summarizer.config import Settings

    paths = [str(REPORTS / name) for name in SAMPLES[:2]]
    runs = asyncio.run(run_batch(paths, Settings(engine="rules"), tmp_path / "out", "json"))
    t = totals(runs)
    assert [r.status for r in runs] == ["done", "done"]
    assert t["chunks"] > 0 and t["chunks_done"] == t["chunks"]
