"""Clean extracted report text into one paragraph per line, with an exact map back to the source.

Cleaning deletes source characters and turns line breaks into paragraph breaks, so every
cleaned character has one source offset (`CleanText.offsets`). The one addition: in PDF text
flattened into one line, a paragraph break restored where no whitespace was left to replace
(a sentence end run into "二、…") maps to that sentence end. What it removes:

* hard line breaks of PDF text (detected per document from line-width statistics) and the
  cut-off sentences of docx/OCR text, so words and numbers are never split; sentence pieces a
  web page laid out on lines of their own ("PM" / "2.5" / "浓度…") are joined back;
* page numbers, on their own lines or (`pages`) inside the lines of flattened PDF text, whose
  paragraph breaks are restored where the flattening left evidence of them;
* web-page chrome (`chrome`): toolbar, breadcrumb, metadata, photo captions, share buttons,
  sidebars of links, copyright and editor lines; clusters of isolated photo captions;
* (`inline`) ``[bookmark: …]`` markers, Markdown/OCR heading marks (``#``, ``■``, ``**``), OCR
  spaces next to CJK text and inside spaced-out words and numbers, and indentation.

Gambling spam and other injected text inside sentences is left alone: detecting it is the
job of a later stage, which needs to see it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from . import recache
from .chrome import chrome_flags
from .inline import OPENERS, clean_line
from .lazyre import lazy
from .lexicon import CJK, CLAUSE_END_RE
from .offsets import OFFSET_TYPECODE, OffsetMap
from .pages import FLAT_LINE_CHARS, PAGE_LINE_RE, segments

__all__ = ["OFFSET_TYPECODE", "CleanText", "OffsetMap", "clean"]


@dataclass(frozen=True)
class CleanText:
    """Cleaned text plus, for every cleaned character, its offset in the source text."""

    text: str
    source: str = field(repr=False)
    # Runs of consecutive offsets (summarizer/offsets.py), not one int per character: a
    # 10 MB report has millions of characters but a few thousand runs.
    offsets: Sequence[int] = field(repr=False)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map the cleaned range [start, end) to the source range [s, e) it came from."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"range [{start}, {end}) outside cleaned text of {len(self.text)}")
        if start == end:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.source)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def without(self, spans: Sequence[tuple[int, int]]) -> CleanText:
        """This text with `spans` deleted, the map to source offsets kept exact.

        A span that empties its line takes the line break with it, so the result keeps one
        paragraph per line.
        """
        text, offsets = self.text, self.offsets
        cut: list[tuple[int, int]] = []
        for a, b in sorted(spans):
            line_start = text.rfind("\n", 0, a) + 1
            line_end = text.find("\n", b)
            line_end = len(text) if line_end < 0 else line_end
            if not text[line_start:a].strip() and not text[b:line_end].strip():
                a, b = (line_start - 1, line_end) if line_start else (0, line_end + 1)
            if cut and a <= cut[-1][1]:
                cut[-1] = (cut[-1][0], max(cut[-1][1], b))
            else:
                cut.append((a, b))
        if not cut:
            return self
        parts: list[str] = []
        kept = OffsetMap()
        pos = 0
        for a, b in [*cut, (len(text), len(text))]:
            parts.append(text[pos:a])
            kept.extend(offsets, pos, a)
            pos = max(pos, b)
        return CleanText("".join(parts), self.source, kept)


# ---------------------------------------------------------------- patterns

_CN_NUM = "一二三四五六七八九十百零〇"
# Numbered headings and numbered lead-in paragraphs; "5.2万吨" is a number, not "5." + text.
_NUMBERED_RE = recache.compile(
    rf"(?:[{_CN_NUM}]{{1,4}}\s*[、.．]|[（(]\s*[{_CN_NUM}\d]{{1,3}}\s*[）)]|\d{{1,2}}\s*[、．]"
    rf"|\d{{1,2}}\s*\.(?!\d)|[①-⑳]|第[{_CN_NUM}\d]{{1,4}}[章节部分篇])"
)
_DATELINE_RE = recache.compile(r"(?:——|—|-{1,4}|－)\s*\d{4}\s*年|[（(]\s*\d{4}\s*年")
_DATELINE_END_RE = recache.compile(r"(?:上|讲话|报告)[）)]?$")
_SPEAKER_RE = lazy(rf"(?:代)?(?:[省市州盟县区镇乡旗]长|总理|主任|主席)\s*[{CJK}·]{{2,4}}$")
_BYLINE_RE = lazy(r"(?:政府|党委|党工委|管委会|委员会|办公室)$")
_TITLE_CONT_RE = recache.compile(r"(?:及|暨|以及|[和与]\d)")

# A run-in lead phrase opening a paragraph ("加速产业转型升级。以壮大…"): a short sentence with
# no digits, whose first character could not continue a cut-off one (等, 的, 和 …).
_LEAD_OPEN_RE = lazy(
    r"(?![等的地得和及与或了着过之其并而且也们者])"
    r"(?:[^，,、：:；;。！？!?“”\"'（）()《》\s\d０-９]|“[^“”，,。\s\d]{1,8}”|\"[^\"，,。\s\d]{1,8}\")"
    r"{4,16}?[。！](?=\S)"
)
# A paragraph with this many sentences ended is whole enough that a lead phrase after it opens
# the next one; a lead and a fragment ("筑牢安全发展基石。创建省级") are one cut-off paragraph.
_WHOLE_PARAGRAPH_ENDS = 2
# Pieces of a sentence that web layout puts on lines of their own (see `_inline_piece`).
_SUBSCRIPT_RE = recache.compile(r"[\d.]{1,4}")
_COPULA_RE = recache.compile(r"[是为][:：]")
_TERMINAL = frozenset("。！？；：!?;:…")
_CLOSERS = "”’」』）)》】\"'"
_COMMA_END = frozenset("，,、")
_SENTENCE_PUNCT_RE = recache.compile(r"[，。；：！？,;:!?]")
_SENTENCE_END_RE = CLAUSE_END_RE
# Everything outside these ranges is narrow; report text is mostly wide, so count the narrow.
_NARROW_RE = recache.compile(
    "[^\u1100-\u115f\u2018-\u201d\u2026\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)

# Heading-like: short with no sentence punctuation (titles, captions, unnumbered headings).
_HEADING_MAX_CHARS = 30
# A PDF line narrower than this share of the typical width ends its paragraph; one ending
# in sentence punctuation needs only to be somewhat narrower.
_SHORT_LINE = 0.75
_SHORT_TERMINAL_LINE = 0.9
# At least this share of the lines of hard-wrapped prose carry sentence punctuation.
_WRAPPED_PUNCTUATED = 0.25


def _width(text: str) -> int:
    return 2 * len(text) - len(_NARROW_RE.findall(text))


def _ends_terminal(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


def _heading_like(text: str) -> bool:
    return len(text) <= _HEADING_MAX_CHARS and not _SENTENCE_PUNCT_RE.search(text)


# ---------------------------------------------------------------- lines


class _Item(NamedTuple):
    """A content line (or a paragraph of a flattened line) after in-line cleaning."""

    text: str
    spans: tuple[tuple[int, int], ...]  # kept source ranges, in order
    end: int  # source offset where a break after it maps: the line's "\n", or the flat break
    marked: bool  # carried Markdown/OCR heading marks
    gap_before: int  # blank or dropped lines since the previous content line
    width: int  # display width, CJK characters counting two
    ends_paragraph: bool = False  # a paragraph break found inside a flattened line follows
    flat: bool = False  # from a flattened line
    indented: bool = False  # began with full-width (or double) indentation in the source


def _content_items(source: str) -> list[_Item]:
    items: list[_Item] = []
    gap = 0
    pos = 0
    raws = source.split("\n")
    # One line this long makes the text flattened PDF text, down to its last, shorter page.
    flat = max(map(len, raws)) >= FLAT_LINE_CHARS
    for raw in raws:
        start, end = pos, pos + len(raw)
        pos = end + 1
        if not raw or raw.isspace():
            gap += 1
            continue
        for seg in segments(raw, flat):
            text, spans, marked = clean_line(source, start + seg.start, start + seg.end, seg.holes)
            if not text or (len(text) <= 16 and PAGE_LINE_RE.fullmatch(text)):
                gap += 1
                continue
            brk = seg.at is not None
            at = start + seg.at if seg.at is not None else end
            width = _width(text)
            items.append(_Item(text, spans, at, marked, gap, width, brk, flat, seg.indented))
            gap = 0
    return _drop_chrome(items)


def _drop_chrome(items: list[_Item]) -> list[_Item]:
    """Drop web-page chrome lines; the lines after them count the drop as a gap."""
    flags = chrome_flags([item.text for item in items])
    if not any(flags):
        return items
    kept: list[_Item] = []
    dropped = 0
    for item, gone in zip(items, flags, strict=True):
        if gone:
            dropped += 1 + item.gap_before
            continue
        kept.append(item._replace(gap_before=item.gap_before + dropped) if dropped else item)
        dropped = 0
    return kept


# ---------------------------------------------------------------- captions


def _caption_candidate(items: list[_Item], k: int, typical: int | None) -> bool:
    item = items[k]
    text = item.text
    isolated = item.gap_before > 0 and (k + 1 == len(items) or items[k + 1].gap_before > 0)
    return (
        k > 0  # the first line is the title
        and isolated
        # Not in hard-wrapped PDF text, where every line stands between blank lines: a full
        # line there is text ("…生铁、钢、原油、硫酸、"), a short one a note or a heading.
        and typical is None
        and not item.marked
        and _heading_like(text)
        and not _NUMBERED_RE.match(text)
        and not _DATELINE_RE.match(text)
        and not _SPEAKER_RE.search(text)
        and not _BYLINE_RE.search(text)
    )


def _drop_captions(items: list[_Item], typical: int | None) -> list[_Item]:
    """Drop clusters of three or more isolated short unpunctuated lines (photo captions).

    A single such line is indistinguishable from a heading, so only clusters go. The last line
    of a cluster that sits right above body text is that text's heading and stays.
    """
    flags = [_caption_candidate(items, k, typical) for k in range(len(items))]
    drop = [False] * len(items)
    k = 0
    while k < len(items):
        if not flags[k]:
            k += 1
            continue
        m = k
        while m < len(items) and flags[m]:
            m += 1
        if m - k >= 3:
            last = m - 1
            nxt = items[m].text if m < len(items) else ""
            keep_last = bool(nxt) and not _heading_like(nxt) and not _NUMBERED_RE.match(nxt)
            for n in range(k, m):
                drop[n] = not (keep_last and n == last)
        k = m
    if not any(drop):
        return items
    return [item for item, gone in zip(items, drop, strict=True) if not gone]


# ---------------------------------------------------------------- paragraphs


def _typical_width(items: list[_Item]) -> int | None:
    """The line width of a hard-wrapped document, or None when lines are whole paragraphs."""
    widths = sorted(item.width for item in items)
    if len(widths) < 6:
        return None
    typical = widths[min(len(widths) - 1, int(len(widths) * 0.9))]
    # PDF text lines are at most ~100 CJK characters wide and mostly of one width.
    if typical > 200:
        return None
    near = sum(1 for w in widths if 0.8 * typical <= w <= 1.1 * typical)
    if near < 0.5 * len(widths):
        return None
    # Wrapped prose breaks its sentences anywhere, so most of its lines carry a comma or a stop
    # (the corpus's wrapped PDFs: 98-100 %). Lines of one width with none are a list
    # (第1个项目投资增长7% / 第2个…), each its own paragraph: joined, they would make one
    # unpunctuated sentence thousands of figures long.
    punctuated = sum(1 for item in items if _SENTENCE_PUNCT_RE.search(item.text))
    return typical if punctuated >= _WRAPPED_PUNCTUATED * len(items) else None


def _continues_header(prev: str, text: str) -> bool:
    """A dateline or title that was broken across two lines."""
    if not _heading_like(text):
        return False
    if _DATELINE_RE.match(prev) and not _DATELINE_END_RE.search(prev):
        return len(text) <= 40
    return _heading_like(prev) and bool(_TITLE_CONT_RE.match(text))


def _inline_piece(prev: str, item: str, glued: bool) -> bool:
    """A piece of a sentence that a web page laid out on a line of its own: an opening bracket
    ("（" / "三）…"), a phrase cut after 的 ("…发展的" / "主要目标" / "是：…"), a subscript
    ("PM" / "2.5" / "浓度…"). `glued`: `prev` was itself such a subscript."""
    if all(ch in OPENERS for ch in prev):
        return True
    if _SUBSCRIPT_RE.fullmatch(item):
        return prev[-1].isascii() and prev[-1].isalpha()
    if glued and _SUBSCRIPT_RE.fullmatch(prev):
        return True
    return prev[-1] == "的" or _COPULA_RE.match(item) is not None


def _joins(
    prev: _Item,
    item: _Item,
    typical: int | None,
    ends: int = 0,
    glued: bool = False,
    indents: bool = False,
) -> bool:
    """True when `item` continues the paragraph that `prev` belongs to.

    `ends` counts the sentences ended so far in that paragraph; `glued`: `prev` was joined
    as a subscript; `indents`: the flattened lines of the text indent their paragraphs.
    """
    if prev.marked or item.marked or prev.ends_paragraph:
        return False
    if _continues_header(prev.text, item.text):
        return True
    if typical is None and _inline_piece(prev.text, item.text, glued):
        return True
    if _NUMBERED_RE.match(item.text) or _DATELINE_RE.match(item.text):
        return False
    if indents and prev.flat and item.flat:
        return not item.indented  # flattened pages: only an indent opens a paragraph
    if typical is not None:
        width = prev.width
        if width < _SHORT_LINE * typical:
            return False
        if _ends_terminal(prev.text) and typical - 6 <= item.width <= typical - 3:
            return False  # a full line but for a two-character indent: a paragraph's first
        return not (_ends_terminal(prev.text) and width < _SHORT_TERMINAL_LINE * typical)
    # Whole-paragraph lines: only a sentence cut off at a column or page break continues.
    if _ends_terminal(prev.text) or _heading_like(item.text):
        return False
    if ends >= _WHOLE_PARAGRAPH_ENDS and _LEAD_OPEN_RE.match(item.text):
        return False  # the cut-off sentence's end was lost; the lead opens the next paragraph
    return prev.text[-1] in _COMMA_END or bool(_SENTENCE_END_RE.search(prev.text))


def clean(text: str) -> CleanText:
    """Clean report text to one paragraph per line, keeping a map to source offsets."""
    items = _content_items(text)
    items = _drop_captions(items, _typical_width(items))
    typical = _typical_width(items)
    parts: list[str] = []
    offsets = OffsetMap()
    prev: _Item | None = None
    ends = 0  # sentences ended in the paragraph so far
    glued = False  # the previous line was joined as a subscript ("PM" / "2.5")
    indents = sum(1 for item in items if item.flat and item.indented) >= 2
    for item in items:
        if prev is not None:
            joined = _joins(prev, item, typical, ends, glued, indents)
            glued = joined and _SUBSCRIPT_RE.fullmatch(item.text) is not None
            if joined:
                # Only words of Latin script were separated by the line break itself.
                if (
                    prev.text[-1].isascii()
                    and prev.text[-1].isalpha()
                    and item.text[0].isascii()
                    and item.text[0].isalpha()
                ):
                    parts.append(" ")
                    offsets.add(prev.end)
            else:
                parts.append("\n")
                offsets.add(prev.end)
                ends = 0
        ends += len(_SENTENCE_END_RE.findall(item.text)) if typical is None else 0
        parts.append(item.text)
        for a, b in item.spans:
            offsets.add_run(a, b)
        prev = item
    return CleanText("".join(parts), text, offsets)
