"""Patterns that scan long text fast: a first-character gate in front of a slow alternation.

Python's regex engine skips ahead in C only when a pattern opens with a literal or a character
set; a pattern that opens with a group of alternatives (``(?:忽略|无视)…|你现在…``), with a
lookbehind or under IGNORECASE with Latin letters is instead tried in full at every position of
the text, which makes a scan of a report twenty times slower than it need be. `gated` reads the
pattern's syntax tree for the characters a match can begin with and puts them in front as a
lookahead, ``(?=[忽无你…])(?:PATTERN)``: each position that cannot start a match is then rejected
by one set test. The matches are exactly those of the plain pattern (the lookahead only rules
out positions where no match begins; it is compiled with the same flags, so case folding is the
engine's own). When the first characters cannot be told (a pattern that may open with any
character, or match the empty string) the plain pattern is returned.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from . import recache

try:  # the engine's own parser (private, stable since Python 2): read, never modified
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_parse as _sre_parse

__all__ = ["gated"]

# A first-character set larger than this gates too little to pay for its test.
_MAX_ITEMS = 64
_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
_ZERO_WIDTH = {"AT", "ASSERT", "ASSERT_NOT"}
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class _Unknown(Exception):
    """The first characters of some part cannot be listed."""


def _char(code: int) -> str:
    c = chr(code)
    return "\\" + c if c in "\\]^-[" else c


def _class_items(items: list[tuple[Any, Any]]) -> set[str]:
    out: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.add(_char(av))
        elif name == "RANGE":
            out.add(f"{_char(av[0])}-{_char(av[1])}")
        elif name == "CATEGORY" and str(av) in _CATEGORIES:
            out.add(_CATEGORIES[str(av)])
        else:  # NEGATE, a big charset, a Unicode category the class syntax cannot write
            raise _Unknown
    return out


def _first(seq: Any) -> tuple[set[str], bool]:
    """(class items a match of `seq` can begin with, whether `seq` can match empty)."""
    found: set[str] = set()
    for op, av in seq:
        name = str(op)
        if name in _ZERO_WIDTH:
            continue  # consumes nothing: the next item decides (a superset is safe)
        if name == "LITERAL":
            found.add(_char(av))
            return found, False
        if name == "IN":
            found |= _class_items(av)
            return found, False
        if name == "BRANCH":
            empty = False
            for alt in av[1]:
                items, alt_empty = _first(alt)
                found |= items
                empty = empty or alt_empty
            if not empty:
                return found, False
            continue
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _Unknown  # flags of its own: the gate's class would read differently
            items, empty = _first(sub)
        elif name == "ATOMIC_GROUP":
            items, empty = _first(av)
        elif name in _REPEATS:
            low, _high, sub = av
            items, empty = _first(sub)
            empty = empty or low == 0
        else:  # ANY, NOT_LITERAL, a group reference, …
            raise _Unknown
        found |= items
        if not empty:
            return found, False
    return found, True


def first_chars(pattern: str, flags: int = 0) -> str | None:
    """A character class of the characters a match can begin with, or None if unknown."""
    try:
        items, empty = _first(_sre_parse.parse(pattern, flags))
    except (_Unknown, re.error, TypeError, ValueError):
        return None
    if empty or not items or len(items) > _MAX_ITEMS:
        return None
    return "[" + "".join(sorted(items)) + "]"


def gated(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`pattern` compiled with a first-character lookahead gate (same matches, fewer tries);
    served from the compiled patterns of earlier runs, gate and all (`recache`)."""
    return recache.remembered("gated", pattern, flags, gate_texts)


def gate_texts(pattern: str, flags: int = 0) -> tuple[str, ...]:
    """What `gated` compiles: the gated pattern, else (global inline flags such as "(?i)…" must
    open a pattern, so the gate cannot precede them) the plain one; the plain one alone when
    the first characters cannot be told."""
    cls = first_chars(pattern, flags)
    return (pattern,) if cls is None else (f"(?={cls})(?:{pattern})", pattern)


# --- a yes/no test: does the pattern match anywhere?

# Characters whose simple lower case is another character's that none of that character's own
# case forms reach (Kelvin sign -> k, Ohm sign -> ω, ...): IGNORECASE matches them too.
_ODD_CASES = "\u0130\u03f4\u1e9e\u2126\u212a\u212b"
# The engine's code generator's table of further case forms (ſ for s, ı for i …): private,
# named so since Python 3.11 (re._compiler, loaded with re), and in sre_compile before.
_GENERATOR: Any = getattr(re, "_compiler", None) or importlib.import_module("sre_compile")
_EXTRA_CASES: dict[int, tuple[int, ...]] = getattr(
    _GENERATOR, "_EXTRA_CASES", getattr(_GENERATOR, "_ignorecase_fixes", {})
)


def _case_forms(c: str) -> set[str]:
    """Every character IGNORECASE may match `c` with (a superset: the caller filters)."""
    forms = {c}
    for _ in range(2):
        forms |= {f for x in forms for f in (x.lower(), x.upper(), x.title(), x.casefold())
                  if len(f) == 1}  # fmt: skip
    forms |= {chr(e) for x in forms for e in _EXTRA_CASES.get(ord(x), ())}
    return forms | set(_ODD_CASES)


def _explicit_class(items: set[str], flags: int) -> str | None:
    """The class of `items` under `flags` written out without IGNORECASE (its case forms
    listed), or None when it has a range (not expanded)."""
    if not flags & re.I:
        return "[" + "".join(sorted(items)) + "]"
    chars: set[str] = set()
    kept = [x for x in items if x in _CATEGORIES.values()]  # \d, \s, \w: not case-dependent
    for x in items:
        if x in kept:
            continue
        c = x[1:] if len(x) == 2 and x[0] == "\\" else x
        if len(c) != 1:
            return None  # a range
        chars |= _case_forms(c)
    under = re.compile("[" + "".join(sorted(items)) + "]", flags)  # what the gate reads
    chars = {c for c in chars if under.fullmatch(c)}
    return "[" + "".join(sorted(kept)) + "".join(sorted(map(_char_of, chars))) + "]"


def _char_of(c: str) -> str:
    return _char(ord(c))


def presence(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern that finds something exactly when `pattern` matches somewhere: for a yes/no
    test before a scan of a long text, where a match is rare (orders to a model, contacts).

    It opens with the first characters as a plain character class (their case forms written
    out, IGNORECASE moved onto the pattern's own group), which the engine skips to in C, and
    checks `pattern` there in a lookbehind, ``[…](?<=(?=(?:PATTERN)).)``: 3-4x faster over
    report text than the lookahead gate, which is entered at every position. Its match is one
    character long, where a match of `pattern` starts; only whether it finds one is meant.
    The plain gated pattern when the first characters cannot be written so.
    """
    scoped = f"(?i:{pattern})" if flags & re.I else pattern
    # The kind names the rewriting: a store of an earlier one (no second gate) is not served.
    return recache.remembered("presence2", scoped, flags & ~re.I, presence_texts)


def presence_texts(scoped: str, flags: int) -> tuple[str, ...]:
    """What `presence` compiles, `scoped` being the pattern with its IGNORECASE, if any, as
    a group's flag: the test, else the gated pattern."""
    ignore = scoped.startswith("(?i:") and scoped.endswith(")")
    pattern, full = (scoped[4:-1], flags | re.I) if ignore else (scoped, flags)
    try:
        items, empty = _first(_sre_parse.parse(pattern, full))
        cls = None if empty or not items else _explicit_class(items, full)
    except (_Unknown, re.error, TypeError, ValueError):
        cls = None
    gate = first_chars(pattern, full)
    if gate and ignore:
        gate = f"(?i:{gate})"  # read as the pattern reads its first characters
    fallback = (f"(?={gate})(?:{scoped})" if gate else scoped,)
    if cls is None:
        return fallback
    return (f"{cls}{_second_gate(pattern, full)}(?<=(?=(?:{scoped}))(?s:.))", *fallback)


def _second_gate(pattern: str, flags: int) -> str:
    """A lookahead for the characters a match's second character can be, or "" when they
    cannot be told (or a match may be one character long). Common characters open words of
    the pattern (大 of 大模型, 以 of 以上): a test of the next character rules out most of
    their places in one set test, before the pattern is tried there in full."""
    try:
        items = _seconds(list(_sre_parse.parse(pattern, flags)))
        second = _explicit_class(items, flags) if items else None
    except (_Unknown, re.error, TypeError, ValueError):
        return ""
    return f"(?={second})" if second and len(items) <= _MAX_ITEMS else ""


def _seconds(seq: list[tuple[Any, Any]]) -> set[str]:
    """Class items the second character of every match of `seq` is among (a superset)."""
    for k, (op, av) in enumerate(seq):
        name = str(op)
        if name in _ZERO_WIDTH:
            continue  # consumes nothing: the next item is the first character
        rest = seq[k + 1 :]
        if name in ("LITERAL", "IN"):
            items, empty = _first(rest)
            if empty:
                raise _Unknown  # a match may end after its first character
            return items
        if name == "BRANCH":
            out: set[str] = set()
            for alt in av[1]:
                out |= _seconds([*alt, *rest])
            return out
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _Unknown
            return _seconds([*sub, *rest])
        raise _Unknown  # a repeat, ANY, a group reference, …
    raise _Unknown  # nothing consumed
