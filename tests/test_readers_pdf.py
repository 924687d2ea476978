"""Tests for summarizer.readers.pdf: the text layer, scans, damaged and hostile files."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from docmaker import make_pdf
from inputs import REPORTS, input_error, summarize_bounded

from summarizer.clean import clean
from summarizer.ingest import read_report


def test_pdf_text_layer_and_hard_line_breaks_rejoined(tmp_path: Path) -> None:
    source = (REPORTS / "luoxi-2019.txt").read_text(encoding="utf-8")
    lines = [line for line in source.split("\n") if line.strip() and not line.startswith("-")]
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf([lines[:30], lines[30:60]]))
    doc = read_report(path)
    assert (doc.format, doc.encoding) == ("pdf", "pdf")
    assert "园镇实现" in doc.text
    text = clean(doc.text).text
    # A figure and a sentence split across PDF lines come back whole.
    assert "园镇实现地区生产总值69亿元，同比增长7%" in text.replace(" ", "")
    assert "习近平新时代中国特色社会主义思想，落实中央" in text.replace(" ", "")


def test_pdf_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = make_pdf([["各位代表：", "现在，我代表区政府向大会报告工作。"]])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    assert read_report("-").format == "pdf"


def test_pdf_without_text_layer_says_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([[]]))
    assert "OCR" in input_error(path)


def test_missing_pypdf_gives_one_actionable_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)  # import pypdf now raises ImportError
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf([["各位代表："]]))
    assert "pip install" in input_error(path) and "pypdf" in input_error(path)


def test_damaged_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(make_pdf([["各位代表："]])[:300])
    assert "PDF" in input_error(path)


# ---------------------------------------------------------------- hostile files


def _raw_pdf(objects: list[str]) -> bytes:
    """A PDF of the given objects (object 1 is the catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{off:010d} 00000 n \n" for off in offsets).encode())
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out.write(trailer.encode())
    return out.getvalue()


_CATALOG = "<< /Type /Catalog /Pages 2 0 R >>"
_PAGE = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def _pages_node(kids: str, count: int) -> str:
    return f"<< /Type /Pages /Kids [{kids}] /Count {count} >>"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        # 45,000 empty pages: 26 s before, as pypdf flattened the whole page tree.
        (lambda: make_pdf([[]] * 45_000), "more than 5,000 pages"),
        # 100,000 entries pointing at one page, under a /Count that says 1.
        (lambda: _raw_pdf([_CATALOG, _pages_node("3 0 R " * 100_000, 1), _PAGE]), "5,000 pages"),
        # A page tree that contains itself.
        (lambda: _raw_pdf([_CATALOG, _pages_node("2 0 R 3 0 R", 2), _PAGE]), "loops"),
        # A chain of 3,000 page-tree nodes, one inside the next.
        (
            lambda: _raw_pdf(
                [_CATALOG] + [_pages_node(f"{n + 1} 0 R", 1) for n in range(2, 3_002)] + [_PAGE]
            ),
            "nests too deep",
        ),
    ],
    ids=["45000-pages", "100000-entries", "cycle", "deep"],
)
def test_hostile_page_trees_are_refused_in_seconds(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "hostile.pdf"
    path.write_bytes(make())
    code, stderr = summarize_bounded(path)
    assert code == 2 and message in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1 and "hostile.pdf" in stderr


def test_reading_a_pdf_stops_at_its_time_limit(tmp_path: Path) -> None:
    path = tmp_path / "slow.pdf"
    path.write_bytes(make_pdf([["各位代表：", "现在，我代表区政府向大会报告工作。"]] * 3))
    code, stderr = summarize_bounded(
        path, code="import summarizer.readers.pdf as p; p.MAX_SECONDS = -1"
    )
    assert code == 2 and "takes more than" in stderr and "slow.pdf" in stderr
