"""The summary contract (schema_version "1") and the model's per-chunk answer, as pydantic models.

`ReportSummary` is what `--format json` writes and `summarizer validate` reads; its JSON Schema
is committed under schemas/. `ChunkSummary` is what the model returns for one chunk; when it is
validated with a context (instructor's `context=`), its validators check every quote and every
metric value against the chunk text, and a failure becomes the error instructor re-asks with.
Field descriptions are written for the model, in Chinese.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .grounding import normalize

if TYPE_CHECKING:
    from .checks import CheckText

SCHEMA_VERSION = "1"

MetricKind = Literal["actual", "estimate", "cumulative", "target"]
ClaimStatus = Literal[
    "verified",
    "quote_not_found",
    "number_not_found",
    "value_mismatch",
    "unit_mismatch",
    "period_mismatch",
    "direction_mismatch",
    "kind_mismatch",
    "spam",
]


def _plain_number(v: float) -> float | int:
    # 69 reads better than 69.0 in a summary, and JSON readers treat both as numbers.
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


Number = Annotated[float, PlainSerializer(_plain_number, return_type=Any)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


# --- grounding (active only when validated with a context holding the chunk text) ---------
# The checks are those of the validation pass (summarizer/checks.py), run against the chunk:
# whatever would be flagged later becomes the error instructor re-asks the model with.


def _grounding_text(info: ValidationInfo) -> str | None:
    ctx = info.context
    if not isinstance(ctx, dict):
        return None
    norm = ctx.get("chunk_norm")
    if norm is None and isinstance(ctx.get("chunk_text"), str):
        norm = normalize(ctx["chunk_text"])
        ctx["chunk_norm"] = norm
    return norm


def _chunk(info: ValidationInfo) -> CheckText:
    """The chunk prepared for the checks (cached in the context), with its part when given."""
    from .checks import CheckText, section_kind

    ctx = info.context
    assert isinstance(ctx, dict)
    raw, part = ctx.get("chunk_text") or "", section_kind(ctx.get("section"))
    text = ctx.get("_check_text")
    if text is None or text.text is not raw or text.section is not part:
        text = CheckText(raw, section=part)  # built once per chunk, reused by every re-ask
        ctx["_check_text"] = text
    return text


def _check_quote(quote: str, info: ValidationInfo, what: str) -> str:
    norm = _grounding_text(info)
    if norm is not None and normalize(quote) not in norm:
        raise ValueError(
            f"{what}「{quote}」不是原文的逐字摘录（原文中找不到）。请从给定报告片段中逐字复制原句，"
            "不要改写、合并或补充。"
        )
    return quote


def _check_kinds(metrics: list[Metric], info: ValidationInfo, as_targets: bool) -> None:
    if _grounding_text(info) is None:
        return
    from .checks import check_kind

    part = _chunk(info).section
    for m in metrics:
        if (found := check_kind(m.name, m.kind, as_targets, part)) is not None:
            raise ValueError(found.message)


class Metric(_Model):
    """A quantified indicator, as written in the report."""

    name: str = Field(description="指标名称，用原文的说法，如“一般公共预算收入”“规上工业总产值”")
    value: Number = Field(description="原文写出的数值，按原文单位，不换算（“69亿元”→69）")
    unit: str = Field(
        description="原文单位，含量级，如“亿元”“万美元”“%”“个百分点”“家”；无单位填空串"
    )
    period: str | None = Field(
        default=None, description="数值所属时期，照原文写，如“2019年”“1-10月”“全年”“十三五期间”"
    )
    change: str | None = Field(
        default=None, description="原文中与该数值相伴的变化，如“同比增长7%”“下降3.2%”；无则为 null"
    )
    kind: MetricKind = Field(
        description="actual=已完成实绩；estimate=预计数（原文有“预计”）；"
        "cumulative=累计数；target=计划/目标值"
    )
    quote: str = Field(description="包含该数值的原文句子片段，逐字摘录")

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Metric:
        if _grounding_text(info) is None:
            return self
        _check_quote(self.quote, info, "指标引文")
        from .checks import check_metric

        # Value, unit, direction and period; the kind is checked by Achievement and Plan, which
        # know the list it sits in.
        text = _chunk(info)
        found = check_metric(self, None, text, text.find(self.quote))
        if found is not None:
            raise ValueError(found.message)
        return self


class Achievement(_Model):
    """A result the report claims for the reviewed period."""

    area: str = Field(description="领域，简短，如“经济发展”“项目建设”“民生保障”")
    text: str = Field(description="一句话概括该项成绩，只用原文出现过的数字")
    metrics: list[Metric] = Field(default_factory=list, description="该成绩下的量化指标")
    evidence: list[str] = Field(default_factory=list, description="支撑该成绩的原文逐字摘录")

    @field_validator("evidence")
    @classmethod
    def _evidence_grounded(cls, v: list[str], info: ValidationInfo) -> list[str]:
        for q in v:
            _check_quote(q, info, "证据")
        return v

    @field_validator("metrics")
    @classmethod
    def _no_targets(cls, v: list[Metric], info: ValidationInfo) -> list[Metric]:
        _check_kinds(v, info, as_targets=False)
        return v


class Problem(_Model):
    """A shortcoming the report admits."""

    text: str = Field(description="报告承认的问题或不足，一句话")
    evidence: list[str] = Field(default_factory=list, description="原文逐字摘录")

    @field_validator("evidence")
    @classmethod
    def _evidence_grounded(cls, v: list[str], info: ValidationInfo) -> list[str]:
        for q in v:
            _check_quote(q, info, "证据")
        return v


class Plan(_Model):
    """A task or goal for the coming period, with its quantified targets."""

    area: str = Field(description="领域，简短")
    text: str = Field(description="一句话概括该项计划")
    targets: list[Metric] = Field(default_factory=list, description="量化目标，kind 为 target")
    evidence: list[str] = Field(default_factory=list, description="原文逐字摘录")

    @field_validator("evidence")
    @classmethod
    def _evidence_grounded(cls, v: list[str], info: ValidationInfo) -> list[str]:
        for q in v:
            _check_quote(q, info, "证据")
        return v

    @field_validator("targets")
    @classmethod
    def _only_targets(cls, v: list[Metric], info: ValidationInfo) -> list[Metric]:
        _check_kinds(v, info, as_targets=True)
        return v


class ChunkSummary(_Model):
    """What the model returns for one chunk of a report."""

    achievements: list[Achievement] = Field(default_factory=list, description="已取得的成绩")
    problems: list[Problem] = Field(
        default_factory=list, description="存在的问题与不足，没有则为空"
    )
    plans: list[Plan] = Field(default_factory=list, description="下一阶段的计划与目标")


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
    plan_period: str | None = None
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


class Validation(_Model):
    claims: list[Claim] = Field(default_factory=list)
    verified: int = 0
    flagged: int = 0


class ReportSummary(_Model):
    """The typed summary of one report (the JSON contract, schema_version "1")."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    meta: Meta
    overview: str = ""
    achievements: list[Achievement] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
    plans: list[Plan] = Field(default_factory=list)
    warnings: list[ReportWarning] = Field(default_factory=list)
    validation: Validation = Field(default_factory=Validation)


def summary_json_schema() -> dict[str, Any]:
    """The JSON Schema of ReportSummary, as committed in schemas/report_summary.schema.json."""
    schema = ReportSummary.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
