from summarizer.engines import ChunkResult
from summarizer.merge import compose_overview, merge
from summarizer.records import Achievement, ChunkSummary, Metric, Plan, Problem

TEXT = (
    "一、回顾\n地区生产总值69亿元，同比增长7%。实际到账外资6466万美元。\n"
    "全年地区生产总值70亿元。\n二、问题\n一是产业升级不够快。\n三、计划\n地区生产总值增长7.5%以上。\n"
)


def _m(name, value, unit, quote, kind="actual", period=None, change=None):
    return Metric(
        name=name, value=value, unit=unit, quote=quote, kind=kind, period=period, change=change
    )


def _ach(area, text, metrics, evidence=()):
    return Achievement(area=area, text=text, metrics=metrics, evidence=list(evidence))


def test_items_follow_source_order_and_group_by_area():
    late = ChunkResult(
        40,
        60,
        ChunkSummary(
            achievements=[
                _ach(
                    "开放",
                    "实际到账外资6466万美元",
                    [_m("实际到账外资", 6466, "万美元", "实际到账外资6466万美元")],
                )
            ]
        ),
    )
    early = ChunkResult(
        0,
        40,
        ChunkSummary(
            achievements=[
                _ach(
                    "经济",
                    "地区生产总值69亿元",
                    [_m("地区生产总值", 69, "亿元", "地区生产总值69亿元")],
                ),
            ]
        ),
    )
    merged = merge([late, early], TEXT)
    assert [a.area for a in merged.achievements] == ["经济", "开放"]


def test_duplicate_metrics_are_dropped_and_conflicts_kept_with_a_warning():
    gdp = _m("地区生产总值", 69, "亿元", "地区生产总值69亿元", period="全年")
    same_again = _m("地区生产总值", 69, "亿元", "地区生产总值69亿元", period="全年")
    other = _m("地区生产总值", 70, "亿元", "全年地区生产总值70亿元", period="全年")
    results = [
        ChunkResult(0, 30, ChunkSummary(achievements=[_ach("经济", "a", [gdp])])),
        ChunkResult(30, 60, ChunkSummary(achievements=[_ach("经济", "b", [same_again, other])])),
    ]
    merged = merge(results, TEXT)
    values = [m.value for a in merged.achievements for m in a.metrics]
    assert values == [69, 70]
    assert [w.kind for w in merged.warnings] == ["conflicting_values"]
    assert "69亿元" in merged.warnings[0].message and "70亿元" in merged.warnings[0].message


def test_same_value_in_another_scale_is_not_a_conflict():
    a = _m("实际到账外资", 6466, "万美元", "实际到账外资6466万美元")
    b = _m("实际到账外资", 0.6466, "亿美元", "实际到账外资6466万美元")
    merged = merge(
        [ChunkResult(0, 50, ChunkSummary(achievements=[_ach("开放", "x", [a, b])]))], TEXT
    )
    assert merged.warnings == []


def test_a_target_and_an_actual_of_the_same_indicator_do_not_conflict():
    actual = _m("地区生产总值", 7, "%", "同比增长7%", change="同比增长7%")
    target = _m("地区生产总值", 7.5, "%", "地区生产总值增长7.5%以上", kind="target")
    results = [
        ChunkResult(
            0,
            80,
            ChunkSummary(
                achievements=[_ach("经济", "x", [actual])],
                plans=[Plan(area="经济", text="y", targets=[target])],
            ),
        )
    ]
    assert merge(results, TEXT).warnings == []


def test_problems_are_deduplicated():
    p = Problem(text="产业升级不够快", evidence=["一是产业升级不够快"])
    merged = merge([ChunkResult(0, 99, ChunkSummary(problems=[p, p]))], TEXT)
    assert len(merged.problems) == 1


def test_overview_uses_only_given_figures_and_states_no_counts():
    ach = [
        _ach("经济", "x", [_m("地区生产总值", 69, "亿元", "q", change="同比增长7%")]),
        _ach("开放", "y", []),
        _ach("民生", "z", []),
    ]
    text = compose_overview("罗溪镇", "2019", ach, [])
    assert text.startswith("罗溪镇2019年：地区生产总值69亿元（同比增长7%）")
    assert "3" not in text  # no "3个方面": every number in a brief must come from the report
