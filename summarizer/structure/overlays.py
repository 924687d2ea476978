"""Overlays on the outline's parts: where a report admits problems, where a plan part recalls
last year's results, and the closing appeal. Each is a Section cut into the base parts.

Also the two prose measures the plan-start cues share: a paragraph's first sentence and the
tense of running text (future and duty against completion).
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from .. import recache
from ..fastscan import gated, presence
from ..lazyre import lazy
from ..lexicon import (
    DONE_WORDING_RE,
    FUTURE_MARKERS_RE,
    LAST_YEAR_OPENER_RE,
    PAST_MARKERS_RE,
    PROBLEM_CUE,
    PROBLEM_NOUNS,
)
from .headings import Para, classify
from .types import Heading, Section, SectionKind

_K = SectionKind
TERM = recache.compile(r"[。！？；;!?]")
_LIST_ITEM = lazy(
    r"[一二三四五六七八九十]是|\d{1,2}[.．、]|[（(][\d一二三四五六七八九十]{1,3}[）)]|——|[①-⑳]"
)
_APPEAL = recache.compile(r"让我们|团结在|不懈奋斗|努力奋斗|奋勇前进")
# The heading of notes printed after a speech: a glossary, annotations (an attachment, 附件,
# often lists the year's 民生实事: plans, not back matter).
_BACK = recache.compile(r"\s*(?:附注|注释|附[:：]?\s*名词解释|名词解释)\s*[:：]?\s*$")
# Tried on every paragraph of a report: a first-character gate makes the scan of the paragraphs
# that admit nothing (most of them) five times faster, with the same matches.
_PROBLEM_CUE = gated(PROBLEM_CUE)
_ANY_PROBLEM_CUE = presence(PROBLEM_CUE)  # whether a paragraph has one at all: most have none
_PROBLEM_WORD = gated(PROBLEM_NOUNS)
_CONCEDE = recache.compile(r"\s*(?:当然|但是?|然而|可是|不过|同时)[，,]")
_TURN = recache.compile(r"[，,](?=(?:但是?|同时|然而|可是|不过)[^，,。]{0,2}?(?:也|还|仍))")
_AHEAD = lazy(r"\s*[^。！？]{0,12}(?:今年|明年|新的一年|这为|为[^。]{0,8}打下)")


def first_sentence(s: str) -> str:
    """The opening sentence of a paragraph, as the cue that opened a part."""
    m = TERM.search(s)
    return (s[: m.end()] if m else s)[:80]


def _net_future(s: str) -> int:
    """Markers of work to do less markers of work done in `s` (see lexicon's tense markers)."""
    return len(FUTURE_MARKERS_RE.findall(s)) - len(PAST_MARKERS_RE.findall(s))


def tense(paras: list[Para]) -> int:
    return sum(_net_future(p.s) for p in paras)


def reads_as_results(text: str, a: int, b: int) -> bool:
    """A long stretch whose wording is more of work done than of work to do: a plan part that
    reads like this was probably misplaced. Every modern plan part of the corpus reads at least
    one marker net to the future per 1,000 characters; a review read as a plan reads below 0."""
    return b - a >= 3000 and _net_future(text[a:b]) < 0


def problems(text: str, hs: list[Heading], paras: list[Para], base: list[Section], zone: int
              ) -> list[Section]:  # fmt: skip
    """Where the report admits shortcomings: a 存在的问题 sub-heading's block, or the cue
    paragraph ("在肯定成绩的同时，我们也清醒地认识到…") alone, up to the next paragraph or
    heading — at the end of the review, in a five-year part, or opening the plan part."""
    # Any part but the title block: a report whose parts could not be told still admits them.
    host = [s for s in base if s.kind is not _K.PREAMBLE or s.start > 0]
    if base and base[0].kind is _K.PREAMBLE and base[0].end > zone:
        host.insert(0, replace(base[0], start=zone))
    starts = [s.start for s in host]

    def part(off: int) -> Section | None:
        i = bisect.bisect_right(starts, off) - 1
        return host[i] if i >= 0 and off < host[i].end else None

    out: list[Section] = []
    for i, h in enumerate(hs):
        sec = part(h.start) if h.level in (2, 3) else None
        if (
            sec
            and sec.kind is not _K.PLAN
            and classify(h.text) is _K.PROBLEMS
            and (not out or h.start >= out[-1].end)
        ):
            nxt = next((g.start for g in hs[i + 1 :] if g.level <= h.level), sec.end)
            a, b = text.rfind("\n", 0, h.start) + 1, text.rfind("\n", 0, nxt) + 1
            out.append(Section(_K.PROBLEMS, a, min(max(b, a + 1), sec.end), h.label))
    blocks, heads = [(o.start, o.end) for o in out], {h.start for h in hs if h.level <= 3}
    taken = 0
    for j, p in enumerate(paras):
        if not _ANY_PROBLEM_CUE.search(p.s):
            continue  # no cue at all (most paragraphs): problem_start would find none
        k = bisect.bisect_right(blocks, (p.line, len(text))) - 1
        sec = part(p.line)
        if not sec or p.line < taken or (k >= 0 and p.line < blocks[k][1]):
            continue
        start = problem_start(p, sec.kind is _K.PLAN)
        if start is None:
            continue
        end = p.end
        if p.s.endswith(("：", ":")):  # "…主要表现在：" with the list on the following lines
            for q in paras[j + 1 :]:
                if q.end > sec.end or not _LIST_ITEM.match(q.s) or q.off in heads:
                    break
                end = q.end
        taken = end = end + text.startswith("\n", end)  # parts begin at line starts
        a = p.line if start == p.off else start
        out.append(Section(_K.PROBLEMS, a, min(end, sec.end), first_sentence(text[a:end])))
    return sorted(out, key=lambda o: o.start)


def problem_start(p: Para, in_plan: bool) -> int | None:
    """Where a paragraph starts admitting problems: its start, or the sentence inside it that
    does ("…取得新进展。但是，我们前进的道路上还存在不少问题…"), else None."""
    # A cue found in a sentence's window is found in the whole paragraph too (the pattern has
    # no negative lookahead, end anchor or word boundary: tests/test_sections.py checks), so
    # a paragraph with no cue anywhere has none in any window: most paragraphs stop here.
    if not _ANY_PROBLEM_CUE.search(p.s):
        return None
    sentences = [0, *(m.end() for m in TERM.finditer(p.s))]
    # A clause that turns ("…获得了重大的成绩，同时也存在着…") counts as its sentence's start.
    turns = [] if in_plan else [m.end() for m in _TURN.finditer(p.s)]
    for sa in sorted({*sentences, *turns}):
        # Later sentences and plans must open on the cue; a sentence that concedes
        # ("当然，对于…，我们…还有缺点") may state it further in.
        window = 30 if in_plan or (sa and not _CONCEDE.match(p.s, sa)) else 80
        cue = _PROBLEM_CUE.search(p.s, sa, min(len(p.s), sa + window))
        if cue and _PROBLEM_WORD.search(p.s, cue.start(), min(len(p.s), cue.end() + 400)):
            at = sentences[bisect.bisect_right(sentences, sa) - 1]
            return p.off + at + (len(p.s[at:]) - len(p.s[at:].lstrip()))
        if in_plan:
            return None
    return None


def recaps(text: str, paras: list[Para], base: list[Section], ry: int | None
            ) -> list[Section]:  # fmt: skip
    """The last year's results recalled at the start of a plan part ("三、2011年的工作 /
    …至关重要。过去一年，我们的各项工作取得了很大成绩。国内生产总值增长10.3%…"), as a part
    of the review year: they are outcomes, not targets. From the recalling sentence to the
    first sentence that turns to the coming year, within the part's first paragraphs."""
    out: list[Section] = []
    for sec in base:
        if sec.kind is not _K.PLAN:
            continue
        for p in [p for p in paras if sec.start <= p.line < sec.end][:3]:
            ends = [0, *(m.end() for m in TERM.finditer(p.s)), len(p.s)]
            starts = [a for a in ends[:-1] if LAST_YEAR_OPENER_RE.match(p.s, a)]
            if not starts:
                continue
            a = starts[0]
            b = next((e for e in ends if e > a and _AHEAD.match(p.s, e)), len(p.s))
            done = p.s[a:b]
            if tense([Para(p.line, p.end, p.off, done)]) < 0 or DONE_WORDING_RE.search(done):
                lead = len(p.s[a:]) - len(p.s[a:].lstrip())
                period = str(ry) if ry else None
                end = p.off + b
                end += end == p.end and text.startswith("\n", end)  # parts begin at line starts
                out.append(Section(_K.REVIEW, p.off + a + lead, end, done[:30], period))
            break
    return out


def closing(paras: list[Para], n: int) -> list[Section]:
    """The closing appeal ("各位代表！…让我们…") and anything after it, and back matter (a
    glossary after the speech: "附注：1.“三网”融合：是指…", of any length)."""
    back = next((j for j, p in enumerate(paras) if p.line >= n * 0.7 and _BACK.match(p.s)), None)
    end = len(paras) if back is None else back
    for j in range(end - 1, max(-1, end - 10), -1):
        p = paras[j]
        if p.line < n * 0.8 or not p.s.startswith("各位代表"):
            continue
        nxt = paras[j + 1].s if j + 1 < len(paras) else ""
        if _APPEAL.search(p.s) or (len(p.s) <= 8 and _APPEAL.search(nxt)):
            return [Section(_K.OTHER, p.line, n, first_sentence(p.s))]
    return [] if back is None else [Section(_K.OTHER, paras[back].line, n, paras[back].s[:20])]
