"""The outline: the ordered parts (review, problems, plan, five-year goals, own work) of a report.

Parts open at top-level headings that name them (一、2023年工作回顾 / 二、2024年重点任务 /
2024年工作安排建议), or, where headings are missing or were flattened away, at cue sentences
("今年以来…", "2024年是…关键之年，做好今年工作…", "今年政府工作的总体要求是…"). When neither
says where the plan part begins, the wording of the paragraphs (要/将/力争 against 完成/比上年)
places the boundary, and the outline says it is unsure (`plan_confidence` low, `uncertain`):
the tool never presents such a guess as a reading of the report.
"""

from __future__ import annotations

from dataclasses import replace

from .. import recache
from ..lexicon import SPAM_HINT_RE
from ..numerals import FW
from .cues import (
    FIVE_CUE,
    after_problems,
    plan_cue,
    review_cue,
    tense_boundary,
    unnamed_plan_heading,
)
from .header import (
    Hints,
    find_title,
    read_issuer,
    read_years,
    tidy,
    title_lines,
    years_from_hints,
)
from .headings import (
    classify,
    heading_years,
    headings,
    names_plan_too,
    paragraphs,
    title_zone_end,
)
from .overlays import closing, first_sentence, problems, reads_as_results, recaps
from .types import Heading, Outline, ReportHeader, Section, SectionKind

__all__ = ["outline", "period_of", "read_header"]

_K = SectionKind
# Which year a part's words look at: this one (its plan), the last five, the last one.
_THIS_YEAR = recache.compile(r"今年|明年|新的一年")
_PAST_FIVE = recache.compile(r"过去五年|五年来|五年工作")
_PAST_YEAR = recache.compile(r"去年|过去一年|一年来")
_YEARS_WORK = recache.compile(r"\d{4}年度?的?工作$")
_NAMES_YEARS = recache.compile(r"\d{4}|十.?五")


def period_of(text: str, kind: SectionKind, ref: int | None = None) -> str | None:
    """Years a part heading covers: '2019', '2016-2020' (十三五), or None.

    `ref` is the plan year; it resolves 今年 in a plan heading and 去年/过去一年/五年来 in a
    review heading. "2019年和今年以来工作回顾" reviews 2019: 今年以来 is the weeks before the
    report, so relative words count only when the heading names no year.
    """
    spans = heading_years(text)
    if ref is not None and not spans:
        if kind in (_K.PLAN, _K.FIVE_YEAR) and _THIS_YEAR.search(text):
            spans.append((ref, ref))
        elif kind is _K.REVIEW and _PAST_FIVE.search(text):
            spans.append((ref - 5, ref - 1))
        elif kind is _K.REVIEW and _PAST_YEAR.search(text):
            spans.append((ref - 1, ref - 1))
    if not spans:
        return None
    a, b = min(s for s, _ in spans), max(e for _, e in spans)
    return str(a) if a == b else f"{a}-{b}"


def _span(periods: list[str]) -> str | None:
    if not periods:
        return None
    a, b = min(int(p[:4]) for p in periods), max(int(p[-4:]) for p in periods)
    return str(a) if a == b else f"{a}-{b}"


def _parts(hs: list[Heading], ry: int | None, py: int | None) -> list[tuple[Heading, SectionKind]]:
    """Top-level headings that open a part, with the part's kind.

    Numbered 一、 headings under a bare part title (金坛: "向全区人民汇报2022年工作" then
    一、三、二…) are topics of that part and open nothing but a problems part. A heading of the
    current kind opens a new part only if it names its own years ("三、2011年的工作" after the
    十二五 plan), not for a topic ("六、确保实现脱贫攻坚目标").
    """
    out: list[tuple[Heading, SectionKind]] = []
    seen_bare = False
    for h in hs:
        if h.level != 1:
            continue
        k = classify(h.text, ry, py)
        if k is None and _YEARS_WORK.search(h.text):
            k = _K.PLAN if any(x is _K.REVIEW for _, x in out) else _K.REVIEW
        if h.numbering and seen_bare and k not in (_K.PROBLEMS, _K.GOVERNMENT):
            k = None
        if not h.numbering and out and out[-1][1] in (_K.FIVE_YEAR, _K.PLAN):
            if not heading_years(h.text):
                continue  # "主要目标" inside the five-year goals is one of its topics
        if k is None and not out and h.numbering:
            k = _K.REVIEW  # an unnamed first part of a work report is its review
        if out and k is out[-1][1] and h.numbering and not _NAMES_YEARS.search(h.text):
            k = None
        seen_bare |= not h.numbering and k not in (_K.GOVERNMENT, None)
        if k is not None:
            out.append((h, k))
    return out


def _years_from_parts(hs: list[Heading]) -> tuple[int | None, int | None]:
    """Review and plan years from the single years the top-level headings name."""
    years = sorted({a for h in hs if h.level == 1 for a, b in heading_years(h.text) if a == b})
    if len(years) >= 2 and years[-1] - years[-2] == 1:
        return years[-2], years[-1]
    parts = _parts(hs, None, None)
    rv = [q for h, k in parts if k is _K.REVIEW and (q := period_of(h.text, k))]
    pl = [q for h, k in parts if k is _K.PLAN and (q := period_of(h.text, k))]
    r = int(rv[-1][-4:]) if rv else None
    p = int(pl[0][:4]) if pl else None
    return (r if r is not None else p - 1 if p else None), (p if p else r + 1 if r else None)


def read_header(text: str, title_hint: str | None = None, hints: Hints | None = None
                ) -> ReportHeader:  # fmt: skip
    """Title, issuer, level and the review / plan years of a report."""
    return outline(text, title_hint, hints).header


def outline(text: str, title_hint: str | None = None, hints: Hints | None = None) -> Outline:
    """Header, headings and the ordered parts (sections) that tile the clean text."""
    hints = hints or Hints()
    paras = paragraphs(text)
    zone = title_zone_end(paras, len(text))
    hs = headings(paras, zone)
    lines = title_lines(paras, zone)
    hint = tidy(title_hint or "")
    title = hint if hint and not SPAM_HINT_RE.search(hint) else find_title(lines)
    if not title and "各位代表" in text[:5000]:
        title = "政府工作报告"  # a speech to the congress whose title was cut off
    ry, py, ysrc = read_years(text, zone, title, hints, paras)
    if ry is None:
        ry, py = _years_from_parts(hs)
        ysrc = "text" if ry is not None else ""
    if ry is None:
        ry, py, ysrc = years_from_hints(hints)
    parts = _parts(hs, ry, py)
    issuer, place, level, isrc = read_issuer(text, zone, lines, title, hints)

    line_of = {p.off: p.line for p in paras}
    named = {h.start for h, k in parts if classify(h.text, ry, py) is k}
    events = [(line_of[h.start], k, h.label, h.start in named) for h, k in parts]
    body = [p for p in paras if p.line >= zone]
    confidence, uncertain = "high", []
    if not any(k is _K.PLAN for _, k, _, _ in events):
        # No heading names the plan part: a cue sentence may open it (after any five-year
        # part), or the first unnamed top-level heading after the review whose text reads as
        # plans; numbered parts after it that no word named are topics of the plan.
        five = next((e[0] for e in events if e[1] is _K.FIVE_YEAR), -1)
        found = plan_cue(body, five, ry, py)
        if found is not None and FIVE_CUE.match(found.s):
            events.append((found.line, _K.FIVE_YEAR, first_sentence(found.s), True))
            five, found = found.line, plan_cue(body, found.end, ry, py)
        confidence = "medium"
        if five < 0:
            # "二、抓紧有利时机，加快经济发展" before "今年计划要求…": the heading opens it.
            heading = unnamed_plan_heading(hs, events, body, line_of, ry, py)
            if heading is not None and (found is None or heading.line < found.line):
                found = heading
        if found is None and five < 0:
            found = after_problems(body, zone - 1)
        if found is None and five < 0:
            confidence = "low"
            review = next((e[0] for e in events if e[1] is _K.REVIEW), zone - 1)
            found = tense_boundary(body, review)
        if found is not None:
            events = [e for e in events if e[0] < found.line or e[3] or e[1] is not _K.REVIEW]
            events.append((found.line, _K.PLAN, first_sentence(found.s), True))
        elif mixed := next((e for e in events if e[1] is _K.FIVE_YEAR and py is not None
                            and str(py) in e[2].translate(FW)), None):  # fmt: skip
            # "“十五五”时期主要目标和2026年重点工作" with no cue of its own: the annual plan
            # is inside that part, from its heading on.
            events = [(*mixed[:1], _K.PLAN, *mixed[2:]) if e is mixed else e for e in events]
        elif five >= 0:
            confidence = "high"  # a five-year plan part and no annual one
        else:
            confidence = "none"
    else:
        # "二、在绿色低碳高质量发展中奋力走在前" between the review and "三、2024年重点工作":
        # an unnamed part that reads as plans opens the plan part.
        plan_at = next(e[0] for e in events if e[1] is _K.PLAN)
        head = unnamed_plan_heading(hs, events, body, line_of, ry, py)
        if head is not None and head.line < plan_at:
            events.append((head.line, _K.PLAN, first_sentence(head.s), False))
            plan_at = head.line
        # "国民经济的成就和今后的建设任务" before the plan heading: the plan opens at its cue.
        for at, kind, label, _ in list(events):
            if kind is _K.REVIEW and at < plan_at and names_plan_too(label, py):
                inside = [p for p in body if at < p.line < plan_at]
                cue = plan_cue(inside, at, ry, py)
                if cue is not None:
                    events.append((cue.line, _K.PLAN, first_sentence(cue.s), True))
                    break
    events.sort(key=lambda e: e[0])
    first = events[0][0] if events else len(text)
    cue = next((p for p in body if p.line < first and review_cue(p.s, ry)), None)
    if cue and events and events[0][1] is _K.REVIEW:
        # "今年以来…" before "一、2019年工作总结" opens that part: a part of its own would cost a
        # chunk, and so a prompt, for one paragraph.
        events[0] = (cue.line, *events[0][1:])
    elif events and events[0][1] in (_K.PLAN, _K.FIVE_YEAR) and body and body[0].line < first:
        # The plan opens on a cue and nothing names the review: it is what comes before.
        start = cue or body[0]
        events.insert(0, (start.line, _K.REVIEW, first_sentence(start.s), False))
    elif cue:
        events.insert(0, (cue.line, _K.REVIEW, first_sentence(cue.s), False))
    if not events and paras:
        events = [(max(zone, paras[0].line), _K.OTHER, "", False)]
        confidence = "none"
    if confidence == "low":
        uncertain.append(
            "报告没有标明工作计划部分从何处开始，已按措辞推断，计划与实绩的划分可能有误"
        )
    elif confidence == "none" and any(k is _K.REVIEW for _, k, _, _ in events):
        uncertain.append("未能找到工作计划部分：报告可能不完整，或其结构无法识别")
    events3 = [(a, k, h) for a, k, h, _ in events]
    events3 = [(0, _K.PREAMBLE, ""), *events3]

    review_p = _span([p for h, k in parts if k is _K.REVIEW and (p := period_of(h.text, k, py))
                      and (ry is None or int(p[-4:]) <= ry)])  # fmt: skip
    five_p = _span([p for h, k in parts if k in (_K.FIVE_YEAR, _K.PLAN)
                    for a, b in heading_years(h.text) if b - a == 4 and (py is None or a >= py)
                    and (p := f"{a}-{b}")])  # fmt: skip
    header = ReportHeader(
        title=title,
        issuer=issuer,
        level=level,
        review_period=review_p
        if review_p and ry and review_p.endswith(str(ry))
        else (str(ry) if ry else None),
        plan_period=str(py) if py else None,
        place=place,
        five_year_period=five_p,
        sources=(("issuer", isrc), ("years", ysrc)),
    )
    bounds = [e[0] for e in events3[1:]] + [len(text)]
    base = [Section(k, a, b, h, _period(k, h, header))
            for (a, k, h), b in zip(events3, bounds, strict=True) if b > a]  # fmt: skip
    base = base or [Section(_K.PREAMBLE, 0, len(text), "")]
    admitted = problems(text, hs, paras, base, zone)
    recalled = [r for r in recaps(text, paras, base, ry)
                if not any(r.start < q.end and q.start < r.end for q in admitted)]  # fmt: skip
    overlays = sorted(admitted + recalled, key=lambda o: o.start) + closing(paras, len(text))
    sections = tuple(_apply(text, base, overlays, header))
    # An independent look at the reading: a plan part worded as results is said, not trusted.
    odd = [s for s in sections if s.kind is _K.PLAN and reads_as_results(text, s.start, s.end)]
    if odd and confidence in ("high", "medium"):
        confidence = "low"
        uncertain.append(
            f"工作计划部分（第{odd[0].start}字起）的措辞多为已完成的表述，计划与实绩的划分可能有误"
        )
    return Outline(header, tuple(hs), sections, confidence, tuple(uncertain))


def _period(kind: SectionKind, heading: str, header: ReportHeader) -> str | None:
    """Years one part covers: from its own heading, else from the report header."""
    if kind is _K.PROBLEMS:
        return header.review_period
    if kind not in (_K.REVIEW, _K.PLAN, _K.FIVE_YEAR):
        return None
    ref = int(header.plan_period[:4]) if header.plan_period else None
    own = period_of(heading, kind, ref) if heading else None
    if kind is _K.FIVE_YEAR:
        return own or header.five_year_period
    if kind is _K.PLAN and own and "-" in own:
        return header.plan_period or own  # "2025年和今后五年": the annual plan's year
    return own or (header.review_period if kind is _K.REVIEW else header.plan_period)


def _apply(text: str, base: list[Section], overlays: list[Section], header: ReportHeader
           ) -> list[Section]:  # fmt: skip
    """Cut the overlays (sorted, disjoint) into the base parts; each part resumes after one."""
    out: list[Section] = []
    i = 0
    for sec in base:
        pos = sec.start
        while i < len(overlays) and overlays[i].start < sec.end:
            o = overlays[i]
            if o.start >= pos:
                if o.start > pos:
                    out.append(replace(sec, start=pos, end=o.start))
                pos = min(o.end, sec.end)
                out.append(replace(o, end=pos, period=o.period or _period(o.kind, "", header)))
            if o.end > sec.end:
                break  # the rest of this overlay, if any, is cut off at the part boundary
            i += 1
        if pos < sec.end:
            out.append(replace(sec, start=pos))
    merged: list[Section] = []
    for s in out:  # a blank remainder joins the part before it
        p = merged[-1] if merged else None
        if p and (not text[s.start : s.end].strip() or (p.kind, p.heading) == (s.kind, s.heading)):
            merged[-1] = replace(p, end=s.end)
        else:
            merged.append(s)
    return merged or base
