"""How well the tool reads the structure, issuer and years of every labelled real report.

Usage: python bench/corpus_quality.py [--details] [--engine rules]

For every report labelled in fixtures/corpus/labels/ (hand-checked ground truth, see
bench/check_labels.py) the whole offline pipeline runs end to end (read, clean, screen,
structure, engine, merge, validate), and the result is compared with the labels:

* plan part found: the outline's plan part (or, for a report whose only plan is a five-year
  one, its five-year part) begins in the paragraph the label names;
* problems found: a problems part of the outline covers one of the labelled problem quotes,
  and the summary lists problems;
* issuer and level right; review and plan years right;
* achievement figures quoted from the plan part (by the quote's position in the text, against
  the labelled start of the plan part) and targets quoted from the review part;
* figures with a period.

Figures are printed per level and in total. tests/test_corpus_quality.py holds the thresholds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from check_labels import LABELS, report_text  # noqa: E402

from summarizer.grounding import SourceIndex  # noqa: E402
from summarizer.ingest import Document  # noqa: E402
from summarizer.structure import SectionKind  # noqa: E402
from summarizer.structure.places import gazetteer  # noqa: E402


@dataclass
class Result:
    """One report's measures (None: not applicable to this report)."""

    id: str
    level: str
    plan: bool | None = None
    problems: bool | None = None
    problems_listed: bool | None = None
    problem_parts: int = 0  # problems parts the outline found
    problem_parts_right: int = 0  # of which hold a labelled problem
    issuer: bool = False
    level_ok: bool = False
    years: bool = False
    achievements: int = 0
    achievements_in_plan: int = 0
    targets: int = 0
    targets_in_review: int = 0
    figures: int = 0
    with_period: int = 0
    flagged: int = 0
    claims: int = 0
    notes: list[str] = field(default_factory=list)


def labels() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for f in sorted(LABELS.glob("*.json")):
        out.extend(json.loads(f.read_text("utf-8")))
    return out


def documents(label: dict[str, Any]) -> Document:
    """The report as the tool reads it: corpus rows through the tool's own corpus reader."""
    rid = label["id"]
    name, _, key = rid.partition("#")
    path = ROOT / "fixtures" / "corpus" / name
    try:
        from summarizer.ingest import read_documents  # type: ignore[attr-defined]
    except ImportError:
        read_documents = None
    if "#" not in rid and not name.endswith(".csv"):
        from summarizer.ingest import read_report

        return read_report(path)
    if read_documents is not None:
        docs = read_documents(path)
        if len(docs) == 1:
            return docs[0]
        for d in docs:
            if str(getattr(d, "year_hint", "")) == key or d.name.endswith(f"#{key}"):
                return d
    text = report_text(rid)
    if "#" in rid:  # a line of a corpus TSV: the tool's paragraph-break restoration
        from summarizer.ingest import _FLAT_SPACE_RE, _flat_break

        text = _FLAT_SPACE_RE.sub(_flat_break, text).strip()
    import hashlib

    return Document(rid, text, None, "utf-8", "text", hashlib.sha256(text.encode()).hexdigest())


def same_place(ours: str, want: str) -> bool:
    if not ours:
        return False
    if ours == want:
        return True
    g = gazetteer()
    a = {p.name for p in g.lookup(ours)} | {ours}
    b = {p.name for p in g.lookup(want)} | {want}
    return bool(a & b)


def measure(label: dict[str, Any], engine: bool = True) -> Result:
    from summarizer.config import Settings
    from summarizer.engines.rules import RulesEngine
    from summarizer.pipeline import prepare, summarize_report

    doc = documents(label)
    report = prepare(doc, Settings().chunk_chars)
    o = report.outline
    text = report.clean.text
    index = SourceIndex(text)
    r = Result(label["id"], label["level"])
    h = o.header

    def at(quote: str | None) -> int | None:
        if not quote:
            return None
        span = index.find(quote)
        return span.start if span else None

    def line_of(pos: int) -> tuple[int, int]:
        a = text.rfind("\n", 0, pos) + 1
        b = text.find("\n", pos)
        return a, len(text) if b < 0 else b

    plan_at = at(label.get("plan_start"))
    five_at = at(label.get("fiveyear_start"))
    own_at = at(label.get("own_work_start"))
    if label.get("plan_start") and plan_at is None:
        r.notes.append("plan_start not found in the clean text")
    if plan_at is not None:
        ours = [s.start for s in o.sections if s.kind is SectionKind.PLAN]
        if not ours:
            ours = [s.start for s in o.sections if s.kind is SectionKind.FIVE_YEAR]
        a, b = line_of(plan_at)
        r.plan = bool(ours) and (a - 1 <= ours[0] <= b or abs(ours[0] - plan_at) <= 100)
        if not r.plan:
            got = text[ours[0] : ours[0] + 30] if ours else "none"
            r.notes.append(f"plan: want «{text[plan_at : plan_at + 20]}», got «{got}»")
    elif label.get("plan_start") is None:
        r.plan = None
    probs = [p for q in label.get("problems") or [] if (p := at(q)) is not None]
    s = asyncio.run(summarize_report(report, RulesEngine())).summary if engine else None
    secs = [x for x in o.sections if x.kind is SectionKind.PROBLEMS]
    r.problem_parts = len(secs)
    r.problem_parts_right = sum(any(x.start <= p < x.end for p in probs) for x in secs)
    if label.get("problems"):
        r.problems = any(x.start <= p < x.end for x in secs for p in probs)
        r.problems_listed = bool(s.problems) if s is not None else None
        if not r.problems:
            r.notes.append(f"problems: want «{label['problems'][0][:20]}»")
        if r.problems_listed is False:
            r.notes.append("problems: the summary lists none")
    r.issuer = same_place(h.place, label["place"])
    if not r.issuer:
        r.notes.append(f"issuer: want {label['place']}, got {h.place or h.issuer or '—'}")
    r.level_ok = h.level == label["level"]
    if not r.level_ok:
        r.notes.append(f"level: want {label['level']}, got {h.level}")
    ry = int(h.review_period[-4:]) if h.review_period else None
    py = int(h.plan_period[:4]) if h.plan_period else None
    # A report that sets no annual plan (a five-year report of the 1950s) has no plan year.
    r.years = ry == label["review_year"] and (label["plan_year"] in (None, py))
    if not r.years:
        r.notes.append(f"years: want {label['review_year']}/{label['plan_year']}, got {ry}/{py}")

    if s is None:
        return r
    # The labelled plan part runs from plan_start to the own-work part or the end; a labelled
    # five-year part holds targets too. Whatever comes before both is the review.
    plan_end = (
        own_at if own_at is not None and plan_at is not None and own_at > plan_at else len(text)
    )
    target_from = (
        min(x for x in (plan_at, five_at) if x is not None) if (plan_at or five_at) else None
    )

    def places(quote: str) -> list[int]:
        # A short quote may occur in both parts; it counts against the tool only if every
        # occurrence is on the wrong side (the metric's own span, in schema 2, settles it).
        return [sp.start for sp in index.find_all(quote)]

    recalled = [(a, a + len(q)) for q in label.get("results_in_plan") or []
                if (a := text.find(q)) >= 0]  # fmt: skip

    def in_plan(p: int) -> bool:
        return (
            plan_at is not None
            and plan_at <= p < plan_end
            and not any(a <= p < b for a, b in recalled)
        )

    for a in s.achievements:
        for m in a.metrics:
            r.achievements += 1
            ps = places(m.quote)
            if ps and all(in_plan(p) for p in ps):
                r.achievements_in_plan += 1
                r.notes.append(
                    f"achievement from plan: {m.name} {m.value}{m.unit} «{m.quote[:30]}»"
                )
    for pl in s.plans:
        for m in pl.targets:
            r.targets += 1
            ps = places(m.quote)
            if ps and target_from is not None and all(p < target_from for p in ps):
                r.targets_in_review += 1
                r.notes.append(f"target from review: {m.name} {m.value}{m.unit} «{m.quote[:30]}»")
    for m in [
        *(m for a in s.achievements for m in a.metrics),
        *(m for p in s.plans for m in p.targets),
    ]:
        r.figures += 1
        r.with_period += bool(m.period)
    r.claims = len(s.validation.claims)
    r.flagged = s.validation.flagged
    return r


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}% ({a}/{b})" if b else "   —"


def summarize(results: list[Result]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        groups[r.level].append(r)
        groups["ALL"].append(r)
    table: dict[str, dict[str, Any]] = {}
    for level, rs in groups.items():
        plan = [r.plan for r in rs if r.plan is not None]
        prob = [r.problems for r in rs if r.problems is not None]
        listed = [r.problems_listed for r in rs if r.problems_listed is not None]
        table[level] = {
            "reports": len(rs),
            "plan": (sum(plan), len(plan)),
            "problems": (sum(prob), len(prob)),
            "problems_listed": (sum(listed), len(listed)),
            "problem_precision": (
                sum(r.problem_parts_right for r in rs),
                sum(r.problem_parts for r in rs),
            ),
            "issuer": (sum(r.issuer for r in rs), len(rs)),
            "level": (sum(r.level_ok for r in rs), len(rs)),
            "years": (sum(r.years for r in rs), len(rs)),
            "achievements_in_plan": (
                sum(r.achievements_in_plan for r in rs),
                sum(r.achievements for r in rs),
            ),
            "targets_in_review": (sum(r.targets_in_review for r in rs), sum(r.targets for r in rs)),
            "with_period": (sum(r.with_period for r in rs), sum(r.figures for r in rs)),
            "flagged": (sum(r.flagged for r in rs), sum(r.claims for r in rs)),
        }
    return table


def run(engine: bool = True) -> tuple[list[Result], dict[str, dict[str, Any]]]:
    """Measure every labelled report; without the engine, only the structure and header."""
    results = [measure(label, engine) for label in labels()]
    return results, summarize(results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--details", action="store_true", help="print every miss")
    args = ap.parse_args()
    t0 = time.perf_counter()
    results, table = run()
    wall = time.perf_counter() - t0
    if args.details:
        for r in results:
            for n in r.notes:
                print(f"{r.id}: {n}")
    cols = ["plan", "problems", "problems_listed", "problem_precision", "issuer", "level", "years",
            "achievements_in_plan", "targets_in_review", "with_period", "flagged"]  # fmt: skip
    print(f"{len(results)} labelled reports, offline engine end to end, {wall:.1f} s")
    for level in sorted(table, key=lambda k: (k == "ALL", k)):
        row = table[level]
        print(f"\n[{level}] {row['reports']} reports")
        for c in cols:
            print(f"  {c:22} {pct(*row[c])}")


if __name__ == "__main__":
    main()
