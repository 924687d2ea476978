"""Tests for summarizer.readers.docx: paragraphs, tracked changes, fields, hostile archives."""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from pathlib import Path

import pytest
from docmaker import make_docx
from inputs import input_error, summarize_bounded

from summarizer.ingest import read_report


def test_docx_paragraphs_tracked_changes_and_fields(tmp_path: Path) -> None:
    extra = (
        "<w:p><w:r><w:t>全年</w:t></w:r><w:del><w:r><w:delText>删去的字</w:delText></w:r></w:del>"
        "<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>新增就业</w:t></w:r>"
        "<w:r><w:tab/><w:t>1万人。</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    path = tmp_path / "report.docx"
    path.write_bytes(
        make_docx(["2023年政府工作报告", "各位代表：", "地区生产总值增长6.5%。"], extra)
    )
    doc = read_report(path)
    assert (doc.format, doc.encoding) == ("docx", "docx")
    assert doc.text.split("\n") == [
        "2023年政府工作报告",
        "各位代表：",
        "地区生产总值增长6.5%。",
        "全年新增就业\t1万人。",
        "指标",
    ]
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_docx_is_recognised_by_content_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = make_docx(["各位代表：", "现在，我代表区政府向大会报告工作。地区生产总值增长7%。"])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    doc = read_report("-")
    assert doc.format == "docx"
    assert doc.text == "各位代表：\n现在，我代表区政府向大会报告工作。地区生产总值增长7%。"


def test_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    path = tmp_path / "table.xlsx"
    path.write_bytes(buf.getvalue())
    message = input_error(path)
    assert "not a Word .docx" in message and "save its sheet as CSV" in message


def test_docx_with_a_dtd_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>',
        )
    path = tmp_path / "bomb.docx"
    path.write_bytes(buf.getvalue())
    assert "DTD" in input_error(path)


# ---------------------------------------------------------------- hostile archives

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _story(body: str) -> bytes:
    head = f'<?xml version="1.0"?><w:document xmlns:w="{_W_NS}"><w:body>'
    return f"{head}{body}</w:body></w:document>".encode()


def _lying_sizes(raw: bytes, member: str, size: int) -> bytes:
    """The archive with `member`'s uncompressed size in the central directory set to `size`."""
    entry = raw.rindex(b"PK\x01\x02", 0, raw.rindex(member.encode()))
    return raw[: entry + 24] + size.to_bytes(4, "little") + raw[entry + 28 :]


@pytest.mark.parametrize(
    ("members", "method", "message"),
    [
        # 15 MB of one repeated paragraph deflates to ~40 KB: refused before inflating.
        ({"word/document.xml": _story("<w:p><w:r><w:t>增长</w:t></w:r></w:p>" * 400_000)},
         zipfile.ZIP_DEFLATED, "-fold"),
        # Stored, so no inflation, but the story is bigger than any report's.
        ({"word/document.xml": _story("<w:p/>" * 6_000_000)}, zipfile.ZIP_STORED, "MB"),
        # A small story beside a member that says it inflates to 4 GB.
        ({"word/document.xml": _story("<w:p><w:r><w:t>政府工作报告</w:t></w:r></w:p>"),
          "word/media/huge.bin": b"x"}, zipfile.ZIP_DEFLATED, "MB"),
        # Elements nested a million deep, stored: no paragraph ever ends.
        ({"word/document.xml": _story("<w:r>" * 1_000_000)}, zipfile.ZIP_STORED, "deep"),
    ],
    ids=["inflation", "oversized-story", "huge-members", "deep-nesting"],
)  # fmt: skip
def test_zip_bombs_are_refused_in_seconds(
    tmp_path: Path, members: dict[str, bytes], method: int, message: str
) -> None:
    path = tmp_path / "bomb.docx"
    raw = _zip(members, method)
    if "word/media/huge.bin" in members:
        raw = _lying_sizes(raw, "word/media/huge.bin", 2**32 - 1)
    path.write_bytes(raw)
    code, stderr = summarize_bounded(path)
    assert code == 2 and message in stderr
    assert len(stderr.strip().splitlines()) == 1 and "bomb.docx" in stderr


def test_reading_a_docx_stops_at_its_time_limit(tmp_path: Path) -> None:
    path = tmp_path / "slow.docx"
    path.write_bytes(make_docx(["各位代表：", "现在，我代表区政府向大会报告工作。"] * 50))
    limit = "import summarizer.readers.docx as d; d.MAX_SECONDS = -1"
    code, stderr = summarize_bounded(path, code=limit)
    assert code == 2 and "takes more than" in stderr and "slow.docx" in stderr


def test_a_long_varied_story_is_read_whole_not_taken_for_a_bomb(tmp_path: Path) -> None:
    paragraphs = [
        f"第{i}项：地区生产总值增长{i % 97}%，收入{i * 7919 % 100003}万元。" for i in range(60_000)
    ]
    path = tmp_path / "long.docx"
    path.write_bytes(make_docx(paragraphs))
    assert read_report(path).text == "\n".join(paragraphs)
