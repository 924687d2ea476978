"""Normalisation N and locating quotes in a source text.

The summary contract says every quote is an exact substring of the source after N:
Unicode NFKC, then every whitespace character removed, applied to both sides. N is applied
per character so that each normalised character can be mapped back to the source offset it
came from; that is what lets a verified claim point at its place in the report.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import CJK

__all__ = ["SourceIndex", "Span", "normalize"]


# Runs of characters that N leaves as they are: printable ASCII, CJK ideographs and the common
# CJK punctuation. Copying such runs whole, instead of one character at a time, is what keeps
# indexing a report cheap; everything else goes through NFKC one character at a time.
# (tests/test_grounding.py checks that NFKC really is the identity on this class.)
SAFE_CHARS = f"\x21-\x7e{CJK}\u3001-\u3003\u3008-\u3011\u2018\u2019\u201c\u201d\u2014\u00b7"
_SAFE_RUN = re.compile(f"[{SAFE_CHARS}]+")


@lru_cache(maxsize=4096)
def _norm_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch)
    return "".join(c for c in out if not c.isspace())


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
        parts.append(m.group())
        pos = m.end()
    parts.extend(_norm_char(ch) for ch in text[pos:])
    return "".join(parts)


@dataclass(frozen=True)
class Span:
    """A half-open character range [start, end) in some text."""

    start: int
    end: int


class SourceIndex:
    """The normalised form of a source text, with a map back to source offsets."""

    def __init__(self, source: str) -> None:
        self.source = source
        parts: list[str] = []
        # 4 bytes per character instead of a list of int objects (~36): a 10 MB report's index
        # would otherwise cost hundreds of MB.
        origin = array("i")

        def slow(a: int, b: int) -> None:
            for i in range(a, b):
                n = _norm_char(source[i])
                if n:
                    parts.append(n)
                    origin.extend([i] * len(n))

        pos = 0
        for m in _SAFE_RUN.finditer(source):
            slow(pos, m.start())
            parts.append(m.group())
            origin.extend(range(m.start(), m.end()))
            pos = m.end()
        slow(pos, len(source))
        self.text = "".join(parts)
        # origin[k] is the source offset of normalised character k.
        self._origin = origin

    def find(self, quote: str, start: int = 0) -> Span | None:
        """Locate `quote` under N; return its span in the source, or None."""
        q = normalize(quote)
        if not q:
            return None
        k = self.text.find(q, start)
        if k < 0:
            return None
        return self.norm_to_source(k, k + len(q))

    def find_all(self, quote: str) -> list[Span]:
        """Every occurrence of `quote` under N, as source spans."""
        q = normalize(quote)
        spans: list[Span] = []
        if not q:
            return spans
        k = self.text.find(q)
        while k >= 0:
            spans.append(self.norm_to_source(k, k + len(q)))
            k = self.text.find(q, k + 1)
        return spans

    def contains(self, quote: str) -> bool:
        """True when `quote` occurs in the source under N."""
        q = normalize(quote)
        return bool(q) and q in self.text

    def norm_to_source(self, start: int, end: int) -> Span:
        """Map a normalised range back to the source range that produced it."""
        if start >= end:
            pos = self._origin[start] if start < len(self._origin) else len(self.source)
            return Span(pos, pos)
        return Span(self._origin[start], self._origin[end - 1] + 1)

    def source_to_norm(self, offset: int) -> int:
        """The first normalised position at or after a source offset."""
        import bisect

        return bisect.bisect_left(self._origin, offset)
