"""Report structure: headings, the review / problems / plan parts, and the report header.

Input is the clean text (one paragraph per line, headings on their own line); offsets are
offsets into it. Reports vary a lot: numbered outlines (一、/（一）/1.), bare part titles
("2021年主要工作安排"), no headings at all (a part opens on a cue sentence: "今年以来…",
"2022年，罗溪镇将…"), OCR parts out of order, and problems as one paragraph inside the review
("在肯定成绩的同时，我们也清醒地认识到…"). The rules are plain regular expressions over lines,
so every decision can be traced to one line of the report, and every pass is linear.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, replace
from enum import Enum
from typing import NamedTuple

__all__ = ["Heading", "Outline", "ReportHeader", "Section", "SectionKind", "find_headings",
           "outline", "period_of", "read_header"]  # fmt: skip


class SectionKind(str, Enum):
    """The part of a report a span of text belongs to."""

    PREAMBLE = "preamble"
    REVIEW = "review"
    PROBLEMS = "problems"
    PLAN = "plan"
    OTHER = "other"


@dataclass(frozen=True)
class Heading:
    """A heading line, or the run-in lead ("1.综合实力稳中有进。") of a paragraph."""

    start: int
    end: int
    level: int  # 1 一、/bare part title, 2 （一）, 3 1./（1）, 4 lead phrase
    numbering: str
    text: str

    @property
    def label(self) -> str:
        """Numbering and text, as the heading reads in the report."""
        return f"{self.numbering}{self.text}"


@dataclass(frozen=True)
class Section:
    """A contiguous part of the report; the sections of an outline tile the clean text."""

    kind: SectionKind
    start: int
    end: int
    heading: str
    period: str | None = None  # the years this part covers ("2019", "2021-2025")


@dataclass(frozen=True)
class ReportHeader:
    """Which report, who issued it, and which years it reviews and plans."""

    title: str
    issuer: str
    level: str
    review_period: str | None
    plan_period: str | None


@dataclass(frozen=True)
class Outline:
    """Header, headings and sections of one clean text."""

    header: ReportHeader
    headings: tuple[Heading, ...]
    sections: tuple[Section, ...]

    def section_at(self, offset: int) -> Section:
        """The section containing a clean-text offset (clamped to the text)."""
        i = bisect.bisect_right(self.sections, offset, key=lambda s: s.start)
        return self.sections[max(0, i - 1)]

    def kind_at(self, offset: int) -> SectionKind:
        """The kind of the section containing a clean-text offset."""
        return self.section_at(offset).kind


# ---------------------------------------------------------------- lines and headings

_CN = "一二三四五六七八九十"
_L1 = re.compile(rf"(?:[{_CN}]{{1,3}}\s*[、.．]|第[{_CN}]{{1,3}}部分[、：:\s]?)\s*")
_L2 = re.compile(rf"[（(]\s*([{_CN}]{{1,3}})\s*[）)]\s*[、.．]?\s*")
_L3 = re.compile(r"(?:\d{1,2}\s*[.．、](?!\d)|[（(]\s*(\d{1,2})\s*[）)]|\d{1,2}[）)]|[①-⑳])\s*")
_NUM_FIRST = frozenset(_CN + "第（(0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")
# A run-in lead phrase; a short quoted name inside it counts as one word ("夯实“农业强”基础。").
_LEAD_CH = r"[^，,、：:；;。！？!?“”\"（）()《》\s\d]"
_LEAD = re.compile(rf"(——|\*\*)?((?:{_LEAD_CH}|“{_LEAD_CH}{{1,8}}”){{2,16}}?)(?:\*\*)?[。.](?=\S)")
_TERM = re.compile(r"[。！？；;!?]")
_META = re.compile(r"[^\s:：，,。]{1,8}\s*[:：]")  # "信息名称:…", the fields of a web page
_REVIEW_KW = re.compile(r"回顾|总结|回眸|完成情况|执行情况|(?:主要|工作)(?:成绩|成效)|过去[一五]年|"
                        r"[一五]年来|汇报\d{4}年度?工作$")  # fmt: skip
_PLAN_KW = re.compile(r"思路|计划|安排|打算|展望|今后|部署|下一步|工作重点|重点工作|预期|总体要求|"
                      r"目标任务|(?:主要|奋斗|总体)(?:目标|任务)")  # fmt: skip
_PROBLEM_KW = re.compile(r"存在的?(?:主要)?问题|问题和不足|不足和问题|困难和问题|问题与不足|"
                         r"困难与挑战|差距和不足|短板和不足")  # fmt: skip
_OTHER_KW = re.compile(r"自身建设|政府治理能力|政府建设")
_YEAR_WORK = re.compile(r"\d{4}年度?的?工作$")
_LSTRIP, _RSTRIP = " \t\r\u3000\xa0#*■●◆▲", " \t\r\u3000\xa0*■"


class _Para(NamedTuple):
    line: int  # start of the line
    end: int  # end of the line
    off: int  # start of the content, after indentation and decoration
    s: str  # the content


def _paragraphs(text: str) -> list[_Para]:
    """The non-blank lines of the text with their content."""
    out, pos = [], 0
    for line in text.split("\n"):
        s = line.lstrip(_LSTRIP)
        if s.strip():
            out.append(_Para(pos, pos + len(line), pos + len(line) - len(s), s.rstrip(_RSTRIP)))
        pos += len(line) + 1
    return out


def _cjk_num(s: str) -> int:
    """Value of a small Chinese numeral (一 … 九十九)."""
    d = {c: i + 1 for i, c in enumerate(_CN[:9])}
    tens, ten, ones = s.partition("十")
    return d.get(tens, 1) * 10 + d.get(ones, 0) if ten else d.get(s, 0)


def _classify(text: str) -> SectionKind | None:
    """The kind a heading's words name, or None when they name none."""
    if _PROBLEM_KW.search(text):
        return SectionKind.PROBLEMS
    r, p = _REVIEW_KW.search(text), _PLAN_KW.search(text)
    if r and p:  # "2019年目标任务完成情况" reviews; otherwise the first named part wins
        first = r.start() < p.start() or r.group() in ("完成情况", "执行情况")
        return SectionKind.REVIEW if first else SectionKind.PLAN
    if r or p:
        return SectionKind.REVIEW if r else SectionKind.PLAN
    return SectionKind.OTHER if _OTHER_KW.search(text) else None


def _zone_end(paras: list[_Para], n: int) -> int:
    """Offset where the title block (title, issuer, date, speaker, captions) ends."""
    for i, p in enumerate(paras):
        s = p.s
        body = s.startswith("各位代表") or _L1.match(s) or _L2.match(s)
        if body or (
            not _META.match(s) and (len(s) > 60 or (len(s) > 25 and s[-1] in "。！？；!?"))
        ):
            return p.line
        if i > 40 or p.line > 3000:
            return p.line
    return n


def _bare_title(s: str) -> str | None:
    """The line as a bare part title ("2021年主要工作安排"), or None if it is not one."""
    if len(s) > 44 or _TERM.search(s) or re.search(r"[:：，,]|工作报告|^[-—]", s):
        return None
    s = s.replace("**", "").strip()
    return s if len(s) >= 2 and (_classify(s) or _YEAR_WORK.match(s)) else None


def _numbered(p: _Para) -> Heading | None:
    """A heading for a numbered line (一、 / （一） / 1. / （1）), else None."""
    s = p.s
    for level, rx in ((1, _L1), (2, _L2), (3, _L3)):
        if not (m := rx.match(s)):
            continue
        rest = s[m.end() :]
        t = _TERM.search(rest)
        head = rest[: t.start()] if t else rest
        if len(head) > 60:  # a numbered paragraph with no short lead: keep its first clause
            c = re.search(r"[，,：:]", head)
            head = head[: c.start()] if c and c.start() <= 60 else head[:60]
        if not head.strip():
            return None
        end = p.off + m.end() + len(head) + (1 if t and t.start() == len(head) else 0)
        return Heading(p.off, end, level, s[: m.end()].strip(), head.replace("**", "").strip())
    return None


def find_headings(text: str) -> list[Heading]:
    """Every heading in the clean text, in order, with its level (1-4)."""
    paras = _paragraphs(text)
    return _headings(paras, _zone_end(paras, len(text)))


def _headings(paras: list[_Para], zone: int) -> list[Heading]:
    title = [p.s for p in paras if p.line < zone and not _META.match(p.s)]
    # A title block naming the review and the plan is the report's title, not a part heading.
    is_title = any(map(_REVIEW_KW.search, title)) and any(map(_PLAN_KW.search, title))
    out: list[Heading] = []
    for p in paras:
        h = None
        if p.line >= zone and p.s[0] in _NUM_FIRST:
            h = _numbered(p)
        if h is None and not (p.line < zone and (is_title or _META.match(p.s))):
            bare = _bare_title(p.s)
            h = Heading(p.off, p.off + len(p.s), 1, "", bare) if bare else None
        if h is None and p.line >= zone and (m := _LEAD.match(p.s)) and len(p.s) > m.end():
            h = Heading(p.off, p.off + m.end(), 4, m.group(1) or "", m.group(2))
        if h is not None:
            out.append(h)
    # A stray （1） where （一） belongs (its next sibling is （二）) is a level-2 heading.
    nxt: Heading | None = None
    for i in range(len(out) - 1, -1, -1):
        h = out[i]
        m = re.fullmatch(r"[（(]\s*(\d{1,2})\s*[）)]", h.numbering)
        n2 = _L2.fullmatch(nxt.numbering) if nxt and nxt.level == 2 else None
        if h.level == 3 and m and n2 and _cjk_num(n2.group(1)) == int(m.group(1)) + 1:
            out[i] = h = replace(h, level=2)
        nxt = h if h.level in (2, 3) else nxt
    return out


def _parts(hs: list[Heading]) -> list[tuple[Heading, SectionKind]]:
    """Top-level headings that open a part, with the part's kind.

    Numbered 一、 headings under a bare part title (金坛: "向全区人民汇报2022年工作" then
    一、三、二…) are topics of that part and open nothing but a problems part. A heading of the
    current kind opens a new part only if it names its own years ("三、2011年的工作" after the
    十二五 plan), not for a topic ("六、确保实现脱贫攻坚目标").
    """
    out: list[tuple[Heading, SectionKind]] = []
    seen_bare = seen_review = False
    for h in hs:
        if h.level != 1:
            continue
        k = _classify(h.text)
        if k is None and _YEAR_WORK.match(h.text):
            k = SectionKind.PLAN if seen_review else SectionKind.REVIEW
        if h.numbering and seen_bare and k is not SectionKind.PROBLEMS:
            k = None
        if k is None and not out and h.numbering:
            k = SectionKind.REVIEW  # an unnamed first part of a work report is its review
        if out and k is out[-1][1] and h.numbering and not re.search(r"\d{4}|十.?五", h.text):
            k = None
        seen_bare |= not h.numbering
        if k is not None:
            seen_review |= k is SectionKind.REVIEW
            out.append((h, k))
    return out


# ---------------------------------------------------------------- header

_SPAM = re.compile(r"赌|博彩|彩票|娱乐|澳门|亚冠|现金|真人|百家乐|棋牌|投注|下注|老虎机|葡京|"
                   r"威尼斯人|太阳城|皇冠|开户|注册送|http|www\.|\.com", re.IGNORECASE)  # fmt: skip
_TITLE_KW = re.compile(r"工作报告|工作总结|工作思路|工作计划|工作安排|工作回顾|汇报\d{4}年")
_SUFFIX = r"(?:自治区|自治州|街道|[省市州盟区县旗镇乡])"
_PLACE = rf"[\u4e00-\u9fff]{{2,8}}?{_SUFFIX}"
_ORG_LINE = re.compile(r"[\u4e00-\u9fff（）()]{2,30}(?:[镇乡区县市州省园）)]|政府|管委会)")
_PARK_TOWN = re.compile(r"[\u4e00-\u9fff]{2,12}园[（(][\u4e00-\u9fff]{2,6}(?:镇|乡|街道)[)）]")
_SPEAKER = re.compile(r"(?:^|[^\u4e00-\u9fff]|人民政府|国务院|代)(镇长|乡长|区长|县长|市长|州长|"
                      r"省长|主席|总理)[\s\u3000\xa0]*[\u4e00-\u9fff]{2,3}", re.M)  # fmt: skip
_SPEAKER_LEVEL = {"镇长": "town", "乡长": "town", "区长": "district", "县长": "county",
                  "市长": "city", "州长": "prefecture", "省长": "province", "主席": "province",
                  "总理": "national"}  # fmt: skip
_SUFFIX_LEVEL = {"自治区": "province", "自治州": "prefecture", "街道": "town", "省": "province",
                 "州": "prefecture", "盟": "prefecture", "市": "city", "区": "district",
                 "县": "county", "旗": "county", "镇": "town", "乡": "town"}  # fmt: skip
_LEVEL_CHAR = {"town": "镇", "district": "区", "county": "县", "city": "市", "prefecture": "州",
               "province": "省"}  # fmt: skip
# Set phrases that name the place itself: 平安崇左、健康黔东南建设、法治金坛.
_BRAND = re.compile(r"(?:平安|法治|健康|美丽|幸福|魅力|品质|文明)([\u4e00-\u9fff]{2,3}?)"
                    r"(?=建设|[，。、；！”\"\s,;]|$)")  # fmt: skip
_NOT_PLACE = re.compile(
    r"中国|乡村|城市|城镇|家园|庭院|河湖|社区|校园|医院|乡镇|村庄|生活|环境|政府"
)
# 十三五 (not 十五届, 十五年, 第十五次): a bare 十五 counts only in quotes, “十五”.
_PLAN_NO = re.compile(rf"十([{_CN[:9]}])五(?![届个年次项条名家人万亿千百天日月%])|[“\"]十()五[”\"]")


def _tidy(s: str) -> str:
    """Drop decoration and the spaces a PDF or letter-spacing put inside a title."""
    s = s.replace("**", "").strip(" \u3000\xa0\t#■")
    if re.fullmatch(r"(?:[\u4e00-\u9fff][\s\u3000]+)+[\u4e00-\u9fff]", s):
        return re.sub(r"[\s\u3000]+", "", s)
    return re.sub(r"(?<=[\u4e00-\u9fff\d])[\s\u3000]+(?=[\u4e00-\u9fff\d])|^[-—]+", "", s)


def _find_title(lines: list[str]) -> str:
    """The report title from the title block ('' if none)."""
    for i, s in enumerate(lines):
        m = _TITLE_KW.search(s)
        if not m or _SPAM.search(s) or s.startswith(("在", "（", "(")) or "》" in s:
            continue
        if len(s) > 40 or "\t" in s:  # a title inside a sentence: place, year and keyword only
            run = re.search(rf"(?:{_PLACE})?(?:\d{{4}}年度?)?(?:政府)?{m.group()}", s)
            s = run.group() if run else m.group()
        if i + 1 < len(lines) and lines[i + 1][0] in "及和与暨并":
            s += lines[i + 1]  # "…2021年工作总结" / "及2022年工作计划" on two lines
        if s[0].isdigit():  # "2019年工作总结和2020年工作思路" under or over its issuer line
            org = [o for o in lines[max(0, i - 1) : i + 3] if _ORG_LINE.fullmatch(o)]
            s = (org[0] if org else "") + s
        return s
    # No title keyword: a headline ("抓转型促发展…"), but not a date, speaker or issuer line.
    skip = re.compile(
        rf"\d|[（(]|.*人民代表大会|.*(?:镇|乡|区|县|市|州|省)长|.*总理|{_ORG_LINE.pattern}$"
    )
    return next((s for s in lines if not _SPAM.search(s) and not skip.match(s)), "")


def _level_of(name: str) -> str:
    """Administrative level named by the last level word of a place or body name."""
    if "国务院" in name:
        return "national"
    m = re.search(rf"({_SUFFIX})[）)]?(?:人民政府|政府)?$", name)
    return _SUFFIX_LEVEL[m.group(1)] if m else "unknown"


def _infer_place(text: str) -> str | None:
    """The place a report keeps naming in set phrases (平安X、健康X建设), if any."""
    votes = Counter(m.group(1) for m in _BRAND.finditer(text) if not _NOT_PLACE.search(m.group(1)))
    top = votes.most_common(5)  # counting every candidate's mentions would be quadratic
    name = max(top, key=lambda kv: (kv[1], text.count(kv[0])))[0] if top else ""
    return name if text.count(name) >= 3 and not _SPAM.search(name) else None


def _issuer(text: str, zone: int, lines: list[str], title: str) -> tuple[str, str]:
    """(issuer, level) from the title, title block, speaker line or 我代表… cue.

    Candidates go from the most to the least trustworthy; one that looks like injected spam
    ("在澳门现金赌场郑陆镇第三届…") is skipped, never repaired.
    """
    head = text[: zone + 1500]
    speaker = _SPEAKER.search("\n".join(lines)) or _SPEAKER.search(head)
    sp_level = _SPEAKER_LEVEL[speaker.group(1)] if speaker else "unknown"
    org = rf"(?:{_PLACE}|[\u4e00-\u9fff]{{2,12}}[（(][\u4e00-\u9fff]{{2,6}}[)）])(?=\d)"
    cands = [m.group() for m in [re.match(org, title)] if m]
    cands += [m.group() for m in _PARK_TOWN.finditer(head)]
    cands += [s for s in lines if _ORG_LINE.fullmatch(s) and "党" not in s and s != title]
    rxs = [rf"(?<![\u4e00-\u9fff])({_PLACE}人民政府){speaker.group(1)}" if speaker else "($^)",
           rf"在({_PLACE})第[{_CN}]+届人民代表大会",
           r"我代表(国务院|[\u4e00-\u9fff]{2,12}?人民政府)"]  # fmt: skip
    cands += [m.group(1) for rx in rxs for m in re.finditer(rx, head)]
    for c in cands:
        if not _SPAM.search(c) and not re.match(_SUFFIX, c):
            level = _level_of(c)
            body = c + "人民政府" if re.search(f"{_SUFFIX}$", c) else c  # 郑陆镇 -> 郑陆镇人民政府
            return body, level if level != "unknown" else sp_level
    # Every cue lacks the name (我代表市人民政府, 代区长…): find the place elsewhere.
    m = re.search(r"我代表本?([省市州区县镇乡])(?:人民)?政府", head)
    level = _SUFFIX_LEVEL[m.group(1)] if m and sp_level == "unknown" else sp_level
    if "国务院" in head and level in ("national", "unknown"):
        return "国务院", "national"
    place = _infer_place(text[:200_000])
    if place and level in _LEVEL_CHAR:
        return place + _LEVEL_CHAR[level] + "人民政府", level
    return "", level


def period_of(text: str, kind: SectionKind, ref: int | None = None) -> str | None:
    """Years a part heading covers: '2019', '2016-2020' (十三五), or None.

    `ref` is the plan year; it resolves 今年 in a plan heading and 去年/过去一年/五年来 in a
    review heading. "2019年和今年以来工作回顾" reviews 2019: 今年以来 is the weeks before the
    report, so relative words count only when the heading names no year.
    """
    # The n-th five-year plan starts in 1966 + 5 (n - 3): 十三五 is 2016-2020, 十五 2001-2005.
    nth = [m.group(1) or "零" for m in _PLAN_NO.finditer(text)]
    starts = [1966 + 5 * (7 + _cjk_num(n)) for n in nth]
    spans = [(y, y + 4) for y in starts]
    spans += [(int(y), int(y)) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)]
    if ref is not None and not spans:
        if kind is SectionKind.PLAN and re.search(r"今年|明年|新的一年", text):
            spans.append((ref, ref))
        elif kind is not SectionKind.PLAN and re.search(r"过去五年|五年来|五年工作", text):
            spans.append((ref - 5, ref - 1))
        elif kind is not SectionKind.PLAN and re.search(r"去年|过去一年|一年来", text):
            spans.append((ref - 1, ref - 1))
    if not spans:
        return None
    a, b = min(s for s, _ in spans), max(e for _, e in spans)
    return str(a) if a == b else f"{a}-{b}"


def _span_of(parts: list[tuple[Heading, SectionKind]], kind: SectionKind, ref: int | None = None
             ) -> str | None:  # fmt: skip
    """The widest period named by the part headings of one kind."""
    ps = [p for h, k in parts if k is kind and (p := period_of(h.text, kind, ref))]
    a, b = min((int(p[:4]) for p in ps), default=0), max((int(p[-4:]) for p in ps), default=0)
    return None if not ps else str(a) if a == b else f"{a}-{b}"


def read_header(text: str, title_hint: str | None = None) -> ReportHeader:
    """Title, issuer, level and the review / plan years of a report."""
    paras = _paragraphs(text)
    zone = _zone_end(paras, len(text))
    return _header(text, title_hint, paras, _headings(paras, zone), zone)


def _header(text: str, hint: str | None, paras: list[_Para], hs: list[Heading], zone: int
            ) -> ReportHeader:  # fmt: skip
    lines = [s for p in paras if p.line < zone and not _META.match(s := _tidy(p.s)) and s]
    hint = _tidy(hint or "")
    title = hint if hint and not _SPAM.search(hint) else _find_title(lines)
    if not title and "各位代表" in text[:5000]:
        title = "政府工作报告"  # a speech to the congress whose title was cut off
    issuer, level = _issuer(text, zone, lines, title)
    parts = _parts(hs)
    tr = re.search(r"(\d{4})年度?工作(?:总结|回顾)", title)
    tp = re.search(r"(\d{4})年度?工作(?:思路|计划|安排|要点)", title)
    review = _span_of(parts, SectionKind.REVIEW) or (tr.group(1) if tr else None)
    plan = _span_of(parts, SectionKind.PLAN) or (tp.group(1) if tp else None)
    if not review and not plan:
        d = re.search(r"(\d{4})年(\d{1,2})月\d{1,2}日在", text[: zone + 500])
        if d:  # spring congresses review last year; a December one reviews the current year
            y = int(d.group(1)) - (int(d.group(2)) <= 6)
            review, plan = str(y), str(y + 1)
    ref = int(plan[:4]) if plan else int(review[-4:]) + 1 if review else None
    if ref is not None:  # 今年 / 过去一年 / 五年来 in headings, resolved against the plan year
        review = review or _span_of(parts, SectionKind.REVIEW, ref) or str(ref - 1)
        plan = plan or _span_of(parts, SectionKind.PLAN, ref) or str(ref)
    return ReportHeader(title, issuer, level, review, plan)


# ---------------------------------------------------------------- sections

_REVIEW_CUE = re.compile(
    r"(?:\[[^\]]*\])?(?:今年以来|过去的?一年|一年来|五年来|过去五年|回顾|回眸)"
)
_PLAN_CUE = re.compile(r"(?:(\d{4})年|明年|新的一年|下一步|今后五年|展望)")
_PLAN_VERB = re.compile(r"将|要|计划|重点|围绕|着力|力争|目标")
_PROBLEM_CUE = re.compile(r"(?:成绩的同时|清醒|清晰|清楚)\S{0,4}?(?:认识|看|意识)到|成绩面前|"
                          r"存在的?(?:主要)?问题")  # fmt: skip
_PROBLEM_WORD = re.compile(r"问题|不足|困难|挑战|差距|短板|矛盾|薄弱|瓶颈")
_LIST_ITEM = re.compile(rf"[{_CN}]是|\d{{1,2}}[.．、]|[（(][\d{_CN}]{{1,3}}[）)]|——|[①-⑳]")
_APPEAL = re.compile(r"让我们|团结在|不懈奋斗|努力奋斗|奋勇前进")


def _first_sentence(s: str) -> str:
    """The opening sentence of a paragraph, as the cue that opened a part."""
    m = _TERM.search(s)
    return (s[: m.end()] if m else s)[:80]


def outline(text: str, title_hint: str | None = None) -> Outline:
    """Header, headings and the ordered parts (sections) that tile the clean text."""
    paras = _paragraphs(text)
    zone = _zone_end(paras, len(text))
    hs = _headings(paras, zone)
    header = _header(text, title_hint, paras, hs, zone)
    line_of = {p.off: p.line for p in paras}
    # Parts open at classified top-level headings, or at cue sentences where headings are missing.
    events = [(line_of[h.start], k, h.label) for h, k in _parts(hs)]
    first = events[0][0] if events else len(text)
    cue = next((p for p in paras if zone <= p.line < first and _REVIEW_CUE.match(p.s)), None)
    if cue and events and events[0][1] is SectionKind.REVIEW:
        # "今年以来…" before "一、2019年工作总结" opens that part: a part of its own would cost a
        # chunk, and so a prompt, for one paragraph.
        events[0] = (cue.line, *events[0][1:])
    elif cue:
        events.insert(0, (cue.line, SectionKind.REVIEW, _first_sentence(cue.s)))
    if events and all(k is not SectionKind.PLAN for _, k, _ in events):
        ry = int(header.review_period[-4:]) if header.review_period else 0
        for p in paras:
            m = _PLAN_CUE.match(p.s)
            if p.line > events[0][0] and m and _PLAN_VERB.search(p.s[:80]):
                if not m.group(1) or int(m.group(1)) > ry:  # "2022年，罗溪镇将…" after 2021
                    events.append((p.line, SectionKind.PLAN, _first_sentence(p.s)))
                    break
    if not events and paras:
        events = [(max(zone, paras[0].line), SectionKind.OTHER, "")]
    events = [(0, SectionKind.PREAMBLE, ""), *sorted(events, key=lambda e: e[0])]
    bounds = [e[0] for e in events[1:]] + [len(text)]
    base = [Section(k, a, b, h, _period(k, h, header))
            for (a, k, h), b in zip(events, bounds, strict=True) if b > a]  # fmt: skip
    base = base or [Section(SectionKind.PREAMBLE, 0, len(text), "")]
    overlays = _problems(text, hs, paras, base) + _closing(paras, len(text))
    return Outline(header, tuple(hs), tuple(_apply(text, base, overlays, header)))


def _period(kind: SectionKind, heading: str, header: ReportHeader) -> str | None:
    """Years one part covers: from its own heading, else from the report header."""
    if kind is SectionKind.PROBLEMS:
        return header.review_period
    if kind not in (SectionKind.REVIEW, SectionKind.PLAN):
        return None
    ref = int(header.plan_period[:4]) if header.plan_period else None
    own = period_of(heading, kind, ref) if heading else None
    return own or (header.review_period if kind is SectionKind.REVIEW else header.plan_period)


def _problems(text: str, hs: list[Heading], paras: list[_Para], base: list[Section]
              ) -> list[Section]:  # fmt: skip
    """Problems inside the review: a 存在的问题 sub-heading's block, or the cue paragraph
    ("在肯定成绩的同时，我们也清醒地认识到…") alone, up to the next paragraph or heading."""
    review = [s for s in base if s.kind is SectionKind.REVIEW]
    starts = [s.start for s in review]

    def part(off: int) -> Section | None:
        i = bisect.bisect_right(starts, off) - 1
        return review[i] if i >= 0 and off < review[i].end else None

    out: list[Section] = []
    for i, h in enumerate(hs):
        sec = part(h.start) if h.level in (2, 3) else None
        if (
            sec
            and _classify(h.text) is SectionKind.PROBLEMS
            and (not out or h.start >= out[-1].end)
        ):
            nxt = next((g.start for g in hs[i + 1 :] if g.level <= h.level), sec.end)
            a, b = text.rfind("\n", 0, h.start) + 1, text.rfind("\n", 0, nxt) + 1
            out.append(Section(SectionKind.PROBLEMS, a, min(max(b, a + 1), sec.end), h.label))
    blocks, heads = [(o.start, o.end) for o in out], {h.start for h in hs if h.level <= 3}
    taken = 0
    for j, p in enumerate(paras):
        k = bisect.bisect_right(blocks, (p.line, len(text))) - 1
        sec = part(p.line)
        if not sec or p.line < taken or (k >= 0 and p.line < blocks[k][1]):
            continue
        if not (_PROBLEM_CUE.search(p.s[:80]) and _PROBLEM_WORD.search(p.s)):
            continue
        end = p.end
        if p.s.endswith(("：", ":")):  # "…主要表现在：" with the list on the following lines
            for q in paras[j + 1 :]:
                if q.end > sec.end or not _LIST_ITEM.match(q.s) or q.off in heads:
                    break
                end = q.end
        taken = end = end + text.startswith("\n", end)  # parts begin at line starts
        out.append(Section(SectionKind.PROBLEMS, p.line, min(end, sec.end), _first_sentence(p.s)))
    return sorted(out, key=lambda o: o.start)


def _closing(paras: list[_Para], n: int) -> list[Section]:
    """The closing appeal ("各位代表！…让我们…") and anything after it."""
    for j in range(len(paras) - 1, max(-1, len(paras) - 10), -1):
        p = paras[j]
        if p.line < n * 0.8 or not p.s.startswith("各位代表"):
            continue
        nxt = paras[j + 1].s if j + 1 < len(paras) else ""
        if _APPEAL.search(p.s) or (len(p.s) <= 8 and _APPEAL.search(nxt)):
            return [Section(SectionKind.OTHER, p.line, n, _first_sentence(p.s))]
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
