"""Where results are written, and what may be written there.

An output is only ever a regular file: `-o` onto the input, a device, a FIFO or a folder is
refused with one line (exit 2), and so is an --out-dir whose briefs would replace an input or
be read back as reports; the folder is checked writable before any paid work. `-o -` is stdout.
`write_atomic` writes through a temp file and a rename, replacing only a regular file and
checking that again at the moment of writing.

Every text the tool writes (a brief, a summary JSON, stdout) passes `safe_output`: the API key is
scrubbed from it, and characters no UTF-8 file can hold (a GBK file name read as surrogate
escapes) become U+FFFD instead of failing the write after all the work is done.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .errors import UsageError
from .secrets import scrub, scrub_bytes

__all__ = [
    "check_destination",
    "check_out_dir",
    "check_writable",
    "output_file",
    "safe_bytes",
    "safe_output",
    "temp_beside",
    "write_atomic",
    "write_atomic_with",
]


def safe_output(text: str) -> str:
    """text fit for any output: no secret, and encodable as UTF-8."""
    return safe_bytes(text).decode("utf-8")


def safe_bytes(text: str | bytes) -> bytes:
    """The UTF-8 bytes of safe_output(text) (bytes: UTF-8 already, only scrubbed), made without
    the decoded copy: a 10 MB report's JSON is written without a second copy of its text."""
    if isinstance(text, bytes):
        return scrub_bytes(text)
    return scrub(text).encode("utf-8", "replace")


def _same(a: Path, b: Path) -> bool:
    return (ident := _identity(a)) is not None and ident == _identity(b)


def _identity(path: Path) -> tuple[int, int] | None:
    """The file a path names (device, inode), or None when there is none: samefile's test."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _refuse_non_regular(path: Path, flag: str) -> None:
    """An existing output must be a regular file: a device, FIFO or folder is never replaced."""
    try:
        st = os.stat(path)  # through a symlink: a link to /dev/null is refused like /dev/null
    except FileNotFoundError:
        return
    except OSError as e:
        raise UsageError(f"{flag} {path}: cannot use it ({e.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(f"{flag} {path}: not a regular file; refusing to replace it")
    if not st.st_mode & 0o222:  # by its mode, whoever runs (root may write anything)
        raise UsageError(f"{flag} {path}: read-only; refusing to replace it")


def check_destination(path: Path) -> None:
    """Refuse, at the moment of writing, to replace anything but a regular file.

    The flags were checked before the work began; this closes the window since (a FIFO or a
    link to a device put in an output's place meanwhile) and covers every batch output.
    """
    _refuse_non_regular(path, "output")


def temp_beside(path: Path) -> tuple[int, Path]:
    """A new, empty temporary file next to `path` (hidden, named after it), opened for writing.

    Mode 0666 less the user's umask, applied by the system as for any new file (mkstemp's
    private 0600 would hide a brief from the user's colleagues); and no tempfile, whose import
    (shutil, random, bz2, lzma) is a few milliseconds of every run's start-up.
    """
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{path.parent}: cannot create a temporary file")


def check_writable(folder: Path, flag: str) -> None:
    """Fail now, naming the folder and why, if no file can be created in it (before paid work)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = temp_beside(folder / "summarizer")
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise UsageError(f"{flag} {folder}: cannot write there ({e.strerror})") from None


def output_file(output: str | None, inputs: Sequence[str], flag: str = "-o") -> Path | None:
    """The checked -o target; None means stdout (no -o, or `-o -`).

    Refused: the input itself (the report would be replaced by its brief), and anything that
    is not a regular file (/dev/null, /dev/stdout, a FIFO, a folder).
    """
    if output is None or output == "-":
        return None
    path = Path(output)
    for source in inputs:
        if source != "-" and (
            _same(path, Path(source)) or path.resolve() == Path(source).resolve()
        ):
            raise UsageError(f"{flag} {output}: is the input report; refusing to overwrite it")
    _refuse_non_regular(path, flag)
    check_writable(path.parent, flag)
    return path


def check_out_dir(
    out_dir: Path, inputs: Sequence[str], outputs: Sequence[Path], report_suffixes: Iterable[str]
) -> None:
    """Refuse an --out-dir whose outputs would replace an input or be read as reports.

    A brief x.md written next to x.txt is itself a report file to the next run over that
    folder (which would then summarise the briefs), so outputs with a report suffix may not
    share a folder with the inputs.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out-dir {out_dir}: not a folder")
    suffixes = {s.lower() for s in report_suffixes}
    # Each input resolved and stat-ed once (not once per output: a folder of thousands).
    resolved = {Path(p).resolve() for p in dict.fromkeys(inputs) if p != "-"}
    folders = {r.parent for r in resolved}
    files = {_identity(r) for r in resolved} - {None}
    for out in outputs:
        where = out.resolve()
        if where in resolved or _identity(out) in files:
            raise UsageError(f"--out-dir {out_dir}: {out.name} would overwrite an input report")
        if out.suffix.lower() in suffixes and where.parent in folders:
            raise UsageError(
                f"--out-dir {out_dir}: holds the input reports, and {out.name} written there "
                "would be read as a report; choose another folder"
            )
        _refuse_non_regular(out, "--out-dir")
    check_writable(out_dir, "--out-dir")


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write text (or UTF-8 bytes) via a temp file and rename, so a reader never sees half a file.

    The text is scrubbed first (no key an endpoint echoed, no unencodable file-name bytes);
    the rest is `write_atomic_with`'s.
    """
    data = safe_bytes(text)
    write_atomic_with(path, lambda tmp: tmp.write_bytes(data))


def write_atomic_with(path: Path, write: Callable[[Path], object]) -> None:
    """Have `write` fill a temp file beside `path`, then rename it there: a reader never sees
    half a file. For a library that writes a file itself (a table, a chart).

    A new file gets the user's umask like any other; a replaced file keeps its mode. Only a
    regular file is ever replaced (checked again here, at the moment of writing), and a
    failure (a full disk, a folder made read-only meanwhile) is one line naming the file.
    """
    check_destination(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = temp_beside(path)
        os.close(fd)
    except OSError as e:
        raise UsageError(f"{path}: cannot write it ({e.strerror or e})") from None
    try:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, path.stat().st_mode & 0o777)
        write(tmp)
        check_destination(path)  # the last moment before the rename
        os.replace(tmp, path)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"{path}: cannot write it ({e.strerror or e})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
