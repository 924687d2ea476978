"""Where the plan part begins when no heading names it: cue sentences ("2024年是…，做好今年
工作…", "中共中央…提出了今年…的基本方针"), an unnamed heading whose part reads as plans, the
paragraph after the problems that close the review, else the turn of the prose from results
to plans (a guess the outline marks as such).
"""

from __future__ import annotations

from .. import recache
from ..lazyre import lazy
from ..lexicon import CN_YEAR, DONE_WORDING_RE, YEAR
from ..numerals import year_digits
from .headings import Para, classify
from .overlays import TERM, first_sentence, problem_start, tense
from .types import Heading, SectionKind

_K = SectionKind
_REVIEW_CUE = recache.compile(
    rf"(?:\[[^\]]*\])?(?:今年以来|过去的?一年|一年来|五年来|过去五年|回顾|回眸|({YEAR})年(?:是|，|,)"
    r"|本届政府)"
)
# The speaker's address to the congress, which opens a paragraph or stands as a line of its own.
_ADDRESS_WORDS = r"各位代表[！!，,：:]"
# Sentences that open the plan part where no heading does.
_PLAN_CUE = lazy(
    rf"(?:{_ADDRESS_WORDS}\s*)?(?:(?:{YEAR}|{CN_YEAR})年(?:是|，|,|的|我们"
    r"|全[市省区县州镇国])|(?:做好|对|关于)?今年(?:的)?(?:政府)?工作|今年(?:经济社会发展|国民经济"
    r"|全[市省区县州镇])|明年|新的一年|下一步|今后五年|展望|(?:今年|\d{4}年)(?:是|要|将|的主要任务)"
    r"|今年[^，。]{0,4}(?:要|将))"
)
_INLINE_PLAN = lazy(rf"[。！？](\s*)((?:({YEAR})年[，,][^。！？]{{0,16}}?(?:将|要)|({YEAR})年是))")
# An opening sentence that announces the coming year's agenda in the middle of the paragraph
# ("中共中央…明确提出了今年全党和全国工作的基本方针", "…提出了今后发展国民经济的任务").
_AGENDA = lazy(
    rf"(?:今年|明年|新的一年|今后(?![一二三四五六七八九十几两]+年)|{YEAR}年)[^。！？；，,]{{0,14}}?(?:基本方针|总体要求|主要任务|指导思想"
    r"|的任务)"
)
_ADDRESS = lazy(rf"^{_ADDRESS_WORDS}\s*")
_ADDRESS_LINE = lazy(rf"^(?:{_ADDRESS_WORDS}|各位代表)$")
# A cue that opens the goals of the coming five (or more) years rather than the annual plan.
FIVE_CUE = recache.compile(rf"(?:{_ADDRESS_WORDS}\s*)?(?:今后|未来)(?:五|十|十五)年|展望")
_PLAN_VERB = lazy(r"将|要|计划|重点|围绕|着力|力争|目标|总体要求|主要任务|预期")
_YEAR_AT = recache.compile(rf"({YEAR})年")
_CN_YEAR_AT = recache.compile(rf"({CN_YEAR})年")  # 一九五八年


def _year(written: str) -> int:
    """A year as written: 2023, ２０２３ or 二〇二三 (○ is a zero too)."""
    return year_digits(written) or int(written)


def review_cue(s: str, ry: int | None) -> bool:
    """True when a paragraph opens the review ("今年以来…", "2023年是…" of the review year)."""
    m = _REVIEW_CUE.match(s)
    return m is not None and (m.group(1) is None or ry is None or int(m.group(1)) <= ry)


def plan_cue(paras: list[Para], after: int, ry: int | None, py: int | None) -> Para | None:
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
        first = first_sentence(_ADDRESS.sub("", s, count=1))
        agenda = _AGENDA.search(first)
        # A sentence of prose (a heading has no full stop) that states no result.
        if agenda is None or not TERM.search(s) or DONE_WORDING_RE.search(first):
            return False
        y = _YEAR_AT.search(agenda.group()) or _CN_YEAR_AT.search(agenda.group())
        return y is None or py is None or _year(y.group(1)) >= py
    y = _YEAR_AT.search(s, 0, 12) or _CN_YEAR_AT.search(s, 0, 12)
    year = _year(y.group(1)) if y else None
    # "2023年，…" after the 2023 review opens no plan
    return year is None or not ((py is not None and year < py) or (ry and year <= ry))


_FIRST = recache.compile(r"[（(]?(?:一|1|１)(?![0-9０-９十])")


def unnamed_plan_heading(
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
        if _FIRST.match(h.numbering):
            # "2023年工作回顾" then "一、社会大局和谐稳定": numbering that starts again under a
            # bare part title numbers the review's topics; a part after the review is 二 or later.
            return None
        if at >= limit:
            return None
        nxt = line_of[tops[i + 1].start] if i + 1 < len(tops) else body[-1].end + 1
        ahead = [p for p in body if at <= p.line < nxt]
        behind = [p for p in body if review <= p.line < at]
        if tense(ahead) > 0 and tense(behind) <= 0:
            return next(p for p in body if p.line == at)
        return None
    return None


def after_problems(paras: list[Para], after: int) -> Para | None:
    """The paragraph after the one that closes the review by admitting its problems
    ("应当清醒地看到，当前我们还存在不少困难…"), when it and what follows read as plans: work
    reports conventionally go on from the review's shortcomings to the coming year's tasks."""
    body = [p for p in paras if p.line > after]
    for i, p in enumerate(body[:-1]):
        if problem_start(p, False) != p.off:
            continue
        nxt = body[i + 1 : i + 4]
        if tense(nxt[:1]) > 0 and tense(nxt) > 0:
            return nxt[0]
        return None
    return None


def tense_boundary(paras: list[Para], after: int) -> Para | None:
    """Where the prose turns from results to plans, for text that no heading or cue divides.

    The split maximises completion wording before it and future wording after it; it is
    taken only when the stretch after it clearly reads as plans (a truncated report that is
    all review has no such stretch).
    """
    body = [p for p in paras if p.line > after]
    if len(body) < 6:
        return None
    score = [tense([p]) for p in body]
    total, run = sum(score), 0
    best, best_i, ties = 0, -1, []
    for i in range(1, len(body)):  # maximise results before and plans after the split
        run += score[i - 1]
        gain = (total - run) - run
        if gain > best:
            best, best_i, ties = gain, i, [i]
        elif gain == best and best_i > 0:
            ties.append(i)
    if best_i <= 0:
        return None
    # Among equally good splits, the one after a bare "各位代表！" line: speeches with no
    # headings divide their parts with the address.
    best_i = next((i for i in ties if _ADDRESS_LINE.match(body[i - 1].s)), best_i)
    before, later = score[:best_i], score[best_i:]
    if sum(later) < max(5, len(later) // 2) or sum(before) > 0:
        return None
    return body[best_i]
