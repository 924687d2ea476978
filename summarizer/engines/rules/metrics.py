"""Figures to Metrics: lists of figures in a clause, their names, changes, periods and kinds.

A metric quotes the clause of the clean text that holds its figure and is kept only when the
check `validate` makes (summarizer.checks.check_figure) finds that figure in that quote, so the
engine never states a number the source does not.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import partial

from ... import recache
from ...checks import check_figure
from ...grounding import normalize
from ...lazyre import lazy
from ...lexicon import AFTER_FIGURE, CJK_RE, LEVEL_VERB
from ...numbers import NumberMention, Period
from ...numbers import units_compatible as _compatible
from ...numerals import D
from ...records import Metric, MetricKind, replace
from .naming import _NAME_HEAD, _SPACES, _change_words, _clip, _name, _names, _Prev
from .text import _CLAUSE_CUT, _Text

_POST_QUAL = recache.compile(rf"\s*(?:{AFTER_FIGURE})")
_SKIP_AFTER = recache.compile(
    r"\s*(?:个)?(?:方面|主线|大类)"
)  # "五个方面工作": structure, not a figure
_MONEY_OR_AREA = frozenset(
    {"元", "美元", "欧元", "港元", "亩", "平方米", "平方公里", "度", "千瓦时", "吨"}
)
_THRESHOLD = frozenset({"突破", "首破", "破", "超", "超过"})
_LIST_GLUE = recache.compile(
    rf"(?:\s*(?:{AFTER_FIGURE}))?\s*(?:[、和及与]|以及)\s*(?:近|约|超|逾)?"
)
_LEVEL_VERB = recache.compile(LEVEL_VERB)
# A figure named again as "the growth" or "the level" it stands for: stated elsewhere as such.
_RESTATED = recache.compile(r"的(?:增速|增长速度|增长目标|增长|目标|水平)")
# In a plan part, the present state a plan starts from ("现行16%的税率", "60岁以上人口已达2.5亿").
_PRESENT = recache.compile(r"现行|现有|目前|已经|已达|已有|已超")
_DIGIT = recache.compile(D)
_NUMERAL = recache.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿]")
_QUOTE = lazy(r"[“”\"「」‘’]")


def _may_open(text: str, pos: int, first: str) -> bool:
    """False when no match of a pattern that opens with blanks and then one of the characters
    `first` can start at pos (most figures: the scan skipped)."""
    c = text[pos : pos + 1]
    return not c or c in first or c.isspace()


def _descriptor(tx: _Text, m: NumberMention, nxt: NumberMention | None) -> bool:
    """A figure that qualifies a noun ("亿元以上企业45家", "两项补贴"), not an indicator."""
    text = tx.text
    if (
        (m.value < 10 and not m.text[0].isdigit()) or m.unit in ("万", "亿", "千", "百")
    ) and CJK_RE.match(text, m.end):
        return True
    q = _POST_QUAL.match(text, m.end) if _may_open(text, m.end, "以左之") else None
    after = q.end() if q else m.end
    if text.endswith("每", 0, m.start):
        return True  # "收购价平均每50公斤提高7.4元": the basis of a rate, not a value
    if text.startswith("的", after) and _RESTATED.match(text, after):
        return True  # "6.5%左右的增速可以实现…", "同…六千六百四十九万吨的水平大体相等"
    if m.base_unit in ("岁", "周岁") and CJK_RE.match(text, after):
        return True  # "60岁以上人口", "3岁以下婴幼儿": an age group; "寿命达到80岁以上" stays
    if m.base_unit not in _MONEY_OR_AREA:
        return False
    if text.startswith("或", after) or (q and text.startswith("的", after)):
        return True  # "1000万美元或1亿元以上的…项目"
    return (
        nxt is not None
        and (m.qualifier in ("以上", "以下", "超", "超过") or nxt.start - after <= 4)
        and nxt.base_unit != m.base_unit
        and tx.clause(nxt.start)[0] <= m.start
        and nxt.start - after <= 16
        and bool(CJK_RE.match(text, after))
    )


def _groups(
    tx: _Text, mentions: list[NumberMention]
) -> list[tuple[list[NumberMention], tuple[int, int]]]:
    """Quantity mentions, grouped into lists ("60家、102家、93家") inside one clause, each
    with the clause of its first figure (looked up once a figure, for the grouping and the
    metrics alike)."""
    text = tx.text
    qty = [m for m in mentions if not m.is_year and m.unit and m.unit not in ("周年", "周岁")]
    groups: list[tuple[list[NumberMention], tuple[int, int]]] = []
    last: NumberMention | None = None
    last_clause = (0, 0)
    for k, m in enumerate(qty):
        if (_may_open(text, m.end, "个方主大") and _SKIP_AFTER.match(text, m.end)) or _descriptor(
            tx, m, qty[k + 1] if k + 1 < len(qty) else None
        ):
            continue
        clause = tx.clause(m.start)
        if (
            last is not None
            and last.is_change == m.is_change
            and last_clause == clause
            and _LIST_GLUE.fullmatch(text, last.end, m.start)
        ):
            groups[-1][0].append(m)
        else:
            groups.append(([m], clause))
        last, last_clause = m, clause
    return groups


def _change_of(pre: str, m: NumberMention, text: str) -> str:
    """The change as written: "同比增长7%", "增长7.5%以上"."""
    q = _POST_QUAL.match(text, m.end)
    return _SPACES.sub("", _change_words(pre) + text[m.start : q.end() if q else m.end])


def _qualified(text: str, m: NumberMention) -> str | None:
    """A target's figure with the bound written next to it: "不少于10场", "10个以上"."""
    q = _POST_QUAL.match(text, m.end)
    if q:
        return _SPACES.sub("", text[m.start : q.end()])
    if m.qualifier and text.endswith(m.qualifier, 0, m.start):
        return m.qualifier + _SPACES.sub("", m.text)
    return None


_SKIP_IN_SENTENCE = ("estimate",)
_SKIP_IN_PARAGRAPH = ("estimate", "full_year", "year", "deadline")


def _period_for(
    ps: tuple[list[Period], list[int]], lo: int, pos: int, skip: tuple[str, ...]
) -> str | None:
    """The last period named in text[lo:pos] whose kind is not in `skip`.

    find_periods leaves comparison bases (比2019年, 与2019年相比) out: they are no period.
    """
    periods, starts = ps
    i = bisect.bisect_left(starts, pos) - 1
    while i >= 0 and periods[i].start >= lo:
        p = periods[i]
        if p.kind not in skip and p.end <= pos:
            return p.text
        i -= 1
    return None


def _kind(tx: _Text, s0: int, c0: int, pos: int, target: bool) -> MetricKind:
    if target:
        return "target"
    if tx.estimated(s0, pos):  # "预计" in its sentence before it, looked up, not sliced
        return "estimate"
    return "cumulative" if "累计" in tx.text[c0:pos] else "actual"


def _lead_in(tx: _Text, c0: int, s0: int, prev: _Prev | None) -> tuple[int, str]:
    """Where the clause before the one at c0 starts, in the same sentence, and its words
    without their opener ("" when it holds a figure or the list before): what names a lone
    change ("装备制造业表现突出，同比增长35.4%")."""
    text = tx.text
    l0 = tx.clause(c0 - 2)[0] if c0 - 2 >= s0 else c0
    lead_in = _NAME_HEAD.sub("", text[l0 : c0 - 1])
    if _DIGIT.search(lead_in) or (prev is not None and prev.end > l0):
        lead_in = ""
    return l0, lead_in


def _lead_words(tx: _Text, c0: int, s0: int, prev: _Prev | None) -> str:
    return _lead_in(tx, c0, s0, prev)[1]


# A metric with the mention its value was read from (its base value and unit, for _distinct).
_Found = tuple[Metric, NumberMention]


def _metrics(
    tx: _Text, mentions: list[NumberMention], ps: tuple[list[Period], list[int]], target: bool
) -> list[_Found]:
    """Every quantified indicator among `mentions`, each quoting its own clause."""
    text, prev, last_end = tx.text, None, 0
    out: list[_Found] = []
    for g, (c0, c1) in _groups(tx, mentions):
        first, since, last_end = g[0], last_end, g[-1].end
        s0 = tx.scope(first.start)
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
                out[idx] = (replace(out[idx][0], **update), out[idx][1])
            prev.changed = True
            continue
        if target and _PRESENT.search(text, max(c0, since), first.start):
            continue  # the state a plan starts from, no target: "现行16%的税率降至13%"
        # The clause before names a lone change that has no name of its own: read only then,
        # and when the name found ends that clause.
        lead_in = partial(_lead_words, tx, c0, s0, prev)
        names, inherited = _names(g, pre, text[g[-1].end : c1], prev, joined, lead_in)
        q0, n0 = c0, names[0]
        if n0 and text.endswith(n0, 0, c0 - 1):
            l0, words = _lead_in(tx, c0, s0, prev)
            q0 = l0 if n0 == words else c0
        quote = text[q0:c1]
        # A period governs its own sentence; only a scope ("1-10月", "五年来") that opens the
        # paragraph reaches the sentences after it — "到2020年" or "2019年" never does.
        period = _period_for(ps, s0, first.start, _SKIP_IN_SENTENCE) or _period_for(
            ps, tx.line_start(first.start), first.start, _SKIP_IN_PARAGRAPH
        )
        kind = _kind(tx, s0, c0, first.start, target)
        level = joined and _LEVEL_VERB.search(pre)  # "从5.6万元增长至6.8万元": one indicator
        figures: tuple[NumberMention, ...] | None = None  # the quote's, read once for its list
        indices, kept = [], []
        for m, name in zip(g, names, strict=True):
            if inherited and name and kind == "cumulative" and prev and prev.kind != kind:
                name = name.removeprefix("新增") + "（累计）"  # "新增农田1000亩、累计达2.2万亩"
            name = _clip(name) if name else ""
            if len(name) < 2:
                continue
            if figures is None:  # from the report's table, where validation reads them too
                figures = tx.figures.numbers(q0, c1, quote)
            # The engine states only what validation will find: the check it makes.
            if check_figure(name, m.value, m.unit, quote, figures) is not None:
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
                and _compatible(out[prev.indices[0]][0].unit, m.unit)
            ):
                # "首破4亿美元，达4.4亿美元": the later figure is the indicator's value.
                idx = prev.indices[0]
                out[idx] = (replace(metric, quote=text[prev.c0 : c1]), m)
            else:
                out.append((metric, m))
                idx = len(out) - 1
            indices.append(idx)
            kept.append(name)
        if indices:
            prev = _Prev(kept, indices, s0, g[-1].end, c0, first.is_change, g[-1].qualifier, kind)
    return out


@dataclass
class _Seen:
    """What a report's earlier items named: values by (name, period, target, base unit), and
    the names of each target figure by (value, base unit, period)."""

    values: dict[tuple[str, str, bool, str], str] = field(default_factory=dict)
    targets: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    # N of each period named (a report names a few dozen, its metrics thousands of times).
    periods: dict[str, str] = field(default_factory=dict)

    def restated(self, m: Metric, value: float, unit: str) -> bool:
        """A target said again with words before its name ("提出居民消费价格涨幅控制在4%左右"
        after "居民消费价格涨幅控制在4%左右"): the explanation of a goal, not a second goal."""
        if m.kind != "target":
            return False
        return self._restated(normalize(m.name), f"{value:.9g}", unit, m.period or "")

    def _restated(self, name: str, value: str, unit: str, period: str) -> bool:
        """restated() of a target named `name` (under N), its value written as %.9g."""
        names = self.targets.setdefault((value, unit, period), set())
        # An earlier name of at least 4 characters that ends this one: its proper suffixes
        # looked up, not every earlier name compared (5,000 targets of 7% made that quadratic).
        if names and any(name[i:] in names for i in range(1, len(name) - 3)):
            return True
        names.add(name)
        return False

    def period(self, period: str | None) -> str:
        """N of a metric's period ("" for none), worked out once a report."""
        key = period or ""
        got = self.periods.get(key)
        if got is None:
            got = self.periods[key] = normalize(key)
        return got


def _distinct(found: list[_Found], area: str, seen: _Seen) -> list[Metric]:
    """Name a figure after its item when its bare name already holds another value.

    Two figures under one extracted name ("检查企业71家" under pollution control, "检查企业173家"
    under work safety) are not known to measure the same thing; reporting them as conflicting
    values would be a false alarm, so the later one is named after its item, and dropped when
    even that name is taken.
    """
    out: list[Metric] = []
    for m, source in found:
        if m.value is None:  # "no target is set": no figure, nothing to tell apart
            out.append(m)
            continue
        # The figure's value in its base unit: to_base(m.value, m.unit), which the mention
        # it was read from holds since it was parsed.
        value, unit = f"{source.base_value:.9g}", source.base_unit
        target = m.kind == "target"
        bare = normalize(m.name)
        if target and seen._restated(bare, value, unit, m.period or ""):
            continue
        period = seen.period(m.period)
        # merge keys indicators by name and period under N; NFKC of the whole name is N here.
        if seen.values.setdefault((bare, period, target, unit), value) == value:
            out.append(m)
            continue
        named = f"{m.name}（{area}）"
        if seen.values.setdefault((normalize(named), period, target, unit), value) == value:
            out.append(replace(m, name=named))
    return out
