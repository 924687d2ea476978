"""Tests for summarizer.ingest, the stage: files and stdin to Documents, and input errors."""

from __future__ import annotations

import hashlib
import io
import os
import sys
from pathlib import Path

import pytest
from inputs import REPORTS, SAMPLE, input_error

from summarizer.ingest import Document, read_report

FIXTURES = sorted(REPORTS.glob("*.txt"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixtures_read_as_utf8_text(path: Path) -> None:
    doc = read_report(path)
    raw = path.read_bytes()
    assert isinstance(doc, Document)
    assert doc.name == str(path)
    assert (doc.encoding, doc.format, doc.title_hint) == ("utf-8", "text", None)
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.text == raw.decode("utf-8").replace("\r\n", "\n")
    assert "\r" not in doc.text


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = SAMPLE.encode("gb18030")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    doc = read_report("-")
    assert (doc.name, doc.text, doc.encoding) == ("-", SAMPLE, "gb18030")
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


def test_pathlike_and_str_give_same_document() -> None:
    path = REPORTS / "jincheng-2019.txt"
    assert read_report(path) == read_report(str(path))


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in input_error(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    assert "directory" in input_error(tmp_path)


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t ", "\u3000\n".encode()])
def test_empty_or_whitespace(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert "empty" in input_error(path)


def test_no_cjk_text(tmp_path: Path) -> None:
    path = tmp_path / "english.txt"
    path.write_text("Annual report of the city government.\nGDP grew 5%.\n", "utf-8")
    assert "does not look like a Chinese report" in input_error(path)


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("summarizer.ingest.MAX_INPUT_BYTES", 100)
    path = tmp_path / "huge.txt"
    path.write_text(SAMPLE * 10, "utf-8")
    assert "too large" in input_error(path)


def test_stdin_that_is_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty(io.BytesIO(b"")))
    assert "terminal" in input_error("-")


def _gbk_named(folder: Path, data: bytes) -> str:
    """A file whose name is GBK bytes, as copied from a Chinese Windows disk; its str path."""
    raw = os.path.join(os.fsencode(folder), "报告".encode("gbk") + b".txt")
    try:
        with open(raw, "wb") as fh:
            fh.write(data)
    except OSError:
        pytest.skip("this file system only takes UTF-8 names")
    return os.fsdecode(raw)


def test_a_gbk_file_name_is_shown_as_text(tmp_path: Path) -> None:
    path = _gbk_named(tmp_path, (REPORTS / "jincheng-2019.txt").read_bytes())
    doc = read_report(path)
    assert doc.name == str(tmp_path / "报告.txt") and doc.stem == "报告"
    assert read_report(os.fsencode(path)) == doc
    doc.name.encode("utf-8")  # printable, and serialisable into the summary JSON


def test_gbk_file_names_in_a_batch_are_written_and_named(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from summarizer.cli import main

    (tmp_path / "in").mkdir()
    _gbk_named(tmp_path / "in", (REPORTS / "jincheng-2019.txt").read_bytes())
    out = tmp_path / "out"
    args = ["summarize", str(tmp_path / "in"), "--out-dir", str(out)]
    r = CliRunner().invoke(main, args, catch_exceptions=False)
    assert r.exit_code == 0, r.stderr
    assert "报告.txt: done" in r.stderr
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == ["报告.md"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_a_device_is_refused_unread_and_a_pipe_read_only_up_to_the_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    # A device holds no report (and /dev/zero never ends): refused before any read.
    assert "not a regular file" in input_error("/dev/zero")
    # A pipe's size says nothing either: it is read up to the cap, no further.
    monkeypatch.setattr("summarizer.ingest.MAX_INPUT_BYTES", 1000)
    read_end, write_end = os.pipe()

    def write() -> None:
        try:
            os.write(write_end, b"x" * 5000)
        finally:
            os.close(write_end)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert "too large" in input_error(f"/dev/fd/{read_end}")
    finally:
        writer.join()
        os.close(read_end)


def test_input_is_read_a_megabyte_at_a_time_up_to_the_cap():
    import io

    from summarizer.regular import read_capped

    asked: list[int] = []  # the sizes asked for, not the bytes read

    class Counting(io.BytesIO):
        def read(self, n=-1):
            asked.append(n)
            return super().read(n)

    stream = Counting(b"x" * (5 * 2**20))
    raw = read_capped(stream, 3 * 2**20)
    assert len(raw) == 3 * 2**20 + 1  # one byte past the cap: the caller refuses it
    assert max(asked) <= 2**20  # never a buffer of the whole cap at once
    assert read_capped(io.BytesIO(b"abc"), 3 * 2**20) == b"abc"
