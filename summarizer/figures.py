"""One report's figures and periods, parsed once, and read back for any clause of it.

A report is parsed for numbers and periods once (`FigureTable`), and the engine, the
annotation passes and validation all read that table. A claim carries its place (a quote's
span in the clean text), so the figures of a quote, of its sentence or of the rest of the
sentence are looked up in the table by offset instead of parsing the substring again.

What the table returns for text[a:b] is exactly what `find_numbers(text[a:b])` and
`find_periods(text[a:b])` return (offsets relative to `a`); tests/test_figures.py checks
that over every clause and sentence of the corpus. The two parsers read a little context
around a figure (the clause before it, its unit after it, quote marks around it), which a
substring cannot see; a cut at a clause stop (，。；：！？) hides that context on both sides,
so where a substring starts or ends at such a stop the table's figures are the substring's.
Anywhere else — a cut inside a phrase, a figure or a quoted name across the cut, a number
at the cut that may be an enumerator ("1." after "，" is one in a substring, not in the
text) — the substring is parsed on its own, as before. One exception: a window longer than
_PARSED_MAX that starts or ends inside a run with no clause stop (a reader capping a 69,000-
character "sentence" of figures run together) gets the whole figures the table has inside it,
so reading such a run clause by clause stays linear; the corpus has no such window.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import chain
from typing import Any, TypeVar, overload

from . import recache
from .numbers import KNOWN, NumberMention, find_numbers, iter_numbers, quoted_spans
from .offsets import OFFSET_TYPECODE, line_ends, match_starts
from .periods import Period, find_periods, resolve_period, scan_periods

__all__ = ["FigureTable", "Mentions", "numbers_of", "periods_of"]

# A clause stop: no number or period pattern reads across one (see the module docstring).
_STOPS = frozenset("，。；：！？")
_FW_DIGITS = frozenset("０１２３４５６７８９")  # "２８，０４９" groups thousands with "，"
_BLANK = " \t\u3000\r"  # what find_numbers skips back over to the character before a figure
_ENUMERATOR_NEXT = ".．、)）"  # "1." "2、" "（3）": an enumerator when it opens a line
_ROLE_AFTER = 16  # characters after a period that periods._role reads
_ROLE_BEFORE = 10  # characters before a period that periods._role reads (blanks dropped)
# A sentence starts after one of these (checktext's sentence cut); the before-context a period's
# role is read from is cut there, except that a line break is a blank to that reading.
_SENTENCE_START = frozenset("。！？!?\n")
# Where a sentence ends (； does not end one: a period governs across it) and where a line does.
# The engine and the checks both cut a report there: its table finds the cuts once for both.
_SENTENCE_CUT = recache.compile(r"[。！？!?\n]")
# A period pattern may look at the next character after a figure's start ("2019" + "年"): such
# a cut is parsed rather than read from the table.
_PEEKED = frozenset("——–-－~～〜至到年月")
_DIGITS = frozenset("0123456789０１２３４５６７８９零〇○一二两三四五六七八九十")
_KNOWN_MAX = 50_000  # quotes whose parse numbers.KNOWN keeps
# A window longer than this that is not cut at clause stops is served from the table.
_PARSED_MAX = 200
_T = TypeVar("_T", bound=Period)


@lru_cache(maxsize=8192)
def numbers_of(text: str) -> tuple[NumberMention, ...]:
    """find_numbers of a string that is no view of a report (a change, an item's text), parsed
    once: the annotation, the checks and the re-asks all read the same strings."""
    known = KNOWN.get(text)  # find_numbers's, without its copy as a list (~12,000 a corpus)
    return known if known is not None else tuple(iter_numbers(text))


@lru_cache(maxsize=4096)
def periods_of(text: str) -> tuple[Period, ...]:
    """find_periods of a string, parsed once (claimed periods repeat across claims)."""
    return tuple(find_periods(text))


class FigureTable:
    """Every number and period of one text, by offset, with exact views of its substrings."""

    def __init__(self, text: str, mentions: Sequence[NumberMention] | None = None) -> None:
        self.text = text
        # The quoted names, which the number scan skips, found once for it and the views
        # (start, end, start, end … in one array, read in C).
        quoted = array(OFFSET_TYPECODE, chain.from_iterable(quoted_spans(text)))
        self._qstarts, self._qends = quoted[0::2], quoted[1::2]
        del quoted
        self.mentions = Mentions(
            mentions
            if mentions is not None
            else iter_numbers(text, zip(self._qstarts, self._qends, strict=True))
        )
        self._mstarts = self.mentions.starts
        self._raw_periods = scan_periods(text)
        self._pstarts = array(OFFSET_TYPECODE, [p.start for p in self._raw_periods])
        self._resolved = [resolve_period(text, p) for p in self._raw_periods]
        # find_periods(text): the comparison bases left out, deadlines marked
        self.periods: list[Period] = [p for p in self._resolved if p is not None]
        # The views read, keyed on one int per window (_window): a 10 MB report's 10,000
        # windows held 1 MB more as (a, b) tuples.
        self._numbers: dict[int, tuple[NumberMention, ...]] = {}
        self._periods: dict[int, tuple[Period, ...]] = {}
        self._sentence_cuts: array[int] | None = None
        self._line_cuts: array[int] | None = None

    # --- sentence and line ends
    def sentence_cuts(self) -> array[int]:
        """Where each sentence of the text ends (。！？!? or a line end), found once."""
        if self._sentence_cuts is None:
            self._sentence_cuts = match_starts(_SENTENCE_CUT, self.text)
        return self._sentence_cuts

    def line_cuts(self) -> array[int]:
        """Where each line of the text ends, found once."""
        if self._line_cuts is None:
            self._line_cuts = line_ends(self.text)
        return self._line_cuts

    # --- boundaries
    def _is_cut(self, p: int) -> bool:
        """True when no pattern reads across offset p (a clause stop on either side)."""
        t = self.text
        if p <= 0 or p >= len(t):
            return True
        before, after = t[p - 1], t[p]
        if before not in _STOPS and after not in _STOPS:
            return False
        stop = before if before in _STOPS else after
        if stop == "，":  # between full-width digits it groups thousands
            k = p - 1 if before == "，" else p
            return not (
                (k > 0 and t[k - 1] in _FW_DIGITS) and (k + 1 < len(t) and t[k + 1] in _FW_DIGITS)
            )
        return True

    def _quoted_across(self, p: int) -> bool:
        """True when a quoted name (“十三五”) spans offset p."""
        i = bisect.bisect_left(self._qstarts, p) - 1
        return i >= 0 and self._qends[i] > p

    def _safe(self, a: int, b: int, i: int, j: int) -> bool:
        """True when text[a:b] parses as the table reads it; i and j: the first mentions
        starting at or after a and b (where a mention running across a or b would sit next)."""
        ends = self.mentions.ends
        return (
            self._is_cut(a)
            and self._is_cut(b)
            and not (i and ends[i - 1] > a)  # a mention across a
            and not (j and ends[j - 1] > b)
            and not self._quoted_across(a)
            and not self._quoted_across(b)
        )

    @staticmethod
    def _window(a: int, b: int) -> int:
        """One int for the window a, b (offsets fit 4 bytes: see OFFSET_TYPECODE)."""
        return a << 32 | b

    # --- numbers
    def numbers(self, a: int, b: int, quote: str | None = None) -> tuple[NumberMention, ...]:
        """find_numbers(text[a:b]), offsets relative to a.

        `quote`: the caller's own string of text[a:b] (a claim's quote), which numbers.KNOWN
        then keys on rather than on a copy of it (a 10 MB report's 9,300: 1.2 MB).
        """
        key = a << 32 | b  # _window, written out: ~40,000 calls a corpus run
        got = self._numbers.get(key)
        if got is None:
            got = self._numbers[key] = self._numbers_view(a, b)
            if len(KNOWN) >= _KNOWN_MAX:
                KNOWN.clear()
            if quote is None or not self.is_at(quote, a, b):
                quote = self.text[a:b]
            KNOWN[quote] = got  # the same quote's string is parsed from the table
        return got

    def is_at(self, quote: str, a: int, b: int) -> bool:
        """True when text[a:b] is `quote` (compared in place, no copy of the text made)."""
        return len(quote) == b - a and 0 <= a and self.text.startswith(quote, a)

    def _numbers_view(self, a: int, b: int) -> tuple[NumberMention, ...]:
        ms = self.mentions
        i, j = bisect.bisect_left(self._mstarts, a), bisect.bisect_left(self._mstarts, b)
        if not self._safe(a, b, i, j) or (i < j and self._enumerator_at_cut(a, i)):
            if b - a > _PARSED_MAX and not (self._is_cut(a) and self._is_cut(b)):
                # A window cut out of a run with no clause stop (a reader's cap on a long
                # clause): the report's own figures there, whole ones only, not a parse of a
                # piece of them, which would make the work quadratic in the run.
                return tuple(m for m in ms.moved(i, j, a) if m.end <= b - a)
            return tuple(find_numbers(self.text[a:b]))
        return tuple(ms.moved(i, j, a))

    def _enumerator_at_cut(self, a: int, i: int) -> bool:
        """True when a figure opening text[a:b] (mention i) may be read as an enumerator there
        alone.

        find_numbers takes a short unit-less number followed by "." or "、" for an enumerator
        when the character before it opens a line; a substring's first figure has nothing
        before it, the text's has the clause stop.
        """
        t = self.text
        if not a or t[a : self._mstarts[i]].strip(_BLANK):
            return False  # most windows: words before the figure (no mention built to see it)
        m = self.mentions[i]
        k = a  # the character before the blanks that precede a (not a copy of the text up to a)
        while k > 0 and t[k - 1] in _BLANK:
            k -= 1
        before = t[k - 1] if k else "\n"
        return (
            before not in "\n（(：:；;。"
            and not m.unit
            and t[m.end : m.end + 1] in _ENUMERATOR_NEXT
        )

    # --- periods
    def periods_in(self, a: int, b: int) -> tuple[Period, ...]:
        """find_periods(text[a:b]), offsets relative to a."""
        key = self._window(a, b)
        got = self._periods.get(key)
        if got is None:
            got = self._periods_view(a, b)
            self._periods[key] = got
        return got

    def periods_before(self, a: int, x: int) -> tuple[Period, ...]:
        """find_periods(text[a:x]) for a sentence starting at `a` and any x in it (a figure's
        start): the periods of the sentence before the figure, with the role of a base or a
        deadline read as the sentence up to the figure reads it ("由一九四九年的28.8%": the
        year is the figure's own, not a base of it). Offsets relative to a.

        The scan of text[a:x] is the table's, unless a period or a digit runs across a or x
        or a pattern could read the character at x; a period whose role is read from words
        past either end is resolved again on the text it can see.
        """
        t = self.text
        i, j = bisect.bisect_left(self._pstarts, a), bisect.bisect_left(self._pstarts, x)
        raw = self._raw_periods
        if (
            (a and t[a - 1] not in _SENTENCE_START)
            or (i and raw[i - 1].end > a)
            or (j and raw[j - 1].end > x)
            or (x < len(t) and (t[x] in _PEEKED or (x > a and t[x - 1] in _DIGITS)))
        ):
            return tuple(find_periods(t[a:x]))
        out: list[Period] = []
        for k in range(i, j):
            p = raw[k]
            if p.start - _ROLE_BEFORE >= a and p.end + _ROLE_AFTER <= x:
                got = self._resolved[k]  # every word its role is read from is inside
                if got is not None:
                    out.append(_shift(got, a))
                continue
            # Read its role from the words it can see in text[a:x] (a short slice of them).
            lo = max(a, p.start - _ROLE_BEFORE)
            seen = resolve_period(t[lo : min(x, p.end + _ROLE_AFTER)], _shift(p, lo))
            if seen is not None:
                out.append(_shift(seen, a - lo) if a != lo else seen)
        return tuple(out)

    def _periods_view(self, a: int, b: int) -> tuple[Period, ...]:
        mstarts = self._mstarts
        if not self._safe(a, b, bisect.bisect_left(mstarts, a), bisect.bisect_left(mstarts, b)):
            return tuple(find_periods(self.text[a:b]))
        i, j = bisect.bisect_left(self._pstarts, a), bisect.bisect_left(self._pstarts, b)
        out: list[Period] = []
        sub: str | None = None
        for k in range(i, j):
            raw = self._raw_periods[k]
            if raw.end + _ROLE_AFTER <= b:  # all the context its role is read from is inside
                got = self._resolved[k]
            else:  # the words after it that make it a base or a deadline may lie past b
                sub = self.text[a:b] if sub is None else sub
                got = resolve_period(sub, _shift(raw, a))
                if got is not None:
                    out.append(got)
                continue
            if got is not None:
                out.append(_shift(got, a))
        return tuple(out)


class Mentions(Sequence[NumberMention]):
    """A text's number mentions as columns, each NumberMention built when it is read.

    A report writes tens of thousands of figures but far fewer distinct ones (a 10 MB report:
    44,000 mentions, 16,800 distinct payloads past the offsets, 194 distinct units): offsets
    are held as two C arrays and each mention as an index into its distinct payload (text,
    value, unit ... is_year), which is held once with its strings and floats shared. As named
    tuples with their int offsets, the 10 MB report's mentions held 9 MB to the end of the run.
    """

    __slots__ = ("_kinds", "_payloads", "ends", "starts")

    def __init__(self, mentions: Iterable[NumberMention] = ()) -> None:
        self.starts = array(OFFSET_TYPECODE)
        self.ends = array(OFFSET_TYPECODE)
        self._kinds = array(OFFSET_TYPECODE)  # each mention's payload, by index
        self._payloads: list[tuple[Any, ...]] = []
        # Keyed on the payloads kept (equal to the mentions' own): a mention read is garbage
        # at once, not held by the index to the end of the build.
        index: dict[object, int] = {}
        shared: dict[object, object] = {}
        share = shared.setdefault
        add_start, add_end, add_kind = self.starts.append, self.ends.append, self._kinds.append
        payloads = self._payloads
        for m in mentions:
            add_start(m[0])
            add_end(m[1])
            payload = m[2:]  # text, value, unit, base_value, base_unit, low, high, ...
            # 0.0 and -0.0 are equal keys but print apart: a payload with a zero value, base
            # value, low or high (None is none) is keyed on how it prints too.
            signed = not (payload[1] and payload[3]) or payload[5] == 0 or payload[6] == 0
            k = index.get((payload, repr(payload)) if signed else payload)
            if k is None:
                k = len(payloads)
                # One object for equal strings and nonzero floats (a zero's sign prints: kept
                # as it is; an int is kept apart from its equal float), field by field: a loop
                # over them was most of the build (~20,000 payloads a corpus run).
                qualifier: str | None  # declared: mypyc types a local the tuple types None
                text, value, unit, base_value, base_unit, low, high, qualifier = payload[:8]
                kept = (
                    share(text, text), share(value, value) if type(value) is float and value
                    else value, share(unit, unit), share(base_value, base_value)
                    if type(base_value) is float and base_value else base_value,
                    share(base_unit, base_unit), share(low, low) if type(low) is float and low
                    else low, share(high, high) if type(high) is float and high else high,
                    qualifier if qualifier is None else share(qualifier, qualifier), *payload[8:],
                )  # fmt: skip
                payloads.append(kept)
                index[(kept, repr(kept)) if signed else kept] = k
            add_kind(k)

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, i: int) -> NumberMention: ...
    @overload
    def __getitem__(self, i: slice) -> list[NumberMention]: ...
    def __getitem__(self, i: int | slice) -> NumberMention | list[NumberMention]:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self.starts))
            if step == 1:
                return self.moved(start, stop, 0)
            return [self[k] for k in range(start, stop, step)]
        return tuple.__new__(
            NumberMention, (self.starts[i], self.ends[i], *self._payloads[self._kinds[i]])
        )

    def __iter__(self) -> Iterator[NumberMention]:
        payloads = self._payloads
        for start, end, k in zip(self.starts, self.ends, self._kinds, strict=True):
            yield tuple.__new__(NumberMention, (start, end, *payloads[k]))

    def distinct(self) -> list[NumberMention]:
        """One mention of each distinct figure (all its fields but the offsets), where it
        first appears: what a question about the figures a text states, not where, reads."""
        seen = bytearray(len(self._payloads))
        out: list[NumberMention] = []
        for i, k in enumerate(self._kinds):
            if not seen[k]:
                seen[k] = 1
                out.append(self[i])
        return out

    def moved(self, i: int, j: int, a: int) -> list[NumberMention]:
        """Mentions i to j (0 <= i; not past the last), their offsets moved back by a."""
        payloads, new = self._payloads, tuple.__new__
        span = zip(self.starts[i:j], self.ends[i:j], self._kinds[i:j], strict=True)
        return [new(NumberMention, (start - a, end - a, *payloads[k])) for start, end, k in span]


def _shift(p: Period, a: int) -> Period:
    return _moved(p, a) if a else p


_PERIOD_REST = tuple(f for f in Period.__slots__ if f not in ("start", "end"))


def _moved(x: _T, a: int) -> _T:
    """A copy of a frozen slotted record (Period) with its offsets moved back by a.

    dataclasses.replace runs __init__ and field checks: several times slower, in the loop that
    serves every quote of a report.
    """
    moved = object.__new__(type(x))
    put = object.__setattr__
    put(moved, "start", x.start - a)
    put(moved, "end", x.end - a)
    for name in _PERIOD_REST:
        put(moved, name, getattr(x, name))
    return moved
