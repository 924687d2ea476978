"""Is this text a Chinese government work report at all? A cheap, linear check.

Run on every document `ingest` reads (a whole file, or each row of a corpus file) so that a
recipe, a novel, an English page or an empty cell is refused with a one-line reason before any
engine sees it. Every pattern here is linear in its input: a line's indentation is matched
without crossing line ends, so 40 KB of blank lines cost microseconds, not seconds.
"""

from __future__ import annotations

import re

from . import recache
from .errors import InputError
from .lazyre import lazy
from .lexicon import CJK_RE, CN_DIGITS

__all__ = ["check_report", "looks_like_report", "mostly_latin"]

# Words that every work report uses and recipes, stories or manuals hardly ever do. A report
# states several of them in its first pages; other Chinese text rarely states two.
_REPORT_CUES_RE = recache.compile(
    r"政府|人民代表大会|各位代表|报告工作|工作(?:报告|总结|计划|思路|安排|要点|回顾)|同比|增长|百分点|[亿万]元|"
    r"生产总值|GDP|财政|预算|固定资产|投资|项目|产业|招商|乡村振兴|民生|党建|党委|党工委|十[一二三四五]五|"
    r"全年|年度|目标任务|高质量发展|改革|营商环境|基础设施|公共服务|城乡|生态|安全生产|社会治理|就业"
)
# `[^\S\n]*`: indentation within the line. A bare `\s*` here would run across every following
# blank line at each line start and backtrack: quadratic in a run of blank lines.
_NUMBERED_LINE_RE = lazy(
    rf"^[^\S\n]*(?:[{CN_DIGITS}]{{1,3}}、|[（(][{CN_DIGITS}]{{1,3}}[)）])", re.M
)
_CUE_SAMPLE = 200_000  # characters looked at: the opening pages decide, even for 10 MB
# Words in a Latin alphabet (2-20 letters: prose, not a run of one letter). A work report, web
# chrome and injected spam included, is Chinese: in the development corpus at least 99.5 % of
# its letters; a README, a web page or a data file *about* reports quotes their words
# (政府工作报告, GDP…) between lines of English (its letters 3 % Chinese). Refused when the
# letters of such words outnumber its non-ASCII characters (CJK, full-width punctuation)
# _LATIN_MAX to one: 4 leaves room for a report printed beside an English translation, which
# takes about 3.5 letters per Chinese character. Junk that is no prose ("a-a-a-…") is left to
# the checks below and to the pipeline, whose bounds it tests.
# Written to open with a letter (no letter before it is asked once one is there): a pattern
# that opens with a lookbehind is tried at every position, this one skips in C to the next
# letter, 6x faster over Chinese text.
_LATIN_RUN_RE = recache.compile(r"[A-Za-z](?<![A-Za-z]{2})[A-Za-z]{1,19}(?![A-Za-z])")
_LATIN_MAX = 4


def looks_like_report(text: str) -> bool:
    """A cheap signal: work-report vocabulary, helped by a numbered outline."""
    sample = text[:_CUE_SAMPLE]
    cues: set[str] = set()
    # A report states three cues in its first lines: stop there rather than scan 200,000
    # characters (a corpus file of thousands of rows checks every row).
    for match in _REPORT_CUES_RE.finditer(sample):
        cues.add(match.group())
        if len(cues) >= 3:
            return True
    if not cues:
        return False
    outline = _NUMBERED_LINE_RE.finditer(sample)
    return next(outline, None) is not None and next(outline, None) is not None


def mostly_latin(text: str) -> bool:
    """True when the opening pages are written in a Latin alphabet, with Chinese only quoted."""
    sample = text[:_CUE_SAMPLE]
    latin = sum(map(len, _LATIN_RUN_RE.findall(sample)))
    if latin == 0:
        return False
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    return latin > _LATIN_MAX * non_ascii


def check_report(text: str, name: str) -> None:
    """Raise InputError (naming `name`) unless `text` reads as a Chinese work report."""
    if not text or text.isspace():  # strip() would copy a 10 MB text
        raise InputError(f"{name}: the report text is empty")
    if not CJK_RE.search(text):
        raise InputError(f"{name}: does not look like a Chinese report (no Chinese text found)")
    if mostly_latin(text):
        raise InputError(
            f"{name}: does not look like a Chinese report (mostly text in Latin letters, "
            "Chinese only quoted: a README or a page about reports?)"
        )
    if not looks_like_report(text):
        raise InputError(
            f"{name}: does not look like a government work report "
            "(no terms such as 政府、工作报告、增长、项目 and no numbered sections)"
        )
