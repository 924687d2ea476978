"""The summary contract (schema_version "2") and the model's per-chunk answer, as pydantic models.

The pipeline holds a summary as plain records (records.py: the same fields, order and
defaults, held to these by tests/test_records.py); these models are the contract at its edges:
the JSON Schema, what `summarizer validate`, panel and track read, what the model answers.

`ReportSummary` is what `--format json` writes and `summarizer validate` reads; its JSON Schema
is committed under schemas/. `ChunkSummary` is what the model returns for one chunk. This module
is plain data and imports none of the checking code: the validators that check a model's answer
against its chunk (and make instructor re-ask) subclass these models in `reask`.
Field descriptions are written for the model, in Chinese.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, model_validator

from . import records
from .records import (
    ANNOTATION_FIELDS,
    SCHEMA_VERSION,
    Bound,
    ClaimStatus,
    MetricKind,
    PeriodSource,
    SchemaVersion,
    plain_number,
)

Number = Annotated[float, PlainSerializer(plain_number, return_type=Any)]


def _no_items() -> list[Any]:
    # The lists' default factory, a Python function rather than `list`: pydantic reads each
    # factory's signature, and a builtin's is parsed from its text by the tokenizer (3 ms of
    # every run's start-up for the 14 list fields).
    return []


def _compact_schema(schema: dict[str, Any]) -> None:
    # The schema is sent with every chunk, so it carries only what the model needs: no field
    # titles, no class docstrings (the system prompt states the rules once). Model titles stay:
    # instructor names the tool after them.
    schema.pop("description", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="ignore", populate_by_name=True, json_schema_extra=_compact_schema
    )


class Metric(_Model):
    """A quantified indicator, as written in the report."""

    name: str = Field(description="原文的指标名称")
    value: Number | None = Field(description="原文数值，不换算")
    unit: str = Field(description="原文单位，含量级，如亿元、万美元、%、个百分点；无则空串")
    period: str | None = Field(default=None, description="原文时期，如1-10月、2019年、全年")
    change: str | None = Field(default=None, description="原文的增减，如同比增长7%")
    kind: MetricKind
    quote: str = Field(description="含该数值的原文，逐字")
    # --- schema 2: set by the annotation pass, not by an engine ---
    indicator: str | None = Field(default=None, description="standard indicator id, e.g. gdp")
    bound: Bound | None = None
    low: Number | None = None
    high: Number | None = None
    qualifier: str | None = Field(default=None, description="近, 余, 超, 以上 … of an actual")
    note: str | None = Field(default=None, description="e.g. 在实际工作中争取更好结果")
    span: list[int] | None = Field(
        default=None, description="[start, end) of the quote in the text as read"
    )
    period_source: PeriodSource | None = Field(
        default=None,
        description="text: the period is written with the figure; part: the figure states "
        "none and takes the year of the report part it sits in (review or plan year)",
    )

    @model_validator(mode="after")
    def _value_stated(self) -> Metric:
        # Only "no target is set" has no number; any other metric without one is malformed.
        if self.value is None and self.bound != "none":
            raise ValueError("value 必须是原文中的数值（只有明确说明不设目标时才可为空）")
        return self


class Achievement(_Model):
    """A result the report claims for the reviewed period."""

    area: str = Field(description="领域")
    text: str = Field(description="一句话概括")
    metrics: list[Metric] = Field(default_factory=_no_items)
    evidence: list[str] = Field(default_factory=_no_items, description="原文逐字摘录")


class Problem(_Model):
    """A shortcoming the report admits."""

    text: str = Field(description="报告承认的问题，一句话")
    evidence: list[str] = Field(default_factory=_no_items, description="原文逐字摘录")


class Plan(_Model):
    """A task or goal for the coming period, with its quantified targets."""

    area: str = Field(description="领域")
    text: str = Field(description="一句话概括")
    targets: list[Metric] = Field(default_factory=_no_items)
    evidence: list[str] = Field(default_factory=_no_items, description="原文逐字摘录")


class ChunkSummary(_Model):
    """What the model returns for one chunk of a report."""

    achievements: list[Achievement] = Field(default_factory=_no_items)
    problems: list[Problem] = Field(default_factory=_no_items)
    plans: list[Plan] = Field(default_factory=_no_items)

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The schema the model answers to: Metric without the annotation fields.

        instructor builds every request from this method, so leaving them out here keeps the
        prompt (and the recorded exchanges) exactly as in schema 1.
        """
        schema = super().model_json_schema(*args, **kwargs)
        props = schema.get("$defs", {}).get("Metric", {}).get("properties", {})
        for name in ANNOTATION_FIELDS:
            props.pop(name, None)
        if "value" in props:  # nullable only for "no target set", which the model never states
            props["value"] = {"description": props["value"].get("description"), "type": "number"}
        return schema


# --- the summary contract ------------------------------------------------------------------


class Usage(_Model):
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: Number = 0.0


class Meta(_Model):
    source: str
    source_sha256: str
    title: str = ""
    issuer: str = ""
    level: str = "unknown"
    review_period: str | None = None
    plan_period: str | None = None  # the year of the annual plan
    place: str = ""  # the issuing place's standard name (南京市, 国务院), for matching reports
    five_year_period: str | None = None  # a five-year plan the report sets goals for
    engine: str
    model: str | None = None
    usage: Usage = Field(default_factory=Usage)


class ReportWarning(_Model):
    """A finding the reader must see: tampering, conflicting figures, unverified answers."""

    kind: str = Field(description="e.g. spam, prompt_injection, conflicting_values, unverified")
    message: str
    evidence: str | None = None


class Claim(_Model):
    where: str = Field(description='JSON path of the claim, e.g. "achievements[0].metrics[1]"')
    text: str
    value: Number | None = None
    unit: str | None = None
    status: ClaimStatus
    detail: str = ""
    # Where the claim's quote (or number) is in the report text as read: [start, end) offsets,
    # so a brief can point at the sentence. None when the quote was not found.
    span: Annotated[list[int], Field(min_length=2, max_length=2)] | None = Field(
        default=None, description="[start, end) character offsets in the source text"
    )


class Validation(_Model):
    claims: list[Claim] = Field(default_factory=_no_items)
    verified: int = 0
    flagged: int = 0


class ReportSummary(_Model):
    """The typed summary of one report (the JSON contract, schema_version "2"; "1" reads)."""

    schema_version: SchemaVersion = SCHEMA_VERSION
    meta: Meta
    overview: str = ""
    achievements: list[Achievement] = Field(default_factory=_no_items)
    problems: list[Problem] = Field(default_factory=_no_items)
    plans: list[Plan] = Field(default_factory=_no_items)
    warnings: list[ReportWarning] = Field(default_factory=_no_items)
    validation: Validation = Field(default_factory=Validation)


def summary_json_schema() -> dict[str, Any]:
    """The JSON Schema of ReportSummary, as committed in schemas/report_summary.schema.json."""
    schema = ReportSummary.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def read_summary(raw: str | bytes) -> records.ReportSummary:
    """A summary JSON, validated against the contract (pydantic's ValidationError if it is
    not one), as the pipeline's record."""
    return summary_record(ReportSummary.model_validate_json(raw))


def summary_record(summary: ReportSummary) -> records.ReportSummary:
    """The pipeline's record of a contract summary (one read from JSON, say)."""
    return records.from_data(records.ReportSummary, summary.model_dump())


def chunk_record(answer: ChunkSummary) -> records.ChunkSummary:
    """The pipeline's record of the model's answer for a chunk."""
    return records.from_data(records.ChunkSummary, answer.model_dump())


def summary_model(summary: records.ReportSummary) -> ReportSummary:
    """The contract model of a pipeline summary, validated (for callers that want pydantic)."""
    return ReportSummary.model_validate(records.as_data(summary))
