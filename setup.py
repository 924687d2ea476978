"""Build: the offline pipeline's hot modules compiled to C by mypyc, the rest pure Python.

mypyc (mypy's compiler; black, mypy and charset-normalizer ship with it) turns the modules
named in COMPILED, which mypy already checks strictly, into C extensions: the offline run of
the corpus costs about a fifth less CPU. The same sources run unchanged without them, so the
compiled build is optional: with no C compiler, or SUMMARIZER_PURE_PYTHON=1 set while
installing, or any failure of mypyc or of the compiler, the package installs as pure Python
(saying so) and gives the same outputs, more slowly. `summarizer --version` tells which runs.

An editable install (`pip install -e .`) builds the extensions beside their sources; after a
source changes, the package runs every module from source until the next install rebuilds
them (summarizer/__init__.py checks this at import, so an edit is never shadowed by a stale
extension).
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

# The modules a report's offline run spends its time in (reading, cleaning, screening,
# structure, the rules engine, merge, validation, rendering). Left out: modules mypyc cannot
# compile as they are (regular: subclasses a builtin; lazyre: puts methods on its instances;
# records: generates its copiers with exec, and orjson reads its dataclasses; periods: figures
# copies its frozen Period field by field; pipeline: its coroutines and their clean-up, where
# a compiled build leaked one run's replay error into the next run of the process), and every
# module off the offline hot path.
COMPILED = [
    "bounds", "checks", "checktext", "chrome", "clean", "fastscan", "figures", "grounding",
    "headline_search", "indicators", "injection", "inline", "kinds", "lexicon", "limits",
    "merge", "numbers", "numerals", "offsets", "prose", "recognize", "render",
    "screen", "tamper", "units", "validate",
    "engines/rules/items", "engines/rules/metrics", "engines/rules/naming",
    "engines/rules/problems", "engines/rules/text",
    "structure/cues", "structure/header", "structure/headings", "structure/outline",
    "structure/overlays", "structure/places", "structure/types",
]  # fmt: skip


class OptionalBuildExt(build_ext):
    """build_ext on every core, and a failed compile leaves the pure-Python package."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if self.parallel is None:
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        try:
            super().run()
        except Exception as e:
            _pure(f"the C compile failed ({type(e).__name__}: {e})")
            _drop_stale([])


def _pure(why: str) -> None:
    print(f"summarizer: {why}; installing pure Python (same outputs, slower)", file=sys.stderr)


def _drop_stale(kept: list[str]) -> None:
    """Remove the extensions an earlier build left beside the sources that this build does not
    make (a module taken off COMPILED, or a pure build after a compiled one): an editable
    install would import such a leftover, which names a part of the shared library no longer
    there, or runs code older than its source's last build."""
    import sysconfig
    from pathlib import Path

    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    for path in Path("summarizer").rglob(f"*{suffix}"):
        name = path.with_name(path.name[: -len(suffix)]).as_posix().removeprefix("summarizer/")
        if name not in kept:
            path.unlink()


def _extensions() -> list[object]:
    if sys.argv[1:2] and sys.argv[1] in ("egg_info", "dist_info", "sdist"):
        return []  # the metadata steps of an install: mypyc's analysis only when building
    if os.environ.get("SUMMARIZER_PURE_PYTHON"):
        _pure("SUMMARIZER_PURE_PYTHON is set")
        _drop_stale([])
        return []
    try:
        from mypyc.build import mypycify

        paths = [f"summarizer/{m}.py" for m in COMPILED]
        # group_name: the build's shared library inside the package (summarizer/_native__mypyc),
        # not a top-level module named by a hash that an editable install would not find.
        # mypyc type-checks first, in the build's environment, where the runtime dependencies
        # are not installed yet: what it cannot find is typed Any (dynamic, as in Python), and
        # the modules it only follows are not held to strictness here (CI runs `mypy` on all).
        flags = ["--ignore-missing-imports", "--follow-imports=silent"]
        built = list(mypycify([*flags, *paths], opt_level="3", group_name="summarizer._native"))
        _drop_stale([*COMPILED, "_native__mypyc"])
        return built
    except Exception as e:
        _pure(f"mypyc could not compile the modules ({type(e).__name__}: {e})")
    except SystemExit as e:  # mypyc exits on a type error it finds
        _pure(f"mypyc stopped ({e})")
    _drop_stale([])
    return []


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
