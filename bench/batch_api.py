"""--via batch over the whole development corpus, against the loopback Batch API (prints figures).

Every report of fixtures/ — the five samples, the single reports of fixtures/corpus, the 46
city reports, the 12 provincial CSV files and the State Council reports of the TSV (one report
a row, as the tool reads corpus files) — goes through `--dry-run`, then through the Batch API
of tests/loopback_batch.py answering with synthetic grounded answers, then again (which must
send nothing), and then through the live path on the same answers, to compare. Prints:
reports, chunks, lines, batches, chat requests, input bytes, the dry-run estimate and its
batch price, wall times, requests of the re-run, and how many outputs equal the live path's
(cost aside).

    python bench/batch_api.py
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from loopback import LoopbackServer, answer_with, grounded_answer, is_reask  # noqa: E402
from loopback_batch import BatchLoopback  # noqa: E402

from summarizer.batch import run_batch  # noqa: E402
from summarizer.batch_run import BatchOptions, BatchRun  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from summarizer.engines.batch_api import MAX_BYTES, MAX_LINES  # noqa: E402

CORPUS = ROOT / "fixtures" / "corpus"


def corpus() -> list[str]:
    """Every report file of fixtures/, corpus files (CSV rows, TSV lines) as they are."""
    files = sorted((ROOT / "fixtures" / "reports").glob("*.txt"))
    files += [p for p in sorted(CORPUS.iterdir()) if p.is_file() and p.name != "README.md"]
    files += sorted((CORPUS / "city-2024").glob("*.txt"))
    files += sorted((CORPUS / "province-2026").glob("*.csv"))
    return [str(p) for p in files]


def strip_cost(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["meta"]["usage"]["cost"]
    return data


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        paths = corpus()
        quiet = lambda _m: None  # noqa: E731

        plan: list[str] = []
        opts = BatchOptions(MAX_LINES, MAX_BYTES, poll=0, fmt="json")
        with BatchLoopback(answer_with(grounded_answer)) as srv:
            settings = Settings(engine="llm", base_url=srv.base_url, api_key="k", cache_dir=None)
            dry = BatchOptions(MAX_LINES, MAX_BYTES, dry_run=True, fmt="json")
            began = time.perf_counter()
            asyncio.run(BatchRun(paths, settings, base / "dry", dry, out=plan.append).run())
            dry_s = time.perf_counter() - began
            assert not srv.calls

            began = time.perf_counter()
            runs = asyncio.run(
                BatchRun(paths, settings, base / "batch", opts, say=quiet, out=quiet).run()
            )
            batch_s = time.perf_counter() - began
            lines = srv.submitted_lines()
            calls_before = len(srv.calls)
            asyncio.run(BatchRun(paths, settings, base / "batch", opts, say=quiet, out=quiet).run())
            rerun_calls = len(srv.calls) - calls_before
            inputs = sum(srv.files[b["input_file_id"]]["bytes"] for b in srv.batches.values())

        done = [r for r in runs if r.status == "done"]
        chunks = sum(r.chunks for r in done)
        with LoopbackServer(answer_with(grounded_answer)) as live_srv:
            settings = Settings(engine="llm", base_url=live_srv.base_url, api_key="k")
            settings = settings.with_(cache_dir=None, concurrency=8)
            began = time.perf_counter()
            live_runs = asyncio.run(run_batch(paths, settings, base / "live", "json"))
            live_s = time.perf_counter() - began
        live_all = [json.dumps(q.body, sort_keys=True) for q in live_srv.requests]
        live_bodies = set(live_all)  # live sends a request twice when two chunks are the same
        batch_bodies = {json.dumps(line["body"], sort_keys=True) for line in lines}
        twice = len(live_all) - len(live_bodies)
        same = sum(
            r.output is not None
            and lr.output is not None
            and lr.status == "done"
            and strip_cost(r.output) == strip_cost(lr.output)
            for r, lr in zip(runs, live_runs, strict=True)
            if r.status == "done"
        )
        failed = [r for r in runs if r.status == "failed"]
        print(
            f"reports: {len(runs)} from {len(paths)} files "
            f"({len(done)} done, {len(failed)} refused by ingest/checks)"
        )
        for r in failed[:5]:
            print(f"  refused: {Path(r.path).name}: {r.reason[:90]}")
        print(f"dry run ({dry_s:.1f} s): {plan[-1]}")
        asks = sum(not is_reask(line["body"]) for line in lines)
        print(
            f"batch run: {asks} first-ask lines for {chunks} chunks "
            f"({asks / max(1, chunks):.2f} a chunk) + {len(lines) - asks} re-asks, "
            f"{len(srv.batches)} batch(es), "
            f"{srv.chat_requests} chat requests, input {inputs / 1e6:.1f} MB "
            f"({inputs / max(1, len(lines)) / 1e3:.1f} kB a line), {batch_s:.1f} s wall"
        )
        print(f"re-run: {rerun_calls} requests to the endpoint")
        print(
            f"live path on the same answers: {len(live_srv.requests)} requests, {live_s:.1f} s; "
            f"distinct request bodies identical: {live_bodies == batch_bodies} "
            f"({twice} live requests repeated an identical one, sent once as a batch line); "
            f"outputs equal (cost aside): {same}/{len(done)}"
        )


if __name__ == "__main__":
    main()
