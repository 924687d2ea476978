"""The ingest stage: a path (or stdin) to `Document`s, each one report's text and metadata.

Formats are recognised by content (a file's name is only a hint); each has its reader in
`summarizer.readers`:

* ``text``  plain text in any of UTF-8 (with or without BOM), GB18030/GBK, Big5 or UTF-16/32;
* ``html``  a web page or a scraped fragment (``[<div …>…</div>]``); its main text is extracted;
* ``docx`` and ``pdf``  Word and PDF files;
* corpus files, many reports in one: ``year<TAB>[title<TAB>]text`` lines (``tsv``), CSV or TSV
  with a header (``csv``/``tsv``), JSONL (``jsonl``), a JSON array of objects (``json``) and
  Parquet (``parquet``).

`read_documents(path)` gives every report a path holds: one for a report file, one per row
for a corpus file. `read_report(path)` gives exactly one and refuses a corpus file holding
several (``path#key`` picks one row: the key is the row's year, or its number). Anything that
cannot be a Chinese work report raises `InputError` with a one-line message naming the path
(or the row: ``path#key``).
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import recache
from .errors import InputError
from .readers.corpus import (
    CORPUS_SUFFIXES,
    JSON_SUFFIX,
    PARQUET_MAGIC,
    Row,
    parquet_rows,
    sniff,
    text_rows,
)
from .readers.html import html_to_text, is_html
from .readers.text import PDF_MAGIC, ZIP_MAGIC, decode_bytes, normalise_newlines
from .recognize import check_report, looks_like_report
from .regular import read_capped

__all__ = [
    "MAX_INPUT_BYTES",
    "Document",
    "RowError",
    "decode_bytes",
    "looks_like_report",
    "may_hold_many",
    "printable",
    "read_documents",
    "read_report",
    "safe_stem",
]

# The biggest yearly reports are a few MB of text; a PDF with images may be tens of MB.
MAX_INPUT_BYTES = 256 * 1024 * 1024
_UNSAFE_IN_STEM = recache.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_FOUR_DIGITS = recache.compile(r"\d{4}")
_STEM_MAX = 80  # characters of an output file stem


def printable(path: str) -> str:
    """A path as messages and summaries show it: a file name in legacy bytes (GBK on a Linux
    disk: surrogate escapes once decoded) shown as GB18030 text, else with U+FFFD."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        raw = os.fsencode(path)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def safe_stem(text: str) -> str:
    """`text` made safe as a file name stem: no separators, controls or leading dots."""
    stem = _UNSAFE_IN_STEM.sub("_", text).strip(" ._")
    return stem[:_STEM_MAX].rstrip(" ._") or "report"


@dataclass(frozen=True)
class Document:
    """A decoded report: its text, where it came from, how it was read, what is known of it.

    The metadata comes from a corpus file's columns, when there are any: `place_hint` (a place
    column), `year_hint` (a year column, else the year of a date column: the year the report was
    delivered, usually its plan year), `url` and `published` (as written). `stem` is a safe
    output file stem: a file's own stem, or for a corpus row ``<place>-<year>``, else
    ``<file stem>-<year>``, else ``<file stem>-<row number>``, unique within its file.
    `sha256` is the file's, or for a corpus row that of its text and metadata (so editing one
    row of a corpus file changes only that row's hash).
    """

    name: str
    text: str
    title_hint: str | None
    encoding: str
    format: str
    sha256: str
    place_hint: str | None = None
    year_hint: int | None = None
    url: str | None = None
    published: str | None = None
    stem: str = field(default="")

    def __post_init__(self) -> None:
        if not self.stem:
            own = "stdin" if self.name == "-" else Path(self.name).stem
            object.__setattr__(self, "stem", safe_stem(own))


class RowError(InputError):
    """A row of a corpus file that is not a report; the other rows are still read."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name  # the row's name, path#key


# ---------------------------------------------------------------- bytes


def _read_raw(name: str, path: str | os.PathLike[str]) -> bytes:
    if name == "-":
        if sys.stdin is None:
            raise InputError("-: no standard input to read the report from")
        if sys.stdin.isatty():
            raise InputError("-: standard input is a terminal; pipe a report into it")
        raw = read_capped(sys.stdin.buffer, MAX_INPUT_BYTES)
        if len(raw) > MAX_INPUT_BYTES:
            raise InputError(f"-: more than {MAX_INPUT_BYTES // 2**20} MB, too large for a report")
        return raw
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{name}: is a directory; pass a report file")
        if stat.S_ISFIFO(mode):
            return _read_pipe(name, path)
        if not stat.S_ISREG(mode):  # /dev/zero, /dev/tty, a socket: no report, or no end
            raise InputError(f"{name}: not a regular file (a device or socket); pass a report file")
        size = os.path.getsize(path)
        if size > MAX_INPUT_BYTES:
            raise InputError(
                f"{name}: {size // 2**20} MB, too large for a report "
                f"(the limit is {MAX_INPUT_BYTES // 2**20} MB)"
            )
        with open(path, "rb") as fh:
            raw = read_capped(fh, MAX_INPUT_BYTES)
        if len(raw) > MAX_INPUT_BYTES:  # a device or a file still growing: its size lied
            raise InputError(f"{name}: more than {MAX_INPUT_BYTES // 2**20} MB, too large")
        return raw
    except FileNotFoundError:
        raise InputError(f"{name}: report file not found") from None
    except PermissionError:
        raise InputError(f"{name}: cannot read the file (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror or exc})") from None


def _read_pipe(name: str, path: str | os.PathLike[str]) -> bytes:
    """A pipe named as the input (`<(curl …)`, a FIFO): read what its writer sends.

    Opened without blocking, so a FIFO that no process writes to reads as empty at once
    instead of waiting forever for a writer; a live writer is then read to its end.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as fh:
        raw = read_capped(fh, MAX_INPUT_BYTES)
    if not raw:
        raise InputError(f"{name}: a pipe (FIFO) that no process writes a report into")
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: more than {MAX_INPUT_BYTES // 2**20} MB, too large")
    return raw


# ---------------------------------------------------------------- one report


def _single(name: str, raw: bytes, text: str, encoding: str, fmt: str) -> Document:
    title_hint = None
    if fmt == "text" and is_html(text, name):
        fmt = "html"
        text, title_hint = html_to_text(text)
        if not text or text.isspace():  # strip() would copy a 10 MB text
            raise InputError(f"{name}: the HTML page contains no body text")
    check_report(text, name)
    return Document(
        name=name,
        text=text,
        title_hint=title_hint,
        encoding=encoding,
        format=fmt,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


# ---------------------------------------------------------------- corpus rows


def _unique(keys: list[str]) -> list[str]:
    """`keys` with repeats suffixed -2, -3, … (the first one keeps its key)."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        n = seen[key] = seen.get(key, 0) + 1
        out.append(key if n == 1 else f"{key}-{n}")
    return out


def _row_keys(rows: list[Row]) -> list[str]:
    """What follows `#` in a row's name: its year when no other row shares it, else its number."""
    years = Counter(r.year for r in rows)
    return _unique([str(r.year) if r.year and years[r.year] == 1 else str(r.number) for r in rows])


def _row_stems(rows: list[Row], file_stem: str) -> list[str]:
    stems = []
    for row in rows:
        own = row.year is not None and str(row.year) in _FOUR_DIGITS.findall(file_stem)
        if len(rows) == 1 and not row.place and own:
            stems.append(file_stem)  # national-2011.txt stays national-2011
        else:
            base = row.place or file_stem
            stems.append(f"{base}-{row.year or row.number}")
    return _unique([safe_stem(s) for s in stems])


def _rows(name: str, rows: list[Row], encoding: str, fmt: str) -> list[Document | InputError]:
    if not rows:
        raise InputError(f"{name}: the corpus file holds no reports")
    file_stem = "stdin" if name == "-" else Path(name).stem
    out: list[Document | InputError] = []
    for row, key, stem in zip(rows, _row_keys(rows), _row_stems(rows, file_stem), strict=True):
        row_name = f"{name}#{key}"
        try:
            if row.problem:
                raise InputError(f"{row_name}: {row.problem}")
            check_report(row.text, row_name)
        except InputError as exc:
            out.append(RowError(row_name, str(exc)))
            continue
        import json  # corpus rows only: a text file's run never needs it

        meta = [row.text, row.place, row.year, row.title, row.url, row.published]
        digest = hashlib.sha256(json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        out.append(
            Document(
                name=row_name,
                text=row.text,
                title_hint=row.title,
                encoding=encoding,
                format=fmt,
                sha256=digest.hexdigest(),
                place_hint=row.place,
                year_hint=row.year,
                url=row.url,
                published=row.published,
                stem=stem,
            )
        )
    return out


# ---------------------------------------------------------------- reading


def _load(name: str, raw: bytes) -> list[Document | InputError]:
    """Every report in `raw`: a Document, or the InputError that says why a row is unusable."""
    if not raw or raw.isspace():  # strip() would copy a 10 MB text
        raise InputError(f"{name}: the file is empty")
    try:
        if raw.startswith(PDF_MAGIC):
            from .readers.pdf import pdf_text  # only for a PDF

            return [_single(name, raw, normalise_newlines(pdf_text(raw)), "pdf", "pdf")]
        if raw.startswith(ZIP_MAGIC):
            from .readers.docx import docx_text  # the XML parser, only for a .docx

            text = normalise_newlines(docx_text(raw))
            if not text or text.isspace():  # strip() would copy a 10 MB text
                raise InputError("the document has no text")
            return [_single(name, raw, text, "docx", "docx")]
        if raw.startswith(PARQUET_MAGIC):
            return _rows(name, parquet_rows(raw), "parquet", "parquet")
        text, encoding = decode_bytes(raw)
    except InputError as exc:
        message = str(exc)
        raise InputError(message if message.startswith(name) else f"{name}: {message}") from None
    if not text or text.isspace():  # strip() would copy a 10 MB text
        raise InputError(f"{name}: the file is empty")
    form = None if is_html(text, name) else sniff(text, name)
    if form is None:
        return [_single(name, raw, text, encoding, "text")]
    try:
        rows = text_rows(text, form)
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None
    return _rows(name, rows, encoding, "tsv" if form == "lines" else form)


_SNIFF_BYTES = 65536


def may_hold_many(path: str) -> bool:
    """Whether a file looks like a corpus file (by its name or its first bytes), cheaply.

    Batch runs read such files ahead to name every row's output; a report file is read only
    when its turn comes. A wrong guess costs nothing but that: `read_documents` decides.
    """
    if path == "-":
        return False
    if path.lower().endswith((*CORPUS_SUFFIXES, JSON_SUFFIX)):
        return True
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return False  # read_documents reports it
    if head.startswith(PARQUET_MAGIC):
        return True
    if head.startswith((PDF_MAGIC, ZIP_MAGIC)):
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        head = head.removeprefix(b"\xef\xbb\xbf")
        try:  # the head may end inside a character: leave its last bytes out of the test
            text = head.decode("utf-8")
        except UnicodeDecodeError as exc:
            cut = exc.start >= len(head) - 3
            text = head[: exc.start].decode("utf-8") if cut else head.decode("gb18030", "ignore")
    text = normalise_newlines(text)
    return not is_html(text, path) and sniff(text, path) is not None


def read_documents(
    path: str | os.PathLike[str], errors: list[InputError] | None = None
) -> list[Document]:
    """Every report `path` holds ("-" for stdin): one for a report file, one per corpus row.

    A file that cannot be read raises InputError. A corpus row that is not a report raises a
    `RowError` too, unless `errors` is given: then the RowError (naming ``path#key``) is appended
    there and the other rows are returned.
    """
    name = printable(os.fsdecode(os.fspath(path)))
    entries = _load(name, _read_raw(name, path))
    bad = [e for e in entries if isinstance(e, InputError)]
    if bad and errors is None:
        raise bad[0]
    if errors is not None:
        errors.extend(bad)
    return [e for e in entries if isinstance(e, Document)]


def read_report(path: str | os.PathLike[str]) -> Document:
    """Read exactly one report ("-" for stdin, ``corpus#key`` for one row), or raise InputError."""
    real = os.fsdecode(os.fspath(path))
    name = printable(real)
    base, _, key = real.rpartition("#")
    if base and real != "-" and not os.path.exists(real) and os.path.isfile(base):
        errors: list[InputError] = []
        docs = read_documents(base, errors)
        for doc in docs:
            if doc.name == name:
                return doc
        for error in errors:
            if isinstance(error, RowError) and error.name == name:
                raise error
        shown = printable(base)
        raise InputError(f"{name}: {shown} holds no row {key!r} (rows are named by year or number)")
    errors = []
    docs = read_documents(path, errors)
    if len(docs) + len(errors) > 1:
        raise InputError(
            f"{name}: holds {len(docs) + len(errors)} reports (one a row); "
            "pass --out-dir DIR to get one output per report"
        )
    if errors:
        raise errors[0]
    return docs[0]
