"""OffsetMap reads exactly as the plain list of offsets it stores as runs."""

from __future__ import annotations

import bisect
import random

import pytest

from summarizer.clean import clean
from summarizer.offsets import OffsetMap


def _offsets(seed: int) -> list[int]:
    """Never-decreasing offsets in runs, with gaps and repeats (a restored break)."""
    rng = random.Random(seed)
    out: list[int] = []
    pos = rng.randrange(5)
    for _ in range(rng.randrange(1, 40)):
        n = rng.randrange(1, 12)
        out += range(pos, pos + n)
        pos += n
        kind = rng.random()
        if kind < 0.2 and out:
            out.append(out[-1])  # a break mapped to the sentence end before it
        elif kind < 0.8:
            pos += rng.randrange(1, 6)  # deleted source characters
    return out


@pytest.mark.parametrize("seed", range(30))
def test_reads_like_the_list(seed: int) -> None:
    plain = _offsets(seed)
    runs = OffsetMap(plain)
    assert len(runs) == len(plain) and list(runs) == plain and runs == plain
    assert [runs[i] for i in range(-len(plain), len(plain))] == plain + plain
    with pytest.raises(IndexError):
        runs[len(plain)]
    rng = random.Random(seed)
    for _ in range(30):
        a, b = sorted(rng.randrange(len(plain) + 1) for _ in range(2))
        assert list(runs[a:b]) == plain[a:b]
        joined = OffsetMap(plain[:a])
        joined.extend(runs, a, b)
        assert list(joined) == plain[:b] and joined == OffsetMap(plain[:b])
    for pos in range(-1, plain[-1] + 3):
        assert runs.bisect_left(pos) == bisect.bisect_left(plain, pos), pos


def test_stores_runs_not_characters() -> None:
    runs = OffsetMap()
    runs.add_run(0, 1_000_000)
    runs.add(1_000_000)  # continues the run
    runs.add_run(1_000_005, 2_000_000)
    assert len(runs) == 1_999_996 and repr(runs) == "OffsetMap(2 runs, 1999996 offsets)"
    assert runs[1_000_001] == 1_000_005


def test_clean_text_maps_every_character_with_few_runs() -> None:
    source = "标题\n\n  一、经济运行\n全市生产总值增长6%，\n财政收入增长8%。\n第 2 页\n二、民生\n"
    result = clean(source)
    assert isinstance(result.offsets, OffsetMap)
    assert len(result.offsets) == len(result.text)
    for i, ch in enumerate(result.text):
        if ch != "\n":
            assert source[result.offsets[i]] == ch
    assert len(result.offsets._starts) < len(result.text) // 4


def test_line_numbers_count_from_one_and_a_break_belongs_to_its_line():
    from summarizer.offsets import line_ends, line_number

    text = "一\n二二\n\n四"
    ends = line_ends(text)
    assert list(ends) == [1, 4, 5]
    assert [line_number(ends, i) for i in range(len(text))] == [1, 1, 2, 2, 2, 3, 4]
