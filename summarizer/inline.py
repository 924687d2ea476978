"""In-line cleaning: what `clean` deletes inside one line, with the ranges it keeps.

Deleted: leading indentation and heading marks (``#``, ``■``, ``**``), docx ``[bookmark: …]``
markers, every space touching CJK text (OCR and justified text put them between characters),
the spaces of text whose letters or digits were spaced out ("地 区 生 产", "1 9 9 8年"), and
the `holes` the caller names (page footers inside the line). A space between two Latin or
digit tokens stays ("Made in China 2025", "3.6 : 48"), runs of them collapse to one.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import recache
from .lexicon import CN_DIGITS

__all__ = ["OPENERS", "clean_line", "letter_spaced"]

# Opening marks: alone on a line they are a piece of the next line ("（" / "三）…").
OPENERS = frozenset("（(“‘《〈「『【[")
_MARKS = "■□◆◇▲△●○★☆"
_NUMERALS = frozenset(CN_DIGITS + "〇○零百千万亿年")  # what a ○ as zero stands beside
# Horizontal whitespace of every width that OCR and docx export leave inside lines.
_SPACES = " \t\r\x0b\x0c\xa0\u1680\u202f\u205f\u3000\ufeff" + "".join(
    map(chr, range(0x2000, 0x200C))
)
_LEAD_CHARS = _SPACES + "#*" + _MARKS
_TRAIL_CHARS = _SPACES + "*" + _MARKS
# Inside a line: docx bookmark markers, Markdown bold marks, and runs of spaces. Written to
# open with one character class (the first character of each, told apart by a lookbehind):
# the engine then skips to a candidate in C, where an alternation is tried at every position
# (3x faster over the corpus's lines; the same matches as "\[bookmark:…\]|\*\*|[ ]+").
_INNER_RE = recache.compile(
    rf"[\[*{_SPACES}](?:(?<=\[)bookmark:[^\]\n]*\]|(?<=\*)\*|(?<=[{_SPACES}])[{_SPACES}]*)"
)

_SPACED_MIN = 12


def _is_cjkish(ch: str) -> bool:
    # CJK ideographs, kana, CJK and full-width punctuation all sit at or above U+2E80.
    return ch >= "\u2e80" or ch in "“”‘’—–…·"


def letter_spaced(line: str) -> bool:
    """True when the extractor set a space between most characters ("地 区 生 产 总 值")."""
    if len(line) < _SPACED_MIN:
        return False
    singles = line.count(" ") - 2 * line.count("  ")
    return singles * 2 >= len(line) * 0.8


def _spaced_digits(line: str, a: int) -> bool:
    """The space at `a` sits inside a number whose digits were spaced out ("1 9 9 8年"): a
    lone digit on each side, neither touching another Latin token ("3.6 : 48" is not)."""

    def token(k: int) -> bool:
        return 0 <= k < len(line) and line[k].isascii() and (line[k].isalnum() or line[k] == ".")

    return (
        line[a - 1].isdigit()
        and a + 1 < len(line)
        and line[a + 1].isdigit()
        and not token(a - 2)
        and not token(a + 2)
    )


def _deletions(
    line: str, i: int, j: int, holes: Sequence[tuple[int, int]], spaced: bool
) -> list[tuple[int, int]]:
    """Ranges of line[i:j] to delete: markers, spaces not between Latin words, `holes`."""
    cut: list[tuple[int, int]] = []
    for m in _INNER_RE.finditer(line, i, j):
        a, b = m.span()
        if line[a] == "[" or line[a] == "*":
            pass  # a marker: delete it whole
        elif not (_is_cjkish(line[a - 1]) or _is_cjkish(line[b])):
            if b - a > 1:
                a += 1  # collapse a run between Latin/digit tokens to one space
            elif not (spaced or _spaced_digits(line, a)):
                continue  # one space between two tokens: a word break
        cut.append((a, b))
    if holes:
        cut = sorted([*cut, *holes])
    return cut


def clean_line(
    source: str,
    start: int,
    end: int,
    holes: Sequence[tuple[int, int]] = (),
) -> tuple[str, tuple[tuple[int, int], ...], bool]:
    """In-line cleaning of source[start:end] without `holes` (line offsets): (text, kept
    spans, had heading marks)."""
    line = source[start:end]
    body = line.lstrip(_LEAD_CHARS)
    i = len(line) - len(body)
    j = len(body.rstrip(_TRAIL_CHARS)) + i
    if i >= j:
        return "", (), False
    # "○" is also the zero of Chinese numerals (一九八○年): a line may begin or end inside one.
    while i > 0 and line[i - 1] == "○" and line[i] in _NUMERALS:
        i -= 1
    while j < len(line) and line[j] == "○" and line[j - 1] in _NUMERALS:
        j += 1
    marked = i > 0 and any(ch == "#" or ch in _MARKS for ch in line[:i])
    spaced = " " in line and letter_spaced(line[i:j])
    cut = _deletions(line, i, j, holes, spaced)
    if not cut:
        return (line[i:j] if i or j < len(line) else line), ((start + i, start + j),), marked
    spans: list[tuple[int, int]] = []
    pos = i
    for a, b in cut:
        if holes:  # a footer may reach into the stripped ends
            a, b = max(a, i), min(b, j)
        if a > pos:
            spans.append((start + pos, start + a))
        if b > pos:
            pos = b
    if pos < j:
        spans.append((start + pos, start + j))
    return "".join(source[a:b] for a, b in spans), tuple(spans), marked
