"""A web page (or a scraped fragment such as ``[<div …>…</div>]``) to its main text.

Block elements become line breaks; navigation, scripts, styles, headers, footers and forms are
skipped. The page's ``<h1>`` (else its ``<title>``) is returned as the title hint.

Parsing is libxml2's HTML parser (through lxml), driving the collector below with start, end
and data events: linear in the page, however broken. The standard library's parser is
quadratic on unclosed comments and tags (32 KB of ``<!--`` took 4 s, 6 KB of ``<a `` 3 s).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import recache

if TYPE_CHECKING:
    # A stub-only protocol (types-lxml): it types the parser target for mypy. At run time the
    # collector stays a plain object, so libxml2 finds no comment/pi methods and drops those.
    from lxml.etree import ParserTarget

    _Target = ParserTarget[None]
else:
    _Target = object

__all__ = ["html_to_text", "is_html"]

_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li br tr ul ol dl dt dd table thead tbody tfoot section "
    "article main aside blockquote pre hr caption figcaption figure address center".split()
)
_SKIP_TAGS = frozenset(
    "script style nav header footer noscript template head iframe svg form select "
    "button object".split()
)
_VOID_TAGS = frozenset("br hr img input meta link area base col embed source wbr".split())
# HTML collapses ASCII whitespace only; a &nbsp; survives as U+00A0.
_WS_RE = recache.compile(r"[ \t\n\r\f]+")
_HTML_START_RE = recache.compile(r"\[?\s*<")
_HTML_TAG_RE = recache.compile(
    r"<\s*(?:!doctype|html|head|body|p|div|span|br|h[1-6]|table|meta|title|section)\b", re.I
)


class _TextExtractor(_Target):
    """Collects visible text; block elements become line breaks, chrome elements are skipped.

    An lxml parser target: libxml2 calls start, end and data as it reads the page (comments
    and processing instructions have no method here, so they are dropped).
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0
        self.title: list[str] = []
        self.h1: list[str] = []
        self._in_title = False
        self._in_h1 = False
        self._h1_done = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            self.skip_depth += 1
        if tag == "h1" and not self._h1_done:
            self._in_h1 = True
        if tag == "pre":
            self.pre_depth += 1
        if tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def end(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP_TAGS and self.skip_depth:
            self.skip_depth -= 1
        if tag == "h1" and self._in_h1:
            self._in_h1 = False
            self._h1_done = True
        if tag == "pre" and self.pre_depth:
            self.pre_depth -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        # Pages put the article's <h1> inside <header> too; it is a title even when skipped.
        if self._in_h1:
            self.h1.append(data)
        if self.skip_depth:
            return
        # Outside <pre>, source line breaks are just spaces, as a browser renders them.
        self.parts.append(data if self.pre_depth else _WS_RE.sub(" ", data))

    def close(self) -> None:
        return None


def is_html(text: str, name: str = "") -> bool:
    """True for a file named .html/.htm/.xhtml, or text that opens with an HTML tag."""
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text[:4096]
    return bool(_HTML_START_RE.match(head.lstrip())) and bool(_HTML_TAG_RE.search(head))


def html_to_text(text: str) -> tuple[str, str | None]:
    """(main text, one paragraph a line; title hint or None)."""
    body = text.strip()
    # A scraper's list repr leaves the fragment wrapped in brackets; they are not report text.
    if body.startswith("[") and body.endswith("]"):
        body = body[1:-1]
    from lxml import etree  # here, not at import: `summarizer --help` stays light

    parser = _TextExtractor()
    if body:
        # Bytes with the encoding named, so a page's own <meta charset> (already applied when
        # the file was decoded) cannot make libxml2 decode it a second time.
        lxml_parser = etree.HTMLParser(
            target=parser, encoding="utf-8", no_network=True, huge_tree=True
        )
        etree.fromstring(body.encode("utf-8", "surrogatepass"), lxml_parser)
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    extracted = "\n".join(line for line in lines if line)
    hint = (
        _WS_RE.sub(" ", "".join(parser.h1)).strip()
        or _WS_RE.sub(" ", "".join(parser.title)).strip()
    )
    return extracted, hint or None
