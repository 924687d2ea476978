"""The panel: one row per figure of many reports, loading into pandas with no cleaning."""

from __future__ import annotations

import csv
import io
import sys

import pytest
from click.testing import CliRunner
from conftest import CORPUS, REPORTS

from summarizer.cli import main
from summarizer.config import Settings
from summarizer.errors import UsageError
from summarizer.ingest import read_report
from summarizer.panel import (
    PANEL_COLUMNS,
    Summarized,
    normalise_place,
    panel_rows,
    place_of,
    write_table,
)
from summarizer.pipeline import summarize_file
from summarizer.records import replace


@pytest.fixture(scope="module")
def luoxi() -> Summarized:
    doc = read_report(REPORTS / "luoxi-2019.txt")
    return Summarized(summarize_file(doc, Settings(engine="rules")).summary)


def test_a_level_with_its_growth_gives_two_rows(luoxi):
    rows = [r for r in panel_rows([luoxi]) if r["name"] == "地区生产总值" and r["kind"] == "actual"]
    assert [(r["indicator"], r["value"], r["unit"]) for r in rows] == [
        ("gdp", 69, "亿元"),
        ("gdp_growth", 7, "%"),
    ]
    assert all(r["status"] == "verified" and r["quote"] == rows[0]["quote"] for r in rows)
    target = next(r for r in panel_rows([luoxi]) if r["indicator"] == "gdp_growth"
                  and r["kind"] == "target")  # fmt: skip
    assert (target["bound"], target["low"], target["high"]) == ("at_least", 7.5, None)
    assert target["place"] == "罗溪镇" and target["report_year"] == 2020


def test_places_are_normalised_across_spellings():
    assert normalise_place("常州空港产业园（罗溪镇）") == "罗溪镇"
    assert normalise_place("常州空港产业园（罗溪镇）人民政府") == "罗溪镇"
    assert normalise_place("罗溪镇人民政府") == "罗溪镇"
    assert normalise_place("中华人民共和国国务院") == "国务院"


def test_csv_to_stdout_loads_into_pandas_with_no_cleaning(tmp_path):
    pd = pytest.importorskip("pandas")
    r = CliRunner().invoke(main, ["panel", str(REPORTS / "luoxi-2019.txt")])
    assert r.exit_code == 0, r.output
    frame = pd.read_csv(io.StringIO(r.stdout))
    assert tuple(frame.columns) == PANEL_COLUMNS
    assert pd.api.types.is_numeric_dtype(frame["value"])
    assert pd.api.types.is_numeric_dtype(frame["span_start"])
    assert (frame["place"] == "罗溪镇").all()
    assert "gdp_growth" in set(frame["indicator"].dropna())


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_parquet_and_excel_round_trip(luoxi, tmp_path, suffix):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow" if suffix == ".parquet" else "openpyxl")
    rows = panel_rows([luoxi])
    out = tmp_path / f"panel{suffix}"
    write_table(rows, PANEL_COLUMNS, str(out))
    back = pd.read_parquet(out) if suffix == ".parquet" else pd.read_excel(out)
    assert tuple(back.columns) == PANEL_COLUMNS and len(back) == len(rows)
    assert list(back["value"]) == pytest.approx([r["value"] for r in rows])
    assert list(back["quote"]) == [r["quote"] for r in rows]
    assert not list(tmp_path.glob(".*tmp*"))  # written atomically, nothing left behind


def test_csv_needs_no_pandas(luoxi, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if the tables extra were missing
    out = tmp_path / "p.csv"
    write_table(panel_rows([luoxi]), PANEL_COLUMNS, str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and tuple(rows[0]) == PANEL_COLUMNS
    with pytest.raises(UsageError, match=r"summarizer\[tables\]"):
        write_table(panel_rows([luoxi]), PANEL_COLUMNS, str(tmp_path / "p.parquet"))


def test_a_corpus_file_gives_one_report_per_row_with_its_place(tmp_path):
    src = CORPUS / "province-2026" / "2026_福建省_政府工作报告.csv"
    r = CliRunner().invoke(main, ["panel", str(src), "-o", str(tmp_path / "p.csv")])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader((tmp_path / "p.csv").open(encoding="utf-8")))
    assert {row["place"] for row in rows} == {"福建省"}
    gdp = [row for row in rows if row["indicator"] == "gdp_growth" and row["kind"] == "target"]
    assert [(g["value"], g["bound"]) for g in gdp] == [("5", "about")]


def test_bad_inputs_are_one_line_errors(tmp_path):
    r = CliRunner().invoke(main, ["panel", str(tmp_path / "missing.txt")])
    assert r.exit_code == 2 and "not found" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["panel", str(REPORTS / "luoxi-2019.txt"), "-o", "x.json"])
    assert r.exit_code == 2 and ".parquet" in r.output


def test_place_prefers_the_corpus_row(luoxi):
    assert place_of(Summarized(luoxi.summary, place_hint="某某镇")) == "某某镇"


def test_a_bad_row_is_named_and_the_others_are_read(tmp_path):
    # A JSONL corpus made from a real report, plus a row that is no report at all.
    import json

    text = (REPORTS / "luoxi-2019.txt").read_text(encoding="utf-8")
    rows = [{"place": "罗溪镇", "year": 2019, "text": text},
            {"place": "某地", "year": 2020, "text": "今天天气很好，我们去公园散步。"}]  # fmt: skip
    src = tmp_path / "corpus.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    r = CliRunner().invoke(main, ["panel", str(src), "-o", str(tmp_path / "p.csv")])
    assert r.exit_code == 1  # one report failed, the other was written
    assert "corpus.jsonl#2020" in r.output and "Traceback" not in r.output
    written = list(csv.DictReader((tmp_path / "p.csv").open(encoding="utf-8")))
    assert written and {w["place"] for w in written} == {"罗溪镇"}


def test_a_file_named_after_its_place_outranks_a_misread_issuer(luoxi):
    def with_meta(source: str, issuer: str) -> Summarized:
        meta = replace(luoxi.summary.meta, source=source, issuer=issuer)
        return Summarized(replace(luoxi.summary, meta=meta))

    # Two cities whose issuer was misread alike stay two places.
    assert place_of(with_meta("city-2024/东营.txt", "发展市人民政府")) == "东营市"
    assert place_of(with_meta("city-2024/合肥.txt", "发展市人民政府")) == "合肥市"
    assert place_of(with_meta("city-2024/南京.txt", "南京市人民政府")) == "南京市"
    assert place_of(with_meta("常州空港产业园（罗溪镇）2020.txt", "罗溪镇人民政府")) == "罗溪镇"
    assert place_of(with_meta("luoxi-2019.txt", "常州空港产业园（罗溪镇）")) == "罗溪镇"
