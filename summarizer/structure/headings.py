"""Headings: which lines of the clean text are headings, at what level, and what part they name.

Input is the clean text (one paragraph per line, headings on their own line). Reports vary a
lot: numbered outlines (一、/第一部分/（一）/1.), bare part titles ("2023年工作回顾",
"2024年工作安排建议"), run-in leads ("1.综合实力稳中有进。"), letter-spaced or decorated titles.
The rules are plain regular expressions over lines, so every decision can be traced to one line
of the report, and every pass is linear.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from .. import recache
from ..lexicon import (
    CN_DIGITS,
    FIVE_YEAR_RE,
    GOVERNMENT_WORDS,
    PLAN_WORDS,
    PROBLEM_WORDS,
    REVIEW_WORDS,
    SPACES,
    YEAR,
    YEAR_RE,
    cn_small,
    five_year_spans,
)
from .types import Heading, SectionKind

__all__ = [
    "Para",
    "bare_title",
    "classify",
    "find_headings",
    "heading_years",
    "headings",
    "paragraphs",
    "title_zone_end",
]  # fmt: skip

L1 = recache.compile(rf"(?:[{CN_DIGITS}]{{1,3}}\s*[、.．]|第[{CN_DIGITS}]{{1,3}}部分[、：:\s]?)\s*")
L2 = recache.compile(rf"[（(]\s*([{CN_DIGITS}]{{1,3}})\s*[）)]\s*[、.．]?\s*")
_L3 = recache.compile(
    r"(?:\d{1,2}\s*[.．、](?!\d)|[（(]\s*(\d{1,2})\s*[）)]|\d{1,2}[）)]|[①-⑳])\s*"
)
_NUM_FIRST = frozenset(CN_DIGITS + "第（(0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")
# A run-in lead phrase; a short quoted name inside it counts as one word ("夯实“农业强”基础。").
_LEAD_CH = r"[^，,、：:；;。！？!?“”\"（）()《》\s\d]"
_LEAD = recache.compile(
    rf"(——|\*\*)?((?:{_LEAD_CH}|“{_LEAD_CH}{{1,8}}”){{2,16}}?)(?:\*\*)?[。.](?=\S)"
)
_TERM = recache.compile(r"[。！？；;!?]")
META = recache.compile(r"[^\s:：，,。]{1,8}\s*[:：]")  # "信息名称:…", the fields of a web page
_REVIEW_KW = recache.compile(REVIEW_WORDS)
_PLAN_KW = recache.compile(PLAN_WORDS)
_PROBLEM_KW = recache.compile(PROBLEM_WORDS)
_GOVERNMENT_KW = recache.compile(GOVERNMENT_WORDS)
_YEAR_WORK = recache.compile(r"\d{4}年度?的?(?:政府)?工作$")
_YEAR = YEAR_RE
# A bare title opening a part: "2023年工作回顾", "2024年主要目标任务和重点工作".
_YEAR_PART = recache.compile(
    rf"^(?:{YEAR}|今|明)年(?:度)?.{{0,16}}(?:工作|任务|目标|安排|建议|回顾|要点)"
)
_LSTRIP, _RSTRIP = SPACES.replace("\r", "") + "#*■●◆▲", SPACES.replace("\r", "") + "*■"
# "维护世界和平是我国对外政策的主要目标，…": a heading that states something (a copula in its
# first clause) is a topic sentence run into its paragraph, not the name of a part.
_STATEMENT = recache.compile(r"^[^，,。；]+?(?<![于还就总])是(?!否)")
_COMMA = recache.compile(r"[，,]")
_CLAUSE_MARK = recache.compile(r"[，,：:]")
_NOT_BARE = recache.compile(r"[:：，,]|工作报告|报告$|^[-—]")  # a sentence, a title, a dash
_LONG_TERM = recache.compile(r"(?:今后|未来)(?:五|十|十五)年|远景目标|中长期")
_TASK_WORD = recache.compile(r"工作|任务|目标")
_PAREN_ARABIC = recache.compile(r"[（(]\s*(\d{1,2})\s*[）)]")
_REVIEW_ONLY = frozenset({"回顾", "总结", "回眸", "完成情况", "执行情况"})
_FUTURE = recache.compile(r"今年|明年|新的一年|今后|下一步|未来")


class Para(NamedTuple):
    """A non-blank line of the clean text."""

    line: int  # start of the line
    end: int  # end of the line
    off: int  # start of the content, after indentation and decoration
    s: str  # the content


def paragraphs(text: str) -> list[Para]:
    """The non-blank lines of the text with their content."""
    out, pos = [], 0
    for line in text.split("\n"):
        s = line.lstrip(_LSTRIP)
        if s.strip():
            out.append(Para(pos, pos + len(line), pos + len(line) - len(s), s.rstrip(_RSTRIP)))
        pos += len(line) + 1
    return out


def heading_years(text: str) -> list[tuple[int, int]]:
    """The years a heading names: four-digit years and five-year plans (十四五 -> 2021-2025)."""
    spans = [(a, b) for _, _, a, b in five_year_spans(text)]
    return spans + [(int(y), int(y)) for y in _YEAR.findall(text)]


def classify(text: str, review: int | None = None, plan: int | None = None) -> SectionKind | None:
    """The part a heading names, or None when it names none.

    Words decide first (存在的问题, 自身建设, 回顾, 安排); the years a heading names decide
    between review and plan when both or neither kind of word is there, judged against the
    report's review and plan years when they are known. A five-year plan that starts in the
    plan year or later names a five-year goals part, not the annual plan.
    """
    if _PROBLEM_KW.search(text):
        return SectionKind.PROBLEMS
    words = FIVE_YEAR_RE.sub("", text)  # the 计划 of "第二个五年计划" names no plan part
    r, p = _REVIEW_KW.search(words), _PLAN_KW.search(words)
    years = heading_years(text)
    if _STATEMENT.match(words) or (_COMMA.search(words) and not years):
        # A topic sentence ("…，按计划监督使用", "…，实施计划收购和计划供应的政策") names no
        # part unless it names its year ("以提高经济效益为中心，全面完成1991年计划").
        r = p = None
    plans = five_year_spans(text)
    ahead = plan if plan is not None else (review + 1 if review is not None else None)
    if plans and ahead is not None and any(a >= ahead for _, _, a, _ in plans):
        # "“十五五”时期主要目标任务"; "“十四五”时期发展成就和“十五五”时期主要目标" too, and
        # "“十五五”时期主要目标和2026年重点工作", which holds the annual plan as well.
        # The outline looks for the annual plan's own opening inside such a part.
        return SectionKind.FIVE_YEAR if p or not r or len(plans) > 1 else SectionKind.REVIEW
    if (
        plans
        and ahead is not None
        and not (r or p)
        and set(years) <= {(a, b) for *_, a, b in plans}
    ):
        # "第一个五年计划概要" in a report on the plan under way: its goals, not a review.
        if any(a <= ahead <= b for _, _, a, b in plans):
            return SectionKind.FIVE_YEAR
    if _LONG_TERM.search(text) and p:
        return SectionKind.FIVE_YEAR
    if r and p:
        # Years settle "2024年主要工作安排" against "2023年主要工作回顾"; then the words that
        # only ever name a review ("2019年目标任务完成情况"), then the first named part.
        if years and ahead is not None and all(a >= ahead for a, _ in years):
            return SectionKind.PLAN
        first = r.start() < p.start() or r.group() in _REVIEW_ONLY
        return SectionKind.REVIEW if first else SectionKind.PLAN
    if r or p:
        return SectionKind.REVIEW if r else SectionKind.PLAN
    if years and ahead is not None:
        if all(a >= ahead for a, _ in years):
            return SectionKind.PLAN
        if review is not None and all(b <= review for _, b in years) and _YEAR_WORK.search(text):
            return SectionKind.REVIEW
    if _GOVERNMENT_KW.search(text):
        return SectionKind.GOVERNMENT
    if _FUTURE.search(text) and _TASK_WORD.search(text):
        return SectionKind.PLAN
    return None


def names_plan_too(text: str, plan: int | None) -> bool:
    """True for a review heading that also names the plan after it ("国民经济的成就和今后的建设
    任务", "1993年国内工作的回顾和1994年工作的基本方针"): the plan begins inside its part."""
    words = FIVE_YEAR_RE.sub("", text)
    r = _REVIEW_KW.search(words)
    if r is None:
        return False
    rest = words[r.end() :]
    later = [a for a, _ in heading_years(rest)]
    return bool(
        _PLAN_KW.search(rest) or _FUTURE.search(rest) or (plan is not None and plan in later)
    )


def title_zone_end(paras: list[Para], n: int) -> int:
    """Offset where the title block (title, issuer, date, speaker, captions) ends."""
    for i, p in enumerate(paras):
        s = p.s
        body = s.startswith("各位代表") or L1.match(s) or L2.match(s)
        if body or (not META.match(s) and (len(s) > 60 or (len(s) > 25 and s[-1] in "。！？；!?"))):
            return p.line
        if i > 40 or p.line > 3000:
            return p.line
    return n


def bare_title(s: str) -> str | None:
    """The line as a bare part title ("2021年主要工作安排"), or None if it is not one."""
    # "关于…计划执行情况与…计划草案的报告" is a report's title, not one of its parts.
    if len(s) > 44 or _TERM.search(s) or _NOT_BARE.search(s):
        return None
    s = s.replace("**", "").strip()
    if len(s) < 2:
        return None
    named = classify(s) not in (None, SectionKind.GOVERNMENT) or _YEAR_WORK.match(s)
    return s if named or _YEAR_PART.match(s) or _GOVERNMENT_KW.search(s) else None


def _numbered(p: Para) -> Heading | None:
    """A heading for a numbered line (一、 / （一） / 1. / （1）), else None."""
    s = p.s
    for level, rx in ((1, L1), (2, L2), (3, _L3)):
        if not (m := rx.match(s)):
            continue
        rest = s[m.end() :]
        t = _TERM.search(rest)
        head = rest[: t.start()] if t else rest
        if len(head) > 60:  # a numbered paragraph with no short lead: keep its first clause
            c = _CLAUSE_MARK.search(head)
            head = head[: c.start()] if c and c.start() <= 60 else head[:60]
        if not head.strip():
            return None
        end = p.off + m.end() + len(head) + (1 if t and t.start() == len(head) else 0)
        return Heading(p.off, end, level, s[: m.end()].strip(), head.replace("**", "").strip())
    return None


def find_headings(text: str) -> list[Heading]:
    """Every heading in the clean text, in order, with its level (1-4)."""
    paras = paragraphs(text)
    return headings(paras, title_zone_end(paras, len(text)))


def headings(paras: list[Para], zone: int) -> list[Heading]:
    """The headings among `paras`, the title block (before `zone`) excepted."""
    title = [p.s for p in paras if p.line < zone and not META.match(p.s)]
    # A title block naming the review and the plan is the report's title, not a part heading.
    is_title = any(map(_REVIEW_KW.search, title)) and any(map(_PLAN_KW.search, title))
    out: list[Heading] = []
    for p in paras:
        h = None
        if p.line >= zone and p.s[0] in _NUM_FIRST:
            h = _numbered(p)
        if h is None and not (p.line < zone and (is_title or META.match(p.s))):
            bare = bare_title(p.s)
            h = Heading(p.off, p.off + len(p.s), 1, "", bare) if bare else None
        if h is None and p.line >= zone and (m := _LEAD.match(p.s)) and len(p.s) > m.end():
            h = Heading(p.off, p.off + m.end(), 4, m.group(1) or "", m.group(2))
        if h is not None:
            out.append(h)
    # A stray （1） where （一） belongs (its next sibling is （二）) is a level-2 heading.
    nxt: Heading | None = None
    for i in range(len(out) - 1, -1, -1):
        h = out[i]
        m = _PAREN_ARABIC.fullmatch(h.numbering)
        n2 = L2.fullmatch(nxt.numbering) if nxt and nxt.level == 2 else None
        if h.level == 3 and m and n2 and cn_small(n2.group(1)) == int(m.group(1)) + 1:
            out[i] = h = replace(h, level=2)
        nxt = h if h.level in (2, 3) else nxt
    return out
