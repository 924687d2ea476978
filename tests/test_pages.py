"""Tests for summarizer.pages (through clean): PDF text flattened into very long lines.

No such file is in the corpus, so the inputs are built here from real reports in fixtures/,
the way a PDF extractor that lost the line breaks produces them: every paragraph indented with
two full-width spaces (official documents indent headings too), the printed lines joined with
nothing or with a space, a page footer at each page boundary (about every 1,800 characters)
wherever it falls, often inside a word or a number.
"""

from __future__ import annotations

import asyncio
import csv
import itertools
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from summarizer.clean import CleanText, clean
from summarizer.engines.rules import RulesEngine
from summarizer.grounding import normalize
from summarizer.ingest import read_report
from summarizer.pages import FLAT_LINE_CHARS
from summarizer.pipeline import prepare, summarize_report
from summarizer.records import as_data

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "corpus"
PAGE = 1800

FOOTERS: dict[str, Callable[[int], str]] = {
    "em": lambda k: f"— {k} —",
    "hyphen": lambda k: f"- {k} -",
    "tight": lambda k: f"—{k}—",
    "of": lambda k: f"第 {k} 页 共 20 页",
}
_NUMBER_RE = re.compile(r"\d[\d.]")
_HEADING_RE = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]")


def _province(name: str) -> str:
    csv.field_size_limit(sys.maxsize)
    path = next((CORPUS / "province-2026").glob(f"*{name}*.csv"))
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return next(csv.DictReader(fh))["full_text"]


def _paragraphs(source: str) -> list[str]:
    return clean(source).text.split("\n")


SOURCES: dict[str, Callable[[], str]] = {
    "北京市": lambda: _province("北京市"),
    "广东省": lambda: _province("广东省"),
    "南京": lambda: (CORPUS / "city-2024" / "南京.txt").read_text(encoding="utf-8"),
}


def flatten(
    paragraphs: list[str],
    footer: Callable[[int], str],
    join: str = "",
    indent: str = "\u3000\u3000",
) -> str:
    """One line: the paragraphs indented and joined, a footer at every page boundary. Every
    odd page ends inside a number when one is near ("5" / "— 3 —" / ".2%")."""
    text = join.join(indent + p for p in paragraphs)
    out: list[str] = []
    pos, page = 0, 1
    while pos + PAGE < len(text):
        cut = pos + PAGE
        number = _NUMBER_RE.search(text, cut - 200, cut + 200) if page % 2 else None
        if number:
            cut = number.start() + 1
        out += [text[pos:cut], join + footer(page) + join]
        pos, page = cut, page + 1
    return "".join([*out, text[pos:]])


def assert_exact_map(source: str, result: CleanText) -> None:
    """Every cleaned character sits on its source character; a restored paragraph break sits on
    the whitespace it replaces or, where the flattening left none, on the sentence end."""
    offsets = result.offsets
    assert len(offsets) == len(result.text)
    assert all(a <= b for a, b in itertools.pairwise(offsets))
    for i, ch in enumerate(result.text):
        src = source[offsets[i]]
        if ch.isspace():
            assert src.isspace() or src in "。！？!?”’）)", (i, src)
        else:
            assert src == ch, (i, ch, src)


@pytest.mark.parametrize("join", ["", " "], ids=["joined", "spaced"])
@pytest.mark.parametrize("style", sorted(FOOTERS))
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_flattened_report_gets_its_paragraphs_back(name: str, style: str, join: str) -> None:
    paragraphs = _paragraphs(SOURCES[name]())
    flat = flatten(paragraphs, FOOTERS[style], join)
    assert "\n" not in flat and len(flat) > 8 * PAGE
    result = clean(flat)
    assert result.text.split("\n") == paragraphs
    assert_exact_map(flat, result)


@pytest.mark.parametrize("join", ["", " "], ids=["joined", "spaced"])
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_a_page_per_line_is_flattened_text_too(name: str, join: str) -> None:
    # Some extractors flatten each page into a line: the page breaks fall anywhere, and only
    # the indent at the start of the next page tells a new paragraph from a continued one.
    paragraphs = _paragraphs(SOURCES[name]())
    flat = flatten(paragraphs, FOOTERS["em"], join)
    pages = [flat[k : k + 1900] for k in range(0, len(flat), 1900)]
    assert min(map(len, pages[:-1])) >= FLAT_LINE_CHARS
    text = "\n".join(pages)
    result = clean(text)
    assert result.text.split("\n") == paragraphs
    assert_exact_map(text, result)


def test_without_indentation_headings_after_a_sentence_end_open_a_line() -> None:
    paragraphs = _paragraphs(SOURCES["北京市"]())
    result = clean(flatten(paragraphs, FOOTERS["em"], indent=""))
    lines = result.text.split("\n")
    assert normalize(result.text) == normalize("".join(paragraphs))
    # Every numbered heading that follows a finished paragraph starts a line again.
    expected = [
        p
        for prev, p in itertools.pairwise(paragraphs)
        if _HEADING_RE.match(p) and prev[-1] in "。！"
    ]
    assert len(expected) > 8
    for heading in expected:
        assert any(line.startswith(heading) for line in lines), heading


def test_a_real_pdf_extraction_flattened() -> None:
    # 承德's report is real pdftotext output: hard-wrapped lines, "— 1 —" footers between them.
    raw = (CORPUS / "city-2024" / "承德.txt").read_text(encoding="utf-8")
    flat = "".join(line.strip() for line in raw.split("\n") if line.strip())
    assert "全面— 1 —贯彻落实" in flat
    result = clean(flat)
    assert not re.search(r"— ?\d+ ?—", result.text)
    assert normalize(result.text) == normalize(clean(raw).text)
    assert "全面贯彻落实党的二十大精神" in result.text
    assert any(line.startswith("二、2024年目标任务和主要工作") for line in result.text.split("\n"))
    assert_exact_map(flat, result)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("地区生产总值增长 — 3 — 5.2%，", "地区生产总值增长5.2%，"),
        ("地区生产总值增长5 — 3 — .2%，", "地区生产总值增长5.2%，"),
        ("地区生产总值增长5—3—.2%，", "地区生产总值增长5.2%，"),
        ("全面贯- 12 -彻落实党的二十大精神，", "全面贯彻落实党的二十大精神，"),
        ("全面贯彻落第 3 页 共 20 页实党的二十大精神，", "全面贯彻落实党的二十大精神，"),
        # Half a footer, its closing dash lost at the end of the text (承德's last page).
        ("奋力开创现代化建设新局面！— 23", "奋力开创现代化建设新局面！"),
        ("奋力开创现代化建设新局面！\n\n— 23\n", "奋力开创现代化建设新局面！"),
        # Dates, ranges and hyphenated names are not footers.
        ("发布时间为2026-02-09，完成1—2月任务，建设北京-雄安走廊，G-3-X型，", None),
        ("“十四五”时期（2021—2025年）年均增长5.5%，", None),
    ],
)
def test_footers_inside_sentences_words_and_numbers(text: str, expected: str | None) -> None:
    result = clean(text)
    assert result.text == (expected or text)
    assert_exact_map(text, result)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "地 区 生 产 总 值 增 长 5 . 2 % ， 达 到 1 2 3 4 亿 元 。",
            "地区生产总值增长5.2%，达到1234亿元。",
        ),
        ("——1 9 9 8年3月5日在第九届全国人民代表大会", "——1998年3月5日在第九届全国人民代表大会"),
        (
            "国内生产总值达到7 4 7 7 2亿元，平均每年增长1 1％。",
            "国内生产总值达到74772亿元，平均每年增长11％。",
        ),
        ("比例为3.6 : 48 : 48.4", "比例为3.6 : 48 : 48.4"),  # tokens, not spaced digits
    ],
)
def test_spaced_out_characters(text: str, expected: str) -> None:
    assert clean(text).text == expected


def test_a_break_without_whitespace_maps_to_the_sentence_end() -> None:
    body = "全市生产总值增长5.4%。" * 100
    flat = f"{body}二、2026年主要任务{body}（一）全力促进经济平稳健康发展{body}"
    result = clean(flat)
    lines = result.text.split("\n")
    assert [line[:6] for line in lines] == ["全市生产总值", "二、2026", "（一）全力促"]
    assert_exact_map(flat, result)
    first_break = result.text.index("\n")
    assert flat[result.offsets[first_break]] == "。"


def test_a_report_collection_line_with_tabs_and_indents() -> None:
    # The national corpus file keeps each report on one line, its line breaks turned into tabs
    # and full-width spaces: the same evidence of lost paragraph starts as a flattened PDF.
    line = next(
        row
        for row in (CORPUS / "national-1954-2004.tsv").read_text(encoding="utf-8").split("\n")
        if row.startswith("2003\t")
    )
    body = line.split("\t", 1)[1]
    lines = clean(body).text.split("\n")
    assert lines[:4] == [
        "2003年政府工作报告",
        "——2003年3月5日在第十届全国人民代表大会第一次会议上",
        "国务院总理朱镕基",
        "各位代表:",
    ]
    assert len(lines) > 100
    assert_exact_map(body, clean(body))


@pytest.mark.parametrize("seed", range(12))
def test_mixed_inputs_keep_the_offset_map_exact(seed: int) -> None:
    # Pieces of real rows (web chrome included), flattened stretches, footers anywhere,
    # spaced-out digits, stray brackets and blank lines, in random order: whatever clean
    # makes of them, every kept character sits on its source and nothing is invented.
    rng = random.Random(seed)
    source_lines = _province(rng.choice(["北京市", "陕西省", "云南省", "广东省"])).split("\n")
    pieces: list[str] = []
    for _ in range(60):
        kind = rng.random()
        line = rng.choice(source_lines)
        if kind < 0.15:
            line = flatten(
                source_lines[:40], rng.choice(list(FOOTERS.values())), rng.choice(["", " "])
            )
        elif kind < 0.3:
            k = rng.randrange(len(line) + 1)
            line = (
                line[:k] + rng.choice([" — 7 — ", "- 8 -", "第 9 页 共 20 页", "—10—"]) + line[k:]
            )
        elif kind < 0.4:
            line = rng.choice(["（", "】", ">", "|", "", "\u3000\u3000", "1 9 9 8年", "PM", "2.5"])
        pieces.append(line)
    text = "\n".join(pieces)
    result = clean(text)
    assert_exact_map(text, result)
    normal = iter(normalize(text))
    assert all(ch in normal for ch in normalize(result.text))
    assert all(line and line == line.strip() for line in result.text.split("\n") if result.text)


def _tsv_body(year: int) -> str:
    rows = (CORPUS / "national-1954-2004.tsv").read_text(encoding="utf-8").split("\n")
    return next(row for row in rows if row.startswith(f"{year}\t")).split("\t", 1)[1]


WRAPPED = {
    "咸宁": lambda: (CORPUS / "city-2024" / "咸宁.txt").read_text(encoding="utf-8"),
    "辽宁省": lambda: _province("辽宁省"),
    "1959": lambda: _tsv_body(1959),
    "1982": lambda: _tsv_body(1982),
}


@pytest.mark.parametrize("width", [24, 29, 33])
@pytest.mark.parametrize("name", sorted(WRAPPED))
def test_hard_wrapped_real_reports_lose_nothing(name: str, width: int) -> None:
    # The same reports as pdftotext prints them: every paragraph cut into lines of `width`
    # characters, a blank line after each. No cleaning rule may take a wrapped line for
    # chrome, a caption or a footer (enumerations "…钢、原油、硫酸、", "50—100", "一九八○年"
    # cut at its ○, "…代表大会作政府工作报告" were all lost once).
    paragraphs = _paragraphs(WRAPPED[name]())
    lines = [p[k : k + width] for p in paragraphs for k in range(0, len(p), width)]
    result = clean("\n\n".join(lines))
    assert normalize(result.text) == normalize("".join(paragraphs))


def _summary_of(path: Path) -> dict[str, object]:
    summary = asyncio.run(summarize_report(prepare(read_report(path), 6000), RulesEngine())).summary
    # A metric's span is an offset in the file as read, which flattening moves; all else stays.
    dump = {
        k: as_data(getattr(summary, k)) for k in ("overview", "achievements", "problems", "plans")
    }
    for item in [*dump["achievements"], *dump["plans"]]:
        for m in item.get("metrics", item.get("targets", [])):
            del m["span"]
    return dump | {
        k: getattr(summary.meta, k) for k in ("title", "issuer", "review_period", "plan_period")
    }


def test_a_flattened_report_summarises_as_the_report_does(tmp_path: Path) -> None:
    # End to end (offline engine): what the brief says of a report must not depend on
    # whether its PDF text came out flattened with footers inside words and numbers.
    paragraphs = _paragraphs(SOURCES["北京市"]())
    whole, flat = tmp_path / "whole.txt", tmp_path / "flat.txt"
    whole.write_text("\n".join(paragraphs), encoding="utf-8")
    flat.write_text(flatten(paragraphs, FOOTERS["em"]), encoding="utf-8")
    assert _summary_of(flat) == _summary_of(whole)
