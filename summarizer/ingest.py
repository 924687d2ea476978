"""Read a report file (or stdin) into a `Document`: decoded, line ends normalised, format handled.

Input formats, recognised by content (a file's name is only a hint):

* ``text``  plain text in any of UTF-8 (with or without BOM), GB18030/GBK, Big5 or UTF-16/32;
* ``html``  a web page or a scraped fragment (``[<div …>…</div>]``); its main text is extracted;
* ``tsv``   one line ``year<TAB>title<TAB>text`` as kept by report datasets, whose paragraph
  breaks were flattened into tabs and full-width spaces; the breaks are restored;
* ``docx`` and ``pdf``  Word and PDF files, through `documents`.

Anything that cannot be a Chinese work report (missing, empty, binary, undecodable, no CJK
text, no work-report vocabulary at all) raises `InputError` with a one-line message naming
the path.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser

from summarizer.documents import docx_text, pdf_text
from summarizer.errors import InputError

__all__ = ["MAX_INPUT_BYTES", "Document", "decode_bytes", "looks_like_report", "read_report"]


@dataclass(frozen=True)
class Document:
    """A decoded report: its text, where it came from and how it was read."""

    name: str
    text: str
    title_hint: str | None
    encoding: str
    format: str
    sha256: str


# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

# `read_report` reads PDF and .docx itself; bytes that reach `decode_bytes` with these
# signatures are not text, and the user is told what they are.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "is a PDF file, not text; pass the file itself to read_report"),
    (b"PK\x03\x04", "is a ZIP/.docx file, not text; pass the file itself to read_report"),
    (b"\xd0\xcf\x11\xe0", "is a legacy Word (.doc) file; save it as .docx, PDF or text"),
)
# The biggest yearly reports are a few MB of text; a PDF with images may be tens of MB.
MAX_INPUT_BYTES = 256 * 1024 * 1024
_PDF_MAGIC, _ZIP_MAGIC = b"%PDF-", b"PK\x03\x04"

# GBK and GB2312 are subsets of GB18030, so one codec reads all three; likewise Big5-HKSCS.
_CODEC_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "hz": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5",
    "cp950": "big5",
    "big5hkscs": "big5hkscs",
    "utf_8": "utf-8",
    "utf_16": "utf-16",
    "utf_16_le": "utf-16-le",
    "utf_16_be": "utf-16-be",
    "utf_32": "utf-32",
    "ascii": "utf-8",
}

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LINE_END_RE = re.compile(r"\r\n?|[\f\v\x85\u2028\u2029]")
# C0 controls other than tab/newline/carriage return mark binary content.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_META_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def _codec_name(name: str) -> str:
    key = codecs.lookup(name).name.replace("-", "_")
    return _CODEC_ALIASES.get(key, key.replace("_", "-"))


def _normalise_newlines(text: str) -> str:
    # A BOM can survive decoding (e.g. one written through a legacy codec); it is not text.
    return _LINE_END_RE.sub("\n", text.removeprefix("\ufeff"))


def _looks_textual(text: str) -> bool:
    if not text:
        return True
    return len(_CONTROL_RE.findall(text)) <= len(text) // 200


def _try(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(raw: bytes) -> tuple[str, str] | None:
    """Guess a legacy encoding with charset-normalizer, preferring readings that contain CJK."""
    from charset_normalizer import from_bytes

    fallback: tuple[str, str] | None = None
    for match in from_bytes(raw):
        codec = _codec_name(match.encoding)
        text = _try(raw, codec)
        if text is None and codec == "big5":
            codec = "big5hkscs"
            text = _try(raw, codec)
        if text is None:
            continue
        if _CJK_RE.search(text):
            return text, codec
        if fallback is None:
            fallback = (text, codec)
    if fallback is not None:
        return fallback
    # charset-normalizer gives up on very short inputs; the two CJK codecs are the likely ones.
    for codec in ("gb18030", "big5"):
        text = _try(raw, codec)
        if text is not None and _CJK_RE.search(text):
            return text, codec
    return None


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode report bytes to text with "\\n" line ends; return (text, encoding name)."""
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            text = _try(raw[len(bom) :], codec)
            if text is None:
                raise InputError(f"cannot decode the text as {label} despite its byte-order mark")
            return _normalise_newlines(text), label
    for magic, message in _MAGIC:
        if raw.startswith(magic):
            raise InputError(message)
    if b"\x00" in raw:
        # BOM-less UTF-16 is the only text encoding with NUL bytes that we accept.
        for codec in ("utf-16-le", "utf-16-be"):
            text = _try(raw, codec) if len(raw) % 2 == 0 else None
            if text is not None and _looks_textual(text) and _CJK_RE.search(text):
                return _normalise_newlines(text), "utf-16"
        raise InputError("is a binary file (it contains NUL bytes), not a text report")
    # Strict UTF-8 is by far the commonest case and the cheapest check.
    text = _try(raw, "utf-8")
    if text is not None:
        if not _looks_textual(text):
            raise InputError("is a binary file (control characters), not a text report")
        return _normalise_newlines(text), "utf-8"
    found = None
    meta = _META_CHARSET_RE.search(raw[:4096])
    if meta:
        try:
            codec = _codec_name(meta.group(1).decode("ascii"))
        except LookupError:
            codec = ""
        decoded = _try(raw, codec) if codec else None
        if decoded is not None:
            found = (decoded, codec)
    if found is None:
        found = _detect(raw)
    if found is None or not _looks_textual(found[0]):
        raise InputError("cannot decode the text (tried UTF-8, GB18030, Big5, UTF-16)")
    return _normalise_newlines(found[0]), found[1]


# ---------------------------------------------------------------- HTML

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
_WS_RE = re.compile(r"[ \t\n\r\f]+")
_HTML_START_RE = re.compile(r"\[?\s*<")
_HTML_TAG_RE = re.compile(
    r"<\s*(?:!doctype|html|head|body|p|div|span|br|h[1-6]|table|meta|title|section)\b", re.I
)


class _TextExtractor(HTMLParser):
    """Collects visible text; block elements become line breaks, chrome elements are skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0
        self.title: list[str] = []
        self.h1: list[str] = []
        self._in_title = False
        self._in_h1 = False
        self._h1_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
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

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
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

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        # Pages put the article's <h1> inside <header> too; it is a title even when skipped.
        if self._in_h1:
            self.h1.append(data)
        if self.skip_depth:
            return
        # Outside <pre>, source line breaks are just spaces, as a browser renders them.
        self.parts.append(data if self.pre_depth else _WS_RE.sub(" ", data))


def _is_html(text: str, name: str) -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text[:4096]
    return bool(_HTML_START_RE.match(head.lstrip())) and bool(_HTML_TAG_RE.search(head))


def _html_to_text(text: str) -> tuple[str, str | None]:
    body = text.strip()
    # A scraper's list repr leaves the fragment wrapped in brackets; they are not report text.
    if body.startswith("[") and body.endswith("]"):
        body = body[1:-1]
    parser = _TextExtractor()
    parser.feed(body)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    extracted = "\n".join(line for line in lines if line)
    hint = (
        _WS_RE.sub(" ", "".join(parser.h1)).strip()
        or _WS_RE.sub(" ", "".join(parser.title)).strip()
    )
    return extracted, hint or None


# ---------------------------------------------------------------- TSV line format

_TSV_LINE_RE = re.compile(r"^ *\d{4}\t[^\t\n]*\t", re.M)
_FLAT_SPACE_RE = re.compile(r"[ \t\xa0\u3000]+")


def _flat_break(match: re.Match[str]) -> str:
    run = match.group()
    # Only tabs, doubled ideographic spaces (the indentation of a new paragraph) or an
    # ideographic space mixed with other spaces mark a lost paragraph break.
    if "\t" in run or run.count("\u3000") >= 2 or ("\u3000" in run and len(run) > 1):
        return "\n"
    return run


def _tsv_to_text(text: str) -> tuple[str, str | None]:
    line = text.strip("\n")
    _year, title, body = line.split("\t", 2)
    return _FLAT_SPACE_RE.sub(_flat_break, body).strip(), title.strip() or None


# ---------------------------------------------------------------- reading


def _read_raw(name: str, path: str | os.PathLike[str]) -> bytes:
    if name == "-":
        if sys.stdin is None:
            raise InputError("-: no standard input to read the report from")
        if sys.stdin.isatty():
            raise InputError("-: standard input is a terminal; pipe a report into it")
        raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        if len(raw) > MAX_INPUT_BYTES:
            raise InputError(f"-: more than {MAX_INPUT_BYTES // 2**20} MB, too large for a report")
        return raw
    try:
        if os.path.isdir(path):
            raise InputError(f"{name}: is a directory; pass a report file")
        size = os.path.getsize(path)
        if size > MAX_INPUT_BYTES:
            raise InputError(
                f"{name}: {size // 2**20} MB, too large for a report "
                f"(the limit is {MAX_INPUT_BYTES // 2**20} MB)"
            )
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise InputError(f"{name}: report file not found") from None
    except PermissionError:
        raise InputError(f"{name}: cannot read the file (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror or exc})") from None


def _extract(name: str, raw: bytes) -> tuple[str, str, str] | None:
    """(text, encoding, format) of a PDF or .docx file, or None for anything else."""
    try:
        if raw.startswith(_PDF_MAGIC):
            return _normalise_newlines(pdf_text(raw)), "pdf", "pdf"
        if raw.startswith(_ZIP_MAGIC):
            return _normalise_newlines(docx_text(raw)), "docx", "docx"
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None
    return None


# Words that every work report uses and recipes, stories or manuals hardly ever do. A report
# states several of them in its first pages; other Chinese text rarely states two.
_REPORT_CUES_RE = re.compile(
    r"政府|人民代表大会|各位代表|报告工作|工作(?:报告|总结|计划|思路|安排|要点|回顾)|同比|增长|百分点|[亿万]元|"
    r"生产总值|GDP|财政|预算|固定资产|投资|项目|产业|招商|乡村振兴|民生|党建|党委|党工委|十[一二三四五]五|"
    r"全年|年度|目标任务|高质量发展|改革|营商环境|基础设施|公共服务|城乡|生态|安全生产|社会治理|就业"
)
_NUMBERED_LINE_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])", re.M
)
_CUE_SAMPLE = 200_000  # characters looked at: the opening pages decide, even for 10 MB


def looks_like_report(text: str) -> bool:
    """A cheap signal: work-report vocabulary, helped by a numbered outline."""
    sample = text[:_CUE_SAMPLE]
    cues = set(_REPORT_CUES_RE.findall(sample))
    outline = len(_NUMBERED_LINE_RE.findall(sample)) >= 2
    return len(cues) >= 3 or (len(cues) >= 1 and outline)


def read_report(path: str | os.PathLike[str]) -> Document:
    """Read a report file ("-" for stdin) into a Document, or raise InputError."""
    name = os.fspath(path)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    raw = _read_raw(name, path)
    if not raw.strip():
        raise InputError(f"{name}: the file is empty")
    fmt, title_hint = "text", None
    extracted = _extract(name, raw)
    if extracted is not None:
        text, encoding, fmt = extracted
    else:
        try:
            text, encoding = decode_bytes(raw)
        except InputError as exc:
            raise InputError(f"{name}: {exc}") from None
    if not text.strip():
        what = {"pdf": "the PDF has no text", "docx": "the document has no text"}
        raise InputError(f"{name}: {what.get(fmt, 'the file is empty')}")

    if fmt == "text" and _is_html(text, name):
        fmt = "html"
        text, title_hint = _html_to_text(text)
        if not text.strip():
            raise InputError(f"{name}: the HTML page contains no body text")
    elif fmt == "text" and _TSV_LINE_RE.match(text):
        count = len(_TSV_LINE_RE.findall(text))
        if count > 1:
            raise InputError(
                f"{name}: holds {count} reports (one per line); split it into one file per report"
            )
        fmt = "tsv"
        text, title_hint = _tsv_to_text(text)

    if not _CJK_RE.search(text):
        raise InputError(f"{name}: does not look like a Chinese report (no Chinese text found)")
    if not looks_like_report(text):
        raise InputError(
            f"{name}: does not look like a government work report "
            "(no terms such as 政府、工作报告、增长、项目 and no numbered sections)"
        )
    return Document(
        name=name,
        text=text,
        title_hint=title_hint,
        encoding=encoding,
        format=fmt,
        sha256=hashlib.sha256(raw).hexdigest(),
    )
