"""Page numbers and the layout of PDF text flattened into very long lines.

PDF text reaches the tool in two shapes. Hard-wrapped, one printed line per line, with page
numbers on lines of their own (`PAGE_LINE_RE`); `clean` rejoins those lines. Or flattened:
the whole report (or a page) as one line, its footers (`— 3 —`, `- 12 -`, `第 3 页 共 20 页`)
inside sentences, words and numbers (letters spaced out are `inline`'s). `flat_layout` finds,
in such a line, the footers to delete and the paragraph breaks the flattening left evidence
of: full-width indentation, or a sentence end followed by a numbered heading (`一、` `（二）`).
Offsets are relative to the line; nothing here builds text.
"""

from __future__ import annotations

from typing import NamedTuple

from . import recache
from .lazyre import lazy
from .lexicon import CN_DIGITS, SENTENCE_END

__all__ = [
    "FLAT_LINE_CHARS",
    "INDENT_CHARS",
    "PAGE_LINE_RE",
    "Break",
    "Segment",
    "flat_layout",
    "footer_spans",
    "is_indent",
    "segments",
]

_DASH = "—–－~～-"  # "-" last: it stays literal inside a character class
# A page number alone on a line (after stripping): "- 6 -", "第6页 共20页", "12/30", "— 23".
PAGE_LINE_RE = recache.compile(
    rf"(?:\d{{1,3}}|[{_DASH}]\s*\d{{1,4}}\s*[{_DASH}]|第\s*\d{{1,4}}\s*页(?:\s*[,，/]?\s*共\s*\d{{1,4}}\s*页)?"
    rf"|\d{{1,4}}\s*/\s*\d{{1,4}}|[{_DASH}]\s*[ivxlcIVXLC]{{1,6}}\s*[{_DASH}]"
    # half a footer, the other dash lost at the end of the text ("— 23")
    rf"|[—–－]\s*\d{{1,4}})"
)
_WS = " \t\xa0\u3000\u2002\u2003"
INDENT_CHARS = _WS
# A footer inside a line: a number between two dashes set off by spaces ("— 3 —"), or between
# two long dashes ("M1—5—02", a footer inside a number); a dash, a space and a number ending a
# line (the last footer, half lost: "新局面！— 23", while "50—100" is a range); or a number
# between two hyphens that no Latin letter or digit touches (2026-02-09 is a date, G-3-X a
# name). The whitespace around a footer came with it and goes with it.
_FOOTER_RE = recache.compile(
    rf"[{_DASH}][{_WS}]+\d{{1,3}}[{_WS}]+[{_DASH}]"
    rf"|[—–－]\d{{1,3}}[—–－]|[—–－][{_WS}]+\d{{1,3}}$"
    rf"|[-~～](?<![0-9A-Za-z{_DASH}].)\d{{1,3}}[-~～](?![0-9A-Za-z{_DASH}])"
    rf"|第[{_WS}]*\d{{1,3}}[{_WS}]*页[{_WS}]*[,，/]?[{_WS}]*共[{_WS}]*\d{{1,3}}[{_WS}]*页"
    rf"|第[{_WS}]+\d{{1,3}}[{_WS}]+页|Page[{_WS}]+\d{{1,3}}(?:[{_WS}]+of[{_WS}]+\d{{1,3}})?"
)
# "[dash][ws]*\d|页|Page", written to open with one character class: a line is skipped to its
# candidates in C (an alternation would be tried at every position of every line).
_FOOTER_HINT_RE = recache.compile(rf"[页P{_DASH}](?:(?<=[{_DASH}])[{_WS}]*\d|(?<=页)|(?<=P)age)")
# Paragraph-break evidence in a flattened line: a run of whitespace holding full-width
# indentation or a tab (`is_indent`), or a sentence end before a numbered heading
# ("一、二、三产业" is a list, not heading 一; "五一、端午" a holiday; "。(2)" mostly continues
# a list inside its paragraph) or before a run of spaces.
_INDENT_RE = lazy(rf"[\u3000\t][{_WS}]*")
_END = SENTENCE_END
# An outline number as written: 一 … 九, 十, 十一 … 九十九 (not 五一, the holiday).
_ONE_NINE = CN_DIGITS[:9]
_CN_NUMBER = rf"(?:[{_ONE_NINE[1:]}]?十[{_ONE_NINE}]?|[{_ONE_NINE}])"
_HEADING_AHEAD = (
    rf"(?:{_CN_NUMBER}、(?![{CN_DIGITS}]{{1,3}}、)|[（(]{_CN_NUMBER}[）)]"
    rf"|第{_CN_NUMBER}(?:部分|章|篇)|\d{{1,2}}[、．.](?![\d.．]))"
)
_HEADING_AHEAD_RE = lazy(_HEADING_AHEAD)
_ENDED_HEADING_RE = lazy(rf"[{_END}][”’」』）)]*([{_WS}]*)(?={_HEADING_AHEAD})")
_ENDED_SPACES_RE = lazy(rf"[{_END}][”’」』）)]*([{_WS}]{{2,}})")
# Lines at least this long are flattened text (no paragraph of the corpus reaches 1,400).
FLAT_LINE_CHARS = 1500


class Break(NamedTuple):
    """A paragraph break in a line: the paragraph ends at `end`, the next starts at `start`."""

    end: int
    start: int
    at: int  # where the break maps in the line: a whitespace character, or the sentence end


def footer_spans(line: str) -> list[tuple[int, int]]:
    """Page footers inside a line, with the whitespace around them."""
    spans: list[tuple[int, int]] = []
    if _FOOTER_HINT_RE.search(line) is None:  # a quick pass first: most lines have none
        return spans
    for m in _FOOTER_RE.finditer(line):
        a, b = m.span()
        while a > 0 and line[a - 1] in _WS:
            a -= 1
        while b < len(line) and line[b] in _WS:
            b += 1
        spans.append((a, b))
    return spans


def flat_layout(line: str) -> tuple[list[tuple[int, int]], list[Break]]:
    """(footers to delete, paragraph breaks) of one flattened line, in line offsets."""
    footers = footer_spans(line)
    candidates: dict[int, Break] = {}
    for m in _INDENT_RE.finditer(line):
        a, b = m.span()
        while a > 0 and line[a - 1] in _WS:  # the run began before its first U+3000
            a -= 1
        if is_indent(line[a:b]) and a not in candidates:
            candidates[a] = Break(a, b, a)
    for m in _ENDED_SPACES_RE.finditer(line):
        a, b = m.span(1)
        candidates.setdefault(a, Break(a, b, a))
    for m in _ENDED_HEADING_RE.finditer(line):
        a, b = m.span(1)
        candidates.setdefault(a, Break(a, b, a) if b > a else Break(a, a, a - 1))
    breaks: list[Break] = []
    kept: list[tuple[int, int]] = []
    fi = 0
    for pos in sorted(candidates):
        brk = candidates[pos]
        while fi < len(footers) and footers[fi][1] < brk.end:
            kept.append(footers[fi])
            fi += 1
        if fi < len(footers) and footers[fi][0] <= brk.end <= footers[fi][1]:
            # The break sits in a footer's whitespace: the footer goes with the break.
            fa, fb = footers[fi]
            fi += 1
            brk = Break(min(fa, brk.end), max(fb, brk.start), brk.at)
        if breaks and brk.end < breaks[-1].start:
            continue
        breaks.append(brk)
    kept.extend(footers[fi:])
    # A footer between a sentence end and a heading is a break too ("。 — 3 — 二、").
    deleted: list[tuple[int, int]] = []
    for fa, fb in kept:
        before = line[max(0, fa - 4) : fa].rstrip("”’」』）)")
        if before.endswith(tuple(_END)) and _HEADING_AHEAD_RE.match(line, fb):
            breaks.append(Break(fa, fb, _first_space(line, fa, fb, fa - 1)))
        else:
            deleted.append((fa, fb))
    breaks.sort()
    return deleted, breaks


def is_indent(whitespace: str, spaces_count: bool = True) -> bool:
    """Whitespace that stands for a lost paragraph start: a tab (report collections flatten
    line breaks into tabs), two full-width spaces or one among others, or at least two spaces
    (not the one space a flattening put between lines).

    The TSV corpus reader passes spaces_count=False: its flattened text keeps runs of plain and
    no-break spaces inside paragraphs and tables of contents, so there only a tab or an
    ideographic space marks a paragraph."""
    if "\t" in whitespace or whitespace.count("\u3000") >= 2:
        return True
    if not spaces_count:
        return "\u3000" in whitespace and len(whitespace) > 1
    return len(whitespace) >= 2


def _first_space(line: str, a: int, b: int, default: int) -> int:
    for k in range(a, b):
        if line[k] in _WS:
            return k
    return default


class Segment(NamedTuple):
    """A paragraph (or all) of one source line, in line offsets."""

    start: int
    end: int
    holes: list[tuple[int, int]]  # footers inside, in offsets of the segment
    at: int | None  # where the paragraph break after it maps, if one was found in the line
    indented: bool  # the whitespace before it is an indent


def segments(line: str, flat: bool) -> list[Segment]:
    """The paragraphs of one line: the line itself with its footers, unless it is `flat`
    (flattened PDF text), where the breaks `flat_layout` finds divide it."""
    if not flat:  # (indents matter only between the lines of flattened text)
        return [Segment(0, len(line), footer_spans(line), None, False)]
    lead = line[: len(line) - len(line.lstrip(INDENT_CHARS))]
    footers, breaks = flat_layout(line)
    out: list[Segment] = []
    pos = fi = 0
    for brk in [*breaks, Break(len(line), len(line), -1)]:
        inside: list[tuple[int, int]] = []
        while fi < len(footers) and footers[fi][1] <= brk.end:  # footers never cross a break
            inside.append((footers[fi][0] - pos, footers[fi][1] - pos))
            fi += 1
        at = brk.at if brk.at >= 0 else None
        out.append(Segment(pos, brk.end, inside, at, is_indent(lead)))
        lead = line[brk.end : brk.start]
        pos = brk.start
    return out
