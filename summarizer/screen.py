"""The screen stage: the clean text with every span `tamper.scan` flags deleted, and warnings.

`screen` deletes flagged spans with `CleanText.without`, so the offset map stays exact as for
any other cleaning deletion and no engine ever reads them; spam in page chrome that cleaning
dropped is found too, so the warnings can say it was there. A warning names each distinct
flagged string once, with its paragraphs in the clean text and its lines in the source file.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .clean import CleanText, OffsetMap
from .offsets import line_ends, line_number
from .records import ReportWarning
from .tamper import CUE_RE, LABELS, MAX_WARNINGS, OFFICIAL_RE, Finding, scan

__all__ = ["ScreenedText", "findings_warnings", "screen"]


@dataclass(frozen=True)
class Located:
    """Where a finding is: its paragraph (1-based) in the clean text it was found in, and its
    span in the source text."""

    paragraph: int
    start: int
    end: int


@dataclass(frozen=True)
class ScreenedText(CleanText):
    """Clean text with injected spans deleted; `findings` are in the offsets of the clean text
    before the deletion (not kept: a second copy of the report), `where` says where each is."""

    findings: tuple[Finding, ...] = ()
    outside: tuple[Finding, ...] = field(default=(), repr=False)  # in dropped page chrome
    where: tuple[Located, ...] = field(default=(), repr=False)  # one per finding

    @property
    def spam_spans(self) -> list[tuple[int, int]]:
        """Flagged spans in the offsets of the unmasked clean text."""
        return [(f.start, f.end) for f in self.findings]

    @property
    def source_spans(self) -> list[tuple[int, int]]:
        """Flagged spans in the offsets of the source text, page chrome included."""
        spans = [(w.start, w.end) for w in self.where]
        return sorted([*spans, *((f.start, f.end) for f in self.outside)])


def _locate(cleaned: CleanText, findings: tuple[Finding, ...]) -> tuple[Located, ...]:
    """Each finding's paragraph and source span, the line breaks counted in one pass."""
    where: list[Located | None] = [None] * len(findings)
    paragraph, pos = 1, 0
    for i in sorted(range(len(findings)), key=lambda i: findings[i].start):
        f = findings[i]
        paragraph += cleaned.text.count("\n", pos, f.start)
        pos = f.start
        where[i] = Located(paragraph, *cleaned.to_source(f.start, f.end))
    return tuple(w for w in where if w is not None)


def _outside_body(cleaned: CleanText) -> list[Finding]:
    """Spam in source lines that cleaning dropped (page header, navigation, footer)."""
    out: list[Finding] = []
    offsets, source = cleaned.offsets, cleaned.source
    pos, n = 0, len(source)
    while pos <= n:  # line by line, without a list of every line of a 10 MB source
        start, end = pos, source.find("\n", pos)
        end = n if end < 0 else end
        pos = end + 1
        if end - start > 300:
            continue
        line = source[start:end]
        if not line.strip():
            continue
        i = offsets.bisect_left(start) if isinstance(offsets, OffsetMap) else (
            bisect.bisect_left(offsets, start))  # fmt: skip
        if i < len(offsets) and offsets[i] < end:
            continue  # the line (or part of it) is body text, scanned as such
        if CUE_RE.search(line) or OFFICIAL_RE.search(line):
            out += [
                Finding(f.kind, f.category, start + f.start, start + f.end, f.text)
                for f in scan(line, body=False)
                if f.kind == "spam"
            ]
    return out


def screen(cleaned: CleanText) -> ScreenedText:
    """Scan clean text for injected spans and delete them; the result says what went."""
    findings = tuple(scan(cleaned.text))
    outside = tuple(_outside_body(cleaned))
    masked = cleaned.without([(f.start, f.end) for f in findings])
    return ScreenedText(
        masked.text,
        masked.source,
        masked.offsets,
        findings=findings,
        outside=outside,
        where=_locate(cleaned, findings),
    )


# ---------------------------------------------------------------- warnings


def _numbers(values: list[int], limit: int = 8) -> str:
    shown = sorted(set(values))
    more = f"等{len(shown)}处" if len(shown) > limit else ""
    return "、".join(map(str, shown[:limit])) + more


def _places(paragraphs: list[int], lines: list[int], chrome: list[int]) -> str:
    """ "第2、5段（原文第12、20行）及网页页头/页尾（原文第1行）"."""
    out = f"第{_numbers(paragraphs)}段（原文第{_numbers(lines)}行）" if paragraphs else ""
    if chrome:
        out += ("及" if out else "") + f"网页页头/页尾（原文第{_numbers(chrome)}行）"
    return out


def findings_warnings(screened: ScreenedText) -> list[ReportWarning]:
    """One warning per distinct flagged string, saying where it is and that it was left out.

    Places are given as paragraphs of the cleaned report and as lines of the source file,
    which is where a reader can look them up.
    """
    if not screened.findings and not screened.outside:
        return []  # nothing found: no need to index every line break of the text
    line_breaks = line_ends(screened.source)
    where: dict[tuple[str, str, str], tuple[list[int], list[int], list[int]]] = {}
    for f, at in zip(screened.findings, screened.where, strict=True):
        paragraphs, lines, _ = where.setdefault((f.kind, f.category, f.text), ([], [], []))
        paragraphs.append(at.paragraph)
        lines.append(line_number(line_breaks, at.start))
    for f in screened.outside:
        where.setdefault((f.kind, f.category, f.text), ([], [], []))[2].append(
            line_number(line_breaks, f.start)
        )
    warnings = []
    for (kind, category, flagged), found in list(where.items())[:MAX_WARNINGS]:
        places = _places(*found)
        if kind == "prompt_injection":
            message = f"{places}含有{LABELS[category]}，已当作数据处理，未纳入摘要"
        else:
            message = f"疑似网页被篡改：{places}插入了{LABELS[category]}，已从摘要中排除"
        warnings.append(ReportWarning(kind=kind, message=message, evidence=flagged[:200]))
    if len(where) > MAX_WARNINGS:
        rest = len(where) - MAX_WARNINGS
        warnings.append(
            ReportWarning(
                kind="spam", message=f"另有{rest}种可疑插入文字未逐一列出，均已从摘要中排除"
            )
        )
    return warnings
