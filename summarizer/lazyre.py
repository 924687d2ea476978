"""Patterns compiled the first time they are used: start-up pays only for the patterns a run needs.

Compiling a pattern costs far more than a small report's scan with it: a CJK class such as
``[一-鿿]`` alone takes the engine's compiler a millisecond (it marks each of its 20,992 code
points one by one), and the package holds some 300 patterns. Most run on every report, but many
serve only some inputs (page footers, web chrome, URLs, older wording): those are written
``lazy(...)`` so a run compiles them only when it reaches them.

A `LazyPattern` offers the methods of a compiled pattern. The first call compiles it and then
puts the compiled pattern's own bound methods on the instance, so every later call is exactly
as fast as with the compiled pattern (no extra Python frame). It is not an ``re.Pattern``: pass
it to no ``re.*`` function (call its methods), which mypy enforces.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from . import recache

__all__ = ["LazyPattern", "lazy"]

Compile = Callable[[str, int], "re.Pattern[str]"]

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """A regular expression compiled on first use (by `compile`: recache.compile, the stored
    re.compile, or fastscan.gated)."""

    def __init__(self, pattern: str, flags: int = 0, compile: Compile = recache.compile) -> None:
        self.pattern = pattern
        self._flags = flags
        self._compile = compile

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        done: re.Pattern[str] | None = self.__dict__.get("_compiled")
        if done is None:
            done = self.__dict__["_compiled"] = self._compile(self.pattern, self._flags)
            # Instance attributes shadow the methods below: later calls go straight to C.
            for name in _METHODS:
                self.__dict__[name] = getattr(done, name)
        return done

    @property
    def flags(self) -> int:
        return self.compiled().flags

    @property
    def groups(self) -> int:
        return self.compiled().groups

    @property
    def groupindex(self) -> Any:
        return self.compiled().groupindex

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled().findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

    def subn(
        self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0
    ) -> tuple[str, int]:
        return self.compiled().subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled().split(string, maxsplit)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self._flags})"


def lazy(pattern: str, flags: int = 0, compile: Compile = recache.compile) -> LazyPattern:
    """`pattern` (with `flags`), compiled by `compile` when first used."""
    return LazyPattern(pattern, flags, compile)
