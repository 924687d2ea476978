"""The extraction engines and the one narrow interface they share.

An engine turns a prepared report into one ChunkSummary per chunk (or per section, for the
rules engine). Nothing outside this package knows which engine ran: the pipeline merges and
validates every engine's output the same way. `make_engine` imports lazily, so the offline
path never imports openai or instructor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from ..records import ChunkSummary, ReportWarning
from ..usage import UsageMeter

if TYPE_CHECKING:
    from ..chunking import Chunk
    from ..clean import CleanText
    from ..config import Settings
    from ..figures import FigureTable
    from ..grounding import SourceIndex
    from ..ingest import Document
    from ..structure import Outline


@dataclass(frozen=True)
class PreparedReport:
    """A report read, cleaned, outlined and chunked: everything an engine may look at."""

    document: Document
    clean: CleanText
    outline: Outline
    chunks: tuple[Chunk, ...]

    @cached_property
    def figures(self) -> FigureTable:
        """The clean text's figures and periods, parsed once for the engine and validation."""
        from ..figures import FigureTable

        return FigureTable(self.clean.text)

    @cached_property
    def index(self) -> SourceIndex:
        """The clean text under normalisation N, where validation looks its quotes up."""
        from ..grounding import SourceIndex

        return SourceIndex(self.clean.text)


@dataclass(frozen=True)
class ChunkResult:
    """One engine answer, tied to the stretch of clean text it was drawn from."""

    start: int
    end: int
    summary: ChunkSummary


@dataclass
class EngineOutput:
    """What an engine hands back for one report."""

    results: list[ChunkResult]
    warnings: list[ReportWarning] = field(default_factory=list)
    usage: UsageMeter = field(default_factory=UsageMeter)


class Engine(Protocol):
    """The interface every engine implements."""

    name: str

    # Read-only, so an engine with a model (str) and one without (None) both fit.
    @property
    def model(self) -> str | None:
        """The model the engine asks, or None when it asks none."""
        ...

    async def summarize(self, report: PreparedReport) -> EngineOutput:
        """Extract achievements, problems and plans from a prepared report."""
        ...

    async def aclose(self) -> None:
        """Release network resources, if any."""
        ...


def make_engine(settings: Settings) -> Engine:
    """The engine `settings` ask for (`auto` resolved), imported lazily."""
    name = settings.resolved_engine()
    if name == "rules":
        from .rules import RulesEngine

        return RulesEngine()
    from .llm import LLMEngine

    return LLMEngine(settings)
