"""Time and peak memory of each stage on one big report, offline engine.

Builds a report of SIZE MB (default 10) by concatenating the five samples (zhenglu's spam
included, so screening has work to do), then runs each stage once and prints its seconds,
MB/s and the process's peak RSS after it. Baseline, measured in the same run: one pass of a
trivial regular expression over the same text (what a stage could cost at C speed), so every
stage is also shown as a multiple of it.

Run: python bench/big_input.py [SIZE_MB]
"""

from __future__ import annotations

import asyncio
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.chunking import chunk_text  # noqa: E402
from summarizer.clean import clean  # noqa: E402
from summarizer.engines import PreparedReport  # noqa: E402
from summarizer.engines.rules import RulesEngine  # noqa: E402
from summarizer.ingest import read_report  # noqa: E402
from summarizer.pipeline import summarize_report  # noqa: E402
from summarizer.render import render_markdown  # noqa: E402
from summarizer.render_html import render_html  # noqa: E402
from summarizer.screen import screen  # noqa: E402
from summarizer.structure import outline  # noqa: E402


def _peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KB on Linux


def main() -> None:
    """Print one line per stage."""
    size = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    samples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures/reports").glob("*"))]
    parts, total, i = [], 0, 0
    while total < size * 2**20:
        parts.append(samples[i % len(samples)])
        total += len(parts[-1].encode("utf-8"))
        i += 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        path.write_text("\n".join(parts), encoding="utf-8")
        mb = path.stat().st_size / 2**20
        t0 = time.perf_counter()
        sum(1 for _ in re.finditer("。", path.read_text(encoding="utf-8")))
        base = time.perf_counter() - t0
        print(f"input {mb:.1f} MB; baseline regex pass {base:.3f} s; peak RSS {_peak_mb()} MB")

        def lap(name: str, start: float) -> float:
            now = time.perf_counter()
            sec = now - start
            print(f"{name:10s} {sec:7.2f} s  {mb / sec:7.1f} MB/s  {sec / base:7.0f}x baseline  "
                  f"peak RSS {_peak_mb()} MB")  # fmt: skip
            return now

        t = time.perf_counter()
        doc = read_report(path)
        t = lap("read", t)
        cleaned = screen(clean(doc.text))
        t = lap("clean+scr", t)
        out = outline(cleaned.text, title_hint=doc.title_hint)
        chunks = tuple(chunk_text(cleaned.text, out, budget=6000))
        t = lap("outline", t)
        report = PreparedReport(document=doc, clean=cleaned, outline=out, chunks=chunks)
        summary = asyncio.run(summarize_report(report, RulesEngine())).summary
        t = lap("summarize", t)
        render_markdown(summary)
        t = lap("render", t)
        render_html(summary, doc.text)
        lap("render html", t)


if __name__ == "__main__":
    main()
