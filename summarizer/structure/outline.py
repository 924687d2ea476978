"""The outline: the ordered parts (review, problems, plan, five-year goals, own work) of a report.

Parts open at top-level headings that name them (一、2023年工作回顾 / 二、2024年重点任务 /
2024年工作安排建议), or, where headings are missing or were flattened away, at cue sentences
("今年以来…", "2024年是…关键之年，做好今年工作…", "今年政府工作的总体要求是…"). When neither
says where the plan part begins, the wording of the paragraphs (要/将/力争 against 完成/比上年)
places the boundary, and the outline says it is unsure (`plan_confidence` low, `uncertain`):
the tool never presents such a guess as a reading of the report.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from ..lexicon import (
    CN_YEAR,
    FUTURE_MARKERS_RE,
    PAST_MARKERS_RE,
    PROBLEM_CUE,
    PROBLEM_NOUNS,
    SPAM_HINT_RE,
    YEAR,
)
from ..numerals import year_digits
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
    Para,
    classify,
    heading_years,
    headings,
    paragraphs,
    title_zone_end,
)
from .types import Heading, Outline, ReportHeader, Section, SectionKind

__all__ = ["outline", "period_of", "read_header"]

_K = SectionKind
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_REVIEW_CUE = re.compile(
    rf"(?:\[[^\]]*\])?(?:今年以来|过去的?一年|一年来|五年来|过去五年|回顾|回眸|({YEAR})年(?:是|，|,)"
    r"|本届政府)"
)
# Sentences that open the plan part where no heading does.
_PLAN_CUE = re.compile(
    rf"(?:各位代表[！!，,：:]\s*)?(?:(?:{YEAR}|{CN_YEAR})年(?:是|，|,|的|我们"
    r"|全[市省区县州镇国])|(?:做好|对|关于)?今年(?:的)?(?:政府)?工作|今年(?:经济社会发展|国民经济"
    r"|全[市省区县州镇])|明年|新的一年|下一步|今后五年|展望|(?:今年|\d{4}年)(?:是|要|将|的主要任务)"
    r"|今年[^，。]{0,4}(?:要|将))"
)
_INLINE_PLAN = re.compile(
    rf"[。！？](\s*)((?:({YEAR})年[，,][^。！？]{{0,16}}?(?:将|要)|({YEAR})年是))"
)
# A cue that opens the goals of the coming five (or more) years rather than the annual plan.
_FIVE_CUE = re.compile(r"(?:各位代表[！!，,：:]\s*)?(?:今后|未来)(?:五|十|十五)年|展望")
_PLAN_VERB = re.compile(r"将|要|计划|重点|围绕|着力|力争|目标|总体要求|主要任务|预期")
_YEAR_AT = re.compile(rf"({YEAR})年")
_CN_YEAR_AT = re.compile(rf"({CN_YEAR})年")  # 一九五八年
_LIST_ITEM = re.compile(
    r"[一二三四五六七八九十]是|\d{1,2}[.．、]|[（(][\d一二三四五六七八九十]{1,3}[）)]|——|[①-⑳]"
)
_APPEAL = re.compile(r"让我们|团结在|不懈奋斗|努力奋斗|奋勇前进")
_PROBLEM_CUE = re.compile(PROBLEM_CUE)
_PROBLEM_WORD = re.compile(PROBLEM_NOUNS)
_TERM = re.compile(r"[。！？；;!?]")


def _first_sentence(s: str) -> str:
    """The opening sentence of a paragraph, as the cue that opened a part."""
    m = _TERM.search(s)
    return (s[: m.end()] if m else s)[:80]


def period_of(text: str, kind: SectionKind, ref: int | None = None) -> str | None:
    """Years a part heading covers: '2019', '2016-2020' (十三五), or None.

    `ref` is the plan year; it resolves 今年 in a plan heading and 去年/过去一年/五年来 in a
    review heading. "2019年和今年以来工作回顾" reviews 2019: 今年以来 is the weeks before the
    report, so relative words count only when the heading names no year.
    """
    spans = heading_years(text)
    if ref is not None and not spans:
        if kind in (_K.PLAN, _K.FIVE_YEAR) and re.search(r"今年|明年|新的一年", text):
            spans.append((ref, ref))
        elif kind is _K.REVIEW and re.search(r"过去五年|五年来|五年工作", text):
            spans.append((ref - 5, ref - 1))
        elif kind is _K.REVIEW and re.search(r"去年|过去一年|一年来", text):
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
        if k is None and re.search(r"\d{4}年度?的?工作$", h.text):
            k = _K.PLAN if any(x is _K.REVIEW for _, x in out) else _K.REVIEW
        if h.numbering and seen_bare and k not in (_K.PROBLEMS, _K.GOVERNMENT):
            k = None
        if not h.numbering and out and out[-1][1] in (_K.FIVE_YEAR, _K.PLAN):
            if not heading_years(h.text):
                continue  # "主要目标" inside the five-year goals is one of its topics
        if k is None and not out and h.numbering:
            k = _K.REVIEW  # an unnamed first part of a work report is its review
        if out and k is out[-1][1] and h.numbering and not re.search(r"\d{4}|十.?五", h.text):
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


def _review_cue(s: str, ry: int | None) -> bool:
    """True when a paragraph opens the review ("今年以来…", "2023年是…" of the review year)."""
    m = _REVIEW_CUE.match(s)
    return m is not None and (m.group(1) is None or ry is None or int(m.group(1)) <= ry)


def _plan_cue(paras: list[Para], after: int, ry: int | None, py: int | None) -> Para | None:
    """The paragraph (or sentence) whose opening opens the plan part, if one does.

    A paragraph's opening sentence counts; so does a sentence inside a paragraph when it
    names the plan year ("…仍须久久为功。2022年，罗溪镇将…"), since extracted or flattened
    text runs the plan's first sentence into the last paragraph of the review.
    """
    for p in paras:
        if p.end <= after:
            continue
        if p.line > after and _cue_opens_plan(p.s, ry, py):
            return p
        for m in _INLINE_PLAN.finditer(p.s):
            year = m.group(3) or m.group(4)
            y = int(year) if year else None
            if y == py and p.off + m.start(2) > after:
                a = p.off + m.start(2)
                return Para(a, p.end, a, p.s[m.start(2) :])
    return None


def _cue_opens_plan(s: str, ry: int | None, py: int | None) -> bool:
    m = _PLAN_CUE.match(s)
    if not m or not _PLAN_VERB.search(s[:120]):
        return False
    y = _YEAR_AT.search(s, 0, 12) or _CN_YEAR_AT.search(s, 0, 12)
    year = (year_digits(y.group(1)) or int(y.group(1))) if y else None
    # "2023年，…" after the 2023 review opens no plan
    return year is None or not ((py is not None and year < py) or (ry and year <= ry))


def _tense(paras: list[Para]) -> int:
    return sum(
        len(FUTURE_MARKERS_RE.findall(p.s)) - len(PAST_MARKERS_RE.findall(p.s)) for p in paras
    )


def _unnamed_plan_heading(
    hs: list[Heading], events: list[tuple[int, SectionKind, str, bool]], body: list[Para],
    line_of: dict[int, int], ry: int | None, py: int | None,
) -> Para | None:  # fmt: skip
    """The first unnamed top-level heading after the review whose part reads as plans, when
    the review before it reads as results ("一、…回顾" then "二、抓紧有利时机，加快经济发展")."""
    review = next((e[0] for e in events if e[1] is _K.REVIEW), None)
    # Only right after the review: not among the topics of a five-year or later part.
    limit = min((e[0] for e in events if review is not None and e[0] > review
                 and e[1] is not _K.REVIEW), default=body[-1].end + 1 if body else 0)  # fmt: skip
    tops = [h for h in hs if h.level == 1 and h.numbering]
    for i, h in enumerate(tops):
        at = line_of[h.start]
        if review is None or at <= review or classify(h.text, ry, py) is not None:
            continue
        if at >= limit:
            return None
        nxt = line_of[tops[i + 1].start] if i + 1 < len(tops) else body[-1].end + 1
        ahead = [p for p in body if at <= p.line < nxt]
        behind = [p for p in body if review <= p.line < at]
        if _tense(ahead) > 0 and _tense(behind) <= 0:
            return next(p for p in body if p.line == at)
        return None
    return None


def _tense_boundary(paras: list[Para], after: int) -> Para | None:
    """Where the prose turns from results to plans, for text that no heading or cue divides.

    The split maximises completion wording before it and future wording after it; it is
    taken only when the stretch after it clearly reads as plans (a truncated report that is
    all review has no such stretch).
    """
    body = [p for p in paras if p.line > after]
    if len(body) < 6:
        return None
    score = [_tense([p]) for p in body]
    total, run = sum(score), 0
    best, best_i = 0, -1
    for i in range(1, len(body)):  # maximise results before and plans after the split
        run += score[i - 1]
        gain = (total - run) - run
        if gain > best:
            best, best_i = gain, i
    if best_i <= 0:
        return None
    before, later = score[:best_i], score[best_i:]
    if sum(later) < max(5, len(later) // 2) or sum(before) > 0:
        return None
    return body[best_i]


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
        found = _plan_cue(body, five, ry, py)
        if found is not None and _FIVE_CUE.match(found.s):
            events.append((found.line, _K.FIVE_YEAR, _first_sentence(found.s), True))
            five, found = found.line, _plan_cue(body, found.end, ry, py)
        confidence = "medium"
        if five < 0:
            # "二、抓紧有利时机，加快经济发展" before "今年计划要求…": the heading opens it.
            heading = _unnamed_plan_heading(hs, events, body, line_of, ry, py)
            if heading is not None and (found is None or heading.line < found.line):
                found = heading
        if found is None and five < 0:
            confidence = "low"
            review = next((e[0] for e in events if e[1] is _K.REVIEW), zone - 1)
            found = _tense_boundary(body, review)
        if found is not None:
            events = [e for e in events if e[0] < found.line or e[3] or e[1] is not _K.REVIEW]
            events.append((found.line, _K.PLAN, _first_sentence(found.s), True))
        elif mixed := next((e for e in events if e[1] is _K.FIVE_YEAR and py is not None
                            and str(py) in e[2].translate(_FULLWIDTH)), None):  # fmt: skip
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
        head = _unnamed_plan_heading(hs, events, body, line_of, ry, py)
        if head is not None and head.line < plan_at:
            events.append((head.line, _K.PLAN, _first_sentence(head.s), False))
    events.sort(key=lambda e: e[0])
    first = events[0][0] if events else len(text)
    cue = next((p for p in body if p.line < first and _review_cue(p.s, ry)), None)
    if cue and events and events[0][1] is _K.REVIEW:
        # "今年以来…" before "一、2019年工作总结" opens that part: a part of its own would cost a
        # chunk, and so a prompt, for one paragraph.
        events[0] = (cue.line, *events[0][1:])
    elif events and events[0][1] in (_K.PLAN, _K.FIVE_YEAR) and body and body[0].line < first:
        # The plan opens on a cue and nothing names the review: it is what comes before.
        start = cue or body[0]
        events.insert(0, (start.line, _K.REVIEW, _first_sentence(start.s), False))
    elif cue:
        events.insert(0, (cue.line, _K.REVIEW, _first_sentence(cue.s), False))
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
    overlays = _problems(text, hs, paras, base, zone) + _closing(paras, len(text))
    sections = tuple(_apply(text, base, overlays, header))
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


def _problems(text: str, hs: list[Heading], paras: list[Para], base: list[Section], zone: int
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
        k = bisect.bisect_right(blocks, (p.line, len(text))) - 1
        sec = part(p.line)
        if not sec or p.line < taken or (k >= 0 and p.line < blocks[k][1]):
            continue
        start = _problem_start(p, sec.kind is _K.PLAN)
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
        out.append(Section(_K.PROBLEMS, a, min(end, sec.end), _first_sentence(text[a:end])))
    return sorted(out, key=lambda o: o.start)


def _problem_start(p: Para, in_plan: bool) -> int | None:
    """Where a paragraph starts admitting problems: its start, or the sentence inside it that
    does ("…取得新进展。但是，我们前进的道路上还存在不少问题…"), else None."""
    for sa in [0, *(m.end() for m in _TERM.finditer(p.s))]:
        window = 30 if in_plan or sa else 80  # later sentences and plans must open on the cue
        cue = _PROBLEM_CUE.search(p.s, sa, min(len(p.s), sa + window))
        if cue and _PROBLEM_WORD.search(p.s, cue.start(), min(len(p.s), cue.end() + 400)):
            return p.off + sa + (len(p.s[sa:]) - len(p.s[sa:].lstrip()))
        if in_plan:
            return None
    return None


def _closing(paras: list[Para], n: int) -> list[Section]:
    """The closing appeal ("各位代表！…让我们…") and anything after it."""
    for j in range(len(paras) - 1, max(-1, len(paras) - 10), -1):
        p = paras[j]
        if p.line < n * 0.8 or not p.s.startswith("各位代表"):
            continue
        nxt = paras[j + 1].s if j + 1 < len(paras) else ""
        if _APPEAL.search(p.s) or (len(p.s) <= 8 and _APPEAL.search(nxt)):
            return [Section(_K.OTHER, p.line, n, _first_sentence(p.s))]
    return []


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
                out.append(replace(o, end=pos, period=_period(o.kind, "", header)))
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
