"""The summary as the pipeline holds it: plain records, written to JSON at the end.

These dataclasses carry the same fields, in the same order, with the same defaults, as the
pydantic models of the contract (`models.py`), which stay the contract's one definition: its
JSON Schema, what `summarizer validate` reads, what the model answers. Inside, from the engine
to the writer, a summary is these records instead: building, copying and writing tens of
thousands of pydantic objects cost a third of a report's time, and importing pydantic and
building its models most of a small report's start-up. tests/test_records.py holds the two
definitions to each other (names, order, defaults), and the corpus's JSON to what pydantic
would write for the same summary, byte for byte.

`replace` copies a record with fields changed (model_copy(update=...) inside);
`json_bytes` writes a summary as the contract's JSON (pydantic's bytes); `from_data` builds
records from the contract's plain data (a validated model's model_dump()).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import orjson

# Schema 2 only added fields (Metric's annotations), so a schema-1 summary still reads.
SchemaVersion = Literal["1", "2"]
SCHEMA_VERSION: SchemaVersion = "2"

MetricKind = Literal["actual", "estimate", "cumulative", "target"]
# How a target bounds its indicator: 8%左右 about, 6%以上 at_least, 3%以内 at_most, 6.5%—7%
# range, plain exact; none is an explicit statement that no target is set (value null).
Bound = Literal["exact", "about", "at_least", "at_most", "range", "none"]
PeriodSource = Literal["text", "part"]
# Metric fields the deterministic annotation pass (indicators.annotate, pipeline.assemble) fills.
# The model is never asked for them: ChunkSummary's schema leaves them out.
ANNOTATION_FIELDS = (
    "indicator", "bound", "low", "high", "qualifier", "note", "span", "period_source",
)  # fmt: skip
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
    # schema 2: item prose (text, area) whose words the report does not support (prose.py)
    "unsupported",
]

_R = TypeVar("_R")

# Every record is keyword-only (built by keyword, as the models are) and slotted (a 10 MB report
# holds ~100,000 of them); the pipeline copies records (`replace`), it never changes one.


@dataclass(slots=True, kw_only=True)
class Metric:
    name: str
    value: float | None
    unit: str
    period: str | None = None
    change: str | None = None
    kind: MetricKind
    quote: str
    indicator: str | None = None
    bound: Bound | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None
    note: str | None = None
    span: list[int] | None = None
    period_source: PeriodSource | None = None


@dataclass(slots=True, kw_only=True)
class Achievement:
    area: str
    text: str
    metrics: list[Metric] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Problem:
    text: str
    evidence: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Plan:
    area: str
    text: str
    targets: list[Metric] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class ChunkSummary:
    achievements: list[Achievement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Usage:
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0


@dataclass(slots=True, kw_only=True)
class Meta:
    source: str
    source_sha256: str
    title: str = ""
    issuer: str = ""
    level: str = "unknown"
    review_period: str | None = None
    plan_period: str | None = None
    place: str = ""
    five_year_period: str | None = None
    engine: str
    model: str | None = None
    usage: Usage = field(default_factory=Usage)


@dataclass(slots=True, kw_only=True)
class ReportWarning:
    kind: str
    message: str
    evidence: str | None = None


@dataclass(slots=True, kw_only=True)
class Claim:
    where: str
    text: str
    value: float | None = None
    unit: str | None = None
    status: ClaimStatus
    detail: str = ""
    span: list[int] | None = None


@dataclass(slots=True, kw_only=True)
class Validation:
    claims: list[Claim] = field(default_factory=list)
    verified: int = 0
    flagged: int = 0


@dataclass(slots=True, kw_only=True)
class ReportSummary:
    schema_version: SchemaVersion = SCHEMA_VERSION
    meta: Meta
    overview: str = ""
    achievements: list[Achievement] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    warnings: list[ReportWarning] = field(default_factory=list)
    validation: Validation = field(default_factory=Validation)


RECORDS: tuple[type, ...] = (
    Metric, Achievement, Problem, Plan, ChunkSummary, Usage, Meta, ReportWarning, Claim,
    Validation, ReportSummary,
)  # fmt: skip

# The record fields that hold records (one, or a list of them), for from_data.
_NESTED: dict[type, dict[str, type]] = {
    Achievement: {"metrics": Metric},
    Plan: {"targets": Metric},
    ChunkSummary: {"achievements": Achievement, "problems": Problem, "plans": Plan},
    Meta: {"usage": Usage},
    Validation: {"claims": Claim},
    ReportSummary: {
        "meta": Meta, "achievements": Achievement, "problems": Problem, "plans": Plan,
        "warnings": ReportWarning, "validation": Validation,
    },
}  # fmt: skip


def replace(record: _R, **changes: Any) -> _R:
    """A copy of `record` with `changes` (the record itself when there are none)."""
    if not changes:
        return record
    copier = _COPIERS.get(type(record))
    if copier is None:
        copier = _COPIERS[type(record)] = _copier(type(record))
    return copier(record, changes)  # type: ignore[no-any-return]


# A copier per record class, generated as dataclasses generates __init__: one line per field,
# no loop, no __init__ call. dataclasses.replace (a loop over the fields' metadata, then the
# keyword __init__) cost 4.4x as much, and the pipeline copies every metric several times.
_COPIERS: dict[type, Any] = {}


def _copier(cls: type) -> Any:
    if cls not in RECORDS:  # a frozen or __post_init__ dataclass needs dataclasses.replace
        raise TypeError(f"records.replace copies the summary's records, not a {cls.__name__}")
    names = tuple(cls.__dataclass_fields__)  # type: ignore[attr-defined]
    known = frozenset(names)
    lines = [
        "def copy(record, changes):",
        "    if not changes.keys() <= known:",
        "        raise TypeError(f'{cls.__name__} has no field {sorted(changes.keys() - known)}')",
        "    new = make(cls)",
        *(f"    new.{k} = changes[{k!r}] if {k!r} in changes else record.{k}" for k in names),
        "    return new",
    ]
    scope: dict[str, Any] = {"cls": cls, "known": known, "make": object.__new__}
    exec("\n".join(lines), scope)  # the code is built from the class's own field names
    return scope["copy"]


def from_data(cls: type[_R], data: dict[str, Any]) -> _R:
    """The record of class `cls` from the contract's plain data (keys it does not have are
    ignored, as the models ignore them; nested records built from their dicts)."""
    nested = _NESTED.get(cls, {})
    names = cls.__dataclass_fields__  # type: ignore[attr-defined]
    kwargs: dict[str, Any] = {}
    for k, v in data.items():
        if k not in names:
            continue
        sub = nested.get(k)
        if sub is not None and v is not None:
            v = [from_data(sub, x) for x in v] if isinstance(v, list) else from_data(sub, v)
        kwargs[k] = v
    return cls(**kwargs)


def plain_number(v: float) -> float | int:
    # 69 reads better than 69.0 in a summary, and JSON readers treat both as numbers. The
    # contract's Number type (models.py) serializes through this very function.
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    return v


def as_data(record: Any) -> Any:
    """The contract's plain data of a record (dicts, lists, str, numbers, None), every field
    in declaration order, floats that are whole numbers as ints."""
    if isinstance(record, float):
        return plain_number(record)
    if isinstance(record, list):
        return [as_data(x) for x in record]
    fields = getattr(record, "__dataclass_fields__", None)
    if fields is None:
        return record
    return {name: as_data(getattr(record, name)) for name in fields}


# A number written as a whole float ("value": 69.0), as orjson writes one: the value before a
# line's end (a string cannot hold a raw line break, so no text inside one matches).
# (It starts with a literal, which the regex engine scans for fast: 1.3x orjson's own time,
# against 2.2x for building the plain data in Python first.)
_WHOLE_FLOAT = re.compile(rb'": (-?[0-9]{1,16})\.0(,?\n)')


def _whole(m: re.Match[bytes]) -> bytes:
    v = int(m[1])
    return b'": %d%s' % (v, m[2]) if abs(v) < 2**53 else m[0]  # plain_number's rule


def json_bytes(record: object) -> bytes:
    """The contract JSON of a summary (or any record) as UTF-8: two-space indent, not
    ASCII-escaped, a newline at the end; the bytes pydantic's model_dump_json(indent=2) writes
    for the same summary, plus the newline. A file gets them with no str copy (a 10 MB report's
    JSON is an 8 MB str).

    orjson writes the records as they are (in Rust, fields in declaration order, floats as
    pydantic writes them); whole numbers are then written as integers, as plain_number does.
    """
    return _WHOLE_FLOAT.sub(_whole, orjson.dumps(record, option=orjson.OPT_INDENT_2)) + b"\n"
