"""The figure table: what it returns for a substring is what parsing the substring returns."""

from __future__ import annotations

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
        assert table.mentions == find_numbers(table.text)
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
