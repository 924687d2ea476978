"""Reading a file the user or a folder named, without blocking or reading without end.

A FIFO blocks the open until some writer comes, and a link to /dev/zero or /dev/urandom never
ends; either, named as a price table, a manifest, a summary to validate or a recording, would
hang the run or fill its memory. So only a regular file is read: opened without blocking,
checked again once open (it may have been swapped since the stat), and read no further than a
limit. Each caller turns the OSError into its own one-line message.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "NotRegularFileError",
    "TooLargeError",
    "read_capped",
    "read_regular",
    "read_regular_text",
]


class NotRegularFileError(OSError):
    """The path names a device, FIFO, socket or folder."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(f"{path}: not a regular file")
        self.strerror = "not a regular file"


class TooLargeError(OSError):
    """The file is longer than the caller's limit."""

    def __init__(self, path: str | os.PathLike[str], limit: int) -> None:
        super().__init__(f"{path}: larger than {limit} bytes")
        self.strerror = f"larger than {limit} bytes"


def read_capped(fh: BinaryIO, limit: int) -> bytes:
    """At most `limit` + 1 bytes of `fh` (one more than allowed tells the caller it is too
    long), read a megabyte at a time: read(n) of a buffered file reserves n bytes at once, a
    256 MB limit as much memory on a host that does not overcommit."""
    parts: list[bytes] = []
    total = 0
    while total <= limit and (part := fh.read(min(2**20, limit + 1 - total))):
        parts.append(part)
        total += len(part)
    return b"".join(parts)


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at `path`, of at most `limit` bytes.

    Raises FileNotFoundError, NotRegularFileError, TooLargeError or another OSError.
    """
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotRegularFileError(path)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise NotRegularFileError(path)
        data = read_capped(f, limit)
    if len(data) > limit:
        raise TooLargeError(path, limit)
    return data


def read_regular_text(path: str | os.PathLike[str], limit: int) -> str:
    """read_regular, decoded as UTF-8 (a BOM allowed); UnicodeDecodeError when it is not."""
    return read_regular(Path(path), limit).decode("utf-8-sig")
