"""The re-ask validators: the contract models, grounded in the chunk the model was given."""

import json

import pytest
from pydantic import ValidationError
from test_models import _answer, _metric

from summarizer import models
from summarizer.reask import ChunkSummary, ReaskContext
from summarizer.structure import SectionKind

CHUNK = "1-10月，园镇实现地区生产总值 69 亿元，同比增长 7%；实际到账外资6466万美元。"


def _ctx(text=CHUNK, part=None, confident=False):
    return ReaskContext(text, part, None, None, confident)


def test_the_tool_sent_to_the_model_is_the_contracts():
    # The recorded exchanges carry this tool: grounding must not change what the model sees.
    import instructor

    def tool(model: type) -> str:
        return json.dumps(instructor.openai_schema(model).openai_schema, ensure_ascii=False)

    assert tool(ChunkSummary) == tool(models.ChunkSummary)
    assert '"name": "ChunkSummary"' in tool(ChunkSummary)


def test_the_context_is_the_prompts_variables_as_a_mapping():
    ctx = ReaskContext("正文", SectionKind.PLAN, 2019, 2020, True, {"chunk_text": "正文"})
    assert dict(**ctx) == {"chunk_text": "正文"}  # what instructor renders the templates with
    assert ctx.chunk.section is SectionKind.PLAN and ctx.chunk.years == (2019, 2020)
    assert ctx.chunk is ctx.chunk  # built once, reused by every re-ask


def test_a_plain_summary_ignores_the_context():
    # The contract has no validators of its own: a wrong quote passes until validate flags it.
    bad = _answer(_metric(quote="实现地区生产总值七十亿元"))
    assert models.ChunkSummary.model_validate(bad, context=_ctx()).achievements


def test_grounded_answer_passes_with_context():
    ok = ChunkSummary.model_validate(_answer(), context=_ctx())
    assert ok.achievements[0].metrics[0].value == 69


def test_quote_not_in_chunk_is_rejected_with_a_reason_the_model_can_act_on():
    bad = _answer(_metric(quote="实现地区生产总值七十亿元"))
    with pytest.raises(ValidationError, match="逐字"):
        ChunkSummary.model_validate(bad, context=_ctx())


def test_value_not_in_quote_is_rejected_scale_aware():
    with pytest.raises(ValidationError, match="不在其引文中"):
        ChunkSummary.model_validate(_answer(_metric(value=70)), context=_ctx())
    # 6466万美元 written as 0.6466亿美元 is the same amount.
    m = _metric(name="实际到账外资", value=0.6466, unit="亿美元", quote="实际到账外资6466万美元")
    ChunkSummary.model_validate(_answer(m), context=_ctx())


def test_evidence_must_be_in_chunk():
    with pytest.raises(ValidationError, match="证据"):
        ChunkSummary.model_validate(_answer(evidence=["全年完成投资100亿元"]), context=_ctx())


def test_target_reported_as_achievement_is_rejected_and_the_reverse():
    with pytest.raises(ValidationError, match="计划目标"):
        ChunkSummary.model_validate(_answer(_metric(kind="target")), context=_ctx())
    with pytest.raises(ValidationError, match="target"):
        ChunkSummary.model_validate(_answer(where="plans"), context=_ctx())


def test_unit_written_in_another_scale_is_rejected_as_a_unit_error():
    with pytest.raises(ValidationError, match="单位或量级"):
        ChunkSummary.model_validate(_answer(_metric(unit="万元")), context=_ctx())


def test_flipped_direction_is_rejected():
    with pytest.raises(ValidationError, match="方向相反"):
        ChunkSummary.model_validate(_answer(_metric(change="同比下降7%")), context=_ctx())


def test_period_contradicting_the_chunk_is_rejected():
    with pytest.raises(ValidationError, match="时期"):
        ChunkSummary.model_validate(_answer(_metric(period="全年")), context=_ctx())


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
    ChunkSummary.model_validate(answer, context=_ctx(NEUTRAL))  # no part: no opinion
    unsure = _ctx(NEUTRAL, SectionKind(section), confident=False)
    ChunkSummary.model_validate(answer, context=unsure)  # an unsure reading is no witness
    with pytest.raises(ValidationError, match=message):
        ChunkSummary.model_validate(answer, context=_ctx(NEUTRAL, SectionKind(section), True))


def test_the_sentence_outweighs_a_lone_part():
    # "同比增长" reads as a result: in a plan chunk the part alone does not outvote it.
    answer = _answer(_metric(kind="actual"), where="achievements")
    ctx = _ctx(CHUNK, SectionKind.PLAN, confident=True)
    ChunkSummary.model_validate(answer, context=ctx)


def test_structural_kind_message_comes_first_whatever_the_part():
    # A re-ask's text is part of a recorded exchange: the list-vs-kind reason stays the same.
    answer = _answer(_metric(kind="actual"), where="plans")
    with pytest.raises(ValidationError, match="kind 应为 target"):
        ChunkSummary.model_validate(answer, context=_ctx(CHUNK, SectionKind.PLAN))
