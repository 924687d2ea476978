"""Compiled patterns kept between runs: a run pays for compiling the package's patterns once per
machine and interpreter, as Python pays for compiling its modules once into ``__pycache__``.

Compiling is a quarter of a small report's run: the package compiles some 280 patterns at
import (long alternations, CJK classes, gazetteer names), about 75 ms, against 10 ms for the
report's whole analysis. The regular expression engine itself builds a pattern from a list of
integer codes in microseconds; the cost is the parser and code generator written in Python
that produce that list. This store keeps, for each pattern the package compiled, the arguments
the engine's constructor took, in one file in the user's cache directory, and the next run
hands them straight to the constructor.

It is safe by construction:
* a pattern is compiled by the steps ``re.compile`` takes (parse, generate the codes, index the
  groups), once; the first a process compiles is also compiled by ``re.compile`` and the two
  compared (the engine compares pattern text, flags and every code; the groups are compared
  too), and an interpreter whose ``re.compile`` does otherwise stores nothing;
* the file is stamped with the interpreter's version and the engine's magic number, code size
  and limits: any other interpreter ignores it (and rewrites it for itself);
* an entry serves only its own pattern and flags, the engine validates the codes it is given,
  a damaged or foreign file is ignored, and a file that cannot be written (read-only home, full
  disk) costs only the compile next time.

Only the package's own fixed patterns go through it (`compile`, `lazyre.lazy`,
`fastscan.gated`), never a pattern made from a user's input; the file keeps at most
`MAX_ENTRIES` entries, those this run used first, so patterns the package no longer has age out.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import re
import sys
from array import array
from collections.abc import Callable
from pathlib import Path

try:  # the engine's own parser and code generator (private, stable since Python 2)
    from re import _compiler as _sre_compile  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_compile as _sre_compile
    import sre_parse as _sre_parse

import _sre  # type: ignore[import-not-found]  # the engine: Pattern's constructor

__all__ = ["MAX_ENTRIES", "PatternStore", "compile", "remembered", "save", "store", "use"]

# The texts to compile for a pattern, in order of preference (the first that compiles is used).
Texts = Callable[[str, int], "tuple[str, ...]"]
Key = tuple[str, str, int]  # (how it is built, the pattern as written, flags)
# The pattern as compiled (a gate may have been added), then the constructor's arguments:
# flags, codes, number of groups, group index, index of group names.
# The codes are kept packed, as bytes of machine words: as lists of ints, the ~700 entries
# of a run's file were 60,000 objects and 4 MB of every run's memory, and slower to read.
Entry = tuple[str, int, bytes, int, dict[str, int], tuple[str | None, ...]]

MAX_ENTRIES = 2000
_FORMAT = 2
# The array type of the engine's code words (4 bytes where Python is built as usual).
_WORD = next((t for t in "IL" if array(t).itemsize == _sre.CODESIZE), "")
# What compiled codes depend on: another interpreter or engine ignores the file.
_STAMP = (
    _FORMAT,
    sys.implementation.name,
    sys.version,
    _sre.MAGIC,
    _sre.CODESIZE,
    _sre.MAXREPEAT,
    _sre.MAXGROUPS,
)


def _arguments(text: str, flags: int) -> Entry:
    """The constructor's arguments for `text` compiled with `flags`: the steps re.compile
    takes (parse, generate codes, index the groups), kept rather than handed on."""
    parsed = _sre_parse.parse(text, flags)
    code = [int(c) for c in _sre_compile._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    state_flags = int(flags | parsed.state.flags)
    packed = array(_WORD, code).tobytes()
    return (text, state_flags, packed, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def _build(entry: Entry) -> re.Pattern[str]:
    """The pattern an entry holds, made by the engine's constructor from its arguments."""
    text, flags, packed, groups, groupindex, indexgroup = entry
    code = array(_WORD)
    code.frombytes(packed)
    built: re.Pattern[str] = _sre.compile(
        text, flags, code.tolist(), groups, groupindex, indexgroup
    )
    return built


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> bool:
    # The engine compares pattern text, flags and every code; the groups are compared here.
    return a == b and a.groups == b.groups and dict(a.groupindex) == dict(b.groupindex)


def _plain(pattern: str, flags: int) -> tuple[str, ...]:
    return (pattern,)


class PatternStore:
    """The compiled patterns of earlier runs, read from `path` (None: remember nothing)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[Key, Entry] = self._read() if path is not None else {}
        self.used: set[Key] = set()
        self.compiled = 0  # patterns this process had to compile (not served from the file)
        # Whether this interpreter's re.compile is the steps `_arguments` takes: checked on
        # the first pattern compiled (None: not yet), every later one is built from them once.
        self.faithful: bool | None = None
        self._dirty = False

    def _read(self) -> dict[Key, Entry]:
        assert self.path is not None
        try:
            stamp, entries = marshal.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        return entries if stamp == _STAMP and isinstance(entries, dict) else {}

    def get(self, kind: str, pattern: str, flags: int, texts: Texts = _plain) -> re.Pattern[str]:
        """The first of `texts(pattern, flags)` that compiles, compiled with `flags` (by
        default `pattern` itself), rebuilt from the file when an earlier run stored it."""
        key = (kind, pattern, int(flags))
        entry = self.entries.get(key)
        if entry is not None:
            try:
                # The entry must be this pattern (as it is, or a group of a rewriting of it:
                # gated, a presence test) with at least these flags.
                if entry[0] != pattern and f"(?:{pattern})" not in entry[0]:
                    raise ValueError("another pattern")
                if entry[1] & key[2] != key[2]:
                    raise ValueError("other flags")
                done = _build(entry)
            except Exception:  # damaged: not this pattern, or the engine refused its codes
                del self.entries[key]
            else:
                self.used.add(key)
                return done
        self.compiled += 1
        candidates = texts(pattern, int(flags))
        for text in candidates[:-1]:
            try:
                return self._compile(key, text, int(flags))
            except re.error:
                pass
        return self._compile(key, candidates[-1], int(flags))

    def _compile(self, key: Key, text: str, flags: int) -> re.Pattern[str]:
        """`text` compiled once, and its constructor's arguments stored when they are known to
        rebuild it exactly (re.error as from re.compile)."""
        if self.path is None or self.faithful is False:
            return re.compile(text, flags)
        try:
            entry = _arguments(text, flags)
            built = _build(entry)
        except re.error:
            raise
        except Exception:  # the engine's private parts changed: compile as usual from now on
            self.faithful = False
            return re.compile(text, flags)
        if self.faithful is None:
            reference = re.compile(text, flags)
            self.faithful = _same(built, reference)
            if not self.faithful:
                return reference
        self.entries[key] = entry
        self.used.add(key)
        if not self._dirty:
            self._dirty = True
            atexit.register(self.save)
        return built

    def save(self) -> None:
        """Write the file (this run's patterns first, then the others it or the file holds, at
        most MAX_ENTRIES), atomically; a failure to write costs only the compile next time."""
        if self.path is None or not self._dirty:
            return
        from .cachedir import keep as keep_file
        from .cachedir import one_writer

        keep = {k: self.entries[k] for k in self.used if k in self.entries}
        with one_writer(self.path):
            # Then what the file holds now: another process (a batch's worker) may have written
            # patterns this one never read, which a write from a stale copy would drop.
            for entries in (self.entries, self._read()):
                for k, v in entries.items():
                    if len(keep) >= MAX_ENTRIES:
                        break
                    keep.setdefault(k, v)
            with contextlib.suppress(ValueError):  # a pattern marshal cannot hold: kept nowhere
                keep_file(self.path, marshal.dumps((_STAMP, keep)))
        self._dirty = False


def _default_path() -> Path:
    from .cachedir import user_cache

    return user_cache(f"patterns-{sys.implementation.cache_tag}.bin")


_store: PatternStore | None = None


def store() -> PatternStore:
    """This process's store, read on first use."""
    global _store
    if _store is None:
        _store = PatternStore(_default_path())
    return _store


def save() -> None:
    """Write this process's store now if it compiled patterns the file lacks. A forked worker
    calls this as it ends: it ends without the exit handlers that save the store otherwise."""
    if _store is not None:
        _store.save()


def use(path: Path | None) -> PatternStore:
    """Make this process's store the one in `path` (None: remember nothing) and return it."""
    global _store
    _store = PatternStore(path)
    return _store


def remembered(kind: str, pattern: str, flags: int, texts: Texts) -> re.Pattern[str]:
    """The first of `texts(pattern, flags)` that compiles, served from the file when an earlier
    run stored it; `kind` names the rewriting (two of one pattern are two entries), stamped with
    the file of the code that rewrites: what an earlier version of it stored is not served."""
    return store().get(_rewriting(kind, texts), pattern, flags, texts)


_REWRITERS: dict[str, str] = {}  # a rewriting module's name -> its file's size and time


def _rewriting(kind: str, texts: Texts) -> str:
    module = getattr(texts, "__module__", None) or ""
    stamp = _REWRITERS.get(module)
    if stamp is None:
        where = getattr(sys.modules.get(module), "__file__", None)
        try:
            st = os.stat(where) if where else None
        except OSError:
            st = None
        stamp = _REWRITERS[module] = f"{st.st_size}-{st.st_mtime_ns}" if st else ""
    return f"{kind}@{stamp}" if stamp else kind


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, served from the file when an earlier run stored it."""
    return store().get("re", pattern, flags)
