"""Offline speed: --jobs runs a batch in worker processes with the outputs of one process;
a small report starts without the live path's libraries."""

from __future__ import annotations

import ast
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPORTS

from summarizer import recache, workers
from summarizer.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"


def _cli(args: list[str]):
    return CliRunner().invoke(main, args, env={}, catch_exceptions=False)


def _folder(tmp_path: Path) -> Path:
    """Real reports of several kinds and sizes, a corpus file of many rows, and a bad file."""
    d = tmp_path / "in"
    d.mkdir()
    for f in sorted(REPORTS.glob("*.txt"))[:3]:
        shutil.copy(f, d / f.name)
    for name in (
        "city-2024/南京.txt",
        "hailar-2012.gbk.txt",
        "province-2026/2026_上海市_政府工作报告.csv",
    ):
        shutil.copy(CORPUS / name, d / Path(name).name)
    (d / "empty.txt").write_text("\n \n", encoding="utf-8")  # not a report: fails alone
    return d


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_two_jobs_write_byte_identical_outputs_manifest_and_table(tmp_path, monkeypatch, method):
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    monkeypatch.setattr(workers, "start_method", lambda: method)
    src = _folder(tmp_path)
    one, two = tmp_path / "one", tmp_path / "two"
    r1 = _cli(["summarize", str(src), "--out-dir", str(one), "--format", "json", "--jobs", "1"])
    r2 = _cli(["summarize", str(src), "--out-dir", str(two), "--format", "json", "--jobs", "2"])
    assert r1.exit_code == r2.exit_code == 1  # the empty file failed, in both
    a, b = _files(one), _files(two)
    assert ".summarizer-manifest.json" in a and len(a) >= 6
    assert "empty.json" not in a
    assert a == b  # every output and the manifest, byte for byte
    # The closing table lists the reports in the same order, with the same figures.
    table = lambda r: r.stderr[r.stderr.index("┏") :].split("\n", 1)[1]  # noqa: E731
    assert table(r1) == table(r2)
    assert r2.stderr.count(": done") == len(a) - 1
    assert "empty.txt: FAILED" in r2.stderr


def test_a_second_run_with_jobs_skips_what_is_up_to_date_and_redoes_a_changed_report(tmp_path):
    src = _folder(tmp_path)
    out = tmp_path / "out"
    first = _cli(["summarize", str(src), "--out-dir", str(out), "--jobs", "2"])
    done = first.stderr.count(": done")
    manifest = (out / ".summarizer-manifest.json").read_bytes()
    again = _cli(["summarize", str(src), "--out-dir", str(out), "--jobs", "2"])
    assert again.stderr.count(": skipped") == done and ": done" not in again.stderr
    assert (out / ".summarizer-manifest.json").read_bytes() == manifest
    target = src / sorted(REPORTS.glob("*.txt"))[0].name
    target.write_text(target.read_text(encoding="utf-8") + "补充一行。\n", encoding="utf-8")
    third = _cli(["summarize", str(src), "--out-dir", str(out), "--jobs", "2"])
    assert third.stderr.count(": done") == 1
    assert third.stderr.count(": skipped") == done - 1
    assert (out / ".summarizer-manifest.json").read_bytes() != manifest


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_of_the_users_in_an_outputs_place_is_kept_unless_forced(tmp_path, jobs):
    src = tmp_path / "in"
    src.mkdir()
    for f in sorted(REPORTS.glob("*.txt"))[:2]:
        shutil.copy(f, src / f.name)
    out = tmp_path / "out"
    out.mkdir()
    mine = out / f"{sorted(REPORTS.glob('*.txt'))[0].stem}.md"
    mine.write_text("我的笔记\n", encoding="utf-8")  # the user's notes, named like a brief
    r = _cli(["summarize", str(src), "--out-dir", str(out), "--jobs", jobs])
    assert r.exit_code == 1 and "pass --force to replace it" in r.stderr
    assert mine.read_text(encoding="utf-8") == "我的笔记\n"
    assert r.stderr.count(": done") == 1  # the other report is written
    forced = _cli(["summarize", str(src), "--out-dir", str(out), "--jobs", jobs, "--force"])
    assert forced.exit_code == 0 and mine.read_text(encoding="utf-8").startswith("#")


def test_workers_are_forked_only_on_linux_and_only_while_no_other_thread_runs(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert workers.start_method() == "fork"
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:  # a fork would copy whatever lock that thread holds
        assert workers.start_method() == "spawn"
    finally:
        release.set()
        other.join()
    for platform in ("darwin", "win32"):
        monkeypatch.setattr(sys, "platform", platform)
        assert workers.start_method() == "spawn"


def test_the_patterns_the_workers_compiled_are_kept_for_the_next_run(tmp_path):
    # A forked worker ends without exit handlers, where the pattern store saves itself: a
    # batch must keep what one process would (else every --jobs run compiles them again).
    src = tmp_path / "in"
    src.mkdir()
    for f in sorted(REPORTS.glob("*.txt"))[:3]:
        shutil.copy(f, src / f.name)
    stored = {}
    for jobs in ("1", "2"):
        cache = tmp_path / f"cache{jobs}"
        env = {**os.environ, "XDG_CACHE_HOME": str(cache), "SUMMARIZER_CACHE_DIR": str(cache)}
        r = subprocess.run(
            [sys.executable, "-m", "summarizer", "summarize", str(src), "--jobs", jobs,
             "--format", "json", "--out-dir", str(tmp_path / f"out{jobs}")],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        files = list(cache.rglob("patterns-*.bin"))
        assert len(files) == 1, files
        stored[jobs] = set(recache.PatternStore(files[0]).entries)
    assert stored["1"] and stored["1"] <= stored["2"]


def test_jobs_must_be_positive(tmp_path):
    r = _cli(["summarize", str(REPORTS), "--out-dir", str(tmp_path), "--jobs", "0"])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_one_offline_json_report_imports_no_model_http_or_template_library(tmp_path):
    # Start-up is most of a small report's time: the offline JSON path must not pay for the
    # SDK, its HTTP client, the retry library or the template engine.
    code = (
        "import atexit, sys, runpy\n"
        "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules})))\n"
        f"sys.argv = ['summarizer', 'summarize', {str(sorted(REPORTS.glob('*.txt'))[0])!r},"
        f" '--format', 'json', '-o', {str(tmp_path / 'out.json')!r}]\n"
        "runpy.run_module('summarizer', run_name='__main__')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    loaded = set(ast.literal_eval(r.stdout.strip().splitlines()[-1]))
    assert "summarizer" in loaded and (tmp_path / "out.json").exists()
    heavy = {"openai", "instructor", "httpx", "httpx2", "tenacity", "jinja2", "cn2an"}
    assert loaded & heavy == set()
