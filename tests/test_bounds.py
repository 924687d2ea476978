"""Bounds of targets as reports write them: 左右, 以上, 不低于, 以内, 控制在, ranges, 百分之八."""

from __future__ import annotations

import pytest

from summarizer.bounds import read_bound


@pytest.mark.parametrize(
    ("text", "value", "bound", "low", "high"),
    [
        ("地区生产总值增长5%左右", 5, "about", 5, 5),
        ("地区生产总值增长7.5%以上", 7.5, "at_least", 7.5, None),
        ("固定资产投资增长不低于6%", 6, "at_least", 6, None),
        ("城镇调查失业率5.5%以内", 5.5, "at_most", None, 5.5),
        ("城镇登记失业率4.5%以下", 4.5, "at_most", None, 4.5),
        ("居民消费价格涨幅控制在3%", 3, "at_most", None, 3),
        ("居民消费价格涨幅不超过3.5%", 3.5, "at_most", None, 3.5),
        ("居民消费价格涨幅控制在3%左右", 3, "about", 3, 3),
        ("地区生产总值增长6.5%—7%", 6.5, "range", 6.5, 7),
        ("地区生产总值增长6.5%到7%", 6.5, "range", 6.5, 7),
        ("经济增长速度的宏观调控目标，定为百分之八至九", 8, "range", 8, 9),
        ("今年国民生产总值计划增长百分之八", 8, "exact", 8, 8),
        ("地区生产总值增长百分之五点五左右", 5.5, "about", 5.5, 5.5),
        ("地区生产总值增长7%", 7, "exact", 7, 7),
        ("年度总投资超20亿元", 20, "at_least", 20, None),
    ],
)
def test_each_bound(text, value, bound, low, high):
    b = read_bound(text, value)
    assert (b.bound, b.low, b.high) == (bound, low, high)


def test_the_figure_named_is_the_one_read():
    # Two figures in one quote: the bound is that of the stated value, not the first one.
    b = read_bound("经济增长速度8％，商品零售价格涨幅控制在3％以内", 8)
    assert (b.bound, b.low, b.high) == ("exact", 8, 8)
    b = read_bound("经济增长速度8％，商品零售价格涨幅控制在3％以内", 3)
    assert (b.bound, b.high) == ("at_most", 3)


def test_a_trailing_striving_clause_is_kept_as_the_note():
    b = read_bound("国内生产总值增长5%左右，在实际工作中争取更好结果", 5)
    assert b.bound == "about" and b.note == "在实际工作中争取更好结果"
    # The next target's 力争 is not a note of this one.
    assert read_bound("增长6%，力争突破6000亿元", 6).note is None


def test_qualifiers_of_actual_figures():
    assert read_bound("达到近2000亿元", 2000, "亿元", target=False).qualifier == "近"
    assert read_bound("新增就业1.2万余人", 1.2, "万人", target=False).qualifier == "余"
    assert read_bound("实现地区生产总值69亿元", 69, "亿元", target=False).qualifier is None
