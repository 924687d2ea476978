"""Tests for summarizer.readers.corpus and read_documents: every corpus form, names, bad rows."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest
from inputs import CORPUS, REPORTS

from summarizer.errors import InputError
from summarizer.ingest import Document, RowError, may_hold_many, read_documents, read_report

PROVINCES = sorted((CORPUS / "province-2026").glob("*.csv"))
NATIONAL = CORPUS / "national-1954-2004.tsv"
HEADER = ["province", "year", "title", "source_url", "publish_date", "full_text"]


def _csv_rows(paths: list[Path]) -> list[dict[str, str]]:
    """The real rows of some province CSV files, as dicts keyed by their header."""
    rows: list[dict[str, str]] = []
    for path in paths:
        csv.field_size_limit(2**31 - 1)
        rows.extend(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    return rows


def _write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows([header, *rows])
    path.write_bytes(buf.getvalue().encode(encoding))


def _same_reports(got: list[Document], want: list[Document]) -> None:
    fields = ("text", "place_hint", "year_hint", "title_hint", "url", "published", "stem")
    assert [[getattr(d, f) for f in fields] for d in got] == [
        [getattr(d, f) for f in fields] for d in want
    ]


# ---------------------------------------------------------------- the real corpus files


@pytest.mark.parametrize("path", PROVINCES, ids=lambda p: p.stem)
def test_each_province_csv_is_one_report_with_its_columns(path: Path) -> None:
    place = path.stem.split("_")[1]  # 2026_上海市_政府工作报告
    [doc] = read_documents(path)
    assert read_report(path) == doc
    assert (doc.format, doc.encoding) == ("csv", "utf-8-sig")
    assert (doc.place_hint, doc.year_hint, doc.stem) == (place, 2026, f"{place}-2026")
    assert doc.name == f"{path}#2026"
    assert doc.title_hint is not None and "2026" in doc.title_hint
    assert doc.url is not None and doc.url.startswith("http")
    assert doc.published is not None and re.fullmatch(r"2026-\d\d-\d\d", doc.published)
    # The text is the full_text cell, with its own line breaks; never the header or a URL.
    assert "full_text" not in doc.text and "source_url" not in doc.text
    assert doc.text.count("\n") > 50 and "各位代表" in doc.text
    assert len(doc.sha256) == 64


def test_national_tsv_holds_35_reports_one_a_line() -> None:
    years = [int(line.split("\t", 1)[0]) for line in NATIONAL.read_text("utf-8").splitlines()]
    docs = read_documents(NATIONAL)
    assert len(docs) == len(years) == 35
    assert [d.year_hint for d in docs] == years
    assert [d.name for d in docs] == [f"{NATIONAL}#{y}" for y in years]
    assert [d.stem for d in docs] == [f"national-1954-2004-{y}" for y in years]
    assert len({d.sha256 for d in docs}) == 35
    for doc in docs:
        assert doc.format == "tsv" and doc.place_hint is None
        # Paragraph breaks restored: no tabs, no doubled U+3000, many lines.
        assert "\t" not in doc.text and "\u3000\u3000" not in doc.text
        assert doc.text.count("\n") >= 10, doc.name
        assert "政府工作报告" in (doc.title_hint or "") + doc.text[:200], doc.name
    by_year = {d.year_hint: d for d in docs}
    # A title field of its own becomes the title hint; a title glued to the text stays text.
    assert by_year[1988].title_hint == "1988年政府工作报告"
    assert by_year[1988].text.startswith("——１９８８年３月２５日在第七届全国人民代表大会")
    assert by_year[2001].title_hint is None  # a delivery line (——2001年3月5日…) is kept
    assert by_year[2001].text.startswith("2001年政府工作报告——2001年3月5日在第九届")
    assert by_year[1954].title_hint is None
    assert by_year[1954].text.startswith("1954年政府工作报告——1954年5月23日")
    assert "二、关于1 9 9 8 年政府工作的建议" in by_year[1998].text.split("\n")


def test_one_row_of_a_corpus_file_is_read_by_its_key() -> None:
    with pytest.raises(InputError, match=r"holds 35 reports .*--out-dir"):
        read_report(NATIONAL)
    doc = read_report(f"{NATIONAL}#1988")
    assert doc.year_hint == 1988 and doc.name == f"{NATIONAL}#1988"
    with pytest.raises(InputError, match="holds no row '1958'"):
        read_report(f"{NATIONAL}#1958")


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
    with pytest.raises(InputError, match=r"holds 2 reports.*--out-dir"):
        read_report(path)


# ---------------------------------------------------------------- forms made from real rows


def test_jsonl_reads_like_the_csv_it_was_made_from(tmp_path: Path) -> None:
    paths = PROVINCES[:3]
    path = tmp_path / "provinces.jsonl"
    lines = [json.dumps(row, ensure_ascii=False) for row in _csv_rows(paths)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = read_documents(path)
    _same_reports(docs, [read_report(p) for p in paths])
    assert {d.format for d in docs} == {"jsonl"}
    assert [d.name for d in docs] == [f"{path}#1", f"{path}#2", f"{path}#3"]  # years repeat


def test_json_array_of_records_named_or_recognised(tmp_path: Path) -> None:
    rows = _csv_rows(PROVINCES[:2])
    for name in ("reports.json", "reports.txt"):
        path = tmp_path / name
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        _same_reports(read_documents(path), [read_report(p) for p in PROVINCES[:2]])
    (tmp_path / "one.json").write_text('{"text": "x"}', encoding="utf-8")
    with pytest.raises(InputError, match="not a list of reports"):
        read_documents(tmp_path / "one.json")


def test_the_most_specific_place_column_names_the_report(tmp_path: Path) -> None:
    path = tmp_path / "cities.csv"
    _write_csv(
        path, ["省份", "城市", "年份", "正文"], [["江苏省", "南京市", "2024", REPORT]], "utf-8"
    )
    [doc] = read_documents(path)
    assert (doc.place_hint, doc.stem) == ("南京市", "南京市-2024")


def test_gb18030_csv_with_chinese_headers_and_several_rows(tmp_path: Path) -> None:
    paths = PROVINCES[3:6]
    rows = _csv_rows(paths)
    header = ["省份", "年份", "标题", "链接", "发布日期", "正文"]
    path = tmp_path / "reports.csv"
    _write_csv(path, header, [[r[h] for h in HEADER] for r in rows], "gb18030")
    docs = read_documents(path)
    assert {d.encoding for d in docs} == {"gb18030"}
    _same_reports(docs, [read_report(p) for p in paths])


def test_bom_utf8_tsv_with_a_header_and_unnamed_text_column(tmp_path: Path) -> None:
    rows = _csv_rows(PROVINCES[:2])
    buf = io.StringIO()
    # Upper case, spaces and no recognised text column: the longest column is the text.
    writer = csv.writer(buf, delimiter="\t")
    writer.writerow(["City", "YEAR", "Source URL", "raw"])
    writer.writerows([[r["province"], r["year"], r["source_url"], r["full_text"]] for r in rows])
    path = tmp_path / "reports.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    docs = read_documents(path)
    assert [d.text for d in docs] == [read_report(p).text for p in PROVINCES[:2]]
    assert [d.place_hint for d in docs] == [r["province"] for r in rows]
    assert [d.url for d in docs] == [r["source_url"] for r in rows]
    assert {d.format for d in docs} == {"tsv"}


def test_parquet_when_pyarrow_is_installed(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = _csv_rows(PROVINCES[:2])
    table = pa.table({k: [int(r[k]) if k == "year" else r[k] for r in rows] for k in HEADER})
    path = tmp_path / "reports.parquet"
    pq.write_table(table, path)
    docs = read_documents(path)
    _same_reports(docs, [read_report(p) for p in PROVINCES[:2]])
    assert {d.format for d in docs} == {"parquet"}


def test_corpus_forms_are_recognised_by_content_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    [row] = _csv_rows(PROVINCES[:1])
    want = read_report(PROVINCES[0])
    for data in (
        PROVINCES[0].read_bytes(),
        (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"),
    ):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        [doc] = read_documents("-")
        assert (doc.text, doc.place_hint, doc.stem) == (want.text, want.place_hint, want.stem)
        assert doc.name == "-#2026"


# ---------------------------------------------------------------- names, stems, metadata

REPORT = (REPORTS / "jincheng-2019.txt").read_text(encoding="utf-8")


def test_stems_are_place_year_else_file_year_else_row_and_always_unique(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    rows = [
        ["金城镇", "2019", REPORT],
        ["金城镇", "2019", REPORT + "另一版本。"],
        ["", "2020", REPORT],
        ["", "", REPORT],
        ["a/../b:c", "2021", REPORT],
    ]
    _write_csv(path, ["town", "year", "content"], rows, "utf-8")
    # "town" is no recognised place column: the place comes only from a named one.
    assert [d.stem for d in read_documents(path)] == [
        "mixed-2019", "mixed-2019-2", "mixed-2020", "mixed-4", "mixed-2021"
    ]  # fmt: skip
    _write_csv(path, ["地区", "年份", "content"], rows, "utf-8")
    docs = read_documents(path)
    assert [d.stem for d in docs] == [
        "金城镇-2019", "金城镇-2019-2", "mixed-2020", "mixed-4", "a_.._b_c-2021"
    ]  # fmt: skip
    assert [d.name.rsplit("#", 1)[1] for d in docs] == ["1", "2", "2020", "4", "2021"]
    assert [d.place_hint for d in docs] == ["金城镇", "金城镇", None, None, "a/../b:c"]


def test_year_falls_back_to_the_date_column_and_a_report_file_keeps_its_stem(
    tmp_path: Path,
) -> None:
    path = tmp_path / "dated.jsonl"
    path.write_text(
        json.dumps({"text": REPORT, "日期": "2020年1月5日", "url": "http://x"}, ensure_ascii=False),
        encoding="utf-8",
    )
    [doc] = read_documents(path)
    assert (doc.year_hint, doc.published, doc.url) == (2020, "2020年1月5日", "http://x")
    plain = read_report(REPORTS / "jincheng-2019.txt")
    assert (plain.stem, plain.place_hint, plain.year_hint) == ("jincheng-2019", None, None)
    assert read_report(CORPUS / "national-2011.txt").stem == "national-2011"


def test_a_scraped_page_in_a_cell_is_reduced_to_its_text(tmp_path: Path) -> None:
    page = "<div><nav>首页 网站地图</nav>" + "".join(f"<p>{p}</p>" for p in REPORT.split("\n"))
    path = tmp_path / "pages.csv"
    _write_csv(path, ["title", "full_text"], [["某镇报告", page + "</div>"]], "utf-8")
    [doc] = read_documents(path)
    assert "<p>" not in doc.text and "网站地图" not in doc.text
    assert doc.text == "\n".join(line.strip() for line in REPORT.split("\n") if line.strip())
    assert doc.title_hint == "某镇报告"


# ---------------------------------------------------------------- bad rows


def test_a_bad_row_fails_alone_and_is_named(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    recipe = "番茄炒蛋：鸡蛋打散，锅中放油，炒至凝固盛出。番茄切块翻炒出汁。" * 3
    rows = [
        ["甲镇", "2019", REPORT],
        ["乙镇", "2019", ""],
        ["丙镇", "2019", "Annual report. GDP grew 5%."],
        ["丁镇", "2019", recipe],
        ["戊镇", "2020", REPORT],
    ]
    _write_csv(path, ["place", "year", "text"], rows, "utf-8")
    errors: list[InputError] = []
    docs = read_documents(path, errors)
    assert [d.place_hint for d in docs] == ["甲镇", "戊镇"]
    assert [type(e) for e in errors] == [RowError] * 3
    assert [e.name for e in errors if isinstance(e, RowError)] == [
        f"{path}#2", f"{path}#3", f"{path}#4"
    ]  # fmt: skip
    messages = [str(e) for e in errors]
    assert all(m.startswith(f"{path}#") and "\n" not in m for m in messages)
    assert "empty" in messages[0] and "no Chinese text" in messages[1]
    assert "does not look like a government work report" in messages[2]
    with pytest.raises(RowError, match=re.escape(f"{path}#2: ")):
        read_documents(path)  # without an errors list, a bad row is not skipped silently


def test_malformed_jsonl_line_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    good = json.dumps({"year": 2019, "content": REPORT}, ensure_ascii=False)
    path.write_text(f"{good}\n{{not json\n[1, 2]\n", encoding="utf-8")
    errors: list[InputError] = []
    assert [d.year_hint for d in read_documents(path, errors)] == [2019]
    assert [str(e).split(": ", 1)[1] for e in errors] == ["is not a JSON object"] * 2


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("header-only.csv", "province,year,full_text\n", "holds no reports"),
        ("no-text.csv", "province,year\n上海市,2026\n", "no column"),
        ("bad.parquet", "PAR1 not really", "Parquet"),
    ],
)
def test_corpus_files_without_reports_are_one_line_errors(
    tmp_path: Path, name: str, data: str, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8"))
    with pytest.raises(InputError) as info:
        read_documents(path)
    assert message in str(info.value) and str(path) in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_a_corpus_file_is_recognised_from_its_first_bytes_whatever_its_name(
    tmp_path: Path, encoding: str
) -> None:
    rows = [["省份", "年份", "正文"], ["甲省", "2019", REPORT * 30], ["乙省", "2019", REPORT]]
    path = tmp_path / "reports.txt"  # the head that is sniffed ends inside a character
    _write_csv(path, rows[0], rows[1:], encoding)
    assert may_hold_many(str(path))
    assert not may_hold_many(str(REPORTS / "jincheng-2019.txt"))
    assert [d.stem for d in read_documents(path)] == ["甲省-2019", "乙省-2019"]


def test_a_json_row_with_half_a_surrogate_pair_is_read_and_summarised(tmp_path: Path) -> None:
    # json.loads keeps "\ud800" as a lone surrogate, which no UTF-8 output can hold: it once
    # ended the run with an internal error. A pair still makes its character.
    text = (REPORTS / "luoxi-2021.txt").read_text(encoding="utf-8")
    text = text.replace("。", "。\ud800", 2) + "\ud83d\ude00"
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"title": "罗溪镇\udfff工作总结", "text": text}) + "\n", "utf-8")
    (doc,) = read_documents(str(path), [])
    assert isinstance(doc, Document)
    assert doc.text.count("\ufffd") == 2 and doc.text.endswith("😀")
    assert doc.title_hint == "罗溪镇\ufffd工作总结"
    doc.text.encode("utf-8")  # writable
    from click.testing import CliRunner

    from summarizer.cli import main

    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["summarize", str(path), "--engine", "rules", "--format",
                                  "json", "--out-dir", str(out)])  # fmt: skip
    assert r.exit_code == 0, r.output
    (written,) = (p for p in out.glob("*.json") if not p.name.startswith("."))
    assert json.loads(written.read_text(encoding="utf-8"))["achievements"]
