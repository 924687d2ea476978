"""Items: the stretches of the review and plan parts that each become one achievement or plan."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ... import recache
from ...numerals import D
from ...structure import Outline, SectionKind
from .text import _area, _lead, _strip_span

_GOALS = recache.compile(r"预期目标(?:是|为)?[:：]|主要目标(?:是|为)[:：]|\A力争到?\d{4}年")
_DIGIT = recache.compile(D)
_LINE = recache.compile(r"[^\n]+")
_SENTENCE_END = recache.compile(r"[。！]")
_COMMA = recache.compile(r"[，,]")
_WE = recache.compile(r"^我们的?")
# Areas the engine names itself when a paragraph has no heading of its own (prose checks
# know them as the tool's labels, not the report's words).
REVIEW_AREA, PLAN_AREA, GOALS_AREA = "总体情况", "其他安排", "主要预期目标"


@dataclass(frozen=True)
class _Block:
    """A stretch of one part that becomes one item: a heading with its body, or a paragraph."""

    kind: SectionKind
    start: int
    end: int
    area: str
    # None: the block's first sentence, found when it is read (an unheaded paragraph with no
    # figures becomes no item, and its lead is never needed).
    lead: tuple[int, int] | None
    headed: bool


def _soft_lead(text: str, a: int, b: int) -> str | None:
    """A short opening sentence that heads an unnumbered paragraph ("坚持创新驱动,…成效。")."""
    m = _SENTENCE_END.search(text[a : min(b, a + 32)])
    if (
        not m
        or m.start() < 4
        or text.startswith("各位代表", a)
        or _DIGIT.search(text, a, a + m.start())
    ):
        return None
    topic = _WE.sub("", _COMMA.split(text[a : a + m.start()])[-1])
    # "过去一年，是…奋力往前赶的重要一年。" says what the year was: a statement, no topic.
    return None if topic.startswith("是") else topic


def _blocks(text: str, outline: Outline) -> Iterator[_Block]:
    """Items of the review and plan parts, in text order."""
    heads = sorted(outline.headings, key=lambda h: h.start)
    starts = [h.start for h in heads]
    parts = [s for s in outline.sections if s.kind in (SectionKind.REVIEW, SectionKind.PLAN)]
    # A text with no recognisable parts is read as a review rather than left unread.
    for sec in parts or [replace(s, kind=SectionKind.REVIEW) for s in outline.sections
                         if s.kind is SectionKind.OTHER]:  # fmt: skip
        group: _Block | None = None  # a heading on a line of its own, gathering its paragraphs
        group_lead = group_end = 0  # where its heading's text ends, and its last paragraph
        for m in _LINE.finditer(text, sec.start, sec.end):  # no copy of the part's text
            a, b = _strip_span(text, m.start(), m.end())
            i = bisect.bisect_left(starts, a)
            h = heads[i] if i < len(heads) and heads[i].start <= min(a + 8, b - 1) else None
            if b <= a:
                continue
            if group is not None and h is None:
                group_end = b
                continue
            if group is not None and "\n" in text[group_lead:group_end]:
                yield replace(group, end=group_end)
            group = None
            if h is not None:
                body = h.start + len(h.numbering)
                if text[h.end : b].strip(" 。.：:"):
                    yield _Block(sec.kind, a, b, _area(h.text), _lead(text, body, b), True)
                elif a != sec.start:  # a heading line; the part's own title is no item
                    lead = _strip_span(text, body, h.end)
                    group = _Block(sec.kind, a, b, _area(h.text), lead, True)
                    group_lead, group_end = lead[1], b
                continue
            soft = _soft_lead(text, a, b)
            if sec.kind is SectionKind.PLAN and _GOALS.search(text[a : min(b, a + 80)]):
                area = GOALS_AREA
            else:
                area = soft or (REVIEW_AREA if sec.kind is SectionKind.REVIEW else PLAN_AREA)
            yield _Block(sec.kind, a, b, area, _lead(text, a, b) if soft else None, bool(soft))
        if group is not None and "\n" in text[group_lead:group_end]:
            yield replace(group, end=group_end)


def _lead_of(text: str, block: _Block) -> tuple[int, int]:
    """Where the block's lead sentence is in the text."""
    return block.lead if block.lead is not None else _lead(text, block.start, block.end)
