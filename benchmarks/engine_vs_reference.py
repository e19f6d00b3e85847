"""Time the engine against the frozen reference (``reference_engine.py``), side by side.

The two are run alternately, seed by seed, in one process, so that other work on a shared machine
slows both alike; the ratio of their medians is the figure to read. Times are the process's
CPU time per run (``time.process_time``), which other work on the machine inflates less than
wall time. Each pair of runs is also
checked for identical tables (the docking test does this thoroughly).

Usage::

    python benchmarks/engine_vs_reference.py                 # default world, 40 seeds
    python benchmarks/engine_vs_reference.py --runs 100 --scenario rough_sleepers_unit
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
    ap.add_argument("--scenario", default="default_world")
    ap.add_argument("--runs", type=int, default=40)
    args = ap.parse_args(argv)
    load = os.getloadavg()[0]
    t = side_by_side(jusim.load_scenario(args.scenario), args.runs)
    med = {k: float(np.median(v)) * 1e3 for k, v in t.items()}
    q = {k: np.percentile(v, [25, 75]) * 1e3 for k, v in t.items()}
    print(f"{args.scenario}, {args.runs} runs each, load average {load:.2f} at start")
    for k in ("reference", "new"):
        print(f"  {k:9s} median {med[k]:7.2f} ms  (IQR {q[k][0]:.2f}-{q[k][1]:.2f})")
    ratio = np.median(t["new"] / t["reference"])
    print(
        f"  new / reference: {med['new'] / med['reference']:.3f} (median of per-seed ratios "
        f"{ratio:.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
