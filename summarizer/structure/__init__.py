"""The structure stage: headings, the header (issuer, level, years) and the outline of parts.

One concept a module: `types` (the plain data handed on), `headings` (which lines are headings
and what part they name), `header` (title, issuer, years), `places` (the gazetteer), `outline`
(the parts, and how sure the reading is).
"""

from .header import Hints, place_in
from .headings import find_headings
from .outline import outline, period_of, read_header
from .types import (
    PART_LABELS_ZH,
    RESULT_PARTS,
    TARGET_PARTS,
    Heading,
    Outline,
    ReportHeader,
    Section,
    SectionKind,
)

__all__ = [
    "PART_LABELS_ZH",
    "RESULT_PARTS",
    "TARGET_PARTS",
    "Heading",
    "Hints",
    "Outline",
    "ReportHeader",
    "Section",
    "SectionKind",
    "find_headings",
    "outline",
    "period_of",
    "place_in",
    "read_header",
]
