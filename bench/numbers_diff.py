"""Compare find_numbers / find_periods of a git revision with the working tree, over the corpus.

    python bench/numbers_diff.py [REV] [--show N]

REV (default: main) is read with `git archive REV summarizer` and loaded as a package beside
the current one; both run over every report of fixtures/ (the samples, every .txt and
.html of fixtures/corpus, each row's full_text of the provincial CSVs, each line of the national
TSV). It prints counts — mentions, Chinese numerals converted, periods by kind — and the
differences grouped by what changed, with N examples each, so a change of rules can be checked
by hand against the sentences it touches. A revision from before numerals.py (which replaced
cn2an) needs `pip install cn2an` to load.
"""

from __future__ import annotations

import argparse
import collections
import csv
import importlib
import importlib.util
import io
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import numbers as new  # noqa: E402

_CN = set("零〇一二两三四五六七八九十百千万亿")


def corpus() -> Iterator[tuple[str, str]]:
    """(name, text) of every real report under fixtures/, corpus files split into reports."""
    fx = ROOT / "fixtures"
    for p in sorted((fx / "reports").glob("*.txt")):
        yield p.name, p.read_text(encoding="utf-8")
    for p in sorted((fx / "corpus").rglob("*")):
        if p.suffix in (".txt", ".html"):
            enc = "gb18030" if ".gbk." in p.name else "utf-8"
            yield str(p.relative_to(fx)), p.read_text(encoding=enc)
        elif p.suffix == ".csv":
            csv.field_size_limit(1 << 30)
            with p.open(encoding="utf-8-sig", newline="") as f:
                for i, row in enumerate(csv.DictReader(f)):
                    yield f"{p.relative_to(fx)}#{i}", row["full_text"]
        elif p.suffix == ".tsv":
            for line in p.read_text(encoding="utf-8").splitlines():
                year, _, text = line.partition("\t")
                yield f"{p.relative_to(fx)}#{year}", text


def load_rev(rev: str) -> ModuleType:
    """summarizer.numbers as it was at `rev`, loaded as the package `summarizer_at_rev`."""
    tmp = Path(tempfile.mkdtemp())
    tar = subprocess.run(
        ["git", "archive", rev, "summarizer"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
        tf.extractall(tmp, filter="data")
    pkg = tmp / "summarizer"
    spec = importlib.util.spec_from_file_location(
        "summarizer_at_rev", pkg / "__init__.py", submodule_search_locations=[str(pkg)]
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # its relative imports and dataclasses look it up there
    spec.loader.exec_module(mod)
    return importlib.import_module("summarizer_at_rev.numbers")


def _key(m: object) -> tuple:
    f = ("start", "end", "value", "unit", "low", "high", "qualifier", "is_change", "is_year")
    d = getattr(m, "direction", None)
    return (*(getattr(m, k) for k in f), getattr(d, "value", d))


def _pkey(p: object) -> tuple:
    return tuple(getattr(p, k) for k in ("start", "end", "kind", "year", "months", "years"))


def _cn(m: object) -> bool:
    return m.text.lstrip()[:1] in _CN  # type: ignore[attr-defined]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", nargs="?", default="main")
    ap.add_argument("--show", type=int, default=3, help="examples per kind of difference")
    args = ap.parse_args()
    old = load_rev(args.rev)
    counts: collections.Counter[str] = collections.Counter()
    diffs: dict[str, list[str]] = collections.defaultdict(list)
    kinds: collections.Counter[str] = collections.Counter()
    t_old = t_new = 0.0
    n_reports = n_chars = 0
    for name, text in corpus():
        n_reports += 1
        n_chars += len(text)
        t0 = time.perf_counter()
        a, pa = old.find_numbers(text), old.find_periods(text)
        t1 = time.perf_counter()
        b, pb = new.find_numbers(text), new.find_periods(text)
        t_old, t_new = t_old + t1 - t0, t_new + time.perf_counter() - t1
        counts["mentions old"] += len(a)
        counts["mentions new"] += len(b)
        counts["chinese numerals old"] += sum(map(_cn, a))
        counts["chinese numerals new"] += sum(map(_cn, b))
        for p in pa:
            kinds[f"old {p.kind}"] += 1
        for p in pb:
            kinds[f"new {p.kind}"] += 1
        ka, kb = {_key(m): m for m in a}, {_key(m): m for m in b}
        for tag, only, src in (("-", ka.keys() - kb.keys(), ka), ("+", kb.keys() - ka.keys(), kb)):
            for k in sorted(only):
                m = src[k]
                ctx = text[max(0, m.start - 12) : m.end + 6].replace("\n", "⏎")
                group = f"{tag} {'cn' if _cn(m) else 'arabic'} numbers"
                diffs[group].append(f"{name}: {m.text!r} {m.value} {m.unit!r} | {ctx}")
        pka, pkb = {_pkey(p): p for p in pa}, {_pkey(p): p for p in pb}
        for tag, only, src in (("-", pka.keys() - pkb.keys(), pka),
                               ("+", pkb.keys() - pka.keys(), pkb)):  # fmt: skip
            for k in sorted(only):
                p = src[k]
                ctx = text[max(0, p.start - 8) : p.end + 8].replace("\n", "⏎")
                diffs[f"{tag} periods {p.kind}"].append(f"{name}: {p.text!r} {p.year} | {ctx}")
    print(f"{n_reports} reports, {n_chars / 1e6:.2f} M characters")
    print(f"time: {args.rev} {t_old:.2f} s, working tree {t_new:.2f} s")
    for k, v in sorted(counts.items()):
        print(f"{k:>24}: {v}")
    for k, v in sorted(kinds.items()):
        print(f"{'periods ' + k:>24}: {v}")
    for group, lines in sorted(diffs.items()):
        print(f"\n{group}: {len(lines)}")
        for line in lines[: args.show]:
            print("   ", line)


if __name__ == "__main__":
    main()
