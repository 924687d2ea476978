"""The offline rule-based engine: the default when no model endpoint is configured.

It reads the outline that `sections` built and the numbers that `numbers` found, and turns
them into the same ChunkSummary answers a model gives, with no network and no model:

* achievements: one item per heading (or headed paragraph) of the review part, its lead
  sentence as text and every quantified indicator under it as a Metric;
* problems: the admitted shortcomings of each problems part, split on 一是…二是… or ；;
* plans: one item per heading of the plan part with its quantified targets, plus the
  headline expected-goals sentence (主要预期目标是：…) as an item of its own.

Every metric quotes the clause of the clean text that holds its number and is kept only when
that clause, parsed on its own, states the same quantity, so the validators never see a number
the source does not state. All helpers are pure functions of the clean text and its outline.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..chunking import split_sentences
from ..grounding import normalize
from ..models import Achievement, ChunkSummary, Metric, MetricKind, Plan, Problem
from ..numbers import (
    NumberMention,
    Period,
    find_numbers,
    find_periods,
    same_quantity,
    units_compatible,
)
from ..sections import Heading, Outline, Section, SectionKind
from . import ChunkResult, EngineOutput, PreparedReport

__all__ = ["RulesEngine", "extract"]

# ---------------------------------------------------------------- vocabulary

# A clause ends at Chinese punctuation; "," and ":" only when not between digits (1,820; 10:30).
_CLAUSE_CUT = re.compile(r"[，。；：！？;!?\n]|(?<![0-9])[,:]|[,:](?![0-9])")
_SCOPE_CUT = re.compile(r"[。！？!?\n]")
_LEAD_CUT = re.compile(r"[，；,;]")
_LEAD_MAX = 100
_AREA_MAX = 24
_NAME_MAX = 24

# Verbs and fillers between an indicator's name and its figure: "园镇实现地区生产总值69亿元".
_NAME_TAIL = re.compile(
    r"(?:分别达到|分别达|分别为|分别|达到了|达到|高达|已达|首破|突破|超过|不少于|不低于|不超过|"
    r"保持在|稳定在|控制在|(?:增加|增长|提高|提升|降低|下降|上升)[到至]|增至|降至|总计|共计|合计|"
    r"累计达|累计|实现了|实现|完成了|完成|力争|争取|确保|约为|约|近|超|逾|达|为|是|至|到|了|共|从|"
    r"由|新增|有|在)+$"
)
_CHANGE_TAIL = re.compile(
    r"(?:规模|总量)?(?:同比|(?:较|比)(?:上年度?|去年|上年同期)|年均|平均)?(?:负增长|增长|增幅|增速|提高|提升|增加|"
    r"上升|增收|净增|上涨|攀升|扩大|下降|降幅|减少|降低|回落|下滑|减收|压减|削减)"
    r"(?:了|率|为|幅度|幅|分别|达|到)*$"
)
_NAME_HEAD = re.compile(
    r"^(?:其中|另外|此外|同时|并且|以及|尤其是|特别是|还|并|也|又|共|全镇|全区|全市|全县|全州|全省|"
    r"园镇|我镇|我区|我市|我县|我州|我省|首个|累计|同比|力争|争取|确保|计划|[、和及与])+"
)
# Time words are the metric's period, not part of its name.
_TIME_WORDS = re.compile(
    r"\d{1,4}\s*(?:[-—–~～至到]\s*\d{1,4}\s*)?[年月](?:度|份|底|末|以来)?|全年|今年|当年|预计|"
    r"截至目前|截至"
)
# The subject before 实现/完成 is the reporting body ("园镇实现…", "金科园完成…").
_SUBJECT_VERB = re.compile(r"(?:实现|完成)(?!率|值|度|情况)了?")
# A name that is only an action takes its noun from after the figure ("加快推进21个…项目").
_ACTION = re.compile(
    r"(?:推进|实施|开展|组织|引进|建成|新建|打造|培育|创建|治理|整治|申报|盘活|聚焦|建设|改造|签约|"
    r"落实|排查|支持|引导|帮助|提供|组建|建强|做好|推动|保障|为|对|向|有|新增)$"
)
# The noun after a figure ends at the next verb or list mark ("7家企业跻身…", "6个卡口和…").
_POST_CUT = re.compile(
    r"[的，,。；;0-9０-９和及与]|全部|实现|提供|开展|进行|落实|获评|完成|达到|参加|入驻|竣工|投产|"
    r"开工|签约|顺利"
)
_FIGURE_ONLY = re.compile(r"[0-9０-９.]+\S{0,2}")
_POST_QUAL = re.compile(r"\s*(?:以上|以下|以内|左右|之多)")
_SKIP_UNITS = frozenset({"周年", "周岁"})
_SKIP_AFTER = re.compile(r"\s*(?:个)?(?:方面|主线|大类)")
_MONEY_OR_AREA = frozenset({"元", "美元", "欧元", "港元", "亩", "平方米", "平方公里"})

_GOALS = re.compile(r"预期目标(?:是|为)?[:：]|主要目标(?:是|为)[:：]|\A力争到?\d{4}年")
_PROBLEM_INTRO = re.compile(
    r"(?:主要表现在|主要表现为|表现在|主要是|主要有|具体是)[:：]|(?:比如|例如)[，,]"
)
_PROBLEM_FRAME = re.compile(r"(?:清醒|清晰|清楚)\S{0,4}?(?:认识|看|意识)到|成绩的同时|成绩面前")
_REMEDY = re.compile(r"(?:对此|对于这些|针对|这些问题|我们(?:一定|将|必须|要)|必须)")
_ORDINAL = re.compile(r"[一二三四五六七八九十]是")
# Gambling spam injected into tampered pages: never quote it as the report's own words.
_SPAM = re.compile(r"赌|博彩|百家乐|老虎机|澳门\S{0,2}(?:现金|娱乐|亚冠)|亚冠娱乐|真人娱乐")


# ---------------------------------------------------------------- text helpers


class _Text:
    """The clean text with its clause and scope boundaries, for O(log n) look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.clause_cuts = [m.start() for m in _CLAUSE_CUT.finditer(text)]
        self.scope_cuts = [m.start() for m in _SCOPE_CUT.finditer(text)]

    @staticmethod
    def _around(cuts: list[int], pos: int, n: int) -> tuple[int, int]:
        i = bisect.bisect_right(cuts, pos)
        start = cuts[i - 1] + 1 if i > 0 else 0
        end = cuts[i] if i < len(cuts) else n
        return start, end

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause around `pos`: between the nearest clause punctuation marks."""
        return self._around(self.clause_cuts, pos, len(self.text))

    def scope(self, pos: int) -> tuple[int, int]:
        """The sentence around `pos`, ignoring ；, which a period or 预计 governs."""
        return self._around(self.scope_cuts, pos, len(self.text))


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in "，,、；;："):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in "，,、；;：:。"):
        b -= 1
    return a, b


def _lead(text: str, a: int, b: int) -> tuple[int, int]:
    """The first sentence of text[a:b], cut back to a clause boundary when it is long."""
    sents = split_sentences(text, a, min(b, a + 2 * _LEAD_MAX))
    if not sents:
        return a, a
    s, e = sents[0]
    if e - s > _LEAD_MAX:
        cuts = [m.start() for m in _LEAD_CUT.finditer(text, s, s + _LEAD_MAX)]
        e = cuts[-1] if cuts else s
    return s, e


def _area(label: str) -> str:
    label = label.strip("。.：: ")
    if len(label) <= _AREA_MAX:
        return label
    return re.split(r"[，,；;]", label)[0][:_AREA_MAX]


def _clip(name: str) -> str:
    name = name[-_NAME_MAX:].lstrip("”\"'）)、，,").rstrip("“\"'（(、，,")
    if name.count("“") != name.count("”"):
        name = name.replace("“", "").replace("”", "")
    # A name ending in a numeral would fuse with the figure when a brief prints name + value.
    return name.rstrip("0123456789.-一二三四五六七八九十百千万亿两")


def _name(pre: str, post: str, is_change: bool, after_figure: bool) -> str:
    """The indicator's name from the clause text before (or else after) its figure."""
    pre = _TIME_WORDS.sub("", re.sub(r"\s+", "", pre)).lstrip("“”\"'（(，,")
    if after_figure and re.search(r"[、和及与]$", pre):
        pre = ""  # "6个镇级卡口和102个村级卡口": the text before belongs to the figure before
    elif after_figure and "、" in pre:
        pre = pre.rsplit("、", 1)[1]  # "…项目、总投资10亿元": the name follows the list mark
    for _ in range(3):
        pre = _NAME_TAIL.sub("", pre)
        if is_change:
            pre = _CHANGE_TAIL.sub("", pre)
    verbs = list(_SUBJECT_VERB.finditer(pre))
    if verbs and len(pre) - verbs[-1].end() >= 2:
        pre = pre[verbs[-1].end() :]
    pre = re.split(r"等(?![奖级次])", pre)[-1]
    pre = _NAME_HEAD.sub("", pre)
    if _FIGURE_ONLY.fullmatch(pre):
        pre = ""
    if not is_change and (len(pre) < 2 or _ACTION.search(pre)):
        noun = _POST_CUT.split(re.sub(r"\s+", "", post))[0]
        noun = _NAME_TAIL.sub("", noun)[:12]
        pre = noun if len(noun) >= 2 else pre
    return pre


# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class _Block:
    """A stretch of one part that becomes one item: a heading with its body, or a paragraph."""

    kind: SectionKind
    start: int
    end: int
    area: str
    lead: tuple[int, int]
    headed: bool


def _paragraphs(text: str, sec: Section) -> Iterator[tuple[int, int]]:
    for m in re.finditer(r"[^\n]+", text[sec.start : sec.end]):
        a, b = _strip_span(text, sec.start + m.start(), sec.start + m.end())
        if b > a:
            yield a, b


def _soft_lead(text: str, a: int, b: int) -> str | None:
    """A short opening sentence that heads an unnumbered paragraph ("坚持创新驱动,…成效。")."""
    m = re.search(r"[。！]", text[a : min(b, a + 32)])
    if not m or m.start() < 4 or text.startswith("各位代表", a):
        return None
    first = text[a : a + m.start()]
    return re.split(r"[，,]", first)[-1].removeprefix("我们")


def _blocks(text: str, outline: Outline) -> Iterator[_Block]:
    """Items of the review and plan parts, in text order."""
    heads = sorted(outline.headings, key=lambda h: h.start)
    starts = [h.start for h in heads]
    for sec in outline.sections:
        if sec.kind not in (SectionKind.REVIEW, SectionKind.PLAN):
            continue
        group: _Block | None = None  # a heading on a line of its own, gathering its paragraphs
        for a, b in _paragraphs(text, sec):
            i = bisect.bisect_left(starts, a)
            h: Heading | None = heads[i] if i < len(heads) and heads[i].start < b else None
            if h is not None and h.start > a + 8:
                h = None
            if group is not None and h is None:
                group = _Block(group.kind, group.start, b, group.area, group.lead, True)
                continue
            if group is not None and "\n" in text[group.lead[1] : group.end]:
                yield group
            group = None
            if h is not None:
                if not text[h.end : b].strip(" 。.：:"):
                    if a != sec.start:  # not the part's own title
                        lead = (h.start + len(h.numbering), h.end)
                        group = _Block(sec.kind, a, b, _area(h.text), lead, True)
                    continue
                lead = _lead(text, h.start + len(h.numbering), b)
                yield _Block(sec.kind, a, b, _area(h.text), lead, True)
                continue
            soft = _soft_lead(text, a, b)
            if sec.kind is SectionKind.PLAN and _GOALS.search(text[a : min(b, a + 80)]):
                area = "主要预期目标"
            else:
                area = soft or ("总体情况" if sec.kind is SectionKind.REVIEW else "其他安排")
            yield _Block(sec.kind, a, b, area, _lead(text, a, b), bool(soft))
        if group is not None and "\n" in text[group.lead[1] : group.end]:
            yield group


# ---------------------------------------------------------------- metrics

_THRESHOLD = frozenset({"突破", "首破", "破", "超", "超过"})
_LIST_GLUE = re.compile(r"\s*(?:[、和及与]|以及)\s*")
_LEVEL_VERB = re.compile(r"(?:增长|提高|提升|增加|上升|下降|降低)[至到]|增至|降至")
_CHANGE_VERB = re.compile(r"增收|减收|净增|增加|减少|提升|提高|下降|增长")


@dataclass
class _Prev:
    """The previous list of figures in the same sentence: for changes, names and levels."""

    names: list[str]
    indices: list[int]
    scope: int
    end: int
    c0: int
    is_change: bool
    qualifier: str | None
    changed: bool = False


def _descriptor(tx: _Text, m: NumberMention, nxt: NumberMention | None) -> bool:
    """A threshold that qualifies a noun ("亿元以上企业45家"), not a figure of its own."""
    text = tx.text
    if _is_cjk(text[m.end : m.end + 1]) and (
        (m.value < 10 and not m.text[0].isdigit()) or m.unit in ("万", "亿", "千", "百")
    ):
        return True  # "两项补贴", "六支队伍", "20万字报告": counting words, not indicators
    if m.base_unit not in _MONEY_OR_AREA:
        return False
    q = _POST_QUAL.match(text, m.end)
    after = q.end() if q else m.end
    if text.startswith("或", after) or (q and text.startswith("的", after)):
        return True  # "1000万美元或1亿元以上的…项目"
    return (
        (
            m.qualifier in ("以上", "以下", "超", "超过")
            or (nxt is not None and nxt.start - after <= 4)
        )
        and nxt is not None
        and nxt.base_unit != m.base_unit
        and tx.clause(nxt.start)[0] <= m.start
        and nxt.start - after <= 16
        and _is_cjk(text[after : after + 1])
    )


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _groups(tx: _Text, mentions: list[NumberMention]) -> list[list[NumberMention]]:
    """Quantity mentions, grouped into lists ("60家、102家、93家") inside one clause."""
    text = tx.text
    qty = [
        m
        for m in mentions
        if not m.is_year and m.unit and m.unit not in _SKIP_UNITS
        and not _SKIP_AFTER.match(text, m.end)
    ]  # fmt: skip
    groups: list[list[NumberMention]] = []
    for k, m in enumerate(qty):
        if _descriptor(tx, m, qty[k + 1] if k + 1 < len(qty) else None):
            continue
        if groups:
            last = groups[-1][-1]
            if (
                last.is_change == m.is_change
                and tx.clause(last.start) == tx.clause(m.start)
                and _LIST_GLUE.fullmatch(text, last.end, m.start)
            ):
                groups[-1].append(m)
                continue
        groups.append([m])
    return groups


def _split_list(name: str, n: int) -> list[str] | None:
    """Split "安全感和满意度" into n names, one per figure of "分别达99.5%、98.4%"."""
    for pattern in (r"[、和与]", r"[、和及与]"):
        parts = [p for p in re.split(pattern, name) if p]
        if len(parts) == n and all(len(p) >= 2 for p in parts):
            return parts
    return None


def _names(
    g: list[NumberMention], pre: str, post: str, prev: _Prev | None, joined: bool, lead_in: str
) -> tuple[list[str | None], bool]:
    """One name per figure of a list, and whether they were inherited from the list before."""
    base = _name(pre, post if len(g) == 1 else "", g[0].is_change, joined)
    same_size = prev is not None and len(prev.names) == len(g)
    if len(base) >= 2:
        if len(g) == 1:
            return [base], False
        parts = _split_list(base, len(g))
        if parts:
            return list(parts), False
        if prev is not None and same_size:
            return [n + base for n in prev.names], False  # "产值分别达到31亿元、90亿元…"
        return [base] + [None] * (len(g) - 1), False
    if g[0].is_change and len(g) == 1 and 2 <= len(lead_in) <= 12:
        return [lead_in], True  # "装备制造业表现突出，同比增长35.4%": the clause before names it
    if prev is not None and same_size:
        verb = m.group() if g[0].is_change and (m := _CHANGE_VERB.search(pre)) else ""
        return [n + verb for n in prev.names], True
    return [None] * len(g), True


def _change_of(pre: str, m: NumberMention, text: str) -> str:
    """The change as written: "同比增长7%", "增长7.5%以上"."""
    verb = _CHANGE_TAIL.search(re.sub(r"\s+", "", pre))
    q = _POST_QUAL.match(text, m.end)
    figure = text[m.start : q.end() if q else m.end]
    words = re.sub(r"^分别", "", verb.group()) if verb else ""
    return re.sub(r"\s+", "", words + figure)


def _period_for(
    periods: list[Period], pstarts: list[int], lo: int, pos: int, skip: tuple[str, ...]
) -> Period | None:
    """The last period named in text[lo:pos] whose kind is not in `skip`."""
    i = bisect.bisect_left(pstarts, pos) - 1
    while i >= 0 and periods[i].start >= lo:
        if periods[i].kind not in skip and periods[i].end <= pos:
            return periods[i]
        i -= 1
    return None


def _states(quote: str, value: float, unit: str, parsed: dict[str, list[NumberMention]]) -> bool:
    """True when the quote, parsed alone, states the quantity (exactly what validate checks)."""
    if quote not in parsed:
        parsed[quote] = [n for n in find_numbers(quote) if not n.is_year]
    return any(same_quantity(value, unit, n.value, n.unit) for n in parsed[quote])


def _metrics(
    tx: _Text, mentions: list[NumberMention], periods: list[Period], target: bool
) -> list[Metric]:
    """Every quantified indicator among `mentions`, each quoting its own clause."""
    text = tx.text
    pstarts = [p.start for p in periods]
    out: list[Metric] = []
    prev: _Prev | None = None
    parsed: dict[str, list[NumberMention]] = {}
    for g in _groups(tx, mentions):
        first = g[0]
        c0, c1 = tx.clause(first.start)
        s0 = tx.scope(first.start)[0]
        if prev is not None and prev.scope != s0:
            prev = None
        joined = prev is not None and prev.end > c0
        pre = text[prev.end if prev is not None and joined else c0 : first.start]
        if (
            first.is_change
            and prev is not None
            and not (prev.is_change or prev.changed)
            and len(g) == len(prev.indices)
            and len(_name(pre, "", True, joined)) < 2
            and len(_CLAUSE_CUT.findall(text, prev.end, first.start)) <= 1
        ):
            # "地区生产总值69亿元，同比增长7%": the change belongs to the figure before it.
            quote = text[prev.c0 : c1]
            for idx, m in zip(prev.indices, g, strict=True):
                change = _change_of(pre, m, text)
                out[idx] = out[idx].model_copy(update={"change": change, "quote": quote})
            prev.changed = True
            continue
        quote = text[c0:c1]
        if _SPAM.search(quote):
            prev = None
            continue
        l0 = tx.clause(c0 - 2)[0] if c0 - 2 >= s0 else c0
        lead_in = _NAME_HEAD.sub("", text[l0 : c0 - 1])
        if re.search(r"[0-9０-９]", lead_in) or (prev is not None and prev.end > l0):
            lead_in = ""
        names, inherited = _names(g, pre, text[g[-1].end : c1], prev, joined, lead_in)
        if lead_in and names[0] == lead_in:
            quote = text[l0:c1]
        para = text.rfind("\n", 0, first.start) + 1
        # 预计 is a kind, not a period; "全年" governs its own sentence, "1-10月" its paragraph.
        p = _period_for(periods, pstarts, s0, first.start, ("estimate",)) or _period_for(
            periods, pstarts, para, first.start, ("estimate", "full_year")
        )
        kind: MetricKind = "target"
        if not target:
            kind = "actual"
            if "预计" in text[s0 : first.start]:
                kind = "estimate"
            elif "累计" in text[c0 : first.start]:
                kind = "cumulative"
        level = joined and _LEVEL_VERB.search(pre)  # "从5.6万元增长至6.8万元": one indicator
        indices: list[int] = []
        kept: list[str] = []
        for m, name in zip(g, names, strict=True):
            if inherited and name and kind == "cumulative":
                name = name.removeprefix("新增") + "（累计）"  # "新增农田1000亩、累计达2.2万亩"
            name = _clip(name or "")
            if len(name) < 2 or not _states(quote, m.value, m.unit, parsed):
                continue
            metric = Metric(
                name=name,
                value=m.value,
                unit=m.unit,
                period=p.text if p else None,
                change=_change_of(pre, m, text) if m.is_change else None,
                kind=kind,
                quote=quote,
            )
            if (
                inherited
                and prev is not None
                and len(g) == len(prev.indices) == 1
                and not m.is_change
                and (prev.qualifier in _THRESHOLD or level)
                and units_compatible(out[prev.indices[0]].unit, m.unit)
            ):
                # "首破4亿美元，达4.4亿美元": the later figure is the indicator's value.
                quote = text[prev.c0 : c1]
                out[prev.indices[0]] = metric.model_copy(update={"quote": quote})
                indices.append(prev.indices[0])
            else:
                out.append(metric)
                indices.append(len(out) - 1)
            kept.append(name)
        if indices:
            prev = _Prev(kept, indices, s0, g[-1].end, c0, first.is_change, g[-1].qualifier)
    return _unique(out)


def _unique(metrics: list[Metric]) -> list[Metric]:
    seen: set[tuple[str, float, str]] = set()
    out = []
    for m in metrics:
        key = (m.name, float(m.value), m.unit)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


# ---------------------------------------------------------------- problems


def _problem_spans(text: str, sec: Section) -> Iterator[tuple[int, int]]:
    """The admitted shortcomings of one problems part, as spans of the clean text."""
    for a, b in split_sentences(text, sec.start, sec.end):
        if _REMEDY.match(text, a):
            return
        intro = _PROBLEM_INTRO.search(text, a, b)
        if intro:
            a = intro.end()
        elif _PROBLEM_FRAME.search(text, a, b):
            continue  # "我们也清醒地认识到…" frames the list; it is not an item of it
        marks = [
            m.start()
            for m in _ORDINAL.finditer(text, a, b)
            if m.start() == a or text[m.start() - 1] in "：:；;，,。"
        ]
        if marks:
            cuts = [*marks, b]
            pieces = [(cuts[i] + 2, cuts[i + 1]) for i in range(len(marks))]
            if marks[0] - a > 4:
                pieces.insert(0, (a, marks[0]))
        else:
            pieces = [(a, b)]
        for pa, pb in pieces:
            pa, pb = _strip_span(text, pa, pb)
            pa += 3 if text.startswith("此外，", pa) or text.startswith("此外,", pa) else 0
            if pb - pa >= 4:
                yield pa, pb


def _problems(text: str, sec: Section) -> list[Problem]:
    out = []
    for a, b in _problem_spans(text, sec):
        piece = text[a:b].removesuffix("等等").rstrip("，,、")
        if piece and not _SPAM.search(piece):
            out.append(Problem(text=piece, evidence=[piece]))
    return out


# ---------------------------------------------------------------- the engine


def _known_numbers(mentions: Iterable[NumberMention]) -> set[tuple[str, str]]:
    return {(m.base_unit, f"{m.base_value:.9g}") for m in mentions if not m.is_year}


def _safe_text(text: str, known: set[tuple[str, str]]) -> bool:
    """True when every number in a text field is one the report states (validate's check)."""
    return all(
        (m.base_unit, f"{m.base_value:.9g}") in known for m in find_numbers(text) if not m.is_year
    )


def _distinct(
    metrics: list[Metric], area: str, seen: dict[tuple[str, str, bool], list[Metric]]
) -> list[Metric]:
    """Name a figure after its item when its bare name already holds another value.

    Two figures under one extracted name ("检查企业71家" under pollution control and
    "检查企业173家" under work safety) are not known to measure the same thing; reporting them
    as conflicting values would be a false alarm, so the later one is named after its item,
    and dropped when even that name is taken.
    """
    out = []
    for m in metrics:
        for name in (m.name, f"{m.name}（{area}）"):
            key = (normalize(name), normalize(m.period or ""), m.kind == "target")
            if not any(
                units_compatible(o.unit, m.unit)
                and not same_quantity(o.value, o.unit, m.value, m.unit)
                for o in seen.get(key, ())
            ):
                m = m if name == m.name else m.model_copy(update={"name": name})
                seen.setdefault(key, []).append(m)
                out.append(m)
                break
    return out


def extract(text: str, outline: Outline) -> list[ChunkResult]:
    """Achievements, problems and plans of a clean text, one ChunkResult per item."""
    tx = _Text(text)
    mentions = find_numbers(text)
    mstarts = [m.start for m in mentions]
    periods = find_periods(text)
    known = _known_numbers(mentions)
    seen: dict[tuple[str, str, bool], list[Metric]] = {}
    results: list[ChunkResult] = []
    for sec in outline.sections:
        if sec.kind is SectionKind.PROBLEMS and (probs := _problems(text, sec)):
            results.append(ChunkResult(sec.start, sec.end, ChunkSummary(problems=probs)))
    for block in _blocks(text, outline):
        i, j = bisect.bisect_left(mstarts, block.start), bisect.bisect_left(mstarts, block.end)
        plan = block.kind is SectionKind.PLAN
        metrics = _distinct(_metrics(tx, mentions[i:j], periods, plan), block.area, seen)
        if not metrics and not block.headed:
            continue
        la, lb = _strip_span(text, *block.lead)
        lead = text[la:lb] if lb > la and not _SPAM.search(text[la:lb]) else ""
        evidence = [lead] if lead else []
        body = lead if lead and _safe_text(lead, known) else block.area
        if plan:
            item = Plan(area=block.area, text=body, targets=metrics, evidence=evidence)
            summary = ChunkSummary(plans=[item])
        else:
            ach = Achievement(area=block.area, text=body, metrics=metrics, evidence=evidence)
            summary = ChunkSummary(achievements=[ach])
        results.append(ChunkResult(block.start, block.end, summary))
    results.sort(key=lambda r: r.start)
    return results


class RulesEngine:
    """The offline engine: rules over the outline and the numbers, no model and no network."""

    name = "rules"
    model: str | None = None

    async def summarize(self, report: PreparedReport) -> EngineOutput:
        """Extract achievements, problems and plans from a prepared report."""
        return EngineOutput(results=extract(report.clean.text, report.outline))

    async def aclose(self) -> None:
        """Nothing to release: the engine holds no connections."""
