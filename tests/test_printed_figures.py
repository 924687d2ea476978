"""Every figure a brief prints is the validated value, digit for digit (units.value_text).

A brief that rounds 12345.67万元 to 12345.7万元 next to a ✓ shows a misstated figure as verified.
The briefs are parsed back: each printed figure must read as exactly the value of a metric of
the summary (same float, same unit), in the Markdown page, the long form and the HTML page.
"""

from __future__ import annotations

import re
from functools import cache
from html import unescape

import pytest
from conftest import CORPUS, REPORTS, SAMPLES

from summarizer.config import Settings
from summarizer.formats import render
from summarizer.ingest import read_report
from summarizer.models import ReportSummary
from summarizer.numbers import find_numbers
from summarizer.pipeline import summarize_file
from summarizer.track import target_text
from summarizer.units import value_text

# A few real reports of other kinds beside the samples: a city, an old GBK one, a national one
# published as HTML.
CORPUS_REPORTS = ["city-2024/南京.txt", "hailar-2012.gbk.txt", "national-2020.html"]

REPORT = """金湖镇2019年工作总结和2020年工作思路

一、2019年工作回顾
2019年，全镇实现地区生产总值12345.67万元，同比增长7.25%；完成固定资产投资3.14159亿元；新增就业岗位1234.5个。

二、存在的问题
发展不平衡不充分问题仍然突出。

三、2020年工作思路
2020年，力争地区生产总值达到13579.13万元，增长8.125%左右。
"""


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (69.0, "69"),
        (12345.67, "12345.67"),
        (0.00005, "0.00005"),
        (1e20, "1" + "0" * 20),
        (-3.5, "-3.5"),
        (3.14159, "3.14159"),
        (None, ""),
    ],
)
def test_a_value_prints_as_written(value, text):
    assert value_text(value) == text


def test_figures_with_many_digits_print_whole_in_every_format(tmp_path):
    path = tmp_path / "jinhu.txt"
    path.write_text(REPORT, encoding="utf-8")
    summary = summarize_file(str(path), Settings(engine="rules")).summary
    shown = {(m.value, m.unit) for m in _metrics(summary)}
    assert {(12345.67, "万元"), (3.14159, "亿元"), (1234.5, "个"), (13579.13, "万元")} <= shown
    assert summary.validation.flagged == 0
    for fmt, detail in (("md", "page"), ("md", "full"), ("html", "page")):
        out = render(summary, fmt, REPORT, detail)
        for figure in ("12345.67万元", "3.14159亿元", "1234.5个", "13579.13万元"):
            assert figure in out, (fmt, detail, figure)
        assert "12345.7万元" not in out and "3.1416亿元" not in out


def test_a_tracked_target_prints_whole():
    row = {"target_bound": "range", "target_low": 6.125, "target_high": 7.0, "target_unit": "%"}
    assert target_text(row) == "6.125–7%"
    assert target_text({**row, "target_bound": "about", "target_low": 12345.67}) == "≈12345.67%"


def _metrics(summary: ReportSummary) -> list:
    return [m for a in summary.achievements for m in a.metrics] + [
        m for p in summary.plans for m in p.targets
    ]


@cache
def _summarized(path: str) -> tuple[ReportSummary, str]:
    document = read_report(path)
    return summarize_file(document, Settings(engine="rules")).summary, document.text


_ROW = re.compile(r"^\| (?!指标 )(?P<name>[^|]*) \| (?P<value>[^|]*) \|", re.M)
_SPAN = re.compile(r'<span class="v">(?P<value>[^<]*)</span>')


def _printed(summary: ReportSummary, source: str) -> list[tuple[str, str]]:
    """(where, text) of every printed figure cell: the brief's tables and the HTML figures."""
    cells = []
    for detail in ("page", "full"):
        md = render(summary, "md", None, detail)
        cells += [(f"md {detail}", m.group("value")) for m in _ROW.finditer(md)]
    html = render(summary, "html", source)
    cells += [("html", unescape(m.group("value"))) for m in _SPAN.finditer(html)]
    return cells


@pytest.mark.parametrize(
    "path",
    [str(REPORTS / n) for n in SAMPLES] + [str(CORPUS / n) for n in CORPUS_REPORTS],
    ids=lambda p: p.rsplit("/", 1)[-1],
)
def test_every_printed_figure_reads_back_as_the_validated_value(path):
    summary, source = _summarized(path)
    values = {(m.value, m.unit) for m in _metrics(summary) if m.value is not None}
    cells = _printed(summary, source)
    assert len(cells) >= 10  # the briefs were parsed: the test below has something to check
    unstated = sum(m.value is None for m in _metrics(summary))
    no_figure = 0
    for where, text in cells:
        figures = [n for n in find_numbers(text) if not n.is_year]
        if not figures:
            no_figure += 1  # "不设具体目标": a target explicitly not set
            continue
        first = figures[0]
        assert (first.value, first.unit) in values, f"{where}: «{text}» is not a validated value"
    assert no_figure <= 3 * unstated  # each such target shows in three briefs at most
