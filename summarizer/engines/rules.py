"""The offline rule-based engine: the default when no model endpoint is configured.

It reads the outline that `sections` built and the numbers that `numbers` found, and turns
them into the ChunkSummary answers a model would give, with no network and no model:

* achievements: one item per heading (or headed paragraph) of the review part, its lead
  sentence as text and every quantified indicator under it as a Metric;
* problems: the admitted shortcomings of each problems part, split on 一是…二是… or ；;
* plans: one item per heading of the plan part with its quantified targets (a target's
  `change` is the goal as written: "增长7.5%以上", "不少于10场"), plus the headline
  expected-goals sentence (主要预期目标是：…) as an item of its own.

A metric quotes the clause of the clean text that holds its figure and is kept only when that
clause, parsed on its own, states the same quantity: exactly the check `validate` makes, so the
engine never states a number the source does not. All helpers are pure functions of the clean
text and its outline; each report is parsed for numbers once. The text has been screened
(`tamper.screen`) before it gets here: injected spam is already gone, and a report's own words
about gambling ("查处涉赌案件12起") are figures like any other.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ..chunking import split_sentences
from ..models import Achievement, ChunkSummary, Metric, MetricKind, Plan, Problem
from ..numbers import NumberMention, Period, find_numbers, find_periods, same_quantity, to_base
from ..numbers import units_compatible as _compatible
from ..structure import Outline, Section, SectionKind
from . import ChunkResult, EngineOutput, PreparedReport

__all__ = ["RulesEngine", "extract"]

# A clause ends at Chinese punctuation; "," and ":" only when not between digits (1,820).
_CLAUSE_CUT = re.compile(r"[，。；：！？;!?\n]|(?<![0-9])[,:]|[,:](?![0-9])")
_SCOPE_CUT = re.compile(r"[。！？!?\n]")  # a period or 预计 governs its sentence across ；
_LEAD_MAX, _AREA_MAX, _NAME_MAX = 100, 24, 24
# Verbs and fillers between an indicator's name and its figure: "园镇实现地区生产总值69亿元".
_NAME_TAIL = re.compile(
    r"(?:分别达到|分别达|分别为|分别|达到了|达到|高达|已达|首破|突破|超过|不少于|不低于|不超过|保持在|"
    r"稳定在|控制在|(?:增加|增长|提高|提升|降低|下降|上升)[到至]|增至|降至|总计|共计|合计|累计达|"
    r"累计|实现了|实现|完成了|完成|力争|争取|确保|约为|约|近|超|逾|达|为|是|至|到|了|共|从|由|新增|有|在)+$"
)
_CHANGE_TAIL = re.compile(
    r"(?:规模|总量)?(?:同比|(?:较|比)(?:上年度?|去年|上年同期)|年均|平均)?(?:负增长|增长|增幅|"
    r"增速|提高|提升|增加|上升|增收|净增|上涨|攀升|扩大|下降|降幅|减少|降低|回落|下滑|减收|压减|削减)"
    r"(?:了|率|为|幅度|幅|分别|达|到|近|约|超过|超)*$"
)
_NAME_HEAD = re.compile(
    r"^(?:其中|另外|此外|同时|并且|以及|尤其是|特别是|还|并|也|又|共|全镇|全区|全市|全县|全州|全省|"
    r"园镇|我镇|我区|我市|我县|我州|我省|首个|累计|同比|力争|争取|确保|计划|[、和及与])+"
)
_TIME_WORDS = re.compile(  # the metric's period, not part of its name
    r"\d{1,4}\s*(?:[-—–~～至到]\s*\d{1,4}\s*)?[年月](?:度|份|底|末|以来)?|全年|今年|当年|预计|截至"
)
_SUBJECT_VERB = re.compile(r"(?:实现|完成)(?!率|值|度|情况)了?")  # "园镇实现…": drop the body
# A name that is only an action takes its noun from after the figure ("加快推进21个…项目"),
# which ends at the next verb or list mark.
_ACTION = re.compile(
    r"(?:推进|实施|开展|组织|引进|建成|新建|打造|培育|创建|治理|整治|申报|盘活|聚焦|建设|改造|签约|"
    r"落实|排查|支持|引导|帮助|提供|组建|建强|做好|推动|保障|为|对|向|有|新增)$"
)
_POST_CUT = re.compile(
    r"[的，,。；;0-9０-９和及与]|全部|实现|提供|开展|进行|落实|获评|完成|达到|参加|入驻|竣工|投产|开工|"
    r"签约|顺利"
)
_AGE = re.compile(r"^[0-9０-９]+(?:[-—–~～至到][0-9０-９]+)?周?岁(?:以上|以下)?")
_FIGURE_ONLY = re.compile(r"[0-9０-９.]+\S{0,2}")
_POST_QUAL = re.compile(r"\s*(?:以上|以下|以内|左右|之多)")
_SKIP_AFTER = re.compile(r"\s*(?:个)?(?:方面|主线|大类)")  # "五个方面工作": structure, not a figure
_MONEY_OR_AREA = frozenset({"元", "美元", "欧元", "港元", "亩", "平方米", "平方公里"})
_THRESHOLD = frozenset({"突破", "首破", "破", "超", "超过"})
_LIST_GLUE = re.compile(r"(?:\s*(?:以上|以下|以内|左右))?\s*(?:[、和及与]|以及)\s*(?:近|约|超|逾)?")
_LEVEL_VERB = re.compile(r"(?:增长|提高|提升|增加|上升|下降|降低)[至到]|增至|降至")
_CHANGE_VERB = re.compile(r"增收|减收|净增|增加|减少|提升|提高|下降|增长")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"[0-9０-９]")
_NUMERAL = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿]")
_QUOTE = re.compile(r"[“”\"「」‘’]")
_GOALS = re.compile(r"预期目标(?:是|为)?[:：]|主要目标(?:是|为)[:：]|\A力争到?\d{4}年")
_PROBLEM_INTRO = re.compile(
    r"(?:主要表现在|主要表现为|表现在|主要是|主要有|具体是)[:：]|(?:比如|例如)[，,]"
)
_PROBLEM_FRAME = re.compile(r"(?:清醒|清晰|清楚)\S{0,4}?(?:认识|看|意识)到|成绩的同时|成绩面前")
_REMEDY = re.compile(r"对此|对于这些|针对|这些问题|我们(?:一定|将|必须|要)|必须")
_ORDINAL = re.compile(r"[一二三四五六七八九十]是")


class _Text:
    """The clean text with its clause and sentence boundaries, for O(log n) look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cuts = ([m.start() for m in _CLAUSE_CUT.finditer(text)],
                      [m.start() for m in _SCOPE_CUT.finditer(text)])  # fmt: skip

    def _around(self, which: int, pos: int) -> tuple[int, int]:
        cuts = self._cuts[which]
        i = bisect.bisect_right(cuts, pos)
        return (cuts[i - 1] + 1 if i else 0), (cuts[i] if i < len(cuts) else len(self.text))

    def clause(self, pos: int) -> tuple[int, int]:
        """The clause around `pos`."""
        return self._around(0, pos)

    def scope(self, pos: int) -> int:
        """Where the sentence around `pos` starts (； does not end it)."""
        return self._around(1, pos)[0]


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in "，,、；;：—"):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in "，,、；;：:。"):
        b -= 1
    return a, b


def _lead(text: str, a: int, b: int) -> tuple[int, int]:
    """The first sentence of text[a:b], cut back to a clause boundary when it is long."""
    sents = split_sentences(text, a, min(b, a + 2 * _LEAD_MAX))
    s, e = sents[0] if sents else (a, a)
    if e - s > _LEAD_MAX:
        cuts = [m.start() for m in re.finditer(r"[，；,;]", text[s : s + _LEAD_MAX])]
        e = s + cuts[-1] if cuts else s
    return _strip_span(text, s, e)


def _area(label: str) -> str:
    label = label.strip("。.：:— ")
    return label if len(label) <= _AREA_MAX else re.split(r"[，,；;]", label)[0][:_AREA_MAX]


def _clip(name: str) -> str:
    if len(name) > _NAME_MAX:  # a long list of items: keep its last items whole
        cuts = [k + 1 for k, ch in enumerate(name) if ch == "、" and len(name) - k - 1 <= _NAME_MAX]
        name = name[cuts[0] :] if cuts else name[-_NAME_MAX:]
    name = name.lstrip("”\"'）)、，,").rstrip("“\"'（(、，,")
    if name.count("“") != name.count("”"):
        name = name.replace("“", "").replace("”", "")
    if name.count("（") > name.count("）"):
        name = name[: name.rindex("（")]
    # A name ending in a numeral would fuse with the figure when a brief prints name + value.
    return name.rstrip("0123456789.-一二三四五六七八九十百千万亿两")


def _name(pre: str, post: str, is_change: bool, after_figure: bool) -> str:
    """The indicator's name from the clause text before (or else after) its figure."""
    pre = _TIME_WORDS.sub("", re.sub(r"\s+", "", pre)).lstrip("“”\"'（(，,")
    if pre.endswith("、") or (after_figure and re.search(r"[和及与]$", pre)):
        # "6个镇级卡口和102个村级卡口", "新增2个4A级景区、1个国家级水利风景区": the text
        # before the list mark is the entry before, whether or not its figure was kept.
        pre = ""
    elif after_figure and "、" in pre:
        pre = pre.rsplit("、", 1)[1]  # "…项目、总投资10亿元": the name follows the list mark
    for _ in range(3):
        was, pre = pre, _NAME_TAIL.sub("", pre)
        pre = _CHANGE_TAIL.sub("", pre) if is_change else pre
        if pre == was:
            break
    if verbs := list(_SUBJECT_VERB.finditer(pre)):  # "园镇实现地区生产总值", "公寓完成交付"
        v = verbs[-1]
        pre = pre[v.end() :] if len(pre) - v.end() >= 4 else pre[: v.start()] + pre[v.end() :]
    pre = _NAME_HEAD.sub("", re.split(r"等(?![奖级次])", pre)[-1])
    pre = "" if _FIGURE_ONLY.fullmatch(pre) else pre
    post = _AGE.sub("", re.sub(r"\s+", "", post), count=1)  # "6.1万名35-64岁妇女…"
    if not is_change and (len(pre) < 2 or _ACTION.search(pre)) and not post.startswith("、"):
        # After "14座、" comes the next entry ("新建7座"), which names its own figure.
        noun = _POST_CUT.split(post)[0]
        first = noun.split("、")[0]  # "村级卡口严密布防、严格把控" but "省、市、区重点项目"
        noun = _NAME_TAIL.sub("", first if len(first) >= 7 else noun)[:12]
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


def _soft_lead(text: str, a: int, b: int) -> str | None:
    """A short opening sentence that heads an unnumbered paragraph ("坚持创新驱动,…成效。")."""
    m = re.search(r"[。！]", text[a : min(b, a + 32)])
    if (
        not m
        or m.start() < 4
        or text.startswith("各位代表", a)
        or _DIGIT.search(text, a, a + m.start())
    ):
        return None
    return re.split(r"[，,]", text[a : a + m.start()])[-1].removeprefix("我们")


def _blocks(text: str, outline: Outline) -> Iterator[_Block]:
    """Items of the review and plan parts, in text order."""
    heads = sorted(outline.headings, key=lambda h: h.start)
    starts = [h.start for h in heads]
    parts = [s for s in outline.sections if s.kind in (SectionKind.REVIEW, SectionKind.PLAN)]
    # A text with no recognisable parts is read as a review rather than left unread.
    for sec in parts or [replace(s, kind=SectionKind.REVIEW) for s in outline.sections
                         if s.kind is SectionKind.OTHER]:  # fmt: skip
        group: _Block | None = None  # a heading on a line of its own, gathering its paragraphs
        for m in re.finditer(r"[^\n]+", text[sec.start : sec.end]):
            a, b = _strip_span(text, sec.start + m.start(), sec.start + m.end())
            i = bisect.bisect_left(starts, a)
            h = heads[i] if i < len(heads) and heads[i].start <= min(a + 8, b - 1) else None
            if b <= a:
                continue
            if group is not None and h is None:
                group = replace(group, end=b)
                continue
            if group is not None and "\n" in text[group.lead[1] : group.end]:
                yield group
            group = None
            if h is not None:
                body = h.start + len(h.numbering)
                if text[h.end : b].strip(" 。.：:"):
                    yield _Block(sec.kind, a, b, _area(h.text), _lead(text, body, b), True)
                elif a != sec.start:  # a heading line; the part's own title is no item
                    lead = _strip_span(text, body, h.end)
                    group = _Block(sec.kind, a, b, _area(h.text), lead, True)
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
    kind: str
    changed: bool = False


def _descriptor(tx: _Text, m: NumberMention, nxt: NumberMention | None) -> bool:
    """A figure that qualifies a noun ("亿元以上企业45家", "两项补贴"), not an indicator."""
    text = tx.text
    if _CJK.match(text, m.end) and (
        (m.value < 10 and not m.text[0].isdigit()) or m.unit in ("万", "亿", "千", "百")
    ):
        return True
    if m.base_unit not in _MONEY_OR_AREA:
        return False
    q = _POST_QUAL.match(text, m.end)
    after = q.end() if q else m.end
    if text.startswith("或", after) or (q and text.startswith("的", after)):
        return True  # "1000万美元或1亿元以上的…项目"
    return (
        nxt is not None
        and (m.qualifier in ("以上", "以下", "超", "超过") or nxt.start - after <= 4)
        and nxt.base_unit != m.base_unit
        and tx.clause(nxt.start)[0] <= m.start
        and nxt.start - after <= 16
        and bool(_CJK.match(text, after))
    )


def _groups(tx: _Text, mentions: list[NumberMention]) -> list[list[NumberMention]]:
    """Quantity mentions, grouped into lists ("60家、102家、93家") inside one clause."""
    text = tx.text
    qty = [m for m in mentions if not m.is_year and m.unit and m.unit not in ("周年", "周岁")]
    groups: list[list[NumberMention]] = []
    for k, m in enumerate(qty):
        if _SKIP_AFTER.match(text, m.end) or _descriptor(
            tx, m, qty[k + 1] if k + 1 < len(qty) else None
        ):
            continue
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and last.is_change == m.is_change
            and tx.clause(last.start) == tx.clause(m.start)
            and _LIST_GLUE.fullmatch(text, last.end, m.start)
        ):
            groups[-1].append(m)
        else:
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
        if parts := _split_list(base, len(g)):
            return list(parts), False
        if prev is not None and same_size and len(set(prev.names)) == len(g):
            return [n + base for n in prev.names], False  # "产值分别达到31亿元、90亿元…"
        # One name fits figures of different units ("筛查6万车次、9万人次"), not "60家、102家".
        return [
            base if not any(_compatible(o.unit, m.unit) for o in g[:i]) else None
            for i, m in enumerate(g)
        ], False
    if g[0].is_change and len(g) == 1 and 2 <= len(lead_in) <= 12:
        return [lead_in], False  # "装备制造业表现突出，同比增长35.4%": the clause before names it
    if prev is not None and same_size:
        # "收入6.25亿元，同比增长25%，增收1.25亿元": named 收入增收, the change is in the name.
        words = _change_words(pre, bare=True) if g[0].is_change else ""
        return [n + words for n in prev.names], True
    return [None] * len(g), True


def _change_words(pre: str, bare: bool = False) -> str:
    """The change words before a figure ("同比增长"), bare of fillers ("增加近" -> "增加")."""
    verb = _CHANGE_TAIL.search(re.sub(r"\s+", "", pre))
    words = re.sub(r"^分别", "", verb.group()) if verb else ""
    return re.sub(r"(?:了|率|为|幅度|幅|分别|达|到|近|约|超过|超)+$", "", words) if bare else words


def _change_of(pre: str, m: NumberMention, text: str) -> str:
    """The change as written: "同比增长7%", "增长7.5%以上"."""
    q = _POST_QUAL.match(text, m.end)
    return re.sub(r"\s+", "", _change_words(pre) + text[m.start : q.end() if q else m.end])


def _qualified(text: str, m: NumberMention) -> str | None:
    """A target's figure with the bound written next to it: "不少于10场", "10个以上"."""
    q = _POST_QUAL.match(text, m.end)
    if q:
        return re.sub(r"\s+", "", text[m.start : q.end()])
    if m.qualifier and text.endswith(m.qualifier, 0, m.start):
        return m.qualifier + re.sub(r"\s+", "", m.text)
    return None


_BASE_BEFORE = re.compile(r"(?:比|较|与|同|对比)$")


def _period_for(
    text: str, ps: tuple[list[Period], list[int]], lo: int, pos: int, skip: str
) -> str | None:
    """The last period named in text[lo:pos] whose kind is not in `skip`.

    A comparison base (比2019年, 与2019年相比) is not the figure's period.
    """
    periods, starts = ps
    i = bisect.bisect_left(starts, pos) - 1
    while i >= 0 and periods[i].start >= lo:
        p = periods[i]
        base = p.kind == "base" or _BASE_BEFORE.search(text, max(0, p.start - 2), p.start)
        if p.kind not in skip.split() and p.end <= pos and not base:
            return p.text
        i -= 1
    return None


def _kind(text: str, s0: int, c0: int, pos: int, target: bool) -> MetricKind:
    if target:
        return "target"
    if "预计" in text[s0:pos]:
        return "estimate"
    return "cumulative" if "累计" in text[c0:pos] else "actual"


def _metrics(
    tx: _Text, mentions: list[NumberMention], ps: tuple[list[Period], list[int]], target: bool
) -> list[Metric]:
    """Every quantified indicator among `mentions`, each quoting its own clause."""
    text, out, prev = tx.text, [], None
    parsed: dict[str, list[NumberMention]] = {}  # each quote parsed once, as validate parses it

    def states(quote: str, m: NumberMention) -> bool:
        if quote not in parsed:
            parsed[quote] = [n for n in find_numbers(quote) if not n.is_year]
        return any(same_quantity(m.value, m.unit, n.value, n.unit) for n in parsed[quote])

    for g in _groups(tx, mentions):
        first = g[0]
        (c0, c1), s0 = tx.clause(first.start), tx.scope(first.start)
        prev = prev if prev is not None and prev.scope == s0 else None
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
            for idx, m in zip(prev.indices, g, strict=True):
                update = {"change": _change_of(pre, m, text), "quote": text[prev.c0 : c1]}
                out[idx] = out[idx].model_copy(update=update)
            prev.changed = True
            continue
        quote = text[c0:c1]
        l0 = tx.clause(c0 - 2)[0] if c0 - 2 >= s0 else c0
        lead_in = _NAME_HEAD.sub("", text[l0 : c0 - 1])
        if _DIGIT.search(lead_in) or (prev is not None and prev.end > l0):
            lead_in = ""
        names, inherited = _names(g, pre, text[g[-1].end : c1], prev, joined, lead_in)
        if lead_in and names[0] == lead_in:
            quote = text[l0:c1]
        # A lone clause after a punctuation mark parses alone exactly as it does in place
        # (numbers reads context back to punctuation only; quoted names are the exception),
        # so its figures are the ones validate will find. Any other quote is parsed again.
        in_place = c0 > 0 and text[c0 - 1] != "\n" and quote == text[c0:c1]
        in_place = in_place and not _QUOTE.search(quote)
        # "全年" governs its own sentence; "1-10月" or "五年来" its paragraph.
        para = text.rfind("\n", 0, first.start) + 1
        # A period governs its own sentence; only a scope ("1-10月", "五年来") that opens the
        # paragraph reaches the sentences after it — "到2020年" or "2019年" never does.
        period = _period_for(text, ps, s0, first.start, "estimate base") or _period_for(
            text, ps, para, first.start, "estimate full_year year deadline base"
        )
        kind = _kind(text, s0, c0, first.start, target)
        level = joined and _LEVEL_VERB.search(pre)  # "从5.6万元增长至6.8万元": one indicator
        indices, kept = [], []
        for m, name in zip(g, names, strict=True):
            if inherited and name and kind == "cumulative" and prev and prev.kind != kind:
                name = name.removeprefix("新增") + "（累计）"  # "新增农田1000亩、累计达2.2万亩"
            name = _clip(name or "")
            if len(name) < 2 or not (in_place or states(quote, m)):
                continue
            change = _change_of(pre, m, text) if m.is_change and not inherited else None
            if target and not m.is_change:
                change = _qualified(text, m)
            metric = Metric(name=name, value=m.value, unit=m.unit, period=period, change=change,
                            kind=kind, quote=quote)  # fmt: skip
            if (
                inherited
                and prev is not None
                and len(g) == len(prev.indices) == 1
                and not m.is_change
                and (prev.qualifier in _THRESHOLD or level)
                and _compatible(out[prev.indices[0]].unit, m.unit)
            ):
                # "首破4亿美元，达4.4亿美元": the later figure is the indicator's value.
                idx = prev.indices[0]
                out[idx] = metric.model_copy(update={"quote": text[prev.c0 : c1]})
            else:
                out.append(metric)
                idx = len(out) - 1
            indices.append(idx)
            kept.append(name)
        if indices:
            prev = _Prev(kept, indices, s0, g[-1].end, c0, first.is_change, g[-1].qualifier, kind)
    return out


# ---------------------------------------------------------------- problems


def _problems(text: str, sec: Section) -> list[Problem]:
    """The admitted shortcomings of one problems part, each quoted as its own evidence."""
    out = []
    for a, b in split_sentences(text, sec.start, sec.end):
        if _REMEDY.match(text, a):
            break
        if intro := _PROBLEM_INTRO.search(text, a, b):
            a = intro.end()
        elif _PROBLEM_FRAME.search(text, a, b):
            continue  # "我们也清醒地认识到…" frames the list; it is not an item of it
        marks = [k.start() for k in _ORDINAL.finditer(text, a, b)
                 if k.start() == a or text[k.start() - 1] in "：:；;，,。"]  # fmt: skip
        cuts = [*marks, b]
        pieces = [(cuts[i] + 2, cuts[i + 1]) for i in range(len(marks))] or [(a, b)]
        if marks and marks[0] - a > 4:
            pieces.insert(0, (a, marks[0]))
        for pa, pb in pieces:
            pa, pb = _strip_span(text, pa, pb)
            pa += 3 if text.startswith(("此外，", "此外,"), pa) else 0
            piece = text[pa:pb].removesuffix("等等").rstrip("，,、")
            if len(piece) >= 4:
                out.append(Problem(text=piece, evidence=[piece]))
    return out


# ---------------------------------------------------------------- the engine


def _n(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


_Seen = dict[tuple[str, str, bool, str], str]  # (name, period, target, base unit) -> value


def _distinct(metrics: list[Metric], area: str, seen: _Seen) -> Iterator[Metric]:
    """Name a figure after its item when its bare name already holds another value.

    Two figures under one extracted name ("检查企业71家" under pollution control, "检查企业173家"
    under work safety) are not known to measure the same thing; reporting them as conflicting
    values would be a false alarm, so the later one is named after its item, and dropped when
    even that name is taken.
    """
    for m in metrics:
        value, unit = to_base(m.value, m.unit)
        for name in (m.name, f"{m.name}（{area}）"):
            # merge keys indicators by name and period under N; NFKC of the whole name is N here.
            key = (_n(name), _n(m.period or ""), m.kind == "target", unit)
            if seen.setdefault(key, f"{value:.9g}") == f"{value:.9g}":
                yield m if name == m.name else m.model_copy(update={"name": name})
                break


def extract(text: str, outline: Outline) -> list[ChunkResult]:
    """Achievements, problems and plans of a clean text, one ChunkResult per item, in order."""
    tx = _Text(text)
    mentions = find_numbers(text)
    mstarts = [m.start for m in mentions]
    periods = find_periods(text)
    ps = (periods, [p.start for p in periods])
    known = {(m.base_unit, f"{m.base_value:.9g}") for m in mentions if not m.is_year}
    seen: _Seen = {}
    results = [
        ChunkResult(sec.start, sec.end, ChunkSummary(problems=probs))
        for sec in outline.sections
        if sec.kind is SectionKind.PROBLEMS and (probs := _problems(text, sec))
    ]
    for block in _blocks(text, outline):
        i, j = bisect.bisect_left(mstarts, block.start), bisect.bisect_left(mstarts, block.end)
        plan = block.kind is SectionKind.PLAN
        metrics = list(_distinct(_metrics(tx, mentions[i:j], ps, plan), block.area, seen))
        if not metrics and not block.headed:
            continue
        lead = text[block.lead[0] : block.lead[1]]
        # A text field may only state numbers the report states: validate checks that too.
        safe = not _NUMERAL.search(lead) or all(
            (n.base_unit, f"{n.base_value:.9g}") in known
            for n in find_numbers(lead)
            if not n.is_year
        )
        fields = {"area": block.area, "text": lead if lead and safe else block.area,
                  "evidence": [lead] if lead else []}  # fmt: skip
        summary = (
            ChunkSummary(plans=[Plan(**fields, targets=metrics)])
            if plan
            else ChunkSummary(achievements=[Achievement(**fields, metrics=metrics)])
        )
        results.append(ChunkResult(block.start, block.end, summary))
    return sorted(results, key=lambda r: r.start)


class RulesEngine:
    """The offline engine: rules over the outline and the numbers, no model and no network."""

    name = "rules"
    model: str | None = None

    async def summarize(self, report: PreparedReport) -> EngineOutput:
        """Extract achievements, problems and plans from a prepared report."""
        return EngineOutput(results=extract(report.clean.text, report.outline))

    async def aclose(self) -> None:
        """Nothing to release: the engine holds no connections."""
