"""The package's dataclass methods compiled once per machine and interpreter, as Python compiles
its modules once into ``__pycache__``.

`dataclasses` writes each class's methods (``__init__``, ``__repr__``, ``__eq__``, ``__hash__``,
a frozen class's ``__setattr__`` and ``__delattr__``) as source text and compiles it with
``exec`` on every run: about 200 compiles for the package's classes, the largest part of their
definition's cost and some 10 ms of a one-report run (a tenth of its start-up). This store keeps
the code objects those texts compile to, in one file in the user's cache directory; the next run
executes the stored code instead of compiling the text again.

It is safe by construction:
* a code object serves only the text it was compiled from (the whole text is the key), compiled
  as ``exec`` compiles a text (file name ``<string>``, no future flags: it is used only while
  the dataclasses module imports none), so the methods are the very same;
* only the package's own classes go through it (the text's globals are a ``summarizer`` module's):
  any other ``exec`` the dataclasses module makes is passed on untouched;
* the file is stamped with the interpreter's version: any other interpreter ignores it (and
  rewrites it for itself); a damaged file is ignored, and one that cannot be written costs only
  the compile next time. It holds code, like a ``__pycache__`` folder, and lives in the user's
  own cache, written by their own runs.

`install` (called by the package's ``__init__``, before any of its classes is defined) puts the
store between the dataclasses module and ``exec``; the store's file is read on first use.
"""

from __future__ import annotations  # compile(dont_inherit=True) below takes none of this file's

import atexit
import builtins
import dataclasses
import marshal
import os
import sys
import types
from pathlib import Path
from typing import Any

__all__ = ["MAX_ENTRIES", "CodeStore", "install", "store", "use"]

MAX_ENTRIES = 1000
_FORMAT = 1
_STAMP = (_FORMAT, sys.implementation.name, sys.version, sys.flags.optimize)
_PACKAGE = __name__.rpartition(".")[0]  # "summarizer"
_exec = builtins.exec


class CodeStore:
    """The compiled method texts of earlier runs, read from `path` (None: remember nothing)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.codes: dict[str, types.CodeType] = self._read() if path is not None else {}
        self.used: set[str] = set()
        self.compiled = 0  # texts this process had to compile (not served from the file)
        self._dirty = False

    def _read(self) -> dict[str, types.CodeType]:
        assert self.path is not None
        try:
            stamp, codes = marshal.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        if stamp != _STAMP or not isinstance(codes, dict):
            return {}
        return {
            k: v for k, v in codes.items() if isinstance(k, str) and isinstance(v, types.CodeType)
        }

    def code(self, text: str) -> types.CodeType:
        """`text` compiled as ``exec(text)`` compiles it, served from the file when an earlier
        run stored it."""
        code = self.codes.get(text)
        if code is None:
            code = compile(text, "<string>", "exec", dont_inherit=True)
            self.compiled += 1
            if self.path is not None:
                self.codes[text] = code
                if not self._dirty:
                    self._dirty = True
                    atexit.register(self.save)
        self.used.add(text)
        return code

    def save(self) -> None:
        """Write the file (this run's texts first, at most MAX_ENTRIES), atomically; a failure
        to write costs only the compile next time."""
        if self.path is None or not self._dirty:
            return
        keep = {k: self.codes[k] for k in self.used if k in self.codes}
        for k, v in self.codes.items():
            if len(keep) >= MAX_ENTRIES:
                break
            keep.setdefault(k, v)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(marshal.dumps((_STAMP, keep)))
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
        self._dirty = False


_store: CodeStore | None = None


def store() -> CodeStore:
    """This process's store, read on first use."""
    global _store
    if _store is None:
        from .cachedir import user_cache

        _store = CodeStore(user_cache(f"classes-{sys.implementation.cache_tag}.bin"))
    return _store


def use(path: Path | None) -> CodeStore:
    """Make this process's store the one in `path` (None: remember nothing) and return it."""
    global _store
    _store = CodeStore(path)
    return _store


def _ours(globals_: object) -> bool:
    name = globals_.get("__name__") if isinstance(globals_, dict) else None
    return isinstance(name, str) and (name == _PACKAGE or name.startswith(_PACKAGE + "."))


def _exec_through_store(
    source: Any, globals_: Any = None, locals_: Any = None, /, **kw: Any
) -> None:
    """``exec`` as the dataclasses module calls it, a package class's text served compiled."""
    if isinstance(source, str) and not kw and _ours(globals_):
        source = store().code(source)
    _exec(source, globals_, locals_, **kw)


def install() -> None:
    """Have the dataclasses module's ``exec`` go through the store (once per process). Not
    when that module imports future flags: its texts would not compile as they do here."""
    if "annotations" in vars(dataclasses) or "exec" in vars(dataclasses):
        return
    dataclasses.exec = _exec_through_store  # type: ignore[attr-defined]
