"""Check the hand-written ground-truth labels of the development corpus against the reports.

Usage: python bench/check_labels.py [LABELS.json ...] [--tool]

Without arguments every ``fixtures/corpus/labels/*.json`` is checked. Each label names a report by
its path relative to ``fixtures/corpus`` (``national-1954-2004.tsv#1987`` for one line of a
multi-report TSV file). The report is read here with the standard library only, independently of
the tool being measured (CSV: the ``full_text`` field; TSV line: the text after the year field;
``.gbk.txt``: GB18030; ``.html``: the visible text), and every quoted string must occur in it
verbatim. Structure markers (``plan_start`` …) and problem quotes must occur exactly once, so that a
benchmark can turn them into one position. ``--tool`` also checks that each quote is found in the
text as ``summarizer.ingest`` reads the plain report files, after the tool's normalisation.

Prints one line per failure and a summary; exits 1 if any label fails.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "fixtures" / "corpus"
LABELS = CORPUS / "labels"

LEVELS = {"city", "prefecture", "province", "national", "county", "district", "town"}
BOUNDS = {"about", "at_least", "at_most", "range", "exact", "none"}
KEYS = {
    "id", "place", "level", "review_year", "review_span", "plan_year", "plan_start",
    "fiveyear_start", "own_work_start", "problems", "gdp_target", "gdp_outcome", "notes",
}  # fmt: skip
# A corpus line that holds its report twice (a defect of the collection) says so, and its
# quotes then occur twice.
OPTIONAL = {"text_repeated", "results_in_plan"}
# "results_in_plan": quotes (whole sentences) of last year's results that the plan part recalls
# before its tasks ("三、2011年的工作 … 过去一年，…国内生产总值增长10.3%…"): achievements stated
# there are rightly achievements, though they stand after plan_start.
MARKERS = ("plan_start", "fiveyear_start", "own_work_start")
# csv refuses fields over 128 KiB by default; a whole report sits in one field.
csv.field_size_limit(1 << 30)


class _Visible(HTMLParser):
    """Visible text of an HTML fragment; block elements break lines (as a browser shows them)."""

    BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 li br tr section article".split())
    SKIP = frozenset("script style head".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in self.SKIP
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in self.SKIP and self.skip > 0
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def report_text(report_id: str) -> str:
    """The report's text as the labels quote it."""
    name, _, key = report_id.partition("#")
    path = CORPUS / name
    if name.endswith(".tsv"):
        for line in path.read_text("utf-8").splitlines():
            year, _, text = line.partition("\t")
            if year.strip() == key:
                return text
        raise KeyError(f"no line for year {key} in {name}")
    if name.endswith(".csv"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        if key:
            rows = [r for r in rows if (r.get("year") or "").strip() == key]
        if len(rows) != 1:
            raise KeyError(f"{report_id}: {len(rows)} rows match, expected 1")
        return rows[0]["full_text"]
    raw = path.read_bytes()
    if name.endswith(".gbk.txt"):
        text = raw.decode("gb18030")
    else:
        text = raw.decode("utf-8-sig")
    if name.endswith((".html", ".htm")):
        parser = _Visible()
        parser.feed(text)
        parser.close()
        return "".join(parser.parts)
    # A one-report TSV line (`year<TAB>title<TAB>text`): the text after the year field.
    if re.match(r"\d{4}\t", text):
        return text.partition("\t")[2]
    return text


def _num(value: float) -> str:
    return f"{value:g}"


def _states(quote: str, value: float) -> bool:
    """Whether a quote with digits writes the value (full-width forms and stray spaces allowed)."""
    plain = re.sub(r"\s", "", unicodedata.normalize("NFKC", quote))
    return not re.search(r"[0-9]", plain) or _num(value) in plain


def check_label(label: dict[str, Any], text: str) -> list[str]:
    """Every problem with one label, as short messages (empty when it is sound)."""
    errors: list[str] = []
    missing, extra = KEYS - label.keys(), label.keys() - KEYS - OPTIONAL
    if missing or extra:
        errors.append(f"keys: missing {sorted(missing)}, unexpected {sorted(extra)}")
    if label.get("level") not in LEVELS:
        errors.append(f"level {label.get('level')!r}")
    review, plan = label.get("review_year"), label.get("plan_year")
    # A report with no review (the first of a series) or no plan part may leave its year null.
    if not all(year is None or isinstance(year, int) for year in (review, plan)):
        errors.append("review_year and plan_year must be integers or null")
    span = label.get("review_span")
    if span is not None and (len(span) != 2 or span[1] != review or span[0] >= span[1]):
        errors.append(f"review_span {span} must be [first, review_year]")

    copies = 2 if label.get("text_repeated") else 1

    def once(field: str, quote: Any, lo: int, hi: int) -> None:
        if not isinstance(quote, str) or not lo <= len(quote) <= hi:
            errors.append(f"{field}: {quote!r} must be a string of {lo}-{hi} characters")
            return
        count = text.count(quote)
        if count != copies:
            errors.append(f"{field}: {quote!r} occurs {count} times")

    for field in MARKERS:
        if label.get(field) is not None:
            once(field, label[field], 8, 200)
    for quote in label.get("problems") or []:
        once("problems", quote, 10, 40)
    for quote in label.get("results_in_plan") or []:
        once("results_in_plan", quote, 10, 1000)

    target = label.get("gdp_target")
    if target is not None:
        bound, low, high = target.get("bound"), target.get("low"), target.get("high")
        shape = {
            "about": low is not None and low == high,
            "exact": low is not None and low == high,
            "at_least": low is not None and high is None,
            "at_most": low is None and high is not None,
            "range": low is not None and high is not None and low < high,
            "none": low is None and high is None,
        }
        if bound not in BOUNDS or not shape[bound]:
            errors.append(f"gdp_target: bound {bound!r} does not fit low={low} high={high}")
        quote = target.get("quote") or ""
        if quote not in text:
            errors.append(f"gdp_target quote not found: {quote!r}")
        for value in (low, high):
            if value is not None and not _states(quote, value):
                errors.append(f"gdp_target: {_num(value)} is not in its quote {quote!r}")
    outcome = label.get("gdp_outcome")
    if outcome is not None:
        quote = outcome.get("quote") or ""
        if quote not in text:
            errors.append(f"gdp_outcome quote not found: {quote!r}")
        if not _states(quote, outcome.get("value", float("nan"))):
            errors.append(f"gdp_outcome: {outcome.get('value')} is not in its quote {quote!r}")
    return errors


def _quotes(label: dict[str, Any]) -> list[str]:
    found = [label[f] for f in MARKERS if label.get(f)] + list(label.get("problems") or [])
    found += [label[k]["quote"] for k in ("gdp_target", "gdp_outcome") if label.get(k)]
    return found


def check_with_tool(label: dict[str, Any]) -> list[str]:
    """Quotes missing from the text as the tool itself reads a plain report file."""
    name = label["id"]
    if "#" in name or name.endswith((".csv", ".tsv")):
        return []
    sys.path.insert(0, str(ROOT))
    from summarizer.grounding import normalize
    from summarizer.ingest import read_report

    norm = normalize(read_report(CORPUS / name).text)
    return [f"not in the tool's text: {q!r}" for q in _quotes(label) if normalize(q) not in norm]


def main(argv: list[str]) -> int:
    tool = "--tool" in argv
    files = [Path(a) for a in argv if a != "--tool"] or sorted(LABELS.glob("*.json"))
    failures = 0
    for file in files:
        labels = json.loads(file.read_text("utf-8"))
        ids = Counter(label.get("id") for label in labels)
        bad = 0
        for label in labels:
            try:
                errors = check_label(label, report_text(label["id"]))
                if tool:
                    errors += check_with_tool(label)
            except (OSError, KeyError, UnicodeDecodeError) as exc:
                errors = [f"cannot read the report: {exc}"]
            if ids[label.get("id")] > 1:
                errors.append("id labelled more than once")
            for error in errors:
                print(f"FAIL {file.name} {label.get('id')}: {error}")
            bad += bool(errors)
        failures += bad
        levels = Counter(label.get("level") for label in labels)
        bounds = Counter((label.get("gdp_target") or {}).get("bound", "null") for label in labels)
        print(
            f"{file.name}: {len(labels)} reports, {bad} failing; levels {dict(levels)}; "
            f"plan part {sum(bool(x.get('plan_start')) for x in labels)}, "
            f"five-year part {sum(bool(x.get('fiveyear_start')) for x in labels)}, "
            f"own-work part {sum(bool(x.get('own_work_start')) for x in labels)}, "
            f"stating problems {sum(bool(x.get('problems')) for x in labels)} "
            f"({sum(len(x.get('problems') or []) for x in labels)} paragraphs); "
            f"GDP target bounds {dict(bounds)}, "
            f"outcomes {sum(bool(x.get('gdp_outcome')) for x in labels)}"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
