"""Sweep throughput and worker memory for the default world (summary metrics only).

    python benchmarks/sweep_throughput.py [--runs 400] [--memory-runs 2000]
    python benchmarks/sweep_throughput.py --command --tree /work/wt/base --tree . [--rounds 3]

1. Throughput (runs/s) with 1 and 2 local worker processes. Workers are started and warmed up
   (imports, first run) before timing, so the figure is the steady rate of a long sweep.
   Targets: >= 1.8x from 1 to 2 workers; >= 40 runs/s on 2 cores.
2. Memory: resident set size (RSS) of each worker sampled while 2 workers run ``--memory-runs``
   runs, with worker recycling switched off, so any leak would show as growth.

``--command``: instead, the whole ``jusim sweep --workers 2`` of ``--runs`` runs as a fresh
process, start-up included (warm numba cache), wall and CPU seconds of it and every process it
starts (``process_tree.py``), the ``--tree`` checkouts taking turns; runs/s = runs / wall.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from process_tree import timed

from jusim.experiment.executors import LocalExecutor
from jusim.experiment.runner import plan_sweep, run_sweep

EXPERIMENT = """
name = "bench"
base = "default_world"
seed = 1
replications = {reps}
metrics = "all"

[design]
kind = "grid"
levels = 2

[factors.churn_scale]
kind = "uncertainty"
path = "context.churn_scale"
range = [0.9, 1.1]
"""


def _warm(_: int) -> int:
    import jusim

    jusim.run("default_world", seed=0)
    return os.getpid()


def make_plan(folder: Path, runs: int):
    file = folder / "bench.toml"
    file.write_text(EXPERIMENT.format(reps=max(1, runs // 2)))
    return plan_sweep(file)


def _worker_cpu(ex: LocalExecutor) -> float:
    """CPU seconds (user + system) used so far by the pool's worker processes."""
    total = 0.0
    for pid in list((ex.pool._processes or {}).keys()):
        with contextlib.suppress(psutil.Error):
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system
    return total


def timed_sweep(workers: int, runs: int, max_tasks_per_child: int | None = 200, sample=None):
    """(wall-clock runs/s, runs per worker CPU second, runs) of one sweep."""
    with tempfile.TemporaryDirectory() as tmp:
        plan = make_plan(Path(tmp), runs)
        ex = LocalExecutor(workers, max_tasks_per_child=max_tasks_per_child)
        try:
            # start and warm every worker before timing
            list(ex.pool.map(_warm, range(workers * 2)))
            stop = threading.Event()
            thread = None
            if sample is not None:
                thread = threading.Thread(target=sample, args=(ex, stop), daemon=True)
                thread.start()
            cpu0 = _worker_cpu(ex)
            t0 = time.perf_counter()
            report = run_sweep(plan, Path(tmp) / "out", ex)
            elapsed = time.perf_counter() - t0
            cpu = _worker_cpu(ex) - cpu0
            stop.set()
            if thread is not None:
                thread.join()
        finally:
            ex.shutdown()
        assert report.complete, report
        return plan.total_runs / elapsed, plan.total_runs / max(cpu, 1e-9), plan.total_runs


def timed_commands(trees: list[Path], runs: int, rounds: int) -> None:
    """``jusim sweep --workers 2`` of ``runs`` runs in each tree, taking turns ``rounds`` times."""
    code = "import sys; from jusim.cli import app; sys.argv[0] = 'jusim'; app()"
    times: dict[Path, list[tuple[float, float]]] = {t: [] for t in trees}
    with tempfile.TemporaryDirectory() as tmp:
        exp = Path(tmp) / "bench.toml"
        exp.write_text(EXPERIMENT.format(reps=max(1, runs // 2)))
        for r in range(rounds + 1):  # round 0 warms up the file cache
            for tree in trees:
                out = Path(tmp) / f"out-{r}-{len(times[tree])}-{abs(hash(tree))}"
                cmd = [sys.executable, "-c", code, "sweep", str(exp), "--workers", "2"]
                load = os.getloadavg()[0]
                wall, cpu = timed(
                    [*cmd, "--out", str(out)],
                    env={**os.environ, "PYTHONPATH": str(tree)},
                    cwd=tmp,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                if r:
                    times[tree].append((wall, cpu))
                    print(
                        f"round {r} {tree}: {wall:.1f} s wall ({runs / wall:.1f} runs/s), "
                        f"{cpu:.1f} s CPU, load {load:.2f}",
                        flush=True,
                    )
    for tree, ts in times.items():
        wall = statistics.median(w for w, _ in ts)
        cpu = statistics.median(c for _, c in ts)
        print(f"{tree}: median {wall:.1f} s wall ({runs / wall:.1f} runs/s), {cpu:.1f} s CPU")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=400)
    ap.add_argument("--memory-runs", type=int, default=2000)
    ap.add_argument("--command", action="store_true", help="time whole `jusim sweep` commands")
    ap.add_argument("--tree", action="append", type=Path, default=[], help="with --command")
    ap.add_argument("--rounds", type=int, default=3, help="with --command")
    args = ap.parse_args()
    if args.command:
        trees = [t.resolve() for t in args.tree] or [Path(__file__).resolve().parents[1]]
        timed_commands(trees, args.runs, args.rounds)
        return
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.2f}")
    rates = {}
    for w in (1, 2):
        rate, per_cpu, n = timed_sweep(w, args.runs)
        rates[w] = rate
        print(
            f"{w} worker(s): {n} runs, {rate:.1f} runs/s wall clock, "
            f"{per_cpu:.1f} runs per worker CPU second"
        )
    print(f"speed-up 1 -> 2 workers: {rates[2] / rates[1]:.2f}x")
    print(f"load average after: {os.getloadavg()[0]:.2f} (other processes compete for the cores)")

    samples: list[tuple[float, dict[int, int]]] = []

    def sample(ex: LocalExecutor, stop: threading.Event) -> None:
        t0 = time.perf_counter()
        while not stop.is_set():
            rss = {}
            for pid in list((ex.pool._processes or {}).keys()):
                with contextlib.suppress(psutil.Error):
                    rss[pid] = psutil.Process(pid).memory_info().rss
            samples.append((time.perf_counter() - t0, rss))
            stop.wait(0.5)

    rate, _, n = timed_sweep(2, args.memory_runs, max_tasks_per_child=None, sample=sample)
    pids = sorted({pid for _, rss in samples for pid in rss})
    print(f"memory: {n} runs on 2 workers ({rate:.1f} runs/s), no worker recycling")
    for pid in pids:
        series = [rss[pid] / 2**20 for _, rss in samples if pid in rss]
        k = max(1, len(series) // 10)
        first, last = sum(series[:k]) / k, sum(series[-k:]) / k
        print(
            f"  worker {pid}: RSS first 10% {first:.0f} MiB, last 10% {last:.0f} MiB, "
            f"max {max(series):.0f} MiB ({len(series)} samples)"
        )


if __name__ == "__main__":
    main()
