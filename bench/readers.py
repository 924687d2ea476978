"""Reading every input the repository holds, and hostile inputs, with the ingest stage.

Part 1: every file under fixtures/ (the five samples and the development corpus: city
reports, the provincial CSV files, the national TSV, the HTML page, the GBK file) read with
`read_documents`: documents per format, rows that failed, and throughput. Baseline, measured
in the same run: reading the same bytes from disk and decoding them as UTF-8 where they are.

Part 2: hostile inputs built here (blank lines, broken markup, a zip bomb, a PDF of 45,000
pages, 20,000 corpus rows), each timed to its result or its one-line refusal.

Run: python bench/readers.py
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from docmaker import make_pdf  # noqa: E402

from summarizer.errors import InputError  # noqa: E402
from summarizer.ingest import read_documents  # noqa: E402


def corpus() -> None:
    """Part 1: every fixture file."""
    paths = sorted(p for p in (ROOT / "fixtures").rglob("*") if p.is_file())
    paths = [p for p in paths if "cassettes" not in p.parts and "briefs" not in p.parts]
    paths = [p for p in paths if "expected" not in p.parts and p.name != "README.md"]
    start = time.perf_counter()
    raw = sum(len(p.read_bytes()) for p in paths)
    baseline = time.perf_counter() - start
    formats: Counter[str] = Counter()
    failed: list[str] = []
    start = time.perf_counter()
    for path in paths:
        errors: list[InputError] = []
        try:
            formats.update(d.format for d in read_documents(path, errors))
        except InputError as exc:
            failed.append(str(exc))
        failed.extend(str(e) for e in errors)
    took = time.perf_counter() - start
    print(
        f"{len(paths)} files, {raw / 2**20:.1f} MB -> {sum(formats.values())} documents "
        f"{dict(formats)}; {len(failed)} failed"
    )
    print(f"  read in {took:.2f} s ({raw / 2**20 / took:.1f} MB/s; disk read {baseline:.3f} s)")
    for message in failed:
        print("  FAILED", message)


def _timed(label: str, name: str, data: bytes, folder: Path) -> None:
    path = folder / name
    path.write_bytes(data)
    start = time.perf_counter()
    try:
        outcome = f"{len(read_documents(path, []))} documents"
    except InputError as exc:
        outcome = "refused: " + str(exc).split(": ", 1)[1]
    took = time.perf_counter() - start
    print(f"  {label:<34} {len(data) / 2**20:7.1f} MB {took:6.2f} s  {outcome[:70]}")


def hostile() -> None:
    """Part 2: inputs that used to take seconds, minutes or gigabytes."""
    report = (ROOT / "fixtures/reports/jincheng-2019.txt").read_text(encoding="utf-8")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:document><w:body>" + b"<w:p/>" * 20_000_000)
    rows = "".join(
        json.dumps({"place": f"镇{i}", "year": 2019, "text": report[:3000]}, ensure_ascii=False)
        + "\n"
        for i in range(20_000)
    )
    cases = [
        ("200,000 blank lines", "blank.txt", ("番茄" + "\n" * 200_000 + "炒蛋").encode()),
        ("100,000 unclosed '<a ' in a page", "broken.html", b"<html><p>x" + b"<a " * 100_000),
        ("zip bomb (120 MB story)", "bomb.docx", bomb.getvalue()),
        ("PDF of 45,000 empty pages", "pages.pdf", make_pdf([[]] * 45_000)),
        ("JSONL of 20,000 report rows", "rows.jsonl", rows.encode("utf-8")),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for label, name, data in cases:
            _timed(label, name, data, Path(tmp))


if __name__ == "__main__":
    print("corpus:")
    corpus()
    print("hostile:")
    hostile()
