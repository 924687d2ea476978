import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from summarizer.models import (
    ANNOTATION_FIELDS,
    ChunkSummary,
    Metric,
    ReportSummary,
    summary_json_schema,
)

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schemas" / "report_summary.schema.json"

CHUNK = "1-10月，园镇实现地区生产总值 69 亿元，同比增长 7%；实际到账外资6466万美元。"


def _metric(**kw):
    base = {
        "name": "地区生产总值",
        "value": 69,
        "unit": "亿元",
        "period": "1-10月",
        "change": "同比增长7%",
        "kind": "actual",
        "quote": "实现地区生产总值69亿元",
    }
    base.update(kw)
    return base


def _answer(metric=None, evidence=None, where="achievements"):
    item = {"area": "经济运行", "text": "地区生产总值69亿元", "evidence": evidence or []}
    item["metrics" if where == "achievements" else "targets"] = [metric or _metric()]
    return {where: [item]}


def test_committed_schema_matches_the_models():
    # Regenerate with: summarizer schema > schemas/report_summary.schema.json
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == summary_json_schema()


def test_schema_has_the_contract_fields():
    schema = summary_json_schema()
    assert set(schema["properties"]) == {
        "schema_version",
        "meta",
        "overview",
        "achievements",
        "problems",
        "plans",
        "warnings",
        "validation",
    }
    metric = schema["$defs"]["Metric"]["properties"]
    schema1 = {"name", "value", "unit", "period", "change", "kind", "quote"}
    assert set(metric) == schema1 | set(ANNOTATION_FIELDS)  # schema 2 added the annotations
    assert metric["kind"]["enum"] == ["actual", "estimate", "cumulative", "target"]


def test_grounded_answer_passes_with_context():
    ok = ChunkSummary.model_validate(_answer(), context={"chunk_text": CHUNK})
    assert ok.achievements[0].metrics[0].value == 69


def test_quote_not_in_chunk_is_rejected_with_a_reason_the_model_can_act_on():
    bad = _answer(_metric(quote="实现地区生产总值七十亿元"))
    with pytest.raises(ValidationError, match="逐字"):
        ChunkSummary.model_validate(bad, context={"chunk_text": CHUNK})


def test_value_not_in_quote_is_rejected_scale_aware():
    with pytest.raises(ValidationError, match="不在其引文中"):
        ChunkSummary.model_validate(_answer(_metric(value=70)), context={"chunk_text": CHUNK})
    # 6466万美元 written as 0.6466亿美元 is the same amount.
    m = _metric(name="实际到账外资", value=0.6466, unit="亿美元", quote="实际到账外资6466万美元")
    ChunkSummary.model_validate(_answer(m), context={"chunk_text": CHUNK})


def test_evidence_must_be_in_chunk():
    with pytest.raises(ValidationError, match="证据"):
        ChunkSummary.model_validate(
            _answer(evidence=["全年完成投资100亿元"]), context={"chunk_text": CHUNK}
        )


def test_target_reported_as_achievement_is_rejected_and_the_reverse():
    with pytest.raises(ValidationError, match="计划目标"):
        ChunkSummary.model_validate(_answer(_metric(kind="target")), context={"chunk_text": CHUNK})
    with pytest.raises(ValidationError, match="target"):
        ChunkSummary.model_validate(_answer(where="plans"), context={"chunk_text": CHUNK})


def test_without_context_no_grounding_is_applied():
    # A summary read back from a file is checked by validate.py, not by the model validators.
    s = ChunkSummary.model_validate(_answer(_metric(quote="不在原文")))
    assert s.achievements[0].metrics[0].quote == "不在原文"


def test_integral_values_serialise_as_integers():
    m = Metric.model_validate(_metric(value=69.0))
    assert json.loads(m.model_dump_json())["value"] == 69
    assert json.loads(Metric.model_validate(_metric(value=4.74)).model_dump_json())["value"] == 4.74


def test_summary_round_trips_and_rejects_other_schema_versions():
    s = ReportSummary.model_validate(
        {"meta": {"source": "x.txt", "source_sha256": "0" * 64, "engine": "rules"}}
    )
    again = ReportSummary.model_validate_json(s.model_dump_json())
    assert again == s and again.schema_version == "2"
    old = ReportSummary.model_validate({**json.loads(s.model_dump_json()), "schema_version": "1"})
    assert old.schema_version == "1"  # schema 2 only added fields: a schema-1 summary reads
    with pytest.raises(ValidationError):
        ReportSummary.model_validate({**json.loads(s.model_dump_json()), "schema_version": "3"})


def test_unit_written_in_another_scale_is_rejected_as_a_unit_error():
    with pytest.raises(ValidationError, match="单位或量级"):
        ChunkSummary.model_validate(_answer(_metric(unit="万元")), context={"chunk_text": CHUNK})


def test_flipped_direction_is_rejected():
    with pytest.raises(ValidationError, match="方向相反"):
        ChunkSummary.model_validate(
            _answer(_metric(change="同比下降7%")), context={"chunk_text": CHUNK}
        )


def test_period_contradicting_the_chunk_is_rejected():
    with pytest.raises(ValidationError, match="时期"):
        ChunkSummary.model_validate(_answer(_metric(period="全年")), context={"chunk_text": CHUNK})


NEUTRAL = "园镇新增高新技术企业5家，建成标准厂房12万平方米。"


@pytest.mark.parametrize(
    ("section", "where", "kind", "message"),
    [
        ("plan", "achievements", "actual", "计划部分"),
        ("review", "plans", "target", "工作回顾部分"),
    ],
)
def test_the_chunks_part_is_a_witness_only_when_the_structure_is_sure(
    section, where, kind, message
):
    m = _metric(
        name="高新技术企业",
        value=5,
        unit="家",
        kind=kind,
        quote="园镇新增高新技术企业5家",
        change=None,
        period=None,
    )
    answer = _answer(m, where=where)
    ChunkSummary.model_validate(answer, context={"chunk_text": NEUTRAL})  # no part: no opinion
    unsure = {"chunk_text": NEUTRAL, "section": section, "confident": False}
    ChunkSummary.model_validate(answer, context=unsure)  # an unsure reading is no witness
    with pytest.raises(ValidationError, match=message):
        ChunkSummary.model_validate(answer, context={**unsure, "confident": True})


def test_the_sentence_outweighs_a_lone_part():
    # "同比增长" reads as a result: in a plan chunk the part alone does not outvote it.
    answer = _answer(_metric(kind="actual"), where="achievements")
    ctx = {"chunk_text": CHUNK, "section": "plan", "confident": True}
    ChunkSummary.model_validate(answer, context=ctx)


def test_structural_kind_message_comes_first_whatever_the_part():
    # A re-ask's text is part of a recorded exchange: the list-vs-kind reason stays the same.
    answer = _answer(_metric(kind="actual"), where="plans")
    with pytest.raises(ValidationError, match="kind 应为 target"):
        ChunkSummary.model_validate(answer, context={"chunk_text": CHUNK, "section": "plan"})
