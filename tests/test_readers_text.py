"""Tests for summarizer.readers.text: byte-order marks, legacy encodings, line ends, binary."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from inputs import CORPUS, REPORTS, SAMPLE, input_error

from summarizer.ingest import read_report
from summarizer.readers.text import decode_bytes


def test_gbk_file_with_crlf_is_decoded_as_gb18030() -> None:
    doc = read_report(CORPUS / "hailar-2012.gbk.txt")
    assert doc.encoding == "gb18030"
    assert doc.format == "text"
    assert "\r" not in doc.text
    assert "海拉尔区第十三届人民代表大会第六次会议" in doc.text
    assert "地区生产总值完成198.5亿元" in doc.text


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("gbk"), "gb18030"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        (b"\xfe\xff" + SAMPLE.encode("utf-16-be"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16"),
        (SAMPLE.encode("utf-32"), "utf-32"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "gb18030",
        "gbk",
        "utf16-bom",
        "utf16be-bom",
        "utf16le-nobom",
        "utf32",
    ],
)
def test_decode_bytes_encodings(data: bytes, encoding: str) -> None:
    text, enc = decode_bytes(data)
    assert (text, enc) == (SAMPLE, encoding)


def test_decode_big5() -> None:
    traditional = (
        "各位代表：現在，我代表市政府向大會報告工作，請予審議。地區生產總值增長百分之七。\n" * 3
    )
    text, enc = decode_bytes(traditional.encode("big5"))
    assert enc.startswith("big5")
    assert text == traditional


def test_long_gbk_text_is_detected(tmp_path: Path) -> None:
    body = (REPORTS / "luoxi-2021.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    body = body.replace("[bookmark: _GoBack]", "")
    path = tmp_path / "luoxi.txt"
    path.write_bytes(body.encode("gbk"))
    doc = read_report(path)
    assert doc.encoding == "gb18030"
    assert doc.text == body.replace("\r\n", "\n")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\f"])
def test_line_ends_are_normalised(newline: str) -> None:
    text, _ = decode_bytes(SAMPLE.replace("\n", newline).encode("utf-8"))
    assert text == SAMPLE


def test_binary_with_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 4)
    assert "binary" in input_error(path)


@pytest.mark.parametrize(
    ("magic", "hint"),
    [(b"%PDF-1.7\n", "PDF"), (b"PK\x03\x04", "docx"), (b"\xd0\xcf\x11\xe0", "doc")],
)
def test_office_and_pdf_files_get_a_hint(tmp_path: Path, magic: bytes, hint: str) -> None:
    path = tmp_path / "report.x"
    path.write_bytes(magic + b"\x01\x02 some payload")
    assert hint in input_error(path)


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    # High bytes without NULs: no encoding reads these as Chinese text.
    path.write_bytes(bytes([0x80, 0xFF, 0x81, 0xFE, 0xA0, 0x7F, 0x90, 0xC1]) * 64)
    input_error(path)


def test_utf8_with_control_characters_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_bytes(("各位代表" + "\x01\x02\x03" * 20).encode("utf-8"))
    assert "binary" in input_error(path)


ENCODINGS = [
    ("utf-8", b"", "utf-8"),
    ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
    ("gb18030", b"", "gb18030"),
    ("gbk", b"", "gb18030"),
    ("big5", b"", "big5"),
    ("utf-16", b"", "utf-16"),
    ("utf-16-le", b"", "utf-16"),
]


@pytest.mark.parametrize(
    ("codec", "prefix", "label"), ENCODINGS, ids=[e[2] + e[0] for e in ENCODINGS]
)
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_whole_report_in_each_encoding(tmp_path: Path, codec, prefix, label, suffix) -> None:
    body = (REPORTS / "jincheng-2019.txt").read_text(encoding="utf-8")
    if codec == "big5":
        # Big5 has no simplified characters: a Taiwan-style traditional report instead.
        body = (
            "各位代表：\n現在，我代表市政府向大會報告工作。\n一、地區生產總值增長百分之七。\n" * 40
        )
    elif codec in ("gb18030", "gbk"):
        body = body.replace("\u2022", "·")  # the odd character GBK lacks
    path = tmp_path / f"report{suffix}"
    path.write_bytes(prefix + body.encode(codec, errors="strict"))
    doc = read_report(path)
    assert doc.encoding.startswith(label)
    assert doc.format == "text"
    assert doc.text == body.replace("\r\n", "\n")
