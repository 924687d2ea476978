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
