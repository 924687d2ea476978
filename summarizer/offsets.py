"""The map from cleaned text back to the source: one source offset per cleaned character.

Cleaning keeps source text in long unbroken stretches (a line, a paragraph), so the offsets
run up by one for thousands of characters at a time. `OffsetMap` stores each such run once
(where it starts in the cleaned text and in the source) instead of one integer per character:
a 10 MB report needs a few thousand runs, not ten million offsets. It reads as the plain
sequence of offsets (index, slice, iterate, len) and finds a source offset's place in it.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterator, Sequence
from typing import overload

from . import recache

__all__ = ["OFFSET_TYPECODE", "OffsetMap", "line_ends", "line_number", "match_starts"]

OFFSET_TYPECODE = "l" if array("i").itemsize < 4 else "i"  # C int is 4 bytes in practice


def match_starts(pattern: re.Pattern[str], text: str) -> array[int]:
    """Where each match of `pattern` in `text` starts, in 4 bytes an offset: as a list, a
    10 MB report's clause ends were 149,000 int objects (5 MB) held to the end of the run."""
    return array(OFFSET_TYPECODE, [m.start() for m in pattern.finditer(text)])


_LINE_END = recache.compile("\n")


def line_ends(text: str) -> array[int]:
    """Where each line of `text` ends (its line breaks), for line_number."""
    return match_starts(_LINE_END, text)


def line_number(ends: Sequence[int], offset: int) -> int:
    """The line (from 1) that `offset` is on, given its text's line_ends."""
    return bisect.bisect_left(ends, offset) + 1


class OffsetMap(Sequence[int]):
    """Source offsets of the cleaned characters, as runs of consecutive offsets."""

    __slots__ = ("_bases", "_len", "_starts")

    def __init__(self, offsets: Sequence[int] = ()) -> None:
        self._starts = array(OFFSET_TYPECODE)  # where each run starts in the cleaned text
        self._bases = array(OFFSET_TYPECODE)  # the source offset of its first character
        self._len = 0
        for pos in offsets:
            self.add(pos)

    # ------------------------------------------------------------ building

    def add(self, pos: int) -> None:
        """The next cleaned character comes from source offset `pos`."""
        self.add_run(pos, pos + 1)

    def add_run(self, a: int, b: int) -> None:
        """The next b - a cleaned characters come from source offsets a, a + 1, …, b - 1."""
        if b <= a:
            return
        if not self._len or self._bases[-1] + self._len - self._starts[-1] != a:
            self._starts.append(self._len)
            self._bases.append(a)
        self._len += b - a

    def extend(self, other: Sequence[int], start: int, stop: int) -> None:
        """Append other[start:stop]."""
        if not isinstance(other, OffsetMap):
            for pos in other[start:stop]:
                self.add(pos)
            return
        r = other._run(start) if start < stop else 0
        while start < stop:
            end = min(other._run_end(r), stop)
            base = other._bases[r] + start - other._starts[r]
            self.add_run(base, base + end - start)
            start, r = end, r + 1

    # ------------------------------------------------------------ reading

    def _run(self, i: int) -> int:
        return bisect.bisect_right(self._starts, i) - 1

    def _run_end(self, r: int) -> int:
        return self._starts[r + 1] if r + 1 < len(self._starts) else self._len

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, i: int) -> int: ...

    @overload
    def __getitem__(self, i: slice) -> OffsetMap: ...

    def __getitem__(self, i: int | slice) -> int | OffsetMap:
        if type(i) is not int and isinstance(i, slice):
            start, stop, step = i.indices(self._len)
            if step != 1:
                return OffsetMap([self[k] for k in range(start, stop, step)])
            out = OffsetMap()
            out.extend(self, start, stop)
            return out
        if i < 0:
            i += self._len
        if not 0 <= i < self._len:
            raise IndexError("offset index out of range")
        # _run, written out: validation maps each claim's two ends (~46,000 a corpus run)
        starts = self._starts
        r = bisect.bisect_right(starts, i) - 1
        return self._bases[r] + i - starts[r]

    def __iter__(self) -> Iterator[int]:
        for r, base in enumerate(self._bases):
            yield from range(base, base + self._run_end(r) - self._starts[r])

    def bisect_left(self, pos: int) -> int:
        """bisect.bisect_left(self, pos) for offsets that never decrease, in O(log runs)."""
        r = bisect.bisect_right(self._bases, pos) - 1
        if r < 0:
            return 0
        # A restored paragraph break repeats the offset before it: the first run reaching pos.
        while r > 0 and self._last(r - 1) >= pos:
            r -= 1
        if pos <= self._last(r):
            return self._starts[r] + max(0, pos - self._bases[r])
        return self._run_end(r)

    def _last(self, r: int) -> int:
        return self._bases[r] + self._run_end(r) - self._starts[r] - 1

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OffsetMap):
            return (self._len, self._starts, self._bases) == (other._len, other._starts,
                                                              other._bases)  # fmt: skip
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable while it is built

    def __repr__(self) -> str:
        return f"OffsetMap({len(self._starts)} runs, {self._len} offsets)"
