"""Batch throughput against the project's loopback server (prints figures; not a test).

20 reports (the five samples, each copied four times with a one-line difference) at
concurrency 8 against a server with a fixed latency per request. Prints requests made, peak
in-flight requests, wall time against the ideal ceil(requests / 8) × latency, prompt
characters sent per source character, the requests made by an immediate second run, and the
peak RSS over 1,000 offline-engine reports in one process.

    python bench/batch.py [--latency 1.0] [--concurrency 8] [--offline 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from summarizer.batch import run_batch  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from summarizer.engines import make_engine  # noqa: E402
from summarizer.engines.rules import RulesEngine  # noqa: E402
from summarizer.ingest import read_report  # noqa: E402
from summarizer.pipeline import prepare, summarize_report  # noqa: E402

SAMPLES = sorted((ROOT / "fixtures" / "reports").glob("*.txt"))


def make_corpus(target: Path, copies: int) -> list[str]:
    """The samples, each copied with a one-line difference so no two inputs are identical."""
    paths = []
    for src in SAMPLES:
        text = src.read_text(encoding="utf-8")
        for k in range(copies):
            p = target / f"{src.stem}-{k}.txt"
            p.write_text(text + f"\n（副本{k}）\n", encoding="utf-8")
            paths.append(str(p))
    return paths


class Endpoint:
    """The loopback server in its own process, as a remote endpoint would be."""

    def __init__(self, latency: float) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "loopback.py"), str(latency)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self.base_url = self.proc.stdout.readline().strip()

    def stats(self) -> dict:
        with urllib.request.urlopen(self.base_url.rsplit("/v1", 1)[0] + "/stats") as r:
            return json.load(r)

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait()


def live(latency: float, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "in").mkdir()
        paths = make_corpus(tmp_path / "in", 4)
        source_chars = sum(len(read_report(p).text) for p in paths)
        settings = Settings(
            engine="llm",
            base_url="",
            api_key="bench",
            concurrency=concurrency,
            cache_dir=tmp_path / "cache",
        )
        with Endpoint(latency) as srv:
            settings = settings.with_(base_url=srv.base_url)
            t = time.perf_counter()
            # One-off start-up: imports (openai, instructor, the pipeline), compiled patterns,
            # the tool schema, the first connection. Paid once per process, so it is measured
            # with one warm-up report and kept apart from the batch's wall time and counts.
            warm = tmp_path / "warm.txt"  # not one of the 20, so the cache holds none of them
            warm.write_text(SAMPLES[0].read_text(encoding="utf-8") + "\n（预热）\n", "utf-8")
            asyncio.run(run_batch([str(warm)], settings, tmp_path / "warm", "md"))
            startup = time.perf_counter() - t
            base = srv.stats()

            async def timed_run() -> tuple[list, float]:
                engine = make_engine(settings)
                nonlocal_start.append(time.time())
                t = time.perf_counter()
                runs = await run_batch(paths, settings, tmp_path / "out", "md", engine=engine)
                wall = time.perf_counter() - t
                await engine.aclose()
                return runs, wall

            nonlocal_start: list[float] = []
            runs, wall = asyncio.run(timed_run())
            stats = srv.stats()
            arrivals = [a - nonlocal_start[0] for a in stats["arrivals"][base["requests"] :]]
            requests = stats["requests"] - base["requests"]
            chars = stats["prompt_chars"] - base["prompt_chars"]
            peak = stats["peak_in_flight"]
            again = asyncio.run(run_batch(paths, settings, tmp_path / "out2", "md"))
            second = srv.stats()["requests"] - stats["requests"]
        failed = [r.path for r in runs + again if r.status == "failed"]
    ideal = math.ceil(requests / concurrency) * latency
    print(f"reports                          {len(paths)} ({len(failed)} failed)")
    print(f"requests made                    {requests}")
    print(f"peak in-flight requests          {peak} (limit {concurrency})")
    print(f"wall time                        {wall:.2f} s; ideal {ideal:.2f} s")
    print(f"wall/ideal                       {wall / ideal:.3f} (target <= 1.15)")
    print(f"start-up (one warm-up report)    {startup:.2f} s, once per process, not in wall")
    print(f"request send times (s)           {' '.join(f'{a:.2f}' for a in sorted(arrivals))}")
    print(f"prompt chars per source char     {chars / source_chars:.3f} (target <= 1.4)")
    print(f"requests in an immediate re-run  {second} (target 0; served from the response cache)")


def offline(n: int) -> None:
    engine = RulesEngine()
    docs = [read_report(str(p)) for p in SAMPLES]

    async def go() -> None:
        for i in range(n):
            report = prepare(docs[i % len(docs)], 6000)
            await summarize_report(report, engine)
            if i + 1 in (n // 10, n // 2, n):
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"offline reports {i + 1:5d}           peak RSS {rss:.1f} MB")

    t = time.perf_counter()
    asyncio.run(go())
    print(f"offline: {n} reports in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--latency", type=float, default=1.0)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--offline", type=int, default=1000)
    a = ap.parse_args()
    live(a.latency, a.concurrency)
    offline(a.offline)
