"""The output folder's state: the manifest of up-to-date outputs, and the lock that makes runs
on one folder take turns (and, from `outputs`, the atomic writes every output goes through).

The manifest (out_dir/.summarizer-manifest.json)
maps each source (path, or path#row) to its output's name, input hash, settings fingerprint
and the output's own hash; each output is recorded in a journal beside it as it is written,
and the manifest rewritten from both when the run ends.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .errors import UsageError
from .outputs import safe_output, write_atomic
from .regular import read_regular_text

__all__ = [
    "LOCK",
    "MANIFEST",
    "Manifest",
    "file_sha256",
    "out_dir_lock",
]

MANIFEST = ".summarizer-manifest.json"
JOURNAL = ".summarizer-manifest.journal"  # entries recorded since the manifest was written
MAX_MANIFEST = 256 * 1024 * 1024  # bytes; an entry is ~300, so about a million reports


def _read_entries(path: Path) -> tuple[dict[str, dict[str, str | None]], bool]:
    """The entries of a manifest file and of its journal (none when missing, unreadable or of
    another shape), and whether the manifest is there but damaged."""
    try:
        data = json.loads(read_regular_text(path, MAX_MANIFEST))
    except FileNotFoundError:
        data = {}
    except (OSError, ValueError, RecursionError):  # RecursionError: nested deeper than the stack
        data = None
    # A manifest of another shape (edited, or from elsewhere) holds no usable entry.
    items = list(data.items()) if isinstance(data, dict) else []
    entries = {k: v for k, v in items if isinstance(v, dict)}
    damaged = not isinstance(data, dict) or len(entries) < len(items)
    return _replay(path, entries), damaged


def _replay(
    path: Path, entries: dict[str, dict[str, str | None]]
) -> dict[str, dict[str, str | None]]:
    """entries with the journal beside the manifest applied, line by line."""
    try:
        journal = read_regular_text(path.with_name(JOURNAL), MAX_MANIFEST)
    except (OSError, ValueError):
        return entries
    for line in journal.splitlines():
        try:
            source, entry = json.loads(line)
        except (ValueError, TypeError, RecursionError):  # a torn last line, or not ours
            continue
        if isinstance(source, str) and isinstance(entry, dict):
            _put(entries, source, entry)
    return entries


def _put(entries: dict[str, dict[str, str | None]], source: str, entry: dict[str, Any]) -> None:
    legacy = entries.get(str(entry.get("output")))
    if isinstance(legacy, dict) and "output" not in legacy:
        del entries[str(entry["output"])]  # an older version's entry, superseded
    entries[source] = entry


class Manifest:
    """out_dir/.summarizer-manifest.json: source (path, or path#row) -> output name, input hash
    and settings fingerprint.

    Each finished output is recorded at once by one line appended to a journal beside it
    (.summarizer-manifest.journal), and the manifest is rewritten from both, and the journal
    removed, when the run ends (`flush`). Rewriting the whole manifest after every report made
    a folder of n reports cost n^2 (a 1,000-report run wrote 1,000 files of up to 250 KB); a
    run killed outright still leaves every output it finished recorded. A reader replays the
    journal over the manifest, so one left by a killed run counts, and counts once.

    Runs on one folder take turns (`out_dir_lock`); an object made before its run held the
    folder reads both files again when another run has changed them since.
    """

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST
        self.journal = out_dir / JOURNAL
        # A damaged manifest (of another shape, unreadable) says runs wrote here but not what:
        # an existing output is then not taken for the user's own file (`foreign`).
        self.entries, self._damaged = _read_entries(self.path)
        self._seen = self._stamp()  # the files as this object last read or wrote them
        self._dirty = False  # entries the manifest file itself does not hold yet
        self._names: set[object] | None = None  # output names recorded, for `foreign`

    def _reload(self) -> None:
        """Read the files again if another run wrote them since this object last did."""
        if self._stamp() != self._seen:
            self.entries, self._damaged = _read_entries(self.path)
            self._seen = self._stamp()
            self._names = None

    def _stamp(self) -> tuple[tuple[int, int, int] | None, ...]:
        def one(path: Path) -> tuple[int, int, int] | None:
            try:
                st = path.stat()
            except OSError:
                return None
            return st.st_ino, st.st_size, st.st_mtime_ns

        return one(self.path), one(self.journal)

    def _entry(self, source: str, output: Path) -> dict[str, str | None] | None:
        e = self.entries.get(source)
        if isinstance(e, dict) and e.get("output") == output.name:
            return e
        legacy = self.entries.get(output.name)  # an older manifest, keyed by output name
        return legacy if isinstance(legacy, dict) and "output" not in legacy else None

    def up_to_date(self, source: str, output: Path, sha256: str, fp: str) -> bool:
        """True when output is, byte for byte, what this input with these settings gave.

        The output's own hash is checked, not its existence: an output emptied, truncated or
        edited since is redone.
        """
        e = self._entry(source, output)
        if not (e and e.get("input") == sha256 and e.get("settings") == fp):
            return False
        return e.get("output_sha256") is not None and e.get("output_sha256") == file_sha256(output)

    def foreign(self, output: Path) -> bool:
        """True when a file is in the output's place that no run on this folder wrote.

        A folder given as --out-dir may hold the user's own files; one that happens to have an
        output's name (notes.md) is not replaced unless asked (--force). With the manifest
        damaged, no file can be told apart: each is taken for an earlier run's output.
        """
        if not output.exists() and not output.is_symlink():
            return False
        self._reload()  # another run may have written it since
        if self._damaged:
            return False
        if self._names is None:
            self._names = {e.get("output") for e in self.entries.values() if isinstance(e, dict)}
        return output.name not in self._names and output.name not in self.entries

    def settled(self, source: str, output: Path, sha256: str, fp: str, force: bool) -> bool:
        """Whether a report is done already (its output `up_to_date`: skip it), asked by
        every runner before any work on it; never with --force.

        A file no run on this folder wrote, in the output's place, stops the report
        (UsageError) unless forced.
        """
        if force:
            return False
        if self.up_to_date(source, output, sha256, fp):
            return True
        if self.foreign(output):
            raise UsageError(
                f"{output}: a file this folder's manifest does not record is in the brief's "
                "place; move it away, or pass --force to replace it"
            )
        return False

    def mark(self, source: str, output: Path, sha256: str, fp: str) -> None:
        """Record a finished output: one line appended to the journal, in the entries now."""
        self._reload()
        entry: dict[str, str | None] = {
            "output": output.name,
            "input": sha256,
            "settings": fp,
            "output_sha256": file_sha256(output),
        }
        # A line of its own, whatever is before or after it: one torn by a killed writer
        # swallows no other.
        line = "\n" + safe_output(json.dumps([source, entry], ensure_ascii=False)) + "\n"
        try:
            with open(self.journal, "a", encoding="utf-8", newline="\n") as f:
                f.write(line)
        except OSError as e:
            raise UsageError(f"{self.journal}: cannot write it ({e.strerror or e})") from None
        _put(self.entries, source, entry)
        self._seen = self._stamp()
        self._dirty = True
        if self._names is not None:
            self._names.add(output.name)

    def flush(self) -> None:
        """Rewrite the manifest with every entry and remove the journal (when a run ends,
        however it ends)."""
        if not self._dirty:
            return
        self._reload()
        write_atomic(self.path, json.dumps(self.entries, ensure_ascii=False, indent=1) + "\n")
        with contextlib.suppress(FileNotFoundError):
            self.journal.unlink()
        self._seen = self._stamp()
        self._dirty = False


LOCK = ".summarizer-manifest.lock"


@contextlib.contextmanager
def out_dir_lock(out_dir: Path, say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder for one run: a second run on it waits, told who holds it.

    An advisory lock (flock) on out_dir/.summarizer-manifest.lock, which names its holder
    (pid and host) and is removed when the run ends. The system drops a lock when its process
    ends however it ends, so one left by a killed run is taken over at once: no pid has to be
    guessed dead.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX: runs are not serialised, the manifest is still merged
        yield
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not told:
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another run"
                (say or _say)(f"--out-dir {out_dir}: in use by {holder}; waiting for it to end")
                told = True
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)  # Ctrl-C still interrupts the wait
            except BaseException:
                os.close(fd)
                raise
        try:
            current = os.stat(path).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(fd).st_ino:
            break
        os.close(fd)  # the holder removed this file as it ended: lock the one there now
    try:
        os.ftruncate(fd, 0)
        import socket  # for the batch lock only: a one-report run writes no lock

        os.pwrite(fd, f"run pid {os.getpid()} on {socket.gethostname()}\n".encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # while still held: a waiter then sees it gone and starts over
        os.close(fd)


def _say(message: str) -> None:
    print(f"summarizer: {message}", file=sys.stderr, flush=True)


def file_sha256(path: Path) -> str | None:
    """The hash of a regular output file, or None when there is none to trust."""
    try:
        if not path.is_file():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
