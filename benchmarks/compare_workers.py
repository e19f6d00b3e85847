"""`jusim compare` (the README's main job: every shipped scenario against silo, 270 runs) as a
fresh process, warm (numba's cache filled by a first call) or ``--cold`` (an empty cache each
time), wall and CPU seconds (the command and every process it starts, its forkserver and workers
included: ``process_tree.py``), alternating between variants so that other work on a shared
machine slows them alike; the load average is printed beside each time.

    python benchmarks/compare_workers.py                      # --workers 1 and 2, 3 rounds
    python benchmarks/compare_workers.py --base /work/wt/base # also a checkout as it is
    python benchmarks/compare_workers.py --parts 1 2 3        # parts per worker (2 workers)
    python benchmarks/compare_workers.py --cold               # numba's cache empty each time

Cold, the background compile a run starts is stopped once the run is over (it would slow the
next), and the CPU time then counts what it did until then: compare cold runs by wall time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path
from subprocess import DEVNULL

from process_tree import timed as timed_tree

ROOT = Path(__file__).resolve().parents[1]
SET_PARTS = (
    "import sys; from jusim.analysis import compare_parts as c; "
    "c.PARTS_PER_WORKER = int(sys.argv[1]); from jusim.cli import app; app(sys.argv[2:])"
)


def timed(cmd: list[str], root: Path, cold: bool = False) -> tuple[float, float]:
    """Wall and CPU seconds of ``cmd`` run with ``root`` first on the path (``cold``: with an
    empty numba cache)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    with tempfile.TemporaryDirectory() as cache:
        if cold:
            env["NUMBA_CACHE_DIR"] = cache
        return timed_tree(
            cmd, linger=0.0 if cold else 10.0, env=env, stdout=DEVNULL, stderr=DEVNULL, cwd=cache
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--base", type=Path, help="a checkout to time as it is (no --workers)")
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--parts", type=int, nargs="*", default=[], help="parts per worker to try")
    ap.add_argument("--parts-workers", type=int, default=2, help="workers for --parts")
    ap.add_argument("--cold", action="store_true", help="an empty numba cache for every run")
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
        timed(cmd, root)  # warm-up: numba's cache (the default one), the file cache
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in variants}
    for r in range(args.rounds):
        for name, (cmd, root) in variants.items():
            load = os.getloadavg()[0]
            wall, cpu = timed(cmd, root, args.cold)
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
