"""Clause and sentence boundaries of the clean text, and the lead sentence of an item."""

from __future__ import annotations

import bisect
import re
from array import array

from ...chunking import split_sentences
from ...figures import FigureTable
from ...offsets import OFFSET_TYPECODE

# A clause ends at Chinese punctuation; "," and ":" only when not between digits (1,820).
# Written to open with one character set, which the regex engine scans for in C.
_CLAUSE_CUT = re.compile(r"[，。；：！？;!?\n,:](?:(?<![0-9][,:])|(?![0-9]))")
_SCOPE_CUT = re.compile(r"[。！？!?\n]")  # a period or 预计 governs its sentence across ；
_LEAD_MAX, _AREA_MAX, _NAME_MAX = 100, 24, 24
# A clause longer than this (lines with no punctuation, joined by cleaning) is cut to this
# window around the figure: each figure's quote is checked by reading all its figures, so an
# unbounded clause made the checks quadratic (issue 14: 5,000 such lines, 74 s).
_CLAUSE_MAX = 300


class _Text:
    """The clean text with its clause and sentence boundaries, for O(log n) look-ups."""

    def __init__(self, text: str, figures: FigureTable | None = None) -> None:
        self.text = text
        # Its numbers and periods, parsed once; a clause's figures are read from this table.
        self.figures = figures if figures is not None else FigureTable(text)
        # C arrays, not lists of int objects: a tenth of the memory on a long report.
        self._cuts = tuple(
            array(OFFSET_TYPECODE, [m.start() for m in rx.finditer(text)])
            for rx in (_CLAUSE_CUT, _SCOPE_CUT)
        )

    def _around(self, which: int, pos: int) -> tuple[int, int]:
        cuts = self._cuts[which]
        i = bisect.bisect_right(cuts, pos)
        return (cuts[i - 1] + 1 if i else 0), (cuts[i] if i < len(cuts) else len(self.text))

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause around `pos` (at most _CLAUSE_MAX characters of it)."""
        a, b = self._around(0, pos)
        if b - a > _CLAUSE_MAX:
            a = max(a, pos - _CLAUSE_MAX // 2)
            b = min(b, a + _CLAUSE_MAX)
        return a, b

    def scope(self, pos: int) -> int:
        """Where the sentence around `pos` starts (； does not end it)."""
        return self._around(1, pos)[0]


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in "，,、；;：—"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in "，,、；;：:。"):
        b -= 1
    return a, b


def _lead(text: str, a: int, b: int) -> tuple[int, int]:
    """The first sentence of text[a:b], cut back to a clause boundary when it is long."""
    sents = split_sentences(text, a, min(b, a + 2 * _LEAD_MAX))
    s, e = sents[0] if sents else (a, a)
    if e - s > _LEAD_MAX:
        cuts = [m.start() for m in re.finditer(r"[，；,;]", text[s : s + _LEAD_MAX])]
        e = s + cuts[-1] if cuts else s
    return _strip_span(text, s, e)


def _area(label: str) -> str:
    label = label.strip("。.：:— ")
    return label if len(label) <= _AREA_MAX else re.split(r"[，,；;]", label)[0][:_AREA_MAX]
