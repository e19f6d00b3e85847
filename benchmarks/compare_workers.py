"""`jusim compare` (the README's main job: every shipped scenario against silo, 270 runs) as a
fresh process, warm (numba's cache filled by a first call), wall and CPU seconds (this process's
children, workers included), alternating between variants so that other work on a shared machine
slows them alike; the load average is printed beside each time.

    python benchmarks/compare_workers.py                      # --workers 1 and 2, 3 rounds
    python benchmarks/compare_workers.py --base /work/wt/base # also a checkout without --workers
    python benchmarks/compare_workers.py --parts 1 2 3        # parts per worker (2 workers)
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SET_PARTS = (
    "import sys; from jusim.analysis import compare_parts as c; "
    "c.PARTS_PER_WORKER = int(sys.argv[1]); from jusim.cli import app; app(sys.argv[2:])"
)


def timed(cmd: list[str], root: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``cmd`` run with ``root`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, capture_output=True, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--base", type=Path, help="a checkout to time as it is (no --workers)")
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--parts", type=int, nargs="*", default=[], help="parts per worker to try")
    ap.add_argument("--parts-workers", type=int, default=2, help="workers for --parts")
    args = ap.parse_args()
    py = sys.executable
    variants: dict[str, tuple[list[str], Path]] = {}
    if args.base is not None:
        variants["base"] = ([py, "-m", "jusim.cli", "compare"], args.base)
    for w in args.workers:
        variants[f"--workers {w}"] = ([py, "-m", "jusim.cli", "compare", "--workers", str(w)], ROOT)
    for k in args.parts:
        w = str(args.parts_workers)
        cmd = [py, "-c", SET_PARTS, str(k), "compare", "--workers", w]
        variants[f"{w} workers, {k} parts each"] = (cmd, ROOT)
    for cmd, root in variants.values():
        timed(cmd, root)  # warm-up: numba's cache, the file cache
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in variants}
    for r in range(args.rounds):
        for name, (cmd, root) in variants.items():
            load = os.getloadavg()[0]
            wall, cpu = timed(cmd, root)
            times[name].append((wall, cpu))
            print(
                f"round {r + 1} {name}: {wall:.1f} s wall, {cpu:.1f} s CPU, load {load:.2f}",
                flush=True,
            )
    print("\n| variant | wall s, median (runs) | CPU s, median |\n|---|---|---|")
    for name, ts in times.items():
        walls = ", ".join(f"{w:.1f}" for w, _ in ts)
        wall = statistics.median(w for w, _ in ts)
        cpu = statistics.median(c for _, c in ts)
        print(f"| {name} | {wall:.1f} ({walls}) | {cpu:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
