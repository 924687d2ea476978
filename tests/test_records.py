"""The pipeline's plain records against the contract's pydantic models: the same fields, in
the same order, with the same defaults, and the same JSON, byte for byte, for real reports."""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path

import pytest
from conftest import REPORTS

from summarizer import models, records
from summarizer.config import Settings
from summarizer.models import read_summary, summary_model
from summarizer.pipeline import summarize_file
from summarizer.records import as_data, from_data, json_bytes, replace

PAIRS = [(r, getattr(models, r.__name__)) for r in records.RECORDS]
CORPUS = REPORTS.parent / "corpus"
# Real reports of several kinds: a town's, a city's of 2024, a State Council's corpus row.
SAMPLES = [
    REPORTS / "luoxi-2021.txt",
    REPORTS / "zhenglu-2020.txt",
    *sorted((CORPUS / "city-2024").iterdir())[:3],
]


def test_every_model_has_its_record():
    assert len(PAIRS) == len(records.RECORDS) == 11
    assert {m for _, m in PAIRS} >= {models.ReportSummary, models.ChunkSummary, models.Claim}


@pytest.mark.parametrize(("record", "model"), PAIRS, ids=lambda x: getattr(x, "__name__", ""))
def test_a_record_has_its_models_fields_in_order_with_the_same_defaults(record, model):
    fields = dataclasses.fields(record)
    assert [f.name for f in fields] == list(model.model_fields)
    for f in fields:
        info = model.model_fields[f.name]
        if f.default is not dataclasses.MISSING:
            assert info.get_default(call_default_factory=True) == f.default, f.name
        elif f.default_factory is not dataclasses.MISSING:
            made = info.get_default(call_default_factory=True)
            assert as_data(f.default_factory()) == (
                made.model_dump() if hasattr(made, "model_dump") else made
            ), f.name
        else:
            assert info.is_required(), f.name


@cache
def _summary(path: Path) -> records.ReportSummary:
    return summarize_file(str(path), Settings(engine="rules")).summary


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_the_json_is_the_bytes_pydantic_writes_and_reads_back_equal(path):
    summary = _summary(path)
    assert summary.validation.claims, "a real summary, with claims"
    written = json_bytes(summary)
    assert written == summary_model(summary).model_dump_json(indent=2).encode() + b"\n"
    assert read_summary(written) == summary


def test_whole_numbers_are_written_as_integers_and_others_as_pydantic_writes_them():
    floats = [69.0, 7.5, 0.1, 1e-7, 1.5e20, 2.0**53, 1e16, -0.0, 123456789.123, 1 / 3]
    metrics = [
        records.Metric(name="x", value=v, unit="", kind="actual", quote="x", low=v, high=None)
        for v in floats
    ]
    s = records.ReportSummary(
        meta=records.Meta(source="s", source_sha256="0" * 64, engine="rules"),
        achievements=[records.Achievement(area="a", text="t", metrics=metrics)],
    )
    written = json_bytes(s)
    assert written == summary_model(s).model_dump_json(indent=2).encode() + b"\n"
    values = [m["value"] for m in json.loads(written)["achievements"][0]["metrics"]]
    assert values[0] == 69 and isinstance(values[0], int) and values[1] == 7.5
    assert b'"value": 69,' in written and b'"value": 7.5,' in written


def test_from_data_builds_nested_records_and_ignores_what_the_contract_ignores():
    data = {
        "meta": {"source": "a.txt", "source_sha256": "ab" * 32, "engine": "rules", "extra": 1},
        "plans": [{"area": "项目", "text": "攻坚", "targets": [
            {"name": "投资", "value": 5, "unit": "亿元", "kind": "target", "quote": "投资5亿元"}
        ]}],
        "unknown": [1, 2],
    }  # fmt: skip
    s = from_data(records.ReportSummary, data)
    assert isinstance(s.meta, records.Meta) and isinstance(s.meta.usage, records.Usage)
    target = s.plans[0].targets[0]
    assert isinstance(target, records.Metric) and target.value == 5 and target.span is None
    # A schema-1 summary (no annotation fields) reads through the model into the same record.
    assert read_summary(json.dumps(data)) == s


def test_replace_copies_and_leaves_the_record_as_it_was():
    m = records.Metric(name="GDP", value=69.0, unit="亿元", kind="actual", quote="GDP69亿元")
    moved = replace(m, span=[3, 9])
    assert moved.span == [3, 9] and m.span is None and moved.name == m.name
    assert replace(m) is m


def test_replace_copies_every_field_and_refuses_one_the_record_lacks():
    m = records.Metric(name="GDP", value=69.0, unit="亿元", kind="actual", quote="GDP69亿元")
    moved = replace(m, span=[3, 9], period="2024年")
    assert moved == dataclasses.replace(m, span=[3, 9], period="2024年")
    with pytest.raises(TypeError):
        replace(m, spam=1)
    # Only the summary's records: a frozen dataclass (a period, a heading) is not one.
    from summarizer.periods import Period

    with pytest.raises(TypeError, match="not a Period"):
        replace(Period(0, 5, "2024年", "year", 2024, None), start=1)
