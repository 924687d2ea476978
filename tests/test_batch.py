"""Batch runs: one failing report among good ones, resume, the global limit, faults, cost."""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import threading

import pytest
from click.testing import CliRunner
from conftest import REPORTS, SAMPLES, live
from loopback import LoopbackServer, Reply, answer_with, completion, error_body, grounded_answer

from summarizer.batch import run_batch
from summarizer.cli import main
from summarizer.config import Settings
from summarizer.models import ReportSummary
from summarizer.pricing import cost, load_prices, price_of
from summarizer.transport import RetryPolicy


def _cli(args, env=None):
    return CliRunner().invoke(main, args, env=env or {}, catch_exceptions=False)


def _corpus(tmp_path, copies=1, names=SAMPLES):
    """Sample reports, each copied `copies` times with a one-line difference."""
    d = tmp_path / "in"
    d.mkdir()
    for name in names:
        text = (REPORTS / name).read_text(encoding="utf-8")
        for k in range(copies):
            (d / f"{name[:-4]}-{k}.txt").write_text(text + f"\n（副本{k}）\n", encoding="utf-8")
    return d


def _outputs(out):
    return sorted(p.name for p in out.iterdir() if not p.name.startswith("."))


def test_one_bad_report_fails_alone(tmp_path):
    src = _corpus(tmp_path, names=SAMPLES[:3])
    (src / "empty.txt").write_text("\n \n", encoding="utf-8")
    out = tmp_path / "out"
    r = _cli(["summarize", str(src), "--out-dir", str(out)])
    assert r.exit_code == 1
    assert len(_outputs(out)) == 3 and "empty.md" not in _outputs(out)
    assert "failed" in r.stderr and "empty.txt" in r.stderr


def test_second_run_skips_up_to_date_outputs_and_redoes_changed_ones(tmp_path):
    src = _corpus(tmp_path, names=SAMPLES[:2])
    out = tmp_path / "out"
    first = _cli(["summarize", str(src), "--out-dir", str(out)])
    assert first.exit_code == 0 and first.stderr.count(": done") == 2
    again = _cli(["summarize", str(src), "--out-dir", str(out)])
    assert again.stderr.count(": skipped") == 2
    target = next(src.iterdir())
    target.write_text(target.read_text(encoding="utf-8") + "补充一行。\n", encoding="utf-8")
    third = _cli(["summarize", str(src), "--out-dir", str(out)])
    assert third.stderr.count(": done") == 1 and third.stderr.count(": skipped") == 1
    forced = _cli(["summarize", str(src), "--out-dir", str(out), "--force"])
    assert forced.stderr.count(": done") == 2
    # A different format is a different output, not an up-to-date one.
    as_json = _cli(["summarize", str(src), "--out-dir", str(out), "--format", "json"])
    assert as_json.stderr.count(": done") == 2


def test_requests_in_flight_never_exceed_the_global_limit(tmp_path):
    src = _corpus(tmp_path, copies=2, names=SAMPLES[:3])
    # Each report makes one request, after its own CPU-bound preparation: the service time must
    # outlast the spread of the first three arrivals (0.3-0.4 s on a loaded machine), or the
    # peak stays at 2 however well the limit works. 0.15 s only passed while the server's first
    # answer paid for importing cn2an.
    with LoopbackServer(answer_with(grounded_answer), latency=1.0) as srv:
        r = _cli(
            [
                "summarize",
                str(src),
                "--out-dir",
                str(tmp_path / "out"),
                "--engine",
                "llm",
                "--base-url",
                srv.base_url,
                "--concurrency",
                "3",
                "--no-cache",
            ]
        )
    assert r.exit_code == 0, r.stderr
    assert srv.peak_in_flight == 3  # kept busy, never flooded
    assert len(_outputs(tmp_path / "out")) == 6


class _Faulty:
    """About 30% of requests fail: 429, 500, malformed JSON bodies, malformed answers, hangs."""

    def __init__(self, rate: float, seed: int = 7) -> None:
        self.rate = rate
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.faults: dict[str, int] = {}
        self._kinds = itertools.cycle(["429", "500", "badjson", "badanswer", "hang"])

    def __call__(self, body):
        with self.lock:
            roll = self.rng.random()
            kind = next(self._kinds) if roll < self.rate else ""
            if kind:
                self.faults[kind] = self.faults.get(kind, 0) + 1
        if kind == "429":
            return Reply(status=429, body=error_body(429), headers={"retry-after": "0"})
        if kind == "500":
            return Reply(status=500, body=error_body(500))
        if kind == "badjson":
            return Reply(body='{"id": "chatcmpl-x", "choices": [')
        if kind == "badanswer":
            return Reply(body=completion(body, '{"achievements": [{"area": '))
        if kind == "hang":
            return Reply(hang=True)
        return Reply(body=completion(body, grounded_answer(body)))


def _batch(src, out, server, **kw):
    async def no_sleep(_):
        return None

    settings = Settings(
        engine="llm",
        base_url=server.base_url,
        api_key="k",
        timeout=0.5,
        concurrency=4,
        cache_dir=None,
        http_retries=2,
        reasks=1,
        **kw,
    )
    from summarizer.engines.llm import LLMEngine

    async def go():
        engine = LLMEngine(settings, retry_policy=RetryPolicy(attempts=3, sleep=no_sleep))
        try:
            return await run_batch(
                [str(p) for p in sorted(src.iterdir())], settings, out, "json", engine=engine
            )
        finally:
            await engine.aclose()

    return asyncio.run(go())


def test_faults_at_thirty_percent_end_done_or_failed_and_a_second_run_completes(tmp_path):
    src = _corpus(tmp_path, copies=2)
    out = tmp_path / "out"
    brain = _Faulty(rate=0.3)
    with LoopbackServer(brain) as srv:
        first = _batch(src, out, srv)
        assert {r.status for r in first} <= {"done", "failed"}
        assert set(brain.faults) == {"429", "500", "badjson", "badanswer", "hang"}
        for r in first:
            if r.status == "failed":
                assert r.reason and not r.output.exists()
            else:
                ReportSummary.model_validate_json(r.output.read_text(encoding="utf-8"))
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
        failed_before = {r.path for r in first if r.status == "failed"}
        brain.rate = 0.0
        n = len(srv.requests)
        second = _batch(src, out, srv)
    assert all(r.status in ("done", "skipped") for r in second)
    assert {r.path for r in second if r.status == "done"} == failed_before
    assert (len(srv.requests) > n) == bool(failed_before)


def test_cost_comes_from_usage_and_the_price_table(tmp_path):
    with LoopbackServer(answer_with(grounded_answer)) as srv:
        r = _cli(
            [
                *live(REPORTS / "jincheng-2019.txt", srv),
                "--format",
                "json",
                "--no-cache",
            ]
        )
    usage = json.loads(r.stdout)["meta"]["usage"]
    assert usage["cost"] == pytest.approx(
        usage["prompt_tokens"] * 0.15e-6 + usage["completion_tokens"] * 0.60e-6
    )


def test_price_file_overrides_and_dated_models_match_their_base(tmp_path):
    prices = tmp_path / "prices.json"
    prices.write_text('{"my-model": [1, 2]}', encoding="utf-8")
    table = load_prices(prices)
    assert cost("my-model", 1_000_000, 1_000_000, table) == 3.0
    assert price_of("gpt-4o-mini-2024-07-18", table) == table["gpt-4o-mini"]
    assert cost("unknown-model", 10, 10, table) == 0.0
    prices.write_text("[1, 2]", encoding="utf-8")
    r = _cli(["summarize", str(REPORTS / "jincheng-2019.txt"), "--prices", str(prices)])
    assert r.exit_code == 2 and "not a price file" in r.stderr


def test_outputs_never_overwrite_each_other():
    from pathlib import Path

    from summarizer.batch import output_paths

    out = Path("out")
    names = [p.name for p in output_paths(out, ["a/r.pdf", "a/r.docx", "a/x.txt", "b/x.txt"], "md")]
    assert names == ["r.pdf.md", "r.docx.md", "x.txt-3.md", "x.txt-4.md"]
    assert [p.name for p in output_paths(out, ["r.txt", "-"], "json")] == ["r.json", "stdin.json"]


def test_big_inputs_are_prepared_and_written_on_the_worker_thread(tmp_path, monkeypatch):
    import summarizer.batch as batch
    import summarizer.pipeline as pipeline

    monkeypatch.setattr(batch, "BIG_INPUT", 0)  # every input counts as big
    # Record the thread each step runs on: off the event loop's (main) thread is the point.
    threads: dict[str, list[threading.Thread]] = {"prepare": [], "write": []}
    real_prepare, real_write = pipeline.prepare, batch.write_atomic

    def prepare(*args, **kw):
        threads["prepare"].append(threading.current_thread())
        return real_prepare(*args, **kw)

    def write_atomic(*args, **kw):
        threads["write"].append(threading.current_thread())
        return real_write(*args, **kw)

    monkeypatch.setattr(pipeline, "prepare", prepare)
    monkeypatch.setattr(batch, "write_atomic", write_atomic)
    src = _corpus(tmp_path, names=SAMPLES[:2])
    runs = asyncio.run(
        run_batch(
            [str(p) for p in sorted(src.iterdir())],
            Settings(engine="rules"),
            tmp_path / "out",
            "json",
        )
    )
    assert [r.status for r in runs] == ["done", "done"]
    for r in runs:
        assert ReportSummary.model_validate_json(r.output.read_text(encoding="utf-8")).achievements
    assert len(threads["prepare"]) == 2 and len(threads["write"]) >= 2
    main = threading.main_thread()
    assert all(t is not main for t in threads["prepare"] + threads["write"]), threads


# ---------------------------------------------------------------- corpus files


def _corpus_folder(tmp_path):
    """Report files and corpus files side by side, as a user's download folder holds them."""
    from conftest import CORPUS

    src = tmp_path / "mixed"
    src.mkdir()
    provinces = sorted((CORPUS / "province-2026").glob("*.csv"))
    for path in provinces[:2]:
        (src / path.name).write_bytes(path.read_bytes())
    (src / "national-2011.txt").write_bytes((CORPUS / "national-2011.txt").read_bytes())
    lines = (CORPUS / "national-1954-2004.tsv").read_text(encoding="utf-8").splitlines()
    (src / "national.tsv").write_text("\n".join(lines[-3:]) + "\n", encoding="utf-8")
    (src / "luoxi-2019.txt").write_bytes((REPORTS / "luoxi-2019.txt").read_bytes())
    import csv
    import io

    csv.field_size_limit(2**31 - 1)
    rows = []
    for path in provinces[2:4]:
        rows.extend(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    (src / "more.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    places = [p.stem.split("_")[1] for p in provinces[:4]]
    return src, places


def test_a_folder_mixing_report_and_corpus_files_gives_one_output_per_report(tmp_path):
    src, places = _corpus_folder(tmp_path)
    out = tmp_path / "out"
    r = _cli(["summarize", str(src), "--out-dir", str(out), "--format", "json"])
    assert r.exit_code == 0, r.stderr
    expected = [f"{p}-2026.json" for p in places]
    expected += ["luoxi-2019.json", "national-2011.json"]
    expected += [f"national-{y}.json" for y in (2002, 2003, 2004)]
    assert _outputs(out) == sorted(expected)
    summary = ReportSummary.model_validate_json((out / "national-2003.json").read_text("utf-8"))
    assert summary.meta.source == f"{src / 'national.tsv'}#2003"
    assert summary.achievements and summary.validation.flagged == 0
    assert r.stderr.count(": done") == 9 and "national.tsv#2004: done" in r.stderr
    again = _cli(["summarize", str(src), "--out-dir", str(out), "--format", "json"])
    assert again.stderr.count(": skipped") == 9


def test_the_manifest_keys_each_row_so_only_a_changed_row_is_redone(tmp_path):
    src, _ = _corpus_folder(tmp_path)
    for path in src.iterdir():
        if path.name != "national.tsv":
            path.unlink()
    out = tmp_path / "out"
    assert _cli(["summarize", str(src), "--out-dir", str(out)]).stderr.count(": done") == 3
    tsv = src / "national.tsv"
    lines = tsv.read_text(encoding="utf-8").splitlines()
    lines[1] += "\t补充一段：全年地区生产总值增长百分之九。"
    tsv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = _cli(["summarize", str(src), "--out-dir", str(out)])
    assert again.stderr.count(": skipped") == 2
    assert "national.tsv#2003: done" in again.stderr
    manifest = json.loads((out / ".summarizer-manifest.json").read_text("utf-8"))
    assert sorted(manifest) == [f"{tsv.resolve()}#{y}" for y in (2002, 2003, 2004)]
    assert [e["output"] for e in manifest.values()] == [
        f"national-{y}.md" for y in (2002, 2003, 2004)
    ]


def test_a_bad_row_among_good_ones_fails_alone_and_is_named(tmp_path):
    import csv

    report = (REPORTS / "jincheng-2019.txt").read_text(encoding="utf-8")
    recipe = "番茄炒蛋：鸡蛋打散，锅中放油，炒至凝固盛出。番茄切块翻炒出汁。" * 3
    src = tmp_path / "in"
    src.mkdir()
    with (src / "towns.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [["地区", "年份", "正文"], ["甲镇", "2019", report], ["乙镇", "2019", recipe],
             ["丙镇", "2019", report]]
        )  # fmt: skip
    out = tmp_path / "out"
    r = _cli(["summarize", str(src), "--out-dir", str(out)])
    assert r.exit_code == 1
    assert _outputs(out) == ["丙镇-2019.md", "甲镇-2019.md"]
    assert f"{src / 'towns.csv'}#2: FAILED" in r.stderr
    assert "does not look like a government work report" in r.stderr


def test_one_report_of_a_corpus_file_goes_to_stdout_and_validates(tmp_path):
    from conftest import CORPUS

    tsv = CORPUS / "national-1954-2004.tsv"
    many = _cli(["summarize", str(tsv)])
    assert many.exit_code == 2 and "holds 35 reports" in many.stderr and "--out-dir" in many.stderr
    assert len(many.stderr.strip().splitlines()) == 1
    one = _cli(["summarize", f"{tsv}#1988", "--format", "json"])
    assert one.exit_code == 0, one.stderr
    summary = ReportSummary.model_validate_json(one.stdout)
    assert summary.meta.source == f"{tsv}#1988"
    path = tmp_path / "s.json"
    path.write_text(one.stdout, encoding="utf-8")
    checked = _cli(["validate", str(path), "--source", f"{tsv}#1988", "--format", "json"])
    assert checked.exit_code == 0 and json.loads(checked.stdout)["flagged"] == 0
    province = sorted((CORPUS / "province-2026").glob("*.csv"))[0]
    single = _cli(["summarize", str(province)])
    assert single.exit_code == 0 and single.stdout.startswith("# ")


def test_a_corpus_on_stdin_in_a_batch_gives_one_output_per_row(tmp_path):
    from conftest import CORPUS

    lines = (CORPUS / "national-1954-2004.tsv").read_text(encoding="utf-8").splitlines()
    data = ("\n".join(lines[:2]) + "\n").encode("utf-8")
    out = tmp_path / "out"
    other = str(REPORTS / "luoxi-2019.txt")
    r = CliRunner().invoke(main, ["summarize", "-", other, "--out-dir", str(out)], input=data)
    assert r.exit_code == 0, r.stderr
    assert _outputs(out) == ["luoxi-2019.md", "stdin-1954.md", "stdin-1955.md"]
    assert "-#1955: done" in r.stderr
