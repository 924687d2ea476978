"""Record, replay and cache at the HTTP layer, through the real SDK and instructor."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import REPORTS, live
from loopback import LoopbackServer, Reply, answer_with, completion, grounded_answer, is_reask

from summarizer import prompting
from summarizer.cli import main

SECRET = "sk-test-CASSETTE-SECRET-42"
REPORT = str(REPORTS / "luoxi-2021.txt")


def _cli(args, env=None):
    return CliRunner().invoke(main, args, env=env or {}, catch_exceptions=False)


def _flawed_then_fixed(body):
    answer = grounded_answer(body)
    if not is_reask(body) and answer["achievements"]:
        answer["achievements"][0]["metrics"][0]["value"] += 1  # a number not in its quote
    return Reply(body=completion(body, answer), headers={"openai-organization": "org-SECRET"})


@pytest.fixture
def recorded(tmp_path):
    tape = tmp_path / "tape"
    with LoopbackServer(_flawed_then_fixed) as srv:
        r = _cli(
            [
                *live(REPORT, srv),
                "--record",
                str(tape),
            ],
            env={"OPENAI_API_KEY": SECRET},
        )
        assert r.exit_code == 0, r.output
        calls = len(srv.requests)
    return tape, r.stdout, calls


def test_replay_reproduces_the_recording_without_server_or_key(recorded):
    tape, brief, calls = recorded
    files = list(tape.glob("*.json"))
    assert len(files) == calls  # one file per exchange, re-asks included
    # The server is gone and there is no key: replay answers everything.
    r = _cli(["summarize", REPORT, "--replay", str(tape)])
    assert r.exit_code == 0, r.output
    assert r.stdout == brief
    assert "engine llm" in r.stderr


def test_cassettes_are_readable_and_hold_no_secret(recorded):
    tape, _, _ = recorded
    for f in tape.glob("*.json"):
        text = f.read_text(encoding="utf-8")
        assert SECRET not in text and "org-SECRET" not in text
        assert "authorization" not in text.lower() and "\\u" not in text
        data = json.loads(text)
        assert text.startswith("{\n  ")  # pretty
        assert set(data) == {"key", "recorded_with", "request", "response"}
        assert data["request"]["body"]["model"] == "gpt-4o-mini"
        assert data["response"]["body"]["object"] == "chat.completion"
    reasks = [
        f
        for f in tape.glob("*.json")
        if any(
            m["role"] == "tool"
            for m in json.loads(f.read_text("utf-8"))["request"]["body"]["messages"]
        )
    ]
    assert reasks, "the re-ask exchange is recorded too"


def test_a_changed_prompt_makes_replay_miss_loudly(recorded, tmp_path, monkeypatch):
    tape, _, _ = recorded
    prompts = tmp_path / "prompts"
    shutil.copytree(prompting.prompts_dir(), prompts)
    path = prompts / "extract_system.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n9. 新增一条规则。\n", encoding="utf-8")
    monkeypatch.setattr(prompting, "_CANDIDATES", (prompts,))
    prompting.load_prompt.cache_clear()
    try:
        r = _cli(["summarize", REPORT, "--replay", str(tape)])
    finally:
        prompting.load_prompt.cache_clear()
    assert r.exit_code == 2
    line = r.stderr.strip().splitlines()[-1]
    assert "prompt prompts/extract_system.md changed since recording" in line
    assert "nearest:" in line


def test_a_changed_report_misses_with_the_chunk_named(recorded, tmp_path):
    tape, _, _ = recorded
    edited = tmp_path / "edited.txt"
    edited.write_text(
        (REPORTS / "luoxi-2021.txt").read_text(encoding="utf-8").replace("6.25亿元", "6.26亿元"),
        encoding="utf-8",
    )
    r = _cli(["summarize", str(edited), "--replay", str(tape)])
    assert r.exit_code == 2
    assert "no recording for the chunk" in r.stderr


def test_replay_of_a_missing_directory_is_a_usage_error(tmp_path):
    r = _cli(["summarize", REPORT, "--replay", str(tmp_path / "nope")])
    assert r.exit_code == 2 and "no such directory" in r.stderr


def test_cache_makes_a_second_run_cost_zero_calls(tmp_path):
    cache = tmp_path / "cache"
    with LoopbackServer(answer_with(grounded_answer)) as srv:
        args = [
            *live(REPORT, srv),
            "--format",
            "json",
            "--cache",
            str(cache),
        ]
        first = _cli(args)
        n = len(srv.requests)
        second = _cli(args)
        assert len(srv.requests) == n  # nothing was sent
        third = _cli([*args, "--no-cache"])
        assert len(srv.requests) == 2 * n
    a, b = json.loads(first.stdout), json.loads(second.stdout)
    assert a["meta"]["usage"]["calls"] == n and b["meta"]["usage"]["calls"] == 0
    assert a["achievements"] == b["achievements"]
    assert json.loads(third.stdout)["meta"]["usage"]["calls"] == n


def test_default_cache_lives_in_the_configured_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "c"))
    with LoopbackServer(answer_with(grounded_answer)) as srv:
        _cli(
            live(REPORT, srv),
            env={"SUMMARIZER_CACHE_DIR": str(tmp_path / "c")},
        )
    assert list((tmp_path / "c").glob("*.json"))
