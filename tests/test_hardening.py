"""Hostile environments, run end to end in a subprocess with a timeout: nothing may leak, hang,
be destroyed or end in `internal error`.

Every case is built here. Each command runs as `python -m summarizer` in a child process bounded
by a few seconds (a hang fails the test by timing out; nothing is asserted about speed).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPORTS, ROOT
from loopback import LoopbackServer, Reply, completion, error_body, grounded_answer

KEY = "sk-test-Secret0123456789abcdef"
REPORT = REPORTS / "luoxi-2021.txt"
LIMIT = 60  # seconds; generous for a loaded 2-core machine, tiny against a hang


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = LIMIT, **kw: Any):
    """Run the CLI in a child process; a hang raises TimeoutExpired and fails the test."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL")
    }
    return subprocess.run(
        [sys.executable, "-m", "summarizer", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**base, "PYTHONPATH": str(ROOT), **(env or {})},
        **kw,
    )


def one_line_error(r: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The single stderr line of a refused run."""
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.returncode == code, r.stderr
    assert lines and lines[-1].startswith("summarizer: error:"), r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    return lines[-1]


def files_text(folder: Path) -> str:
    """Every byte under a folder, as text."""
    return "".join(
        p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file()
    )


# ---------------------------------------------------------------- secrets


def _live_env(srv: LoopbackServer, tmp_path: Path) -> dict[str, str]:
    return {
        "OPENAI_API_KEY": KEY,
        "OPENAI_BASE_URL": srv.base_url,
        "SUMMARIZER_CACHE_DIR": str(tmp_path / "cache"),
    }


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_a_key_echoed_in_an_error_body_is_never_printed(tmp_path: Path, debug: bool) -> None:
    def echo(body: dict[str, Any]) -> Reply:
        return Reply(status=400, body=error_body(400, f"bad request for key {KEY}, sorry"))

    flags = ["--debug"] if debug else []
    with LoopbackServer(echo) as srv:
        r = cli("summarize", str(REPORT), "--engine", "llm", *flags, env=_live_env(srv, tmp_path))
    assert r.returncode == 1, r.stderr
    assert KEY not in r.stderr + r.stdout
    assert "***" in r.stderr  # the endpoint's message is shown, with the key masked
    if debug:
        assert "Traceback" in r.stderr


@pytest.mark.parametrize("where", ["--cache", "--record"])
def test_a_key_echoed_in_a_200_answer_reaches_no_file(tmp_path: Path, where: str) -> None:
    def echo(body: dict[str, Any]) -> Reply:
        answer = grounded_answer(body)
        for item in answer["achievements"]:
            item["area"] = f"成绩 {KEY}"
        reply = completion(body, answer)
        reply["id"] = f"chatcmpl-{KEY}"
        reply["system_fingerprint"] = KEY
        return Reply(body=reply)

    store, out = tmp_path / "store", tmp_path / "brief.md"
    with LoopbackServer(echo) as srv:
        r = cli(
            "summarize", str(REPORT), where, str(store), "-o", str(out),
            env=_live_env(srv, tmp_path),
        )  # fmt: skip
    assert r.returncode == 0, r.stderr
    stored = files_text(store)
    assert stored and "chatcmpl-" in stored  # the answers were stored …
    assert KEY not in stored  # … without the key
    assert out.exists() and KEY not in out.read_text(encoding="utf-8")
    assert KEY not in r.stderr + r.stdout + files_text(tmp_path / "cache")
