"""Check the hand-written ground-truth labels in fixtures/corpus/labels/*.json.

Each label names one report of fixtures/corpus (a file, or one row of a corpus file: a CSV
row's ``full_text``, or a ``year<TAB>text`` line of a TSV addressed as ``file.tsv#year``) and
quotes it in several places. A label is only worth something if every quote is really in the
report as the tool reads it, so this script reads each report independently of the package
(csv module for CSV, a split on the first tab for TSV lines, GB18030 for .gbk, the visible text
for .html) and asserts that:

* every quoted string (plan/five-year/own-work starts, problems, GDP target and outcome quotes)
  occurs verbatim; the three part starts are at least 8 characters and occur exactly once
  (twice when the optional field ``"text_repeated": true`` says the corpus line holds the whole
  report twice, a defect of the collection; the label then points at the first copy);
* the fields have the documented types and values (level, bounds, low <= high, years);
* (a warning, not an error) the own-work part starts after the plan part, as it does in most
  reports; old national reports that put the year's plan in a closing paragraph are exceptions.

Then it prints a summary per level. Exit status 1 when any label is wrong.

Run: python bench/check_labels.py [LABEL_FILE ...]
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "corpus"
LABELS = CORPUS / "labels"

LEVELS = {"city", "prefecture", "province", "national", "county", "district", "town"}
BOUNDS = {"about", "at_least", "at_most", "range", "exact", "none"}
PART_KEYS = ("plan_start", "fiveyear_start", "own_work_start")
REQUIRED = (
    "id",
    "place",
    "level",
    "review_year",
    "review_span",
    "plan_year",
    *PART_KEYS,
    "problems",
    "gdp_target",
    "gdp_outcome",
    "notes",
)


class _Visible(HTMLParser):
    """Collects the text a browser would show (script and style dropped)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _csv_text(path: Path) -> str:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if len(rows) != 1:
        raise ValueError(f"{path.name}: expected one report row, found {len(rows)}")
    return rows[0]["full_text"]


def _tsv_text(path: Path, year: str) -> str:
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            key, text = line.split("\t", 1)
            if key == year:
                return text
    raise ValueError(f"{path.name}: no line for year {year}")


def read_report(label_id: str) -> str:
    """The report text as the labels quote it (see the module docstring)."""
    name, _, row = label_id.partition("#")
    path = CORPUS / name
    if row:
        return _tsv_text(path, row)
    if path.suffix == ".csv":
        return _csv_text(path)
    if path.suffix == ".html":
        parser = _Visible()
        parser.feed(path.read_text(encoding="utf-8"))
        return "".join(parser.parts)
    if ".gbk" in path.suffixes:
        return path.read_bytes().decode("gb18030")
    return path.read_text(encoding="utf-8")


def _check_quote(
    text: str, quote: Any, what: str, errors: list[str], unique: bool, copies: int = 1
) -> int:
    """Position of ``quote`` in ``text`` (or -1), recording what is wrong with it."""
    if not isinstance(quote, str) or not quote:
        errors.append(f"{what}: not a non-empty string")
        return -1
    count = text.count(quote)
    if count == 0:
        errors.append(f"{what}: not in the report: {quote!r}")
        return -1
    if unique and count != copies:
        errors.append(f"{what}: occurs {count} times, must occur {copies}: {quote!r}")
    if unique and len(quote) < 8:
        errors.append(f"{what}: shorter than 8 characters: {quote!r}")
    return text.find(quote)


def _check_gdp(text: str, value: Any, what: str, errors: list[str], target: bool) -> None:
    if value is None:
        return
    if not isinstance(value, dict) or not isinstance(value.get("indicator"), str):
        errors.append(f"{what}: needs an object with an indicator")
        return
    _check_quote(text, value.get("quote"), f"{what}.quote", errors, unique=False)
    if not target:
        if not isinstance(value.get("value"), (int, float)):
            errors.append(f"{what}.value: not a number")
        return
    bound, low, high = value.get("bound"), value.get("low"), value.get("high")
    if bound not in BOUNDS:
        errors.append(f"{what}.bound: {bound!r} not one of {sorted(BOUNDS)}")
    elif bound == "none":
        if low is not None or high is not None:
            errors.append(f"{what}: bound none takes low/high null")
    elif bound == "at_least" and (not isinstance(low, (int, float)) or high is not None):
        errors.append(f"{what}: at_least takes a low and no high")
    elif bound == "at_most" and (not isinstance(high, (int, float)) or low is not None):
        errors.append(f"{what}: at_most takes a high and no low")
    elif bound in ("about", "exact", "range"):
        if not all(isinstance(x, (int, float)) for x in (low, high)) or low > high:
            errors.append(f"{what}: {bound} takes numbers low <= high")
        elif bound != "range" and low != high:
            errors.append(f"{what}: {bound} takes low == high")


def check_label(label: dict[str, Any], warnings: list[str] | None = None) -> list[str]:
    """Every problem with one label, as readable lines (empty when it is right)."""
    errors = [f"missing field {key}" for key in REQUIRED if key not in label]
    if errors:
        return errors
    try:
        text = read_report(label["id"])
    except (OSError, ValueError) as exc:
        return [f"cannot read the report: {exc}"]
    if label["level"] not in LEVELS:
        errors.append(f"level {label['level']!r} not one of {sorted(LEVELS)}")
    for key in ("review_year", "plan_year"):
        if label[key] is not None and not isinstance(label[key], int):
            errors.append(f"{key}: not an integer year")
    span = label["review_span"]
    if span is not None and (
        not isinstance(span, list) or len(span) != 2 or span[1] != label["review_year"]
    ):
        errors.append("review_span: must be [first, review_year] or null")
    copies = 2 if label.get("text_repeated") else 1
    positions = {}
    for key in PART_KEYS:
        if label[key] is not None:
            positions[key] = _check_quote(text, label[key], key, errors, True, copies)
    own, plan = positions.get("own_work_start", -1), positions.get("plan_start", -1)
    if own >= 0 and plan >= 0 and own < plan and warnings is not None:
        warnings.append("own_work_start comes before plan_start")
    if not isinstance(label["problems"], list):
        errors.append("problems: not a list")
    else:
        for i, quote in enumerate(label["problems"]):
            _check_quote(text, quote, f"problems[{i}]", errors, unique=False)
    _check_gdp(text, label["gdp_target"], "gdp_target", errors, target=True)
    _check_gdp(text, label["gdp_outcome"], "gdp_outcome", errors, target=False)
    return errors


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(LABELS.glob("*.json"))
    failed = 0
    per_level: dict[str, Counter[str]] = defaultdict(Counter)
    seen: set[str] = set()
    for path in files:
        labels = json.loads(path.read_text(encoding="utf-8"))
        for label in labels:
            warnings: list[str] = []
            errors = check_label(label, warnings)
            for line in warnings:
                print(f"{path.name}: {label.get('id')}: warning: {line}")
            if label.get("id") in seen:
                errors.append("duplicate id")
            seen.add(label.get("id", ""))
            if errors:
                failed += 1
                for line in errors:
                    print(f"{path.name}: {label.get('id')}: {line}")
                continue
            tally = per_level[label["level"]]
            tally["reports"] += 1
            tally["plan part"] += label["plan_start"] is not None
            tally["five-year part"] += label["fiveyear_start"] is not None
            tally["own-work part"] += label["own_work_start"] is not None
            tally["states problems"] += bool(label["problems"])
            target = label["gdp_target"]
            tally["GDP target"] += target is not None and target["bound"] != "none"
            tally["says no GDP target"] += target is not None and target["bound"] == "none"
            tally["GDP outcome"] += label["gdp_outcome"] is not None
    for level, tally in sorted(per_level.items()):
        print(f"{level:>10}: " + ", ".join(f"{k} {v}" for k, v in tally.items()))
    total = sum(t["reports"] for t in per_level.values())
    print(f"{total} labels right, {failed} wrong, in {len(files)} file(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
