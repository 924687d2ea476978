"""`summarizer validate` (a summary JSON checked against its report) and `summarizer schema`."""

from __future__ import annotations

import sys

import click

from .cli_shared import debug_option
from .errors import InputError
from .regular import read_regular_text

MAX_SUMMARY = 256 * 1024 * 1024  # bytes; a summary is a fraction of its report (at most 256 MB)


@click.command()
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
    from .models import read_summary
    from .pipeline import check_summary
    from .records import json_bytes, replace

    try:
        # Only a regular file, read to a limit: a FIFO would block, /dev/zero never end.
        raw = read_regular_text(summary_path, MAX_SUMMARY)
    except OSError as e:
        raise InputError(f"{summary_path}: cannot read ({e.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{summary_path}: not a summary JSON (not UTF-8 text)") from None
    try:
        summary = read_summary(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InputError(f"{summary_path}: not a summary JSON ({where}: {first['msg']})") from None
    checked = check_summary(summary, source)
    v = checked.validation
    shown = [c for c in v.claims if not flagged_only or c.status != "verified"]
    if fmt == "json":
        # The counts stay those of the whole summary; --flagged-only trims the list.
        sys.stdout.write(json_bytes(replace(v, claims=shown)).decode())
    elif fmt == "csv":
        sys.stdout.write(to_csv(shown))
    elif fmt == "html":
        from .ingest import read_report
        from .render_html import render_html

        sys.stdout.write(render_html(checked, read_report(source).text))
    else:
        print_table(v, flagged_only)
    sys.exit(0 if v.flagged == 0 else 1)


@click.command()
def schema() -> None:
    """Print the JSON Schema of the summary."""
    import json

    from .models import summary_json_schema

    sys.stdout.write(json.dumps(summary_json_schema(), ensure_ascii=False, indent=2) + "\n")
