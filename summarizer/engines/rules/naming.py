"""Naming a figure: the indicator's name from the clause around it, list names, change words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ... import recache
from ...fastscan import gated
from ...lexicon import AFTER_FIGURE, CHANGE_FILL, CHANGE_WORDS, FIGURE_VERBS, INDICATOR_HEADS
from ...numbers import NumberMention
from ...numbers import units_compatible as _compatible
from .text import _NAME_MAX

# Verbs and fillers between an indicator's name and its figure: "园镇实现地区生产总值69亿元".
# The tail, time-word and change patterns run on the text before every figure and open with
# alternations: a first-character gate (fastscan.gated) skips the positions no match can begin
# at (the same matches; naming a figure a third faster).
_NAME_TAIL = gated(rf"(?:{FIGURE_VERBS}|约|近|超|逾|达|为|是|至|到|了|共|从|由|新增|有|在)+$")
_CHANGE_TAIL = gated(
    rf"(?:规模|总量)?(?:同比|(?:较|比)(?:上年度?|去年|上年同期)|年均|平均)?再?(?:{CHANGE_WORDS})"
    rf"(?:{CHANGE_FILL})*$"
)
_NAME_HEAD = recache.compile(
    r"^(?:其中|另外|此外|同时|并且|以及|尤其是|特别是|还|并|也|又|共|全镇|全区|全市|全县|全州|全省|"
    r"园镇|我镇|我区|我市|我县|我州|我省|首个|累计|同比|力争|争取|确保|计划|[、和及与])+"
)
_TIME_WORDS = gated(  # the metric's period, not part of its name ("由2010年的" -> "由")
    r"\d{1,4}\s*(?:[-—–~～至到]\s*\d{1,4}\s*)?[年月](?:度|份|底|末|以来)?的?|全年|今年|当年|预计|截至"
)
_SUBJECT_VERB = recache.compile(r"(?:实现|完成)(?!率|值|度|情况)了?")  # "园镇实现…": drop the body
# A name that is only an action takes its noun from after the figure ("加快推进21个…项目"),
# which ends at the next verb or list mark.
_ACTION = recache.compile(
    r"(?:推进|实施|开展|组织|引进|建成|新建|打造|培育|创建|治理|整治|申报|盘活|聚焦|建设|改造|签约|"
    r"落实|排查|支持|引导|帮助|提供|组建|建强|做好|推动|保障|为|对|向|有|新增|全力|努力|着力|大力)$"
)
_POST_CUT = recache.compile(
    r"[的，,。；;0-9０-９和及与]|全部|实现|提供|开展|进行|落实|获评|完成|达到|参加|入驻|竣工|投产|开工|"
    r"签约|顺利"
)
_AGE = recache.compile(r"^[0-9０-９]+(?:[-—–~～至到][0-9０-９]+)?周?岁(?:以上|以下)?")
_POST_QUAL = recache.compile(rf"^(?:{AFTER_FIGURE})?的?")
_NAME_CUTS = frozenset("按占对在把将从由向")
# Where the words a list shares begin ("刑事、治安案件": 案件): they go to every entry only
# where the last entry's own word surely ends ("新能源、汽车零部件产业产值" keeps its names).
_SHARED_HEAD = recache.compile(INDICATOR_HEADS)
# Words naming several things at once, spelt out when a list gives one figure each.
_COLLECTIVE = {"城乡": ("城镇", "农村"), "三次产业": ("第一产业", "第二产业", "第三产业"),
               "一二三产业": ("第一产业", "第二产业", "第三产业")}  # fmt: skip
_FIGURE_ONLY = recache.compile(r"[0-9０-９.]+\S{0,2}")
# Compiled once: these run for every figure of a report.
_SPACES = recache.compile(r"\s+")
_LIST_AND_END = recache.compile(r"[和及与]$")
_ETC = recache.compile(r"等(?![奖级次])")
_LIST_SPLITS = (recache.compile(r"[、和与]"), recache.compile(r"[、和及与]"))
_FILLER_END = recache.compile(rf"(?:{CHANGE_FILL})+$")


def _clip(name: str) -> str:
    if len(name) > _NAME_MAX:  # a long list of items: keep its last items whole
        # after the first list mark that leaves at most _NAME_MAX characters
        cut = name.find("、", len(name) - 1 - _NAME_MAX) + 1
        if not cut:  # else after a preposition, not inside a word ("中央财政已按全国…": 全国…)
            tail = len(name) - _NAME_MAX
            cut = next((k + 1 for k in range(tail, len(name) - 4)
                        if name[k] in _NAME_CUTS and name[k + 1] != "的"), 0)  # fmt: skip
        name = name[cut:] if cut else name[-_NAME_MAX:]
    name = name.lstrip("”\"'）)、，,").rstrip("“\"'（(、，,")
    if name.count("“") != name.count("”"):
        name = name.replace("“", "").replace("”", "")
    if name.count("（") > name.count("）"):
        name = name[: name.rindex("（")]
    # A name ending in a numeral would fuse with the figure when a brief prints name + value.
    return name.rstrip("0123456789.-一二三四五六七八九十百千万亿两")


def _name(pre: str, post: str, is_change: bool, after_figure: bool) -> str:
    """The indicator's name from the clause text before (or else after) its figure."""
    pre = _SPACES.sub("", pre)
    # Each time word holds one of these: most names hold none, and skip the scan for them.
    if "年" in pre or "月" in pre or "预计" in pre or "截至" in pre:
        pre = _TIME_WORDS.sub("", pre)
    pre = pre.lstrip("“”\"'（(，,")
    if pre.endswith("、") or (after_figure and _LIST_AND_END.search(pre)):
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
    # "园镇实现地区生产总值", "公寓完成交付" (the verbs looked for only where written)
    if ("实现" in pre or "完成" in pre) and (verbs := list(_SUBJECT_VERB.finditer(pre))):
        v = verbs[-1]
        pre = pre[v.end() :] if len(pre) - v.end() >= 4 else pre[: v.start()] + pre[v.end() :]
    if "等" in pre:
        pre = _ETC.split(pre)[-1]
    if head := _NAME_HEAD.match(pre):
        pre = pre[head.end() :]
    pre = "" if _FIGURE_ONLY.fullmatch(pre) else pre
    if not is_change and (len(pre) < 2 or _ACTION.search(pre)):
        # A name that is only an action takes its noun from after the figure.
        post = _AGE.sub("", _SPACES.sub("", post), count=1)  # "6.1万名35-64岁妇女…"
        post = _POST_QUAL.sub("", post, count=1)  # "在70%左右的地市": the noun is 地市, not 左右
        if post.startswith("、"):
            return pre  # after "14座、" comes the next entry ("新建7座"): it names its own figure
        noun = _POST_CUT.split(post)[0]
        first = noun.split("、")[0]  # "村级卡口严密布防、严格把控" but "省、市、区重点项目"
        noun = _NAME_TAIL.sub("", first if len(first) >= 7 else noun)[:12]
        pre = noun if len(noun) >= 2 else pre
    return pre


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


def _split_list(name: str, n: int) -> list[str] | None:
    """Split "安全感和满意度" into n names, one per figure of "分别达99.5%、98.4%"; the words a
    list shares go to each ("城镇和农村居民人均可支配收入": 城镇居民…, 农村居民…), and a
    collective word is spelt out ("城乡居民…收入分别增长5.1%和6.9%": 城镇居民…, 农村居民…)."""
    for word, members in _COLLECTIVE.items():
        if len(members) == n and word in name and not _LIST_SPLITS[1].search(name):
            return [name.replace(word, m, 1) for m in members]
    for pattern in _LIST_SPLITS:
        parts = [p for p in pattern.split(name) if p]
        if len(parts) == n and all(len(p) >= 2 for p in parts):
            k, last = len(parts[0]), parts[-1]
            if all(len(p) == k for p in parts[:-1]) and _SHARED_HEAD.match(last, k):
                return [p + last[k:] for p in parts[:-1]] + [last]
            return parts
    return None


def _names(
    g: list[NumberMention],
    pre: str,
    post: str,
    prev: _Prev | None,
    joined: bool,
    lead_in: Callable[[], str],
) -> tuple[list[str | None], bool]:
    """One name per figure of a list, and whether they were inherited from the list before.

    `lead_in` reads the words of the clause before (read only for a lone change)."""
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
    if g[0].is_change and len(g) == 1 and 2 <= len(words := lead_in()) <= 12:
        return [words], False  # "装备制造业表现突出，同比增长35.4%": the clause before names it
    if prev is not None and same_size:
        # "收入6.25亿元，同比增长25%，增收1.25亿元": named 收入增收, the change is in the name.
        words = _change_words(pre, bare=True) if g[0].is_change else ""
        return [n + words for n in prev.names], True
    return [None] * len(g), True


def _change_words(pre: str, bare: bool = False) -> str:
    """The change words before a figure ("同比增长"), bare of fillers ("增加近" -> "增加")."""
    verb = _CHANGE_TAIL.search(_SPACES.sub("", pre))
    words = verb.group().removeprefix("分别") if verb else ""
    return _FILLER_END.sub("", words) if bare else words
