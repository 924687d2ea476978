"""The model's answer, grounded: the contract models with the validators instructor re-asks with.

`models` holds the plain contract; this module subclasses its per-chunk answer (the way
instructor ships grounding as a mixin of the response model) and adds validators that run the
validation pass's own checks (`checks`) against the chunk the model was given. Whatever would be
flagged later becomes the error instructor re-asks the model with. Only `engines/llm.py` uses it.

The validators read one typed `ReaskContext`, passed as instructor's `context`. instructor also
renders the prompt templates with that context (`**context`), so it is a read-only mapping of
the prompt variables, while the validators read its typed fields. Validated without one (the
last answer kept after the re-asks ran out, a summary read back), the validators stand down.

The subclasses keep their parents' names and field declarations, so the JSON Schema sent to the
model is exactly `models.ChunkSummary`'s (a test keeps the two equal).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, Field, ValidationInfo, model_validator

from . import models
from .checks import CheckText, check_metric, check_metric_kind
from .grounding import normalize
from .prose import check_prose
from .structure import PART_LABELS_ZH, SectionKind

if TYPE_CHECKING:
    from .chunking import Chunk
    from .structure import Outline

__all__ = ["Achievement", "ChunkSummary", "Metric", "Plan", "Problem", "ReaskContext"]

# Times an answer whose item prose has no support in the chunk is re-asked; the answer after
# that is kept, and the validation pass flags what is still unsupported.
PROSE_REASKS = 1


@dataclass
class _Budget:
    """Re-asks left for one kind of failure of one chunk (the context itself is immutable)."""

    left: int


@dataclass(frozen=True)
class ReaskContext(Mapping[str, str]):
    """One chunk as the re-ask validators see it, and the prompt variables it is asked with.

    part: the one part the chunk lies in, None when it spans several (then a figure's kind is
    judged quote by quote in the validation pass). confident: the structure stage was sure of the
    parts, so the part is a witness to a figure's kind.
    """

    text: str
    part: SectionKind | None
    review_year: int | None
    plan_year: int | None
    confident: bool
    prompt: Mapping[str, str] = field(default_factory=dict, compare=False)
    prose_budget: _Budget = field(
        default_factory=lambda: _Budget(PROSE_REASKS), compare=False, repr=False
    )

    @classmethod
    def of(cls, chunk: Chunk, outline: Outline) -> ReaskContext:
        """The context of one chunk of a report (the one place it is built)."""
        kinds = chunk.sections or (chunk.section,)
        prompt = {
            "chunk_text": chunk.text,
            "chunk_context": chunk.context,
            "section_label": "、".join(PART_LABELS_ZH[k] for k in kinds),
        }
        review, plan = outline.header.years
        part = kinds[0] if len(kinds) == 1 else None
        return cls(chunk.text, part, review, plan, outline.confident, prompt)

    @cached_property
    def norm(self) -> str:
        """The chunk under the normalisation N, for the quote checks."""
        return normalize(self.text)

    @cached_property
    def chunk(self) -> CheckText:
        """The chunk prepared for the checks: built once, reused by every re-ask."""
        years = (self.review_year, self.plan_year)
        return CheckText(self.text, section=self.part, years=years, confident=self.confident)

    @cached_property
    def prose_source(self) -> tuple[str, str]:
        """What item prose may paraphrase: the chunk and the headings it sits under (the model
        is shown both), raw and under N."""
        text = f"{self.prompt.get('chunk_context', '')}\n{self.text}"
        return text, normalize(text)

    def prepare(self) -> None:
        """Build the chunk's indexes ahead of the answer (called while the request is in flight)."""
        _ = self.norm, self.chunk, self.prose_source

    # --- the prompt variables, for instructor's template rendering (`**context`)
    def __getitem__(self, key: str) -> str:
        return self.prompt[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.prompt)

    def __len__(self) -> int:
        return len(self.prompt)


def _context(info: ValidationInfo) -> ReaskContext | None:
    ctx = info.context
    return ctx if isinstance(ctx, ReaskContext) else None


def _check_quote(quote: str, ctx: ReaskContext, what: str) -> None:
    if normalize(quote) not in ctx.norm:
        raise ValueError(
            f"{what}「{quote}」不是原文的逐字摘录（原文中找不到）。请从给定报告片段中逐字复制原句，"
            "不要改写、合并或补充。"
        )


def _kinds_checked(as_targets: bool) -> AfterValidator:
    """A validator of a list of metrics: each kind fits the list (targets, or results)."""

    def check(metrics: list[Metric], info: ValidationInfo) -> list[Metric]:
        if (ctx := _context(info)) is not None:
            text = ctx.chunk
            for m in metrics:
                found = check_metric_kind(m, as_targets, text, text.find(m.quote))
                if found is not None:
                    raise ValueError(found.message)
        return metrics

    return AfterValidator(check)


def _evidence_grounded(v: list[str], info: ValidationInfo) -> list[str]:
    if (ctx := _context(info)) is not None:
        for q in v:
            _check_quote(q, ctx, "证据")
    return v


# Verbatim quotes backing an item, checked against the chunk.
Evidence = Annotated[list[str], AfterValidator(_evidence_grounded)]


class Metric(models.Metric):
    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> Metric:
        if (ctx := _context(info)) is None or self.value is None:
            return self
        _check_quote(self.quote, ctx, "指标引文")
        # Value, unit, direction and period; the kind is checked by Achievement and Plan, which
        # know the list it sits in.
        text = ctx.chunk
        found = check_metric(self, None, text, text.find(self.quote))
        if found is not None:
            raise ValueError(found.message)
        return self


# An achievement's metrics are results, a plan's are targets (the list decides the kind).
Results = Annotated[list[Metric], _kinds_checked(as_targets=False)]
Targets = Annotated[list[Metric], _kinds_checked(as_targets=True)]


class Achievement(models.Achievement):
    metrics: Results = Field(default_factory=list)  # type: ignore[assignment]
    evidence: Evidence = Field(default_factory=list, description="原文逐字摘录")


class Problem(models.Problem):
    evidence: Evidence = Field(default_factory=list, description="原文逐字摘录")


class Plan(models.Plan):
    targets: Targets = Field(default_factory=list)  # type: ignore[assignment]
    evidence: Evidence = Field(default_factory=list, description="原文逐字摘录")


class ChunkSummary(models.ChunkSummary):
    # instructor describes the tool with the docstring: the contract's, so the request is its.
    __doc__ = models.ChunkSummary.__doc__

    achievements: list[Achievement] = Field(default_factory=list)  # type: ignore[assignment]
    problems: list[Problem] = Field(default_factory=list)  # type: ignore[assignment]
    plans: list[Plan] = Field(default_factory=list)  # type: ignore[assignment]

    @model_validator(mode="after")
    def _prose_grounded(self, info: ValidationInfo) -> ChunkSummary:
        """Item text and area the chunk gives no support for (or links, contacts, orders):
        re-asked once, as the validation pass would flag them (`prose.check_prose`)."""
        ctx = _context(info)
        if ctx is None or ctx.prose_budget.left <= 0:
            return self
        source, norm = ctx.prose_source
        flagged = list(check_prose(self, source, norm))
        if not flagged:
            return self
        ctx.prose_budget.left -= 1
        listed = "；".join(f"{c.where}「{c.text}」（{c.detail}）" for c in flagged[:8])
        raise ValueError(
            f"以下条目文字在给定报告片段中找不到依据，或含链接、联系方式、指令：{listed}。"
            "请只概括片段中明确写出的内容，删去或按原文改写这些文字，不要编造。"
        )
