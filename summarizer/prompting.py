"""Prompt files: where they live, how they are loaded, and their content hashes.

The prompt templates under prompts/ are Jinja2 text. They are handed to instructor as they
are, and instructor renders them with the request's `context`; the report text only ever
enters as a context variable, so a report containing "{{" is never evaluated as a template.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# Installed wheels carry the prompts inside the package; a source checkout keeps them at the top.
_CANDIDATES = (_HERE / "prompts", _HERE.parent / "prompts")


def prompts_dir() -> Path:
    """The directory holding the prompt templates."""
    for d in _CANDIDATES:
        if (d / "extract_system.md").is_file():
            return d
    raise FileNotFoundError(
        "prompt templates not found (looked in summarizer/prompts and prompts/)"
    )


@cache
def load_prompt(name: str) -> str:
    """The text of prompts/<name>."""
    return (prompts_dir() / name).read_text(encoding="utf-8")


def prompt_hash(*names: str) -> str:
    """A short content hash over the named prompt files, for cache and cassette keys."""
    h = hashlib.sha256()
    for name in names:
        h.update(name.encode())
        h.update(b"\0")
        h.update(load_prompt(name).encode("utf-8"))
    return h.hexdigest()[:16]
