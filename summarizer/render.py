"""Render a ReportSummary as a one-page Markdown brief (Jinja2) or as contract JSON.

Every figure in the brief carries its check mark: ✓ when it was verified against the source,
⚠ and the reason when it was not. Nothing flagged is shown as plain fact.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

from .merge import KEY_INDICATORS, headline_rank
from .models import Claim, Metric, ReportSummary, ReportWarning

if TYPE_CHECKING:
    from jinja2 import Environment

LEVELS = {
    "national": "国家",
    "province": "省级",
    "prefecture": "地州级",
    "city": "市级",
    "county": "县级",
    "district": "区级",
    "town": "乡镇级",
}
STATUS_ZH = {
    "quote_not_found": "引文不在原文中",
    "number_not_found": "原文无此数",
    "value_mismatch": "数值与原文不符",
    "unit_mismatch": "单位与原文不符",
    "period_mismatch": "时期与原文不符",
    "direction_mismatch": "增减方向与原文相反",
    "kind_mismatch": "目标与实绩混淆",
    "spam": "来自被篡改的文字",
}
MAX_TABLE_METRICS = 12
MAX_LISTED_FLAGS = 20
MAX_INLINE_METRICS = 5  # per item; the JSON output carries them all


@lru_cache(maxsize=1)
def _env() -> Environment:
    # Imported here: the JSON output needs no template engine, and start-up is paid per run.
    from jinja2 import Environment, StrictUndefined

    return Environment(
        trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined, autoescape=False
    )


@lru_cache(maxsize=1)
def _template():
    text = files("summarizer").joinpath("templates/brief.md.j2").read_text(encoding="utf-8")
    return _env().from_string(text)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _cell(text: str | None) -> str:
    # A pipe inside a cell would break the Markdown table.
    return (text or "").replace("|", "｜").replace("\n", " ")


def _mark(claims: list[Claim]) -> str:
    bad = [c for c in claims if c.status != "verified"]
    if not bad:
        return ""
    return " ⚠" + "、".join(dict.fromkeys(STATUS_ZH.get(c.status, c.status) for c in bad))


def _metric_mark(claim: Claim | None) -> str:
    if claim is None:
        return ""
    return "✓" if claim.status == "verified" else "⚠ " + STATUS_ZH.get(claim.status, claim.status)


def _metric_text(m: Metric, claim: Claim | None) -> str:
    flag = "" if claim is None or claim.status == "verified" else "⚠"
    return f"{m.name}{_fmt(m.value)}{m.unit}{flag}"


def render_markdown(summary: ReportSummary) -> str:
    """The Markdown brief of a summary."""
    by_path: dict[str, list[Claim]] = {}
    # Claims on an item's own text and evidence, keyed "achievements[3]." (one pass, so a
    # report with thousands of claims renders in linear time).
    by_item: dict[str, list[Claim]] = {}
    for c in summary.validation.claims:
        by_path.setdefault(c.where, []).append(c)
        item, dot, rest = c.where.partition("].")
        if dot and not rest.startswith(("metrics[", "targets[")):
            by_item.setdefault(item + dot, []).append(c)

    def item_claims(prefix: str) -> list[Claim]:
        return by_item.get(prefix, [])

    def metric_claim(path: str) -> Claim | None:
        cs = by_path.get(path)
        return cs[0] if cs else None

    rows, areas = [], {}
    for i, a in enumerate(summary.achievements):
        mtexts = []
        for j, m in enumerate(a.metrics):
            claim = metric_claim(f"achievements[{i}].metrics[{j}]")
            mtexts.append(_metric_text(m, claim))
            rows.append(
                {
                    "name": _cell(m.name),
                    "value": _cell(
                        ("" if claim is None or claim.status == "verified" else "⚠ ")
                        + f"{_fmt(m.value)}{m.unit}"
                        + ("（预计）" if m.kind == "estimate" else "")
                    ),
                    "period": _cell(m.period),
                    "change": _cell(m.change),
                    "mark": _metric_mark(claim),
                    "area": a.area,
                }
            )
        areas.setdefault(a.area or "其他", []).append(
            {
                "text": a.text,
                "mark": _mark(item_claims(f"achievements[{i}].")),
                "metrics": "；".join(mtexts[:MAX_INLINE_METRICS])
                + ("……" if len(mtexts) > MAX_INLINE_METRICS else ""),
            }
        )
    table = _pick_rows(rows)

    plans = []
    for i, p in enumerate(summary.plans):
        targets = [
            f"{m.name}{m.change or _fmt(m.value) + m.unit}"
            + (
                ""
                if (c := metric_claim(f"plans[{i}].targets[{j}]")) is None or c.status == "verified"
                else " ⚠" + STATUS_ZH.get(c.status, c.status)
            )
            for j, m in enumerate(p.targets)
        ]
        plans.append(
            {
                "area": p.area,
                # Rules-engine plans are often a heading alone: say it once.
                "text": "" if p.text.strip("。 ") == p.area.strip("。 ") else p.text,
                "mark": _mark(item_claims(f"plans[{i}].")),
                "targets": "；".join(targets[: MAX_INLINE_METRICS * 2])
                + ("……" if len(targets) > MAX_INLINE_METRICS * 2 else ""),
            }
        )
    problems = [
        {"text": p.text, "mark": _mark(item_claims(f"problems[{i}]."))}
        for i, p in enumerate(summary.problems)
    ]

    flagged_claims = [
        {
            "where": c.where,
            "text": c.text,
            "status": STATUS_ZH.get(c.status, c.status),
            "detail": c.detail,
        }
        for c in summary.validation.claims
        if c.status != "verified"
    ]
    meta = summary.meta
    byline_parts = [
        p
        for p in (
            meta.issuer,
            LEVELS.get(meta.level, ""),
            f"回顾期：{meta.review_period}" if meta.review_period else "",
            f"计划期：{meta.plan_period}" if meta.plan_period else "",
            f"五年规划：{meta.five_year_period}" if meta.five_year_period else "",
        )
        if p
    ]
    engine = "离线规则引擎（未使用模型）" if meta.engine == "rules" else f"模型 {meta.model}"
    footer = (
        f"由 summarizer 生成 · {engine} · 来源：{meta.source} · sha256 {meta.source_sha256[:12]}"
    )
    top = ("spam", "prompt_injection", "structure_uncertain")
    top_warnings = [w.message for w in summary.warnings if w.kind in top][:4]
    text = _template().render(
        title=meta.title or "政府工作报告",
        byline=" · ".join(byline_parts) or "（发布者未识别）",
        flagged=summary.validation.flagged,
        verified=summary.validation.verified,
        total=len(summary.validation.claims),
        top_warnings=top_warnings,
        overview=summary.overview,
        metrics=table,
        more_metrics=max(0, len(rows) - len(table)),
        areas=[{"name": k, "entries": v} for k, v in areas.items()],
        problems=problems,
        plans=plans,
        flagged_claims=flagged_claims[:MAX_LISTED_FLAGS],
        more_flagged=max(0, len(flagged_claims) - MAX_LISTED_FLAGS),
        warnings=[_shown(w) for w in summary.warnings],
        footer=footer,
    )
    return _tidy(text)


def _tidy(markdown: str) -> str:
    """One blank line before every heading and between blocks, none doubled."""
    markdown = re.sub(r"([^\n])\n(#{1,6} )", r"\1\n\n\2", markdown)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"


def _shown(w: ReportWarning) -> ReportWarning:
    # Injected text is named by where it is, never repeated: a brief that is forwarded or
    # published must not carry the spam (or the injected instructions) it warns about. The
    # JSON keeps the evidence for whoever investigates.
    if w.kind in ("spam", "prompt_injection"):
        return w.model_copy(update={"evidence": None})
    return w


def _pick_rows(rows: list[dict]) -> list[dict]:
    """Up to MAX_TABLE_METRICS rows: key indicators, the first metric of each area, the rest."""
    if len(rows) <= MAX_TABLE_METRICS:
        return rows
    key = [i for i, r in enumerate(rows) if headline_rank(r["name"]) < len(KEY_INDICATORS)]
    chosen, seen_areas = key[: MAX_TABLE_METRICS // 2], {rows[i]["area"] for i in key[:1]}
    for i, r in enumerate(rows):
        if i not in chosen and r["area"] not in seen_areas:
            seen_areas.add(r["area"])
            chosen.append(i)
    for i in range(len(rows)):
        if len(chosen) >= MAX_TABLE_METRICS:
            break
        if i not in chosen:
            chosen.append(i)
    return [rows[i] for i in sorted(chosen[:MAX_TABLE_METRICS])]


def render_json(summary: ReportSummary) -> str:
    """The contract JSON of a summary (UTF-8, not ASCII-escaped)."""
    return summary.model_dump_json(indent=2) + "\n"
