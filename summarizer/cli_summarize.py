"""`summarizer summarize`: one report to stdout or -o FILE, many into --out-dir (a batch of
threads, worker processes, or the provider's Batch API through cli_batch)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .cli_shared import (
    OUTPUT_SUFFIXES,
    Messages,
    PlainMessages,
    debug_option,
    engine_options,
    expand,
    message_console,
    say_engine,
    stderr_console,
)
from .errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from .batch import ReportRun
    from .config import Settings
    from .ingest import Document
    from .progress import BatchProgress


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the result to FILE.")
@click.option(
    "--out-dir", type=click.Path(file_okay=False), help="Write one result per report here."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json", "html"]),
    help="md (default), json, or html (the brief beside the report text); -o FILE's "
    "extension (.md, .json, .html) sets it too.",
)
@click.option(
    "--detail",
    type=click.Choice(["page", "full"]),
    default="page",
    show_default=True,
    help="Markdown brief: one page, or every item.",
)
@engine_options
@click.option(
    "--mode",
    type=click.Choice(["auto", "tools", "json", "md_json", "json_schema"]),
    default="auto",
    show_default=True,
    help="How structured output is requested.",
)
@click.option("--timeout", type=float, help="Seconds per model request (default 120).")
@click.option("--chunk-chars", type=int, help="Characters of report text per chunk (default 8000).")
@click.option(
    "--record", "record_dir", type=click.Path(file_okay=False), help="Record exchanges to DIR."
)
@click.option("--strict", is_flag=True, help="Drop flagged claims and exit 1 if there were any.")
@click.option("--force", is_flag=True, help="Redo reports whose outputs are up to date.")
@click.option("--rpm", type=float, help="Cap on model requests per minute.")
@click.option(
    "--prices",
    "prices_file",
    type=click.Path(dir_okay=False),
    help="JSON price table (env SUMMARIZER_PRICES).",
)
@click.option(
    "--via",
    type=click.Choice(["live", "batch"]),
    default="live",
    show_default=True,
    help="batch: send the requests through the provider's Batch API (half price, within 24 h).",
)
@click.option("--detach", is_flag=True, help="--via batch: submit, then exit; collect later.")
@click.option(
    "--dry-run", is_flag=True, help="--via batch: print the requests and their cost; send nothing."
)
@click.option("--batch-max-lines", type=int, help="--via batch: lines per input file (max 50000).")
@click.option(
    "--batch-max-bytes", type=int, help="--via batch: bytes per input file (max 200000000)."
)
@click.option("--poll", type=float, help="--via batch: seconds between status checks (default 60).")
@click.option("--place", help="The issuing place (e.g. 南京市), whatever the report says.")
@click.option("--year", type=int, help="The plan year (a 2024 report plans 2024).")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes for a batch with the offline engine (default: one per core).",
)
@debug_option
def summarize(
    paths: tuple[str, ...],
    output: str | None,
    out_dir: str | None,
    fmt: str | None,
    detail: str,
    engine: str,
    model: str | None,
    base_url: str | None,
    mode: str,
    concurrency: int | None,
    timeout: float | None,
    chunk_chars: int | None,
    record_dir: str | None,
    replay_dir: str | None,
    cache_dir: str | None,
    no_cache: bool,
    strict: bool,
    force: bool,
    rpm: float | None,
    prices_file: str | None,
    via: str,
    detach: bool,
    dry_run: bool,
    batch_max_lines: int | None,
    batch_max_bytes: int | None,
    poll: float | None,
    place: str | None,
    year: int | None,
    jobs: int | None,
) -> None:
    """Summarise report files (PATH may be a file, a folder, or - for stdin)."""
    from .config import load_settings

    fmt = output_format(fmt, output)

    batch_flags = {
        "--detach": detach,
        "--dry-run": dry_run,
        "--batch-max-lines": batch_max_lines is not None,
        "--batch-max-bytes": batch_max_bytes is not None,
        "--poll": poll is not None,
    }
    if via == "batch":
        from .cli_batch import batch_engine

        engine = batch_engine(engine, out_dir, record_dir, replay_dir)
    elif any(batch_flags.values()):
        given = next(flag for flag, on in batch_flags.items() if on)
        raise UsageError(f"{given} belongs to --via batch")
    settings = load_settings(
        record_dir=record_dir,
        replay_dir=replay_dir,
        cache_dir=cache_dir,
        no_cache=no_cache,
        engine=engine,
        model=model,
        base_url=base_url,
        mode=mode,
        concurrency=concurrency,
        timeout=timeout,
        chunk_chars=chunk_chars,
        strict=strict,
        rpm=rpm,
        prices_file=prices_file,
        place=place,
        year=year,
    )
    inputs = expand(paths)
    if via == "batch" and "-" in inputs:
        raise UsageError("--via batch reads report files (a later run reads them again), not stdin")
    if output and (out_dir or len(inputs) > 1):
        raise UsageError("-o writes one report; use --out-dir DIR for several")
    if len(inputs) > 1 and not out_dir:
        raise UsageError("several reports need --out-dir DIR")
    from .outputs import output_file

    target = output_file(output, inputs)  # refused now, before any work, if it is unsafe
    if via == "batch":
        from .cli_batch import batch_options, run_via_batch_cli

        assert out_dir is not None  # batch_engine refused a run without one
        console = stderr_console()
        say_engine(console, settings, engine)
        options = batch_options(
            batch_max_lines, batch_max_bytes, poll, detach, dry_run, (fmt, detail, force)
        )
        code = run_via_batch_cli(inputs, settings, Path(out_dir), console, options)
        sys.exit(code)
    if out_dir:
        console = stderr_console()
        say_engine(console, settings, engine)
        sys.exit(_run_batch(inputs, settings, Path(out_dir), (fmt, detail), force, console, jobs))
    # Read first, so a bad input is reported as the only line on stderr.
    from .ingest import read_report

    document = read_report(inputs[0])
    messages = message_console()
    say_engine(messages, settings, engine)
    sys.exit(_summarize_one(document, settings, (fmt, detail), target, messages))


def output_format(fmt: str | None, output: str | None) -> str:
    """The output format: --format, else -o FILE's extension, else Markdown; a clash is an error."""
    suffix = Path(output).suffix.lower() if output else ""
    implied = OUTPUT_SUFFIXES.get(suffix)
    if fmt and implied and fmt != implied:
        raise UsageError(f"--format {fmt} contradicts -o {output} (a {implied} file name)")
    return fmt or implied or "md"


def _summarize_one(
    document: Document,
    settings: Settings,
    output_as: tuple[str, str],
    output: Path | None,
    console: Messages,
) -> int:
    """Summarise one report already read; write it to -o FILE or stdout."""
    from .formats import render_file
    from .outputs import write_atomic
    from .pipeline import summarize_file

    with console.status(_status_line(document.name, console)):
        outcome = summarize_file(document, settings)
    summary = outcome.summary
    fmt, detail = output_as
    text = render_file(summary, fmt, document.text, detail)
    if output is not None:
        write_atomic(output, text)
    else:
        from .outputs import safe_output

        # stdout encodes for its own locale, so it is handed text
        sys.stdout.write(safe_output(text.decode("utf-8") if isinstance(text, bytes) else text))
        sys.stdout.flush()
    v = summary.validation
    console.print(
        f"summarizer: {document.name}: {len(summary.achievements)} achievements, "
        f"{len(summary.problems)} problems, {len(summary.plans)} plans; "
        f"{v.verified} claims verified, {outcome.flagged_before_strict} flagged",
        markup=False,
    )
    return 1 if (settings.strict and outcome.flagged_before_strict) else 0


def _status_line(name: str, console: Messages) -> str:
    if isinstance(console, PlainMessages):
        return ""  # no spinner is shown
    from rich.markup import escape

    # A report's name is data: "[/x]" in a path is not rich markup.
    return f"summarising {escape(name)} …"


def _one_process(
    planned: list[ReportRun],
    settings: Settings,
    out_dir: Path,
    output_as: tuple[str, str],
    force: bool,
    progress: BatchProgress,
) -> list[ReportRun]:
    """The batch in this process: the live engine (its event loop overlaps every report's
    requests), or the offline engine on one core."""
    import asyncio

    from .batch import run_batch

    fmt, detail = output_as
    return asyncio.run(
        run_batch(
            planned, settings, out_dir, fmt, force=force, on_change=progress.update, detail=detail
        )
    )


def _run_batch(
    inputs: list[str],
    settings: Settings,
    out_dir: Path,
    output_as: tuple[str, str],
    force: bool,
    console: Console,
    jobs: int | None = None,
) -> int:
    """Summarise many reports into out_dir with a progress display and a closing table.

    The offline engine runs the reports in `jobs` worker processes (default: one per core);
    the live engine in one process, whose event loop overlaps the requests of every report.
    """
    from .batch import plan_runs
    from .ingest import may_hold_many
    from .progress import BatchProgress
    from .workers import Workers, default_jobs, max_jobs

    if jobs is not None and jobs > max_jobs():
        raise UsageError(f"--jobs {jobs}: at most {max_jobs()} worker processes (four per core)")
    fmt, detail = output_as
    jobs = jobs or default_jobs()
    # The offline engine's workers start before the batch is planned (reading a corpus file's
    # rows), so the two overlap: as many as there may be reports, up to `jobs`. Files are
    # sniffed for rows (as planning does again) only when they are fewer than `jobs`.
    may_be = len(inputs)
    if may_be < jobs and any(p == "-" or may_hold_many(p) for p in inputs):
        may_be = jobs
    workers = None
    if settings.resolved_engine() == "rules" and min(jobs, may_be) > 1:
        workers = Workers(settings, out_dir, fmt, min(jobs, may_be), force, detail)
    try:
        planned = plan_runs(inputs, out_dir, fmt)  # a corpus file holds one report a row
        if workers is not None and sum(r.status != "failed" for r in planned) < 2:
            workers.close()  # one report after all: one process, as below
            workers = None
        with BatchProgress(console, len(planned)) as progress:
            if workers is not None:
                runs = workers.run(planned, progress.update)
            else:
                runs = _one_process(planned, settings, out_dir, output_as, force, progress)
    finally:
        if workers is not None:
            workers.close()
    progress.closing_table(runs)
    failed = any(r.status == "failed" for r in runs)
    flagged = settings.strict and any(r.flagged for r in runs)
    return 1 if (failed or flagged) else 0
