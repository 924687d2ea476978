"""Target or result, by independent evidence: the part (when sure), the wording, the period."""

from __future__ import annotations

import pytest

from summarizer.checks import CheckText, check_metric_kind
from summarizer.kinds import RESULT, TARGET, kind_evidence
from summarizer.records import Metric
from summarizer.structure import SectionKind, outline

PLAN, REVIEW = SectionKind.PLAN, SectionKind.REVIEW


def _metric(quote: str, value: float, unit: str, kind: str = "actual") -> Metric:
    return Metric(name="x", value=value, unit=unit, kind=kind, quote=quote)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sentence", "wording", "period"),
    [
        ("2024年，力争地区生产总值增长6%", TARGET, TARGET),
        ("2023年，全市地区生产总值同比增长6.2%", RESULT, RESULT),
        ("到2025年，全市森林覆盖率达到60%", None, TARGET),  # a deadline
        ("与2019年相比，单位生产总值能耗下降4.8%", None, None),  # a base, not a period
        ("比2019年下降4.8%", None, None),
        ("2019年以来，累计完成投资300亿元", RESULT, RESULT),
        ("经济运行好于预期，实现地区生产总值500亿元", None, None),  # 好于预期 is no target
    ],
)
def test_wording_and_period_witnesses(sentence: str, wording: str | None, period: str | None):
    ev = kind_evidence(sentence, len(sentence) - 2, None, False, 2023, 2024)
    assert (ev.wording, ev.period) == (wording, period)


def test_the_part_speaks_only_when_the_structure_is_sure():
    s = "新建养老家庭照护床位2000张"
    assert kind_evidence(s, 6, PLAN, True, 2023, 2024).part == TARGET
    assert kind_evidence(s, 6, PLAN, False, 2023, 2024).part is None


def _chunk(text: str, part: SectionKind, confident: bool) -> CheckText:
    return CheckText(text, section=part, years=(2023, 2024), confident=confident)


def test_reask_never_pushes_a_correct_target_into_achievements():
    # The structure stage misread the part (review) and says it is unsure; the sentence names
    # the plan year. A model that calls the figure a 2024 target is right and is not re-asked.
    text = _chunk("2024年，新建养老家庭照护床位2000张。", REVIEW, confident=False)
    quote = "2024年，新建养老家庭照护床位2000张"
    target = _metric(quote, 2000, "张", kind="target")
    assert check_metric_kind(target, True, text, text.find(quote)) is None
    # Reported as an achievement it is flagged, by the period alone.
    found = check_metric_kind(_metric(quote, 2000, "张"), False, text, text.find(quote))
    assert found is not None and found.status == "kind_mismatch" and "计划年份" in found.detail


def test_a_sure_part_and_the_wording_outvote_a_silent_period():
    text = _chunk("力争新增高新技术企业5家。", PLAN, confident=True)
    quote = "力争新增高新技术企业5家"
    assert check_metric_kind(_metric(quote, 5, "家"), False, text, text.find(quote)) is not None


def test_evenly_split_witnesses_leave_the_kind_alone():
    # In the plan part (sure) a sentence worded as a result ("比上年增长"): one each way.
    text = _chunk("地区生产总值比上年增长7%左右。", PLAN, confident=True)
    quote = "地区生产总值比上年增长7%左右"
    assert (
        check_metric_kind(_metric(quote, 7, "%", kind="target"), True, text, text.find(quote))
        is None
    )


def test_review_figure_reported_as_target_is_flagged_on_a_sure_outline():
    report = (
        "一、2023年工作回顾\n2023年，全市地区生产总值同比增长6.2%。\n"
        "二、2024年工作安排\n力争增长6%。\n"
    )
    o = outline(report)
    text = CheckText(report, o)
    quote = "全市地区生产总值同比增长6.2%"
    found = check_metric_kind(_metric(quote, 6.2, "%", kind="target"), True, text, text.find(quote))
    assert found is not None and "实绩" in found.detail
