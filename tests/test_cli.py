"""End-to-end CLI behaviour: outputs, exit codes, one-line errors, the key never leaking."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import REPORTS, ROOT, SAMPLES, live
from loopback import LoopbackServer, answer_with, grounded_answer, meaningless_answer

from summarizer.cli import main
from summarizer.models import ReportSummary
from summarizer.outputs import write_atomic

SECRET = "sk-test-NEVER-SHOW-ME-0987654321"


def _invoke(args, env=None):
    runner = CliRunner()
    return runner.invoke(main, args, env=env or {}, catch_exceptions=False)


@pytest.mark.parametrize("name", SAMPLES)
def test_llm_engine_against_an_openai_compatible_server(name, tmp_path):
    with LoopbackServer(answer_with(grounded_answer)) as srv:
        out = tmp_path / "s.json"
        r = _invoke(
            [
                *live(REPORTS / name, srv),
                "--format",
                "json",
                "-o",
                str(out),
            ],
            env={"OPENAI_API_KEY": SECRET},
        )
        assert r.exit_code == 0, r.output
        s = ReportSummary.model_validate_json(out.read_text(encoding="utf-8"))
        assert s.meta.engine == "llm"
        assert s.meta.usage.calls == len(srv.requests) > 0
        assert s.meta.usage.prompt_tokens > 0
        md = _invoke(
            live(REPORTS / name, srv),
            env={"OPENAI_API_KEY": SECRET},
        )
    assert md.exit_code == 0
    assert md.stdout.startswith("# ")
    assert "## 主要指标" in md.stdout and "## 核对" in md.stdout
    for text in (out.read_text(encoding="utf-8"), r.output, md.output):
        assert SECRET not in text


def test_meaningless_endpoint_exits_0_with_flags_and_1_with_strict(tmp_path):
    report = str(REPORTS / "jincheng-2019.txt")
    with LoopbackServer(answer_with(meaningless_answer)) as srv:
        args = live(report, srv)
        loose = _invoke(args)
        strict = _invoke([*args, "--strict", "--format", "json"])
    assert loose.exit_code == 0
    assert "⚠" in loose.stdout and "未能与原文核对一致" in loose.stdout
    # The made-up figure never appears unmarked, and never in the overview.
    assert all("⚠" in line for line in loose.stdout.splitlines() if "98765" in line)
    assert "98765" not in loose.stdout.split("## 概览")[1].split("##")[0]
    assert strict.exit_code == 1
    s = ReportSummary.model_validate_json(strict.stdout)
    assert s.validation.flagged == 0
    assert all(not a.metrics for a in s.achievements)


def test_engine_auto_says_which_engine_ran():
    r = _invoke(["summarize", str(REPORTS / "luoxi-2019.txt")])
    assert r.exit_code == 0
    assert "engine rules (offline" in r.stderr


def test_rules_engine_json_is_schema_valid_and_says_so():
    r = _invoke(["summarize", str(REPORTS / "luoxi-2019.txt"), "--format", "json"])
    s = ReportSummary.model_validate_json(r.stdout)
    assert s.meta.engine == "rules" and s.meta.model is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["summarize", "no/such/report.txt"], "no/such/report.txt"),
        (["summarize", "x.txt", "--engine", "llm"], "OPENAI_API_KEY or pass --base-url"),
        (["summarize", "a.txt", "b.txt"], "--out-dir"),
        (["summarize", "x.txt", "--concurrency", "0"], "concurrency"),
        (["summarize", "x.txt", "--place", "\x1b[31m南京市"], "--place"),  # a terminal escape
        (["summarize", "x.txt", "--place", "南京市" * 20], "--place"),
    ],
)
def test_usage_and_input_errors_are_one_line_exit_2(args, message):
    r = _invoke(args)
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in r.stderr


def test_empty_and_binary_inputs_are_input_errors(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    for path in (empty, binary):
        r = _invoke(["summarize", str(path), "-o", str(tmp_path / "out.md")])
        assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.md").exists()


def test_unreachable_endpoint_fails_with_exit_1_and_no_key():
    r = _invoke(
        [
            "summarize",
            str(REPORTS / "jincheng-2019.txt"),
            "--engine",
            "llm",
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--timeout",
            "2",
        ],
        env={"OPENAI_API_KEY": SECRET},
    )
    assert r.exit_code == 1
    assert "cannot reach the model endpoint" in r.stderr
    assert SECRET not in r.output


def test_out_dir_writes_one_file_per_report(tmp_path):
    r = _invoke(["summarize", str(REPORTS), "--out-dir", str(tmp_path / "briefs")])
    assert r.exit_code == 0
    written = sorted(p.name for p in (tmp_path / "briefs").iterdir() if not p.name.startswith("."))
    assert written == sorted(n.replace(".txt", ".md") for n in SAMPLES)


def test_stdin_is_read_with_dash():
    text = (REPORTS / "luoxi-2021.txt").read_text(encoding="utf-8")
    r = CliRunner().invoke(main, ["summarize", "-", "--format", "json"], input=text.encode())
    assert r.exit_code == 0
    assert ReportSummary.model_validate_json(r.stdout).meta.source == "-"


def test_schema_command_prints_the_committed_schema():
    r = _invoke(["schema"])
    assert r.exit_code == 0
    # The whole committed file, not one constant field that any schema of the models carries.
    committed = ROOT / "schemas" / "report_summary.schema.json"
    assert json.loads(r.stdout) == json.loads(committed.read_text(encoding="utf-8"))


def test_validate_command_exit_codes(tmp_path):
    report = REPORTS / "luoxi-2019.txt"
    good = tmp_path / "good.json"
    _invoke(["summarize", str(report), "--format", "json", "-o", str(good)])
    ok = _invoke(["validate", str(good), "--source", str(report), "--format", "json"])
    assert ok.exit_code == 0, ok.stdout
    data = json.loads(good.read_text(encoding="utf-8"))
    data["achievements"][0]["metrics"][0]["value"] += 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    flagged = _invoke(["validate", str(bad), "--source", str(report)])
    assert flagged.exit_code == 1 and "value_mismatch" in flagged.stdout
    broken = tmp_path / "broken.json"
    broken.write_text('{"meta": 3}')
    err = _invoke(["validate", str(broken), "--source", str(report)])
    assert err.exit_code == 2 and "not a summary JSON" in err.stderr


def test_write_atomic_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "out.md"
    write_atomic(target, "old")

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("summarizer.batch.os.replace", full_disk)
    from summarizer.errors import UsageError

    # Fails after the temp file was written: one line naming the file, no partial file.
    with pytest.raises(UsageError, match=r"out\.md: cannot write it \(No space left on device\)"):
        write_atomic(target, "new" * 1000)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_write_atomic_writes_text_and_utf8_bytes_alike(tmp_path, monkeypatch):
    from summarizer import secrets

    monkeypatch.setattr(secrets, "_secrets", {"sk-秘密key123", "sk-秘密"})
    text = "增长7%，sk-秘密key123 与 sk-秘密 \udcff\n"  # a file-name byte read as an escape
    write_atomic(tmp_path / "a.md", text)
    write_atomic(tmp_path / "b.json", text.encode("utf-8", "replace"))
    written = (tmp_path / "a.md").read_bytes()
    assert written == (tmp_path / "b.json").read_bytes()
    assert written == "增长7%，*** 与 *** ?\n".encode()


def test_python_dash_m_and_help_do_not_import_the_sdk():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from summarizer.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "assert 'openai' not in sys.modules and 'instructor' not in sys.modules",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "summarizer", "schema"], capture_output=True, text=True, env=env
    )
    assert r.returncode == 0 and '"schema_version"' in r.stdout


@pytest.mark.parametrize(
    ("name", "fmt", "starts"),
    [("b.json", None, "{"), ("b.html", None, "<!DOCTYPE html>"), ("b.md", None, "# "),
     ("b.txt", None, "# "), ("b.htm", "html", "<!DOCTYPE html>"), ("b.out", "json", "{")],
)  # fmt: skip
def test_output_format_follows_the_file_name(tmp_path, name, fmt, starts):
    out = tmp_path / name
    args = ["summarize", str(REPORTS / "luoxi-2019.txt"), "-o", str(out)]
    r = _invoke([*args, *(["--format", fmt] if fmt else [])])
    assert r.exit_code == 0, r.stderr
    assert out.read_text(encoding="utf-8").startswith(starts)


def test_a_format_contradicting_the_file_name_is_a_usage_error(tmp_path):
    out = tmp_path / "brief.json"
    r = _invoke(["summarize", str(REPORTS / "luoxi-2019.txt"), "-o", str(out), "--format", "md"])
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "--format md" in lines[0] and "brief.json" in lines[0]
    assert not out.exists()


def test_detail_full_gives_the_long_form():
    report = str(REPORTS / "luoxi-2019.txt")
    page, full = _invoke(["summarize", report]), _invoke(["summarize", report, "--detail", "full"])
    assert "## 主要成绩" in full.stdout and "## 主要成绩" not in page.stdout
    assert len(page.stdout.splitlines()) <= 60 < len(full.stdout.splitlines())


def test_out_dir_writes_html_pages(tmp_path):
    r = _invoke(["summarize", str(REPORTS), "--out-dir", str(tmp_path), "--format", "html"])
    assert r.exit_code == 0
    pages = sorted(tmp_path.glob("*.html"))
    assert [p.stem for p in pages] == [n[:-4] for n in SAMPLES]
    assert all(p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") for p in pages)


def test_output_files_get_the_users_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "shared.md", "x")
        os.umask(0o077)
        write_atomic(tmp_path / "private.md", "x")
        (tmp_path / "kept.md").write_text("old")
        (tmp_path / "kept.md").chmod(0o640)
        write_atomic(tmp_path / "kept.md", "new")  # replacing a file keeps its mode
    finally:
        os.umask(old)
    assert (tmp_path / "shared.md").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "private.md").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "kept.md").stat().st_mode & 0o777 == 0o640


def test_a_path_that_looks_like_markup_is_printed_as_written(tmp_path):
    folder = tmp_path / "d[" / "x]"  # the path holds "[/x]", a closing tag for rich
    folder.mkdir(parents=True)
    report = folder / "r[bold].txt"
    report.write_bytes((REPORTS / "luoxi-2019.txt").read_bytes())
    r = _invoke(["summarize", str(report)])
    assert r.exit_code == 0, r.stderr
    assert f"{report}: " in r.stderr and "internal error" not in r.stderr


@pytest.mark.parametrize("command", ["summarize", "panel", "track"])
def test_debug_is_the_flag_given_not_the_process_arguments(tmp_path, command):
    # Called as a library (no --debug in sys.argv), the flag alone decides the traceback.
    missing = str(tmp_path / "missing.txt")
    plain = CliRunner().invoke(main, [command, missing], env={})
    debug = CliRunner().invoke(main, [command, missing, "--debug"], env={})
    assert plain.exit_code == debug.exit_code == 2
    assert "Traceback" not in plain.output and "Traceback" in debug.output


def _script(body: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, "-c", body, *args], capture_output=True, text=True, env=env, check=False
    )


RUN = (
    "import sys\nsys.argv = ['summarizer', *sys.argv[1:]]\nfrom summarizer.cli import run\nrun()\n"
)


def test_the_script_ends_with_the_commands_code_after_its_exit_handlers_and_all_its_output(
    tmp_path,
):
    # The script ends its process without the interpreter's teardown: what must not be lost
    # is the exit status, the exit handlers (the pattern store saves there) and buffered output.
    handler = "import atexit\natexit.register(lambda: print('handler ran'))\n"
    r = _script(handler + RUN, "schema")
    assert r.returncode == 0, r.stderr
    out, last = r.stdout.rsplit("\n", 2)[0], r.stdout.rsplit("\n", 2)[1]
    assert json.loads(out)["title"] and last == "handler ran"  # the whole schema, then it
    r = _script(handler + RUN, "summarize", str(tmp_path / "missing.txt"))
    assert r.returncode == 2 and r.stdout == "handler ran\n"
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_the_script_waits_for_a_thread_still_running_as_the_interpreter_would():
    thread = (
        "import threading, time\n"
        "def late():\n    time.sleep(0.3)\n    print('thread done', flush=True)\n"
        "threading.Thread(target=late).start()\n"
    )
    r = _script(thread + RUN, "--version")
    assert r.returncode == 0 and r.stdout.endswith("thread done\n"), r
