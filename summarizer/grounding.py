"""Normalisation N and locating quotes in a source text.

The summary contract says every quote is an exact substring of the source after N:
Unicode NFKC, then every whitespace character removed, applied to both sides. N is applied
per character so that each normalised character can be mapped back to the source offset it
came from; that is what lets a verified claim point at its place in the report.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["SourceIndex", "Span", "normalize"]


@lru_cache(maxsize=4096)
def _norm_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch)
    return "".join(c for c in out if not c.isspace())


def normalize(text: str) -> str:
    """Apply N: NFKC per character, then drop every whitespace character."""
    if text.isascii():
        return "".join(text.split())
    return "".join(_norm_char(ch) for ch in text)


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
        origin: list[int] = []
        for i, ch in enumerate(source):
            n = _norm_char(ch) if not ch.isascii() else ("" if ch.isspace() else ch)
            if n:
                parts.append(n)
                origin.extend([i] * len(n))
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
