"""GDP growth targets and outcomes against the hand-checked labels (issue 11); prints figures.

    python bench/track_labels.py [LABELS.json ...]   (default: fixtures/corpus/labels/*.json)

For every labelled report the offline engine runs; `track` then gives, per place and year,
the target the report sets and the outcome the next report states. Compared with the labels:
targets found and right (bound, low, high), outcomes found and right (value), and met/missed
where the labels give both a year's target and its outcome. 工农业总产值, the older national
headline, counts as GDP growth (as `track` uses it); 国民收入 labels are counted apart.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.config import Settings  # noqa: E402
from summarizer.ingest import read_documents  # noqa: E402
from summarizer.panel import place_of, summarize_many  # noqa: E402
from summarizer.track import track_rows  # noqa: E402

CORPUS = ROOT / "fixtures" / "corpus"
_GDP = ("生产总值", "经济增长", "GDP")  # 工农业生产总值 included


def _items(ids: list[str]):
    by_file: dict[str, list] = {}
    for i in ids:
        path, _, year = i.partition("#")
        items = by_file.setdefault(path, read_documents(CORPUS / path))
        yield i, next(x for x in items if not year or x.year_hint == int(year))


def _close(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (
        a is not None and b is not None and math.isclose(a, b, abs_tol=1e-6)
    )


def _is_gdp(label: dict | None) -> bool:
    # 工农业总产值 (older national reports) is tracked as gdp_growth where no GDP/GNP is stated.
    name = label["indicator"] if label else ""
    return any(w in name for w in (*_GDP, "工农业"))


def _status(t: dict, outcome: float) -> str:
    if t["bound"] == "none":
        return "no_target"
    return "met" if outcome >= (t["low"] if t["low"] is not None else math.inf) else "missed"


def main(paths: list[str]) -> None:
    labels = [x for p in paths for x in json.loads(Path(p).read_text(encoding="utf-8"))]
    picked = list(_items([x["id"] for x in labels]))
    summaries = summarize_many([it for _, it in picked], Settings(engine="rules"))
    by_id = {x["id"]: x for x in labels}
    reports = dict(zip([i for i, _ in picked], summaries, strict=True))
    groups: dict[str, Counter] = {}
    met: dict[str, Counter] = {}
    wrong: list[str] = []
    rows_of = {i: track_rows([s], ["gdp_growth"]) for i, s in reports.items()}
    everything = track_rows(list(reports.values()), ["gdp_growth"])
    for i in reports:
        lab, group = by_id[i], i.split("/")[0].split("#")[0]
        group = group if group in ("city-2024", "province-2026") or "#" in i else "single files"
        c = groups.setdefault(group, Counter())
        rows = {r["year"]: r for r in rows_of[i]}
        t, o = lab.get("gdp_target"), lab.get("gdp_outcome")
        mine_t = rows.get(lab["plan_year"]) if lab.get("plan_year") else None
        if t and not _is_gdp(t):
            c["older headline target (not tracked)"] += 1
        elif t:
            c["targets labelled"] += 1
            if mine_t and mine_t["target_bound"]:
                c["targets found"] += 1
                ends = (mine_t["target_low"], mine_t["target_high"])
                right = mine_t["target_bound"] == t["bound"] and all(
                    _close(a, b) for a, b in zip(ends, (t["low"], t["high"]), strict=True)
                )
                c["targets right"] += right
                if not right:
                    wrong.append(f"{i}: target {t['bound']} {t['low']}-{t['high']}, "
                                 f"found {mine_t['target_bound']} {mine_t['target_low']}-"
                                 f"{mine_t['target_high']}")  # fmt: skip
            else:
                wrong.append(f"{i}: target {t['bound']} {t['low']} not found")
        elif mine_t and mine_t["target_bound"]:
            c["targets found where none is labelled"] += 1
            wrong.append(f"{i}: no target labelled, found {mine_t['target_quote']}")
        mine_o = rows.get(lab["review_year"]) if lab.get("review_year") else None
        if o and not _is_gdp(o):
            c["older headline outcome (not tracked)"] += 1
        elif o:
            c["outcomes labelled"] += 1
            if mine_o and mine_o["outcome"] is not None:
                c["outcomes found"] += 1
                c["outcomes right"] += _close(mine_o["outcome"], o["value"])
                if not _close(mine_o["outcome"], o["value"]):
                    wrong.append(f"{i}: outcome {o['value']}, found {mine_o['outcome']}")
            else:
                wrong.append(f"{i}: outcome {o['value']} not found")
    # met/missed: a year's labelled target (its plan year) and labelled outcome (its review year)
    target_of = {}
    outcome_of = {}
    for i, s in reports.items():
        lab = by_id[i]
        place = place_of(s)
        if _is_gdp(lab.get("gdp_target")) or (lab.get("gdp_target") or {}).get("bound") == "none":
            target_of[(place, lab["plan_year"])] = lab["gdp_target"]
        if _is_gdp(lab.get("gdp_outcome")):
            outcome_of[(place, lab["review_year"])] = lab["gdp_outcome"]["value"]
    mine = {(r["place"], r["year"]): r for r in everything}
    for key in sorted(set(target_of) & set(outcome_of)):
        group = "national" if key[0] == "国务院" else "other"
        m = met.setdefault(group, Counter())
        expected = _status(target_of[key], outcome_of[key])
        got = mine.get(key, {}).get("status")
        m["years with target and outcome"] += 1
        m["met/missed right"] += got == expected
        if got != expected:
            wrong.append(f"{key}: {expected} expected, {got} found")
    for group, c in groups.items():
        print(f"{group}: " + ", ".join(f"{k} {v}" for k, v in c.items()))
    for group, m in met.items():
        print(f"{group} met/missed: " + ", ".join(f"{k} {v}" for k, v in m.items()))
    print("\n".join(["", "differences:", *wrong]) if wrong else "no differences")


if __name__ == "__main__":
    main(sys.argv[1:] or [str(p) for p in sorted((CORPUS / "labels").glob("*.json"))])
