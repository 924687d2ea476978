"""Chunks of the ten sample reports: coverage, budget, section boundaries, context."""

from __future__ import annotations

import bisect
from itertools import pairwise

import pytest
from test_sections import REPORTS, outlined, report

from summarizer.chunking import (
    DEFAULT_CHUNK_CHARS,
    Chunk,
    chunk_text,
    split_sentences,
)
from summarizer.structure import PART_LABELS_ZH, SectionKind, outline

BUDGETS = (300, 1500, DEFAULT_CHUNK_CHARS)


def pieces(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[a:b] for a, b in spans]


# ---------------------------------------------------------------- sentences


def test_sentences_end_at_chinese_and_ascii_terminators() -> None:
    text = "收入4.74亿元，增长8.55%；产值59.07亿元。完成了吗？完成了！下一句;半角;"
    assert pieces(text, split_sentences(text)) == [
        "收入4.74亿元，增长8.55%；",
        "产值59.07亿元。",
        "完成了吗？",
        "完成了！",
        "下一句;",
        "半角;",
    ]


def test_no_split_inside_numbers_or_numbering() -> None:
    text = "1.综合实力稳中有进。总额2.5亿元，增长1.8%。"
    expected = ["1.综合实力稳中有进。", "总额2.5亿元，增长1.8%。"]
    assert pieces(text, split_sentences(text)) == expected


def test_no_split_inside_quotes() -> None:
    text = '他说：“我们要努力。再努力！”然后走了。扎实推进"五大行动。"好的。《决定。》发布。'
    assert pieces(text, split_sentences(text)) == [
        "他说：“我们要努力。再努力！”",
        "然后走了。",
        '扎实推进"五大行动。"',
        "好的。",
        "《决定。》发布。",
    ]


def test_line_end_ends_a_sentence_and_resets_quotes() -> None:
    text = "  标题没有句号\n“未闭合的引号。仍在引号里\n下一行。结束  \n\n"
    assert pieces(text, split_sentences(text)) == [
        "标题没有句号",
        "“未闭合的引号。仍在引号里",
        "下一行。",
        "结束",
    ]


def test_sentences_within_a_range() -> None:
    text = "甲。乙。丙。丁。"
    assert pieces(text, split_sentences(text, 2, 6)) == ["乙。", "丙。"]
    assert split_sentences("") == []


# ---------------------------------------------------------------- chunks


@pytest.mark.parametrize("budget", BUDGETS)
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_chunks_cover_the_text(name: str, budget: int) -> None:
    text, _ = report(name)
    o = outlined(name)
    chunks = chunk_text(text, o, budget)
    pos = 0
    for i, c in enumerate(chunks):
        assert c.index == i
        assert c.text == text[c.start : c.end] and c.text == c.text.strip()
        assert not text[pos : c.start].strip(), "only whitespace between chunks"
        pos = c.end
    assert not text[pos:].strip()


@pytest.mark.parametrize("budget", BUDGETS)
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_sentence_in_exactly_one_chunk(name: str, budget: int) -> None:
    text, _ = report(name)
    chunks = chunk_text(text, outlined(name), budget)
    starts = [c.start for c in chunks]
    for a, b in split_sentences(text):
        holders = [c for c in chunks if c.start <= a and b <= c.end]
        assert len(holders) == 1, text[a:b]
        # and no chunk boundary falls inside the sentence
        i = bisect.bisect_right(starts, a) - 1
        assert chunks[i].start <= a and b <= chunks[i].end


@pytest.mark.parametrize("budget", BUDGETS)
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_budget_and_sections(name: str, budget: int) -> None:
    text, _ = report(name)
    o = outlined(name)
    for c in chunk_text(text, o, budget):
        if len(c.text) > budget:
            assert len(split_sentences(text, c.start, c.end)) == 1, "only one sentence may overflow"
        sec = o.section_at(c.start)
        assert c.section is sec.kind
        touched = [x for x in o.sections if x.start < c.end and c.start < x.end]
        # A chunk names every part it spans, in order, and the preamble never shares a chunk.
        assert c.sections == tuple(dict.fromkeys(x.kind for x in touched))
        assert SectionKind.PREAMBLE not in c.sections or c.sections == (SectionKind.PREAMBLE,)
        for x in touched:
            assert PART_LABELS_ZH[x.kind] in c.context


@pytest.mark.parametrize("budget", BUDGETS)
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_chunks_are_full(name: str, budget: int) -> None:
    # Two neighbouring chunks of the body could not have been one chunk.
    text, _ = report(name)
    chunks = chunk_text(text, outlined(name), budget)
    for a, b in pairwise(chunks):
        if SectionKind.PREAMBLE not in a.sections + b.sections:
            assert b.end - a.start > budget


def test_default_budget_keeps_small_reports_in_few_chunks() -> None:
    # Every prompt repeats the instructions and schema, so small parts share a chunk: a town
    # report whose body fits the budget is one prompt (plus the preamble, which is never sent).
    for name in ("luoxi-2021", "jincheng-2019", "jintan-2022"):
        text, _ = report(name)
        chunks = chunk_text(text, outlined(name))
        body = [c for c in chunks if c.section is not SectionKind.PREAMBLE]
        assert len(body) == 1 and len(body[0].sections) >= 2


def test_context_and_heading_path() -> None:
    text, _ = report("luoxi-2019")
    chunks = chunk_text(text, outlined("luoxi-2019"), 300)
    top = next(c for c in chunks if c.text.startswith("一、2019年工作总结"))
    assert top.heading_path == ("一、2019年工作总结",)
    # the next chunk starts inside item 1, a paragraph too long for the budget
    first = chunks[top.index + 1]
    assert first.heading_path == ("一、2019年工作总结", "1.综合实力稳中有进")
    assert first.context == (
        "报告：常州空港产业园（罗溪镇）2019年工作总结和2020年工作思路；"
        "发布者：常州空港产业园（罗溪镇）；所在部分：工作回顾（2019年）；"
        "标题：一、2019年工作总结 > 1.综合实力稳中有进"
    )
    (prob,) = [c for c in chunks if c.section is SectionKind.PROBLEMS]
    assert prob.heading_path == ("一、2019年工作总结",)  # not under item 7
    plan = next(c for c in chunks if c.text.startswith("1.聚力项目攻坚"))
    assert plan.heading_path == ("二、2020年工作思路", "1.聚力项目攻坚，深化产业创新与企业服务")
    assert "工作计划（2020年）" in plan.context


def test_heading_path_under_bare_part_titles() -> None:
    text, _ = report("jintan-2022")
    chunks = chunk_text(text, outlined("jintan-2022"), 1500)
    c = next(c for c in chunks if c.text.startswith("构建一流开放格局"))  # inside part 二
    assert c.heading_path == ("向全区人民汇报2023年工作安排", "二、聚焦创新引领,汇聚高质量发展动能")


def test_cue_opened_plan_drops_review_headings() -> None:
    text, _ = report("luoxi-2021")
    chunks = chunk_text(text, outlined("luoxi-2021"), 1500)
    plan = next(c for c in chunks if c.section is SectionKind.PLAN)
    assert plan.text.startswith("2022年，罗溪镇将继续") and plan.heading_path == ()


def test_long_paragraph_splits_between_sentences_and_long_sentence_stands_alone() -> None:
    long_sentence = "这是一个很长的句子" + "，没有句号" * 40 + "。"
    para = "短句一。" * 30 + long_sentence + "短句二。" * 30
    text = "一、2023年工作回顾\n" + para + "\n二、2024年工作安排\n增长5%。\n"
    o = outline(text)
    chunks = chunk_text(text, o, 100)
    assert any(c.text == long_sentence for c in chunks)
    for c in chunks:
        assert len(c.text) <= 100 or c.text == long_sentence
    assert "".join("".join(c.text.split()) for c in chunks) == "".join(text.split())


def test_breaks_at_headings_when_late_in_the_chunk() -> None:
    body = "一、2023年工作回顾\n" + "".join(
        f"（{n}）第{n}项工作。" + "完成任务若干。" * 8 + "\n" for n in "一二三四五六"
    )
    text = body + "二、2024年工作安排\n增长5%。\n"
    chunks = chunk_text(text, outline(text), 200)
    review = [c for c in chunks if c.section is SectionKind.REVIEW]
    assert all(c.text.startswith(("一、", "（")) for c in review)


def test_rejects_a_non_positive_budget() -> None:
    text = "一、2023年工作回顾\n完成。\n"
    with pytest.raises(ValueError, match="budget"):
        chunk_text(text, outline(text), 0)


def test_chunk_is_frozen() -> None:
    c = Chunk(0, 0, 1, "甲", SectionKind.REVIEW, (), "")
    with pytest.raises(AttributeError):
        c.text = "乙"  # type: ignore[misc]


def test_a_limited_split_is_the_start_of_the_full_split() -> None:
    for name in REPORTS:
        text = report(name)[0]
        for a in range(0, len(text), 97):
            b = min(len(text), a + 200)
            full = split_sentences(text, a, b)
            for k in (1, 2, 5):
                assert split_sentences(text, a, b, limit=k) == full[:k]
    assert split_sentences("。  \n甲。乙。", limit=1) == [(0, 1)]
    assert split_sentences("  \n甲。乙。", limit=1) == [(3, 5)]  # a blank line is no span
