"""The package's choice between its compiled modules and its sources (summarizer/__init__.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import summarizer
from summarizer import compiled_state

EXT = EXTENSION_SUFFIXES[0]


def _touch(path: Path, mtime: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    os.utime(path, (mtime, mtime))


def test_no_extension_means_sources(tmp_path: Path) -> None:
    _touch(tmp_path / "numbers.py", 100)
    assert compiled_state(str(tmp_path)) == (False, False)


def test_an_extension_newer_than_its_source_is_current(tmp_path: Path) -> None:
    _touch(tmp_path / "numbers.py", 100)
    _touch(tmp_path / f"numbers{EXT}", 200)
    _touch(tmp_path / "structure" / "outline.py", 100)
    _touch(tmp_path / "structure" / f"outline{EXT}", 200)
    _touch(tmp_path / f"_native__mypyc{EXT}", 200)  # the build's shared library: no source
    assert compiled_state(str(tmp_path)) == (True, False)


def test_a_source_edited_after_the_build_makes_the_build_stale(tmp_path: Path) -> None:
    _touch(tmp_path / f"_native__mypyc{EXT}", 200)
    _touch(tmp_path / "numbers.py", 100)
    _touch(tmp_path / f"numbers{EXT}", 200)
    _touch(tmp_path / "engines" / "rules" / "metrics.py", 300)  # edited after the build
    _touch(tmp_path / "engines" / "rules" / f"metrics{EXT}", 200)
    assert compiled_state(str(tmp_path)) == (True, True)


def test_extensions_without_the_build_s_shared_library_are_not_a_build(tmp_path: Path) -> None:
    _touch(tmp_path / "numbers.py", 100)
    _touch(tmp_path / f"numbers{EXT}", 200)  # a compile that failed half-way
    assert compiled_state(str(tmp_path)) == (False, False)


def test_an_installed_package_is_not_judged_by_its_unpacking_times(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "summarizer"
    _touch(package / f"_native__mypyc{EXT}", 100)
    _touch(package / f"numbers{EXT}", 100)
    _touch(package / "numbers.py", 101)  # unpacked after its extension, as a wheel's order has it
    assert compiled_state(str(package)) == (True, False)


def _run(code: str, **env: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_pure_python_when_asked_loads_every_module_from_source() -> None:
    code = (
        "import summarizer, summarizer.numbers as n, summarizer.engines.rules.metrics as m;"
        "print(summarizer.COMPILED, n.__file__.endswith('.py'), m.__file__.endswith('.py'))"
    )
    assert _run(code, SUMMARIZER_PURE_PYTHON="1") == "False True True"


def test_the_version_says_which_build_runs() -> None:
    code = "from summarizer.cli import main; main(['--version'])"
    said = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ)
    ).stdout
    assert ("(compiled)" in said) == summarizer.COMPILED
    assert ("(pure Python)" in said) == (not summarizer.COMPILED)
    present, stale = compiled_state()
    assert summarizer.COMPILED == (
        present and not stale and "SUMMARIZER_PURE_PYTHON" not in os.environ
    )


def test_an_install_on_a_machine_with_a_c_compiler_built_the_compiled_modules() -> None:
    """The compiled build falls back to pure Python quietly at install (mypyc refusing a new
    construct, say): here that shows, wherever a compiler and Python's headers are there."""
    import shutil
    import sysconfig

    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    if os.environ.get("SUMMARIZER_PURE_PYTHON") or not (shutil.which("cc") and headers.is_file()):
        pytest.skip("no C compiler or Python headers here, or a pure-Python install was asked for")
    present, _ = compiled_state()
    assert present, "pip install -e . built no compiled module: run it with -v to see why"
