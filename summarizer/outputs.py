"""Where results are written, and what may be written there.

Every text the tool writes (a brief, a summary JSON, stdout) passes `safe_output`: the API key is
scrubbed from it, and characters no UTF-8 file can hold (a GBK file name read as surrogate
escapes) become U+FFFD instead of failing the write after all the work is done.
"""

from __future__ import annotations

from .secrets import scrub

__all__ = ["safe_output"]


def safe_output(text: str) -> str:
    """text fit for any output: no secret, and encodable as UTF-8."""
    return scrub(text).encode("utf-8", "replace").decode("utf-8")
