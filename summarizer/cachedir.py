"""Where a run keeps what the next run reuses: the user's cache folder for summarizer.

Model responses (`config.default_cache_dir`, unless --cache or $SUMMARIZER_CACHE_DIR says
otherwise), compiled patterns (`recache`), compiled templates (`templating`) and the
gazetteer's compact copy (`structure.places`) all live under it; this is the one place that
says where it is.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["derived", "keep", "one_writer", "used", "user_cache"]


def _linux_cache_home() -> str | None:
    """The XDG cache home as platformdirs reads it on Linux ($XDG_CACHE_HOME when absolute,
    else ~/.cache of an absolute $HOME), or None for the cases it resolves otherwise."""
    if (
        sys.platform != "linux"
        or "ANDROID_DATA" in os.environ
        or hasattr(sys, "getandroidapilevel")
    ):
        return None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return xdg
    home = os.environ.get("HOME", "")
    return (home.rstrip("/") + "/.cache") if os.path.isabs(home) else None


def user_cache(*parts: str) -> Path:
    """The platform's user cache folder for summarizer, joined with `parts` (on Linux
    ~/.cache/summarizer, or under $XDG_CACHE_HOME)."""
    # Every run asks (the compiled patterns): on Linux the answer is read from the environment
    # as platformdirs reads it, without importing it (with tempfile, shutil, random: ~4 ms).
    home = _linux_cache_home()
    if home is not None:
        return Path(home, "summarizer", *parts)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("summarizer")).joinpath(*parts)


def derived(kind: str, source: Path, build: Callable[[], Any]) -> Any:
    """`build()`, the plain data (dicts, lists, strings, numbers) a run reads out of a file of
    the package, kept in the user cache beside the source's size and modification time: the
    next run reads it back with marshal instead of importing a parser and parsing again.

    A copy of another source, interpreter or shape is never served (the stamp is checked); one
    that cannot be read or written costs only the build.
    """
    try:
        st = source.stat()
    except OSError:
        return build()
    stamp = (kind, str(source), st.st_size, st.st_mtime_ns, sys.version_info[:2])
    path = user_cache(f"{kind}-{st.st_size}-{st.st_mtime_ns}.marshal")
    try:
        kept_stamp, value = marshal.loads(path.read_bytes())
        if kept_stamp == stamp:
            used(path)
            return value
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = build()
    with contextlib.suppress(ValueError):  # not plain data: kept nowhere
        keep(path, marshal.dumps((stamp, value)), family=f"{kind.split('-')[0]}-*.marshal")
    return value


@contextlib.contextmanager
def one_writer(path: Path, wait: float = 2.0) -> Iterator[None]:
    """Held while a process reads a cache file, merges into it and writes it back, so two
    processes ending at once (a batch's workers) do not each write a copy without the other's
    part. An advisory lock on a file beside it; at best, as the cache is: after `wait` seconds,
    or where there is no flock (Windows) or no writable folder, the write goes ahead unlocked."""
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except (ImportError, OSError):
        yield
        return
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.005)
        yield
    finally:
        os.close(fd)  # and with it the lock


# Copies kept of one family of files (one per version of the file they are made from), those
# used last: a few installs side by side (two virtual environments) each find theirs, and an
# upgrade's copies do not pile up (the gazetteer's is 3 MB).
KEPT_PER_FAMILY = 3


def keep(path: Path, data: bytes, family: str | None = None) -> None:
    """Write `data` to a file of the user cache through a temp file and a rename (a reader sees
    the old file or the new one, never half), at best: a cache that cannot be written costs only
    the work of rebuilding what it would have held next time. `family`, a glob of the names of
    the other versions of the file, keeps the KEPT_PER_FAMILY last used of them (this one too)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return
    if family is not None:
        _prune(path, family)


def used(path: Path) -> None:
    """Mark a cached file as just used (its modification time): pruning keeps the files runs
    use, not the ones written last."""
    with contextlib.suppress(OSError):
        os.utime(path)


def _prune(path: Path, family: str) -> None:
    """Remove all but the last used few files of `family` beside `path` (never `path`)."""

    def age(p: Path) -> float:
        try:
            return -p.stat().st_mtime
        except OSError:  # another run removed it meanwhile
            return 0.0

    others = sorted((p for p in path.parent.glob(family) if p != path), key=age)
    for old in others[KEPT_PER_FAMILY - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()
