"""What the command modules share: input expansion, the stderr console, the engine line,
the --debug flag and the suffixes of reports and outputs."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import click

from .errors import InputError
from .readers.corpus import CORPUS_SUFFIXES

if TYPE_CHECKING:
    from rich.console import Console

    from .config import Settings

# What a folder is scanned for: report files, and corpus files holding one report a row.
REPORT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".text", *CORPUS_SUFFIXES}
# What -o FILE's extension says the output is.
OUTPUT_SUFFIXES = {".md": "md", ".markdown": "md", ".json": "json", ".html": "html", ".htm": "html"}


def stderr_console() -> Console:
    """The console for messages and progress (stdout carries the results)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


class Messages(Protocol):
    """What a one-report run writes to stderr: lines, and a spinner while it works."""

    def print(self, text: str, *, markup: bool = ...) -> None: ...

    def status(self, status: str) -> AbstractContextManager[Any]: ...


# The control characters rich drops from printed text (a name is data, not terminal commands).
_CONTROL = dict.fromkeys([7, 8, 11, 12, 13])


class PlainMessages:
    """stderr lines as rich prints them when stderr is no terminal (no colour, no spinner,
    no wrapping), without importing rich: a one-report run is mostly start-up."""

    def print(self, text: str, *, markup: bool = False) -> None:
        # markup is accepted for Console's signature; lines are printed as given
        if sys.stderr is None:  # no stderr at all (pythonw, a closed descriptor): as rich does
            return
        sys.stderr.write(text.translate(_CONTROL) + "\n")
        sys.stderr.flush()

    def status(self, status: str) -> AbstractContextManager[Any]:
        return nullcontext()


def message_console() -> Messages:
    """The console for a one-report run: rich (its spinner) on a terminal, else plain lines."""
    if sys.stderr is not None and sys.stderr.isatty():
        return stderr_console()
    return PlainMessages()


def expand(paths: tuple[str, ...]) -> list[str]:
    """The report and corpus files the PATH arguments name (a folder's, sorted)."""
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


def say_engine(console: Messages, settings: Settings, requested: str) -> None:
    """Which engine runs, and why the offline one when it was not asked for."""
    if settings.resolved_engine() == "rules":
        why = "" if requested == "rules" else " — no OPENAI_API_KEY or OPENAI_BASE_URL set"
        console.print(f"summarizer: engine rules (offline, no model){why}", markup=False)
    else:
        console.print(f"summarizer: engine llm, model {settings.model}", markup=False)


DEBUG = "summarizer.debug"


def _remember_debug(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    # ctx.meta is shared by every context of one command line: the group's error handler
    # below reads what the subcommand's --debug said.
    ctx.meta[DEBUG] = value
    return value


debug_option = click.option(
    "--debug", is_flag=True, is_eager=True, expose_value=False, callback=_remember_debug,
    help="Show tracebacks.",
)  # fmt: skip

# The options every command that summarises shares (summarize, panel, track): written once.
engine_option = click.option(
    "--engine", type=click.Choice(["auto", "llm", "rules"]), default="auto", show_default=True,
    help="auto: the live model when OPENAI_API_KEY or OPENAI_BASE_URL is set, else offline rules.",
)  # fmt: skip
model_option = click.option(
    "--model", help="Model name (env SUMMARIZER_MODEL; default gpt-4o-mini)."
)
base_url_option = click.option(
    "--base-url", help="OpenAI-compatible endpoint (env OPENAI_BASE_URL)."
)
concurrency_option = click.option(
    "--concurrency", type=int, help="Model requests in flight at once (default 4)."
)
replay_option = click.option(
    "--replay", "replay_dir", type=click.Path(file_okay=False),
    help="Answer from recordings in DIR.",
)  # fmt: skip
cache_option = click.option(
    "--cache", "cache_dir", type=click.Path(file_okay=False), help="Response cache directory."
)
no_cache_option = click.option("--no-cache", is_flag=True, help="Do not use the response cache.")


def engine_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The engine options summarize, panel and track share, in the order --help lists them."""
    for option in reversed(
        [engine_option, model_option, base_url_option, concurrency_option, replay_option,
         cache_option, no_cache_option]
    ):  # fmt: skip
        fn = option(fn)
    return fn
