import pytest

from summarizer.models import Achievement, Metric, Plan, Problem, ReportSummary
from summarizer.validate import Source, drop_flagged, validate_summary

SOURCE = (
    "1-10月，园镇实现地区生产总值 69 亿元，同比增长 7%；实际到账外资6466万美元。\n"
    "- 6 -\n"
    "一是产业升级不够快。2020年目标：一般公共预算收入增长10%以上。"
)
CLEAN = SOURCE.replace("- 6 -\n", "")


def _summary(metric=None, target=None, text="地区生产总值69亿元", evidence=None, problem=None):
    metric = metric or Metric(
        name="地区生产总值", value=69, unit="亿元", kind="actual", quote="实现地区生产总值69亿元"
    )
    target = target or Metric(
        name="一般公共预算收入",
        value=10,
        unit="%",
        kind="target",
        quote="一般公共预算收入增长10%以上",
    )
    return ReportSummary(
        meta={"source": "s.txt", "source_sha256": "0" * 64, "engine": "rules"},
        achievements=[
            Achievement(area="经济", text=text, metrics=[metric], evidence=evidence or [])
        ],
        problems=[Problem(text=problem or "产业升级不够快", evidence=["一是产业升级不够快"])],
        plans=[Plan(area="财政", text="一般公共预算收入增长10%以上", targets=[target])],
    )


def _status(summary, where):
    v = validate_summary(summary, Source(SOURCE, CLEAN))
    return {c.where: c.status for c in v.claims}[where]


def test_a_correct_summary_is_fully_verified():
    v = validate_summary(_summary(), Source(SOURCE, CLEAN))
    assert v.flagged == 0 and v.verified == len(v.claims) > 4


@pytest.mark.parametrize(
    ("metric", "status"),
    [
        (dict(value=70), "value_mismatch"),
        (dict(unit="万元"), "unit_mismatch"),
        (dict(quote="实现地区生产总值96亿元"), "quote_not_found"),
        (dict(kind="target"), "kind_mismatch"),
        (dict(value=690000, unit="万元"), "verified"),  # same amount, other scale
    ],
)
def test_metric_checks(metric, status):
    base = dict(
        name="地区生产总值", value=69, unit="亿元", kind="actual", quote="实现地区生产总值69亿元"
    )
    s = _summary(metric=Metric(**{**base, **metric}))
    assert _status(s, "achievements[0].metrics[0]") == status


def test_target_reported_as_actual_is_a_kind_mismatch():
    t = Metric(
        name="一般公共预算收入",
        value=10,
        unit="%",
        kind="actual",
        quote="一般公共预算收入增长10%以上",
    )
    assert _status(_summary(target=t), "plans[0].targets[0]") == "kind_mismatch"


def test_numbers_in_text_fields_must_exist_in_the_source():
    s = _summary(text="地区生产总值79亿元")
    assert _status(s, "achievements[0].text") == "number_not_found"
    assert (
        _status(
            _summary(text="地区生产总值6.9e9元".replace("6.9e9", "690000万")),
            "achievements[0].text",
        )
        == "verified"
    )


def test_quote_spanning_a_removed_page_number_is_found_in_the_clean_text():
    s = _summary(evidence=["实际到账外资6466万美元。一是产业升级不够快"])
    assert _status(s, "achievements[0].evidence[0]") == "verified"


def test_drop_flagged_removes_exactly_the_flagged_claims():
    bad_metric = Metric(
        name="地区生产总值", value=70, unit="亿元", kind="actual", quote="实现地区生产总值69亿元"
    )
    s = _summary(metric=bad_metric, evidence=["不在原文的句子"])
    s = s.model_copy(update={"validation": validate_summary(s, Source(SOURCE, CLEAN))})
    pruned = drop_flagged(s)
    assert pruned.achievements[0].metrics == [] and pruned.achievements[0].evidence == []
    assert pruned.plans[0].targets  # untouched
    assert validate_summary(pruned, Source(SOURCE, CLEAN)).flagged == 0
