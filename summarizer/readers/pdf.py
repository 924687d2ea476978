"""Text out of a PDF's text layer, through pypdf (BSD, pure Python).

Lines come out as the PDF lays them out; `clean` rejoins the hard line breaks and drops page
numbers, as for any PDF-extracted text. A PDF with no text layer (a scan) is refused with advice
to OCR it. Work is bounded: the page tree is counted (iteratively, cycles refused) before pypdf
flattens it, at most `MAX_PAGES` pages are read, and reading stops after `MAX_SECONDS`. A work
report has tens of pages; a file with thousands of (empty) page entries is hostile or broken.
"""

from __future__ import annotations

import io
import logging
import re
import time
from typing import Any

from ..errors import InputError
from ..lexicon import CJK_RE

__all__ = ["MAX_PAGES", "MAX_SECONDS", "pdf_text"]

MAX_PAGES = 5_000
MAX_SECONDS = 60.0
_MAX_DEPTH = 64  # page-tree nesting; real trees are a few levels deep
# A page dictionary written out plainly (not inside a compressed object stream). Counting them
# in the bytes refuses a file of a huge number of pages before pypdf parses every object.
_PLAIN_PAGE_RE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_TOO_MANY = f"is a PDF with more than {MAX_PAGES:,} pages; a work report has far fewer"


def _count_pages(reader: Any) -> int:
    """Leaves of the page tree, walked without recursion; refuses huge, deep or cyclic trees."""
    root = reader.trailer["/Root"].get_object()["/Pages"]
    stack: list[tuple[Any, int]] = [(root, 0)]
    seen: set[int] = set()
    leaves = 0
    while stack:
        ref, depth = stack.pop()
        node = ref.get_object()
        if id(node) in seen or depth > _MAX_DEPTH:
            raise InputError("is a PDF whose page tree loops or nests too deep (a damaged file?)")
        seen.add(id(node))
        kids = node.get("/Kids") if node.get("/Type") != "/Page" else None
        if kids is None:
            leaves += 1
        else:
            kids = kids.get_object()
            if len(kids) + leaves > MAX_PAGES:
                leaves += len(kids)
            else:
                stack.extend((kid, depth + 1) for kid in kids)
        if leaves > MAX_PAGES:
            raise InputError(_TOO_MANY)
    return leaves


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
    deadline = time.monotonic() + MAX_SECONDS
    if sum(1 for _ in _PLAIN_PAGE_RE.finditer(raw)) > MAX_PAGES:
        raise InputError(_TOO_MANY)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError("is a password-protected PDF; remove the password first")
        _count_pages(reader)
        pages: list[str] = []
        for page in reader.pages:
            if time.monotonic() > deadline:
                raise InputError(
                    f"is a PDF whose text takes more than {MAX_SECONDS:g} s to read "
                    "(a damaged or hostile file?)"
                )
            pages.append(page.extract_text() or "")
    except InputError:
        raise
    except RecursionError:
        raise InputError("is a PDF nested too deep to read (a damaged file?)") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise InputError(f"is a PDF that cannot be read ({type(exc).__name__}: {exc})") from None
    text = "\n".join(pages)
    if not CJK_RE.search(text):
        raise InputError(
            "is a PDF without a Chinese text layer (a scanned image?); OCR it first "
            "and pass the text"
        )
    return text
