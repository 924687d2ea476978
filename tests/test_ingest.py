"""Tests for summarizer.ingest: encodings, formats (text/html/tsv/docx/pdf) and input errors."""

from __future__ import annotations

import codecs
import hashlib
import io
import sys
import zipfile
from pathlib import Path

import pytest
from docmaker import make_docx, make_pdf

from summarizer.clean import clean
from summarizer.errors import InputError
from summarizer.ingest import Document, decode_bytes, looks_like_report, read_report

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "fixtures" / "reports"
CORPUS = ROOT / "fixtures" / "corpus"
FIXTURES = sorted(REPORTS.glob("*.txt"))

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")

SAMPLE = "各位代表：\n现在，我代表区政府向大会报告工作。地区生产总值增长7%。\n"


# ---------------------------------------------------------------- real files


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


@needs_corpus
def test_gbk_file_with_crlf_is_decoded_as_gb18030() -> None:
    doc = read_report(CORPUS / "hailar-2012.gbk.txt")
    assert doc.encoding == "gb18030"
    assert doc.format == "text"
    assert "\r" not in doc.text
    assert "海拉尔区第十三届人民代表大会第六次会议" in doc.text
    assert "地区生产总值完成198.5亿元" in doc.text


@needs_corpus
def test_tsv_line_format_splits_fields_and_restores_paragraphs() -> None:
    doc = read_report(CORPUS / "national-2011.txt")
    assert doc.format == "tsv"
    assert doc.title_hint == "政府工作报告"
    assert not doc.text.startswith("2011")
    assert "\t" not in doc.text
    assert "\u3000\u3000" not in doc.text
    lines = doc.text.split("\n")
    assert lines[0].startswith("——2011年3月5日在第十一届全国人民代表大会第四次会议上")
    # Headings that were glued to the text by "\u3000\u3000" are lines of their own again.
    assert "一、“十一五”时期国民经济和社会发展的回顾" in lines
    assert "二、“十二五”时期的主要目标和任务" in lines
    assert any(line.startswith("（二）毫不放松地做好“三农”工作") for line in lines)
    assert len(lines) > 80


@needs_corpus
def test_scraped_html_fragment_in_brackets() -> None:
    doc = read_report(CORPUS / "national-2020.html")
    assert doc.format == "html"
    assert "<" not in doc.text and ">" not in doc.text
    lines = doc.text.split("\n")
    assert lines[0] == "各位代表："
    assert "一、2019年和今年以来工作回顾" in lines
    assert "——经济运行总体平稳。国内生产总值达到99.1万亿元，增长6.1%。" in doc.text
    assert not doc.text.rstrip().endswith("]")
    assert "20nian" not in doc.text  # an HTML comment


# ---------------------------------------------------------------- encodings


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


# ---------------------------------------------------------------- HTML


def test_html_extraction(tmp_path: Path) -> None:
    page = """<!DOCTYPE html><html><head><title>某区政府网站</title>
    <style>p { color: red }</style><script>var 统计 = 1;</script></head>
    <body><nav>首页 &gt; 政务公开</nav><header>网站抬头</header>
    <h1>2023年政府工作报告</h1>
    <div class="content"><p>各位代表：</p>
    <p>地区生产总值增长&nbsp;6.5%，
       一般公共预算收入&amp;税收双增长。<br>全年&#x65B0;增就业1万人。</p>
    <ul><li>一是稳增长</li><li>二是促改革</li></ul></div>
    <footer>版权所有</footer></body></html>"""
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    doc = read_report(path)
    assert doc.format == "html"
    assert doc.title_hint == "2023年政府工作报告"
    lines = doc.text.split("\n")
    assert lines == [
        "2023年政府工作报告",
        "各位代表：",
        "地区生产总值增长\xa06.5%， 一般公共预算收入&税收双增长。",
        "全年新增就业1万人。",
        "一是稳增长",
        "二是促改革",
    ]


def test_html_detected_by_content_and_title_fallback(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    body = "<p>各位代表：今年地区生产总值增长7%，政府投资项目全部开工。</p>"
    path.write_text(f"<html><head><title>工作报告</title></head>{body}</html>", "utf-8")
    doc = read_report(path)
    assert (doc.format, doc.title_hint) == ("html", "工作报告")
    assert doc.text == "各位代表：今年地区生产总值增长7%，政府投资项目全部开工。"


def test_text_starting_with_angle_bracket_is_not_html(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("<罗溪镇>2019年工作总结\n今年以来，园镇项目投资增长。\n", "utf-8")
    assert read_report(path).format == "text"


# ---------------------------------------------------------------- TSV


def test_tsv_breaks_only_on_tabs_and_ideographic_runs(tmp_path: Path) -> None:
    line = (
        "2011\t报告\t——在大会上 总理\u3000\xa0 温家宝"
        "\u3000\u3000一、回顾\u3000\u3000增长。\t \u3000\u3000二、计划"
    )
    path = tmp_path / "one.txt"
    path.write_text(line + "\n", "utf-8")
    doc = read_report(path)
    assert doc.format == "tsv"
    assert doc.title_hint == "报告"
    assert doc.text.split("\n") == ["——在大会上 总理", "温家宝", "一、回顾", "增长。", "二、计划"]


def test_read_report_refuses_a_corpus_file_of_several_reports(tmp_path: Path) -> None:
    path = tmp_path / "all.txt"
    path.write_text("2010\t报告\t正文一。\n2011\t报告\t正文二。\n", "utf-8")
    with pytest.raises(InputError, match="holds 2 reports.*--out-dir"):
        read_report(path)


# ---------------------------------------------------------------- stdin and path types


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = SAMPLE.encode("gb18030")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    doc = read_report("-")
    assert (doc.name, doc.text, doc.encoding) == ("-", SAMPLE, "gb18030")
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


def test_pathlike_and_str_give_same_document() -> None:
    path = REPORTS / "jincheng-2019.txt"
    assert read_report(path) == read_report(str(path))


# ---------------------------------------------------------------- errors


def _error(path: Path | str) -> str:
    with pytest.raises(InputError) as info:
        read_report(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert info.value.exit_code == 2
    return message


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in _error(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    assert "directory" in _error(tmp_path)


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t ", "\u3000\n".encode()])
def test_empty_or_whitespace(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert "empty" in _error(path)


def test_binary_with_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 4)
    assert "binary" in _error(path)


@pytest.mark.parametrize(
    ("magic", "hint"),
    [(b"%PDF-1.7\n", "PDF"), (b"PK\x03\x04", "docx"), (b"\xd0\xcf\x11\xe0", "doc")],
)
def test_office_and_pdf_files_get_a_hint(tmp_path: Path, magic: bytes, hint: str) -> None:
    path = tmp_path / "report.x"
    path.write_bytes(magic + b"\x01\x02 some payload")
    assert hint in _error(path)


def test_undecodable_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    # High bytes without NULs: no encoding reads these as Chinese text.
    path.write_bytes(bytes([0x80, 0xFF, 0x81, 0xFE, 0xA0, 0x7F, 0x90, 0xC1]) * 64)
    _error(path)


def test_no_cjk_text(tmp_path: Path) -> None:
    path = tmp_path / "english.txt"
    path.write_text("Annual report of the city government.\nGDP grew 5%.\n", "utf-8")
    assert "does not look like a Chinese report" in _error(path)


def test_html_without_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><body><script>var a;</script></body></html>", "utf-8")
    assert "no body text" in _error(path)


def test_h1_inside_skipped_header_is_still_the_title(tmp_path: Path) -> None:
    path = tmp_path / "p.htm"
    path.write_text(
        "<header><h1>某市政府工作报告</h1><a>首页</a></header><p>各位代表：政府工作报告。</p>",
        "utf-8",
    )
    doc = read_report(path)
    assert (doc.title_hint, doc.text) == ("某市政府工作报告", "各位代表：政府工作报告。")


def test_utf8_with_control_characters_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_bytes(("各位代表" + "\x01\x02\x03" * 20).encode("utf-8"))
    assert "binary" in _error(path)


# ---------------------------------------------------------------- every encoding, end to end

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


# ---------------------------------------------------------------- Word and PDF


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
    assert "not a Word .docx" in _error(path)


def test_docx_with_a_dtd_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>',
        )
    path = tmp_path / "bomb.docx"
    path.write_bytes(buf.getvalue())
    assert "DTD" in _error(path)


def test_pdf_text_layer_and_hard_line_breaks_rejoined(tmp_path: Path) -> None:
    source = (REPORTS / "luoxi-2019.txt").read_text(encoding="utf-8")
    lines = [line for line in source.split("\n") if line.strip() and not line.startswith("-")]
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf([lines[:30], lines[30:60]]))
    doc = read_report(path)
    assert (doc.format, doc.encoding) == ("pdf", "pdf")
    assert "园镇实现" in doc.text
    text = clean(doc.text).text
    # A figure and a sentence split across PDF lines come back whole.
    assert "园镇实现地区生产总值69亿元，同比增长7%" in text.replace(" ", "")
    assert "习近平新时代中国特色社会主义思想，落实中央" in text.replace(" ", "")


def test_pdf_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = make_pdf([["各位代表：", "现在，我代表区政府向大会报告工作。"]])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    assert read_report("-").format == "pdf"


def test_pdf_without_text_layer_says_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([[]]))
    assert "OCR" in _error(path)


def test_missing_pypdf_gives_one_actionable_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)  # import pypdf now raises ImportError
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf([["各位代表："]]))
    assert "pip install" in _error(path) and "pypdf" in _error(path)


def test_damaged_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(make_pdf([["各位代表："]])[:300])
    assert "PDF" in _error(path)


# ---------------------------------------------------------------- not a report

RECIPE = (
    "番茄炒蛋\n材料：番茄两个，鸡蛋三个，葱一根，盐和糖少许。\n"
    "做法：鸡蛋打散，加少许盐搅匀。锅中放油，油热后倒入蛋液，炒至凝固盛出。"
    "番茄切块下锅翻炒出汁，加一小勺糖，再倒回鸡蛋翻匀，撒上葱花即可出锅。\n"
)
NOVEL = (
    "第三章 归乡\n老张推开院门，夕阳把槐树的影子拉得很长。他在城里打了二十年零工，"
    "如今背着一个旧帆布包回到村里。母亲坐在门槛上择豆角，抬头看了他一眼，没说话。"
    "灶膛里的火噼啪作响，屋里飘着米饭的香味。他忽然觉得，这些年像是做了一场很长的梦。\n"
)


@pytest.mark.parametrize("text", [RECIPE, NOVEL], ids=["recipe", "novel"])
def test_chinese_text_that_is_not_a_report(tmp_path: Path, text: str) -> None:
    path = tmp_path / "other.txt"
    path.write_text(text * 5, "utf-8")
    assert "does not look like a government work report" in _error(path)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_sample_looks_like_a_report(path: Path) -> None:
    assert looks_like_report(path.read_text(encoding="utf-8"))


def test_report_fragment_with_an_outline_is_accepted() -> None:
    assert looks_like_report("一、回顾\n全年增长。\n二、计划\n继续努力。")
    assert not looks_like_report("一、准备\n洗菜。\n二、下锅\n翻炒。")


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("summarizer.ingest.MAX_INPUT_BYTES", 100)
    path = tmp_path / "huge.txt"
    path.write_text(SAMPLE * 10, "utf-8")
    assert "too large" in _error(path)


def test_stdin_that_is_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty(io.BytesIO(b"")))
    assert "terminal" in _error("-")
