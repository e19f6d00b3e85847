"""Code that runs inside worker processes (local or Dask): run a chunk of runs, return plain data.

Each worker keeps the parsed experiment and base scenario in a cache keyed by the experiment
hash, so a task only carries a small context dict and its list of runs. Local workers watch the
process that started them (:func:`watch_parent`) and exit when it is gone.
"""

from __future__ import annotations

import atexit
import os
import select
import signal
import threading
import time
from multiprocessing import util
from typing import Any

import numpy as np

from jusim.metrics import OUTCOME_COLUMNS, SYSTEM_COLUMNS

_CACHE: dict[str, tuple[Any, Any]] = {}

PARENT_POLL = 0.5
"""Seconds between a worker's checks that the process that started it is alive."""


def watch_parent(parent: int, interval: float = PARENT_POLL) -> None:
    """Initializer of local worker processes: exit as soon as ``parent`` (the sweep's process)
    is gone. A parent killed with SIGKILL cannot stop its workers; without this they would run
    on (each with a few hundred MB) and keep the resource tracker alive. A daemon thread waits:

    - a spawned worker is ``parent``'s child; an orphan is adopted by another process, so its
      parent id changes: the thread polls ``os.getppid()``;
    - a worker forked by a forkserver is the server's child, and the server outlives ``parent``
      while any worker lives (each holds the pipe whose end tells it that its clients are gone):
      the thread waits on a pidfd of ``parent`` (Linux), which turns readable when it ends, even
      before its own parent reaps it; elsewhere it polls that ``parent`` still exists.
    """
    if os.getppid() == parent:

        def gone() -> None:
            while os.getppid() == parent:
                time.sleep(interval)

    else:
        try:
            pidfd = os.pidfd_open(parent)
        except (AttributeError, OSError):  # not Linux (or gone already: the poll says so)
            pidfd = None

        def gone() -> None:
            if pidfd is not None:
                select.select([pidfd], [], [])
                return
            while _exists(parent):
                time.sleep(interval)

    def watch() -> None:
        gone()
        os._exit(1)  # nothing to clean up: a chunk counts once its file is written by the parent

    threading.Thread(target=watch, name="jusim-watch-parent", daemon=True).start()


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, someone else's (its id taken again)
        return True
    return True


def start_local_worker(parent: int) -> None:
    """Initializer of a :class:`~jusim.experiment.executors.LocalExecutor`'s workers.

    - Ctrl-C is ignored: a terminal sends it to the whole process group, and only the command
      should act on it, by stopping its workers, rather than each worker printing a traceback.
    - The worker exits when ``parent`` (the command) is gone (:func:`watch_parent`).
    - At its normal end (the pool shut down, or replaced past ``max_tasks_per_child``) a forked
      worker leaves with ``os._exit``, which skips ``atexit``; a spawned one ran it, and a
      background compile it started (``jusim.kernels``) goes on only if it does: run it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_parent(parent)
    if os.getppid() != parent:  # forked by a forkserver
        util.Finalize(None, atexit._run_exitfuncs, exitpriority=0)


def _context(ctx: dict[str, Any]) -> tuple[Any, Any]:
    key = ctx["hash"]
    if key not in _CACHE:
        from jusim.experiment.schema import parse_experiment
        from jusim.scenario import parse_scenario

        exp = parse_experiment(ctx["experiment"], source=ctx["source"])
        base = parse_scenario(ctx["base"], source=ctx["source"])
        _CACHE.clear()
        _CACHE[key] = (exp, base)
    return _CACHE[key]


def run_chunk(ctx: dict[str, Any], runs: list[tuple[int, int, int, int, dict]]) -> dict[str, Any]:
    """Run ``runs`` = [(run_id, point, replication, seed, factor values), ...].

    Returns ``{"run_id": [...], "metrics": {name: [...]}, "outcomes": {...}, "system": {...}}``
    (trajectory tables only when the context asks for them).
    """
    import jusim
    from jusim.experiment.schema import build_scenario

    exp, base = _context(ctx)
    metrics: list[str] = ctx["metrics"]
    keep_traj: bool = ctx["trajectories"]
    out_metrics: dict[str, list[float]] = {m: [] for m in metrics}
    outcomes: dict[str, list] = {}
    system: dict[str, list] = {}
    scenarios, last_point, scenario = [], None, None
    for _run_id, point, _rep, _seed, values in runs:
        if point != last_point:
            scenario = build_scenario(exp, base, values)
            last_point = point
        scenarios.append(scenario)
    results = jusim.run_batch(scenarios, [r[3] for r in runs])  # the chunk is one call
    for (run_id, *_), result in zip(runs, results, strict=True):
        summary = result.summary()
        for m in metrics:
            out_metrics[m].append(float(summary.get(m, np.nan)))
        if keep_traj:
            ot = result.outcome_table()
            outcomes.setdefault("run_id", []).append(np.full(len(ot), run_id, dtype=np.int64))
            outcomes.setdefault("month", []).append(ot["month"].to_numpy(np.int64))
            outcomes.setdefault("outcome", []).append(ot["outcome"].to_numpy(object))
            for c in OUTCOME_COLUMNS:
                outcomes.setdefault(c, []).append(ot[c].to_numpy(float))
            st = result.system_table()
            system.setdefault("run_id", []).append(np.full(len(st), run_id, dtype=np.int64))
            system.setdefault("month", []).append(st["month"].to_numpy(np.int64))
            for c in SYSTEM_COLUMNS:
                system.setdefault(c, []).append(st[c].to_numpy(float))
    return {
        "run_id": [r[0] for r in runs],
        "metrics": out_metrics,
        "outcomes": {k: np.concatenate(v) for k, v in outcomes.items()},
        "system": {k: np.concatenate(v) for k, v in system.items()},
    }


def worker_rss() -> int:
    """Resident memory of this worker process in bytes (for the benchmark)."""
    import psutil

    return int(psutil.Process().memory_info().rss)
