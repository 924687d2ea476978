"""Tracking: each year's target against the outcome the next report gives."""

from __future__ import annotations

import csv
import io
import json
import warnings

import pytest
from click.testing import CliRunner
from conftest import CORPUS

from summarizer.cli import main
from summarizer.panel import Summarized
from summarizer.records import Achievement, Meta, Metric, Plan, ReportSummary, replace
from summarizer.track import TRACK_COLUMNS, render_markdown, target_text, track_rows, write_plot


def _report(year: int, targets=(), actuals=(), place: str = "某市") -> Summarized:
    meta = Meta(
        source=f"{place}-{year}.txt",
        source_sha256="0" * 64,
        issuer=f"{place}人民政府",
        level="city",
        review_period=str(year - 1),
        plan_period=str(year),
        engine="rules",
    )
    s = ReportSummary(
        meta=meta,
        plans=[Plan(area="目标", text="", targets=list(targets))],
        achievements=[Achievement(area="成绩", text="", metrics=list(actuals))],
    )
    return Summarized(s)


def _t(indicator, bound, low, high, value=None, change="增长", unit="%") -> Metric:
    shown = value if value is not None else (low if low is not None else high)
    return Metric(name="x", value=shown, unit=unit, kind="target", quote=f"目标{low}{high}",
                  change=change, indicator=indicator, bound=bound, low=low, high=high)  # fmt: skip


def _a(indicator, value, change="增长", unit="%") -> Metric:
    return Metric(name="x", value=value, unit=unit, kind="actual", quote=f"实绩{value}",
                  change=f"{change}{value}%", indicator=indicator)  # fmt: skip


def _one(rows, year):
    return next(r for r in rows if r["year"] == year)


def test_statuses_and_gap():
    reports = [
        _report(2021, [_t("gdp_growth", "at_least", 6, None)]),
        _report(2022, [_t("gdp_growth", "about", 5.5, 5.5)], [_a("gdp_growth", 8.1)]),
        _report(2023, [_t("gdp_growth", "range", 5, 5.5)], [_a("gdp_growth", 3.0)]),
        _report(
            2024,
            [
                Metric(
                    name="经济增速",
                    value=None,
                    unit="%",
                    kind="target",
                    quote="没有提出具体目标",
                    indicator="gdp_growth",
                    bound="none",
                )
            ],
            [_a("gdp_growth", 5.2)],
        ),
        _report(2025, [], [_a("gdp_growth", 4.0)]),
        _report(2026, [_t("gdp_growth", "about", 5, 5)], [_a("gdp_growth", 5.0)]),
    ]
    rows = track_rows(reports, ["gdp_growth"])
    assert tuple(rows[0]) == TRACK_COLUMNS
    assert (_one(rows, 2021)["status"], _one(rows, 2021)["gap"]) == ("met", pytest.approx(2.1))
    assert (_one(rows, 2022)["status"], _one(rows, 2022)["gap"]) == ("missed", pytest.approx(-2.5))
    # A range is decided by its low end: 5.2 against 5–5.5.
    assert _one(rows, 2023)["status"] == "met" and _one(rows, 2023)["gap"] == pytest.approx(0.2)
    assert _one(rows, 2024)["status"] == "no_target" and _one(rows, 2024)["gap"] is None
    assert _one(rows, 2025)["status"] == "unknown"  # an outcome (in 2026's report), no target
    assert _one(rows, 2026)["status"] == "no_outcome"


def test_a_ceiling_is_met_below_its_high_end():
    reports = [
        _report(2023, [_t("cpi", "about", 3, 3)]),
        _report(2024, [_t("cpi", "at_most", None, 3)], [_a("cpi", 0.2)]),
        _report(2025, [], [_a("cpi", 3.4)]),
    ]
    rows = track_rows(reports, ["cpi"])
    assert (_one(rows, 2023)["status"], _one(rows, 2023)["gap"]) == ("met", pytest.approx(-2.8))
    assert (_one(rows, 2024)["status"], _one(rows, 2024)["gap"]) == ("missed", pytest.approx(0.4))


def test_a_fall_counts_as_negative():
    # 单位GDP能耗下降3%左右 (a ceiling of -3), outcome 下降3.5% (-3.5): met.
    reports = [
        _report(2023, [_t("energy_intensity", "about", 3, 3, change="下降3%左右")]),
        _report(2024, [], [_a("energy_intensity", 3.5, change="下降")]),
    ]
    (row,) = track_rows(reports, ["energy_intensity"])
    assert (row["target_low"], row["outcome"], row["status"]) == (-3, -3.5, "met")


def test_no_outcome_and_unknown():
    rows = track_rows([_report(2024, [], [_a("gdp_growth", 5.0)])], ["gdp_growth"])
    assert _one(rows, 2023)["status"] == "unknown"  # an outcome, but no report set a target
    rows = track_rows([_report(2024, [_t("gdp_growth", "about", 5, 5)])], ["gdp_growth"])
    assert _one(rows, 2024)["status"] == "no_outcome"


def test_places_are_matched_through_the_normalised_issuer():
    a = _report(2020, [_t("gdp_growth", "at_least", 7.5, None)], place="常州空港产业园（罗溪镇）")
    b = _report(2021, [], [_a("gdp_growth", 8.0)], place="罗溪镇")
    (row,) = track_rows([a, b], ["gdp_growth"])
    assert (row["place"], row["year"], row["status"]) == ("罗溪镇", 2020, "met")


def test_a_national_series_is_named_as_the_state_council_names_it():
    national = Meta(
        source="gov-2018.txt",
        source_sha256="0" * 64,
        issuer="国务院",
        level="national",
        review_period="2017",
        plan_period="2018",
        engine="rules",
    )
    a = _report(2018, [_t("gdp_growth", "about", 6.5, 6.5)])
    a = Summarized(replace(a.summary, meta=national), a.place_hint)
    md = render_markdown(track_rows([a], ["gdp_growth"]))
    assert "| 国务院 | 国内生产总值增速 | 2018 |" in md


def test_markdown_view_and_target_text():
    rows = track_rows([_report(2023, [_t("gdp_growth", "range", 6.5, 7)]),
                       _report(2024, [], [_a("gdp_growth", 6.8)])], ["gdp_growth"])  # fmt: skip
    md = render_markdown(rows, "chart.png")
    assert "| 地区 | 指标 | 年份 | 目标 | 实绩 | 结果 | 差距 |" in md
    assert "| 某市 | 地区生产总值增速 | 2023 | 6.5–7% | 6.8% | ✓ 完成 | +0.3 |" in md
    assert "![目标与实绩](chart.png)" in md
    assert target_text({**rows[0], "target_bound": "none"}) == "不设具体目标"
    assert target_text({**rows[0], "target_bound": "at_least", "target_low": 5}) == "≥5%"


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_the_plot_file(tmp_path, suffix):
    pytest.importorskip("matplotlib")
    rows = track_rows([
        _report(2022, [_t("gdp_growth", "range", 5, 5.5)]),
        _report(2023, [_t("gdp_growth", "at_least", 6, None)], [_a("gdp_growth", 5.2)]),
        _report(2024, [], [_a("gdp_growth", 6.3)]),
    ], ["gdp_growth"])  # fmt: skip
    out = tmp_path / f"chart{suffix}"
    write_plot(rows, str(out))  # (its warning for a machine without a Chinese font: below)
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in data[:2000]
    assert not list(tmp_path.glob(".*tmp*"))


def test_a_machine_without_a_chinese_font_gets_one_warning_line_not_matplotlibs_flood(
    tmp_path, monkeypatch
):
    pytest.importorskip("matplotlib")
    from summarizer import plot

    monkeypatch.setattr(plot, "_CJK_FONTS", ())
    monkeypatch.setattr(plot, "_CJK_NAME_WORDS", ())  # as where none is installed
    lines = (CORPUS / "national-1954-2004.tsv").read_text(encoding="utf-8").splitlines()
    tsv = tmp_path / "national.tsv"
    tsv.write_text("\n".join(x for x in lines if x[:4] in ("1997", "1998")) + "\n",
                   encoding="utf-8")  # fmt: skip
    chart = tmp_path / "chart.png"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a matplotlib glyph warning would fail the run
        r = CliRunner().invoke(main, ["track", str(tsv), "--indicator", "gdp_growth",
                                      "--plot", str(chart)])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert chart.read_bytes().startswith(b"\x89PNG")
    warned = [x for x in r.stderr.splitlines() if "warning" in x]
    assert warned == [f"summarizer: warning: {chart}: {plot.NO_CJK_FONT}"]
    # A font named like a Chinese one but without its glyphs (matplotlib's own DejaVu) is no
    # Chinese font either.
    monkeypatch.setattr(plot, "_CJK_NAME_WORDS", ("DejaVu",))
    assert plot._pyplot()[1] is False
    monkeypatch.undo()
    if plot._pyplot()[1]:  # a machine with a Chinese font is not warned
        r = CliRunner().invoke(main, ["track", str(tsv), "--indicator", "gdp_growth",
                                      "--plot", str(chart)])  # fmt: skip
        assert "warning" not in r.stderr


def test_national_series_end_to_end(tmp_path):
    # Three State Council reports: 1997 target 8% and 1998's 8.8%; 1998 target 8% and 7.8%.
    lines = (CORPUS / "national-1954-2004.tsv").read_text(encoding="utf-8").splitlines()
    tsv = tmp_path / "national.tsv"
    tsv.write_text("\n".join(x for x in lines if x[:4] in ("1997", "1998", "1999")) + "\n",
                   encoding="utf-8")  # fmt: skip
    r = CliRunner().invoke(main, ["track", str(tsv), "--indicator", "gdp_growth",
                                  "--format", "csv"])  # fmt: skip
    assert r.exit_code == 0, r.output
    rows = {int(x["year"]): x for x in csv.DictReader(io.StringIO(r.stdout))}
    assert tuple(next(iter(rows.values()))) == TRACK_COLUMNS
    assert (rows[1997]["target_bound"], rows[1997]["target_low"]) == ("exact", "8")
    assert (rows[1997]["outcome"], rows[1997]["status"]) == ("8.8", "met")
    assert (rows[1998]["outcome"], rows[1998]["status"], rows[1998]["gap"]) == (
        "7.8",
        "missed",
        "-0.2",
    )
    assert (rows[1999]["target_bound"], rows[1999]["status"]) == ("about", "no_outcome")
    assert all(x["place"] == "国务院" for x in rows.values())
    r = CliRunner().invoke(
        main, ["track", str(tsv), "--indicator", "gdp_growth", "--format", "json"]
    )
    by_year = {x["year"]: x["status"] for x in json.loads(r.stdout)}
    assert [by_year[y] for y in (1997, 1998, 1999)] == ["met", "missed", "no_outcome"]
    assert by_year[1996] == "unknown"  # 1996's outcome, but its report is not in this file


def test_track_usage_errors(tmp_path):
    r = CliRunner().invoke(main, ["track", str(tmp_path), "--indicator", "gdp"])
    assert r.exit_code == 2 and "no report" in r.output
    r = CliRunner().invoke(main, ["track", "x.txt", "--indicator", "nonsense"])
    assert r.exit_code == 2 and "unknown indicator" in r.output


def test_the_verb_of_the_figure_decides_its_sign():
    # 不仅没有下降，而且将比上年增长3%: a rise, though a fall is named first.
    reports = [
        _report(2023, [_t("gdp_growth", "exact", 4, 4)]),
        _report(2024, [], [_a("gdp_growth", 3.0, change="不仅没有下降，而且将比上年增长")]),
    ]
    (row,) = track_rows(reports, ["gdp_growth"])
    assert (row["outcome"], row["status"], row["gap"]) == (3.0, "missed", -1.0)


def test_a_period_taken_from_the_part_does_not_move_the_year():
    # A figure that states no period takes its part's years (period_source "part"); the part
    # of a misread report may span years, which must not make the figure several years' own.
    outcome = replace(_a("gdp_growth", 7.8), period="1998-1999", period_source="part")  # fmt: skip
    reports = [_report(1998, [_t("gdp_growth", "exact", 8, 8)]), _report(1999, [], [outcome])]
    (row,) = track_rows(reports, ["gdp_growth"])
    assert (row["year"], row["outcome"], row["status"]) == (1998, 7.8, "missed")
