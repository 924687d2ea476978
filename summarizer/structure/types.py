"""The plain data the structure stage hands on: headings, parts, the header, the outline."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import Enum


class SectionKind(str, Enum):
    """The part of a report a span of text belongs to."""

    PREAMBLE = "preamble"
    REVIEW = "review"  # what was done in the reviewed year(s)
    PROBLEMS = "problems"  # the shortcomings the report admits
    PLAN = "plan"  # the coming year's targets and tasks
    FIVE_YEAR = "five_year"  # goals of a five-year plan (十五五…), apart from the annual plan
    GOVERNMENT = "government"  # the government's own work (政府自身建设)
    OTHER = "other"  # closing appeal, anything else


# Each part's name in Chinese, as prompts, chunk context lines and claim locations say it.
PART_LABELS_ZH = {
    SectionKind.PREAMBLE: "开头",
    SectionKind.REVIEW: "工作回顾",
    SectionKind.PROBLEMS: "存在问题",
    SectionKind.PLAN: "工作计划",
    SectionKind.FIVE_YEAR: "五年规划目标",
    SectionKind.GOVERNMENT: "政府自身建设",
    SectionKind.OTHER: "其他",
}

# Parts whose figures are targets, and parts whose figures are results. A five-year part is
# neither: it mixes the closing plan's results (“十四五”时期…年均增长) with the next plan's goals.
TARGET_PARTS = frozenset({SectionKind.PLAN})
RESULT_PARTS = frozenset({SectionKind.REVIEW})


@dataclass(frozen=True, slots=True)  # a 10 MB report holds ~10,000
class Heading:
    """A heading line, or the run-in lead ("1.综合实力稳中有进。") of a paragraph."""

    start: int
    end: int
    level: int  # 1 一、/bare part title, 2 （一）, 3 1./（1）, 4 lead phrase
    numbering: str
    text: str

    @property
    def label(self) -> str:
        """Numbering and text, as the heading reads in the report."""
        return f"{self.numbering}{self.text}"


@dataclass(frozen=True)
class Section:
    """A contiguous part of the report; the sections of an outline tile the clean text."""

    kind: SectionKind
    start: int
    end: int
    heading: str
    period: str | None = None  # the years this part covers ("2019", "2021-2025")


@dataclass(frozen=True)
class ReportHeader:
    """Which report, who issued it, and which years it reviews and plans.

    `place` is the issuing place's standard name (南京市, 国务院) when it could be told;
    `sources` says where each field was read from (text, gazetteer, file name, corpus column,
    override), so a reader can weigh it.
    """

    title: str
    issuer: str
    level: str
    review_period: str | None
    plan_period: str | None
    place: str = ""
    five_year_period: str | None = None
    sources: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def years(self) -> tuple[int | None, int | None]:
        """The review and plan years as numbers ("2016-2020" reviews up to 2020)."""
        review, plan = self.review_period, self.plan_period
        return (int(review[-4:]) if review else None, int(plan[:4]) if plan else None)


@dataclass(frozen=True)
class Outline:
    """Header, headings and sections of one clean text, and how sure the reading is.

    `plan_confidence` is "high" (a heading names the plan part), "medium" (a cue sentence
    opens it), "low" (inferred from the wording of the paragraphs, or a plan part found that
    reads as results) or "none" (no plan part found); `uncertain` lists, in words, what the
    reader must be warned about.
    """

    header: ReportHeader
    headings: tuple[Heading, ...]
    sections: tuple[Section, ...]
    plan_confidence: str = "high"
    uncertain: tuple[str, ...] = ()

    def section_at(self, offset: int) -> Section:
        """The section containing a clean-text offset (clamped to the text)."""
        i = bisect.bisect_right(self.sections, offset, key=lambda s: s.start)
        return self.sections[max(0, i - 1)]

    def kind_at(self, offset: int) -> SectionKind:
        """The kind of the section containing a clean-text offset."""
        return self.section_at(offset).kind

    @property
    def confident(self) -> bool:
        """True when the parts were read from headings or cue sentences, not guessed."""
        return self.plan_confidence in ("high", "medium")
