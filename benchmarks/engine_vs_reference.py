"""Time the engine against the frozen reference (``reference_engine.py``), side by side.

The two are run alternately, seed by seed, in one process, so that other work on a shared machine
slows both alike; the ratio of their medians is the figure to read. Times are the process's
CPU time per run (``time.process_time``), which other work on the machine inflates less than
wall time. Each pair of runs is also
checked for identical tables (the docking test does this thoroughly).

Usage::

    python benchmarks/engine_vs_reference.py                 # default world, 40 seeds
    python benchmarks/engine_vs_reference.py --runs 20 --scenario silo rough_sleepers_unit
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference_engine

import jusim


def timed(fn, *args) -> tuple[float, object]:
    """CPU seconds of this process for ``fn(*args)`` (less inflated than wall time when other
    work shares the cores), and its result."""
    t0 = time.process_time()
    out = fn(*args)
    return time.process_time() - t0, out


def side_by_side(scenario: jusim.Scenario, runs: int) -> dict[str, np.ndarray]:
    """Seconds per run of each engine over ``runs`` seeds, alternating which goes first."""
    jusim.run(scenario, 10_000)  # warm up (compile or load the kernels)
    reference_engine.run(scenario, 10_000)
    new, ref = np.zeros(runs), np.zeros(runs)
    for k in range(runs):
        if k % 2:
            new[k], a = timed(jusim.run, scenario, k)
            ref[k], b = timed(reference_engine.run, scenario, k)
        else:
            ref[k], b = timed(reference_engine.run, scenario, k)
            new[k], a = timed(jusim.run, scenario, k)
        assert np.array_equal(a.series["need"], b.series["need"]), f"seed {k}: tables differ"
    return {"new": new, "reference": ref}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scenario", nargs="+", default=["default_world"])
    ap.add_argument("--runs", type=int, default=40)
    args = ap.parse_args(argv)
    print(
        f"{args.runs} runs each, alternating; CPU ms per run, median (IQR); load average "
        f"{os.getloadavg()[0]:.2f} at start on {os.cpu_count()} cores\n"
    )
    print("| scenario | reference (ms) | engine (ms) | engine / reference |")
    print("|---|---|---|---|")
    for name in args.scenario:
        t = side_by_side(jusim.load_scenario(name), args.runs)
        cells = []
        for k in ("reference", "new"):
            lo, med, hi = np.percentile(t[k], [25, 50, 75]) * 1e3
            cells.append(f"{med:.1f} ({lo:.1f}-{hi:.1f})")
        ratio = float(np.median(t["new"]) / np.median(t["reference"]))
        print(f"| {name} | {cells[0]} | {cells[1]} | {ratio:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
