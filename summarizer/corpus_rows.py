"""Every report a path holds, for the commands that read many (`panel`, `track`).

A report file gives one Document; a corpus file (CSV/TSV/JSONL, one report a row) gives one per
row, with the row's place and year as hints. When `ingest.read_documents` exists (the readers
work) it is used; until then this module reads the corpus forms of fixtures/corpus itself.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import ingest
from .errors import InputError
from .ingest import Document, read_report

CORPUS_SUFFIXES = {".csv", ".tsv", ".jsonl"}
_TEXT_COLS = ("full_text", "content", "text", "body", "正文", "内容", "全文")
_PLACE_COLS = ("province", "city", "county", "place", "region", "area", "地区", "省份", "城市")
_YEAR_COLS = ("year", "年份", "年度")
_TITLE_COLS = ("title", "标题", "名称")
_FLAT_SPACE = re.compile(r"[ \t\xa0\u3000]+")


@dataclass(frozen=True)
class Item:
    """One report to summarise, with what its corpus row says about it."""

    document: Document
    place_hint: str | None = None
    year_hint: int | None = None


def _pick(row: dict[str, str], names: tuple[str, ...]) -> str | None:
    lower = {k.strip().lower(): v for k, v in row.items() if k}
    found = next((lower[n] for n in names if lower.get(n) not in (None, "")), None)
    return None if found is None else str(found)  # a JSONL year may be a number


def _year(s: str | None) -> int | None:
    m = re.search(r"(?:19|20)\d\d", s or "")
    return int(m.group()) if m else None


def _flat_break(m: re.Match[str]) -> str:
    # The same rule as ingest's one-line TSV: tabs and doubled U+3000 are lost paragraph breaks.
    run = m.group()
    if "\t" in run or run.count("\u3000") >= 2 or ("\u3000" in run and len(run) > 1):
        return "\n"
    return run


def _document(name: str, text: str, title: str | None, fmt: str) -> Document:
    if not ingest.looks_like_report(text):
        raise InputError(f"{name}: does not look like a government work report")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(name, text, title, "utf-8", fmt, digest)


def _rows(path: Path) -> list[tuple[dict[str, str], str]]:
    raw = path.read_bytes()
    text = (
        raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else ingest.decode_bytes(raw)[0]
    )
    if path.suffix.lower() == ".jsonl":
        return [(json.loads(line), "jsonl") for line in text.splitlines() if line.strip()]
    if path.suffix.lower() == ".csv":
        csv.field_size_limit(sys.maxsize)  # a cell holds a whole report
        return [(dict(r), "csv") for r in csv.DictReader(text.splitlines(keepends=True))]
    rows = []
    for line in text.splitlines():  # year<TAB>text, or year<TAB>title<TAB>text
        year, _, body = line.partition("\t")
        if _year(year) is not None and body.strip():
            rows.append(({"year": year, "text": _FLAT_SPACE.sub(_flat_break, body).strip()}, "tsv"))
    return rows


def read_items(path: str, failed: list[str] | None = None) -> list[Item]:
    """Every report `path` holds (a report file, or a corpus file's rows).

    A corpus row that is not a report is named in `failed` (when given) and the rest are read.
    """
    p = Path(path)
    modern = getattr(ingest, "read_documents", None)
    if modern is not None:
        docs = modern(path)
        return [
            Item(d, getattr(d, "place_hint", None), getattr(d, "year_hint", None)) for d in docs
        ]
    if p.suffix.lower() not in CORPUS_SUFFIXES:
        return [Item(read_report(path))]
    try:
        rows = _rows(p)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(f"{path}: cannot read the corpus file ({e})") from None
    items = []
    for k, (row, fmt) in enumerate(rows):
        text = _pick(row, _TEXT_COLS) or max(row.values(), key=lambda v: len(str(v)), default="")
        year = _year(_pick(row, _YEAR_COLS))
        name = f"{path}#{year or k + 1}"
        try:
            doc = _document(name, str(text), _pick(row, _TITLE_COLS), fmt)
        except InputError as e:
            if failed is None:
                raise
            failed.append(str(e))
            continue
        items.append(Item(doc, _pick(row, _PLACE_COLS), year))
    if not items and not failed:
        raise InputError(f"{path}: no reports in this corpus file")
    return items
