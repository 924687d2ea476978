"""Text out of a Word (.docx) file: its main story, one line per paragraph.

word/document.xml is read with the standard library's zipfile and a streaming XML parser:
tracked deletions, field codes, headers and footers left out. No dependency, and memory bounded
by one paragraph at a time. Work is bounded too, against zip bombs: the declared sizes of the
archive's members are checked before anything is inflated, the main story is read through a
counting cap (a member can lie about its size), and parsing stops after `MAX_SECONDS`.
"""

from __future__ import annotations

import io
import time
import zipfile
from typing import IO
from xml.etree.ElementTree import Element, ParseError, iterparse

from ..errors import InputError

__all__ = ["MAX_MEMBERS_BYTES", "MAX_SECONDS", "MAX_XML_BYTES", "docx_text"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The main story of the longest work reports is a few MB of XML; 32 MB is several times more
# and parses in about 12 s. Beyond it a file is a zip bomb, not a report.
MAX_XML_BYTES = 32 * 1024 * 1024
# Word's XML deflates about tenfold (the Chinese text in it hardly compresses); a big member
# that inflates a hundredfold is made of repeats, which is what a zip bomb is.
MAX_RATIO, _RATIO_FROM = 100, 8 * 1024 * 1024
# All members together (images included, as stored by Word, already compressed).
MAX_MEMBERS_BYTES = 1024 * 1024 * 1024
MAX_SECONDS = 60.0
_MAX_DEPTH = 256  # element nesting; Word's deepest (nested tables) is a few dozen
_SKIPPED = (f"{_W}del", f"{_W}instrText", f"{_W}delText")
_TOO_BIG = "is a .docx whose text would inflate to more than {} MB (a zip bomb?)"


class _Capped(io.RawIOBase):
    """A reader that refuses to yield more than `limit` bytes, whatever the archive declares."""

    def __init__(self, inner: IO[bytes], limit: int) -> None:
        self.inner, self.left = inner, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.inner.read(min(len(buffer), 1 << 16))
        self.left -= len(data)
        if self.left < 0:
            raise InputError(_TOO_BIG.format(MAX_XML_BYTES // 2**20))
        buffer[: len(data)] = data
        return len(data)


def docx_text(raw: bytes) -> str:
    """The paragraphs of a .docx file's main story, one per line."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError:
                if "xl/workbook.xml" in archive.namelist():
                    raise InputError(
                        "is an Excel workbook, not a Word .docx; save its sheet as CSV "
                        "(one report a row, with a header) to read every report in it"
                    ) from None
                raise InputError(
                    "is a ZIP file but not a Word .docx (no word/document.xml); "
                    "save the report as .docx, PDF or plain text"
                ) from None
            total = sum(i.file_size for i in archive.infolist())
            ratio = info.file_size / max(info.compress_size, 1)
            bomb = info.file_size > _RATIO_FROM and ratio > MAX_RATIO
            if bomb:
                raise InputError(f"is a .docx whose text inflates {ratio:.0f}-fold (a zip bomb?)")
            if info.file_size > MAX_XML_BYTES or total > MAX_MEMBERS_BYTES:
                raise InputError(_TOO_BIG.format(MAX_XML_BYTES // 2**20))
            with archive.open(info) as member:
                stream = io.BufferedReader(_Capped(member, MAX_XML_BYTES))
                return "\n".join(_paragraphs(stream))
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise InputError(f"is a damaged ZIP/.docx file ({exc})") from None
    except ParseError as exc:
        raise InputError(f"is a .docx whose document.xml cannot be parsed ({exc})") from None


def _paragraphs(fh: io.BufferedReader[_Capped]) -> list[str]:
    head = fh.peek(4096)[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        # Word never writes a DTD; one here can only be an entity-expansion attack.
        raise InputError("is a .docx with a DTD in document.xml, which Word never writes")
    deadline = time.monotonic() + MAX_SECONDS
    out: list[str] = []
    parts: list[str] = []
    depth_skip = 0  # inside a field code's instruction text or a deleted run
    # Open elements. Each finished element is dropped from its parent at once, so memory
    # stays at one paragraph even for a story of millions of elements.
    open_elems: list[Element] = []
    for n, (event, elem) in enumerate(iterparse(fh, events=("start", "end"))):
        if n % 10_000 == 0 and time.monotonic() > deadline:
            raise InputError(f"is a .docx that takes more than {MAX_SECONDS:g} s to read")
        tag = elem.tag
        if event == "start":
            open_elems.append(elem)
            if len(open_elems) > _MAX_DEPTH:
                raise InputError("is a .docx whose document.xml nests too deep (a damaged file?)")
            if tag in _SKIPPED:
                depth_skip += 1
            continue
        open_elems.pop()
        if tag in _SKIPPED:
            depth_skip -= 1
        elif depth_skip:
            pass
        elif tag == f"{_W}t":
            parts.append(elem.text or "")
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}p":
            out.append("".join(parts))
            parts = []
        if open_elems:
            del open_elems[-1][:]  # its earlier children went the same way: elem is the only one
    if parts:
        out.append("".join(parts))
    return out
