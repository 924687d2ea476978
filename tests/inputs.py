"""Shared by the ingest and readers tests: paths, a tiny report, and the one-line error check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.ingest import read_report

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "fixtures" / "reports"
CORPUS = ROOT / "fixtures" / "corpus"

SAMPLE = "各位代表：\n现在，我代表区政府向大会报告工作。地区生产总值增长7%。\n"


def input_error(path: Path | str) -> str:
    """read_report's InputError for `path`: one line, naming the path, exit code 2."""
    with pytest.raises(InputError) as info:
        read_report(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert info.value.exit_code == 2
    return message


def summarize_bounded(path: Path, *, timeout: float = 10, code: str = "") -> tuple[int, str]:
    """`python -m summarizer summarize PATH` in a child process killed after `timeout` seconds.

    Returns (exit code, stderr). `code` runs first in the child (e.g. to lower a limit), so a
    hostile input that makes the reader hang fails the test instead of hanging it.
    """
    out = path.parent / f"{path.name}.brief.md"
    script = f"{code}\nfrom summarizer.cli import main\nmain()"
    args = ["summarize", str(path), "-o", str(out)]
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert not out.exists()
    return done.returncode, done.stderr
