"""The `--via batch` side of `summarizer summarize`: its flags, and the run with its display.

Kept apart from cli.py so the start-up path stays small; nothing here is imported unless
`--via batch` is given (the Batch API client imports openai).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .batch_run import BatchOptions
from .errors import UsageError

MAX_POLL = 86_400  # seconds: a batch is done or expired within a day

if TYPE_CHECKING:
    from rich.console import Console

    from .config import Settings


def batch_engine(
    engine: str, out_dir: str | None, record_dir: str | None, replay_dir: str | None
) -> str:
    """--via batch needs the live model and an output folder (it keeps its state there)."""
    if engine == "rules":
        raise UsageError("--via batch sends requests to a model; it cannot run --engine rules")
    if not out_dir:
        raise UsageError("--via batch needs --out-dir DIR (the run's state is kept there)")
    if record_dir or replay_dir:
        raise UsageError("--via batch cannot be combined with --record or --replay")
    return "llm"


def batch_options(
    max_lines: int | None,
    max_bytes: int | None,
    poll: float | None,
    detach: bool,
    dry_run: bool,
    output: tuple[str, str, bool] = ("md", "page", False),
) -> BatchOptions:
    """The --via batch flags checked against the provider limits (output: fmt, detail, force)."""
    from .engines.batch_api import MAX_BYTES, MAX_LINES

    for name, value, limit in (
        ("--batch-max-lines", max_lines, MAX_LINES),
        ("--batch-max-bytes", max_bytes, MAX_BYTES),
    ):
        if value is not None and not 1 <= value <= limit:
            raise UsageError(f"{name} must be between 1 and {limit} (the provider's limit)")
    # nan and inf fail the comparison too: a poll of inf seconds would never look again.
    if poll is not None and not 0 <= poll <= MAX_POLL:
        raise UsageError(f"--poll must be a number of seconds from 0 to {MAX_POLL}")
    if detach and dry_run:
        raise UsageError("--dry-run submits nothing, so there is nothing to --detach from")
    return BatchOptions(
        max_lines=max_lines or MAX_LINES,
        max_bytes=max_bytes or MAX_BYTES,
        poll=60.0 if poll is None else poll,
        detach=detach,
        dry_run=dry_run,
        fmt=output[0],
        detail=output[1],
        force=output[2],
    )


def run_via_batch_cli(
    inputs: list[str],
    settings: Settings,
    out_dir: Path,
    console: Console,
    options: BatchOptions,
) -> int:
    """Summarise many reports through the provider's Batch API (batch_run.py)."""
    from .batch import plan_runs
    from .batch_run import BatchRun
    from .progress import BatchProgress

    def say(message: str) -> None:
        console.print(f"summarizer: {message}", markup=False, highlight=False)

    planned = plan_runs(inputs, out_dir, options.fmt)  # a corpus file holds one report a row
    with BatchProgress(console, len(planned)) as progress:
        try:
            runs = asyncio.run(
                BatchRun(
                    planned, settings, out_dir, options, say, click.echo, progress.update
                ).run()
            )
        except KeyboardInterrupt:
            say("interrupted; submitted batches keep running — run the same command to collect")
            return 130
    if options.dry_run:
        return 0
    progress.closing_table(runs)
    failed = any(r.status == "failed" for r in runs)
    flagged = settings.strict and any(r.flagged for r in runs)
    return 1 if (failed or flagged) else 0
