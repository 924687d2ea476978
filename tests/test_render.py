from summarizer.models import Achievement, Claim, Metric, Plan, Problem, ReportSummary, Validation
from summarizer.render import render_json, render_markdown


def _summary(status="verified"):
    metric = Metric(
        name="地区生产总值",
        value=69,
        unit="亿元",
        period="1-10月",
        change="同比增长7%",
        kind="actual",
        quote="地区生产总值69亿元",
    )
    target = Metric(
        name="地区生产总值",
        value=7.5,
        unit="%",
        change="增长7.5%以上",
        kind="target",
        quote="地区生产总值增长7.5%以上",
    )
    claims = [
        Claim(
            where="achievements[0].metrics[0]",
            text="地区生产总值：69亿元",
            value=69,
            unit="亿元",
            status=status,
            detail="引文中的数字：96亿元" if status != "verified" else "原文第3字",
        ),
        Claim(where="plans[0].targets[0]", text="地区生产总值：7.5%", status="verified"),
    ]
    flagged = sum(c.status != "verified" for c in claims)
    return ReportSummary(
        meta={
            "source": "luoxi.txt",
            "source_sha256": "ab" * 32,
            "engine": "llm",
            "model": "m",
            "title": "罗溪镇2019年工作总结",
            "issuer": "罗溪镇",
            "level": "town",
            "review_period": "2019",
            "plan_period": "2020",
        },
        overview="罗溪镇2019年：地区生产总值69亿元。",
        achievements=[Achievement(area="经济运行", text="综合实力稳中有进", metrics=[metric])],
        problems=[Problem(text="产业升级步伐不够快")],
        plans=[Plan(area="项目建设", text="聚力项目攻坚", targets=[target])],
        validation=Validation(claims=claims, verified=len(claims) - flagged, flagged=flagged),
    )


def test_brief_has_every_section_a_reader_needs():
    md = render_markdown(_summary())
    for part in (
        "# 罗溪镇2019年工作总结",
        "罗溪镇 · 乡镇级 · 回顾期：2019 · 计划期：2020",
        "## 概览",
        "## 关键指标",
        "## 主要成绩",
        "### 经济运行",
        "## 存在的问题",
        "## 下一步计划",
        "## 核对",
    ):
        assert part in md
    assert "| 地区生产总值 | 69亿元 | 1-10月 | 同比增长7% | ✓ |" in md
    assert "目标：地区生产总值增长7.5%以上" in md
    assert "\n\n\n" not in md


def test_flagged_items_are_visibly_marked_and_counted():
    md = render_markdown(_summary(status="value_mismatch"))
    assert "1 项内容未能与原文核对一致" in md
    assert "| ⚠ 69亿元 |" in md and "⚠ 数值与原文不符" in md
    assert "`achievements[0].metrics[0]`" in md
    assert all(
        "⚠" in line
        for line in md.splitlines()
        if "69亿元" in line and "概览" not in line and not line.startswith("罗溪镇2019年")
    )


def test_pipes_in_cells_do_not_break_the_table():
    s = _summary()
    s.achievements[0].metrics[0].name = "A|B"
    assert "| A｜B |" in render_markdown(s)


def test_json_is_utf8_and_round_trips():
    s = _summary()
    text = render_json(s)
    assert "地区生产总值" in text and "\\u" not in text
    assert ReportSummary.model_validate_json(text) == s
