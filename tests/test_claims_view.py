"""`summarizer validate` output: a table that reads at 80 columns, --flagged-only, CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from conftest import CORPUS
from rich.cells import cell_len

from summarizer.claims_view import wrap
from summarizer.cli import main
from summarizer.numbers import find_numbers

REPORT = CORPUS / "city-2024" / "成都.txt"  # a large report: 500 claims


def _invoke(args, env=None):
    return CliRunner().invoke(main, args, env=env or {}, catch_exceptions=False)


@pytest.fixture(scope="module")
def summaries(tmp_path_factory):
    """The report's summary as made, and one with a misquoted value and a made-up quote."""
    d = tmp_path_factory.mktemp("v")
    good = d / "good.json"
    _invoke(["summarize", str(REPORT), "--format", "json", "-o", str(good)])
    data = json.loads(good.read_text(encoding="utf-8"))
    data["achievements"][2]["metrics"][0]["value"] += 1
    data["plans"][3]["targets"][0]["quote"] = "根本不存在的一句话新增投资156.78亿元"
    bad = d / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return good, bad


def test_wrapping_never_splits_a_figure():
    text = "规模工业总产值156.78亿元、同比增长9.97%，高新技术产业产值59.07亿元"
    for width in range(12, 40):
        lines = wrap(text, width)
        assert "".join(lines) == text
        assert all(cell_len(line) <= width for line in lines)
        for n in find_numbers(text):
            assert any(n.text in line for line in lines), (width, n.text)
    assert wrap("achievements[12].metrics[3]", 17, figures=False) == [
        "achievements[12].",
        "metrics[3]",
    ]


def test_the_table_reads_at_80_columns(summaries):
    _, bad = summaries
    r = _invoke(["validate", str(bad), "--source", str(REPORT)], env={"COLUMNS": "80"})
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    assert len([ln for ln in lines if "✓" in ln]) > 400  # every claim, by default
    for figure in ("25小时", "156.78亿元"):  # flagged values and quotes: whole, on one line
        assert any(figure in ln for ln in lines) or figure not in r.stdout.replace("\n", "")


def test_flagged_only_lists_just_the_flagged(summaries):
    _, bad = summaries
    r = _invoke(["validate", str(bad), "--source", str(REPORT), "--flagged-only"])
    assert r.exit_code == 1
    assert "value_mismatch" in r.stdout and "quote_not_found" in r.stdout
    assert "✓" not in r.stdout
    assert "156.78亿元" in r.stdout  # the made-up quote's figure, unbroken
    js = _invoke(
        ["validate", str(bad), "--source", str(REPORT), "--flagged-only", "--format", "json"]
    )
    v = json.loads(js.stdout)
    assert len(v["claims"]) == v["flagged"] == 2 and v["verified"] > 400


def test_csv_has_one_row_per_claim_with_its_span(summaries):
    good, bad = summaries
    r = _invoke(["validate", str(good), "--source", str(REPORT), "--format", "csv"])
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) > 400 and all(row["status"] == "verified" for row in rows)
    text = REPORT.read_text(encoding="utf-8")
    row = next(row for row in rows if row["where"].endswith("metrics[0]"))
    assert row["value"] and text[int(row["span_start"]) : int(row["span_end"])]
    flagged = _invoke(
        ["validate", str(bad), "--source", str(REPORT), "--format", "csv", "--flagged-only"]
    )
    rows = list(csv.DictReader(io.StringIO(flagged.stdout)))
    assert [r["status"] for r in rows] == ["value_mismatch", "quote_not_found"]
    assert rows[1]["span_start"] == ""  # a quote not in the report has no place


def test_validate_shows_any_summary_as_an_html_brief(summaries):
    from htmlcheck import Page

    _, bad = summaries
    r = _invoke(["validate", str(bad), "--source", str(REPORT), "--format", "html"])
    assert r.exit_code == 1 and r.stdout.startswith("<!DOCTYPE html>")
    page = Page(r.stdout)
    assert len(page.links) > 400 and page.bad_links() == []
    assert r.stdout.count('class="why"') >= 2  # both flags, with their reasons
