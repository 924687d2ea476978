"""The validation report for people and spreadsheets: a table that reads at 80 columns, and CSV.

Chinese text has no spaces, so a terminal table would wrap a cell anywhere, splitting 156.78亿元
across two lines. Cells are therefore wrapped here, at the edges of words, figures and CJK
characters (a figure, with its unit and qualifier, is never split), before the table sees them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import recache
from .numbers import find_numbers
from .records import Claim, Validation
from .units import value_text

# An ASCII run (a JSON path breaks after each dot), or one other character; closing
# punctuation stays with what it closes.
_UNIT = recache.compile(
    r"[\x21-\x7e]+?(?:\.|(?=[^\x21-\x7e])|$)|\s+|.[，。、；：）」』”！？%]*", re.S
)
_GAP = 2  # cells between columns
MIN_TEXT = 12  # narrowest a wrapped column gets (the longest figure fits)


def units(text: str, figures: bool = True) -> Iterator[str]:
    """The pieces a cell may break between: whole figures, ASCII words, single characters."""
    pos = 0
    for n in find_numbers(text) if figures else ():
        yield from _UNIT.findall(text[pos : n.start])
        end = n.end
        while end < len(text) and text[end] in "，。、；：）%":  # punctuation after a figure
            end += 1
        yield text[n.start : end]
        pos = end
    yield from _UNIT.findall(text[pos:])


def wrap(text: str, width: int, figures: bool = True) -> list[str]:
    """Lines of at most `width` cells, broken only between units (a longer unit is cut)."""
    lines, line = [], ""
    for u in units(" ".join(text.split()), figures):
        if cell_len(line + u) <= width:
            line += u
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = u.lstrip()
        while cell_len(line) > width:  # a unit wider than the column: cut it, nothing else fits
            cut = width
            while cell_len(line[:cut]) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _status(c: Claim) -> str:
    return "✓" if c.status == "verified" else f"⚠ {c.status}"


def table(validation: Validation, claims: Iterable[Claim], width: int) -> Table:
    """The claims as a rich Table whose lines fit `width` cells."""
    rows = list(claims)
    status_w = max([cell_len("核对"), *(cell_len(_status(c)) for c in rows)])
    where_w = min(17, max([5, *(len(c.where) for c in rows)]))  # "achievements[12]." fits
    rest = max(2 * MIN_TEXT, width - status_w - where_w - 3 * _GAP)
    claim_w = max(MIN_TEXT, rest * 2 // 5)
    detail_w = max(MIN_TEXT, rest - claim_w)
    t = Table(
        title=f"{validation.verified} verified, {validation.flagged} flagged",
        box=None,
        padding=(0, _GAP // 2),
        pad_edge=False,
        show_edge=False,
        header_style="bold",
    )
    for name, w in (
        ("核对", status_w),
        ("where", where_w),
        ("claim", claim_w),
        ("detail", detail_w),
    ):
        t.add_column(name, width=w, no_wrap=True, overflow="crop")
    for c in rows:
        style = "green" if c.status == "verified" else "bold red"
        t.add_row(
            Text(_status(c), style=style),
            "\n".join(wrap(c.where, where_w, figures=False)),  # a path, not prose
            "\n".join(wrap(c.text, claim_w)),
            "\n".join(wrap(c.detail, detail_w)),
        )
    return t


def print_table(validation: Validation, flagged_only: bool = False) -> None:
    """Print the claims (or only the flagged ones) as a table fitting the terminal."""
    console = Console(highlight=False)
    claims = [c for c in validation.claims if not flagged_only or c.status != "verified"]
    console.print(table(validation, claims, console.width))


def to_csv(claims: Iterable[Claim]) -> str:
    """One row per claim; span_start/span_end locate it in the source text (empty if not found)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["where", "status", "text", "value", "unit", "detail", "span_start", "span_end"])
    for c in claims:
        a, b = c.span if c.span is not None else ("", "")
        w.writerow([c.where, c.status, c.text, value_text(c.value), c.unit or "", c.detail, a, b])
    return out.getvalue()
