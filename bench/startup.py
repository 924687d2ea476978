"""What one small report's run spends before and after its imports (issue 13: a 7 KB report
in at most 15x a bare interpreter). Prints figures only.

Each figure is the best of N fresh interpreters (the machine may be shared: the best is the
least disturbed), with the package's bytecode and the user cache filled as any run after the
first has them:

1. wall and CPU time of `python -m summarizer summarize SMALL --engine rules --format json -o
   FILE` against a bare `python -c pass`;
2. the same run split: its imports (the modules the run loads, imported in one go), and the
   rest (argument parsing, the analysis, writing);
3. every module's own import time (`-X importtime`, "self", the least of the N runs), the
   package's modules summed apart from the rest, the largest listed.

Run: python bench/startup.py [--runs N] [--top K]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "fixtures" / "reports" / "jincheng-2019.txt"

# Times the run's imports and the rest in one interpreter (the modules a run loads, imported
# first, then the command itself).
SPLIT = """
import sys, time
t0 = time.perf_counter()
import summarizer.cli, summarizer.config, summarizer.ingest, summarizer.pipeline
import summarizer.engines.rules, summarizer.render
t1 = time.perf_counter()
sys.argv = ["summarizer", "summarize", *sys.argv[1:]]
try:
    summarizer.cli.main()
except SystemExit:
    pass
print(t1 - t0, time.perf_counter() - t1)
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _timed(cmd: list[str]) -> tuple[float, float, str, str]:
    """(wall, CPU) seconds of one child, and its stdout and stderr."""
    import time

    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run(cmd, env=_env(), cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
    return wall, cpu, r.stdout, r.stderr


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    compileall.compile_dir(ROOT / "summarizer", quiet=1)
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"summarizer-startup-{os.getpid()}.json"
    run = ["summarize", str(SMALL), "--engine", "rules", "--format", "json", "-o", str(out)]
    py = sys.executable
    _timed([py, "-m", "summarizer", *run])  # fills the user cache, as any earlier run has

    bare, small, split = [1e9, 1e9], [1e9, 1e9], [1e9, 1e9]
    selfs: dict[str, int] = defaultdict(lambda: 10**12)
    for _ in range(args.runs):
        for best, cmd in ((bare, [py, "-c", "pass"]), (small, [py, "-m", "summarizer", *run])):
            wall, cpu, _, _ = _timed(cmd)
            best[0], best[1] = min(best[0], wall), min(best[1], cpu)
        _, _, stdout, _ = _timed([py, "-c", SPLIT, *run[1:]])
        imports, rest = map(float, stdout.split())
        split[0], split[1] = min(split[0], imports), min(split[1], rest)
        _, _, _, stderr = _timed([py, "-X", "importtime", "-m", "summarizer", *run])
        for line in stderr.splitlines():
            if line.startswith("import time:") and "self [us]" not in line:
                own, _, name = line.split(":", 1)[1].split("|")
                selfs[name.strip()] = min(selfs[name.strip()], int(own))
    out.unlink(missing_ok=True)

    size = SMALL.stat().st_size / 1024
    print(f"one small report ({SMALL.name}, {size:.0f} KB), best of {args.runs}:")
    print(f"  run  {small[0] * 1e3:6.1f} ms wall, {small[1] * 1e3:6.1f} ms CPU")
    print(f"  bare {bare[0] * 1e3:6.1f} ms wall, {bare[1] * 1e3:6.1f} ms CPU (`python -c pass`)")
    print(f"  ratio {small[0] / bare[0]:.1f}x wall, {small[1] / bare[1]:.1f}x CPU (target 15x)")
    print(f"  of which imports {split[0] * 1e3:.1f} ms, the rest (parse, analyse, write) "
          f"{split[1] * 1e3:.1f} ms")  # fmt: skip
    ours = sum(v for k, v in selfs.items() if k.split(".")[0] == "summarizer")
    print(f"import time, each module's own (-X importtime self, least of {args.runs}): "
          f"{len(selfs)} modules, {sum(selfs.values()) / 1e3:.1f} ms; summarizer.* "
          f"{ours / 1e3:.1f} ms, the rest {(sum(selfs.values()) - ours) / 1e3:.1f} ms")  # fmt: skip
    for name, us in sorted(selfs.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {us / 1e3:6.2f} ms  {name}")


if __name__ == "__main__":
    main()
