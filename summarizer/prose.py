"""Every sentence of a brief is grounded: item prose is checked as text against the source.

Figures are checked by `validate`; this module checks the words around them. An engine (an
obedient model, a poisoned cache entry) may write an item's `text` or `area` that states no
number at all — "本镇财政已经破产…详见 http://evil.example" — and nothing else would look at it.

Two checks, both on model output only:

* Unsafe content: links, contacts (QQ / WeChat / phone / e-mail) and orders to a model are
  found by the same detectors that screen the report (`tamper.scan`, `injection`), and are
  never printed: `redact` replaces them with a marker before anything is rendered, and the
  item's claim is `spam`.
* Support: a paraphrase of a report reuses the report's words, an invented sentence brings its
  own. Chinese has no word breaks, so a "word" is a character bigram (and a Latin word); a
  clause is unsupported when most of its bigrams occur nowhere in the (screened) report nor
  among the bigrams half of all work reports write (a summary's topic labels, 民生保障, are
  the genre's words) — the clause "本镇财政已经破产" has 6 of 7 such novel bigrams, a label
  "经济运行" of a report that says 经济 and 运行 apart 1 of 3. The claim is `unsupported`.

Measured (bench/prose_support.py): 0 false alarms over the offline briefs of the whole corpus
and the replayed briefs of the five samples; invented sentences caught at the rate it prints.
"""

from __future__ import annotations

import bisect
import operator
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import recache
from .grounding import SourceIndex, nfkc, normalize
from .indicators import FOUND_OUTCOME_AREA, FOUND_TARGET_AREA
from .lexicon import CJK
from .records import Achievement, ChunkSummary, Claim, Metric, Plan, Problem, ReportSummary, replace
from .tamper import scan

if TYPE_CHECKING:
    from . import models

    # What the prose checks read: a summary, or an engine's answer (the model's, at a re-ask).
    Items = ReportSummary | ChunkSummary | models.ChunkSummary

__all__ = ["REDACTED", "check_prose", "redact", "unsupported_clause"]

REDACTED = "〔已删除可疑内容〕"  # what a link, contact or order in model output becomes
# E-mail addresses: tamper's contact detector covers QQ / WeChat / phone, a report never
# hides an address in its body, but a model's answer can carry one.
_EMAIL_RE = recache.compile(
    r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})+"
)

# A clause of the brief is unsupported when at least this many of its bigrams, and more than
# this share of them, are nowhere in the report; a whole text when its clauses together are.
# Tuned on the corpus (0 false alarms): a genuine clause with 3 novel bigrams has at least 7
# (3/7 = 0.43 at most), one of fewer has at most 2 ("经济运行": 2 of 3).
_CLAUSE_NOVEL, _CLAUSE_SHARE = 3, 0.5
_TEXT_NOVEL, _TEXT_SHARE = 4, 0.4
_CLAUSE_SPLIT = recache.compile(r"[，。；！？、,;!?：:（）()“”\"'《》\[\]【】…—·\n]+")
_CJK_RUN = recache.compile(f"[{CJK}]+")
_LATIN_WORD = recache.compile(r"[a-z]{3,}")
# Support is local: an item's words must be near its own quotes (evidence, figures), this many
# characters either side of each, since in a report of megabytes nearly every bigram occurs
# somewhere. An item with no quote found is checked against the whole report when that is
# no longer than WHOLE_MAX (the corpus's longest: 62,000 characters); in a longer one its
# words are unchecked, and flagged.
NEAR_QUOTE = 1500
WHOLE_MAX = 200_000
# Where a quote is in `source` (validation's look-up), or None when it is not there.
Locate = Callable[[str], tuple[int, int] | None]
# An item of a brief is a sentence or two (the corpus's longest: 177 characters); a field longer
# than this is no summary of anything, and is flagged without being read further.
MAX_PROSE = 2000


def _engine_labels() -> frozenset[str]:
    """Area labels the tool itself writes (not the report's words, so never "unsupported")."""
    from .engines.rules.items import GOALS_AREA, PLAN_AREA, REVIEW_AREA

    return frozenset({REVIEW_AREA, PLAN_AREA, GOALS_AREA, FOUND_TARGET_AREA, FOUND_OUTCOME_AREA})


def _units(text: str) -> set[str]:
    """The "words" of a text: CJK character bigrams (across line breaks, as under N) and
    lowercased Latin words (split where spaces are, which N would remove)."""
    text = unicodedata.normalize("NFKC", text)
    joined = "".join(text.split())
    out = {run[i : i + 2] for run in _CJK_RUN.findall(joined) for i in range(len(run) - 1)}
    out.update(_LATIN_WORD.findall(text.lower()))
    return out


@lru_cache(maxsize=1)
def _genre() -> frozenset[str]:
    """Bigrams at least half of all work reports write (民生, 保障, 运行 …): the words a summary
    labels its items with may be the genre's, not this report's. Built from the corpus by
    bench/prose_support.py --write."""
    # Beside this module, not through importlib.resources (whose readers' import is a
    # millisecond of a small run): the package is installed as files.
    text = (Path(__file__).parent / "data" / "report_bigrams.txt").read_text("utf-8")
    return frozenset(text.split())


class _Vocabulary:
    """What a source writes: its bigrams under N, its Latin words, and the genre's bigrams.

    The bigrams are collected in one C-speed pass over every pair (pairs that are not CJK are
    simply never looked up): linear, about a second for 3.7 MB of text.
    """

    def __init__(self, norm: str, source: str) -> None:
        # islice, not norm[1:]: no second copy of the whole text at the peak of validation
        self.pairs = set(map(operator.add, norm, islice(norm, 1, None)))
        self.pairs.update(_LATIN_WORD.findall(source.lower()))

    def __contains__(self, unit: str) -> bool:
        return unit in self.pairs or unit in _genre()

    def missing(self, units: set[str]) -> int:
        """How many of `units` it does not write (set differences, in C)."""
        return len(units.difference(self.pairs, _genre()))


@lru_cache(maxsize=4)
def _vocabulary(norm: str, source: str) -> _Vocabulary:
    # Cached per source: validation and --strict's re-validation check one report twice.
    return _Vocabulary(norm, source)


class _Near:
    """What the report writes near an item's quotes: windows of its normalised text.

    A bigram is looked up by a C-speed `in` over the windows of the report's one normalised
    text, rather than collected from a normalised copy of the windows: an item's prose has a
    few dozen bigrams, its windows thousands (collecting them was a third of validation).
    Latin words, rare in prose, are collected from the windows when first asked.
    """

    def __init__(self, index: SourceIndex, windows: list[tuple[int, int]]) -> None:
        self._index = index
        # The windows' normalised text, one copy (an item's few thousand characters), a NUL
        # between two so no bigram spans a gap: one `in` per bigram.
        self._text = "\0".join(
            index.text[index.source_to_norm(a) : index.source_to_norm(b)] for a, b in windows
        )
        self._windows = windows
        self._latin: set[str] | None = None

    def __contains__(self, unit: str) -> bool:
        if unit in _genre():
            return True
        if unit.isascii():
            if self._latin is None:
                src = self._index.source
                self._latin = {w for a, b in self._windows
                               for w in _LATIN_WORD.findall(src[a:b].lower())}  # fmt: skip
            return unit in self._latin
        return unit in self._text

    def missing(self, units: set[str]) -> int:
        """How many of `units` it does not write: the genre's bigrams (most of an item's) taken
        out by one set difference in C, the rest looked up one by one."""
        text = self._text
        n = 0
        for unit in units.difference(_genre()):
            if unit.isascii():
                n += unit not in self
            else:
                n += unit not in text
        return n


Support = _Vocabulary | _Near


def unsupported_clause(
    text: str, source: str, norm: str | None = None, *, support: Support | None = None
) -> str | None:
    """The first clause of `text` (or the text itself) with no support in `source`, or None.

    `norm` is the source under N when the caller has it already (validation's index);
    `support`, when given, is what to check against instead of the whole source.
    """
    vocabulary = (
        support
        if support is not None
        else _vocabulary(normalize(source) if norm is None else norm, source)
    )
    novel = total = 0
    for clause in _CLAUSE_SPLIT.split(nfkc(text[:MAX_PROSE])):
        units = _units(clause)
        new = vocabulary.missing(units)
        if new >= _CLAUSE_NOVEL and new > _CLAUSE_SHARE * len(units):
            return clause
        novel, total = novel + new, total + len(units)
    if novel >= _TEXT_NOVEL and novel >= _TEXT_SHARE * total:
        return text[:80]
    return None


def _unsafe_in(texts: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
    """Spans of links, contacts, gambling spam and orders to a model in each text that has any.

    The texts are scanned as one (a blank line between two), which costs one pass of every
    detector instead of one per field; a span is cut at the end of the field it starts in.
    """
    distinct = list(dict.fromkeys(t for t in texts if t))
    starts, pos = [], 0
    for t in distinct:
        starts.append(pos)
        pos += len(t) + 2
    out: dict[str, list[tuple[int, int]]] = {}  # only the texts with unsafe spans
    for a, b in _unsafe_spans("\n\n".join(distinct)):
        k = bisect.bisect_right(starts, a) - 1
        t, s0 = distinct[k], starts[k]
        if a - s0 < len(t):
            out.setdefault(t, []).append((a - s0, min(b - s0, len(t))))
    return out


@lru_cache(maxsize=2)
def _unsafe_spans(joined: str) -> list[tuple[int, int]]:
    # Cached: `redact` and `check_prose` scan the same summary's strings one after the other.
    found = [(f.start, f.end) for f in scan(joined)]
    found += [m.span() for m in _EMAIL_RE.finditer(joined)]
    return sorted(found)


def _unsafe(text: str) -> list[tuple[int, int]]:
    """Spans of unsafe content in one text."""
    return _unsafe_in([text]).get(text, [])


def redact_text(text: str, spans: list[tuple[int, int]] | None = None) -> str:
    """text with every unsafe span replaced by the marker (runs of markers made one)."""
    spans = _unsafe(text) if spans is None else spans
    if not spans:
        return text
    out, pos = [], 0
    for a, b in spans:
        if b <= pos:
            continue
        out.append(text[pos : max(pos, a)])
        if not "".join(out).endswith(REDACTED):
            out.append(REDACTED)
        pos = b
    out.append(text[pos:])
    return "".join(out)


_METRIC_TEXT = ("name", "unit", "period", "change")


def _field(x: object, name: str, default: Any) -> Any:
    """A field of an item, or `default` when its kind has none (a problem has no targets)."""
    return getattr(x, name, default)


Item = TypeVar("Item", Achievement, Problem, Plan)


# The last report summary scanned, and what was found in it: `redact` and then the validation
# pass scan the same summary (redact returns it as it is when nothing is unsafe). Held, not
# keyed on its id, so no later summary can be taken for it; the pipeline's records are never
# changed in place (a model's answer, checked while it is re-asked, is not kept).
_last_scanned: tuple[ReportSummary, dict[str, list[tuple[int, int]]]] | None = None


def _unsafe_of(summary: Items, keep: bool) -> dict[str, list[tuple[int, int]]]:
    """_unsafe_in of every string of a summary's items; `keep` it for the next scan of the same
    summary (redact's, for the validation pass), else let the summary go."""
    global _last_scanned
    last, _last_scanned = _last_scanned, None
    if last is not None and last[0] is summary:
        return last[1]
    unsafe = _unsafe_in(_strings(summary))
    if keep and isinstance(summary, ReportSummary):
        _last_scanned = (summary, unsafe)
    return unsafe


def _strings(summary: Items) -> Iterator[str]:
    """Every string an engine wrote into the items of a summary."""
    for section in ("achievements", "problems", "plans"):
        for x in getattr(summary, section):
            yield x.text
            yield _field(x, "area", "")
            for m in [*_field(x, "metrics", ()), *_field(x, "targets", ())]:
                yield from (v for f in _METRIC_TEXT if isinstance(v := getattr(m, f), str))


def redact(summary: ReportSummary) -> ReportSummary:
    """Every string an engine wrote, with links, contacts and orders to a model replaced.

    Done before rendering, so no brief, JSON or HTML page can print them as fact; the
    validation pass flags each item that held one (`check_prose`).
    """
    unsafe = _unsafe_of(summary, keep=True)
    if not any(unsafe.values()):
        return summary

    def clean(v: str) -> str:
        return redact_text(v, unsafe.get(v, []))

    def metric(m: Metric) -> Metric:
        update = {f: clean(v) for f in _METRIC_TEXT
                  if isinstance(v := getattr(m, f), str) and unsafe.get(v)}  # fmt: skip
        return replace(m, **update) if update else m

    def item(x: Item) -> Item:
        update: dict[str, object] = {
            f: clean(getattr(x, f)) for f in ("area", "text") if hasattr(x, f)
        }
        for name in ("metrics", "targets"):
            if hasattr(x, name):
                update[name] = [metric(m) for m in getattr(x, name)]
        return replace(x, **update)

    sections = ("achievements", "problems", "plans")
    return replace(summary, **{s: [item(x) for x in getattr(summary, s)] for s in sections})


def _fields(summary: Items, unsafe: dict[str, list[tuple[int, int]]]) -> Iterator[tuple[str, str]]:
    """(JSON path, text) of every prose field (items' text and area), and of each metric field
    holding unsafe content."""
    for section in ("achievements", "problems", "plans"):
        for i, x in enumerate(getattr(summary, section)):
            yield f"{section}[{i}].text", x.text
            if _field(x, "area", ""):
                yield f"{section}[{i}].area", x.area
            for name in ("metrics", "targets"):
                for j, m in enumerate(_field(x, name, ())):
                    for f in ("name", "period", "change"):
                        value = getattr(m, f)
                        if value and (REDACTED in value or unsafe.get(value)):
                            yield f"{section}[{i}].{name}[{j}].{f}", value


def _near(size: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ranges within NEAR_QUOTE characters of any of the spans (merged, in order), in a
    text of `size` characters."""
    windows: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        a, b = max(0, a - NEAR_QUOTE), min(size, b + NEAR_QUOTE)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], b))
        else:
            windows.append((a, b))
    return windows


def _item_quotes(x: object) -> list[str]:
    quotes = list(_field(x, "evidence", ()))
    for name in ("metrics", "targets"):
        quotes += [m.quote for m in _field(x, name, ()) if m.quote]
    return quotes


def _support(summary: Items, item: str, index: SourceIndex, locate: Locate) -> Support | None:
    """What the prose of an item ("plans[3]") may draw on: the report near the item's quotes;
    None when no quote of it is found and the report is too long to read whole."""
    section, _, rest = item.partition("[")
    x = getattr(summary, section)[int(rest.split("]", 1)[0])]
    spans = [s for q in dict.fromkeys(_item_quotes(x)) if (s := locate(q)) is not None]
    if spans:
        return _Near(index, _near(len(index.source), spans))
    if len(index.source) <= WHOLE_MAX:
        return _vocabulary(index.text, index.source)
    return None


def check_prose(
    summary: Items,
    source: str,
    norm: str | None = None,
    locate: Locate | None = None,
    index: SourceIndex | None = None,
) -> Iterator[Claim]:
    """A flag for each prose field that carries unsafe content or has no support in the source.

    Run by the validation pass on a whole summary, and by the re-ask validators (reask.py) on
    one chunk's answer against that chunk.

    `source` is the screened report text (injected text already gone, so prose repeating it
    is unsupported), `norm` the same under N when the caller has it. With `locate` (where a
    quote is in `source`), an item's prose is checked against the text near its own quotes
    (`_support`), looked up in `index` (source's N-index, built here when not given);
    without, against all of `source` (a chunk). A field that passes yields
    nothing: its figures are claims of their own.
    """
    labels = _engine_labels()
    unsafe = _unsafe_of(summary, keep=False)
    # An item's text and area share its support; _fields yields them one after the other, so
    # only the current item's is kept (all of them held 10 MB of windows for a 10 MB report).
    near_item: tuple[str, Support | None] = ("", None)
    for where, text in _fields(summary, unsafe):
        if REDACTED in text or unsafe.get(text):
            shown = redact_text(text, unsafe.get(text, []))[:80]
            yield Claim(where=where, text=shown, status="spam",
                        detail="模型输出含链接、联系方式或写给模型的指令，已删除")  # fmt: skip
            continue
        if where.endswith(".text") or where.endswith(".area"):
            if text.strip() in labels:
                continue
            if len(text) > MAX_PROSE:
                yield Claim(where=where, text=text[:80], status="unsupported",
                            detail=f"文字过长（{len(text)}字），不是摘要")  # fmt: skip
                continue
            if locate is None:
                clause = unsupported_clause(text, source, norm)
            else:
                if index is None or index.source is not source:
                    index = SourceIndex(source)
                item = where.rsplit(".", 1)[0]
                if near_item[0] != item:
                    near_item = (item, _support(summary, item, index, locate))
                if (near := near_item[1]) is None:
                    yield Claim(where=where, text=text[:80], status="unsupported",
                                detail="条目没有能在原文中找到的引文，文字无从核对")  # fmt: skip
                    continue
                clause = unsupported_clause(text, source, support=near)
            if clause is not None:
                # The clause itself, where the text has it as written, so a page can mark it.
                shown = clause if clause and clause in text else text[:80]
                yield Claim(where=where, text=shown[:80], status="unsupported",
                            detail=f"原文中找不到依据：{clause[:60]}")  # fmt: skip
