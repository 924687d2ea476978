"""The HTML brief: one self-contained page, the brief beside the report text as read.

Every figure, target and evidence quote of the brief is a link to its span in the text (the
claim's `span`, or the quote located under normalisation N when a summary carries none);
clicking it scrolls the text there and highlights it. Text screened out as spam or prompt
injection is shown struck through and labelled, never as plain text.

The report text is hostile input: the page is rendered with Jinja2 autoescaping on, and a
Content-Security-Policy lets only this page's own script and style run (by hash), so even a
tag that escaped escaping could neither run nor fetch anything. No network, no CDN.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import Template
from markupsafe import Markup, escape

from .grounding import SourceIndex, normalize
from .records import Claim, Metric, ReportSummary
from .render import INJECTED, NO_PERIOD, ClaimIndex, as_written, byline_and_footer, reason
from .templating import source, template

_ASSETS = ("brief.css", "brief.js")
_OK = Markup('<span class="ck">✓</span>')
_BAD = Markup('<span class="ck">⚠</span>')


@dataclass(frozen=True)
class Mark:
    """A range of the source text shown marked: a claim's target, or screened-out text."""

    start: int
    end: int
    key: str  # data-k of every piece of it; s12 (claim target) or r3 (removed text)
    tag: str  # mark | del
    cls: str
    title: str = ""


@dataclass(frozen=True)
class Token:
    """One piece of the marked-up text: text, or a tag opening or closing."""

    text: str | None = None
    mark: Mark | None = None
    first: bool = False  # the first piece of its mark carries the id
    close: bool = False


class _Targets:
    """Claim spans in the source text, one target (and key) per distinct span."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._index: SourceIndex | None = None  # built only if a summary lacks spans
        self.keys: dict[tuple[int, int], str] = {}
        self.flagged: set[tuple[int, int]] = set()

    def _find(self, quote: str) -> tuple[int, int] | None:
        if self._index is None:
            self._index = SourceIndex(self.source)
        s = self._index.find(quote)
        return None if s is None else (s.start, s.end)

    def key(self, claim: Claim | None, quote: str | None) -> str | None:
        """The target key of a claim whose quote (or number) is `quote`; None if it has no place."""
        span: tuple[int, int] | None = None
        if claim is not None and claim.span is not None:
            a, b = claim.span
            # A span from another version of the text would point at the wrong words.
            if 0 <= a < b <= len(self.source) and (
                quote is None or normalize(self.source[a:b]) == normalize(quote)
            ):
                span = (a, b)
        if span is None and quote and (claim is None or claim.status != "quote_not_found"):
            span = self._find(quote)
        if span is None:
            return None
        if claim is not None and claim.status != "verified":
            self.flagged.add(span)
        return self.keys.setdefault(span, f"s{len(self.keys)}")


def _removed(summary: ReportSummary, source: str) -> list[Mark]:
    """Where the text screened out as spam or injection is, from the warnings' evidence."""
    marks: list[Mark] = []
    evidence = {w.evidence: w for w in summary.warnings if w.kind in INJECTED and w.evidence}
    if not evidence:
        return marks
    index = SourceIndex(source)
    for text, w in evidence.items():
        for s in index.find_all(text):
            label = "写给模型的指令" if w.kind == "prompt_injection" else "疑似篡改插入"
            marks.append(Mark(s.start, s.end, f"r{len(marks)}", "del", f"removed {w.kind}", label))
    return marks


def tokens(source: str, marks: list[Mark]) -> Iterator[Token]:
    """The source text with every mark wrapped, nesting where marks nest.

    Marks that cross (one starts inside another and ends after it) cannot nest, so the later
    one is split into pieces that do; every piece carries its mark's key, and only the first
    its id, so one link still reaches all of it.
    """
    bounds = sorted({0, len(source), *(m.start for m in marks), *(m.end for m in marks)})
    by_start: dict[int, list[Mark]] = {}
    for m in marks:
        by_start.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    stack: list[Mark] = []
    opened: set[str] = set()
    for a, b in itertools.pairwise(bounds):
        active = [m for m in active if m.end > a] + by_start.get(a, [])
        # Outer marks first: earlier start, then longer; screened-out text outside claims.
        want = sorted(active, key=lambda m: (m.start, -m.end, m.tag != "del"))
        keep = 0
        while keep < min(len(stack), len(want)) and stack[keep] is want[keep]:
            keep += 1
        for m in reversed(stack[keep:]):
            yield Token(mark=m, close=True)
        for m in want[keep:]:
            yield Token(mark=m, first=m.key not in opened)
            opened.add(m.key)
        stack = want
        yield Token(text=source[a:b])
    for m in reversed(stack):
        yield Token(mark=m, close=True)


@dataclass
class _Brief:
    """What the template shows of a summary, with each figure's target key."""

    summary: ReportSummary
    claims: ClaimIndex
    targets: _Targets
    quotes: dict[str, str] = field(default_factory=dict)  # JSON path -> the quote it checks

    def figure(self, path: str, m: Metric, target: bool) -> dict[str, object]:
        claim = self.claims.first(path)
        self.quotes[path] = m.quote
        return {
            "name": m.name,
            "value": as_written(m, with_change=target),
            "period": m.period or ("" if target else NO_PERIOD),
            "change": "" if target else (m.change or ""),
            "estimate": m.kind == "estimate",
            **self.link(claim, m.quote),
        }

    def link(self, claim: Claim | None, quote: str, cls: str = "fig") -> dict[str, object]:
        """A link to the claim's place: its tags (built here, escaped, as the template's macros
        were too slow for reports with thousands of claims), its check mark and reason."""
        bad = claim is not None and claim.status != "verified"
        key = self.targets.key(claim, quote)
        cls += " bad" if bad else ""
        e = escape  # markupsafe's, in C: Markup.format is pure Python and far slower
        if key:
            title = claim.detail if claim is not None and not bad else quote
            start = Markup(
                f'<a class="{cls}" href="#{key}" data-k="{key}" data-quote="{e(quote)}"'
                f' title="{e(title)}">'
            )
            end = Markup("</a>")
        else:
            start = Markup(f'<span class="{cls} nolink" title="{e(quote)}">')
            end = Markup("</span>")
        if bad and claim is not None:
            end += Markup(f'<span class="why">⚠ {e(reason(claim))}：{e(claim.detail)}</span>')
        mark = _BAD if bad else (_OK if claim is not None else Markup(""))
        return {"key": key, "quote": quote, "bad": bad, "start": start, "end": end, "ck": mark}

    def evidence(self, prefix: str, quotes: list[str]) -> list[dict[str, object]]:
        return [
            self.link(self.claims.first(f"{prefix}.evidence[{j}]"), q, "ev")
            for j, q in enumerate(quotes)
        ]

    def flagged(self) -> list[dict[str, object]]:
        """Every flagged claim, linked to its place when it has one."""
        return [
            {"where": c.where, "text": c.text, **self.link(c, self.quotes.get(c.where, c.text))}
            for c in self.summary.validation.claims
            if c.status != "verified"
        ]

    def prose(self, path: str, text: str) -> list[dict[str, object]]:
        """A text field split into plain runs and links on the numbers checked in it."""
        parts: list[dict[str, object]] = []
        pos = 0
        for c in self.claims.by_path.get(path, []):
            k = text.find(c.text, pos)
            if k < 0 or not c.text:
                continue
            if k > pos:
                parts.append({"text": text[pos:k]})
            parts.append({"text": c.text, **self.link(c, c.text)})
            pos = k + len(c.text)
        if pos < len(text):
            parts.append({"text": text[pos:]})
        return parts


def _bad(*parts: list[dict[str, object]]) -> bool:
    """True when any figure, quote or number among the parts of an item is flagged."""
    return any(bool(x.get("bad")) for part in parts for x in part)


def _item(**parts: object) -> dict[str, object]:
    lists = [v for k, v in parts.items() if k in ("text", "metrics", "targets", "evidence")]
    return {**parts, "flagged": _bad(*lists)}  # type: ignore[arg-type]


def _context(summary: ReportSummary, source: str) -> dict[str, object]:
    brief = _Brief(summary, ClaimIndex(summary.validation), _Targets(source))
    achievements = [
        _item(
            area=a.area,
            text=brief.prose(f"achievements[{i}].text", a.text),
            metrics=[
                brief.figure(f"achievements[{i}].metrics[{j}]", m, False)
                for j, m in enumerate(a.metrics)
            ],
            evidence=brief.evidence(f"achievements[{i}]", a.evidence),
        )
        for i, a in enumerate(summary.achievements)
    ]
    plans = [
        _item(
            area=p.area,
            text=brief.prose(f"plans[{i}].text", p.text),
            targets=[
                brief.figure(f"plans[{i}].targets[{j}]", m, True) for j, m in enumerate(p.targets)
            ],
            evidence=brief.evidence(f"plans[{i}]", p.evidence),
        )
        for i, p in enumerate(summary.plans)
    ]
    targets = [t for p in plans for t in p["targets"]]  # type: ignore[attr-defined]
    problems = [
        _item(
            text=brief.prose(f"problems[{i}].text", pr.text),
            evidence=brief.evidence(f"problems[{i}]", pr.evidence),
        )
        for i, pr in enumerate(summary.problems)
    ]
    overview = brief.prose("overview", summary.overview)
    marks = [
        Mark(a, b, key, "mark", "q bad" if (a, b) in brief.targets.flagged else "q")
        for (a, b), key in brief.targets.keys.items()
    ] + _removed(summary, source)
    byline, footer = byline_and_footer(summary)
    return {
        "title": summary.meta.title or "政府工作报告",
        "byline": byline,
        "footer": footer,
        "validation": summary.validation,
        "overview": overview,
        "achievements": achievements,
        "targets": targets,
        "problems": problems,
        "plans": plans,
        "warnings": summary.warnings,
        "injected": INJECTED,
        "overview_flagged": _bad(overview),
        "flagged_claims": brief.flagged(),
        "tokens": list(tokens(source, marks)),
        "plan_period": summary.meta.plan_period or "",
        "review_period": summary.meta.review_period or "",
    }


@lru_cache(maxsize=1)
def _page() -> tuple[Template, dict[str, str]]:
    assets = {name: source(name) for name in _ASSETS}
    return template("brief.html.j2", autoescape=True), assets


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def render_html(summary: ReportSummary, source_text: str) -> str:
    """The self-contained HTML page of a summary and the source text it was made from."""
    template, assets = _page()
    css, js = assets["brief.css"], assets["brief.js"]
    csp = (
        "default-src 'none'; img-src data:; "
        f"style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "base-uri 'none'; form-action 'none'"
    )
    return template.render(**_context(summary, source_text), css=css, js=js, csp=csp)
