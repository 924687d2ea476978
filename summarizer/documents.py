"""Text out of Word (.docx) and PDF files, for `ingest`.

* .docx: the main story (word/document.xml) read with the standard library's zipfile and a
  streaming XML parser: one line per paragraph, tracked deletions, field codes, headers and
  footers left out. No dependency, and memory bounded by one paragraph at a time.
* .pdf: the text layer, through pypdf (BSD, pure Python). Lines come out as the PDF lays them
  out; `clean` rejoins the hard line breaks and drops page numbers, as for any PDF-extracted
  text. A PDF with no text layer (a scan) is refused with advice to OCR it.

Both raise `InputError` with a one-line message (without the path, which `ingest` adds).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from xml.etree.ElementTree import ParseError, iterparse

from .errors import InputError

__all__ = ["docx_text", "pdf_text"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The uncompressed main story of a 10 MB report is a few tens of MB; more is a zip bomb.
MAX_XML_BYTES = 256 * 1024 * 1024
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def docx_text(raw: bytes) -> str:
    """The paragraphs of a .docx file's main story, one per line."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            try:
                info = archive.getinfo("word/document.xml")
            except KeyError:
                raise InputError(
                    "is a ZIP file but not a Word .docx (no word/document.xml); "
                    "save the report as .docx, PDF or plain text"
                ) from None
            if info.file_size > MAX_XML_BYTES:
                raise InputError("is a .docx whose text is implausibly large (a damaged file?)")
            with archive.open(info) as fh:
                return "\n".join(_paragraphs(fh))
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise InputError(f"is a damaged ZIP/.docx file ({exc})") from None
    except ParseError as exc:
        raise InputError(f"is a .docx whose document.xml cannot be parsed ({exc})") from None


def _paragraphs(fh: io.BufferedIOBase) -> list[str]:
    head = fh.peek(4096)[:4096] if hasattr(fh, "peek") else b""
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        # Word never writes a DTD; one here can only be an entity-expansion attack.
        raise InputError("is a .docx with a DTD in document.xml, which Word never writes")
    out: list[str] = []
    parts: list[str] = []
    depth_skip = 0  # inside a field code's instruction text or a deleted run
    for event, elem in iterparse(fh, events=("start", "end")):
        tag = elem.tag
        if event == "start":
            if tag in (f"{_W}del", f"{_W}instrText", f"{_W}delText"):
                depth_skip += 1
            continue
        if tag in (f"{_W}del", f"{_W}instrText", f"{_W}delText"):
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
            elem.clear()  # keeps memory to one paragraph on documents of any size
    if parts:
        out.append("".join(parts))
    return out


def pdf_text(raw: bytes) -> str:
    """The text layer of a PDF, page after page."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise InputError(
            "is a PDF, and reading PDFs needs pypdf, which is missing from this "
            "installation: pip install 'pypdf>=5'"
        ) from None
    # pypdf reports every recoverable defect of a file on its logger; the text is what counts.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("is a password-protected PDF; remove the password first")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise InputError(f"is a PDF that cannot be read ({type(exc).__name__}: {exc})") from None
    text = "\n".join(pages)
    if not _CJK_RE.search(text):
        raise InputError(
            "is a PDF without a Chinese text layer (a scanned image?); OCR it first "
            "and pass the text"
        )
    return text
