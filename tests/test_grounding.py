from summarizer.grounding import SourceIndex, normalize


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
