from summarizer import models
from summarizer.formats import render, render_file
from summarizer.models import summary_model, summary_record
from summarizer.records import (
    Achievement,
    Claim,
    Meta,
    Metric,
    Plan,
    Problem,
    ReportSummary,
    ReportWarning,
    Validation,
    replace,
)
from summarizer.render import as_written, render_json, render_markdown

META = {
    "source": "luoxi.txt",
    "source_sha256": "ab" * 32,
    "engine": "llm",
    "model": "m",
    "title": "罗溪镇2019年工作总结",
    "issuer": "罗溪镇",
    "level": "town",
    "review_period": "2019",
    "plan_period": "2020",
}


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
        meta=Meta(**META),
        overview="罗溪镇2019年：地区生产总值69亿元。",
        achievements=[Achievement(area="经济运行", text="综合实力稳中有进", metrics=[metric])],
        problems=[Problem(text="产业升级步伐不够快")],
        plans=[Plan(area="项目建设", text="聚力项目攻坚", targets=[target])],
        validation=Validation(claims=claims, verified=len(claims) - flagged, flagged=flagged),
    )


def test_page_brief_has_every_part_a_reader_needs():
    md = render_markdown(_summary())
    for part in (
        "# 罗溪镇2019年工作总结",
        "罗溪镇 · 乡镇级 · 回顾期：2019 · 计划期：2020",
        "## 概览",
        "## 主要指标（2019）",
        "## 2020 目标",
        "## 存在的问题",
        "## 工作安排",
        "## 核对",
    ):
        assert part in md
    assert "| 地区生产总值 | 69亿元 | 1-10月 | 同比增长7% | ✓ |" in md
    assert "| 地区生产总值 | 增长7.5%以上 | ✓ |" in md  # next year's target, bound as written
    assert "- **项目建设**：聚力项目攻坚" in md
    assert "\n\n\n" not in md
    assert render(_summary(), "md") == md


def test_full_brief_keeps_the_long_form():
    md = render_markdown(_summary(), detail="full")
    for part in ("## 关键指标", "## 主要成绩", "### 经济运行", "## 下一步计划"):
        assert part in md
    assert "目标：地区生产总值增长7.5%以上" in md


def test_flagged_items_are_visibly_marked_and_counted():
    for detail in ("page", "full"):
        md = render_markdown(_summary(status="value_mismatch"), detail)
        assert "1 项内容未能与原文核对一致" in md
        assert "| ⚠ 69亿元 |" in md and "⚠ 数值与原文不符" in md
        assert "`achievements[0].metrics[0]`" in md
        assert all(
            "⚠" in line
            for line in md.splitlines()
            if "69亿元" in line and "概览" not in line and not line.startswith("罗溪镇2019年")
        )


def test_a_target_keeps_its_level_and_its_change():
    # 地区生产总值达到240亿元，同比增长21%: the JSON holds both, so the brief shows both.
    s = _summary()
    s.plans[0].targets[0] = Metric(
        name="地区生产总值",
        value=240,
        unit="亿元",
        change="同比增长21%",
        kind="target",
        quote="地区生产总值达到240亿元，同比增长21%",
    )
    for detail in ("page", "full"):
        assert "地区生产总值240亿元（同比增长21%）" in render_markdown(s, detail).replace(" | ", "")


def test_bounds_are_taken_from_the_quote_as_written():
    def target(value, unit, quote, change=None):
        return Metric(name="x", value=value, unit=unit, change=change, kind="target", quote=quote)

    assert as_written(target(300, "天", "力争空气质量优良天数300天以上"), True) == "300天以上"
    assert as_written(target(5.5, "%", "城镇调查失业率控制在5.5%左右"), True) == "5.5%左右"
    assert as_written(target(6, "%", "力争数字贸易进出口增长6%", "增长6%"), True) == "力争增长6%"
    assert as_written(target(80, "%", "城镇化率达到80%"), True) == "80%"  # 达到 is no bound
    assert as_written(target(6, "%", "增长6%左右", "增长6%左右"), True) == "增长6%左右"
    raised = target(6, "%", "由5.6%提高到6%以上", "由5.6%提高到6%")
    assert as_written(raised, True) == "由5.6%提高到6%以上"


def test_pipes_in_cells_do_not_break_the_table():
    s = _summary()
    s.achievements[0].metrics[0].name = "A|B"
    for detail in ("page", "full"):
        assert "| A｜B |" in render_markdown(s, detail)


def _huge() -> ReportSummary:
    """Everything a brief can hold, many times over, half of it flagged."""
    achievements, plans, claims = [], [], []
    for i in range(60):
        m = Metric(name=f"指标{i}", value=i + 1, unit="亿元", kind="actual", quote=f"指标{i}")
        achievements.append(Achievement(area=f"领域{i}", text="成绩" * 40, metrics=[m] * 3))
        t = Metric(name=f"目标{i}", value=i + 1, unit="%", kind="target", quote=f"目标{i}")
        plans.append(Plan(area=f"方面{i}", text="安排，" * 40, targets=[t] * 3))
        for j in range(3):
            status = "verified" if i % 2 else "value_mismatch"
            claims.append(Claim(where=f"achievements[{i}].metrics[{j}]", text="x", status=status))
            claims.append(Claim(where=f"plans[{i}].targets[{j}]", text="y", status=status))
    warnings = [ReportWarning(kind="spam", message="插入了赌博广告词", evidence="赌场")] * 9
    warnings += [ReportWarning(kind="conflicting_values", message="两个数值")] * 9
    flagged = sum(c.status != "verified" for c in claims)
    return ReportSummary(
        meta=Meta(**META),
        overview="概览。" * 50,
        achievements=achievements,
        problems=[Problem(text="问题，" * 50)] * 30,
        plans=plans,
        warnings=warnings,
        validation=Validation(claims=claims, verified=len(claims) - flagged, flagged=flagged),
    )


def test_the_page_brief_stays_one_page_however_big_the_report():
    s = _huge()
    page = render_markdown(s)
    assert len(page.splitlines()) <= 60
    assert len(render_markdown(s, detail="full").splitlines()) > 200
    assert "## 主要指标（2019）：8/180 项" in page and "## 2020 目标：8/180 项" in page
    assert "赌场" not in page  # warned about, never repeated


def test_json_is_utf8_and_round_trips():
    s = _summary()
    text = render_json(s)
    assert "地区生产总值" in text and "\\u" not in text
    assert summary_record(models.ReportSummary.model_validate_json(text)) == s
    assert render(s, "json") == text
    # A file gets the same text as the serializer's UTF-8 bytes, never decoded and encoded back.
    assert render_file(s, "json") == text.encode("utf-8")
    # The contract's model writes the very same text.
    assert text == summary_model(s).model_dump_json(indent=2) + "\n"
    assert render_file(s, "md") == render(s, "md")


def test_the_largest_reports_get_a_one_page_brief_with_next_years_targets():
    from click.testing import CliRunner
    from conftest import CORPUS, REPORTS

    from summarizer.cli import main

    files = [*REPORTS.glob("*.txt"), *CORPUS.rglob("*.txt"), *CORPUS.rglob("*.html")]
    for path in sorted(files, key=lambda p: p.stat().st_size)[-2:]:
        r = CliRunner().invoke(main, ["summarize", str(path)], env={}, catch_exceptions=False)
        assert r.exit_code == 0, r.stderr
        lines = r.stdout.splitlines()
        assert len(lines) <= 60, path.name
        targets = lines[
            next(i for i, ln in enumerate(lines) if ln.endswith("目标") or " 目标：" in ln) :
        ]
        rows = [ln for ln in targets[3:] if ln.startswith("| ")]
        assert len(rows) >= 5 and all(ln.endswith(("✓ |", "⚠ |")) or "⚠" in ln for ln in rows[:5])


def test_a_result_whose_year_is_not_known_says_so_and_a_target_keeps_its_plan_year():
    s = _summary()
    undated = replace(s.achievements[0].metrics[0], period=None)
    s = replace(s, achievements=[replace(s.achievements[0], metrics=[undated])])
    md = render_markdown(s)
    row = next(line for line in md.splitlines() if line.startswith("| 地区生产总值 | 69亿元"))
    assert "| 未注明 |" in row
    assert "未注明" not in md.split("目标")[1].split("##")[0]  # targets are of the plan year
    html = render(s, "html")
    assert "未注明" in html


def test_the_brief_templates_are_compiled_once_then_read_from_the_user_cache(monkeypatch):
    from jinja2 import Environment

    from summarizer import templating as t

    compiled: list[str | None] = []
    compile_ = Environment.compile

    def counting(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return compile_(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counting)

    def fresh_render() -> str:  # as a new process would: no environment, no template yet
        t._env.cache_clear()
        t._template.cache_clear()
        return render_markdown(_summary())

    try:
        first = fresh_render()
        assert compiled == ["brief.md.j2"]
        assert fresh_render() == first
        assert compiled == ["brief.md.j2"], "the second process reads the compiled template"
    finally:
        t._env.cache_clear()
        t._template.cache_clear()
