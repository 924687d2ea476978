"""Problems: the admitted shortcomings of a problems part, one item each, quoted as evidence."""

from __future__ import annotations

import re

from ... import recache
from ...chunking import split_sentences
from ...lexicon import PROBLEM_FRAME
from ...records import Problem
from ...structure import Section
from .text import _strip_span

_PROBLEM_INTRO = recache.compile(
    r"(?:主要表现在|主要表现为|表现在|主要是|主要有|具体是)[:：]|(?:比如|例如)[，,]"
)
_PROBLEM_FRAME = recache.compile(PROBLEM_FRAME)
_REMEDY = recache.compile(r"对此|对于这些|针对|这些问题|我们(?:一定|将|必须|要)|必须")
_REMEDY_CLAUSE = recache.compile(r"[，,；;]\s*(?:对此|对于这些|针对这些)")
_CLAUSE_END = recache.compile(r"[，,：:]")
_ORDINAL = recache.compile(r"[一二三四五六七八九十]是")


def _problems(text: str, sec: Section) -> list[Problem]:
    """The admitted shortcomings of one problems part, each quoted as its own evidence."""
    out = []
    for a, b in split_sentences(text, sec.start, sec.end):
        if _REMEDY.match(text, a):
            break
        if remedy := _REMEDY_CLAUSE.search(text, a, b):
            b = remedy.start()  # "…等等，对此我们将采取更加有效措施" ends the list
        if intro := _PROBLEM_INTRO.search(text, a, b):
            a = intro.end()
        elif frame := _PROBLEM_FRAME.search(text, a, b):
            # "我们也清醒地认识到…" frames the list; it is not an item of it. When the list
            # follows in the same sentence ("…认识到，基础还不牢固，产业结构有待优化，…"),
            # the items are what comes after the frame's clause.
            rest = _CLAUSE_END.search(text, frame.end(), b)
            if rest is None or not re.search(r"[，,；;]", text[rest.end() : b]):
                continue
            a = rest.end()
        marks = [k.start() for k in _ORDINAL.finditer(text, a, b)
                 if k.start() == a or text[k.start() - 1] in "：:；;，,。"]  # fmt: skip
        cuts = [*marks, b]
        pieces = [(cuts[i] + 2, cuts[i + 1]) for i in range(len(marks))] or [(a, b)]
        if marks and marks[0] - a > 4:
            pieces.insert(0, (a, marks[0]))
        for pa, pb in pieces:
            pa, pb = _strip_span(text, pa, pb)
            pa += 3 if text.startswith(("此外，", "此外,"), pa) else 0
            piece = text[pa:pb].removesuffix("等等").rstrip("，,、")
            if len(piece) >= 4:
                out.append(Problem(text=piece, evidence=[piece]))
    return out
