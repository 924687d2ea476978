"""Shared fixtures: no test sees the developer's keys, endpoints or cache."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "fixtures" / "reports"
CORPUS = ROOT / "fixtures" / "corpus"
SAMPLES = sorted(p.name for p in REPORTS.glob("*.txt"))

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The tests' own process neither reads nor writes the user's compiled patterns (the package's
# modules are imported after this file, so none was compiled yet).
from summarizer import recache  # noqa: E402

recache.use(None)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL", "SUMMARIZER_CONCURRENCY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
    # Beside the test's folder, not in it: any run writes its compiled patterns there (recache),
    # and tests check what a run left in its folder.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path.with_name(tmp_path.name + ".xdg-cache")))


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "from_source: the test patches module functions, so it runs with every module from source",
    )


def pytest_pyfunc_call(pyfuncitem):
    """A `from_source` test, when the package runs compiled (setup.py), runs again in a child
    pytest with every module from source and passes or fails with it: a compiled module calls
    its build's functions directly, so a patch of a module's function would not reach them."""
    import summarizer

    if pyfuncitem.get_closest_marker("from_source") is None or not summarizer.COMPILED:
        return None
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", pyfuncitem.nodeid],
        cwd=pyfuncitem.config.rootpath,
        env={**os.environ, "SUMMARIZER_PURE_PYTHON": "1"},
        capture_output=True,
        text=True,
    )
    assert child.returncode == 0, child.stdout[-4000:] + child.stderr[-2000:]
    return True


def pytest_addoption(parser):
    parser.addoption(
        "--update-briefs",
        action="store_true",
        help="rewrite the expected briefs under fixtures/briefs/ from the current output",
    )


def live(report, server) -> list[str]:
    """CLI arguments that summarise `report` with the live engine against a loopback server."""
    return ["summarize", str(report), "--engine", "llm", "--base-url", server.base_url]
