"""Start-up on demand (issue 13): what an offline one-report run loads, and the seams that keep
it small — patterns compiled on first use, a coroutine run without an event loop, stderr lines
without rich when stderr is no terminal."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import REPORTS

from summarizer.lazyre import lazy
from summarizer.pipeline import run_sync

SMALL = REPORTS / "jincheng-2019.txt"
# Never needed offline: the model's SDK and its transport, logging (only a registered key's
# scrubber uses it), nor for a text file the .docx and PDF readers (XML parser, logging); the
# template engine and the terminal library are not needed for JSON written to a file either.
# pydantic is the contract at the edges (the model's answer, a summary read back): the offline
# pipeline holds plain records and writes their JSON itself.
OFFLINE_NEVER = {"openai", "instructor", "httpx", "tenacity", "anyio", "asyncio", "xml", "logging",
                 "pydantic", "pydantic_core"}  # fmt: skip
JSON_NEVER = OFFLINE_NEVER | {"jinja2", "rich"}


def _modules_after_run(tmp_path, fmt: str) -> tuple[set[str], dict[str, object] | str]:
    """Top-level modules loaded by `summarizer summarize SMALL -o out.FMT` in a fresh interpreter
    (stderr a pipe, as under a batch system), and what it wrote."""
    out = tmp_path / f"out.{fmt}"
    code = (
        "import atexit, json, runpy, sys\n"
        # An exit handler: the command ends its process once its own handlers have run.
        "top = lambda: sorted({m.split('.')[0] for m in sys.modules})\n"
        "atexit.register(lambda: print(json.dumps(top())))\n"
        "sys.argv = ['summarizer', 'summarize', *sys.argv[1:], '--engine', 'rules']\n"
        "runpy.run_module('summarizer', run_name='__main__')\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    r = subprocess.run(
        [sys.executable, "-c", code, str(SMALL), "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    # The two stderr lines are printed as rich would print them on a pipe.
    engine_line, done_line = r.stderr.splitlines()
    assert engine_line == "summarizer: engine rules (offline, no model)"
    assert re.fullmatch(
        rf"summarizer: {re.escape(str(SMALL))}: \d+ achievements, \d+ problems, \d+ plans; "
        r"\d+ claims verified, \d+ flagged",
        done_line,
    ), done_line
    text = out.read_text(encoding="utf-8")
    return set(json.loads(r.stdout)), (json.loads(text) if fmt == "json" else text)


def test_offline_json_run_loads_no_sdk_transport_event_loop_templates_or_terminal_ui(tmp_path):
    loaded, summary = _modules_after_run(tmp_path, "json")
    assert isinstance(summary, dict) and summary["achievements"], "the run did its work"
    assert not loaded & JSON_NEVER, sorted(loaded & JSON_NEVER)


def test_a_run_on_filled_caches_parses_none_of_the_packages_data_files(tmp_path):
    # The first run on a machine fills the user cache (patterns, the registry, the
    # gazetteer); the next reads those copies: no TOML parser nor zip reader, and
    # on Linux the cache folder is found without platformdirs. Nor are the modules of what a
    # text file's JSON run never does loaded: tempfile (the output's temp file is named by
    # outputs.temp_beside), csv (corpus files), socket (the batch lock).
    first, _ = _modules_after_run(tmp_path, "json")
    loaded, summary = _modules_after_run(tmp_path, "json")
    assert isinstance(summary, dict) and summary["achievements"]
    assert "tomllib" in first, "the first run read the registry itself"
    never = {"tomllib", "tomli", "zipfile", "tempfile", "csv", "socket"}
    never |= {"platformdirs"} if sys.platform == "linux" else set()
    assert not loaded & never, sorted(loaded & never)


def test_offline_markdown_run_loads_no_sdk_transport_or_event_loop(tmp_path):
    loaded, brief = _modules_after_run(tmp_path, "md")
    assert isinstance(brief, str) and brief.startswith("# ")
    assert not loaded & (OFFLINE_NEVER | {"rich"}), sorted(loaded & OFFLINE_NEVER)


def _compiled(tmp_path, seed: str) -> int:
    """How many of the package's patterns an offline JSON run of SMALL compiled (rather than
    served from what an earlier run stored), with this hash seed."""
    code = (
        "import atexit, runpy, sys\n"
        "from summarizer import recache\n"
        "atexit.register(lambda: print(recache.store().compiled))\n"
        "sys.argv = ['summarizer', 'summarize', *sys.argv[1:], '--engine', 'rules']\n"
        "runpy.run_module('summarizer', run_name='__main__')\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "PYTHONHASHSEED": seed}
    r = subprocess.run(
        [sys.executable, "-c", code, str(SMALL), "-o", str(tmp_path / f"{seed}.json")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    return int(r.stdout)


def test_a_second_run_compiles_none_of_the_packages_patterns(tmp_path):
    # Each run has its own hash seed: a pattern built from a set's order would differ between
    # them, miss the store and be compiled (and stored) again on every run.
    assert _compiled(tmp_path, "1") > 100
    assert _compiled(tmp_path, "2") == 0
    assert (tmp_path / "1.json").read_bytes() == (tmp_path / "2.json").read_bytes()


# ---------------------------------------------------------------- lazy patterns


def test_a_lazy_pattern_compiles_once_on_first_use_and_then_is_the_compiled_one():
    calls: list[tuple[str, int]] = []

    def counting(pattern: str, flags: int) -> re.Pattern[str]:
        calls.append((pattern, flags))
        return re.compile(pattern, flags)

    pat = lazy(r"(?P<n>\d+)\s*(万|亿)", re.I, compile=counting)
    assert calls == [], "defining it compiles nothing"
    assert pat.search("投资 12 亿元")["n"] == "12"
    assert pat.findall("3万、4亿") == [("3", "万"), ("4", "亿")]
    assert [m.span() for m in pat.finditer("3万、4亿")] == [(0, 2), (3, 5)]
    assert calls == [(r"(?P<n>\d+)\s*(万|亿)", re.I)], "compiled exactly once"
    compiled = re.compile(r"(?P<n>\d+)\s*(万|亿)", re.I)
    # After the first use the methods are the compiled pattern's own (no wrapper frame).
    assert pat.search.__self__ == compiled
    assert pat.groupindex == compiled.groupindex and pat.groups == 2
    assert pat.flags == compiled.flags


@pytest.mark.parametrize("method", ["match", "fullmatch", "sub", "subn", "split"])
def test_each_method_of_a_lazy_pattern_answers_as_the_compiled_pattern(method):
    for text in ("7%，下降3%", "7%", "增长"):
        args = ("#", text) if method in ("sub", "subn") else (text,)
        first = getattr(lazy(r"\d+%"), method)(*args)  # the first use goes through the wrapper
        plain = getattr(re.compile(r"\d+%"), method)(*args)
        if method in ("match", "fullmatch"):
            assert (first and first.span()) == (plain and plain.span()), text
        else:
            assert first == plain, text


# ---------------------------------------------------------------- run_sync


async def _answer() -> int:
    return 42


async def _waits() -> int:
    import asyncio

    await asyncio.sleep(0)
    return 1


def test_run_sync_without_a_loop_finishes_a_coroutine_that_never_waits():
    assert run_sync(_answer(), loop=False) == 42
    assert run_sync(_answer()) == 42  # and on an event loop, as before


def test_run_sync_without_a_loop_refuses_a_coroutine_that_waits():
    with pytest.raises(RuntimeError, match="waited"):
        run_sync(_waits(), loop=False)
    assert run_sync(_waits()) == 1


# ---------------------------------------------------------------- stderr without rich


def test_plain_messages_print_lines_as_rich_does_on_a_pipe(capsys):
    from rich.console import Console

    from summarizer.cli_shared import PlainMessages, message_console

    # Under pytest stderr is captured (no terminal): the plain console is the one chosen.
    assert isinstance(message_console(), PlainMessages)
    line = "summarizer: a[/x]\r\x07b.txt: 3 achievements :smile"
    PlainMessages().print(line, markup=False)
    with PlainMessages().status("ignored"):
        pass
    plain = capsys.readouterr().err
    Console(stderr=True, highlight=False, soft_wrap=True).print(line, markup=False)
    assert plain == capsys.readouterr().err == "summarizer: a[/x]b.txt: 3 achievements :smile\n"
