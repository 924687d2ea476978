"""The checks one claim must pass: figure (value, unit, scale), name binding in lists,
direction, period (contradictions only, never an open period), and SpanSet overlaps."""

from __future__ import annotations

import random

import pytest

from summarizer.checks import (
    CheckText,
    SpanSet,
    check_direction,
    check_figure,
    check_metric,
    check_period,
)
from summarizer.grounding import Span

# --- check_figure: value, unit, scale -----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "quote"),
    [
        (69, "亿元", "地区生产总值69亿元"),
        (69.5, "亿元", "实现地区生产总值69.5亿元，同比增长7%"),
        (7, "%", "地区生产总值同比增长7%"),
        (12345.67, "万元", "完成税收12345.67万元"),
        (12, "亿元", "完成投资十二亿元"),  # a Chinese numeral
        (1.2, "亿元", "完成投资1.2亿元"),
        (3, "个百分点", "城镇登记失业率下降0.5个百分点，研发投入占比提高3个百分点"),
    ],
)
def test_a_figure_its_quote_states_passes(value, unit, quote):
    assert check_figure("指标", value, unit, quote) is None


def test_a_figure_not_in_its_quote_is_a_value_mismatch_listing_what_is_written():
    found = check_figure("地区生产总值", 96, "亿元", "地区生产总值69亿元")
    assert found is not None and found.status == "value_mismatch"
    assert "69亿元" in found.detail and "96亿元" in found.message


def test_a_value_rounded_by_one_digit_is_not_the_written_value():
    # 12345.7 is what a formatter that rounds would print; the report says 12345.67.
    found = check_figure("税收", 12345.7, "万元", "完成税收12345.67万元")
    assert found is not None and found.status == "value_mismatch"


@pytest.mark.from_source
def test_a_figure_checked_again_gets_the_same_answer_as_a_fresh_check(monkeypatch):
    from summarizer import checks
    from summarizer.figures import numbers_of

    asked = []
    fresh = checks._check_figure
    monkeypatch.setattr(checks, "_check_figure", lambda *a: asked.append(a) or fresh(*a))
    monkeypatch.setattr(checks, "_FIGURE_CHECKED", {})
    cases = [
        ("地区生产总值", 69.0, "亿元", "地区生产总值69亿元"),
        ("指标", 96.0, "亿元", "GDP69亿元"),
        ("指标", 69.0, "万元", "地区生产总值69亿元"),
    ]
    first = [check_figure(*c, nums=numbers_of(c[3])) for c in cases]
    again = [check_figure(*c, nums=numbers_of(c[3])) for c in cases]
    assert again == first and len(asked) == 3  # the same question is answered from memory
    assert first[0] is None and [f.status for f in first[1:]] == [
        "value_mismatch", "unit_mismatch"
    ]  # fmt: skip
    # Other figures read are another question ("GDP69亿元" read as stating nothing).
    assert check_figure(*cases[0], nums=()) is not None and len(asked) == 4
    monkeypatch.setattr(checks, "_MAX_CHECKED", 2)  # the memory of answers stays bounded
    for k in range(5):
        check_figure("指标", float(k), "亿元", f"投资{k}亿元")
    assert len(checks._FIGURE_CHECKED) <= 2


@pytest.mark.parametrize(
    ("unit", "quote"),
    [
        ("万元", "地区生产总值69亿元"),  # right number, wrong scale
        ("亿元", "新增就业69万人"),  # right number, wrong unit
    ],
)
def test_the_right_number_in_another_unit_or_scale_is_a_unit_mismatch(unit, quote):
    found = check_figure("指标", 69, unit, quote)
    assert found is not None and found.status == "unit_mismatch"
    assert "69" in found.detail


def test_a_figure_converted_to_another_scale_still_states_the_same_quantity():
    # 6.9亿元 and 69000万元 are one amount: the check compares quantities, not strings.
    assert check_figure("投资", 69000, "万元", "完成投资6.9亿元") is None
    assert check_figure("投资", 6.9, "亿元", "完成投资69000万元") is None


def test_a_year_is_not_a_figure_unless_the_unit_is_calendar():
    assert check_figure("产值", 2019, "亿元", "2019年实现产值50亿元") is not None
    assert check_figure("连续", 3, "年", "连续3年获评先进") is None


def test_a_change_figure_may_be_claimed_without_its_sign():
    assert check_figure("能耗", 3.2, "%", "单位能耗下降3.2%") is None
    assert check_figure("能耗", -3.2, "%", "单位能耗下降3.2%") is None


# --- name binding in lists ----------------------------------------------------------------

LIST = "发放低保金196万元、慈善基金10万元、临时救助金11万元"


def test_in_a_list_a_figure_binds_to_the_name_written_before_it():
    assert check_figure("慈善基金", 10, "万元", LIST) is None
    found = check_figure("慈善基金", 11, "万元", LIST)  # 11万元 is 临时救助金's
    assert found is not None and found.status == "value_mismatch"
    assert "10万元" in found.detail


def test_respectively_lists_and_bare_verbs_do_not_bind_names():
    # "分别" names its figures elsewhere: any figure of the quote may be the claim's.
    assert check_figure("进口", 20, "亿元", "出口、进口分别为30亿元、20亿元") is None
    # After a bare verb the figure still belongs to the name before it.
    assert check_figure("出口", 4.4, "亿美元", "出口首破4亿美元，达4.4亿美元") is None


def test_a_name_inside_a_longer_noun_binds_nothing():
    quote = "新设新冠疫苗接种点12个，完成接种3万人次"
    assert check_figure("新冠疫苗接种", 3, "万人次", quote) is None


# --- check_direction ----------------------------------------------------------------------


def test_a_change_the_quote_states_passes_and_its_opposite_is_a_direction_mismatch():
    quote = "单位GDP能耗下降3.2%"
    assert check_direction("能耗", "下降3.2%", quote, 3.2, "%") is None
    found = check_direction("能耗", "增长3.2%", quote, 3.2, "%")
    assert found is not None and found.status == "direction_mismatch"
    assert "减少" in found.detail


def test_a_change_figure_nobody_wrote_is_a_value_mismatch():
    found = check_direction("产值", "增长9%", "工业产值50亿元，增长7%", 50, "亿元")
    assert found is not None and found.status == "value_mismatch"
    assert "9%" in found.detail


def test_a_change_figure_may_come_from_the_rest_of_the_sentence():
    quote = "地区生产总值69亿元"
    sentence = "地区生产总值69亿元，同比增长7%。"
    assert check_direction("GDP", "增长7%", quote, 69, "亿元") is not None
    assert check_direction("GDP", "增长7%", quote, 69, "亿元", sentence=sentence) is None


def test_a_bare_change_word_is_compared_with_the_figures_own_direction():
    quote = "出口额下降5%"
    assert check_direction("出口", "下降", quote, 5, "%") is None
    found = check_direction("出口", "增长", quote, 5, "%")
    assert found is not None and found.status == "direction_mismatch"


def test_no_change_claimed_is_never_a_finding():
    assert check_direction("出口", None, "出口额下降5%", 5, "%") is None
    assert check_direction("出口", "", "出口额下降5%", 5, "%") is None


# --- check_period -------------------------------------------------------------------------


def _at(text: CheckText, quote: str) -> Span:
    span = text.find(quote)
    assert span is not None, quote
    return span


def test_months_claimed_as_the_full_year_contradict_the_quote():
    quote = "1-9月，规模以上工业增加值增长6%"
    found = check_period("工业增加值", "全年", 6, "%", quote, None, None)
    assert found is not None and found.status == "period_mismatch"
    assert "1-9月" in found.detail
    assert check_period("工业增加值", "1-9月", 6, "%", quote, None, None) is None


def test_a_period_the_source_leaves_open_is_never_flagged():
    quote = "规模以上工业增加值增长6%"
    for claimed in ("全年", "1-9月", "2019年", "2016-2020年"):
        assert check_period("工业增加值", claimed, 6, "%", quote, None, None) is None


def test_a_year_other_than_the_quoted_year_is_a_contradiction():
    quote = "2018年地区生产总值69亿元"
    assert check_period("GDP", "2018年", 69, "亿元", quote, None, None) is None
    found = check_period("GDP", "2019年", 69, "亿元", quote, None, None)
    assert found is not None and found.status == "period_mismatch"
    assert "2018" in found.detail


def test_a_scope_opening_the_paragraph_governs_the_figures_after_it():
    text = CheckText("1-10月，全镇实现工业产值50亿元，同比增长8%。\n全年完成投资20亿元。")
    quote = "全镇实现工业产值50亿元"
    span = _at(text, quote)
    found = check_period("工业产值", "全年", 50, "亿元", quote, text, span)
    assert found is not None and found.status == "period_mismatch"
    assert check_period("工业产值", "1-10月", 50, "亿元", quote, text, span) is None
    # The next paragraph is not under 1-10月.
    quote2 = "完成投资20亿元"
    assert check_period("投资", "全年", 20, "亿元", quote2, text, _at(text, quote2)) is None


def test_since_a_year_covers_every_year_after_it():
    quote = "2019年以来累计新增就业3万人"
    assert check_period("就业", "2019-2021年", 3, "万人", quote, None, None) is None
    found = check_period("就业", "2015-2018年", 3, "万人", quote, None, None)
    assert found is not None and found.status == "period_mismatch"


def test_check_metric_runs_figure_then_direction_then_period():
    from summarizer.records import Metric, replace

    quote = "1-9月，工业增加值增长6%"
    good = Metric(name="工业增加值", value=6, unit="%", period="1-9月", change="增长6%",
                  kind="actual", quote=quote)  # fmt: skip
    assert check_metric(good, None, None, None) is None
    statuses = {
        "value": replace(good, value=7),
        "direction": replace(good, change="下降6%"),
        "period": replace(good, period="全年"),
    }
    found = {k: check_metric(m, None, None, None) for k, m in statuses.items()}
    assert {k: f.status if f else None for k, f in found.items()} == {
        "value": "value_mismatch",
        "direction": "direction_mismatch",
        "period": "period_mismatch",
    }


# --- SpanSet ------------------------------------------------------------------------------


def test_spanset_overlap_is_half_open():
    spans = SpanSet([(10, 20)])
    assert spans.overlaps(Span(15, 16))
    assert spans.overlaps(Span(5, 11)) and spans.overlaps(Span(19, 30))
    assert not spans.overlaps(Span(20, 25))  # touching at the end is not overlapping
    assert not spans.overlaps(Span(0, 10))  # nor at the start
    assert spans.overlaps(Span(0, 100))  # a span around it overlaps


def test_spanset_sees_a_long_span_behind_later_short_ones():
    # (0, 100) starts first; the spans after it end early. A query at 60-61 must still hit.
    spans = SpanSet([(30, 31), (0, 100), (40, 42)])
    assert spans.overlaps(Span(60, 61))
    assert not SpanSet([]).overlaps(Span(0, 10))
    assert not SpanSet([(5, 5)]).overlaps(Span(0, 10))  # an empty span is dropped


def test_spanset_agrees_with_a_brute_force_scan():
    rng = random.Random(12)
    for _ in range(200):
        raw = [(a, a + rng.randint(0, 15)) for a in (rng.randint(0, 100) for _ in range(6))]
        spans = SpanSet(raw)
        a = rng.randint(0, 110)
        q = Span(a, a + rng.randint(1, 10))
        expected = any(s < q.end and q.start < e for s, e in raw if e > s)
        assert spans.overlaps(q) is expected, (raw, q)


def test_a_statement_that_no_target_is_set_has_no_figure_to_check():
    from summarizer.records import Metric

    quote = "今年不设经济增长具体目标"
    none = Metric(name="经济增长", value=None, unit="%", bound="none", kind="target", quote=quote)
    assert check_metric(none, True, None, None) is None
    assert check_metric(none, None, None, None) is None
    # Listed among achievements, a target is still the wrong kind.
    found = check_metric(none, False, None, None)
    assert found is not None and found.status == "kind_mismatch"
