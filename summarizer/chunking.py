"""Section-aware chunks of the clean text, each within a character budget.

A chunk is what one extraction prompt sees, so chunks are as full as the budget allows (every
chunk costs a prompt, and its fixed part — instructions and schema — is paid again each time)
but are cut where the report itself breaks: at a section boundary when one falls late enough in
the chunk, else at a heading, otherwise between paragraphs, and inside a paragraph only when
the paragraph alone is over budget, then between sentences. Small parts (a problems paragraph,
a short closing) therefore share a chunk with their neighbours instead of costing a prompt of
their own; the chunk names every part it spans. The preamble is never mixed with the body.
Every step is a single pass over paragraphs or sentences, so 10 MB of text chunks in linear
time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from . import recache
from .lexicon import CJK_RE
from .structure import PART_LABELS_ZH, Heading, Outline, Section, SectionKind

__all__ = ["DEFAULT_CHUNK_CHARS", "Chunk", "chunk_text", "split_sentences"]

DEFAULT_CHUNK_CHARS = 8000


@dataclass(frozen=True)
class Chunk:
    """A span of the clean text sent to the model in one prompt."""

    index: int
    start: int
    end: int
    # The clean text the chunk is the span [start, end) of, shared by every chunk: copies of
    # the spans held a second copy of the report for the whole run (7 MB of a 10 MB report)
    # though the offline engine never reads them.
    whole: str = field(repr=False)
    section: SectionKind  # the part the chunk starts in
    heading_path: tuple[str, ...]
    context: str
    sections: tuple[SectionKind, ...] = ()  # every part the chunk spans, in order

    @property
    def text(self) -> str:
        """The chunk's text (what one prompt quotes)."""
        return self.whole[self.start : self.end]


# ---------------------------------------------------------------- sentences

# Characters that can end or protect a sentence; everything else is skipped by the regex.
_SPECIAL = recache.compile(r"[。！？；!?;.\n“”‘’「」『』《》\"]")
_TERMS = frozenset("。！？；!?;")
_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》"}
_CLOSE = {v: k for k, v in _PAIRS.items()}
_TRAIL = frozenset("。！？；!?;”’」』》)）】")
_SPACE = " \t\r\n\u3000\xa0\u200b\ufeff"


def _is_cjk(ch: str) -> bool:
    return CJK_RE.match(ch) is not None


def split_sentences(
    text: str, start: int = 0, end: int | None = None, limit: int | None = None
) -> list[tuple[int, int]]:
    """Sentence spans in text[start:end], ending at 。！？； (or ! ? ;) or a line end.

    Spans exclude surrounding whitespace. A terminator inside quotes (“…”, 「…」, 《…》, "…")
    does not end a sentence; a closing quote right after one does. A full stop ends a sentence
    only between CJK text, so 4.74 and "1." numbering are never cut. Quote state resets at
    each line end, so one unbalanced quote cannot swallow more than its paragraph.
    With `limit`, only the first `limit` spans (the scan reads left to right and a span is
    final once found, so they are the first spans of the full split).
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    open_q: dict[str, int] = {}
    ascii_open = False
    seg = start

    def emit(a: int, b: int) -> None:
        while a < b and text[a] in _SPACE:
            a += 1
        while b > a and text[b - 1] in _SPACE:
            b -= 1
        if b > a:
            spans.append((a, b))

    pos = start
    while (m := _SPECIAL.search(text, pos, end)) is not None:
        if limit is not None and len(spans) >= limit:
            return spans
        i, ch = m.start(), m.group()
        pos = i + 1
        if ch == "\n":
            emit(seg, i)
            seg, open_q, ascii_open = i + 1, {}, False
            continue
        if ch in _PAIRS:
            open_q[ch] = 1  # the same quote opened twice is an OCR slip: one close ends it
            continue
        if ch == '"':
            ascii_open, closing = not ascii_open, ascii_open
        else:
            closing = ch in _CLOSE and bool(open_q.pop(_CLOSE[ch], 0))
        if open_q or ascii_open or (ch in _CLOSE and not closing) or (ch == '"' and not closing):
            continue
        if closing and (ch == "》" or not (i > seg and text[i - 1] in _TERMS)):
            continue  # only "…。”" ends a sentence at a closing quote; a book title never does
        if ch == "." and not (i > seg and _is_cjk(text[i - 1]) and _cjk_after(text, i + 1, end)):
            continue
        j = i + 1
        while j < end and text[j] in _TRAIL:
            j += 1
        emit(seg, j)
        seg = pos = j
    if limit is None or len(spans) < limit:
        emit(seg, end)
    return spans


def _cjk_after(text: str, i: int, end: int) -> bool:
    return i >= end or text[i] in _SPACE or _is_cjk(text[i])


# ---------------------------------------------------------------- packing


_LINE = recache.compile(r"[^\n]+")


class _Unit(NamedTuple):
    start: int
    end: int
    prio: int  # 0 section start, 1-4 heading level, 5 paragraph, 6 sentence in a long paragraph


def _units(text: str, sec: Section, head_level: dict[int, int], budget: int) -> list[_Unit]:
    """Paragraphs of one section; a paragraph over budget becomes its sentences."""
    units: list[_Unit] = []
    first = True
    for m in _LINE.finditer(text, sec.start, sec.end):
        line = m.group()
        a = m.start() + len(line) - len(line.lstrip(_SPACE))
        b = m.start() + len(line.rstrip(_SPACE))
        if a >= b:
            continue
        prio = 0 if first else head_level.get(m.start(), 5)
        first = False
        if b - a <= budget:
            units.append(_Unit(a, b, prio))
        else:
            sents = split_sentences(text, a, b)
            units.append(_Unit(*sents[0], prio))
            units.extend(_Unit(s, e, 6) for s, e in sents[1:])
    return units


def _pack(units: list[_Unit], budget: int) -> list[tuple[int, int]]:
    """Greedy chunks [i, k) of units, cut at the strongest break in the chunk's second half.

    Units are paragraphs, or sentences of a paragraph over budget, so every boundary between
    units is an allowed cut; the second-half rule keeps chunks at least half full.
    """
    out: list[tuple[int, int]] = []
    i, n = 0, len(units)
    while i < n:
        j = i + 1
        while j < n and units[j].end - units[i].start <= budget:
            j += 1
        k = j
        if j < n:
            half = units[i].start + budget // 2
            best = (units[j].prio, -j)
            for c in range(i + 1, j):
                # An early cut must leave a remainder that the next chunk can finish with j.
                fits = units[j].end - units[c].start <= budget
                if units[c].start >= half and fits and (units[c].prio, -c) < best:
                    best = (units[c].prio, -c)
            k = -best[1]
        out.append((i, k))
        i = k
    return out


def chunk_text(text: str, outline: Outline, budget: int = DEFAULT_CHUNK_CHARS) -> list[Chunk]:
    """Split the clean text into section-aware chunks of at most `budget` characters.

    Chunks cover every non-blank character once, never straddle a section, and exceed the
    budget only when a single sentence does.
    """
    if budget < 1:
        raise ValueError(f"chunk budget must be positive, not {budget}")
    heads = sorted((h for h in outline.headings if h.level <= 4), key=lambda h: h.start)
    # Keyed by line start: a heading opens the paragraph on its line.
    head_level = {text.rfind("\n", 0, h.start) + 1: h.level for h in reversed(heads)}
    path_heads = [h for h in heads if h.level <= 3]
    stack: list[Heading] = []
    nxt = 0
    chunks: list[Chunk] = []

    def advance(to: int) -> None:
        nonlocal nxt
        while nxt < len(path_heads) and path_heads[nxt].start <= to:
            h = path_heads[nxt]
            while stack and _rank(stack[-1]) >= _rank(h):
                stack.pop()
            stack.append(h)
            nxt += 1

    sections = outline.sections
    si = -1

    def enter(to: int) -> Section:
        """Move to the section holding offset `to`, resetting the heading stack as parts open."""
        nonlocal si
        while si + 1 < len(sections) and sections[si + 1].start <= to:
            si += 1
            sec = sections[si]
            advance(sec.start - 1)
            # The problems paragraph after "7.基层党建不断巩固" is under the review heading but
            # not under item 7; a part opened by a cue sentence or the closing is under none.
            keep = sec.kind is SectionKind.PROBLEMS or any(h.label == sec.heading for h in stack)
            stack[:] = [h for h in stack if h.level == 1] if keep else []
        return sections[si]

    for group in _groups(sections):
        units = [u for sec in group for u in _units(text, sec, head_level, budget)]
        for i, k in _pack(units, budget):
            a, b = units[i].start, units[k - 1].end
            sec = enter(a)
            advance(a)
            path = tuple(h.label for h in stack)
            spanned = tuple(x for x in group if x.start < b and a < x.end)
            kinds = tuple(dict.fromkeys(x.kind for x in spanned))
            chunks.append(
                Chunk(
                    len(chunks),
                    a,
                    b,
                    text,
                    sec.kind,
                    path,
                    _context(outline, spanned or (sec,), path),
                    kinds or (sec.kind,),
                )
            )
    return chunks


def _groups(sections: tuple[Section, ...]) -> list[list[Section]]:
    """Runs of sections that may share chunks: the preamble stands alone, the body is one run."""
    groups: list[list[Section]] = []
    for sec in sections:
        alone = sec.kind is SectionKind.PREAMBLE
        if alone or not groups or groups[-1][-1].kind is SectionKind.PREAMBLE:
            groups.append([sec])
        else:
            groups[-1].append(sec)
    return groups


def _rank(h: Heading) -> int:
    """Nesting rank: a bare part title sits above 一、, which sits above （一） and 1."""
    return 0 if h.level == 1 and not h.numbering else h.level


def _context(outline: Outline, spanned: tuple[Section, ...], path: tuple[str, ...]) -> str:
    """A one-line header telling the model where the chunk sits."""
    hd = outline.header
    labels = [PART_LABELS_ZH[x.kind] + (f"（{x.period}年）" if x.period else "") for x in spanned]
    part = "、".join(dict.fromkeys(labels))
    fields = [("报告", hd.title), ("发布者", hd.issuer), ("所在部分", part)]
    fields.append(("标题", " > ".join(path)))
    return "；".join(f"{k}：{v}" for k, v in fields if v)
