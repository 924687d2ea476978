"""Tests for summarizer.readers.html: main text, title hints, scraped fragments."""

from __future__ import annotations

from pathlib import Path

import pytest
from inputs import CORPUS, input_error, summarize_bounded

from summarizer.ingest import read_report


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


def test_html_without_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><body><script>var a;</script></body></html>", "utf-8")
    assert "no body text" in input_error(path)


def test_h1_inside_skipped_header_is_still_the_title(tmp_path: Path) -> None:
    path = tmp_path / "p.htm"
    path.write_text(
        "<header><h1>某市政府工作报告</h1><a>首页</a></header><p>各位代表：政府工作报告。</p>",
        "utf-8",
    )
    doc = read_report(path)
    assert (doc.title_hint, doc.text) == ("某市政府工作报告", "各位代表：政府工作报告。")


@pytest.mark.parametrize("unit", ["<!--", "<a ", "<a b='", "<", "<![CDATA[", "</"])
def test_broken_markup_is_read_in_linear_time(tmp_path: Path, unit: str) -> None:
    # The standard library's parser took 4 s on 32 KB of "<!--" and 3 s on 6 KB of "<a ".
    path = tmp_path / "broken.html"
    path.write_text("<html><p>番茄炒蛋：鸡蛋打散。</p>" + unit * 100_000, encoding="utf-8")
    code, stderr = summarize_bounded(path)
    assert code == 2 and "does not look like a government work report" in stderr, stderr


def test_a_text_node_beyond_libxml2s_default_limit_is_kept_whole() -> None:
    from summarizer.readers.html import html_to_text

    paragraph = "政府工作报告。" * 600_000  # 12.6 MB of UTF-8: libxml2 drops it by default
    text, _ = html_to_text(f"<html><body><p>{paragraph}</p></body></html>")
    assert text == paragraph
