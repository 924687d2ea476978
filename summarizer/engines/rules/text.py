"""Clause and sentence boundaries of the clean text, and the lead sentence of an item."""

from __future__ import annotations

import bisect
import re
from array import array

from ... import recache
from ...chunking import split_sentences
from ...figures import FigureTable
from ...offsets import OFFSET_TYPECODE, match_starts

# A clause ends at Chinese punctuation; "," and ":" only when not between digits (1,820).
# Written to open with one character set, which the regex engine scans for in C.
_CLAUSE_CUT = recache.compile(r"[，。；：！？;!?\n,:](?:(?<![0-9][,:])|(?![0-9]))")
_ESTIMATE = recache.compile(r"预计")  # looked up by offset: a sentence may be a whole long report
_LEAD_MAX, _AREA_MAX, _NAME_MAX = 100, 24, 24
# A clause longer than this (lines with no punctuation, joined by cleaning) is read in pieces of
# at most this length: each figure's quote is checked by reading all its figures, so an
# unbounded clause made the checks quadratic (issue 14: 5,000 such lines, 74 s). The pieces are
# the same for every figure of the clause (each ends where a figure ends), so the figures of a
# piece are read from the report's table once, not once per figure. No clause of the corpus is
# this long.
_CLAUSE_MAX = 300


class _Text:
    """The clean text with its clause, sentence and line boundaries, for O(log n) look-ups."""

    def __init__(self, text: str, figures: FigureTable | None = None) -> None:
        self.text = text
        # Its numbers and periods, parsed once; a clause's figures are read from this table.
        self.figures = figures if figures is not None else FigureTable(text)
        # C arrays, not lists of int objects: a tenth of the memory on a long report.
        # The sentence and line ends from the report's table, which validation reads them from.
        f = self.figures
        self._clauses = match_starts(_CLAUSE_CUT, text)
        self._sentences = f.sentence_cuts()
        self._lines = f.line_cuts()
        self._estimates = match_starts(_ESTIMATE, text)
        self._pieces: dict[int, array[int]] = {}  # a long clause's start -> its pieces' starts

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause around `pos` (its piece of at most _CLAUSE_MAX characters if longer)."""
        cuts = self._clauses
        i = bisect.bisect_right(cuts, pos)
        a = cuts[i - 1] + 1 if i else 0
        b = cuts[i] if i < len(cuts) else len(self.text)
        if b - a <= _CLAUSE_MAX:
            return a, b
        starts = self._pieces.get(a)
        if starts is None:
            starts = self._pieces[a] = self._cut_long(a, b)
        i = bisect.bisect_right(starts, pos)
        return starts[i - 1], (starts[i] if i < len(starts) else b)

    def _cut_long(self, a: int, b: int) -> array[int]:
        """Where the pieces of the long clause text[a:b] start: each piece ends where the last
        figure wholly inside its _CLAUSE_MAX characters ends (at the limit if none does)."""
        mentions = self.figures.mentions
        ends = mentions.ends  # the mentions do not overlap: their ends are sorted
        starts = array(OFFSET_TYPECODE, [a])
        while b - starts[-1] > _CLAUSE_MAX:
            p = starts[-1]
            k = bisect.bisect_right(ends, p + _CLAUSE_MAX) - 1
            cut = ends[k] if k >= 0 and mentions.starts[k] >= p and ends[k] > p else 0
            starts.append(cut or p + _CLAUSE_MAX)
        return starts

    def scope(self, pos: int) -> int:
        """Where the sentence around `pos` starts (； does not end it)."""
        i = bisect.bisect_right(self._sentences, pos)
        return self._sentences[i - 1] + 1 if i else 0

    def line_start(self, pos: int) -> int:
        """Where the line (paragraph) of `pos` starts: after the last line end before it."""
        i = bisect.bisect_left(self._lines, pos)
        return self._lines[i - 1] + 1 if i else 0

    def estimated(self, a: int, b: int) -> bool:
        """True when "预计" starts in text[a:b-1] (wholly inside text[a:b])."""
        cuts = self._estimates
        i = bisect.bisect_left(cuts, a)
        return i < len(cuts) and cuts[i] + 2 <= b


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in "，,、；;：—"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in "，,、；;：:。"):
        b -= 1
    return a, b


def _lead(text: str, a: int, b: int) -> tuple[int, int]:
    """The first sentence of text[a:b], cut back to a clause boundary when it is long."""
    sents = split_sentences(text, a, min(b, a + 2 * _LEAD_MAX), limit=1)
    s, e = sents[0] if sents else (a, a)
    if e - s > _LEAD_MAX:
        cuts = [m.start() for m in re.finditer(r"[，；,;]", text[s : s + _LEAD_MAX])]
        e = s + cuts[-1] if cuts else s
    return _strip_span(text, s, e)


def _area(label: str) -> str:
    label = label.strip("。.：:— ")
    return label if len(label) <= _AREA_MAX else re.split(r"[，,；;]", label)[0][:_AREA_MAX]
