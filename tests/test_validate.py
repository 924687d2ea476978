import asyncio
import json

import pytest
from click.testing import CliRunner
from loopback import LoopbackServer, Reply, completion, is_reask

from summarizer import checks
from summarizer.clean import clean
from summarizer.cli import main as cli_main
from summarizer.config import Settings
from summarizer.engines.llm import LLMEngine
from summarizer.ingest import Document
from summarizer.pipeline import check_summary, finish, prepare, summarize_report
from summarizer.records import (
    Achievement,
    Metric,
    Plan,
    Problem,
    ReportSummary,
    json_bytes,
    replace,
)
from summarizer.screen import screen
from summarizer.structure import outline
from summarizer.validate import Source, check_metric, check_quote, drop_flagged, validate_summary

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
    s = replace(s, validation=validate_summary(s, Source(SOURCE, CLEAN)))
    pruned = drop_flagged(s)
    assert pruned.achievements[0].metrics == [] and pruned.achievements[0].evidence == []
    assert pruned.plans[0].targets  # untouched
    assert validate_summary(pruned, Source(SOURCE, CLEAN)).flagged == 0


# --- direction, period, kind by part, spam, location -----------------------------------------

REPORT = (
    "一、2019年工作总结\n"
    "2019年，全镇完成固定资产投资12亿元，同比下降3%；税收收入增长10%。"
    "1-9月，规上工业产值增长8%。\n"
    "二、2020年工作思路\n"
    "2020年，力争固定资产投资增长10%，新增高新技术企业5家。\n"
)


def _source(spam=(), with_outline=True):
    cleaned = clean(REPORT)
    out = outline(cleaned.text) if with_outline else None
    return Source(REPORT, cleaned, outline=out, spam_spans=spam)


def _m(**kw):
    base = dict(
        name="固定资产投资",
        value=12,
        unit="亿元",
        kind="actual",
        quote="全镇完成固定资产投资12亿元",
    )
    return Metric(**{**base, **kw})


def _one(metric=None, target=None, text="", evidence=(), src=None):
    """The claims of a summary holding one achievement metric and/or one plan target."""
    s = ReportSummary(
        meta={"source": "r.txt", "source_sha256": "0" * 64, "engine": "rules"},
        achievements=[
            Achievement(
                area="a", text=text, metrics=[metric] if metric else [], evidence=list(evidence)
            )
        ],
        plans=[Plan(area="p", text="", targets=[target] if target else [])],
    )
    return {c.where: c for c in validate_summary(s, src or _source()).claims}


ACH, TGT = "achievements[0].metrics[0]", "plans[0].targets[0]"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ("同比下降3%", "verified"),
        ("下降3%", "verified"),
        ("同比增长3%", "direction_mismatch"),  # 增长 claimed where the source says 下降
        ("增长", "direction_mismatch"),
        ("同比下降4%", "value_mismatch"),  # a change figure the source does not state
    ],
)
def test_change_is_checked_against_the_sentence_of_the_quote(change, status):
    assert _one(_m(change=change))[ACH].status == status


def test_direction_of_a_change_inside_the_quote():
    m = _m(name="规上工业产值", value=8, unit="%", quote="规上工业产值增长8%", change="下降8%")
    claim = _one(m)[ACH]
    assert claim.status == "direction_mismatch" and "增加" in claim.detail


@pytest.mark.parametrize(
    ("period", "status"),
    [
        ("1-9月", "verified"),
        ("2019年1-9月", "verified"),
        ("前三季度", "verified"),
        ("全年", "period_mismatch"),  # 1-9月 reported as the whole year
        ("2019年", "verified"),
        ("2020年", "period_mismatch"),  # the review year reported as the plan year
        (None, "verified"),
    ],
)
def test_period_contradicting_the_source_is_flagged(period, status):
    m = _m(name="规上工业产值", value=8, unit="%", quote="规上工业产值增长8%", period=period)
    assert _one(m)[ACH].status == status


def test_year_of_a_quote_comes_from_its_paragraph_or_its_part():
    assert _one(_m(period="2019年"))[ACH].status == "verified"
    assert _one(_m(period="2018年"))[ACH].status == "period_mismatch"
    t = _m(name="高新技术企业", value=5, unit="家", kind="target", quote="新增高新技术企业5家")
    assert _one(target=replace(t, period="2020年"))[TGT].status == "verified"
    assert _one(target=replace(t, period="2021年"))[TGT].status == "period_mismatch"


def test_part_of_the_report_decides_target_or_achievement():
    target = _m(name="高新技术企业", value=5, unit="家", quote="新增高新技术企业5家")
    # A plan-part figure reported as this year's achievement, kind consistent with its list.
    claim = _one(metric=target)[ACH]
    assert claim.status == "kind_mismatch" and "计划" in claim.detail
    assert _one(target=replace(target, kind="target"))[TGT].status == "verified"
    # A review figure reported as a plan target.
    assert _one(target=_m(kind="target"))[TGT].status == "kind_mismatch"
    # Without an outline the part is silent, but the figure's own sentence still speaks:
    # "2020年，力争…新增高新技术企业5家" is worded as a plan.
    assert _one(metric=target, src=_source(with_outline=False))[ACH].status == "kind_mismatch"
    assert _one(metric=_m(), src=_source(with_outline=False))[ACH].status == "verified"


def test_a_quote_found_in_both_parts_is_verified_where_it_fits():
    t = _m(name="固定资产投资", value=10, unit="%", kind="target", quote="增长10%")
    claim = _one(target=t)[TGT]
    assert claim.status == "verified" and "工作计划" in claim.detail


def test_quotes_and_numbers_from_flagged_spans_are_spam():
    cleaned = clean(REPORT).text
    a = cleaned.index("新增高新技术企业5家")
    src = _source(spam=[(a, a + len("新增高新技术企业5家"))])
    t = _m(name="高新技术企业", value=5, unit="家", kind="target", quote="新增高新技术企业5家")
    claims = _one(target=t, text="新增高新技术企业5家", evidence=["高新技术企业5家"], src=src)
    assert claims[TGT].status == "spam"
    assert claims["achievements[0].evidence[0]"].status == "spam"
    assert claims["achievements[0].text"].status == "spam"
    # The same quote checked against a source with no flagged spans is fine.
    assert _one(target=t)[TGT].status == "verified"
    # A quote only touching the span's neighbourhood is not spam.
    assert _one(_m(), src=src)[ACH].status == "verified"


def test_verified_claims_say_where_in_the_source_they_are():
    claim = _one(_m())[ACH]
    assert claim.detail.startswith("原文第2行") and "工作回顾" in claim.detail
    # With the offset map of the clean text, offsets are those of the source text.
    src = Source(SOURCE, clean(SOURCE))
    s = _summary(evidence=["一是产业升级不够快"])
    v = {c.where: c for c in validate_summary(s, src).claims}
    assert f"第{SOURCE.index('一是产业升级')}字" in v["achievements[0].evidence[0]"].detail


def test_strict_drops_claims_with_the_new_statuses():
    good = _m(change="同比下降3%")
    bad = _m(change="同比增长3%")
    s = ReportSummary(
        meta={"source": "r.txt", "source_sha256": "0" * 64, "engine": "rules"},
        achievements=[Achievement(area="a", text="", metrics=[good, bad])],
    )
    outcome = finish(s, _source(), strict=True)
    assert outcome.flagged_before_strict == 1
    assert outcome.summary.achievements[0].metrics == [good]
    assert outcome.summary.validation.flagged == 0


def test_check_summary_reads_the_parts_of_the_source(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    target = _m(name="高新技术企业", value=5, unit="家", quote="新增高新技术企业5家")
    s = ReportSummary(
        meta={"source": "r.txt", "source_sha256": "0" * 64, "engine": "llm"},
        achievements=[Achievement(area="a", text="", metrics=[target])],
    )
    checked = check_summary(s, str(path))
    assert [c.status for c in checked.validation.claims] == ["kind_mismatch"]
    out = tmp_path / "s.json"
    out.write_bytes(json_bytes(s))
    r = CliRunner().invoke(cli_main, ["validate", str(out), "--source", str(path)])
    assert r.exit_code == 1 and "kind_mismatch" in r.output


def test_figures_bound_to_their_names_in_list_quotes():
    assert checks.BIND_NAMES  # on by default
    quote = "低保金196万元、慈善基金10万元、临时救助金11万元"
    src = Source(quote + "。")

    def status(name, value):
        m = Metric(name=name, value=value, unit="万元", kind="actual", quote=quote)
        return check_metric(m, "m", src, False).status

    assert status("慈善基金", 10) == "verified"
    assert status("慈善基金", 11) == "value_mismatch"  # 11万元 is 临时救助金's
    assert status("救助", 11) == "verified"  # a name not written in the quote binds nothing
    q2 = "实际到账外资首破4亿美元,达4.4亿美元"
    m = Metric(name="实际到账外资", value=4.4, unit="亿美元", kind="actual", quote=q2)
    assert check_metric(m, "m", Source(q2), False).status == "verified"


@pytest.mark.parametrize(
    ("name", "value", "unit", "quote", "status"),
    [
        ("新建", 14, "座", "完成农村公厕改造14座、新建7座", "value_mismatch"),
        ("新建", 7, "座", "完成农村公厕改造14座、新建7座", "verified"),
        ("引进企业投资", 7.97, "亿元", "佛山市财政资金支持7.97亿元、引进企业投资50.04亿元",
         "value_mismatch"),
        # A name inside a longer noun binds nothing there (新冠疫苗接种点 is a place).
        ("新冠疫苗接种", 91322, "针", "投入77万元新设新冠疫苗接种点，累计接种91322针", "verified"),
        # A name written after its figure is bound to it.
        ("合作社", 4, "家", "农民专业合作社74家,舜溪果品等4家合作社获评国家农民合作社示范社",
         "verified"),
    ],
)  # fmt: skip
def test_a_name_binds_only_the_figures_written_with_it(name, value, unit, quote, status):
    m = Metric(name=name, value=value, unit=unit, kind="actual", quote=quote)
    assert check_metric(m, "m", Source(quote + "。"), False).status == status


QUOTE = "全镇完成固定资产投资12亿元"


def test_live_path_reasks_a_flipped_direction_with_the_validators_reason():
    text = "一、2019年工作总结\n2019年，全镇完成固定资产投资12亿元，同比下降3%。\n"

    def answer(change):
        metric = {"name": "固定资产投资", "value": 12, "unit": "亿元", "period": "2019年",
                  "change": change, "kind": "actual", "quote": QUOTE}  # fmt: skip
        item = {"area": "投资", "text": "完成固定资产投资12亿元", "metrics": [metric],
                "evidence": []}  # fmt: skip
        return {"achievements": [item], "problems": [], "plans": []}

    def brain(body):
        return Reply(
            body=completion(body, answer("同比下降3%" if is_reask(body) else "同比增长3%"))
        )

    doc = Document(name="t.txt", text=text, title_hint=None, encoding="utf-8", format="text",
                   sha256="0" * 64)  # fmt: skip
    with LoopbackServer(brain) as srv:
        settings = Settings(engine="llm", base_url=srv.base_url, api_key="sk-test", reasks=2)

        async def go():
            engine = LLMEngine(settings)
            try:
                return await summarize_report(prepare(doc, 6000), engine)
            finally:
                await engine.aclose()

        outcome = asyncio.run(go())
    assert len(srv.requests) == 2
    reask = json.dumps(srv.requests[1].body["messages"], ensure_ascii=False)
    assert "方向相反" in reask and "同比增长3%" in reask
    s = outcome.summary
    assert s.validation.flagged == 0 and s.achievements[0].metrics[0].change == "同比下降3%"


def test_quotes_of_text_screening_deleted_are_spam_not_verified_from_the_source():
    # Screening deletes injected spans from the clean text; the source text still has them,
    # and a quote found only there must not pass as the report's own words.
    text = "一、2019年工作总结\n查家湾村建成澳门现金赌场焦溪翠谷，完成投资3亿元。\n"
    src = Source(text, screen(clean(text)))
    assert check_quote("建成澳门现金赌场焦溪翠谷", "e", src).status == "spam"
    assert check_quote("查家湾村建成焦溪翠谷", "e", src).status == "verified"
    m = Metric(
        name="投资",
        value=3,
        unit="亿元",
        kind="actual",
        quote="澳门现金赌场焦溪翠谷，完成投资3亿元",
    )
    assert check_metric(m, "m", src, False).status == "spam"
