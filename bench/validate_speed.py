"""Speed of the validation pass: a 1 MB report with 2,000 claims, on one core.

The report is the five sample reports (and the development corpus, when present) repeated
until it passes 1 MB of UTF-8, each copy with its figures shifted (69亿元 → 70亿元 in the
second copy, …; years, months and days left alone) so that every copy states its own numbers
and a quote is found where its copy is, not always in the first one. The claims are the
rules engine's summary of the whole report (metrics, targets, evidence quotes, numbers in
text fields), items taken evenly along it, exactly 2,000 claims.

Timed, best of five, with the parse caches emptied each time: building the `Source` (N-index
of the clean text, with the outline the pipeline already has) and `validate_summary` over
the 2,000 claims, which builds the source's number and period indexes on first use. The
baseline measured in the same run is `find_numbers` over the clean text: the least any
validator must do to know which numbers the report states.

Run: python bench/validate_speed.py
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import checktext, numbers  # noqa: E402
from summarizer.clean import clean  # noqa: E402
from summarizer.engines.rules import extract  # noqa: E402
from summarizer.ingest import read_report  # noqa: E402
from summarizer.merge import merge  # noqa: E402
from summarizer.numbers import find_numbers  # noqa: E402
from summarizer.records import Achievement, Meta, Plan, Problem, ReportSummary, replace  # noqa: E402
from summarizer.structure import Outline, outline  # noqa: E402
from summarizer.validate import Source, validate_summary  # noqa: E402

REPORTS = ROOT / "fixtures" / "reports"
CORPUS = ROOT / "fixtures" / "corpus"
TARGET_BYTES = 1_000_000
CLAIMS = 2_000
TARGET_SECONDS = 1.0

# A figure's last digit, unless the figure is a date: 2019年, 10月, 5日, 1号.
_FIGURE = re.compile(r"(?<![0-9.])(\d+(?:\.\d+)?)(?![0-9.]|\s*[年月日号])")


def shifted(text: str, k: int) -> str:
    """The text with every figure's last digit moved up by k (mod 10); dates untouched."""
    if k == 0:
        return text

    def shift(m: re.Match[str]) -> str:
        s = m.group(1)
        if len(s) == 4 and s[:2] in ("19", "20"):
            return s  # a bare year
        return s[:-1] + str((int(s[-1]) + k) % 10)

    return _FIGURE.sub(shift, text)


def build_report() -> list[str]:
    """Copies of the sample (and corpus) reports, figures shifted per copy, ≥ 1 MB in all."""
    texts = [read_report(p).text for p in sorted(REPORTS.glob("*.txt"))]
    texts += [
        read_report(p).text for p in sorted(CORPUS.glob("*.*")) if p.suffix in (".txt", ".html")
    ]
    copies, size, k = [], 0, 0
    while size < TARGET_BYTES:
        for t in texts:
            copies.append(shifted(t, k // len(texts) % 10))
            size += len(copies[-1].encode("utf-8")) + 2
            k += 1
            if size >= TARGET_BYTES:
                break
    return copies


def _claims(s: ReportSummary) -> int:
    """How many claims validate_summary makes of a summary."""
    n = sum(len(a.metrics) + len(a.evidence) for a in s.achievements)
    n += sum(len(p.targets) + len(p.evidence) for p in s.plans)
    n += sum(len(p.evidence) for p in s.problems)
    texts = [s.overview, *(x.text for x in (*s.achievements, *s.problems, *s.plans))]
    return n + sum(1 for t in texts for m in find_numbers(t) if not m.is_year)


def _count(item: Achievement | Problem | Plan) -> int:
    listed = getattr(item, "metrics", None) or getattr(item, "targets", None) or []
    return (
        len(listed) + len(item.evidence) + sum(1 for m in find_numbers(item.text) if not m.is_year)
    )


def summary_of(clean_text: str, out: Outline) -> ReportSummary:
    """The rules engine's summary of the whole report, items spread evenly, CLAIMS claims."""
    merged = merge(extract(clean_text, out), clean_text)
    lists = {"achievements": merged.achievements, "problems": merged.problems,
             "plans": merged.plans}  # fmt: skip
    total_all = sum(_count(x) for xs in lists.values() for x in xs)
    share = min(1.0, CLAIMS / total_all)
    kept: dict[str, list] = {k: [] for k in lists}
    total = 0
    for name, items in lists.items():
        seen, mine = 0, 0
        for x in items:
            c = _count(x)
            seen += c
            if mine + c <= share * seen:  # keep the kept share even along the report
                kept[name].append(x)
                mine += c
        total += mine
    for name, items in lists.items():
        for x in items:
            left, c = CLAIMS - total, _count(x)
            if left > 0 and c - len(x.evidence) <= left and all(x is not y for y in kept[name]):
                # The last one keeps part of its evidence, so the count comes out exact.
                x = replace(x, evidence=x.evidence[: left - c + len(x.evidence)])
                kept[name].append(x)
                total += _count(x)
    meta = Meta(source="big.txt", source_sha256="0" * 64, engine="rules")
    return ReportSummary(meta=meta, **kept)


def timed(run: object, rounds: int = 5) -> float:
    """Best wall time of `rounds` runs, parse caches emptied before each."""
    best = float("inf")
    for _ in range(rounds):
        checktext.numbers_of.cache_clear()
        checktext.periods_of.cache_clear()
        numbers.KNOWN.clear()
        start = time.perf_counter()
        run()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    copies = build_report()
    text = "\n\n".join(copies)
    cleaned = clean(text)
    out = outline(cleaned.text)
    summary = summary_of(cleaned.text, out)
    result = validate_summary(summary, Source(text, cleaned, outline=out))
    n = len(result.claims)
    mb = len(text.encode("utf-8")) / 1e6
    print(f"report: {mb:.2f} MB UTF-8 ({len(text):,} characters, {len(copies)} copies); "
          f"claims: {n} ({result.verified} verified, {result.flagged} flagged)")  # fmt: skip

    built: list[Source] = []
    prep = timed(lambda: built.append(Source(text, cleaned, outline=out)))
    total = timed(lambda: validate_summary(summary, Source(text, cleaned, outline=out)))
    warm_src = Source(text, cleaned, outline=out)
    validate_summary(summary, warm_src)
    warm = timed(lambda: validate_summary(summary, warm_src))
    base = timed(lambda: find_numbers(cleaned.text))
    print(f"Source() (N-index of the clean text):          {prep:.3f} s")
    print(f"Source() + validate_summary, {n} claims:      {total:.3f} s "
          f"(target < {TARGET_SECONDS:.0f} s)")  # fmt: skip
    print(f"validate_summary again on the same Source:     {warm:.3f} s "
          f"({1e6 * warm / n:.0f} µs per claim)")  # fmt: skip
    print(f"baseline, find_numbers over the clean text:    {base:.3f} s "
          f"(validation / baseline = {total / base:.2f})")  # fmt: skip
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
