"""Issue 20's figures side by side in one run, each with the machine's load (a benchmark, not a test).

1. One run of the default world, 60 months: the engine against the frozen reference
   (``engine_vs_reference.side_by_side``), CPU ms per run, median; target <= 3 ms.
2. ``jusim.run_batch``: R = 1, 10, 100, 1,000 default-world runs, each with its own seed and its
   own parameter draw (``batch.batch_row``); target 1,000 runs in <= 1.5 s of one core.
3. ``jusim sweep`` in one process, runs per CPU second (target >= 200 a core, 400 on 2 cores).
4. The README's main job, ``jusim compare``: warm (numba's cache present) and cold (an empty
   ``NUMBA_CACHE_DIR``, as on a fresh install), wall and CPU seconds, median of 3 fresh processes
   each; targets <= 3 s and <= 10 s.
5. Scale (``scale.py``, a fresh process each): 1,000,000 staff, and 10, 100, 1,000 agencies,
   with peak memory; target 1M staff x 60 months <= 10 s.

Usage::

    python benchmarks/month_engine.py [--quick] [--write]   # --write: docs/performance.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import batch as batch_bench  # noqa: E402
import engine_vs_reference  # noqa: E402
import process_tree  # noqa: E402

import jusim  # noqa: E402

SECTION = "## Month engine, all figures side by side (issue 20)"


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def compare(cold: bool, repeats: int = 3) -> list[tuple[float, float]]:
    """(CPU, wall) seconds of ``jusim compare`` in a fresh process, ``repeats`` times; cold: an
    empty ``NUMBA_CACHE_DIR`` each time, as on a fresh install (the command then runs the numpy
    rules while a background process compiles the loops: ``jusim/kernels.py``); warm: after a
    first command and its background compile have filled the cache. Each measurement waits for
    any background compile to end, so that it does not run beside the next."""
    cmd = [sys.executable, "-m", "jusim.cli", "compare"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = []
    with tempfile.TemporaryDirectory() as warm:
        if not cold:
            env["NUMBA_CACHE_DIR"] = warm
            subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm the cache
            _wait_for_compile(env)
        for _ in range(repeats):
            with tempfile.TemporaryDirectory() as empty:
                if cold:
                    env["NUMBA_CACHE_DIR"] = empty
                quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
                if cold:  # CPU not counted: it would take in part of the background compile
                    t0 = time.perf_counter()
                    subprocess.run(cmd, env=env, check=True, **quiet)
                    cpu, wall = float("nan"), time.perf_counter() - t0
                else:  # the command and its forkserver's workers (process_tree.py)
                    wall, cpu = process_tree.timed(cmd, env=env, **quiet)
                _wait_for_compile(env)
            out.append((cpu, wall))
    return out


def _wait_for_compile(env: dict[str, str], limit: float = 300.0) -> None:
    """Wait (at most ``limit`` s) while a background compile for this cache is under way."""
    from jusim import kernels

    saved = os.environ.get("NUMBA_CACHE_DIR")
    os.environ["NUMBA_CACHE_DIR"] = env["NUMBA_CACHE_DIR"]
    try:
        lock = kernels._lock()
    finally:
        if saved is None:
            os.environ.pop("NUMBA_CACHE_DIR")
        else:
            os.environ["NUMBA_CACHE_DIR"] = saved
    t0 = time.perf_counter()
    while lock.exists() and time.perf_counter() - t0 < limit:
        time.sleep(0.5)


def scale(kind: str, size: int) -> dict:
    out = subprocess.run(
        [sys.executable, str(HERE / "scale.py"), "--one", kind, str(size)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs; no 1,000-run batch")
    ap.add_argument("--write", action="store_true", help="replace the section in performance.md")
    args = ap.parse_args()
    lines = [
        SECTION,
        "",
        f"Measured {dt.date.today()} by `python benchmarks/month_engine.py`, on {os.cpu_count()} "
        "cores; CPU seconds of the process unless said (wall time mostly measures other users of "
        "a shared machine); *load* is the 1-minute load average when the row was measured.",
        "",
        "| figure | target | measured | load |",
        "|---|---|---|---|",
    ]

    def row(what: str, target: str, value: str, at: str) -> None:
        lines.append(f"| {what} | {target} | {value} | {at} |")
        print(lines[-1], flush=True)

    world = jusim.load_scenario("default_world")
    at = load()
    t = engine_vs_reference.side_by_side(world, 10 if args.quick else 30)
    new, ref = (float(np.median(t[k]) * 1e3) for k in ("new", "reference"))
    row("one default-world run, 60 months (CPU ms, median)", "<= 3", f"{new:.1f}", at)
    row("the same run, frozen reference engine (CPU ms)", "-", f"{ref:.1f}", at)
    for runs in (10, 100) if args.quick else (10, 100, 1000):
        at = load()
        r = batch_bench.batch_row(runs, alone=False)
        total = r["build"] + r["step"]
        row(
            f"run_batch, {runs:,} runs with {runs:,} parameter draws (CPU s)",
            "<= 1.5 at 1,000",
            f"{total:.2f} ({total / runs * 1e3:.1f} ms a run)",
            at,
        )
    at = load()
    rate = batch_bench.sweep_rate(40 if args.quick else 200)
    row("`jusim sweep`, runs per CPU second (one process)", ">= 200 a core", f"{rate:.0f}", at)
    if not args.quick:
        for cold in (False, True):
            at = load()
            times = compare(cold)
            cpu = float(np.median([t[0] for t in times]))
            wall = float(np.median([t[1] for t in times]))
            each = ", ".join(f"{t[1]:.1f}" for t in times)
            row(
                f"`jusim compare` (README's main job, 270 runs), {'cold' if cold else 'warm'}",
                "<= 10 s wall" if cold else "<= 3 s wall",
                f"{wall:.1f} s wall ({each})"
                + ("" if cold else f", {cpu:.1f} s CPU with the workers")
                + f", median of {len(times)}",
                at,
            )
        sizes = [("staff", 1_000_000), ("agencies", 10), ("agencies", 100), ("agencies", 1000)]
        for kind, size in sizes:
            at = load()
            r = scale(kind, size)
            row(
                f"one run, {r['staff']:,} staff, {r['agencies']} agencies, 60 months",
                "<= 10 s" if kind == "staff" else "about linear",
                f"{r['cpu_s']:.2f} s CPU, {r['wall_s']:.2f} s wall, peak {r['peak_mb']:.0f} MB",
                at,
            )
    if args.write:
        path = ROOT / "docs" / "performance.md"
        text = path.read_text()
        block = "\n".join(lines) + "\n"
        pattern = re.compile(re.escape(SECTION) + r".*?(?=\n## |\Z)", re.S)
        text = pattern.sub(block.rstrip("\n"), text) if SECTION in text else text + "\n" + block
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
