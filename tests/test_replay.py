"""Regression: replaying the recorded exchanges reproduces each committed brief exactly.

After an intended change (prompt, schema, validator, template), re-record the cassettes
(fixtures/cassettes/README.md) and run `python -m pytest --update-briefs`.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import REPORTS, ROOT, SAMPLES

from summarizer.cli import main

CASSETTES = ROOT / "fixtures" / "cassettes"
BRIEFS = ROOT / "fixtures" / "briefs"


@pytest.fixture(autouse=True)
def _from_the_checkout(monkeypatch):
    # Paths relative to the checkout, so the briefs (which name their source) match wherever
    # the repository is cloned.
    monkeypatch.chdir(ROOT)


def _replay(name: str, *extra: str):
    report = str((REPORTS / name).relative_to(ROOT))
    args = ["summarize", report, "--engine", "llm", "--replay", "fixtures/cassettes", *extra]
    return CliRunner().invoke(main, args, env={}, catch_exceptions=False)


@pytest.mark.parametrize("name", SAMPLES)
def test_replay_reproduces_the_committed_brief(name, request):
    r = _replay(name)
    assert r.exit_code == 0, r.stderr
    expected = BRIEFS / name.replace(".txt", ".md")
    if request.config.getoption("--update-briefs"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(r.stdout, encoding="utf-8")
    assert r.stdout == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", SAMPLES)
def test_replayed_summaries_are_fully_verified(name):
    r = _replay(name, "--format", "json")
    summary = json.loads(r.stdout)
    assert summary["validation"]["flagged"] == 0
    assert summary["validation"]["verified"] > 0
    assert summary["achievements"] and summary["plans"]


def test_the_recordings_exercise_reasks_in_at_least_two_reports():
    reasked = set()
    for f in CASSETTES.glob("*.json"):
        body = json.loads(f.read_text(encoding="utf-8"))["request"]["body"]
        if len(body["messages"]) > 2:
            user = next(m["content"] for m in body["messages"] if m["role"] == "user")
            reasked.add(user.split("；")[0])
    assert len(reasked) >= 2


def test_the_tampered_report_brief_warns_but_never_repeats_the_spam():
    brief = (BRIEFS / "zhenglu-2020.md").read_text(encoding="utf-8")
    assert brief.count("[spam]") == 2
    for injected in ("澳门现金赌场", "澳门亚冠娱乐", "赌场"):
        assert injected not in brief
    summary = json.loads(_replay("zhenglu-2020.txt", "--format", "json").stdout)
    # The JSON keeps what was found, for whoever investigates the page.
    assert {w["evidence"] for w in summary["warnings"] if w["kind"] == "spam"} == {
        "澳门现金赌场",
        "澳门亚冠娱乐",
    }
