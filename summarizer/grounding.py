"""Normalisation N and locating quotes in a source text.

The summary contract says every quote is an exact substring of the source after N:
Unicode NFKC, then every whitespace character removed, applied to both sides. N is applied
per character so that each normalised character can be mapped back to the source offset it
came from; that is what lets a verified claim point at its place in the report.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from . import recache
from .lexicon import CJK
from .offsets import OFFSET_TYPECODE

__all__ = ["SourceIndex", "Span", "nfkc", "normalize"]


# Runs of characters that N maps one to one: printable ASCII, CJK ideographs and the common
# CJK punctuation (NFKC leaves them as they are), and the full-width ASCII forms (U+FF01-FF5E:
# "，", "（", "１", "％"; NFKC maps each to its ASCII twin, replaced first in one regex pass).
# So a run is copied whole and its offsets map back by one subtraction; everything else goes
# through NFKC one character at a time. (tests/test_grounding.py checks both classes.)
SAFE_CHARS = f"\x21-\x7e{CJK}\u3001-\u3003\u3008-\u3011\u2018\u2019\u201c\u201d\u2014\u00b7"
FULLWIDTH = "\uff01-\uff5e"
_SAFE_RUN = recache.compile(f"[{SAFE_CHARS}{FULLWIDTH}]+")
_FULLWIDTH = recache.compile(f"[{FULLWIDTH}]")
_MIN_PREFETCH = 4  # characters (under N) a quote needs to be looked up in one pass with others
_PREFETCH_FROM = 100_000  # characters of normalised text from which one pass beats a search each
_WINDOW = 1 << 18  # characters of text encoded at a time for that pass
# The prefetch automaton's alphabet: a character is the low byte of its code folded to 5 bits,
# so the automaton is small (a dense state costs a word per letter) and a match is checked.
_FOLD = bytes(i % 32 for i in range(256))
_PREFIX = 16  # characters of a quote the automaton matches
_ASTRAL = recache.compile("[\U00010000-\U0010ffff]")  # two UTF-16 units each


@lru_cache(maxsize=4096)
def _norm_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch)
    return "".join(c for c in out if not c.isspace())


def _ascii(run: str) -> str:
    """NFKC of a run of _SAFE_RUN: its full-width forms as ASCII, the rest as it is.

    A C-speed scan that calls back only on a full-width form: on report text (a ，every few
    characters) 5x faster than str.translate, which looks every character up."""
    return _FULLWIDTH.sub(_fold, run)


def _fold(m: re.Match[str]) -> str:
    return chr(ord(m.group()) - 0xFEE0)


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), cheaply for report text.

    CPython's NFKC of a text that is not already normal costs ~2,000 instructions a
    character, and report text is not, only for its full-width punctuation ("，", "（"): those
    are folded to their ASCII forms first (as `_ascii` does; str.translate, which looks every
    character up, cost twice as much), which leaves most texts normal. NFKC of the folded
    text is NFKC of the text (each folded form is its own decomposition)."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    folded = _FULLWIDTH.sub(_fold, text)
    if unicodedata.is_normalized("NFKC", folded):
        return folded
    return unicodedata.normalize("NFKC", folded)


def normalize(text: str) -> str:
    """Apply N: NFKC per character, then drop every whitespace character."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        # Each character of an NFKC-normal text is its own NFKC form (the C-speed check is
        # ~20x cheaper than the per-character loop); str.split drops exactly what isspace() is.
        return "".join(text.split())
    parts: list[str] = []
    pos = 0
    for m in _SAFE_RUN.finditer(text):
        parts.extend(_norm_char(ch) for ch in text[pos : m.start()])
        parts.append(_ascii(m.group()))
        pos = m.end()
    parts.extend(_norm_char(ch) for ch in text[pos:])
    return "".join(parts)


class Span(NamedTuple):
    """A half-open character range [start, end) in some text.

    A named tuple, not a frozen dataclass: validation makes ~100,000 of them over the corpus,
    and a frozen dataclass's __init__ (one object.__setattr__ per field) cost 3x as much."""

    start: int
    end: int


class SourceIndex:
    """The normalised form of a source text, with a map back to source offsets."""

    def __init__(self, source: str) -> None:
        self.source = source
        parts: list[str] = []
        # The map back to the source, one entry per run of normalised text rather than one per
        # character (a 10 MB report's per-character map cost seconds and 40 MB): run r starts
        # at normalised offset _nstart[r] and comes from source offset _sstart[r], one to one,
        # or (_step 0) every character of it from that one source character (NFKC "㎡" -> "m2").
        nstart: list[int] = []
        sstart: list[int] = []
        step: list[int] = []
        size = 0

        def add(at: int, norm: str, one_to_one: bool) -> None:
            nonlocal size
            nstart.append(size)
            sstart.append(at)
            step.append(int(one_to_one))
            parts.append(norm)
            size += len(norm)

        def slow(a: int, b: int) -> None:
            for i in range(a, b):
                if n := _norm_char(source[i]):
                    add(i, n, len(n) == 1)

        pos = 0
        for m in _SAFE_RUN.finditer(source):
            slow(pos, m.start())
            add(m.start(), _ascii(m.group()), True)
            pos = m.end()
        slow(pos, len(source))
        self.text = "".join(parts)
        # Held as arrays of 4-byte offsets (a 10 MB report has 18,000 runs: 1 MB as lists).
        self._nstart = array(OFFSET_TYPECODE, nstart)
        self._sstart = array(OFFSET_TYPECODE, sstart)
        self._step = bytes(step)
        self._norm: dict[str, str] = {}  # quote -> N(quote), for quotes looked up repeatedly
        # N(quote) -> every normalised offset it occurs at, for the quotes of `prefetch`
        self._at: dict[str, list[int]] = {}
        # N(quote) -> its first offset (-1: none), for the quotes not prefetched
        self._first_at: dict[str, int] = {}

    def prefetch(self, quotes: Iterable[str]) -> None:
        """Find every occurrence of many quotes at once, in one pass over the text.

        A report's claims quote it hundreds of times (thousands in a long one); searching the
        whole text once per quote made checking them grow with claims x length. One
        Aho-Corasick pass finds them all in time linear in the text plus the occurrences;
        `find`, `find_all` and `contains` then look the quote up. Quotes not prefetched are
        searched as before, and so is every quote of a short text: under ~100,000 characters
        (most reports) one search per quote costs less than building the automaton.
        """
        if len(self.text) < _PREFETCH_FROM:
            return
        new: set[str] = set()
        for quote in quotes:
            q = self._normalized(quote)
            # A very short quote may occur everywhere; it is cheap to search for directly.
            if len(q) >= _MIN_PREFETCH and q not in self._at:
                new.add(q)
        if not new:
            return
        import ahocorasick_rs  # only a report with claims to check needs it

        # The automaton matches a quote's first _PREFIX characters, one byte each (the low byte
        # of its code, folded to 5 bits: one in every 2 or 4 bytes of the text's UTF-16 or
        # UTF-32, a C-speed slice), and a match is an occurrence when the text there is the
        # quote. Built of whole quotes in UTF-16 its states took 19 MB of a 10 MB report's
        # peak (a state near the root holds a word per letter of the alphabet); now 3 MB.
        # Searching the str itself cost 12 bytes per byte of its UTF-8 form (ahocorasick-rs
        # maps every byte to a character index, and the str keeps its UTF-8 copy).
        quotes_of: dict[bytes, list[str]] = {}
        width, codec = (4, "utf-32-le") if _ASTRAL.search(self.text) else (2, "utf-16-le")
        for q in sorted(new):
            key = q[:_PREFIX].encode(codec, "surrogatepass")[::width].translate(_FOLD)
            quotes_of.setdefault(key, []).append(q)
        keys = list(quotes_of)
        found: dict[str, list[int]] = {q: [] for q in new}
        ac = ahocorasick_rs.BytesAhoCorasick(
            keys,
            matchkind=ahocorasick_rs.MatchKind.Standard,
            # smaller than a noncontiguous one, and it scans faster
            implementation=ahocorasick_rs.Implementation.ContiguousNFA,
        )
        text = self.text
        overlap = max(map(len, keys)) - 1  # a match starting in a window may end past it
        for a in range(0, len(text), _WINDOW):
            # The window's characters, a byte each (a copy of a window, never of the text; a
            # lone surrogate is one unit of UTF-16 too, so offsets are characters).
            window = text[a : a + _WINDOW + overlap].encode(codec, "surrogatepass")
            haystack = window[::width].translate(_FOLD)
            del window
            # Overlapping matches in order of their end: for one key, in order of start.
            for i, start, _ in ac.find_matches_as_indexes(haystack, overlapping=True):
                if start < _WINDOW:  # later ones are the next window's
                    k = a + start
                    for q in quotes_of[keys[i]]:
                        if text.startswith(q, k):
                            found[q].append(k)
        self._at.update(found)

    def _normalized(self, quote: str) -> str:
        q = self._norm.get(quote)
        if q is None:
            q = self._norm[quote] = normalize(quote)
        return q

    def _first(self, q: str, start: int) -> int:
        """The first normalised offset >= start where q occurs, or -1."""
        at = self._at.get(q)
        if at is None:
            if start:
                return self.text.find(q, start)
            # merge, the spans and the checks each ask where a quote is first: searched once
            k = self._first_at.get(q)
            if k is None:
                k = self._first_at[q] = self.text.find(q)
            return k
        i = bisect.bisect_left(at, start)
        return at[i] if i < len(at) else -1

    def find(self, quote: str, start: int = 0) -> Span | None:
        """Locate `quote` under N; return its span in the source, or None."""
        q = self._normalized(quote)
        if not q:
            return None
        k = self._first(q, start)
        if k < 0:
            return None
        return self.norm_to_source(k, k + len(q))

    def find_all(self, quote: str) -> list[Span]:
        """Every occurrence of `quote` under N, as source spans."""
        q = self._normalized(quote)
        if not q:
            return []
        at = self._at.get(q)
        if at is None:
            at = []
            k = self.text.find(q)
            while k >= 0:
                at.append(k)
                k = self.text.find(q, k + 1)
        return [self.norm_to_source(k, k + len(q)) for k in at]

    def contains(self, quote: str) -> bool:
        """True when `quote` occurs in the source under N."""
        q = self._normalized(quote)
        return bool(q) and self._first(q, 0) >= 0

    def _origin(self, k: int) -> int:
        """The source offset of normalised character k."""
        r = bisect.bisect_right(self._nstart, k) - 1
        return self._sstart[r] + (k - self._nstart[r]) * self._step[r]

    def norm_to_source(self, start: int, end: int) -> Span:
        """Map a normalised range back to the source range that produced it."""
        if start >= end:
            pos = self._origin(start) if start < len(self.text) else len(self.source)
            return Span(pos, pos)
        return Span(self._origin(start), self._origin(end - 1) + 1)

    def source_to_norm(self, offset: int) -> int:
        """The first normalised position at or after a source offset."""
        r = bisect.bisect_left(self._sstart, offset) - 1  # the last run starting before it
        if r < 0:
            return 0
        length = (self._nstart[r + 1] if r + 1 < len(self._nstart) else len(self.text)) - (
            self._nstart[r]
        )
        inside = min(offset - self._sstart[r], length) if self._step[r] else length
        return self._nstart[r] + inside
