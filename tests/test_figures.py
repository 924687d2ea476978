"""The figure table: what it returns for a substring is what parsing the substring returns."""

from __future__ import annotations

import bisect
import random
import re
from pathlib import Path

import pytest

from summarizer.clean import clean
from summarizer.figures import FigureTable
from summarizer.ingest import read_documents
from summarizer.numbers import KNOWN, find_numbers
from summarizer.periods import find_periods
from summarizer.screen import screen

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"
_CLAUSE = re.compile(r"[，。；：！？;!?\n]|(?<![0-9])[,:]|[,:](?![0-9])")
_SENTENCE = re.compile(r"[。！？!?\n]")


def _same(table: FigureTable, a: int, b: int) -> None:
    sub = table.text[a:b]
    KNOWN.clear()  # the table records what it reads there: parse the substring for real
    parsed = tuple(find_numbers(sub))
    assert table.numbers(a, b) == parsed, sub
    assert table.periods_in(a, b) == tuple(find_periods(sub)), sub


def _spans(text: str, rng: random.Random) -> list[tuple[int, int]]:
    """Every clause and sentence (as the engine and validation cut them), clauses with their
    stop, pairs of clauses, and random stretches."""
    cuts = [0, *(m.start() for m in _CLAUSE.finditer(text)), len(text)]
    ends = [0, *(m.start() + 1 for m in _SENTENCE.finditer(text)), len(text)]
    spans = [(cuts[k] + (k > 0), cuts[k + 1]) for k in range(len(cuts) - 1)]
    spans += [(cuts[k], cuts[k + 1]) for k in range(1, len(cuts) - 1)]
    spans += [(cuts[k] + 1, cuts[k + 2]) for k in range(1, len(cuts) - 2)]
    spans += [(ends[k], ends[k + 1] - 1) for k in range(len(ends) - 1)]
    spans += [
        (a, min(len(text), a + rng.randint(1, 80)))
        for a in (rng.randrange(len(text)) for _ in range(300))
    ]
    return [(a, b) for a, b in spans if a < b]


@pytest.mark.parametrize(
    "name",
    [
        "chongzuo-2024.txt",
        "hailar-2012.gbk.txt",
        "national-2011.txt",
        "national-2020.html",
        "qiandongnan-2024.txt",
    ],
)
def test_every_clause_of_a_real_report_reads_as_parsed_alone(name: str) -> None:
    rng = random.Random(name)
    for doc in read_documents(str(CORPUS / name), []):
        table = FigureTable(screen(clean(doc.text)).text)
        assert list(table.mentions) == find_numbers(table.text)
        assert table.periods == find_periods(table.text)
        for a, b in _spans(table.text, rng):
            _same(table, a, b)


def test_old_national_reports_read_as_parsed_alone() -> None:
    # Chinese numerals, full-width digits grouped with "，", 一九五四年 and 比一九五二年 bases.
    docs = read_documents(str(CORPUS / "national-1954-2004.tsv"), [])
    rng = random.Random(7)
    for doc in docs[:: max(1, len(docs) // 6)]:
        table = FigureTable(screen(clean(doc.text)).text)
        for a, b in _spans(table.text, rng):
            _same(table, a, b)


@pytest.mark.parametrize(
    ("text", "a", "b"),
    [
        ("完成任务，1.加快发展，增长5%。", 5, 16),  # "1." opens the substring: an enumerator
        ("收入为２８，０４９，７８０元。", 7, 15),  # full-width thousands across the cut
        ("实施“十三五，规划”项目3个。", 7, 15),  # a quoted name across the cut
        ("与2019年相比，增长5%。", 0, 7),  # the base word lies past the cut
        ("与2019年相比，增长5%。", 0, 8),
        ("全市增长\n5%，较好。", 5, 8),  # a line break is no clause stop
        ("到2025年，达到100亿元。", 0, 7),
        ("比上年增长 5 亿元，其中", 5, 9),  # a cut inside a figure
    ],
)
def test_cuts_where_context_matters_read_as_parsed_alone(text: str, a: int, b: int) -> None:
    _same(FigureTable(text), a, b)


@pytest.mark.from_source
def test_a_clause_is_read_from_the_table_not_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "全市生产总值69亿元，同比增长7%；财政收入5.2亿元。"
    table = FigureTable(text)
    calls: list[str] = []
    import summarizer.figures as figures

    def counting(s: str) -> list:
        calls.append(s)
        return find_numbers(s)

    monkeypatch.setattr(figures, "find_numbers", counting)
    got = table.numbers(11, 17)
    assert [(m.text, m.start, m.is_change) for m in got] == [("7%", 4, True)]
    assert calls == []  # a clause between two stops: no parse
    table.numbers(2, 8)  # a cut inside a word: parsed on its own
    assert calls == [text[2:8]]
    # What the table read is what parsing the clause gives, and a pass handed only the
    # clause's string (bounds, the re-ask checks) gets it without a parse.
    assert find_numbers(text[11:17]) == list(got)
    KNOWN.clear()
    assert find_numbers(text[11:17]) == list(got)


def _before_each_figure(table: FigureTable) -> list[tuple[int, int]]:
    """(sentence start, figure start) for every figure of the text, as a kind check reads it."""
    text = table.text
    starts = [0, *(m.start() + 1 for m in _SENTENCE.finditer(text))]
    out = []
    for m in table.mentions:
        a = starts[bisect.bisect_right(starts, m.start) - 1]
        out += [(a, m.start), (a, m.start + 1)]  # and one character in, a cut inside it
    return out


@pytest.mark.parametrize(
    "name", ["national-2011.txt", "national-2020.html", "qiandongnan-2024.txt", "chongzuo-2024.txt"]
)
def test_the_periods_before_each_figure_of_a_sentence_read_as_parsed_alone(name: str) -> None:
    for doc in read_documents(str(CORPUS / name), []):
        table = FigureTable(screen(clean(doc.text)).text)
        for a, x in _before_each_figure(table):
            assert table.periods_before(a, x) == tuple(find_periods(table.text[a:x])), (a, x)


def test_the_periods_before_a_figure_in_old_national_reports() -> None:
    # 由一九四九年的28.8%: the year before the figure is its own period there, not a base.
    docs = read_documents(str(CORPUS / "national-1954-2004.tsv"), [])
    for doc in docs[:: max(1, len(docs) // 8)]:
        table = FigureTable(screen(clean(doc.text)).text)
        for a, x in _before_each_figure(table):
            assert table.periods_before(a, x) == tuple(find_periods(table.text[a:x])), (a, x)


@pytest.mark.parametrize(
    ("text", "x"),
    [
        ("这一比重将由一九四九年的28.8%提高到一九五七年的37%。", 13),  # a base past the cut
        ("比\n2019年增长5%。", 10),  # a base word on the line before
        ("截至2019年10月，增长5%。", 9),  # a period across the cut
        ("2019年", 4),  # the pattern reads the character at the cut
    ],
)
def test_cuts_before_a_figure_where_context_matters(text: str, x: int) -> None:
    table = FigureTable(text)
    a = text.index("\n") + 1 if "\n" in text else 0
    assert table.periods_before(a, x) == tuple(find_periods(text[a:x]))


def test_the_mentions_read_back_as_the_parsed_list() -> None:
    from summarizer.figures import Mentions

    text = "增长7%，增长-0.0%，增长0.0%，投资7亿元，投资7亿元，第2位。产值5—10万元"
    parsed = find_numbers(text)
    ms = Mentions(parsed)
    assert len(ms) == len(parsed)
    assert list(ms) == parsed
    assert [ms[k] for k in range(-len(ms), len(ms))] == parsed + parsed
    assert ms[1:4] == parsed[1:4] and ms[::2] == parsed[::2] and ms[5:2] == []
    assert ms.moved(1, 3, 2) == [m._replace(start=m.start - 2, end=m.end - 2) for m in parsed[1:3]]
    assert list(ms.starts) == [m.start for m in parsed]
    assert list(ms.ends) == [m.end for m in parsed]
    # -0.0 and 0.0 are equal but print apart: each keeps its own
    assert [str(m.value) for m in ms if "0.0" in m.text] == ["-0.0", "0.0"]
    # Equal figures are held once: the second 7亿元 is the first one's payload
    assert ms[3].unit is ms[4].unit and ms[3][2:] == ms[4][2:]
    # distinct: each figure once, where it first appears (the second 7亿元 is left out)
    assert ms.distinct() == [m for k, m in enumerate(parsed) if k != 4]


def test_a_quote_handed_in_is_the_string_a_pass_without_the_table_finds() -> None:
    text = "一、工作回顾\n全年地区生产总值增长7%，投资12亿元。"
    table = FigureTable(text)
    a = text.index("全年")
    b = text.index("，")
    quote = "".join(["全年地区生产总值", "增长7%"])  # an equal string, not the text's slice
    KNOWN.clear()
    got = table.numbers(a, b, quote)
    assert [k for k in KNOWN if k is quote] == [quote]  # held once, as the caller's string
    assert find_numbers(quote) == list(got)
    assert table.is_at(quote, a, b)
    assert not table.is_at(quote, a + 1, b + 1) and not table.is_at(quote, a, b + 1)
    assert not table.is_at("", len(text) + 1, len(text) + 1)
    # A string that is not the text there is not taken for it: KNOWN keys the text's own.
    KNOWN.clear()
    other = FigureTable(text)
    assert other.numbers(a, b, "增长8%") == got
    assert "增长8%" not in KNOWN and text[a:b] in KNOWN


def test_the_sentence_and_line_ends_are_found_once_for_every_reader() -> None:
    text = "一、工作回顾\n全年增长7%；投资12亿元。预计增长5%！下一年?\n二、计划"
    table = FigureTable(text)
    sentences = table.sentence_cuts()
    assert list(sentences) == [i for i, c in enumerate(text) if c in "。！？!?\n"]  # not ；
    assert list(table.line_cuts()) == [i for i, c in enumerate(text) if c == "\n"]
    assert table.sentence_cuts() is sentences  # the engine's and the checks' one copy
