"""--via batch end to end: the real openai SDK against a loopback Files + Batches endpoint.

The loopback answers are synthetic: built by the chat loopback's brains from each chunk's own
text (grounded_answer), or deliberately wrong ones to exercise re-asks — not a model's answers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import openai
import pytest
from click.testing import CliRunner
from conftest import CORPUS, REPORTS, ROOT, SAMPLES
from loopback import (
    LoopbackServer,
    Reply,
    answer_with,
    completion,
    error_body,
    grounded_answer,
    is_reask,
    meaningless_answer,
    report_text,
)
from loopback_batch import BatchLoopback

from summarizer.batch_run import BatchOptions, BatchRun
from summarizer.batch_state import RUN_DIR, RunState
from summarizer.batch_view import prompt_chars
from summarizer.chunking import DEFAULT_CHUNK_CHARS
from summarizer.cli import main
from summarizer.config import Settings
from summarizer.engines.batch_api import BatchClient, Spool, request_line
from summarizer.engines.llm import asked_chunks
from summarizer.ingest import read_report
from summarizer.pipeline import prepare
from summarizer.pricing import estimate_tokens, load_prices

SECRET = "sk-batch-NEVER-WRITE-ME-1357924680"


def _inputs(tmp_path: Path, paths: list[Path]) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for p in paths:
        shutil.copy(p, d / p.name)
    return d


def _samples(tmp_path: Path, n: int = 2) -> Path:
    return _inputs(tmp_path, [REPORTS / name for name in SAMPLES[:n]])


def _chunks(src: Path) -> int:
    """How many requests the live path makes for the reports in src (first asks)."""
    return sum(
        len(asked_chunks(prepare(read_report(str(p)), DEFAULT_CHUNK_CHARS)))
        for p in sorted(src.iterdir())
    )


def _cli(args: list[str], env: dict[str, str] | None = None):
    env = {"OPENAI_API_KEY": SECRET, **(env or {})}
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


def _via_batch(srv, src: Path, out: Path, *extra: str, env=None):
    args = ["summarize", str(src), "--via", "batch", "--base-url", srv.base_url]
    args += ["--out-dir", str(out), "--poll", "0", "--format", "json", *extra]
    return _cli(args, env)


def _live(srv, src: Path, out: Path, *extra: str):
    args = ["summarize", str(src), "--engine", "llm", "--base-url", srv.base_url]
    return _cli([*args, "--out-dir", str(out), "--format", "json", *extra])


def _outputs(out: Path) -> dict[str, dict]:
    return {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(out.glob("*.json"))
        if not p.name.startswith(".")
    }


def _without_cost(summary: dict) -> dict:
    copy = json.loads(json.dumps(summary))
    del copy["meta"]["usage"]["cost"]
    return copy


def _bodies(bodies) -> list[str]:
    return sorted(json.dumps(b, ensure_ascii=False, sort_keys=True) for b in bodies)


# --- the done-when of issue 16 -------------------------------------------------------------


def test_twenty_reports_one_line_per_chunk_no_chat_calls_and_the_live_outputs(tmp_path):
    src = _inputs(tmp_path, sorted((CORPUS / "city-2024").glob("*.txt"))[:20])
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        r = _via_batch(srv, src, tmp_path / "batch")
        assert r.exit_code == 0, r.stderr
    assert srv.chat_requests == 0
    lines = srv.submitted_lines()
    # One line per chunk in the first batch; any later batch holds only re-asks of answers the
    # validators rejected (the synthetic answers are not all perfect), exactly as live re-asks.
    first, *later = (srv.lines[b] for b in srv.batches)
    assert len(first) == _chunks(src) and not any(is_reask(line["body"]) for line in first)
    assert all(is_reask(line["body"]) for batch in later for line in batch)
    assert len({line["custom_id"] for line in lines}) == len(lines)
    batch = _outputs(tmp_path / "batch")
    assert len(batch) == 20

    # The same reports live, on the same (synthetic) answers: the same request bodies, and the
    # same outputs but for the price (the batch price is half).
    with LoopbackServer(answer_with(grounded_answer)) as live_srv:
        r = _live(live_srv, src, tmp_path / "live", "--no-cache")
        assert r.exit_code == 0, r.stderr
    assert _bodies(line["body"] for line in lines) == _bodies(q.body for q in live_srv.requests)
    live = _outputs(tmp_path / "live")
    assert {k: _without_cost(v) for k, v in batch.items()} == {
        k: _without_cost(v) for k, v in live.items()
    }
    for name, summary in batch.items():
        assert summary["meta"]["usage"]["calls"] > 0
        assert summary["meta"]["usage"]["cost"] == pytest.approx(
            live[name]["meta"]["usage"]["cost"] / 2, abs=2e-6
        )

    # The collected answers filled the response cache: a later live run costs nothing.
    with LoopbackServer(answer_with(grounded_answer)) as again:
        r = _live(again, src, tmp_path / "cached")
        assert r.exit_code == 0, r.stderr
    assert len(again.requests) == 0
    assert {
        k: _without_cost(v)["achievements"] for k, v in _outputs(tmp_path / "cached").items()
    } == {k: v["achievements"] for k, v in batch.items()}


def test_killed_after_its_batch_was_created_a_rerun_makes_no_second_batch(tmp_path):
    src = _samples(tmp_path, 2)
    out = tmp_path / "out"
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        srv.fates = ["hold"]  # the batch stays in progress while the first run waits on it
        env = {
            **os.environ,
            "OPENAI_API_KEY": SECRET,
            "PYTHONPATH": os.pathsep.join(sys.path),
        }
        args = ["summarize", str(src), "--via", "batch", "--base-url", srv.base_url]
        args += ["--out-dir", str(out), "--poll", "0.05"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "summarizer", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while len(srv.calls) < 4 and time.monotonic() < deadline:  # polled a few times
                time.sleep(0.05)
        finally:
            proc.kill()  # no goodbye: as a crash or a reboot would
            proc.wait()
        assert len(srv.batches) == 1
        (only,) = srv.batches.values()
        only["_fate"] = "completed"  # the provider finishes it meanwhile

        second = _cli([*args, "--poll", "0"])
        assert second.exit_code == 0, second.stderr
        assert len(srv.batches) == 1 and srv.chat_requests == 0
        assert len(list(out.glob("*.md"))) == 2

        before = len(srv.calls)
        third = _cli([*args, "--poll", "0"])
        assert third.exit_code == 0 and third.stderr.count(": skipped") == 2
        assert len(srv.calls) == before and srv.chat_requests == 0  # sends nothing


def test_every_row_of_a_corpus_file_is_a_report_through_the_batch(tmp_path):
    import csv

    d = tmp_path / "in"
    d.mkdir()
    with (d / "reports.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["province", "year", "title", "source_url", "publish_date", "full_text"])
        for name, place in zip(SAMPLES[:2], ["甲市", "乙市"], strict=True):
            text = (REPORTS / name).read_text(encoding="utf-8")
            w.writerow([place, name[-8:-4], f"{place}政府工作报告", "", "", text])
    out = tmp_path / "out"
    with BatchLoopback(_ungrounded_first) as srv:  # two rounds: the rows are driven twice
        r = _via_batch(srv, d, out)
        assert r.exit_code == 0, r.stderr
        assert len(srv.batches) == 2 and srv.chat_requests == 0
        assert len(_outputs(out)) == 2
        before = len(srv.calls)
        again = _via_batch(srv, d, out)
    assert again.exit_code == 0 and again.stderr.count(": skipped") == 2
    assert len(srv.calls) == before


def test_detach_submits_and_exits_and_a_later_run_collects(tmp_path):
    src = _samples(tmp_path, 2)
    out = tmp_path / "out"
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        r = _via_batch(srv, src, out, "--detach")
        assert r.exit_code == 0, r.stderr
        assert "run the same command again" in r.stderr
        assert len(srv.batches) == 1 and not _outputs(out)
        state = json.loads((out / RUN_DIR / "state.json").read_text(encoding="utf-8"))
        assert list(state["batches"]) == list(srv.batches)
        assert {c.split("#")[0] for line in state["lines"].values() for c in line["chunks"]} == {
            str(p) for p in src.iterdir()
        }
        r = _via_batch(srv, src, out)
        assert r.exit_code == 0, r.stderr
    assert len(srv.batches) == 1 and len(_outputs(out)) == 2
    # Collected: the input and result files are deleted here and at the endpoint.
    assert srv.deleted == set(srv.files) and len(srv.files) == 2
    assert not list((out / RUN_DIR).glob("*.jsonl"))


def test_dry_run_prints_the_requests_and_their_batch_price_and_sends_nothing(tmp_path):
    src = _samples(tmp_path, 2)
    out = tmp_path / "out"
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        r = _via_batch(srv, src, out, "--dry-run")
        assert r.exit_code == 0, r.stderr
    assert srv.calls == [] and srv.chat_requests == 0
    assert not (out / RUN_DIR).exists()
    rows = r.stdout.strip().splitlines()
    assert len(rows) == _chunks(src) + 1
    per_line = [int(m.replace(",", "")) for m in re.findall(r"~([\d,]+) prompt tokens\n", r.stdout)]
    total = int(re.search(r"~([\d,]+) prompt tokens,", rows[-1]).group(1).replace(",", ""))
    dollars = float(re.search(r"~\$([\d.]+) at the batch price", rows[-1]).group(1))
    assert sum(per_line) == total
    # The estimate is of the bodies the live path sends, priced at the table's batch price.
    with LoopbackServer(answer_with(grounded_answer)) as live_srv:
        _live(live_srv, src, tmp_path / "live", "--no-cache")
    first_asks = [q.body for q in live_srv.requests if not is_reask(q.body)]
    assert total == sum(estimate_tokens(prompt_chars(b)) for b in first_asks)
    batch_price = load_prices(None, batch=True)["gpt-4o-mini"][0]
    assert batch_price == 0.15 / 2
    assert dollars == pytest.approx(round(total * batch_price / 1e6, 4), abs=1e-4)

    prices = tmp_path / "prices.json"
    prices.write_text('{"gpt-4o-mini": [1, 2, 0.5, 1]}', encoding="utf-8")
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        r = _via_batch(srv, src, out, "--dry-run", "--prices", str(prices))
    dollars = float(re.search(r"~\$([\d.]+) at the batch price", r.stdout).group(1))
    assert dollars == pytest.approx(round(total * 0.5 / 1e6, 4), abs=1e-4)

    # Answers already in the response cache are not requested again, and a dry run writes nothing.
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        _live(srv, src, tmp_path / "warm")  # fills the cache
        r = _via_batch(srv, src, out, "--dry-run")
    assert "dry run: 0 requests" in r.stdout and not out.exists()


# --- rounds: re-asks, error files, expired / failed / cancelled batches -----------------------


def _ungrounded_first(body):
    if is_reask(body):
        return Reply(body=completion(body, grounded_answer(body)))
    bad = grounded_answer(body)
    for item in bad["achievements"] + bad["plans"]:
        item["evidence"] = ["报告里没有这句话"]
    return Reply(body=completion(body, bad))


def test_rejected_answers_are_reasked_in_a_follow_up_batch_as_live(tmp_path):
    src = _samples(tmp_path, 2)
    with BatchLoopback(_ungrounded_first) as srv:
        r = _via_batch(srv, src, tmp_path / "batch")
        assert r.exit_code == 0, r.stderr
    first, second = (srv.lines[b] for b in srv.batches)
    assert len(first) == len(second) == _chunks(src)
    assert not any(is_reask(line["body"]) for line in first)
    assert all(is_reask(line["body"]) for line in second)
    assert "逐字" in json.dumps(second[0]["body"]["messages"], ensure_ascii=False)
    with LoopbackServer(_ungrounded_first) as live_srv:
        _live(live_srv, src, tmp_path / "live", "--no-cache")
    assert _bodies(line["body"] for line in first + second) == _bodies(
        q.body for q in live_srv.requests
    )
    batch, live = _outputs(tmp_path / "batch"), _outputs(tmp_path / "live")
    assert {k: _without_cost(v) for k, v in batch.items()} == {
        k: _without_cost(v) for k, v in live.items()
    }
    assert all(not s["warnings"] or s["warnings"] == live[k]["warnings"] for k, s in batch.items())


def test_the_reask_limit_is_the_live_one_and_unfixable_answers_are_kept_flagged(tmp_path):
    src = _samples(tmp_path, 1)
    with BatchLoopback(answer_with(meaningless_answer)) as srv:
        r = _via_batch(srv, src, tmp_path / "out")
        assert r.exit_code == 0, r.stderr
    reasks = Settings().reasks
    assert len(srv.batches) == 1 + reasks
    assert len(srv.submitted_lines()) == (1 + reasks) * _chunks(src)
    (summary,) = _outputs(tmp_path / "out").values()
    assert any(w["kind"] == "unverified" for w in summary["warnings"])
    assert summary["validation"]["flagged"] > 0


def test_error_file_lines_are_retried_and_only_they(tmp_path):
    src = _samples(tmp_path, 2)
    failing: set[str] = set()

    def brain(body):  # the first two lines fail once, then answer like the others
        text = report_text(body)
        if len(failing) < 2 and text not in failing:
            failing.add(text)
            return Reply(status=500, body=error_body(500, "overloaded"))
        return Reply(body=completion(body, grounded_answer(body)))

    with BatchLoopback(brain) as srv:
        r = _via_batch(srv, src, tmp_path / "out")
        assert r.exit_code == 0, r.stderr
    first, second = (srv.lines[b] for b in srv.batches)
    assert len(first) == _chunks(src) and len(second) == 2
    retried = {report_text(line["body"]) for line in second}
    assert retried == failing
    assert len(_outputs(tmp_path / "out")) == 2


def test_a_line_the_endpoint_always_refuses_fails_its_report_alone(tmp_path):
    src = _samples(tmp_path, 2)
    doomed = sorted(src.iterdir())[0]
    doomed_text = {c.text for c in asked_chunks(prepare(read_report(str(doomed)), 8000))}

    def brain(body):
        if report_text(body) in doomed_text:
            return Reply(status=400, body=error_body(400, "context_length_exceeded"))
        return Reply(body=completion(body, grounded_answer(body)))

    with BatchLoopback(brain) as srv:
        r = _via_batch(srv, src, tmp_path / "out")
    assert r.exit_code == 1
    assert "context_length_exceeded" in r.stderr and "3 tries" in r.stderr
    assert list(_outputs(tmp_path / "out")) == [sorted(src.iterdir())[1].stem + ".json"]
    assert len(srv.batches) == 3  # the first round and two retries of the refused lines


@pytest.mark.parametrize("fate", ["expired", "failed"])
def test_an_expired_or_failed_batch_resubmits_only_its_unfinished_lines(tmp_path, fate):
    src = _samples(tmp_path, 2)
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        srv.fates = [fate]
        r = _via_batch(srv, src, tmp_path / "out")
        assert r.exit_code == 0, r.stderr
    first, second = (srv.lines[b] for b in srv.batches)
    answered = len(first) // 2 if fate == "expired" else 0
    assert [line["custom_id"] for line in second] == [line["custom_id"] for line in first][
        answered:
    ]
    assert len(_outputs(tmp_path / "out")) == 2


def test_a_batch_that_keeps_failing_fails_its_reports_with_the_providers_reason(tmp_path):
    src = _samples(tmp_path, 1)
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        srv.fates = ["failed"] * 3
        r = _via_batch(srv, src, tmp_path / "out")
    assert r.exit_code == 1 and len(srv.batches) == 3
    assert "batch failed (scripted failure)" in r.stderr
    assert not _outputs(tmp_path / "out")


@pytest.mark.parametrize("refusals", [1, 3])
def test_a_file_the_endpoint_refuses_to_run_is_retried_then_fails_its_reports(tmp_path, refusals):
    src = _samples(tmp_path, 1)
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        srv.refuse_creates = refusals
        r = _via_batch(srv, src, tmp_path / "out")
    uploads = sum(call == ("POST", "/v1/files") for call in srv.calls)
    assert uploads == min(refusals + 1, 3)
    if refusals < 3:
        assert r.exit_code == 0 and len(srv.batches) == 1 and _outputs(tmp_path / "out")
    else:
        assert r.exit_code == 1 and not srv.batches
        assert "model not enabled for batch" in r.stderr and "3 tries" in r.stderr


def test_a_batch_cancelled_at_the_provider_is_collected_and_its_rest_resubmitted(tmp_path):
    src = _samples(tmp_path, 2)
    out = tmp_path / "out"
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        srv.fates = ["hold"]
        assert _via_batch(srv, src, out, "--detach").exit_code == 0
        (bid,) = srv.batches
        # Someone cancels it from the provider's console (here: through the SDK).
        client = openai.OpenAI(api_key=SECRET, base_url=srv.base_url, max_retries=0)
        assert client.batches.cancel(bid).status == "cancelling"
        r = _via_batch(srv, src, out)
        assert r.exit_code == 0, r.stderr
    first, second = (srv.lines[b] for b in srv.batches)
    assert len(second) == len(first) - len(first) // 2
    assert srv.batches[bid]["status"] == "cancelled"
    assert len(_outputs(out)) == 2


def test_a_crash_between_creating_a_batch_and_saving_the_state_adopts_that_batch(tmp_path):
    import asyncio

    src = _samples(tmp_path, 1)
    paths = [str(p) for p in sorted(src.iterdir())]
    opts = BatchOptions(max_lines=50_000, max_bytes=200_000_000, poll=0, fmt="json")

    class PowerCut(BatchClient):
        async def submit(self, file_id):
            await super().submit(file_id)
            raise RuntimeError("power cut")

    with BatchLoopback(answer_with(grounded_answer)) as srv:
        settings = Settings(engine="llm", base_url=srv.base_url, api_key=SECRET, cache_dir=None)

        async def go(client_type):
            client = client_type(settings)
            run = BatchRun(paths, settings, tmp_path / "out", opts, client=client)
            return await run.run()

        with pytest.raises(RuntimeError, match="power cut"):
            asyncio.run(go(PowerCut))
        assert len(srv.batches) == 1
        runs = asyncio.run(go(BatchClient))
    assert [r.status for r in runs] == ["done"]
    assert len(srv.batches) == 1


def test_a_batch_created_whose_answer_was_lost_is_found_not_created_again(tmp_path):
    src = _samples(tmp_path, 1)
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        srv.lose_create_answers = 1
        r = _via_batch(srv, src, tmp_path / "out")
        assert r.exit_code == 0, r.stderr
    creates = sum(call == ("POST", "/v1/batches") for call in srv.calls)
    assert creates == 1 and len(srv.batches) == 1  # looked up, never created twice
    assert ("GET", "/v1/batches") in srv.calls


# --- files, limits, the key ------------------------------------------------------------------


def test_input_files_are_split_at_the_line_and_byte_limits(tmp_path):
    src = _samples(tmp_path, 3)
    n = _chunks(src)
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        r = _via_batch(srv, src, tmp_path / "a", "--batch-max-lines", "2")
        assert r.exit_code == 0, r.stderr
    assert [len(srv.lines[b]) for b in srv.batches] == [2] * (n // 2) + [1] * (n % 2)

    sizes = [len(request_line(line["custom_id"], line["body"])) for line in srv.submitted_lines()]
    limit = 2 * max(sizes) - 1  # the largest line never shares a file with one as large
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        r = _via_batch(srv, src, tmp_path / "b", "--batch-max-bytes", str(limit), "--no-cache")
        assert r.exit_code == 0, r.stderr
    inputs = [srv.files[b["input_file_id"]]["bytes"] for b in srv.batches.values()]
    assert max(inputs) <= limit and len(inputs) >= sum(sizes) / limit
    assert sum(len(srv.lines[b]) for b in srv.batches) == n


def test_full_files_go_out_while_the_rest_of_the_corpus_is_prepared(tmp_path):
    import asyncio

    src = _samples(tmp_path, 3)
    paths = [str(p) for p in sorted(src.iterdir())]
    opts = BatchOptions(max_lines=2, max_bytes=200_000_000, poll=0, fmt="json")
    seen: list[int] = []  # batches at the endpoint when each report of the first round starts

    with BatchLoopback(answer_with(grounded_answer)) as srv:

        class Watched(BatchRun):
            async def _drive(self, run, first):
                if first:
                    seen.append(len(srv.batches))
                return await super()._drive(run, first)

        settings = Settings(engine="llm", base_url=srv.base_url, api_key=SECRET, cache_dir=None)

        async def go():
            return await Watched(paths, settings, tmp_path / "out", opts).run()

        runs = asyncio.run(go())
    assert [r.status for r in runs] == ["done"] * 3
    assert seen[0] == 0 and seen[-1] >= 1  # a batch was running before the last report began


def test_lines_of_a_file_a_crash_left_unfinished_go_again(tmp_path):
    state = RunState.load(tmp_path, None)
    from summarizer.batch_state import Line

    state.lines["a" * 32] = Line("a" * 64, "m", ["r#1"], 0, file="input-0009.jsonl", attempts=1)
    state.save()
    again = RunState.load(tmp_path, None)
    line = again.lines["a" * 32]
    assert line.state == "unfinished" and line.attempts == 0


def test_a_request_larger_than_a_file_may_be_fails_its_report_with_one_line(tmp_path):
    src = _samples(tmp_path, 1)
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        r = _via_batch(srv, src, tmp_path / "out", "--batch-max-bytes", "1000")
    assert r.exit_code == 1 and "--batch-max-bytes" in r.stderr
    assert srv.calls == []
    assert not list((tmp_path / "out").rglob("*.jsonl"))  # no request of that report was kept


def test_the_same_request_from_two_reports_is_one_line(tmp_path):
    src = _samples(tmp_path, 1)
    original = next(src.iterdir())
    shutil.copy(original, src / ("copy-" + original.name))
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        r = _via_batch(srv, src, tmp_path / "out")
        assert r.exit_code == 0, r.stderr
    assert len(srv.submitted_lines()) == _chunks(src) // 2
    outputs = _outputs(tmp_path / "out")
    assert len(outputs) == 2
    a, b = (s["achievements"] for s in outputs.values())
    assert a == b and a


def test_one_model_a_file(tmp_path):
    state = RunState.load(tmp_path, None)
    spool = Spool(state, max_lines=10, max_bytes=10_000)
    from summarizer.batch_state import Line

    for i, model in enumerate(["m-a", "m-b", "m-a"]):
        line = Line(key=f"{i:064d}", model=model, chunks=[f"r#{i}"], ask=0)
        spool.add(f"{i:032d}", line, {"model": model, "messages": []})
    names = spool.close_all()
    models = {
        n: {json.loads(t)["body"]["model"] for t in (tmp_path / RUN_DIR / n).open()} for n in names
    }
    assert sorted(len(m) for m in models.values()) == [1, 1]
    assert sorted(state.files[n].lines for n in names) == [1, 2]


def test_the_key_is_used_but_never_printed_or_written(tmp_path):
    src = _samples(tmp_path, 1)
    out = tmp_path / "out"
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        r = _via_batch(srv, src, out)
        assert r.exit_code == 0, r.stderr
    assert all(h.get("authorization") == f"Bearer {SECRET}" for h in srv.headers_seen)
    assert SECRET not in r.output
    written = [p for d in (out, tmp_path / "cache") for p in d.rglob("*") if p.is_file()]
    assert len(written) > 3
    assert not any(SECRET.encode() in p.read_bytes() for p in written)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--detach"], "--detach belongs to --via batch"),
        (["--via", "batch"], "--via batch needs --out-dir"),
        (["--via", "batch", "--out-dir", "o", "--engine", "rules"], "cannot run --engine rules"),
        (["--via", "batch", "--out-dir", "o", "--batch-max-lines", "60000"], "between 1 and"),
        (["--via", "batch", "--out-dir", "o", "--dry-run", "--detach"], "nothing to --detach"),
    ],
)
def test_batch_flags_are_checked_with_one_line_errors(extra, message):
    r = _cli(
        ["summarize", str(REPORTS / SAMPLES[0]), "--base-url", "http://127.0.0.1:9/v1", *extra]
    )
    assert r.exit_code == 2 and message in r.stderr and "Traceback" not in r.output


@pytest.mark.parametrize(
    ("status", "message"), [(404, "no Batch API"), (401, "refused the API key")]
)
def test_an_endpoint_without_a_batch_api_or_refusing_the_key_is_a_one_line_error(
    tmp_path, status, message
):
    src = _samples(tmp_path, 1)
    with LoopbackServer(answer_with(grounded_answer)) as srv:  # every route answers `status`
        srv.brain = lambda body: Reply(status=status, body=error_body(status, f"no {SECRET}"))
        r = _via_batch(srv, src, tmp_path / "out")
    assert r.exit_code == 1 and message in r.stderr and "Traceback" not in r.output
    assert len(r.stderr.strip().splitlines()) == 2  # the engine line and the error
    assert SECRET not in r.output
    assert len(srv.requests) == 1  # neither is retried


def test_the_batch_writes_every_format_and_detail_the_live_batch_writes(tmp_path):
    # It renders through formats.render: --format html is a page, --detail full the long form.
    src = _samples(tmp_path, 1)
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        r = _via_batch(srv, src, tmp_path / "html", "--format", "html")
        assert r.exit_code == 0, r.stderr
        r = _via_batch(srv, src, tmp_path / "full", "--format", "md", "--detail", "full")
        assert r.exit_code == 0, r.stderr
    (page,) = (tmp_path / "html").glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "<!DOCTYPE html>" in html[:500] and '<span class="v">' in html
    (brief,) = (tmp_path / "full").glob("*.md")
    assert "## 主要成绩" in brief.read_text(encoding="utf-8")  # the long form's section


def test_batch_prices_are_half_unless_the_price_file_gives_them(tmp_path):
    live, batch = load_prices(None), load_prices(None, batch=True)
    assert all(batch[m] == (p[0] / 2, p[1] / 2) for m, p in live.items())
    f = tmp_path / "p.json"
    f.write_text('{"a": [1, 2], "b": [1, 2, 0.7, 1.4]}', encoding="utf-8")
    table = load_prices(f, batch=True)
    assert table["a"] == (0.5, 1.0) and table["b"] == (0.7, 1.4)
    assert load_prices(f)["b"] == (1.0, 2.0)


def test_only_the_model_modules_import_the_sdk():
    allowed = {"engines/llm.py", "engines/batch_api.py", "cassette.py"}
    pattern = re.compile(r"^\s*(import|from)\s+(openai|instructor)\b", re.M)
    importing = {
        str(p.relative_to(ROOT / "summarizer"))
        for p in (ROOT / "summarizer").rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    }
    assert importing <= allowed and "engines/batch_api.py" in importing


def test_result_lines_in_each_shape_the_endpoints_write():
    from summarizer.engines.batch_api import parse_result

    answer = {"choices": [{"message": {"content": "{}"}}], "usage": {"prompt_tokens": 3}}
    ok = parse_result({"custom_id": "a", "response": {"status_code": 200, "body": answer}})
    assert ok.completion == answer and not ok.error
    bare = parse_result({"custom_id": "b", "response": answer})  # the completion without a wrapper
    assert bare.completion == answer
    http = parse_result(
        {"custom_id": "c", "response": {"status_code": 429, "body": error_body(429, "slow down")}}
    )
    assert (
        http.completion is None and http.error.startswith("HTTP 429") and "slow down" in http.error
    )
    expired = parse_result(
        {"custom_id": "d", "response": None, "error": {"code": "batch_expired", "message": "late"}}
    )
    assert expired.completion is None and expired.error == "batch_expired: late"


def test_an_unreadable_state_is_a_one_line_error_and_nothing_is_sent(tmp_path):
    src = _samples(tmp_path, 1)
    out = tmp_path / "out"
    (out / RUN_DIR).mkdir(parents=True)
    (out / RUN_DIR / "state.json").write_text('{"lines": [1, 2]}', encoding="utf-8")
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        r = _via_batch(srv, src, out)
    assert r.exit_code == 2 and "unreadable batch state" in r.stderr
    assert srv.calls == [] and "Traceback" not in r.output


def test_batches_of_another_endpoint_are_not_mixed_up(tmp_path):
    src = _samples(tmp_path, 1)
    out = tmp_path / "out"
    with BatchLoopback(answer_with(grounded_answer)) as srv:
        srv.fates = ["hold"]
        assert _via_batch(srv, src, out, "--detach").exit_code == 0
    with BatchLoopback(answer_with(grounded_answer)) as other:
        r = _via_batch(other, src, out)
    assert r.exit_code == 2 and "use the same --base-url" in r.stderr
    assert other.calls == []
