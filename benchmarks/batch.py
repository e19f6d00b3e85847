"""Many runs of one world: ``jusim.run_batch`` runs/s, ``jusim sweep`` runs/s, the README's job.

Measures, in CPU seconds of this process (``time.process_time``) or of the child process (the
machine is shared, so wall time mostly measures the other users; the load average is printed):

1. ``jusim.run_batch`` on the default world for R = 1, 10, 100 and 1,000 runs, every run with its
   own seed and its own parameter draw (``context.churn_scale`` and ``parameters.trust.gain``
   drawn uniformly within +-20% of the world's values); the time to build and validate the R
   scenarios is shown apart from the time to step them. For R <= 100 the same runs are also made
   one at a time with ``jusim.run`` (the ratio shows what the batch saves; 1.0 = nothing).
   Target (issue 20): 1,000 runs in <= 1.5 s of one core.
2. ``jusim sweep`` in this process (``workers=0``): a 2-level grid of ``context.churn_scale`` on
   the default world, runs/s of CPU (target: >= 400 runs/s on 2 cores, i.e. >= 200 on one).
3. The README's main job, ``jusim compare`` with no arguments (270 runs), as a fresh process
   after a warm-up (numba's cache compiled): CPU seconds of the child (target <= 3 s warm).

Usage::

    python benchmarks/batch.py            # R up to 1,000 (about a minute of CPU per 1,000 runs)
    python benchmarks/batch.py --quick    # R up to 100, 40 sweep runs, no compare
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import jusim
from jusim.batch import scenarios_for

WORLD = "default_world"


def draws(runs: int, seed: int = 0) -> dict[str, np.ndarray]:
    world = jusim.load_scenario(WORLD)
    rng = np.random.default_rng(seed)
    churn, gain = world.context.churn_scale, world.parameters.trust.gain
    return {
        "context.churn_scale": churn * rng.uniform(0.8, 1.2, runs),
        "parameters.trust.gain": gain * rng.uniform(0.8, 1.2, runs),
    }


def batch_row(runs: int, alone: bool) -> dict[str, float]:
    params, seeds = draws(runs), list(range(runs))
    t0 = time.process_time()
    scenarios = scenarios_for(WORLD, runs, params)
    t1 = time.process_time()
    results = jusim.run_batch(scenarios, seeds)
    t2 = time.process_time()
    row = {"runs": runs, "build": t1 - t0, "step": t2 - t1}
    if alone:
        t3 = time.process_time()
        singles = [jusim.run(s, seed) for s, seed in zip(scenarios, seeds, strict=True)]
        row["alone"] = time.process_time() - t3
        same = all(
            np.array_equal(a["need"], b["need"]) for a, b in zip(results, singles, strict=True)
        )
        assert same, "a batch run differs from the same run alone"
    return row


def sweep_rate(runs: int) -> float:
    from sweep_throughput import make_plan

    from jusim.experiment.executors import make_executor
    from jusim.experiment.runner import run_sweep

    with tempfile.TemporaryDirectory() as tmp:
        plan = make_plan(Path(tmp), runs)  # the sweep of sweep_throughput.py
        executor = make_executor(0, None)
        try:
            t0 = time.process_time()
            report = run_sweep(plan, Path(tmp) / "out", executor)
            cpu = time.process_time() - t0
        finally:
            executor.shutdown()
    return report.done / cpu


def compare_cpu() -> tuple[float, float]:
    """CPU and wall seconds of ``jusim compare`` (no arguments) in a fresh process."""
    cmd = [sys.executable, "-m", "jusim.cli", "compare"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm-up: numba's cache
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, capture_output=True, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    jusim.run(WORLD, 0)  # warm-up: imports and compiled kernels
    print(f"load average at start {os.getloadavg()[0]:.2f} (2 cores, shared); CPU seconds\n")
    print(
        "| runs R | build R scenarios (s) | step R runs (s) | runs/s (step) | CPU ms/run |"
        " one at a time (s) | batch / one at a time |"
    )
    print("|---|---|---|---|---|---|---|")
    for runs in (1, 10, 100) if args.quick else (1, 10, 100, 1000):
        row = batch_row(runs, alone=runs <= 100)
        total = row["build"] + row["step"]
        alone = f"{row['alone']:.2f} | {total / row['alone']:.2f}" if "alone" in row else "- | -"
        print(
            f"| {runs} | {row['build']:.3f} | {row['step']:.2f} | {runs / row['step']:.1f} | "
            f"{total / runs * 1e3:.1f} | {alone} |"
        )
    rate = sweep_rate(40 if args.quick else 200)
    print(f"\n`jusim sweep`, one process (workers=0): {rate:.1f} runs per CPU second")
    if not args.quick:
        cpu, wall = compare_cpu()
        print(
            f"`jusim compare` (README's main job, 270 runs), warm: {cpu:.1f} s CPU, {wall:.1f} s wall"
        )
    print(f"load average at end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
