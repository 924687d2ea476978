"""Corpus files: many reports in one file, one a row or record.

Forms read (the first four by content, whatever the file is called):

* ``year<TAB>text`` lines, as public report collections keep them, optionally
  ``year<TAB>title<TAB>text``; the text's own line breaks were flattened into tabs and runs of
  U+3000, and are restored;
* CSV (or TSV) with a header row; a cell may hold a whole report with its line breaks;
* JSONL: one JSON object a line;
* Parquet (when pyarrow is installed: the optional extra ``parquet``).

Columns are recognised by their header, in English or Chinese, case-, space- and
underscore-insensitively (`COLUMNS`); the text is the recognised text column, else the column
with the most text. A row that cannot be read carries its `problem` instead of failing the file.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import recache
from ..errors import InputError
from ..lazyre import lazy
from ..lexicon import YEAR_RE
from ..pages import is_indent
from .html import html_to_text, is_html

__all__ = [
    "COLUMNS",
    "CORPUS_SUFFIXES",
    "JSON_SUFFIX",
    "PARQUET_MAGIC",
    "Row",
    "parquet_rows",
    "restore_breaks",
    "sniff",
    "text_rows",
]

CORPUS_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".parquet")
# A JSON array of report objects is read when named, but a folder's .json files are never
# scanned: they are as likely to be summaries written by this tool.
JSON_SUFFIX = ".json"
# A corpus table has a handful of columns (text, place, year, title, url, date…); a header
# of a million would make finding them slow, and is no corpus.
MAX_COLUMNS = 1000
PARQUET_MAGIC = b"PAR1"

# Header names of each column a corpus may have, best first. Compared after `_norm`.
# fmt: off
COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("full_text", "content", "text", "body", "正文", "内容", "全文"),
    # Most specific first: a city dataset often has a province column too.
    "place": ("place", "地名", "county", "city", "城市", "region", "area", "地区", "province",
              "省份", "单位"),
    "year": ("year", "年份", "年度"),
    "title": ("title", "标题", "名称"),
    "url": ("source_url", "url", "link", "链接", "网址"),
    "date": ("publish_date", "date", "pub_date", "发布日期", "日期", "时间"),
}
# fmt: on


@dataclass(frozen=True)
class Row:
    """One report of a corpus file, or the reason it cannot be read (`problem`)."""

    number: int  # 1-based, counting data rows only
    text: str = ""
    place: str | None = None
    year: int | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    problem: str | None = None


_HEADER_FILL = recache.compile(r"[\s_\-]+")  # compared without spaces, _ and -


def _norm(header: object) -> str:
    return _HEADER_FILL.sub("", str(header)).lower()


_KNOWN = {_norm(n): role for role, names in COLUMNS.items() for n in names}

# ---------------------------------------------------------------- flattened TSV text

_YEAR_LINE_RE = recache.compile(r" *(\d{4})\t")
_FLAT_SPACE_RE = recache.compile(r"[ \t\xa0\u3000]+")
_TITLE_MAX = 40  # a field this short, with no sentence in it, is a title, not the text
# A sentence, or the dash that opens the delivery line (——2001年3月5日在…): text, not a title.
_NOT_TITLE_RE = lazy(r"[。！？；：:;!?—－]")


def _flat_break(match: re.Match[str]) -> str:
    run = match.group()
    return "\n" if is_indent(run, spaces_count=False) else run


def restore_breaks(flat: str) -> str:
    """Paragraph breaks back into text whose breaks were flattened into tabs and U+3000."""
    return _FLAT_SPACE_RE.sub(_flat_break, flat).strip()


def _year_line(number: int, line: str) -> Row:
    match = _YEAR_LINE_RE.match(line)
    if match is None:
        return Row(number, problem="is not a `year<TAB>text` line")
    fields = line[match.end() :].split("\t")
    first = fields[0].strip(" \xa0\u3000")
    title = None
    if len(fields) > 1 and 0 < len(first) <= _TITLE_MAX and not _NOT_TITLE_RE.search(first):
        title, fields = first, fields[1:]
    return Row(number, restore_breaks("\t".join(fields)), year=int(match.group(1)), title=title)


# ---------------------------------------------------------------- tables


# Half of a UTF-16 surrogate pair: a JSON file may write one alone ("\ud800"), which json.loads
# keeps, and no text holding one can be written as UTF-8 (the summary, the brief, the hash).
_SURROGATE = lazy(r"[\ud800-\udfff]")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if _SURROGATE.search(text):
        # A pair makes its character; a lone half becomes U+FFFD, as a decoding error does.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _year(value: str) -> int | None:
    match = YEAR_RE.search(value)
    return int(match.group()) if match else None  # int() reads full-width digits too


def _columns(header: Sequence[object], rows: Sequence[Sequence[Any]]) -> dict[str, int]:
    """Role -> column index, by header name; the text column falls back to the longest."""
    found: dict[str, int] = {}
    for role, names in COLUMNS.items():
        normed = [_norm(h) for h in header]
        for name in names:
            if _norm(name) in normed and normed.index(_norm(name)) not in found.values():
                found[role] = normed.index(_norm(name))
                break
    if "text" not in found:
        free = [i for i in range(len(header)) if i not in found.values()]
        sizes = {i: sum(len(_cell(r[i])) for r in rows if i < len(r)) for i in free}
        if sizes:
            found["text"] = max(sizes, key=lambda i: sizes[i])
    return found


def _table_rows(header: Sequence[object], rows: Sequence[Sequence[Any]]) -> list[Row]:
    if len(header) > MAX_COLUMNS:
        raise InputError(
            f"is a corpus file with {len(header)} columns, not a table of reports "
            f"(at most {MAX_COLUMNS})"
        )
    cols = _columns(header, rows)
    if "text" not in cols:
        raise InputError("is a corpus file with no column to read the report text from")

    def get(row: Sequence[Any], role: str) -> str:
        i = cols.get(role)
        return _cell(row[i]) if i is not None and i < len(row) else ""

    out: list[Row] = []
    for number, row in enumerate(rows, start=1):
        text, title = get(row, "text"), get(row, "title") or None
        if is_html(text):  # a scraped page kept whole in the cell
            text, page_title = html_to_text(text)
            title = title or page_title
        year = _year(get(row, "year")) or _year(get(row, "date"))
        out.append(
            Row(
                number,
                text,
                place=get(row, "place") or None,
                year=year,
                title=title,
                url=get(row, "url") or None,
                published=get(row, "date") or None,
            )
        )
    return out


def _csv_rows(text: str, delimiter: str) -> list[Row]:
    import csv  # this reader's modules when a corpus file is read, not at every start-up

    # A cell may hold a whole report: lift the csv module's 128 KB field limit.
    csv.field_size_limit(2**31 - 1)
    try:
        table = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(r)]
    except csv.Error as exc:
        raise InputError(f"is a CSV file that cannot be parsed ({exc})") from None
    if not table:
        return []
    return _table_rows(table[0], table[1:])


def _record_rows(records: Sequence[object]) -> list[Row]:
    """Rows of JSON records; a record that is not an object is a row with a problem."""
    objects = [r if isinstance(r, dict) else None for r in records]
    seen: dict[str, None] = {}  # the keys in order of first use (a dict: linear in the keys)
    for record in objects:
        seen.update(dict.fromkeys(record or {}))
    keys = list(seen)
    bad = "is not a JSON object"
    if not keys:
        return [Row(n, problem=bad) for n in range(1, len(objects) + 1)]
    rows = _table_rows(keys, [[(r or {}).get(k) for k in keys] for r in objects])
    pairs = zip(rows, objects, strict=True)
    return [row if rec is not None else Row(row.number, problem=bad) for row, rec in pairs]


def _jsonl_rows(text: str) -> list[Row]:
    import json

    records: list[object] = []
    for line in text.split("\n"):
        if line.strip():
            try:
                records.append(json.loads(line))
            except (ValueError, RecursionError):  # RecursionError: [[[[… deeper than the stack
                records.append(None)
    return _record_rows(records)


def _json_rows(text: str) -> list[Row]:
    import json

    try:
        records = json.loads(text)
    except RecursionError:
        raise InputError("is a JSON file nested too deeply to be a list of reports") from None
    except ValueError as exc:
        raise InputError(f"is a JSON file that cannot be parsed ({exc})") from None
    if not isinstance(records, list):
        raise InputError("is a JSON file but not a list of reports (one object each)")
    return _record_rows(records)


def parquet_rows(raw: bytes) -> list[Row]:
    """Rows of a Parquet file (needs pyarrow: pip install 'summarizer[parquet]')."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "is a Parquet file, and reading Parquet needs pyarrow: "
            "pip install 'summarizer[parquet]'"
        ) from None
    try:
        table = pq.read_table(io.BytesIO(raw))
    except Exception as exc:  # pyarrow raises its own error types for every defect
        raise InputError(f"is a Parquet file that cannot be read ({exc})") from None
    keys = table.column_names
    return _table_rows(keys, [[r.get(k) for k in keys] for r in table.to_pylist()])


# ---------------------------------------------------------------- which form


def _header_delimiter(first_line: str) -> str | None:
    """The delimiter of a first line that is a corpus header, if it is one."""
    for delimiter in (",", "\t"):
        cells = [_norm(c.strip('"')) for c in first_line.split(delimiter)]
        if len(cells) < 2 or any(len(c) > 40 for c in cells):
            continue
        roles = {_KNOWN[c] for c in cells if c in _KNOWN}
        if "text" in roles or len(roles) >= 2:
            return delimiter
    return None


_JSON_ARRAY_RE = recache.compile(r"\s*\[\s*\{")


def sniff(text: str, name: str = "") -> str | None:
    """The form of a corpus file's text (lines, jsonl, json, csv, tsv); None for one report."""
    lower = name.lower()
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lower.endswith(JSON_SUFFIX) or _JSON_ARRAY_RE.match(text):
        return "json"
    if _YEAR_LINE_RE.match(text.lstrip("\n")):
        return "lines"
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith(".tsv"):
        return "tsv"
    first = text.lstrip().split("\n", 1)[0]
    if first.startswith("{"):
        import json

        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except (ValueError, RecursionError):
            pass
    delimiter = _header_delimiter(first)
    return None if delimiter is None else ("csv" if delimiter == "," else "tsv")


def text_rows(text: str, form: str) -> list[Row]:
    """The rows of a corpus file's decoded text, in the form `sniff` named."""
    if form == "lines":
        lines = [line for line in text.split("\n") if line.strip()]
        return [_year_line(n, line) for n, line in enumerate(lines, start=1)]
    if form == "jsonl":
        return _jsonl_rows(text)
    if form == "json":
        return _json_rows(text)
    return _csv_rows(text, "," if form == "csv" else "\t")
