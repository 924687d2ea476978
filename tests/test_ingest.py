"""Tests for summarizer.ingest, the stage: files and stdin to Documents, and input errors."""

from __future__ import annotations

import hashlib
import io
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
