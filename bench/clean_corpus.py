"""What `clean` removes from the development corpus, what it keeps, and how fast.

For the 16 provincial CSV rows (web pages), the 46 city reports and, flattened the way a PDF
extractor that lost its line breaks leaves them (one line, or one line a page), all of those
and the 35 national reports of the TSV corpus file:

* lines in, lines dropped (no trace left in the clean text), lines joined into another line;
* body lines lost: dropped lines that look like report text (ending in sentence punctuation,
  or a numbered heading) — should be 0; the dropped lines are printed for a hand check;
* flattened reports: share of paragraphs recovered exactly, footers left behind;
* seconds per MB of input, against a baseline measured in the same run: one pass of a
  trivial regular expression over the same text (what a stage could cost at C speed).

Run: python bench/clean_corpus.py [--show]
"""

from __future__ import annotations

import csv
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.clean import CleanText, clean  # noqa: E402
from tests.test_pages import FOOTERS, PAGE, flatten  # noqa: E402

CORPUS = ROOT / "fixtures" / "corpus"
_BODY_RE = re.compile(
    r".{7,}[。！？：；!?:;]$|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]"
)
_FOOTER_LEFT_RE = re.compile(r"— ?\d+ ?—|- \d+ -|第 ?\d+ ?页")


def _provinces() -> list[tuple[str, str]]:
    csv.field_size_limit(sys.maxsize)
    rows = []
    for path in sorted((CORPUS / "province-2026").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows += [(row["province"], row["full_text"]) for row in csv.DictReader(fh)]
    return rows


def _cities() -> list[tuple[str, str]]:
    return [
        (p.stem, p.read_text(encoding="utf-8"))
        for p in sorted((CORPUS / "city-2024").glob("*.txt"))
    ]


def _timed(texts: list[str]) -> tuple[list[CleanText], float, float]:
    """(clean results, seconds of clean, seconds of the baseline) over all texts."""
    start = time.perf_counter()
    out = [clean(t) for t in texts]
    spent = time.perf_counter() - start
    start = time.perf_counter()
    for t in texts:
        re.findall(r"\n", t)
    return out, spent, time.perf_counter() - start


def report(level: str, docs: list[tuple[str, str]], show: bool) -> None:
    out, spent, base = _timed([t for _, t in docs])
    lines_in = dropped = joined = lost = 0
    for (name, source), result in zip(docs, out, strict=True):
        # A line is dropped when none of its characters is in the clean text (by the map).
        kept = bytearray(len(source) + 1)
        for offset in result.offsets:
            kept[offset] = 1
        raw: list[tuple[int, str]] = []
        pos = 0
        for line in source.split("\n"):
            if line.strip():
                raw.append((pos, line))
            pos += len(line) + 1
        gone = [line.strip() for at, line in raw if not any(kept[at : at + len(line)])]
        lines_in += len(raw)
        dropped += len(gone)
        joined += len(raw) - len(gone) - len(result.text.split("\n"))
        body = [line for line in gone if _BODY_RE.match(line)]
        lost += len(body)
        if show and gone:
            print(f"  {name}: dropped {[g[:24] for g in gone]}")
        for line in body:
            print(f"  {name}: BODY LINE LOST {line[:60]}")
    mb = sum(len(t.encode()) for _, t in docs) / 2**20
    print(
        f"{level:<22} docs {len(docs):>3}  lines {lines_in:>6}  dropped {dropped:>4}  "
        f"joined {joined:>3}  body lost {lost}  {spent / mb:6.3f} s/MB "
        f"({spent / max(base, 1e-9):,.0f}x a regex pass)"
    )


def report_flattened(docs: list[tuple[str, str]], show: bool, per_page: bool) -> None:
    paragraphs = [clean(t).text.split("\n") for _, t in docs]
    flats = [flatten(p, FOOTERS["em"], join=" ") for p in paragraphs]
    if per_page:  # one line a page
        flats = [
            "\n".join(f[k : k + PAGE + 100] for k in range(0, len(f), PAGE + 100)) for f in flats
        ]
    out, spent, base = _timed(flats)
    exact = total = left = 0
    for want, result in zip(paragraphs, out, strict=True):
        got = result.text
        got_lines = set(got.split("\n"))
        if show:
            print(f"  not recovered: {[p[:30] for p in want if p not in got_lines]}")
        exact += sum(1 for p in want if p in got_lines)
        total += len(want)
        left += len(_FOOTER_LEFT_RE.findall(got))
    mb = sum(len(t.encode()) for t in flats) / 2**20
    print(
        f"{'flat, ' + ('a page a line' if per_page else 'one line'):<22} docs {len(docs):>3}  "
        f"paragraphs {total:>5}  "
        f"recovered {exact / total:6.1%}  footers left {left}  {spent / mb:6.3f} s/MB "
        f"({spent / max(base, 1e-9):,.0f}x a regex pass)"
    )


def _national() -> list[tuple[str, str]]:
    rows = (CORPUS / "national-1954-2004.tsv").read_text(encoding="utf-8").split("\n")
    return [tuple(row.split("\t", 1)) for row in rows if "\t" in row]  # type: ignore[misc]


def main() -> None:
    show = "--show" in sys.argv
    report("province rows (web)", _provinces(), show)
    report("city files", _cities(), show)
    everything = _provinces() + _cities() + _national()
    report_flattened(everything, show, per_page=False)
    report_flattened(everything, show, per_page=True)


if __name__ == "__main__":
    main()
