"""The annotation pass: standard indicators, bounds, no-target statements, the GDP search."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files

import pytest
from conftest import CORPUS, REPORTS

from summarizer import indicators, models
from summarizer.config import Settings
from summarizer.grounding import normalize
from summarizer.ingest import Document, read_documents, read_report
from summarizer.pipeline import summarize_file
from summarizer.records import Metric, ReportSummary, replace

TOWN = """罗溪镇2023年工作总结和2024年工作计划
一、2023年工作回顾
2023年，全镇实现地区生产总值120亿元，同比增长6.2%，第一产业增加值增长3.1%，人均地区生产总值15万元。
二、2024年工作计划
2024年主要预期目标是：地区生产总值增长6%左右，第一产业增加值增长3%，服务业增加值增长7%，规模以上工业增加值增长8%以上，居民消费价格涨幅3%左右。“十四五”期间地区生产总值年均增长6.5%。
"""


def _doc(text: str, name: str = "t.txt") -> Document:
    return Document(name, text, None, "utf-8", "text", hashlib.sha256(text.encode()).hexdigest())


def _summary(doc: Document) -> ReportSummary:
    return summarize_file(doc, Settings(engine="rules")).summary


def _targets(s: ReportSummary, indicator: str) -> list[Metric]:
    return [m for p in s.plans for m in p.targets if m.indicator == indicator]


def _metric(name: str, value: float, unit: str = "%", change: str | None = None,
            kind: str = "target", quote: str | None = None) -> Metric:  # fmt: skip
    return Metric(name=name, value=value, unit=unit, change=change, kind=kind,
                  quote=quote or f"{name}{change or ''}")  # type: ignore[arg-type]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "value", "unit", "change", "expected"),
    [
        ("地区生产总值", 5, "%", "增长5%左右", "gdp_growth"),
        ("国内生产总值", 99.1, "万亿元", "增长6.1%", "gdp"),
        ("国民生产总值", 4.5, "％", "增长４．５％", "gdp_growth"),  # old reports: GNP
        ("经济增长预期目标", 7, "%", None, "gdp_growth"),
        ("人均地区生产总值", 15, "万元", None, "gdp_per_capita"),
        ("第一产业增加值", 3, "%", "增长3%", None),  # a sector, never GDP
        ("服务业增加值占地区生产总值比重", 55, "%", None, None),
        ("海洋生产总值", 6, "%", "增长6%左右", None),
        ("地区生产总值", 5, "%", "年均增长5%左右", None),  # a five-year average
        ("“十四五”期间地区生产总值", 6.5, "%", "增长6.5%", None),
        ("单位地区生产总值能耗", 3, "%", "下降3%左右", "energy_intensity"),
        ("全社会研发经费投入强度", 2.5, "%", None, "rd_share"),
        ("居民消费价格涨幅", 3, "%", "3%左右", "cpi"),
        ("城镇调查失业率", 5.5, "%", "5.5%左右", "surveyed_unemployment"),
        ("社会消费品零售总额", 8, "%", "增长8%", "retail_sales_growth"),
        ("一般公共预算收入", 4.74, "亿元", "同比增长8.55%", "budget_revenue"),
        ("城镇新增就业", 1.2, "万人", None, "new_urban_jobs"),
    ],
)
def test_classify(name, value, unit, change, expected):
    assert indicators.classify(_metric(name, value, unit, change)) == expected


def test_a_growth_in_the_change_of_a_level_is_its_growth_indicator():
    m = _metric("地区生产总值", 69, "亿元", "同比增长7%", kind="actual",
                quote="地区生产总值69亿元，同比增长7%")  # fmt: skip
    m = replace(m, indicator=indicators.classify(m))
    g = indicators.growth_in_change(m)
    assert m.indicator == "gdp" and g is not None
    assert (g.indicator, g.value, g.unit, g.down) == ("gdp_growth", 7, "%", False)
    fall = replace(m, change="同比下降2.3%", quote="地区生产总值69亿元，同比下降2.3%")
    assert indicators.growth_in_change(fall).down
    aside = replace(m, change="同比增长（以下简称增长）8%")  # 绵阳's wording
    assert indicators.growth_in_change(aside).value == 8


def test_sector_targets_and_five_year_averages_are_not_the_annual_gdp_target():
    s = _summary(_doc(TOWN))
    gdp = _targets(s, "gdp_growth")
    assert [(m.value, m.bound, m.low, m.high) for m in gdp] == [(6, "about", 6, 6)]
    assert _targets(s, "industrial_value_added_growth")[0].bound == "at_least"
    assert _targets(s, "cpi")[0].bound == "about"
    named = {m.name: m.indicator for p in s.plans for m in p.targets}
    assert named["第一产业增加值"] is None and named["服务业增加值"] is None
    assert all(m.indicator is None for p in s.plans for m in p.targets if "十四五" in m.name)


def test_span_points_at_the_quote_in_the_text_as_read():
    doc = read_report(REPORTS / "luoxi-2019.txt")
    s = _summary(doc)
    metrics = [m for a in s.achievements for m in a.metrics] + [
        m for p in s.plans for m in p.targets
    ]
    assert metrics and all(m.span is not None for m in metrics)
    for m in metrics:
        a, b = m.span
        assert normalize(doc.text[a:b]) == normalize(m.quote)


def test_a_year_with_no_target_says_so():
    # The 2020 report: 我们没有提出全年经济增速具体目标.
    s = _summary(read_report(CORPUS / "national-2020.html"))
    (none,) = _targets(s, "gdp_growth")
    assert none.bound == "none" and none.value is None and none.low is None
    assert "没有提出全年经济增速具体目标" in none.quote
    where = next(f"plans[{i}].targets[{j}]" for i, p in enumerate(s.plans)
                 for j, m in enumerate(p.targets) if m is none)  # fmt: skip
    claim = next(c for c in s.validation.claims if c.where == where)
    assert claim.status == "verified"  # its quote is the report's own words
    # The other targets of that year still carry their bounds.
    assert _targets(s, "cpi")[0].bound == "about"
    assert _targets(s, "new_urban_jobs")[0].bound == "at_least"


def _national(year: int) -> Document:
    return next(d for d in read_documents(CORPUS / "national-1954-2004.tsv")
                if d.year_hint == year)  # fmt: skip


@pytest.mark.parametrize(
    ("year", "bound", "low", "high"),
    [(1995, "range", 8, 9), (1996, "exact", 8, 8), (2003, "about", 7, 7), (1993, "exact", 8, 8)],
)
def test_national_gdp_targets_are_found_with_their_bound(year, bound, low, high):
    # Old reports: Chinese numerals (百分之八至九), targets the engine filed elsewhere or missed.
    s = _summary(_national(year))
    (t,) = _targets(s, "gdp_growth")
    assert (t.bound, t.low, t.high) == (bound, low, high)
    assert normalize(t.quote) in normalize(_national(year).text)


@pytest.mark.parametrize(
    ("year", "value", "written"),
    [
        # 一九八一年计划为百分之三点七，实际达到百分之四点六；一九八二年计划为百分之四，预计可以
        # 达到百分之六点四: the clause of the review year, and its result rather than its plan
        (1982, 6.4, "预计可以达到百分之六点四"),
        # 在１９７９到１９８３年平均每年递增７．９％的基础上，比上年增长１４．２％: not the average
        (1985, 14.2, "比上年增长１４．２％"),
    ],
)
def test_the_review_years_headline_outcome_among_other_years_figures(year, value, written):
    from summarizer.panel import summarize_many
    from summarizer.track import track_rows

    (done,) = summarize_many([_national(year)], Settings(engine="rules"))
    review = int(done.summary.meta.review_period[-4:])
    (row,) = [r for r in track_rows([done], ["gdp_growth"]) if r["year"] == review]
    assert row["outcome"] == value
    assert row["outcome_quote"].endswith(written)
    assert done.summary.validation.flagged == 0 or all(
        c.status == "verified" for c in done.summary.validation.claims if c.value == value
    )


def test_a_provincial_five_year_goal_is_not_the_annual_target():
    path = CORPUS / "province-2026" / "2026_辽宁省_政府工作报告.csv"
    doc = read_documents(path)[0]
    assert "地区生产总值年均增长5%左右" in doc.text  # the 十五五 goal, beside 2026's 4.5%左右
    s = _summary(doc)
    assert [(m.value, m.bound) for m in _targets(s, "gdp_growth")] == [(4.5, "about")]
    metrics = [m for p in s.plans for m in p.targets] + [
        m for a in s.achievements for m in a.metrics
    ]
    averages = [m for m in metrics if "年均" in (m.change or "") or "年均" in m.name]
    assert all(m.indicator is None for m in averages)


def test_the_model_is_never_asked_for_the_annotations():
    props = models.ChunkSummary.model_json_schema()["$defs"]["Metric"]["properties"]
    assert not set(props) & set(indicators_fields())
    assert props["value"]["type"] == "number"  # null is only for "no target set"
    with pytest.raises(ValueError, match="value"):
        models.Metric(name="地区生产总值", value=None, unit="%", kind="target", quote="x")
    ok = models.Metric(
        name="经济增速", value=None, unit="%", kind="target", quote="x", bound="none"
    )
    assert json.loads(ok.model_dump_json())["value"] is None


def indicators_fields() -> tuple[str, ...]:
    from summarizer.records import ANNOTATION_FIELDS

    return ANNOTATION_FIELDS


def test_the_registry_ships_in_the_package_and_is_consistent():
    assert (files("summarizer") / "data" / "indicators.toml").is_file()
    ids = indicators.indicator_ids()
    assert len(ids) >= 25 and "gdp_growth" in ids
    for i in ids:
        ind = indicators.get(i)
        assert ind.direction in ("higher_better", "ceiling")
        if ind.growth:
            assert indicators.get(ind.growth).level == i
    assert indicators.get("cpi").direction == "ceiling"


def test_the_live_model_path_is_annotated_the_same_way():
    # The real openai SDK and instructor against the loopback server; the answer has no
    # annotation fields, the pass adds them.
    import asyncio

    from loopback import LoopbackServer, answer_with, grounded_answer

    from summarizer.engines.llm import LLMEngine
    from summarizer.pipeline import prepare, summarize_report

    text = (
        "一、2019年工作总结\n"
        "1-10月，园镇实现地区生产总值69亿元，同比增长7%；完成一般公共预算收入4.74亿元。\n"
        "二、2020年工作思路\n"
        "2020年主要预期目标是：地区生产总值增长7.5%以上，一般公共预算收入增长10%以上。\n"
    )
    report = prepare(_doc(text), 8000)
    with LoopbackServer(answer_with(grounded_answer)) as srv:
        settings = Settings(engine="llm", base_url=srv.base_url, api_key="sk-test")

        async def go():
            engine = LLMEngine(settings)
            try:
                return await summarize_report(report, engine)
            finally:
                await engine.aclose()

        s = asyncio.run(go()).summary
    assert s.meta.engine == "llm"
    (gdp,) = _targets(s, "gdp_growth")
    assert (gdp.value, gdp.bound, gdp.low, gdp.high) == (7.5, "at_least", 7.5, None)
    assert _targets(s, "budget_revenue_growth")[0].bound == "at_least"
    assert all(m.span is not None for p in s.plans for m in p.targets)


def test_validate_reads_a_schema_2_summary_with_a_no_target_statement(tmp_path):
    from click.testing import CliRunner

    from summarizer.cli import main

    src = CORPUS / "national-2020.html"
    out = tmp_path / "s.json"
    r = CliRunner().invoke(main, ["summarize", str(src), "--format", "json", "-o", str(out)])
    assert r.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"] == "2"
    assert any(
        t["value"] is None and t["bound"] == "none" for p in data["plans"] for t in p["targets"]
    )
    r = CliRunner().invoke(main, ["validate", str(out), "--source", str(src), "--format", "json"])
    assert json.loads(r.stdout)["flagged"] == data["validation"]["flagged"]


def test_the_headline_search_visits_the_sentences_a_scan_of_each_would_find() -> None:
    from summarizer.checks import CheckText
    from summarizer.headline_search import _SENTENCE, HEADLINES, _name_list, _named, _names_of

    texts = [read_report(str(p)).text for p in sorted(REPORTS.glob("*.txt"))]
    texts += [d.text for d in read_documents(str(CORPUS / "national-1954-2004.tsv"), [])][:8]
    texts.append("。GDP增长5%！\n国内生产总值增长6%，经济增长7%。")  # a stop first, two names
    for text in texts:
        ct = CheckText(text)
        sentences = list(_SENTENCE.finditer(text))
        for family in HEADLINES:
            names = _names_of(family)
            each = [(s.start(), s.group(), sentences[i - 1].group() if i else "")
                    for i, s in enumerate(sentences) if names.search(s.group())]  # fmt: skip
            assert list(_named(ct, _name_list(family))) == each
    assert list(_named(CheckText("无。"), ["增长"])) == []
