"""End-to-end speed of the offline path, as a user meets it (issue 13). Prints figures only.

Every run goes through the CLI code path in a fresh interpreter (read, clean, screen,
structure, engine, merge, validate, render, write, start-up included):

1. the whole corpus: every real report in fixtures/ (reports/, corpus/ and its city and
   province folders, the State Council TSV), linked into one folder and run as one batch with
   --jobs 1: MB of UTF-8 input per CPU-second and per wall-second (when the package runs its
   compiled modules, setup.py, the same again with SUMMARIZER_PURE_PYTHON=1, for the ratio);
2. per-stage shares of the same work, timed stage by stage in this process;
3. cost per MB at 1, 4 and 10 MB of distinct text (different real reports concatenated; the
   corpus holds under 10 MB, so past its end each further copy has its digits rotated, d ->
   d+k mod 10, which keeps every report's shape but makes its text and figures new);
4. peak RSS per MB of input for the 10 MB report;
5. one small report (7 KB) against a bare `python -c pass`, both best of 3, in this run (the
   package's bytecode written first, as an installed package has it, and the compiled patterns
   and gazetteer copy in the user cache, as any run after the first has them);
6. --jobs 2 against --jobs 1 on the corpus, and whether their outputs are byte-identical.

Run: python bench/e2e_speed.py [--quick]   (--quick: skips the 10 MB report)
"""

from __future__ import annotations

import compileall
import filecmp
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.ingest import read_documents  # noqa: E402

FIXTURES = ROOT / "fixtures"
SMALL = FIXTURES / "reports" / "jincheng-2019.txt"  # 7 KB
MB = 2**20


def corpus_files() -> list[Path]:
    """Every real report file of fixtures/ (corpus files hold many reports, one a row)."""
    files = [*sorted((FIXTURES / "reports").glob("*"))]
    for d in (
        FIXTURES / "corpus",
        FIXTURES / "corpus/city-2024",
        FIXTURES / "corpus/province-2026",
    ):
        files += sorted(f for f in d.iterdir() if f.is_file() and f.name != "README.md")
    return files


def texts(files: list[Path]) -> list[str]:
    """The decoded report texts of the files, one per report (corpus rows apart)."""
    out: list[str] = []
    for f in files:
        out += [d.text for d in read_documents(str(f), [])]
    return out


def utf8_mb(parts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in parts) / MB


def run_cli(args: list[str], **env: str) -> dict[str, float]:
    """Run `python -m summarizer ARGS` in a fresh interpreter: wall, CPU and peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # The child reports its own peak RSS (RUSAGE_CHILDREN's would be the max of all runs), as
    # VmHWM: its ru_maxrss starts at this process's RSS (Linux carries the peak of the memory
    # it was forked with across exec), which put a 90 MB floor under every figure.
    # The peak is read by an exit handler: the command ends its process (cli.run) once its
    # own exit handlers have run, without returning here.
    code = (
        "import atexit, resource, sys, runpy\n"
        "def peak():\n"
        "    try:\n"
        "        hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM:')]\n"
        "        kb = int(hwm[0].split()[1])\n"
        "    except (OSError, IndexError):\n"
        "        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    sys.stderr.write('\\nPEAK %d\\n' % kb)\n"
        "atexit.register(peak)\n"
        "sys.argv = ['summarizer', *sys.argv[1:]]\n"
        "runpy.run_module('summarizer', run_name='__main__')\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "OPENAI_API_KEY": "", "OPENAI_BASE_URL": "", **env},
        cwd=ROOT,
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = [ln for ln in r.stderr.splitlines() if ln.startswith("PEAK ")]
    if not peak:
        sys.exit(f"run failed: {' '.join(args)}\n{r.stderr[-2000:]}")
    return {"wall": wall, "cpu": cpu, "peak_mb": int(peak[-1].split()[1]) / 1024}


def _same(tmp: Path, a: str, b: str) -> bool:
    """Whether two output folders hold the same files with the same bytes."""
    cmp = filecmp.dircmp(tmp / a, tmp / b)
    if cmp.diff_files or cmp.left_only or cmp.right_only:
        return False
    return all((tmp / a / n).read_bytes() == (tmp / b / n).read_bytes() for n in cmp.common_files)


def best_of(cmd: list[str], n: int = 3) -> tuple[float, float]:
    """The least wall-seconds and the least CPU-seconds of n runs of cmd."""
    wall = cpu = float("inf")
    for _ in range(n):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False, cwd=ROOT)
        wall = min(wall, time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        cpu = min(cpu, used)
    return wall, cpu


def stage_shares(parts_files: list[Path], out: Path) -> dict[str, float]:
    """Seconds per stage over the whole corpus, in this process, in pipeline order."""
    from summarizer.chunking import DEFAULT_CHUNK_CHARS, chunk_text
    from summarizer.clean import clean
    from summarizer.engines import PreparedReport
    from summarizer.engines.rules import RulesEngine
    from summarizer.manifest import write_atomic
    from summarizer.pipeline import assemble, hints, run_sync
    from summarizer.render import render_json
    from summarizer.screen import screen
    from summarizer.structure import outline

    # assemble runs merge and validate together (and composes the overview).
    t: dict[str, float] = dict.fromkeys(
        ["read", "clean", "screen", "structure", "engine", "merge+validate", "render", "write"], 0.0
    )
    engine = RulesEngine()

    # CPU time, not wall time: on a shared machine other processes' turns are not our cost.
    def lap(name: str, start: float) -> float:
        now = time.process_time()
        t[name] += now - start
        return now

    for i, f in enumerate(parts_files):
        t0 = time.process_time()
        docs = read_documents(str(f), [])
        t0 = lap("read", t0)
        for k, doc in enumerate(docs):
            c = clean(doc.text)
            t0 = lap("clean", t0)
            s = screen(c)
            t0 = lap("screen", t0)
            o = outline(s.text, title_hint=doc.title_hint, hints=hints(doc))
            chunks = tuple(chunk_text(s.text, o, budget=DEFAULT_CHUNK_CHARS))
            report = PreparedReport(document=doc, clean=s, outline=o, chunks=chunks)
            t0 = lap("structure", t0)
            output = run_sync(engine.summarize(report))
            t0 = lap("engine", t0)
            outcome = assemble(report, engine, output)
            t0 = lap("merge+validate", t0)
            text = render_json(outcome.summary)
            t0 = lap("render", t0)
            write_atomic(out / f"{i}-{k}.json", text)
            lap("write", t0)
    return t


def rotated(text: str, k: int) -> str:
    return text.translate(
        str.maketrans("0123456789", "".join(str((d + k) % 10) for d in range(10)))
    )


def distinct_text(parts: list[str], size_mb: float) -> str:
    """size_mb of different reports concatenated; past the corpus, digit-rotated copies."""
    out: list[str] = []
    total, i = 0, 0
    while total < size_mb * MB:
        text = parts[i % len(parts)]
        k = i // len(parts)
        text = rotated(text, k) if k else text
        out.append(text)
        total += len(text.encode("utf-8")) + 1
        i += 1
    return "\n".join(out)


def main() -> None:
    quick = "--quick" in sys.argv
    # The package's bytecode first, as pip install writes it: every run below then times the
    # work, not the compiling of the package's source (which PYTHONDONTWRITEBYTECODE, set in
    # some shells and CI, would otherwise make each fresh interpreter repeat).
    compileall.compile_dir(ROOT / "summarizer", quiet=1)
    files = corpus_files()
    parts = texts(files)
    mb = utf8_mb(parts)
    print(f"corpus: {len(files)} files, {len(parts)} reports, {mb:.2f} MB of UTF-8 text")
    import summarizer

    build = "compiled (mypyc, setup.py)" if summarizer.COMPILED else "pure Python"
    print(f"build: {build}; every figure below is of this build unless it says otherwise")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = tmp / "in"
        folder.mkdir()
        for f in files:
            (folder / f.name).symlink_to(f)

        # 1 and 6: the corpus as one folder, one process and two.
        base = ["summarize", str(folder), "--engine", "rules", "--format", "json"]
        one = run_cli([*base, "--out-dir", str(tmp / "j1"), "--jobs", "1"])
        two = run_cli([*base, "--out-dir", str(tmp / "j2"), "--jobs", "2"])
        print(
            f"end to end, corpus, --jobs 1: {one['wall']:.2f} s wall, {one['cpu']:.2f} CPU-s; "
            f"{mb / one['cpu']:.2f} MB per CPU-second, {mb / one['wall']:.2f} MB per wall-second"
        )
        if summarizer.COMPILED:  # the same run with every module from source, for the ratio
            pure = run_cli([*base, "--out-dir", str(tmp / "p1"), "--jobs", "1"],
                           SUMMARIZER_PURE_PYTHON="1")  # fmt: skip
            print(
                f"  the same, pure Python: {pure['cpu']:.2f} CPU-s, "
                f"{mb / pure['cpu']:.2f} MB per CPU-second; compiled / pure CPU = "
                f"{one['cpu'] / pure['cpu']:.2f}; outputs byte-identical: {_same(tmp, 'j1', 'p1')}"
            )
        same = _same(tmp, "j1", "j2")
        print(
            f"end to end, corpus, --jobs 2: {two['wall']:.2f} s wall, {two['cpu']:.2f} CPU-s; "
            f"speed-up {one['wall'] / two['wall']:.2f}x wall on {os.cpu_count()} cores "
            f"(load average {os.getloadavg()[0]:.1f}); outputs byte-identical: {same}"
        )

        # 2: stage shares.
        stage_dir = tmp / "stages"
        stage_dir.mkdir()
        t = stage_shares(files, stage_dir)
        total = sum(t.values())
        shares = ", ".join(f"{k} {v / total:.0%}" for k, v in t.items())
        print(f"stage shares of CPU (in-process, {total:.2f} CPU-s, start-up excluded): {shares}")

        # 3 and 4: cost per MB at 1, 4 and 10 MB of distinct text.
        per_mb: dict[float, float] = {}
        for size in (1.0, 4.0) if quick else (1.0, 4.0, 10.0):
            path = tmp / f"big-{size:g}.txt"
            path.write_text(distinct_text(parts, size), encoding="utf-8")
            real = path.stat().st_size / MB
            r = run_cli(["summarize", str(path), "--engine", "rules", "--format", "json",
                         "-o", str(tmp / f"big-{size:g}.json")])  # fmt: skip
            per_mb[size] = r["cpu"] / real
            print(
                f"end to end, one {real:.1f} MB report: {r['cpu']:.2f} CPU-s, "
                f"{per_mb[size]:.2f} CPU-s per MB, peak RSS {r['peak_mb']:.0f} MB "
                f"({r['peak_mb'] / real:.1f}x input)"
            )
        last = max(per_mb)
        print(f"linearity: cost per MB at {last:g} MB / at 1 MB = {per_mb[last] / per_mb[1.0]:.2f}")

        # 5: one small report against a bare interpreter.
        bare, bare_cpu = best_of([sys.executable, "-c", "pass"])
        args = ["summarize", str(SMALL), "--engine", "rules", "--format", "json"]
        # A first run fills the user cache (recache's patterns, the gazetteer's copy) if empty.
        best_of([sys.executable, "-m", "summarizer", *args, "-o", str(tmp / "s.json")], n=1)
        small, small_cpu = best_of(
            [sys.executable, "-m", "summarizer", *args, "-o", str(tmp / "s.json")]
        )
        print(
            f"one small report ({SMALL.stat().st_size / 1024:.0f} KB), best of 3: {small:.3f} s "
            f"wall; bare `python -c pass` {bare:.3f} s; ratio {small / bare:.1f}x "
            f"(CPU: {small_cpu:.3f} s against {bare_cpu:.3f} s, {small_cpu / bare_cpu:.1f}x)"
        )


if __name__ == "__main__":
    main()
