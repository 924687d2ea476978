"""Render a ReportSummary: the one-page Markdown brief, its long form, the contract JSON, or HTML.

Every figure in a brief carries its check mark: ✓ when it was verified against the source,
⚠ and the reason when it was not. Nothing flagged is shown as plain fact, and no figure is shown
with part of it missing (a target keeps its level, its change and its bound as written).
The one-page brief (`detail="page"`, the default) fits about 60 lines whatever the report's
size; `detail="full"` lists every item. The HTML page is in `render_html`.
"""

from __future__ import annotations

import re
from typing import Any

from .lexicon import AFTER_FIGURE, LEVEL_ZH
from .merge import KEY_INDICATORS, headline_rank, stated_target
from .numbers import find_numbers
from .records import Claim, Metric, ReportSummary, ReportWarning, Validation, json_bytes, replace
from .templating import template
from .units import value_text

FORMATS = ("md", "json", "html")
DETAILS = ("page", "full")
STATUS_ZH = {
    "quote_not_found": "引文不在原文中",
    "number_not_found": "原文无此数",
    "value_mismatch": "数值与原文不符",
    "unit_mismatch": "单位与原文不符",
    "period_mismatch": "时期与原文不符",
    "direction_mismatch": "增减方向与原文相反",
    "kind_mismatch": "目标与实绩混淆",
    "spam": "来自被篡改的文字",
    "unsupported": "原文中无依据",
}
INJECTED = ("spam", "prompt_injection")  # warning kinds whose evidence is never repeated
TOP_WARNINGS = (*INJECTED, "structure_uncertain")  # shown under the title
# The long form.
# A result whose year the report does not state where the figure is, nor its part (a review of
# several years, an outline not sure of its parts): said, not left blank or guessed.
NO_PERIOD = "未注明"
MAX_TABLE_METRICS = 12
MAX_LISTED_FLAGS = 20
MAX_INLINE_METRICS = 5  # per item; the JSON output carries them all
# The one-page brief: each part bounded, so the largest report still fits about 60 lines.
PAGE_METRICS = 8
PAGE_TARGETS = 8
PAGE_PROBLEMS = 4
PAGE_PLANS = 6
PAGE_FLAGS = 2
PAGE_TOP_WARNINGS = 2  # tampering, injection, an uncertain structure: under the title
PAGE_WARNINGS = 1  # any other kind, under 核对
PAGE_LINE_CHARS = 60  # a plan line is cut at a clause break past this many characters
PAGE_PROBLEM_CHARS = 90
# Qualifiers written after a figure (7.5%以上); those before it (力争, 不低于) are prefixed. 达到
# and the like state a level, not a bound, and 余/多 sit inside the figure.
_AFTER = tuple(AFTER_FIGURE.split("|"))
_NOT_BOUNDS = ("达", "达到", "高达", "余", "多")
Row = tuple[Metric, "Claim | None", str]  # a metric, its claim and its area


class ClaimIndex:
    """The claims of a summary by JSON path, and by the item whose text and evidence they check."""

    def __init__(self, validation: Validation) -> None:
        self.by_path: dict[str, list[Claim]] = {}
        # Keyed "achievements[3]." (one pass, so thousands of claims render in linear time).
        self.by_item: dict[str, list[Claim]] = {}
        for c in validation.claims:
            self.by_path.setdefault(c.where, []).append(c)
            item, dot, rest = c.where.partition("].")
            if dot and not rest.startswith(("metrics[", "targets[")):
                self.by_item.setdefault(item + dot, []).append(c)

    def first(self, path: str) -> Claim | None:
        cs = self.by_path.get(path)
        return cs[0] if cs else None

    def item(self, prefix: str) -> list[Claim]:
        return self.by_item.get(prefix, [])


def reason(claim: Claim) -> str:
    """A flag in words."""
    return STATUS_ZH.get(claim.status, claim.status)


def _cell(text: str | None) -> str:
    # A pipe inside a cell would break the Markdown table.
    return (text or "").replace("|", "｜").replace("\n", " ")


def _mark(claims: list[Claim]) -> str:
    bad = [c for c in claims if c.status != "verified"]
    if not bad:
        return ""
    return " ⚠" + "、".join(dict.fromkeys(reason(c) for c in bad))


def _metric_mark(claim: Claim | None) -> str:
    if claim is None:
        return ""
    return "✓" if claim.status == "verified" else "⚠ " + reason(claim)


def _flag(claim: Claim | None) -> str:
    return "" if claim is None or claim.status == "verified" else "⚠"


def as_written(m: Metric, with_change: bool = False) -> str:
    """A metric's figure with the bound its quote writes (以上, 左右, 力争, 不低于 …).

    With `with_change`, the figure and its change together (a target), neither dropped.
    """
    if m.value is None:  # no target set (schema 2): nothing to bound
        return stated_target(m)
    figure = f"{value_text(m.value)}{m.unit}"
    text = stated_target(m) if with_change else figure
    for n in find_numbers(m.quote):
        if n.is_year or n.value != m.value or n.unit != m.unit:
            continue
        q = n.qualifier
        if not q or q in _NOT_BOUNDS or q in text:
            break
        if q in _AFTER:
            # After the figure itself, not after a longer number ending the same (5.6% for 6%).
            pattern = rf"(?<![\d.])({re.escape(figure)})"
            at = re.search(pattern, text)
            return text[: at.end(1)] + q + text[at.end(1) :] if at else text
        return q + text
    return text


def _metric_row(m: Metric, claim: Claim | None, area: str = "") -> dict[str, str]:
    return {
        "name": _cell(m.name),
        "value": _cell(
            ("⚠ " if _flag(claim) else "")
            + as_written(m)
            + ("（预计）" if m.kind == "estimate" else "")
        ),
        "period": _cell(m.period or NO_PERIOD),
        "change": _cell(m.change),
        "mark": _metric_mark(claim),
    }


def _target_row(m: Metric, claim: Claim | None, plan_period: str | None) -> dict[str, str]:
    # The plan year is the table's heading; any other period (2021年 of 2021-2025) is shown.
    shown = m.period and m.period.removesuffix("年") != plan_period
    when = f"（{m.period}）" if shown else ""
    return {
        "name": _cell(m.name),
        "value": _cell(("⚠ " if _flag(claim) else "") + as_written(m, with_change=True) + when),
        "mark": _metric_mark(claim),
    }


def _clip(text: str, limit: int = PAGE_LINE_CHARS) -> str:
    """One line: cut at the last clause break before `limit`, never inside a figure."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(ch, 0, limit) for ch in "，；。、：")
    if cut < limit // 3:
        cut = limit
        for n in find_numbers(text[: limit + 20]):
            if n.start < cut < n.end:
                cut = n.start
    return text[:cut].rstrip("，；。、： ") + "……"


def byline_and_footer(summary: ReportSummary) -> tuple[str, str]:
    meta = summary.meta
    parts = [
        meta.issuer,
        LEVEL_ZH.get(meta.level, ""),
        f"回顾期：{meta.review_period}" if meta.review_period else "",
        f"计划期：{meta.plan_period}" if meta.plan_period else "",
        f"五年规划：{meta.five_year_period}" if meta.five_year_period else "",
    ]
    byline = " · ".join(p for p in parts if p) or "（发布者未识别）"
    engine = "离线规则引擎（未使用模型）" if meta.engine == "rules" else f"模型 {meta.model}"
    footer = (
        f"由 summarizer 生成 · {engine} · 来源：{meta.source} · sha256 {meta.source_sha256[:12]}"
    )
    return byline, footer


def _flagged(summary: ReportSummary) -> list[dict[str, str]]:
    return [
        {"where": c.where, "text": c.text, "status": reason(c), "detail": c.detail}
        for c in summary.validation.claims
        if c.status != "verified"
    ]


def render_markdown(summary: ReportSummary, detail: str = "page") -> str:
    """The Markdown brief of a summary: one page, or (`detail="full"`) every item."""
    claims = ClaimIndex(summary.validation)
    # (metric, its claim, area) in report order; only the rows a brief shows are formatted.
    rows = [
        (m, claims.first(f"achievements[{i}].metrics[{j}]"), a.area)
        for i, a in enumerate(summary.achievements)
        for j, m in enumerate(a.metrics)
    ]
    targets = [
        (m, claims.first(f"plans[{i}].targets[{j}]"), "")
        for i, p in enumerate(summary.plans)
        for j, m in enumerate(p.targets)
    ]
    byline, footer = byline_and_footer(summary)
    common = {
        "title": summary.meta.title or "政府工作报告",
        "byline": byline,
        "footer": footer,
        "flagged": summary.validation.flagged,
        "verified": summary.validation.verified,
        "total": len(summary.validation.claims),
        "overview": summary.overview,
        "total_metrics": len(rows),
        "total_targets": len(targets),
    }
    if detail == "full":
        fields = _full(summary, claims, rows)
        text = template("brief_full.md.j2", autoescape=False).render(**common, **fields)
    else:
        fields = _page(summary, claims, rows, targets)
        text = template("brief.md.j2", autoescape=False).render(**common, **fields)
    return _tidy(text)


def _shown_of(shown: int, total: int, what: str) -> str:
    return f"：{shown}/{total} {what}" if total > shown else ""


def _page(
    summary: ReportSummary, claims: ClaimIndex, rows: list[Row], targets: list[Row]
) -> dict[str, Any]:
    flagged = _flagged(summary)
    # Plans one line per area, in order; an area the report gives several plans shows once.
    plans: dict[str, dict[str, str]] = {}
    for i, p in enumerate(summary.plans):
        area = p.area or "其他"
        line = plans.setdefault(area, {"area": area, "text": "", "mark": ""})
        # The rules engine's plan text often opens with its heading: say it once.
        text = p.text.removeprefix(p.area).lstrip("，,：:。 ") if p.area else p.text
        if not line["text"] and text:
            line["text"] = _clip(text)
        line["mark"] = line["mark"] or _mark(claims.item(f"plans[{i}]."))
    injected = [w for w in summary.warnings if w.kind in TOP_WARNINGS]
    others = [w for w in summary.warnings if w.kind not in TOP_WARNINGS]
    plan_period = summary.meta.plan_period
    metrics = [_metric_row(*r) for r in _pick_rows(rows, PAGE_METRICS)]
    goals = [_target_row(m, c, plan_period) for m, c, _ in _pick_rows(targets, PAGE_TARGETS)]
    problems = [
        {"text": _clip(p.text, PAGE_PROBLEM_CHARS), "mark": _mark(claims.item(f"problems[{i}]."))}
        for i, p in enumerate(summary.problems)
    ]
    review, plan = summary.meta.review_period, summary.meta.plan_period
    shown = min(len(flagged), PAGE_FLAGS) + min(len(others), PAGE_WARNINGS)
    shown += min(len(injected), PAGE_TOP_WARNINGS)
    listed = len(flagged) + len(summary.warnings)
    return {
        "metrics_heading": f"主要指标{f'（{review}）' if review else ''}"
        + _shown_of(len(metrics), len(rows), "项"),
        "metrics": metrics,
        "targets_heading": f"{f'{plan} ' if plan else ''}目标"
        + _shown_of(len(goals), len(targets), "项"),
        "targets": goals,
        "problems_heading": "存在的问题" + _shown_of(PAGE_PROBLEMS, len(problems), "项"),
        "problems": problems[:PAGE_PROBLEMS],
        "plans_heading": "工作安排" + _shown_of(PAGE_PLANS, len(plans), "个方面"),
        "plans": list(plans.values())[:PAGE_PLANS],
        "flagged_claims": flagged[:PAGE_FLAGS],
        "top_warnings": injected[:PAGE_TOP_WARNINGS],
        "warnings": others[:PAGE_WARNINGS],
        "more": f"警告 {len(summary.warnings)} 条，此处列出 {shown}/{listed} 项；"
        if listed > shown
        else "",
    }


def _full(summary: ReportSummary, claims: ClaimIndex, rows: list[Row]) -> dict[str, Any]:
    areas: dict[str, list[dict[str, str]]] = {}
    for i, a in enumerate(summary.achievements):
        texts = [
            f"{m.name}{as_written(m)}{_flag(claims.first(f'achievements[{i}].metrics[{j}]'))}"
            for j, m in enumerate(a.metrics)
        ]
        areas.setdefault(a.area or "其他", []).append(
            {
                "text": a.text,
                "mark": _mark(claims.item(f"achievements[{i}].")),
                "metrics": "；".join(texts[:MAX_INLINE_METRICS])
                + ("……" if len(texts) > MAX_INLINE_METRICS else ""),
            }
        )
    plans = []
    for i, p in enumerate(summary.plans):
        targets = []
        for j, m in enumerate(p.targets):
            c = claims.first(f"plans[{i}].targets[{j}]")
            flag = " ⚠" + reason(c) if c is not None and c.status != "verified" else ""
            targets.append(f"{m.name}{as_written(m, with_change=True)}{flag}")
        plans.append(
            {
                "area": p.area,
                # Rules-engine plans are often a heading alone: say it once.
                "text": "" if p.text.strip("。 ") == p.area.strip("。 ") else p.text,
                "mark": _mark(claims.item(f"plans[{i}].")),
                "targets": "；".join(targets[: MAX_INLINE_METRICS * 2])
                + ("……" if len(targets) > MAX_INLINE_METRICS * 2 else ""),
            }
        )
    flagged = _flagged(summary)
    table = [_metric_row(*r) for r in _pick_rows(rows, MAX_TABLE_METRICS)]
    return {
        "top_warnings": [w.message for w in summary.warnings if w.kind in TOP_WARNINGS][:4],
        "metrics": table,
        "more_metrics": max(0, len(rows) - len(table)),
        "areas": [{"name": k, "entries": v} for k, v in areas.items()],
        "problems": [
            {"text": p.text, "mark": _mark(claims.item(f"problems[{i}]."))}
            for i, p in enumerate(summary.problems)
        ],
        "plans": plans,
        "flagged_claims": flagged[:MAX_LISTED_FLAGS],
        "more_flagged": max(0, len(flagged) - MAX_LISTED_FLAGS),
        "warnings": [_shown(w) for w in summary.warnings],
    }


def _tidy(markdown: str) -> str:
    """One blank line before every heading and between blocks, none doubled."""
    markdown = re.sub(r"([^\n])\n(#{1,6} )", r"\1\n\n\2", markdown)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


def _shown(w: ReportWarning) -> ReportWarning:
    # Injected text is named by where it is, never repeated: a brief that is forwarded or
    # published must not carry the spam (or the injected instructions) it warns about. The
    # JSON keeps the evidence for whoever investigates.
    if w.kind in INJECTED:
        return replace(w, evidence=None)
    return w


def _pick_rows(rows: list[Row], limit: int) -> list[Row]:
    """Up to `limit` rows in report order: headline indicators (those the annotation pass names,
    or a key indicator's name), then the first of each area, then the rest."""
    if len(rows) <= limit:
        return rows
    key = [
        i
        for i, (m, _, _) in enumerate(rows)
        if m.indicator is not None or headline_rank(m.name) < len(KEY_INDICATORS)
    ]
    chosen, seen_areas = key[:limit], {rows[i][2] for i in key[:1]}
    for i, r in enumerate(rows):
        if len(chosen) >= limit:
            break
        if i not in chosen and r[2] not in seen_areas:
            seen_areas.add(r[2])
            chosen.append(i)
    for i in range(len(rows)):
        if len(chosen) >= limit:
            break
        if i not in chosen:
            chosen.append(i)
    return [rows[i] for i in sorted(chosen[:limit])]


def render_json(summary: ReportSummary) -> str:
    """The contract JSON of a summary (UTF-8, not ASCII-escaped)."""
    return json_bytes(summary).decode("utf-8")
