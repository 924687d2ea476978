"""The package's Jinja2 templates (summarizer/templates/): loaded by name, compiled once.

A template's compiled code is kept in the user cache (jinja2's FileSystemBytecodeCache, which
checks each entry against its template's text and the Python version): compiling the brief's
template was a third of a small report's Markdown rendering. jinja2 is imported on first use:
the JSON output needs no template engine, and start-up is paid by every run.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import BytecodeCache, Environment, Template

__all__ = ["source", "template"]

_TEMPLATES = Path(__file__).parent / "templates"


def source(name: str) -> str:
    """The text of templates/<name> (a template, or an asset a page embeds)."""
    # Beside this module (the package is installed as files), not through importlib.resources,
    # whose import (tempfile, shutil, random) every run's start-up paid for, JSON's too.
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def template(name: str, *, autoescape: bool) -> Template:
    """templates/<name>, compiled: autoescaped for HTML, as written for Markdown."""
    return _template(name, autoescape)


@lru_cache(maxsize=8)
def _template(name: str, autoescape: bool) -> Template:
    return _env(autoescape).get_template(name)


@lru_cache(maxsize=2)
def _env(autoescape: bool) -> Environment:
    from jinja2 import Environment, FunctionLoader, StrictUndefined

    return Environment(
        loader=FunctionLoader(_loaded),
        bytecode_cache=_bytecode_cache(),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        autoescape=autoescape,
    )


def _loaded(name: str) -> tuple[str, None, Callable[[], bool]]:
    return source(name), None, lambda: True  # package data: never changes under a run


def _bytecode_cache() -> BytecodeCache | None:
    """The user cache's templates/ folder, or None when it cannot be made (then each run
    compiles, as before); an entry that cannot be written only costs the compile next time."""
    from jinja2 import FileSystemBytecodeCache
    from jinja2.bccache import Bucket

    from .cachedir import user_cache

    class Quiet(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    folder = user_cache("templates")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return Quiet(str(folder))
