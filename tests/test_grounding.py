import unicodedata

import pytest

from summarizer.grounding import SourceIndex, Span, nfkc, normalize


def test_normalize_drops_whitespace_and_folds_width():
    assert normalize("地区生产总值 69 亿元，\n同比增长７％") == "地区生产总值69亿元,同比增长7%"


def test_find_maps_back_to_source_span_across_line_breaks():
    source = "完成一般公共预算收入\n\n4.74亿元，同\n比增长 8.55%；"
    idx = SourceIndex(source)
    span = idx.find("一般公共预算收入4.74亿元,同比增长8.55%")
    assert span is not None
    assert source[span.start : span.end] == "一般公共预算收入\n\n4.74亿元，同\n比增长 8.55%"


def test_missing_quote_and_empty_quote_are_not_found():
    idx = SourceIndex("实际到账外资6466万美元")
    assert idx.find("实际到账外资6467万美元") is None
    assert idx.find("  \n") is None
    assert not idx.contains("")


def test_find_all_and_source_to_norm():
    idx = SourceIndex("增长 7%，\n再增长7%")
    spans = idx.find_all("增长7%")
    assert [s.start for s in spans] == [0, 8]
    assert idx.source_to_norm(8) == 6


def test_nfkc_is_the_identity_on_the_fast_path_characters():
    import re
    import unicodedata

    from summarizer.grounding import SAFE_CHARS

    safe = re.compile(f"[{SAFE_CHARS}]")
    for cp in range(0x10000):
        ch = chr(cp)
        if safe.fullmatch(ch):
            assert unicodedata.normalize("NFKC", ch) == ch and not ch.isspace(), hex(cp)


def test_index_agrees_with_normalize_on_mixed_text():
    text = "ＧＤＰ增长７．５％\u3000以上…  “十四五”时期，㎡ｍ²\n二、计划"
    idx = SourceIndex(text)
    assert idx.text == normalize(text)
    for k, ch in enumerate(idx.text):
        src = text[idx.norm_to_source(k, k + 1).start]
        assert ch in normalize(src)


@pytest.mark.parametrize("window", [1 << 20, 5])  # 5: quotes across the windows' seams
def test_prefetched_quotes_are_found_where_a_search_finds_them(monkeypatch, window):
    import random

    import summarizer.grounding as grounding

    monkeypatch.setattr(grounding, "_PREFETCH_FROM", 0)  # as for a long report
    monkeypatch.setattr(grounding, "_WINDOW", window)

    rng = random.Random(3)
    source = "".join(
        rng.choice(["增长", "7%", "，", "\n", " ", "增长7%", "全市", "７％"]) for _ in range(400)
    )
    plain, fetched = SourceIndex(source), SourceIndex(source)
    quotes = [source[a : a + n] for a in range(0, len(source), 7) for n in (3, 6, 11)]
    quotes += ["增长7%增长7%", "不在原文中的话", "增长 ７％，", "  "]
    fetched.prefetch(quotes)
    assert fetched._at  # the lookups below are served from the one-pass table
    for q in quotes:
        assert fetched.find_all(q) == plain.find_all(q), q
        assert fetched.contains(q) == plain.contains(q), q
        for start in (0, 5, 50, len(fetched.text)):
            assert fetched.find(q, start) == plain.find(q, start), (q, start)


def test_prefetch_finds_quotes_by_character_beyond_the_bmp_too(monkeypatch):
    import summarizer.grounding as grounding

    monkeypatch.setattr(grounding, "_PREFETCH_FROM", 0)
    monkeypatch.setattr(grounding, "_WINDOW", 3)
    # "𠀀" takes two UTF-16 units: the one-pass search then reads four bytes a character.
    source = "𠀀𠀁增长7%，全市𠀀增长7%\n𠀁全市"
    quotes = ["增长7%，全市", "𠀀增长7%", "𠀁全市", "全市𠀀增长"]
    plain, fetched = SourceIndex(source), SourceIndex(source)
    fetched.prefetch(quotes)
    assert fetched._at
    for q in quotes:
        assert fetched.find_all(q) == plain.find_all(q), q


def test_prefetch_ignores_a_match_that_straddles_characters(monkeypatch):
    import summarizer.grounding as grounding

    monkeypatch.setattr(grounding, "_PREFETCH_FROM", 0)
    # "幎" (U+5E4E) is the bytes 4E 5E: five of them hold the bytes of "乞" (U+4E5E, 5E 4E)
    # four times over, one byte off each character, where the text has no "乞" at all.
    index = SourceIndex("幎" * 5)
    index.prefetch(["乞乞乞乞"])
    assert index._at == {"乞乞乞乞": []}
    assert index.find("乞乞乞乞") is None


def test_prefetch_tells_apart_quotes_whose_matched_prefix_is_alike(monkeypatch):
    import summarizer.grounding as grounding

    monkeypatch.setattr(grounding, "_PREFETCH_FROM", 0)
    monkeypatch.setattr(grounding, "_PREFIX", 3)
    # "乞" (U+4E5E) and "幞" (U+5E5E) share their low byte, "~" (U+007E) its low 5 bits: the
    # automaton sees one letter for all three; the quotes share their first three characters.
    source = "增长乞一二三四，增长幞一二三五，增长~一二三六"
    quotes = ["增长乞一二三四", "增长幞一二三四", "增长幞一二三五", "增长~一二三六", "增长乞一"]
    plain, fetched = SourceIndex(source), SourceIndex(source)
    fetched.prefetch(quotes)
    assert fetched._at["增长幞一二三四"] == []
    for q in quotes:
        assert fetched.find_all(q) == plain.find_all(q), q


def test_nfkc_maps_the_full_width_forms_to_ascii_one_for_one():
    import unicodedata

    for cp in range(0xFF01, 0xFF5F):
        assert unicodedata.normalize("NFKC", chr(cp)) == chr(cp - 0xFEE0), hex(cp)


def test_offsets_map_back_as_a_per_character_map_does():
    import random
    import unicodedata

    rng = random.Random(5)
    alphabet = [
        "增长",
        "7",
        "％",
        "，",
        "\n",
        " ",
        "\u3000",
        "㎡",
        "ﬁ",
        "①",
        "Ⅲ",
        "e\u0301",
        "（",
        "a",
    ]
    for _ in range(200):
        source = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        # The reference: NFKC of each character, whitespace dropped, each output character
        # mapped to the source character it came from.
        origin = [
            i
            for i, ch in enumerate(source)
            for c in unicodedata.normalize("NFKC", ch)
            if not c.isspace()
        ]
        idx = SourceIndex(source)
        assert len(idx.text) == len(origin)
        for k in range(len(origin)):
            for e in range(k + 1, len(origin) + 1):
                assert idx.norm_to_source(k, e) == Span(origin[k], origin[e - 1] + 1)
        for offset in range(len(source) + 2):
            assert idx.source_to_norm(offset) == sum(o < offset for o in origin)
        assert idx.norm_to_source(len(origin), len(origin)) == Span(len(source), len(source))


def test_full_width_forms_become_the_ascii_nfkc_makes_of_them():
    import unicodedata

    from summarizer.grounding import _ascii

    forms = "".join(chr(c) for c in range(0xFF01, 0xFF5F))  # ！ to ～
    assert _ascii(forms) == unicodedata.normalize("NFKC", forms)
    assert _ascii("增长７．５％") == "增长7.5%"


def test_find_from_an_offset_after_the_first_place_finds_the_next_one() -> None:
    index = SourceIndex("增长6%，其中增长6%，再增长6%")
    first = index.find("增长6%")
    assert first is not None and first.start == 0
    later = index.find("增长6%", 1)  # after the first look-up, which is remembered
    assert later is not None and later.start == 7
    assert index.find("增长6%", 0) == first and index.find("增长6%", 100) is None
    assert index.find("下降6%") is None and index.find("下降6%", 3) is None


@pytest.mark.parametrize(
    "text",
    ["生产总值６９亿元，同比增长７％（１－９月）", "ＧＤＰ增长", "Ａ\u0308", "ｶﾞ", "㎡", "plain"],
)
def test_nfkc_is_unicodedatas(text: str) -> None:
    # full-width forms folded first, then NFKC only where the text still needs it
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_every_bmp_character() -> None:
    for c in range(0x10000):
        if not 0xD800 <= c < 0xE000:
            s = f"，{chr(c)}（１）"
            assert nfkc(s) == unicodedata.normalize("NFKC", s), hex(c)
