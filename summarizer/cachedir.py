"""Where a run keeps what the next run reuses: the user's cache folder for summarizer.

Model responses (`config.default_cache_dir`, unless --cache or $SUMMARIZER_CACHE_DIR says
otherwise), compiled patterns (`recache`), compiled templates (`templating`) and the
gazetteer's compact copy (`structure.places`) all live under it; this is the one place that
says where it is.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["user_cache"]


def user_cache(*parts: str) -> Path:
    """The platform's user cache folder for summarizer, joined with `parts` (on Linux
    ~/.cache/summarizer, or under $XDG_CACHE_HOME)."""
    from platformdirs import user_cache_dir  # on first use: every run's start-up counts

    return Path(user_cache_dir("summarizer")).joinpath(*parts)
