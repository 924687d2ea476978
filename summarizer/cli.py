"""The command line: thin commands over the library functions in pipeline.py.

Exit codes: 0 success; 1 a report failed, or a claim was flagged (validate, or summarize
--strict); 2 a usage or input error. Errors are one line on stderr; --debug shows tracebacks.
Start-up imports neither openai nor instructor: the live engine is imported only when used.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import click

from .errors import InputError, SummarizerError, UsageError
from .readers.corpus import CORPUS_SUFFIXES

# What a folder is scanned for: report files, and corpus files holding one report a row.
REPORT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".text", *CORPUS_SUFFIXES}
# What -o FILE's extension says the output is.
OUTPUT_SUFFIXES = {".md": "md", ".markdown": "md", ".json": "json", ".html": "html", ".htm": "html"}


def _stderr():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _expand(paths: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for p in paths:
        if p != "-" and Path(p).is_dir():
            found = sorted(
                str(f)
                for f in Path(p).iterdir()
                if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES
            )
            if not found:
                raise InputError(
                    f"{p}: no report files (.txt, .md, .html, .docx, .pdf) "
                    "or corpus files (.csv, .tsv, .jsonl, .parquet) in this folder"
                )
            out.extend(found)
        else:
            out.append(p)
    return out


def _traceback(e: BaseException) -> None:
    """--debug: the traceback, with the key scrubbed (an endpoint may echo it in its message)."""
    import traceback

    from .secrets import scrub

    click.echo(scrub("".join(traceback.format_exception(e))).rstrip("\n"), err=True)


_DEBUG = "summarizer.debug"


def _remember_debug(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    # ctx.meta is shared by every context of one command line: the group's error handler
    # below reads what the subcommand's --debug said.
    ctx.meta[_DEBUG] = value
    return value


debug_option = click.option(
    "--debug", is_flag=True, is_eager=True, expose_value=False, callback=_remember_debug,
    help="Show tracebacks.",
)  # fmt: skip


class _Group(click.Group):
    def invoke(self, ctx: click.Context):  # one-line errors instead of tracebacks
        from .secrets import register, scrub

        # Scrub the key even before the settings are loaded (an error in the flags).
        register(os.environ.get("OPENAI_API_KEY"))
        previous = _on_sigterm_interrupt()
        try:
            return super().invoke(ctx)
        except SummarizerError as e:
            if ctx.meta.get(_DEBUG):
                _traceback(e)
            click.echo(f"summarizer: error: {scrub(str(e))}", err=True)
            ctx.exit(e.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("summarizer: interrupted", err=True)
            ctx.exit(130)
        except Exception as e:
            if ctx.meta.get(_DEBUG):
                _traceback(e)
            msg = scrub(f"{type(e).__name__}: {e}".splitlines()[0])
            click.echo(
                f"summarizer: internal error: {msg} (run with --debug for details)", err=True
            )
            ctx.exit(1)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _on_sigterm_interrupt():
    """SIGTERM interrupts like Ctrl-C, so every temp file is removed on the way out."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _interrupt)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="summarizer")
def main() -> None:
    """Summarise Chinese government work reports into checked, typed briefs."""


@main.command()
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
@click.option(
    "--engine",
    type=click.Choice(["auto", "llm", "rules"]),
    default="auto",
    show_default=True,
    help="auto: the live model when OPENAI_API_KEY or OPENAI_BASE_URL is set, else offline rules.",
)
@click.option("--model", help="Model name (env SUMMARIZER_MODEL; default gpt-4o-mini).")
@click.option("--base-url", help="OpenAI-compatible endpoint (env OPENAI_BASE_URL).")
@click.option(
    "--mode",
    type=click.Choice(["auto", "tools", "json", "md_json", "json_schema"]),
    default="auto",
    show_default=True,
    help="How structured output is requested.",
)
@click.option("--concurrency", type=int, help="Model requests in flight at once (default 4).")
@click.option("--timeout", type=float, help="Seconds per model request (default 120).")
@click.option("--chunk-chars", type=int, help="Characters of report text per chunk (default 8000).")
@click.option(
    "--record", "record_dir", type=click.Path(file_okay=False), help="Record exchanges to DIR."
)
@click.option(
    "--replay",
    "replay_dir",
    type=click.Path(file_okay=False),
    help="Answer from recordings in DIR.",
)
@click.option(
    "--cache", "cache_dir", type=click.Path(file_okay=False), help="Response cache directory."
)
@click.option("--no-cache", is_flag=True, help="Do not use the response cache.")
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
    paths,
    output,
    out_dir,
    fmt,
    detail,
    engine,
    model,
    base_url,
    mode,
    concurrency,
    timeout,
    chunk_chars,
    record_dir,
    replay_dir,
    cache_dir,
    no_cache,
    strict,
    force,
    rpm,
    prices_file,
    via,
    detach,
    dry_run,
    batch_max_lines,
    batch_max_bytes,
    poll,
    place,
    year,
    jobs,
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
    inputs = _expand(paths)
    if via == "batch" and "-" in inputs:
        raise UsageError("--via batch reads report files (a later run reads them again), not stdin")
    if output and (out_dir or len(inputs) > 1):
        raise UsageError("-o writes one report; use --out-dir DIR for several")
    if len(inputs) > 1 and not out_dir:
        raise UsageError("several reports need --out-dir DIR")
    from .outputs import output_file

    target = output_file(output, inputs)  # refused now, before any work, if it is unsafe
    console = _stderr()
    if via == "batch":
        from .cli_batch import batch_options, run_via_batch_cli

        _say_engine(console, settings, engine)
        options = batch_options(batch_max_lines, batch_max_bytes, poll, detach, dry_run)
        code = run_via_batch_cli(
            inputs, settings, Path(out_dir), fmt, force, console, options, detail
        )
        sys.exit(code)
    if out_dir:
        _say_engine(console, settings, engine)
        sys.exit(_run_batch(inputs, settings, Path(out_dir), (fmt, detail), force, console, jobs))
    # Read first, so a bad input is reported as the only line on stderr.
    from .ingest import read_report

    document = read_report(inputs[0])
    _say_engine(console, settings, engine)
    sys.exit(_summarize_one(document, settings, (fmt, detail), target, console))


def output_format(fmt: str | None, output: str | None) -> str:
    """The output format: --format, else -o FILE's extension, else Markdown; a clash is an error."""
    suffix = Path(output).suffix.lower() if output else ""
    implied = OUTPUT_SUFFIXES.get(suffix)
    if fmt and implied and fmt != implied:
        raise UsageError(f"--format {fmt} contradicts -o {output} (a {implied} file name)")
    return fmt or implied or "md"


def _say_engine(console, settings, requested: str) -> None:
    if settings.resolved_engine() == "rules":
        why = "" if requested == "rules" else " — no OPENAI_API_KEY or OPENAI_BASE_URL set"
        console.print(f"summarizer: engine rules (offline, no model){why}", markup=False)
    else:
        console.print(f"summarizer: engine llm, model {settings.model}", markup=False)


def _summarize_one(document, settings, output_as, output, console) -> int:
    """Summarise one report already read; write it to -o FILE or stdout."""
    from rich.markup import escape

    from .batch import write_atomic
    from .pipeline import summarize_file
    from .render import render

    # A report's name is data: "[/x]" in a path is not rich markup.
    with console.status(f"summarising {escape(document.name)} …"):
        outcome = summarize_file(document, settings)
    summary = outcome.summary
    fmt, detail = output_as
    text = render(summary, fmt, document.text, detail)
    if output is not None:
        write_atomic(output, text)
    else:
        from .outputs import safe_output

        sys.stdout.write(safe_output(text))
        sys.stdout.flush()
    v = summary.validation
    console.print(
        f"summarizer: {document.name}: {len(summary.achievements)} achievements, "
        f"{len(summary.problems)} problems, {len(summary.plans)} plans; "
        f"{v.verified} claims verified, {outcome.flagged_before_strict} flagged",
        markup=False,
    )
    return 1 if (settings.strict and outcome.flagged_before_strict) else 0


def _run_batch(
    inputs, settings, out_dir: Path, output_as, force: bool, console, jobs: int | None = None
) -> int:
    """Summarise many reports into out_dir with a progress display and a closing table.

    The offline engine runs the reports in `jobs` worker processes (default: one per core);
    the live engine in one process, whose event loop overlaps the requests of every report.
    """
    import asyncio

    from .batch import plan_runs, run_batch
    from .progress import BatchProgress
    from .workers import default_jobs, run_parallel

    fmt, detail = output_as
    planned = plan_runs(inputs, out_dir, fmt)  # a corpus file holds one report a row
    jobs = min(jobs or default_jobs(), sum(r.status != "failed" for r in planned))
    with BatchProgress(console, len(planned)) as progress:
        if settings.resolved_engine() == "rules" and jobs > 1:
            runs = run_parallel(
                planned,
                settings,
                out_dir,
                fmt,
                jobs,
                force=force,
                on_change=progress.update,
                detail=detail,
            )
        else:
            runs = asyncio.run(
                run_batch(
                    planned,
                    settings,
                    out_dir,
                    fmt,
                    force=force,
                    on_change=progress.update,
                    detail=detail,
                )
            )
    progress.closing_table(runs)
    failed = any(r.status == "failed" for r in runs)
    flagged = settings.strict and any(r.flagged for r in runs)
    return 1 if (failed or flagged) else 0


@main.command()
@click.argument("summary_path", metavar="SUMMARY.json")
@click.option("--source", required=True, help="The report the summary was made from.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "html"]),
    default="table",
    show_default=True,
    help="table (fits the terminal), json (the validation object), csv (one row per claim) "
    "or html (the summary's HTML brief beside the source, as re-checked).",
)
@click.option("--flagged-only", is_flag=True, help="List only the claims that failed a check.")
@debug_option
def validate(summary_path: str, source: str, fmt: str, flagged_only: bool) -> None:
    """Check every claim of a summary JSON against its source report."""
    from pydantic import ValidationError

    from .claims_view import print_table, to_csv
    from .models import ReportSummary
    from .pipeline import check_summary

    try:
        raw = Path(summary_path).read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{summary_path}: cannot read ({e.strerror})") from None
    try:
        summary = ReportSummary.model_validate_json(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InputError(f"{summary_path}: not a summary JSON ({where}: {first['msg']})") from None
    checked = check_summary(summary, source)
    v = checked.validation
    shown = [c for c in v.claims if not flagged_only or c.status != "verified"]
    if fmt == "json":
        # The counts stay those of the whole summary; --flagged-only trims the list.
        sys.stdout.write(v.model_copy(update={"claims": shown}).model_dump_json(indent=2) + "\n")
    elif fmt == "csv":
        sys.stdout.write(to_csv(shown))
    elif fmt == "html":
        from .ingest import read_report
        from .render_html import render_html

        sys.stdout.write(render_html(checked, read_report(source).text))
    else:
        print_table(v, flagged_only)
    sys.exit(0 if v.flagged == 0 else 1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the summary."""
    from .models import summary_json_schema

    sys.stdout.write(json.dumps(summary_json_schema(), ensure_ascii=False, indent=2) + "\n")


# --- many reports at once: the panel of figures and target tracking ----------------------


def _many_options(fn):
    """The engine options `panel` and `track` share with `summarize`."""
    options = [
        click.option("--engine", type=click.Choice(["auto", "llm", "rules"]), default="auto",
                     show_default=True, help="auto: the live model when configured, else rules."),
        click.option("--model", help="Model name (env SUMMARIZER_MODEL)."),
        click.option("--base-url", help="OpenAI-compatible endpoint (env OPENAI_BASE_URL)."),
        click.option("--concurrency", type=int, help="Model requests in flight at once."),
        click.option("--replay", "replay_dir", type=click.Path(file_okay=False),
                     help="Answer from recordings in DIR."),
        click.option("--cache", "cache_dir", type=click.Path(file_okay=False),
                     help="Response cache directory."),
        click.option("--no-cache", is_flag=True, help="Do not use the response cache."),
        debug_option,
    ]  # fmt: skip
    for option in reversed(options):
        fn = option(fn)
    return fn


def _summaries(paths, engine, model, base_url, concurrency, replay_dir, cache_dir, no_cache):
    """Read every report the inputs hold and summarise them; (summaries, failures)."""
    from .config import load_settings
    from .panel import read_all, summarize_many
    from .progress import BatchProgress

    settings = load_settings(engine=engine, model=model, base_url=base_url,
                             concurrency=concurrency, replay_dir=replay_dir,
                             cache_dir=cache_dir, no_cache=no_cache)  # fmt: skip
    items, failed = read_all(_expand(paths))
    console = _stderr()
    if not items:
        raise InputError(failed[0] if failed else "no reports to read")
    for reason in failed:
        console.print(f"summarizer: warning: {reason}", markup=False)
    _say_engine(console, settings, engine)
    runs = []

    def seen(run) -> None:
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


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write FILE.csv, .parquet or .xlsx (CSV to stdout without it).")  # fmt: skip
@_many_options
def panel(paths, output, engine, model, base_url, concurrency, replay_dir, cache_dir,
          no_cache) -> None:  # fmt: skip
    """One row per figure of every report: a long table for pandas or R.

    PATH may be a report file, a folder, or a corpus file (CSV/TSV/JSONL, one report a row).
    """
    from .panel import PANEL_COLUMNS, panel_rows, write_table

    if output and Path(output).suffix.lower() not in (".csv", ".parquet", ".xlsx"):
        raise UsageError(f"{output}: write .csv, .parquet or .xlsx")
    summaries, bad = _summaries(paths, engine, model, base_url, concurrency, replay_dir,
                                cache_dir, no_cache)  # fmt: skip
    written = write_table(panel_rows(summaries), PANEL_COLUMNS, output)
    if output is None:
        sys.stdout.write(written)
        sys.stdout.flush()
    sys.exit(1 if bad else 0)


@main.command()
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
def track(paths, indicator_ids, fmt, output, plot, engine, model, base_url, concurrency,
          replay_dir, cache_dir, no_cache) -> None:  # fmt: skip
    """Each year's target against the outcome the next year's report gives.

    PATH may be a report file, a folder, or a corpus file (CSV/TSV/JSONL, one report a row).
    """
    from . import indicators
    from .batch import write_atomic
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
    summaries, bad = _summaries(paths, engine, model, base_url, concurrency, replay_dir,
                                cache_dir, no_cache)  # fmt: skip
    rows = track_rows(summaries, indicator_ids or None)
    if plot:
        write_plot(rows, plot)
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
