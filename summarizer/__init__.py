"""summarizer: typed, number-checked summaries of Chinese government work reports.

The library entry points live in `summarizer.pipeline`; the contract models in
`summarizer.models`.

The offline pipeline's hot modules may be compiled (mypyc, see setup.py). A compiled module
calls the others of its build directly, so the build runs only as a whole: when any of its
sources is newer than its extension (a source edited in an editable install), or
SUMMARIZER_PURE_PYTHON is set, every module of the package is loaded from its source.
"""

from __future__ import annotations

import os
import sys
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec, SourceFileLoader

__version__ = "0.1.0"

_HERE = os.path.dirname(os.path.abspath(__file__))
#: The package's data files (read beside the modules: the package is installed as files). A
#: compiled module's own __file__ is wrong while it loads (mypyc places it by its build's shared
#: library), so the modules find their files from here.
DATA_DIR = os.path.join(_HERE, "data")
# The folders that hold compiled modules (setup.py's COMPILED).
_FOLDERS = ("", "engines/rules", "structure")


def compiled_state(package: str = _HERE) -> tuple[bool, bool]:
    """(a whole compiled build in the package folder, any of its modules older than its source).

    A build is whole when its shared library (`_native__mypyc`) is there: a module's extension
    without it cannot load. Only a checkout is checked for edits: an installed wheel's files carry
    the times they were unpacked, in the archive's order, not the times they were written.
    """
    present = stale = False
    installed = os.path.basename(os.path.dirname(package)) in ("site-packages", "dist-packages")
    for folder in _FOLDERS:
        where = os.path.join(package, folder)
        try:
            entries = {e.name: e for e in os.scandir(where)}
        except OSError:
            continue
        for name, entry in entries.items():
            suffix = next((s for s in EXTENSION_SUFFIXES if name.endswith(s)), None)
            if suffix is None:
                continue
            if not folder and name.startswith("_native__mypyc"):
                present = True
                continue
            source = entries.get(name[: -len(suffix)] + ".py")
            if source is not None and not installed:
                stale = stale or source.stat().st_mtime > entry.stat().st_mtime
    return present, present and stale


class _SourceFinder:
    """Finds summarizer's modules as their .py sources, passing over compiled extensions."""

    @staticmethod
    def find_spec(fullname: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if not fullname.startswith(__name__ + "."):
            return None
        base = os.path.join(os.path.dirname(_HERE), *fullname.split("."))
        for candidate, package in (
            (os.path.join(base, "__init__.py"), True),
            (base + ".py", False),
        ):
            if os.path.isfile(candidate):
                loader = SourceFileLoader(fullname, candidate)
                spec = ModuleSpec(fullname, loader, origin=candidate, is_package=package)
                if package:
                    spec.submodule_search_locations = [base]
                spec.has_location = True
                return spec
        return None


_present, _stale = compiled_state()
#: Whether this process runs the compiled modules (False: every module from its source).
COMPILED = _present and not _stale and not os.environ.get("SUMMARIZER_PURE_PYTHON")
if _present and not COMPILED:
    sys.meta_path.insert(0, _SourceFinder())
