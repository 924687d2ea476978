"""Targets against outcomes: for each place, indicator and year, was the target met?

The target for year Y is the one Y's report sets (its plan year); the outcome is the figure
the report reviewing Y gives (usually Y+1's). Both come from the panel's rows, so every cell
keeps its quote and source. `status` is met, missed, no_target (the report says none is set),
no_outcome or unknown; met means outcome >= low for a higher-is-better indicator and
outcome <= high for a ceiling, and `gap` is the outcome minus the bound that decides. A figure
written as a fall (下降3%) counts as negative, so an intensity target "下降3%" is a ceiling of -3.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import indicators, recache
from .bounds import figure_in
from .lexicon import NATIONAL_ISSUER
from .numbers import direction_of, find_periods
from .panel import Summarized, panel_rows, place_of, plan_year, review_year
from .units import value_text

__all__ = ["TRACK_COLUMNS", "render_markdown", "track_rows", "write_plot"]

TRACK_COLUMNS = ("place", "indicator", "year", "target_bound", "target_low", "target_high",
                 "target_unit", "target_quote", "target_source", "outcome", "outcome_unit",
                 "outcome_quote", "outcome_source", "status", "gap")  # fmt: skip
# A clause that states a goal, not a result: its figure is never an outcome.
_GOAL_CLAUSE = recache.compile(r"目标|计划|预期|要求|力争|争取|定为|调控")
_CUT = recache.compile(r"[，。；：！？,;:!?\n]")
_OK = {"verified", None}


@dataclass
class _Cell:
    row: dict[str, Any]
    year: int
    verified: bool


def _signed(row: dict[str, Any], v: float | None) -> float | None:
    """A growth or intensity change written as a fall (下降3%) is -3 in indicator terms."""
    if v is None or row["indicator"] is None:
        return v
    if indicators.get(row["indicator"]).measure not in ("growth", "change"):
        return v
    # The verb governing the figure itself decides (不仅没有下降，而且将比上年增长3% is +3).
    said = [figure_in(t, abs(v)) for t in (row["change"], row["quote"]) if t]
    way = next((m.direction for m in said if m is not None and m.direction), None)
    down = way or direction_of(row["change"] or "") or direction_of(_clause(row))
    return -v if down is not None and down.value == "down" else v


def _clause(row: dict[str, Any]) -> str:
    """The clause of the quote that holds the figure (for goal words next to it)."""
    quote = row["quote"] or ""
    parts = _CUT.split(quote)
    value = row["value"]
    if value is None:
        return quote
    text = value_text(value)
    return next((p for p in parts if text in p), parts[0] if parts else "")


def _explicit_year(row: dict[str, Any]) -> int | None:
    if row.get("period_source") == "part":
        return None  # the year of the part it sits in, which plan_year/review_year judge
    years = {p.year for p in find_periods(str(row.get("period") or "")) if p.kind == "year"}
    return years.pop() if len(years) == 1 else None


def _annual(row: dict[str, Any], year: int | None) -> bool:
    """The figure is for one year (全年, 一年来, 2025年, 1-10月), not several."""
    if row.get("period_source") == "part":
        return True  # no period written with it: its part's span says nothing of the figure
    periods = find_periods(str(row.get("period") or ""))
    if any(p.kind == "multi_year" for p in periods):
        return False
    said = _explicit_year(row)
    return said is None or year is None or abs(said - year) <= 1


def _pick(cells: list[_Cell]) -> _Cell:
    # Verified first, then the report's first statement of it.
    return sorted(cells, key=lambda c: (not c.verified,))[0]


def _targets_outcomes(reports: Sequence[Summarized], wanted: set[str] | None
                      ) -> tuple[dict[Any, Any], dict[Any, Any]]:  # fmt: skip
    """Target and outcome cells per (place, indicator, year); an older headline (工农业总产值)
    fills in for the indicator it stands for where a report states none of that."""
    cells: dict[str, dict[tuple[str, str, int], list[_Cell]]] = {
        k: {} for k in ("target", "outcome", "proxy target", "proxy outcome")
    }
    for s in reports:
        place, py, ry = place_of(s), plan_year(s), review_year(s)
        for row in panel_rows([s]):
            ind, proxy = row["indicator"], ""
            if ind is not None and (stand_in := indicators.get(ind).proxy_for):
                ind, proxy = stand_in, "proxy "
            if ind is None or (wanted is not None and ind not in wanted):
                continue
            ok = row["status"] in _OK
            said = _explicit_year(row)
            if said is not None and re.search(
                rf"比\s*{re.escape(str(row['period']))}", row["quote"]
            ):
                said = None  # 比1954年增长6.6%: the period written is the base year
            if row["kind"] == "target" and py is not None and _annual(row, py):
                # 比1980年增长5.5% names its base year: a target is for the plan year or later.
                year = said if said is not None and said >= py else py
                cells[proxy + "target"].setdefault((place, ind, year), []).append(
                    _Cell(row, year, ok)
                )
            elif row["kind"] in ("actual", "estimate") and ry is not None and _annual(row, ry):
                if _GOAL_CLAUSE.search(_clause(row)) and row["bound"] is None:
                    continue  # 经济增长速度的调控目标定为8%: a goal filed as a result
                year = said if said is not None and abs(said - ry) <= 1 else ry
                cells[proxy + "outcome"].setdefault((place, ind, year), []).append(
                    _Cell(row, year, ok)
                )
    for kind in ("target", "outcome"):
        for key, found in cells["proxy " + kind].items():
            cells[kind].setdefault(key, found)
    return cells["target"], cells["outcome"]


def _status(ind: str, target: dict[str, Any] | None, outcome: float | None
            ) -> tuple[str, float | None]:  # fmt: skip
    if target is not None and target["bound"] == "none":
        return "no_target", None
    if target is None:
        return "unknown", None
    if outcome is None:
        return "no_outcome", None
    low, high = _signed(target, target["low"]), _signed(target, target["high"])
    if low is not None and high is not None and low > high:
        low, high = high, low  # 下降3%—4%: -4 to -3
    if indicators.get(ind).direction == "ceiling":
        decide = high
        if decide is None:
            return "unknown", None
        return ("met" if outcome <= decide else "missed"), round(outcome - decide, 6)
    decide = low
    if decide is None:
        return "unknown", None
    return ("met" if outcome >= decide else "missed"), round(outcome - decide, 6)


def track_rows(reports: Sequence[Summarized], indicator_ids: Iterable[str] | None = None
               ) -> list[dict[str, Any]]:  # fmt: skip
    """One row per place, indicator and year that has a target or an outcome."""
    wanted = set(indicator_ids) if indicator_ids else None
    targets, outcomes = _targets_outcomes(reports, wanted)
    keys = set(targets) | set(outcomes)
    if wanted is None:  # by default only indicators some report sets a target for
        with_target = {k[1] for k in targets}
        keys = {k for k in keys if k[1] in with_target}
    rows = []
    for place, ind, year in sorted(keys):
        t = _pick(targets[(place, ind, year)]).row if (place, ind, year) in targets else None
        o = _pick(outcomes[(place, ind, year)]).row if (place, ind, year) in outcomes else None
        value = _signed(o, o["value"]) if o else None
        status, gap = _status(ind, t, value)
        rows.append({
            "place": place, "indicator": ind, "year": year,
            "target_bound": t and t["bound"], "target_low": t and _signed(t, t["low"]),
            "target_high": t and _signed(t, t["high"]), "target_unit": t and t["unit"],
            "target_quote": t and t["quote"], "target_source": t and t["source"],
            "outcome": value, "outcome_unit": o and o["unit"], "outcome_quote": o and o["quote"],
            "outcome_source": o and o["source"], "status": status, "gap": gap,
        })  # fmt: skip
    for r in rows:  # 下降3%—4% read as -3..-4 is the range -4..-3
        lo, hi = r["target_low"], r["target_high"]
        if lo is not None and hi is not None and lo > hi:
            r["target_low"], r["target_high"] = hi, lo
    return rows


def to_json(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as a JSON array (UTF-8, readable)."""
    return json.dumps(list(rows), ensure_ascii=False, indent=1) + "\n"


# --- the Markdown view and the chart -------------------------------------------------------

_STATUS_ZH = {"met": "✓ 完成", "missed": "✗ 未完成", "no_target": "未设目标",
              "no_outcome": "暂无实绩", "unknown": "无法判断"}  # fmt: skip


def target_text(r: dict[str, Any]) -> str:
    """A target as a person reads it: ≥5%, ≈5%, 6.5–7%, ≤3%, 8%, 不设目标."""
    b, lo, hi, unit = r["target_bound"], r["target_low"], r["target_high"], r["target_unit"] or ""
    if b is None:
        return ""
    if b == "none":
        return "不设具体目标"
    if b == "range":
        return f"{value_text(lo)}–{value_text(hi)}{unit}"
    sign = {"about": "≈", "at_least": "≥", "at_most": "≤"}.get(b, "")
    return f"{sign}{value_text(lo if lo is not None else hi)}{unit}"


def _cell(s: str | None) -> str:
    return (s or "").replace("|", "｜").replace("\n", " ")


def render_markdown(rows: Sequence[dict[str, Any]], plot: str | None = None) -> str:
    """A table a person can read: target, outcome, status and gap per place, indicator, year."""
    lines = ["# 目标与完成情况", ""]
    counts = {k: sum(r["status"] == k for r in rows) for k in _STATUS_ZH}
    lines.append("，".join(f"{_STATUS_ZH[k]} {n}" for k, n in counts.items() if n) or "无数据")
    lines += ["", "| 地区 | 指标 | 年份 | 目标 | 实绩 | 结果 | 差距 | 目标原文 | 实绩原文 |",
              "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in rows:
        ind = indicators.get(r["indicator"]).label(r["place"] == NATIONAL_ISSUER)
        unit = (r["outcome_unit"] or "") if r["outcome"] is not None else ""
        outcome = f"{value_text(r['outcome'])}{unit}"
        gap = ("+" if (r["gap"] or 0) > 0 else "") + value_text(r["gap"])
        lines.append(
            f"| {_cell(r['place'])} | {ind} | {r['year']} | {target_text(r)} | {outcome} | "
            f"{_STATUS_ZH[r['status']]} | {gap} | {_cell(r['target_quote'])} | "
            f"{_cell(r['outcome_quote'])} |"
        )
    if plot:
        lines += ["", f"![目标与实绩]({plot})"]
    return "\n".join(lines) + "\n"


def write_plot(rows: Sequence[dict[str, Any]], path: str) -> list[str]:
    """Targets (bands where a range) against outcomes over the years, one panel per series;
    returns the warnings for the user (no Chinese font to draw the names with)."""
    from .plot import plot_track

    return plot_track(rows, path)
