"""The command line: thin commands over the library functions in pipeline.py.

Exit codes: 0 success; 1 a report failed, or a claim was flagged (validate, or summarize
--strict); 2 a usage or input error. Errors are one line on stderr; --debug shows tracebacks.
Start-up imports neither openai nor instructor: the live engine is imported only when used.
"""

from __future__ import annotations

import os
import signal
from typing import Any

import click

from . import COMPILED
from .cli_panel import panel, track
from .cli_shared import DEBUG, REPORT_SUFFIXES
from .cli_summarize import output_format, summarize
from .cli_validate import schema, validate
from .collector import tune
from .errors import SummarizerError

# Kept importable from here: what a folder is scanned for, and the output format of -o FILE.
__all__ = ["REPORT_SUFFIXES", "main", "output_format", "run"]


def _traceback(e: BaseException) -> None:
    """--debug: the traceback, with the key scrubbed (an endpoint may echo it in its message)."""
    import traceback

    from .secrets import scrub

    click.echo(scrub("".join(traceback.format_exception(e))).rstrip("\n"), err=True)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:  # one-line errors instead of tracebacks
        from .secrets import register, scrub

        # Scrub the key even before the settings are loaded (an error in the flags).
        register(os.environ.get("OPENAI_API_KEY"))
        previous = _on_sigterm_interrupt()
        try:
            return super().invoke(ctx)
        except SummarizerError as e:
            if ctx.meta.get(DEBUG):
                _traceback(e)
            click.echo(f"summarizer: error: {scrub(str(e))}", err=True)
            ctx.exit(e.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("summarizer: interrupted", err=True)
            ctx.exit(130)
        except Exception as e:
            if ctx.meta.get(DEBUG):
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


def _on_sigterm_interrupt() -> Any:
    """SIGTERM interrupts like Ctrl-C, so every temp file is removed on the way out."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _interrupt)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    package_name="summarizer",
    # Which build runs: the compiled hot modules (setup.py) or every module from its source.
    message="%(prog)s %(version)s (" + ("compiled" if COMPILED else "pure Python") + ")",
)
def main() -> None:
    """Summarise Chinese government work reports into checked, typed briefs."""
    tune()  # the `summarizer` script's entry (python -m summarizer has set it already)


for command in (summarize, validate, schema, panel, track):
    main.add_command(command)


def run() -> None:
    """The `summarizer` script (and `python -m summarizer`): the command, then a quick exit.

    The interpreter's teardown frees every object and module one by one, for memory the
    process gives back anyway: ~15 ms, an eighth of a small report's whole run (bench/). Once
    the command is over, its exit handlers run (recache saves its patterns there), its output
    is flushed, and the process ends, as mypy's does. A message for SystemExit to print, or a
    thread still running (none in this tool; a library's might), gets the usual exit.
    """
    import atexit
    import sys
    import threading

    code: str | int | None = 0
    try:
        main()
    except SystemExit as e:
        code = e.code
    if not (code is None or isinstance(code, int)) or threading.active_count() > 1:
        sys.exit(code)  # a message to print, or a thread to wait for: the usual exit
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (`| head`): as the interpreter's own exit
        code = 120
    os._exit(code or 0)
