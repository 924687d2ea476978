"""How long the briefs are, and whether every HTML link lands on its quote, over the whole corpus.

For every report in fixtures/reports and fixtures/corpus (the 46 city reports, each CSV row of
the provincial reports and each line of the State Council TSV included), the offline engine's
summary is rendered as the one-page Markdown brief, the long form and the HTML page, and this
prints:

* lines of the one-page brief (max, mean) and of the long form, and the longest reports;
* HTML links whose target text is not their quote under normalisation N (should be 0), the
  links with no target at all, and the render time of the largest page.

Run: python bench/briefs.py
"""

from __future__ import annotations

import asyncio
import csv
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from htmlcheck import Page  # noqa: E402

from summarizer.engines.rules import RulesEngine  # noqa: E402
from summarizer.errors import SummarizerError  # noqa: E402
from summarizer.ingest import read_report  # noqa: E402
from summarizer.pipeline import prepare, summarize_report  # noqa: E402
from summarizer.render import render_markdown  # noqa: E402
from summarizer.render_html import render_html  # noqa: E402

FIXTURES = ROOT / "fixtures"
csv.field_size_limit(1 << 30)


def link_errors(page: str) -> tuple[int, int]:
    """(links whose target text is not their quote, links) of an HTML brief."""
    read = Page(page)
    return len(read.bad_links()), len(read.links)


def corpus() -> Iterator[tuple[str, Path]]:
    """(name, path) of every report, records of the corpus files written out one a file."""
    tmp = Path(tempfile.mkdtemp(prefix="briefs-bench-"))
    for p in sorted([*(FIXTURES / "reports").glob("*.txt"), *(FIXTURES / "corpus").rglob("*")]):
        if p.suffix in (".txt", ".html"):
            yield p.stem, p
        elif p.suffix == ".csv":
            with p.open(encoding="utf-8", newline="") as f:
                for i, row in enumerate(csv.DictReader(f)):
                    out = tmp / f"{p.stem}-{i}.txt"
                    out.write_text(row["full_text"], encoding="utf-8")
                    yield out.stem, out
        elif p.suffix == ".tsv":
            for line in p.read_text(encoding="utf-8").splitlines():
                year, _, body = line.partition("\t")
                out = tmp / f"national-{year}.txt"
                out.write_text(f"{year}\t{year}年政府工作报告\t{body}\n", encoding="utf-8")
                yield out.stem, out


def main() -> int:
    engine = RulesEngine()
    pages, fulls, rows = [], [], []
    bad_links = links = unread = 0
    slowest = (0.0, "")
    for name, path in corpus():
        try:
            document = read_report(path)
        except SummarizerError:
            unread += 1
            continue
        summary = asyncio.run(summarize_report(prepare(document, 8000), engine)).summary
        page, full = render_markdown(summary), render_markdown(summary, "full")
        start = time.perf_counter()
        html = render_html(summary, document.text)
        took = time.perf_counter() - start
        slowest = max(slowest, (took, name))
        b, n = link_errors(html)
        bad_links, links = bad_links + b, links + n
        pages.append(len(page.splitlines()))
        fulls.append(len(full.splitlines()))
        rows.append((pages[-1], fulls[-1], name))
    print(f"reports: {len(pages)} (unreadable: {unread})")
    print(f"one-page brief lines: max {max(pages)}, mean {sum(pages) / len(pages):.1f}")
    print(f"long form (--detail full) lines: max {max(fulls)}, mean {sum(fulls) / len(fulls):.1f}")
    for page, full, name in sorted(rows, key=lambda r: -r[1])[:5]:
        print(f"  {name:40} page {page:3}  full {full:4}")
    print(f"HTML links: {links}, landing on a text other than their quote: {bad_links}")
    print(f"slowest HTML render: {slowest[0]:.2f} s ({slowest[1]})")
    return 0 if bad_links == 0 and max(pages) <= 60 else 1


if __name__ == "__main__":
    sys.exit(main())
