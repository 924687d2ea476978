"""`summarizer panel` (one row per figure of many reports) and `summarizer track` (each year's
target against the next report's outcome)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli_shared import debug_option, engine_options, expand, say_engine, stderr_console
from .errors import InputError, UsageError

if TYPE_CHECKING:
    from .batch import ReportRun
    from .panel import Summarized


def _many_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The engine options `panel` and `track` share with `summarize`, and --debug."""
    return engine_options(debug_option(fn))


def _check_outputs(paths: tuple[str, ...], *outputs: tuple[str, str | None]) -> None:
    """Refuse, before any work, an output that is an input report, a device, FIFO or folder."""
    from .outputs import output_file

    inputs = expand(paths)
    for flag, output in outputs:
        if output is not None and output != "-":
            output_file(output, inputs, flag)


def _summaries(
    paths: tuple[str, ...], engine: str, model: str | None, base_url: str | None,
    concurrency: int | None, replay_dir: str | None, cache_dir: str | None, no_cache: bool,
) -> tuple[list[Summarized], int]:  # fmt: skip
    """Read every report the inputs hold and summarise them; (summaries, failures)."""
    from .config import load_settings
    from .panel import read_all, summarize_many
    from .progress import BatchProgress

    settings = load_settings(engine=engine, model=model, base_url=base_url,
                             concurrency=concurrency, replay_dir=replay_dir,
                             cache_dir=cache_dir, no_cache=no_cache)  # fmt: skip
    items, failed = read_all(expand(paths))
    console = stderr_console()
    if not items:
        raise InputError(failed[0] if failed else "no reports to read")
    for reason in failed:
        console.print(f"summarizer: warning: {reason}", markup=False)
    say_engine(console, settings, engine)
    runs: list[ReportRun] = []

    def seen(run: ReportRun) -> None:
        if run.status in ("done", "failed"):
            runs.append(run)
        progress.update(run)

    with BatchProgress(console, len(items)) as progress:
        summaries = summarize_many(items, settings, seen)
    for run in runs:
        if run.status == "failed":
            console.print(f"summarizer: warning: {run.path}: {run.reason}", markup=False)
    bad = len(failed) + sum(r.status == "failed" for r in runs)
    console.print(f"summarizer: {len(summaries)} reports summarised, {bad} failed", markup=False)
    return summaries, bad


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write FILE.csv, .parquet or .xlsx (CSV to stdout without it).")  # fmt: skip
@_many_options
def panel(
    paths: tuple[str, ...], output: str | None, engine: str, model: str | None,
    base_url: str | None, concurrency: int | None, replay_dir: str | None,
    cache_dir: str | None, no_cache: bool,
) -> None:  # fmt: skip
    """One row per figure of every report: a long table for pandas or R.

    PATH may be a report file, a folder, or a corpus file (CSV/TSV/JSONL, one report a row).
    """
    from .panel import PANEL_COLUMNS, panel_rows, write_table

    if output and Path(output).suffix.lower() not in (".csv", ".parquet", ".xlsx"):
        raise UsageError(f"{output}: write .csv, .parquet or .xlsx")
    _check_outputs(paths, ("-o", output))
    summaries, bad = _summaries(paths, engine, model, base_url, concurrency, replay_dir,
                                cache_dir, no_cache)  # fmt: skip
    written = write_table(panel_rows(summaries), PANEL_COLUMNS, output)
    if output is None:
        sys.stdout.write(written)
        sys.stdout.flush()
    sys.exit(1 if bad else 0)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--indicator", "indicator_ids", multiple=True,
              help="Indicator id to track (repeatable), e.g. gdp_growth; default: every indicator "
                   "some report sets a target for.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json"]), default="md",
              show_default=True)  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the result to FILE.")
@click.option("--plot", type=click.Path(dir_okay=False), help="Chart of targets and outcomes "
              "(FILE.png or FILE.svg; needs the plot extra).")  # fmt: skip
@_many_options
def track(
    paths: tuple[str, ...], indicator_ids: tuple[str, ...], fmt: str, output: str | None,
    plot: str | None, engine: str, model: str | None, base_url: str | None,
    concurrency: int | None, replay_dir: str | None, cache_dir: str | None, no_cache: bool,
) -> None:  # fmt: skip
    """Each year's target against the outcome the next year's report gives.

    PATH may be a report file, a folder, or a corpus file (CSV/TSV/JSONL, one report a row).
    """
    from . import indicators
    from .outputs import write_atomic
    from .panel import write_table
    from .track import TRACK_COLUMNS, render_markdown, to_json, track_rows, write_plot

    known = set(indicators.indicator_ids())
    unknown = [i for i in indicator_ids if i not in known]
    if unknown:
        raise UsageError(
            f"unknown indicator {unknown[0]!r}: choose from {', '.join(sorted(known))}"
        )
    if plot and Path(plot).suffix.lower() not in (".png", ".svg"):
        raise UsageError(f"--plot {plot}: write a .png or .svg file")
    _check_outputs(paths, ("-o", output), ("--plot", plot))
    summaries, bad = _summaries(paths, engine, model, base_url, concurrency, replay_dir,
                                cache_dir, no_cache)  # fmt: skip
    rows = track_rows(summaries, indicator_ids or None)
    if plot:
        for warning in write_plot(rows, plot):
            click.echo(f"summarizer: warning: {plot}: {warning}", err=True)
    if fmt == "csv":
        text = write_table(rows, TRACK_COLUMNS, None)
    elif fmt == "json":
        text = to_json(rows)
    else:
        text = render_markdown(rows, plot)
    if output:
        write_atomic(Path(output), text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    sys.exit(1 if bad else 0)
