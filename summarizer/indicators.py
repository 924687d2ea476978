"""Standard indicators: the annotation pass that gives every metric its indicator and bound.

The registry (summarizer/data/indicators.toml, read once at first use) names about 30 headline
indicators with their Chinese names and synonyms, unit family and direction. `annotate` runs
after merge and before validation, on any engine's output, and sets each Metric's `indicator`,
`bound`, `low`, `high`, `qualifier` and `note` from its name, change and quote:

* a name is matched to the longest synonym it contains; what is left of the name must not make
  it a part (一产/服务业增加值, 占…比重, 新区, 海洋生产总值) of the indicator;
* a percent figure of a level indicator (地区生产总值增长5%) is its growth indicator
  (gdp_growth); a growth over several years (年均增长, 十四五期间, 五年) is no annual indicator;
* a growth written in the `change` of a level (69亿元, 同比增长7%) is read by `growth_in_change`,
  which the panel turns into a row of its own.

With the report's clean text (a `CheckText`), it also finds what an engine may have missed:
an explicit statement that no growth target is set (没有提出全年经济增速具体目标, bound
"none", value null), and the annual GDP growth target and outcome, searched sentence by
sentence and quoted from the text.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from . import DATA_DIR, recache
from .bounds import BoundInfo, figure_in, mentions_in, read_bound
from .cachedir import derived
from .checks import CheckText
from .grounding import Span, normalize
from .lexicon import FROM_TO_LEVEL_RE, GOAL_CUE_RE, GOAL_STATEMENT_RE, GROWTH_WORD_RE, RESULT_CUE_RE
from .numbers import NumberMention, Period, direction_of, find_periods, to_base
from .records import Metric, ReportSummary, replace

__all__ = ["Indicator", "annotate", "classify", "get", "growth_in_change", "indicator_ids"]

GDP_GROWTH = "gdp_growth"
# The areas of the items the search adds (a GDP growth target or outcome an engine missed).
FOUND_TARGET_AREA, FOUND_OUTCOME_AREA = "主要预期目标", "主要指标"
_MONEY = {"元", "美元", "欧元", "港元", "日元", "英镑", ""}
_MASS = {"吨", "公斤", "斤", "克"}
# Beside the modules (the package is installed as files), not through importlib.resources.
_REGISTRY_FILE = Path(DATA_DIR) / "indicators.toml"
_CUT = recache.compile(r"[，。；：！？,;:!?\n]")


@dataclass(frozen=True)
class Indicator:
    """One standard indicator of the registry."""

    id: str
    zh: str
    names: tuple[str, ...]
    measure: str  # level | growth | rate | share | change
    unit: str  # money | percent | count | mass
    direction: str  # higher_better | ceiling
    growth: str | None = None
    level: str | None = None
    pattern: re.Pattern[str] | None = None
    proxy_for: str | None = None  # an older headline standing in for this id in `track`
    zh_national: str | None = None  # its name in a national report (国内生产总值 for 地区…)

    def label(self, national: bool = False) -> str:
        """The indicator's name as a table prints it, for national figures or local ones."""
        return (self.zh_national or self.zh) if national else self.zh


class _Finder(Protocol):
    """What the registry asks of ahocorasick_rs.AhoCorasick (imported with the registry only:
    a compiled module resolves its dataclasses' field types when it loads)."""

    def find_matches_as_indexes(
        self, haystack: str, overlapping: bool = False
    ) -> list[tuple[int, int, int]]: ...


@dataclass(frozen=True)
class _Registry:
    by_id: dict[str, Indicator]
    synonyms: tuple[tuple[str, str], ...]  # (normalised name, id), longest first
    part_words: tuple[str, ...]
    multi_year: re.Pattern[str]
    # Every synonym a name holds, found in one pass (overlapping matches; the index is the
    # synonym's place in `synonyms`) rather than by trying the 115 synonyms one by one.
    finder: _Finder
    # name -> what it names (_match): a report's metrics repeat their names, and each name was
    # tried against every indicator's pattern again (4 % of merge+validate on the corpus).
    matched: dict[str, tuple[Indicator, str] | None] = field(default_factory=dict)


_MATCHED_MAX = 50_000  # names whose match the registry keeps


def _read_registry() -> dict[str, Any]:
    # Only when the user cache has no copy: tomllib's import and the parse are 3 ms of a run.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    data: dict[str, Any] = tomllib.loads(_REGISTRY_FILE.read_text("utf-8"))
    return data


@lru_cache(maxsize=1)
def _registry() -> _Registry:
    data = derived("indicators", _REGISTRY_FILE, _read_registry)
    by_id: dict[str, Indicator] = {}
    for raw in data["indicator"]:
        pattern = recache.compile(raw["pattern"]) if raw.get("pattern") else None
        names = tuple(normalize(n) for n in raw.get("names", []))
        fields = {
            k: raw.get(k)
            for k in (
                "id",
                "zh",
                "measure",
                "unit",
                "direction",
                "growth",
                "level",
                "proxy_for",
                "zh_national",
            )
        }
        by_id[raw["id"]] = Indicator(names=names, pattern=pattern, **fields)
    synonyms = sorted(
        ((n, i.id) for i in by_id.values() for n in i.names), key=lambda s: -len(s[0])
    )
    rules = data["rules"]
    multi = recache.compile("|".join(map(re.escape, rules["multi_year_words"])))
    import ahocorasick_rs  # loaded with the registry, on the first metric to classify

    finder = ahocorasick_rs.AhoCorasick(
        [n for n, _ in synonyms], matchkind=ahocorasick_rs.MatchKind.Standard
    )
    return _Registry(by_id, tuple(synonyms), tuple(rules["part_words"]), multi, finder)


def get(indicator_id: str) -> Indicator:
    """The registry entry of an indicator id (KeyError for an unknown id)."""
    return _registry().by_id[indicator_id]


def proxies(indicator_id: str) -> list[str]:
    """The ids that stand in for an indicator where a report states none of it."""
    return [i.id for i in _registry().by_id.values() if i.proxy_for == indicator_id]


def indicator_ids() -> list[str]:
    """Every indicator id of the registry, in registry order."""
    return list(_registry().by_id)


def _family(unit: str) -> str:
    base = to_base(1, unit)[1]
    if base in ("%", "‰"):
        return "percent"
    if base == "个百分点":
        return "points"
    if base in _MONEY and (base or unit):
        return "money"
    return "mass" if base in _MASS else "count"


def _match(name: str) -> tuple[Indicator, str] | None:
    """The indicator a name names, with the rest of the name; None for a part of it."""
    reg = _registry()
    if name in reg.matched:
        return reg.matched[name]
    if len(reg.matched) >= _MATCHED_MAX:
        reg.matched.clear()
    found = reg.matched[name] = _match_in(reg, name)
    return found


def _match_in(reg: _Registry, name: str) -> tuple[Indicator, str] | None:
    n = normalize(name)
    for ind in reg.by_id.values():
        if ind.pattern is not None and ind.pattern.search(n):
            return ind, ""
    held = reg.finder.find_matches_as_indexes(n, overlapping=True)
    if not held:
        return None
    syn, iid = reg.synonyms[min(i for i, _, _ in held)]  # the longest (first in the list)
    k = n.find(syn)
    rest = n[:k] + " " + n[k + len(syn) :]
    if any(w in rest for w in reg.part_words):
        return None
    return reg.by_id[iid], rest


@lru_cache(maxsize=8192)
def _periods(text: str) -> tuple[Period, ...]:
    return tuple(find_periods(text))


def _multi_year(*texts: str | None) -> bool:
    reg = _registry()
    for t in texts:
        if not t:
            continue
        if reg.multi_year.search(t):
            return True
        if any(p.kind == "multi_year" for p in _periods(t)):
            return True
    return False


def _spans_years(context: str) -> bool:
    """Several years in the clauses leading to a figure (五年内, 1986年同1978年相比)."""
    near = _last_clauses(context)
    years = {p.year for p in find_periods(context) if p.kind == "year" and p.year}
    # 1986年同1978年相比 spans years; 2023年…比2022年增长 is one year's growth.
    return _multi_year(near) or (len(years) >= 2 and max(years) - min(years) > 1)


def _clause_before(text: str, m: NumberMention | None) -> str:
    return _CUT.split(text[: m.start])[-1] if m is not None else text


def classify(m: Metric) -> str | None:
    """The standard indicator id of a metric, or None."""
    found = _match(m.name)
    if found is None or (m.value is None and m.bound != "none"):
        return None
    ind, rest = found
    fam = _family(m.unit)
    fig = figure_in(m.quote, m.value, m.unit) if m.value is not None else None
    before = _clause_before(m.quote, fig)
    if _multi_year(rest, m.period, before):
        return None  # 年均, 十四五期间, 五年累计: never an annual figure
    if ind.measure == "level":
        if fam == ind.unit or (ind.unit == "count" and fam not in ("percent", "points")):
            return ind.id
        if fam != "percent" or ind.growth is None:
            return None
        ind = get(ind.growth)  # 地区生产总值增长5%: the growth of the level
    elif fam != ind.unit and not (ind.unit == "percent" and m.bound == "none"):
        return None
    if _multi_year(m.change):
        return None  # 年均增长: never the annual growth (a level's change is read apart)
    return ind.id


@dataclass(frozen=True)
class Growth:
    """The growth written in a level figure's `change` (地区生产总值69亿元，同比增长7%)."""

    indicator: str
    value: float
    unit: str
    info: BoundInfo
    down: bool


def growth_in_change(m: Metric) -> Growth | None:
    """The growth row a level metric carries in its change, for the panel (else None)."""
    if not m.indicator or not m.change:
        return None
    ind = get(m.indicator) if m.indicator in _registry().by_id else None
    if ind is None or ind.measure != "level" or ind.growth is None:
        return None
    pct = [n for n in mentions_in(m.change) if n.base_unit == "%"]
    said = [n for n in pct if n.is_change]
    if not said and GROWTH_WORD_RE.search(m.change):
        said = pct[:1]  # 同比增长（以下简称增长）8%: the aside hides the verb from the figure
    if not said or _multi_year(m.change, m.period) or FROM_TO_LEVEL_RE.search(m.quote):
        return None
    n = said[0]
    info = read_bound(m.change, n.value, "%", target=m.kind == "target")
    way = n.direction or direction_of(m.change)
    down = way is not None and way.value == "down"
    return Growth(ind.growth, n.value, "%", info, down)


def _context(m: Metric, text: CheckText | None, before: int = 0) -> str:
    """The sentence of the report up to the metric's figure (the quote alone without text),
    with `before` sentences ahead of it ("过去一年，…。国内生产总值增长10.3%")."""
    fig = figure_in(m.quote, m.value, m.unit)
    own = m.quote[: fig.end] if fig is not None else m.quote
    span = text.find(m.quote) if text is not None else None
    if text is None or span is None:
        return own
    start = text.sentence(span)[0]
    for _ in range(before):
        if start > 0:
            start = text.sentence(Span(start - 1, start))[0]
    return text.text[start : span.start] + own


def _last_clauses(s: str, n: int = 2) -> str:
    return "，".join(_CUT.split(s)[-n:])


def _misfiled(iid: str | None, context: str, target: bool) -> bool:
    """A growth target stated as a result, or a result stated as a goal (an engine's slip)."""
    if iid is None or get(iid).measure != "growth":
        return False
    if target:
        return bool(RESULT_CUE_RE.search(context)) and not GOAL_CUE_RE.search(context)
    return bool(GOAL_STATEMENT_RE.search(_last_clauses(context))) and not RESULT_CUE_RE.search(
        context
    )


def _annotated(m: Metric, target: bool, text: CheckText | None = None) -> Metric:
    if m.value is None:  # a "no target set" statement keeps its annotation
        return m
    if text is not None and (span := text.find(m.quote)) is not None:
        # The quote's figures from the report's table (numbers.KNOWN then has them): the
        # bound and the indicator read the quote's string, which is then not parsed again.
        text.quote_numbers(m.quote, span)
    iid = classify(m)
    if iid is not None and get(iid).measure == "growth":  # the sentence is read for growths only
        context = _context(m, text)
        if _spans_years(context) or FROM_TO_LEVEL_RE.search(context):
            iid = None  # 五年内…，国民生产总值增长百分之四十四: the sentence spans several years
        elif _misfiled(iid, _context(m, text, before=1) if target else context, target):
            iid = None
    info = read_bound(m.quote, m.value, m.unit, target)
    # A bound in the change sets a target's bound; a result keeps only its quote's qualifier,
    # so its change is not read.
    if (
        target
        and m.change
        and (alt := read_bound(m.change, m.value, m.unit, target)).bound != "exact"
    ):
        info = BoundInfo(alt.bound, alt.low, alt.high, info.qualifier, info.note or alt.note)
    update: dict[str, object] = {"indicator": iid, "qualifier": info.qualifier}
    if target:
        update.update(bound=info.bound, low=info.low, high=info.high, note=info.note)
    return replace(m, **update)


def annotate(summary: ReportSummary, text: CheckText | None = None) -> ReportSummary:
    """Set indicator, bound, low, high, qualifier and note on every metric of a summary.

    The report's clean text, when given, lets a bound be read where the quote stands;
    `headline_search.complete` then adds what the engine missed.
    """
    plans = [replace(p, targets=[_annotated(m, True, text) for m in p.targets])
             for p in summary.plans]  # fmt: skip
    achievements = [
        replace(a, metrics=[_annotated(m, False, text) for m in a.metrics])
        for a in summary.achievements
    ]
    return replace(summary, plans=plans, achievements=achievements)
