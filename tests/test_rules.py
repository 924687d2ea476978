"""The offline rules engine: behaviour on a small report, quality on the five samples against
fixtures/expected/, every claim verified on all ten reports, and no openai on its import path."""

from __future__ import annotations

import asyncio
import importlib.util
import itertools
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from summarizer.clean import clean
from summarizer.config import Settings
from summarizer.engines import ChunkResult, make_engine
from summarizer.engines.rules import RulesEngine, extract
from summarizer.ingest import read_report
from summarizer.pipeline import prepare, summarize_report
from summarizer.reask import ChunkSummary as GroundedChunkSummary
from summarizer.reask import ReaskContext
from summarizer.records import ChunkSummary, Metric, ReportSummary, as_data
from summarizer.screen import screen
from summarizer.structure import outline

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = sorted((ROOT / "fixtures" / "expected").glob("*.json"))
CORPUS = sorted(
    p for p in (ROOT / "fixtures" / "corpus").glob("*.*") if p.suffix in (".txt", ".html")
)
ALL_REPORTS = sorted((ROOT / "fixtures" / "reports").glob("*.txt")) + CORPUS


def _bench():
    spec = importlib.util.spec_from_file_location("rules_quality", ROOT / "bench/rules_quality.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the body runs
    spec.loader.exec_module(module)
    return module


bench = _bench()

MINI = """2023年工作总结和2024年工作计划
一、2023年工作回顾
1.经济运行稳中向好。1-10月，全镇实现地区生产总值69亿元，同比增长7%；完成一般公共预算收入\
4.74亿元，同比增长8.55%。预计全年规上工业总产值突破150亿元。新增高标准农田1000亩、累计达2.2万亩。
2.项目建设加快推进。实际到账外资首破4亿美元，达4.4亿美元。销售亿元以上企业达到45家。\
全区群众安全感和政法队伍满意度分别达99.5%、98.4%。
在肯定成绩的同时，我们也清醒地认识到，发展中还存在不少问题，主要表现在：一是产业结构不够优化；\
二是项目招引力度不够；三是公共服务存在短板。对此，我们将认真加以解决。
二、2024年工作计划
2024年主要预期目标是：地区生产总值增长7.5%以上，一般公共预算收入增长10%、力争完成5.5亿元。
1.聚力项目攻坚。新引进重大项目10个以上，开展“振兴实体经济”系列活动不少于10场。
"""


def _extract(text: str) -> tuple[str, list[ChunkResult]]:
    cleaned = screen(clean(text)).text  # as the pipeline hands it to an engine
    return cleaned, extract(cleaned, outline(cleaned))


def _summary(text: str) -> ChunkSummary:
    _, results = _extract(text)
    return ChunkSummary(
        achievements=[a for r in results for a in r.summary.achievements],
        problems=[p for r in results for p in r.summary.problems],
        plans=[p for r in results for p in r.summary.plans],
    )


def _metric(metrics: list[Metric], name: str, value: float) -> Metric:
    found = [m for m in metrics if m.name == name and m.value == value]
    assert found, f"no {name} {value} in {[(m.name, m.value) for m in metrics]}"
    return found[0]


# ---------------------------------------------------------------- behaviour


def test_metric_carries_period_change_and_a_quote_with_its_figure() -> None:
    metrics = [m for a in _summary(MINI).achievements for m in a.metrics]
    gdp = _metric(metrics, "地区生产总值", 69)
    assert (gdp.unit, gdp.period, gdp.change, gdp.kind) == (
        "亿元",
        "1-10月",
        "同比增长7%",
        "actual",
    )
    assert "地区生产总值69亿元" in gdp.quote
    # The change is attached to the figure it follows, not reported as a metric of its own.
    assert not any(m.unit == "%" and m.value == 7 for m in metrics)


def test_estimate_and_cumulative_kinds() -> None:
    metrics = [m for a in _summary(MINI).achievements for m in a.metrics]
    assert _metric(metrics, "规上工业总产值", 150).kind == "estimate"
    assert _metric(metrics, "新增高标准农田", 1000).kind == "actual"
    assert _metric(metrics, "高标准农田（累计）", 2.2).kind == "cumulative"
    # "全年" governs its own sentence only; the paragraph's "1-10月" governs the next one.
    assert _metric(metrics, "规上工业总产值", 150).period == "全年"
    assert _metric(metrics, "新增高标准农田", 1000).period == "1-10月"


def test_threshold_then_value_is_one_indicator() -> None:
    metrics = [m for a in _summary(MINI).achievements for m in a.metrics]
    foreign = [m for m in metrics if m.name == "实际到账外资"]
    assert [(m.value, m.unit) for m in foreign] == [(4.4, "亿美元")]
    assert "首破4亿美元" in foreign[0].quote


def test_threshold_in_a_noun_is_not_a_figure_and_lists_get_their_own_names() -> None:
    metrics = [m for a in _summary(MINI).achievements for m in a.metrics]
    assert _metric(metrics, "销售亿元以上企业", 45).unit == "家"
    assert not any(m.unit == "亿元" and m.value == 1 for m in metrics)
    assert _metric(metrics, "群众安全感", 99.5).unit == "%"
    assert _metric(metrics, "政法队伍满意度", 98.4).unit == "%"


def test_a_name_ends_before_its_change_word_and_keeps_no_part_of_it() -> None:
    # The change words are lexicon's (numbers reads the same ones): 翻, 压降 and 微降 are change
    # words, so the name stops before them and the change is printed whole.
    text = MINI.replace(
        "销售亿元以上企业达到45家。",
        "销售亿元以上企业达到45家。研发投入翻一番，CPI微降0.1%，融资平台债务压降85.2%。",
    )
    metrics = [m for a in _summary(text).achievements for m in a.metrics]
    assert _metric(metrics, "研发投入", 1).change == "翻一番"
    assert _metric(metrics, "CPI", 0.1).change == "微降0.1%"
    assert _metric(metrics, "融资平台债务", 85.2).change == "压降85.2%"


def test_a_sentence_saying_what_the_year_was_names_no_area() -> None:
    # "过去一年，是…的重要一年。" opens many reviews: a statement, not a topic like "坚持创新驱动。"
    opening = "过去一年，是全镇奋力前行的一年。全镇实现地区生产总值69亿元。\n"
    text = MINI.replace("一、2023年工作回顾\n", "一、2023年工作回顾\n" + opening)
    areas = [a.area for a in _summary(text).achievements]
    assert areas and not any(a.startswith("是") for a in areas), areas


def test_a_level_moved_from_one_year_to_another_is_the_later_level() -> None:
    # 海拉尔 2016: the 2010 level is the base of the move, not the achievement.
    text = MINI.replace(
        "销售亿元以上企业达到45家。",
        "销售亿元以上企业达到45家。工业总产值由2010年的162.4亿元增加到2015年的287.9亿元。",
    )
    metrics = [m for a in _summary(text).achievements for m in a.metrics]
    assert [(m.value, m.period) for m in metrics if m.name == "工业总产值"] == [(287.9, "2015年")]
    assert not any(m.value == 162.4 for m in metrics)


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("我国60岁以上人口已达2.5亿，要加快发展养老服务。", []),  # the present state
        ("将制造业等行业现行16%的税率降至13%。", [13]),  # the rate now is no target
        ("将3岁以下婴幼儿照护服务费用纳入专项附加扣除。", []),  # an age group
        ("6.5%左右的增速可以实现比较充分的就业。", []),  # the growth target said again
        ("小麦最低收购价每50公斤提高5到7元。", [5]),  # 每50公斤 is a rate's basis
        ("人均预期寿命提高到80岁以上。", [80]),
        ("在70%左右的地市开展试点。", [70]),
    ],
)
def test_figures_of_a_plan_that_are_no_targets(sentence: str, kept: list[float]) -> None:
    text = MINI.replace("1.聚力项目攻坚。", "1.聚力项目攻坚。" + sentence)
    plans = _summary(text).plans
    found = [m.value for p in plans for m in p.targets if m.quote in sentence]
    assert found == kept
    assert not any(m.name.startswith(("以上", "左右")) for p in plans for m in p.targets)


def test_a_target_explained_again_is_not_a_second_target() -> None:
    # State Council 2012: the goals, then why: "提出居民消费价格涨幅控制在4%左右，主要考虑是…"
    text = MINI.replace(
        "1.聚力项目攻坚。",
        "居民消费价格涨幅控制在4%左右。提出居民消费价格涨幅控制在4%左右，主要考虑是稳定预期。"
        "1.聚力项目攻坚。",
    )
    targets = [(m.name, m.value) for p in _summary(text).plans for m in p.targets]
    assert targets.count(("居民消费价格涨幅", 4)) == 1
    assert not any(name.startswith("提出") for name, _ in targets)


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        # 锡林郭勒/舟山 2024: one value under a compound name was the urban figure only.
        ("城乡居民人均可支配收入分别增长5.1%和6.9%。",
         [("城镇居民人均可支配收入", 5.1), ("农村居民人均可支配收入", 6.9)]),
        ("三次产业分别增长4.5%、6.5%、7%以上。",
         [("第一产业", 4.5), ("第二产业", 6.5), ("第三产业", 7)]),
        ("城镇和农村居民人均可支配收入分别增长6.5%左右和8.5%左右。",
         [("城镇居民人均可支配收入", 6.5), ("农村居民人均可支配收入", 8.5)]),
        ("刑事、治安案件分别下降12%、3.3%。", [("刑事案件", 12), ("治安案件", 3.3)]),
        # The last entry's own word does not end where the first entry's does: no sharing.
        ("新能源、汽车零部件产业产值分别达430亿元、700亿元。",
         [("新能源", 430), ("汽车零部件产业产值", 700)]),
        ("全州接待游客和旅游综合收入分别增长25.8%和37%。",
         [("接待游客", 25.8), ("旅游综合收入", 37)]),
        ("城乡居民养老、医保补助标准分别提高到158元、640元。",
         [("城乡居民养老", 158), ("医保补助标准", 640)]),
    ],
)  # fmt: skip
def test_a_list_given_one_figure_each_names_each(sentence: str, named: list) -> None:
    text = MINI.replace("销售亿元以上企业达到45家。", "销售亿元以上企业达到45家。" + sentence)
    metrics = _summary(text).achievements
    got = [(m.name, m.value) for a in metrics for m in a.metrics if m.quote in sentence]
    assert got == named


def test_counts_of_sessions_and_batches_keep_their_bound() -> None:
    text = MINI.replace("1.聚力项目攻坚。", "1.聚力项目攻坚。举办各类招聘活动300场次以上。")
    (m,) = [m for p in _summary(text).plans for m in p.targets if "场次" in m.quote]
    assert (m.value, m.unit, m.change) == (300, "场次", "300场次以上")


def test_problems_split_on_ordinals_and_stop_at_the_remedy() -> None:
    problems = [p.text for p in _summary(MINI).problems]
    assert problems == ["产业结构不够优化", "项目招引力度不够", "公共服务存在短板"]


def test_problems_listed_in_the_sentence_that_frames_them() -> None:
    # 南通 2024: frame, list and remedy in one sentence.
    text = MINI.split("在肯定成绩")[0] + (
        "在看到成绩的同时，我们也清醒认识到，我市经济回升向好的基础还不牢固，产业结构有待进一步"
        "优化，基本公共服务还有短板等等，对此我们将采取更加有效措施，切实加以解决。\n"
        "二、2024年工作计划\n" + MINI.split("二、2024年工作计划\n")[1]
    )
    (problem,) = _summary(text).problems
    assert problem.text.startswith("我市经济回升向好的基础还不牢固")
    assert problem.text.endswith("基本公共服务还有短板") and "对此" not in problem.text


def test_no_problems_when_the_report_admits_none() -> None:
    text = (
        MINI.split("在肯定成绩")[0] + "二、2024年工作计划\n" + MINI.split("二、2024年工作计划\n")[1]
    )
    assert _summary(text).problems == []


def test_expected_goals_sentence_is_its_own_plan_item() -> None:
    plans = _summary(MINI).plans
    goals = [p for p in plans if p.area == "主要预期目标"]
    assert len(goals) == 1
    targets = [(m.name, m.value, m.unit, m.change) for m in goals[0].targets]
    assert targets == [
        ("地区生产总值", 7.5, "%", "增长7.5%以上"),
        ("一般公共预算收入", 10, "%", "增长10%"),
        ("一般公共预算收入", 5.5, "亿元", None),
    ]
    assert all(m.kind == "target" and m.period == "2024年" for m in goals[0].targets)


def test_one_plan_item_per_heading_with_its_targets() -> None:
    plans = {p.area: p for p in _summary(MINI).plans}
    item = plans["聚力项目攻坚"]
    # A target keeps the bound it is written with.
    assert [(m.value, m.unit, m.change) for m in item.targets] == [
        (10, "个", "10个以上"),
        (10, "场", "不少于10场"),
    ]


def test_one_name_serves_figures_of_different_units_but_not_a_same_unit_list() -> None:
    text = MINI.replace(
        "销售亿元以上企业达到45家。", "查处违章建筑448起、10.2万平方米。企业分别达到60家、102家。"
    )
    metrics = [m for a in _summary(text).achievements for m in a.metrics]
    assert _metric(metrics, "查处违章建筑", 448).unit == "起"
    assert _metric(metrics, "查处违章建筑", 10.2).unit == "万平方米"
    # Three counts under one name would read as conflicting values of one indicator.
    assert [m.value for m in metrics if m.name == "企业"] == [60]


def test_a_span_of_years_written_year_to_year_is_the_period_of_its_averages() -> None:
    text = MINI.replace(
        "分别达99.5%、98.4%。",
        "分别达99.5%、98.4%。2003年到2023年，全市地区生产总值由103.97亿元增加到1117.56亿元，"
        "规模扩大了9.8倍，年均增长8.2%。",
    )
    metrics = [m for a in _summary(text).achievements for m in a.metrics]
    average = [m for m in metrics if m.value == 8.2 and m.unit == "%"]
    assert [m.period for m in average] == ["2003年到2023年"]


def test_text_without_recognisable_parts_is_read_as_a_review() -> None:
    text = "某镇情况说明\n全镇完成地区生产总值12亿元，同比增长5%，实现一般公共预算收入1.2亿元。\n"
    summary = _summary(text)
    assert [(m.name, m.value) for a in summary.achievements for m in a.metrics] == [
        ("地区生产总值", 12),
        ("一般公共预算收入", 1.2),
    ]
    assert summary.plans == [] and summary.problems == []


def test_injected_spam_is_never_quoted() -> None:
    text = MINI.replace("新引进重大项目10个以上", "澳门现金赌场新引进重大项目10个以上")
    plans = _summary(text).plans
    quotes = [q for p in plans for q in (*p.evidence, *(m.quote for m in p.targets))]
    assert quotes and not any("赌场" in q for q in quotes)


def test_a_figure_in_a_list_is_never_named_after_the_next_entry() -> None:
    text = MINI.replace(
        "销售亿元以上企业达到45家。",
        "完成农村公厕改造14座、新建7座。佛山市财政资金支持7.97亿元、引进企业投资50.04亿元。"
        "完成营造林30万亩、石漠化治理20平方公里、水土流失治理260平方公里。"
        "新增2个4A级景区、1个国家级水利风景区。",
    )
    metrics = [m for a in _summary(text).achievements for m in a.metrics]
    named = {(m.name, m.value) for m in metrics}
    assert {("农村公厕改造", 14), ("新建", 7), ("引进企业投资", 50.04)} <= named
    assert {("石漠化治理", 20), ("水土流失治理", 260), ("国家级水利风景区", 1)} <= named
    assert not named & {("新建", 14), ("引进企业投资", 7.97), ("水土流失治理", 20)}


def test_figures_about_fighting_gambling_are_figures() -> None:
    text = MINI.replace("销售亿元以上企业达到45家。", "查处涉赌案件12起，打掉赌博团伙3个。")
    metrics = [m for a in _summary(text).achievements for m in a.metrics]
    assert _metric(metrics, "查处涉赌案件", 12).unit == "起"
    assert _metric(metrics, "打掉赌博团伙", 3).unit == "个"


def test_results_are_ordered_spans_that_pass_the_grounding_validators() -> None:
    cleaned, results = _extract(MINI)
    assert results == sorted(results, key=lambda r: r.start)
    for r in results:
        assert 0 <= r.start < r.end <= len(cleaned)
        # With the text as context the models check every quote and every value in its quote.
        data = as_data(r.summary)
        context = ReaskContext(cleaned, None, None, None, False)
        GroundedChunkSummary.model_validate(data, context=context)


def test_engine_interface_and_factory() -> None:
    engine = make_engine(Settings(engine="rules"))
    assert isinstance(engine, RulesEngine)
    assert (engine.name, engine.model) == ("rules", None)
    report = prepare(read_report(ALL_REPORTS[0]), 6000)

    async def run():
        out = await engine.summarize(report)
        await engine.aclose()
        return out

    out = asyncio.run(run())
    assert out.results and out.usage.calls == 0


def test_offline_path_imports_no_model_sdk() -> None:
    code = (
        "import summarizer.engines.rules, summarizer.pipeline, sys; "
        "assert 'openai' not in sys.modules and 'instructor' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# ---------------------------------------------------------------- the ten reports


@cache
def _report_summary(path: Path) -> ReportSummary:
    return asyncio.run(summarize_report(prepare(read_report(path), 6000), RulesEngine())).summary


@pytest.mark.parametrize("path", ALL_REPORTS, ids=lambda p: p.stem)
def test_every_claim_is_verified(path: Path) -> None:
    summary = _report_summary(path)
    flagged = [
        (c.where, c.status, c.text) for c in summary.validation.claims if c.status != "verified"
    ]
    assert summary.validation.verified > 0 and not flagged
    assert not [w for w in summary.warnings if w.kind == "conflicting_values"]


@pytest.mark.parametrize("expected_file", EXPECTED, ids=lambda p: p.stem)
def test_quality_meets_the_targets(expected_file: Path) -> None:
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    path = ROOT / "fixtures" / "reports" / expected["report"]
    s = _report_summary(path)
    headline = bench.score_metrics(
        expected["headline_metrics"], [m for a in s.achievements for m in a.metrics]
    )
    plans = bench.score_metrics(expected["plan_targets"], [m for p in s.plans for m in p.targets])
    problems = bench.score_problems(expected["problems"], [p.text for p in s.problems])
    assert headline.recall >= bench.HEADLINE_RECALL
    assert plans.recall >= bench.PLAN_RECALL
    assert problems.recall >= bench.PROBLEM_RECALL
    # A report that admits no problem gets none; one that does gets only admitted ones.
    assert problems.precision == 1.0


def test_a_long_name_is_cut_after_a_preposition_not_inside_a_word() -> None:
    from summarizer.engines.rules.naming import _clip

    # State Council 2012 printed "央财政已按…": 中央 was cut in two.
    assert _clip("中央财政已按全国财政性教育经费支出占国内生产总值的").startswith("全国财政性")
    assert _clip("三类500强企业或投资额20亿元以上的重大项目和重点产业链项目").endswith("项目")


# ---------------------------------------------------------------- long clauses, look-ups


def test_a_long_unpunctuated_clause_is_read_in_pieces_shared_by_its_figures() -> None:
    from summarizer.engines.rules.text import _CLAUSE_MAX, _Text

    # 2,000 target lines that cleaning joined into one clause with no stop (issue 14).
    body = "".join(f"第{i}个项目投资增长7%" for i in range(1, 2_001))
    text = "二、2024年工作安排\n" + body
    tx = _Text(text)
    pct = [m for m in tx.figures.mentions if m.unit == "%"]
    pieces = sorted({tx.clause(m.start) for m in pct})
    for m in pct:
        a, b = tx.clause(m.start)
        assert a <= m.start and m.end <= b <= a + _CLAUSE_MAX  # the figure whole, in a piece
    assert pieces[0][0] == text.index("第1个") and pieces[-1][1] == len(text)
    assert all(p[1] == q[0] for p, q in itertools.pairwise(pieces))  # they tile the clause
    # Every piece but the last holds many figures: each piece is read once, not per figure.
    assert len(pieces) <= len(body) // (_CLAUSE_MAX - 20) + 1
    assert all(text[b - 1] == "%" for _, b in pieces[:-1])  # each ends where a figure ends
    results = extract(text, outline(text))
    quotes = {m.quote for r in results for p in r.summary.plans for m in p.targets}
    assert quotes and quotes <= {text[a:b] for a, b in pieces}


def test_line_and_estimate_look_ups_agree_with_slicing_on_real_reports() -> None:
    from summarizer.engines.rules.text import _Text

    for path in ALL_REPORTS[:6]:
        text = screen(clean(read_report(str(path)).text)).text
        tx = _Text(text)
        step = max(1, len(text) // 400)
        for pos in range(0, len(text), step):
            assert tx.line_start(pos) == text.rfind("\n", 0, pos) + 1
            for back in (0, 3, 40, 500):
                a = max(0, pos - back)
                assert tx.estimated(a, pos) == ("预计" in text[a:pos])


def test_a_restated_target_is_any_longer_name_ending_in_an_earlier_one() -> None:
    import random

    from summarizer.engines.rules.metrics import _Seen

    rng = random.Random(1)
    for _ in range(500):
        seen, earlier = _Seen(), []
        for _ in range(8):
            name = "".join(rng.choice("物价涨幅控制在居民消费") for _ in range(rng.randint(1, 9)))
            m = Metric(name=name, value=4, unit="%", kind="target", quote=name)
            said = any(len(n) >= 4 and name != n and name.endswith(n) for n in earlier)
            earlier += [] if said else [name]
            assert seen.restated(m, 4.0, "%") is said
