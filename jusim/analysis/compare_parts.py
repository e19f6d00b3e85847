"""A comparison's runs dealt to worker processes in parts that keep runs of one shape together.

A batch steps runs of the same shapes together along a run axis (``jusim.batch``), and the cost
of a run-month falls steeply with the size of that group (docs/performance.md: the default world
30 ms a run at R = 10, 12.5 ms at R = 100 on the shared 2-core machine). So the runs of a
comparison are cut into *parts* along their shape class (horizon and the shapes of the world,
e.g. a central unit adds an agency), arm after arm, and each part is one ``run_batch`` call whose
groups are as large as the part allows. Parts run in ``workers`` processes (the sweeps'
:class:`~jusim.experiment.executors.LocalExecutor`: forked from a server that has loaded jusim,
exiting with their parent) or in this process; the largest worlds go first so both cores finish
together. Every run is a pure function of its scenario and seed, so the results are the same, bit
for bit, for any parts and workers.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from jusim.metrics import RunResult
from jusim.scenario import Scenario

RUNS_PER_WORKER = 100
"""By default a comparison gets one more worker process only for this many runs. Workers must save
more time than they add: the forkserver that forks them imports jusim and loads the compiled
loops once (:mod:`jusim.experiment.preload`: 2.4-3.2 s CPU on the shared 2-core machine under
load, session 28; each spawned worker used to pay 1.6 s and then load the loops itself) while
this process waits. The README's main job (270 runs) then took 14.9 s CPU on 2 workers (median
of 3, load 9-12) and 13.5-13.7 s in this process alone (other rounds of the same half hour), so
two workers cost about 1.2 s more CPU and halve the time of the runs (17 ms each, 30 silo runs
in one batch): on an idle machine they pay well below 200 runs; the threshold was kept."""

PARTS_PER_WORKER = 3
"""Parts per worker, and :data:`MIN_PARTS` in all: fewer parts make larger groups along the run
axis, more give more progress ticks and let the cores finish together. With 1 to 5 parts per
worker the README's main job (270 runs) took the same CPU time within the noise, in this process
(14.7-16.1 s, against 22-27 s for chunks of 54 in arm order) and with 2 workers (26.3-28.9 s);
``benchmarks/compare_workers.py --parts``."""

MIN_PARTS = 6
"""At least this many parts, so a comparison in one process still ticks a few times."""


def default_workers(runs: int) -> int:
    """One worker per core, as long as each gets :data:`RUNS_PER_WORKER` runs (1: this process)."""
    return max(1, min(os.cpu_count() or 1, runs // RUNS_PER_WORKER))


def shape_class(scenario: Scenario) -> tuple[Any, ...]:
    """The horizon and the world's array shapes: runs of one class can step as one group."""
    from jusim.world import build_world

    world = build_world(scenario)
    shapes = tuple(
        (name, value.shape) for name, value in vars(world).items() if isinstance(value, np.ndarray)
    )
    return (scenario.horizon, shapes)


def plan_parts(
    every: Sequence[Scenario], runs_per_arm: int, workers: int, per_worker: int | None = None
) -> list[list[int]]:
    """The run indices of each part, largest worlds first. ``every`` holds the arms one after
    the other, ``runs_per_arm`` runs each; the arms are ordered by shape class (the larger
    world first, then as given) and cut in that order into ``workers * per_worker`` (at least
    :data:`MIN_PARTS`) parts of equal size, give or take a run: a part holds the runs of one or a
    few shape classes, arm after arm."""
    arms = [list(range(i, i + runs_per_arm)) for i in range(0, len(every), runs_per_arm)]
    classes: dict[tuple[Any, ...], list[list[int]]] = {}
    for arm in arms:
        classes.setdefault(shape_class(every[arm[0]]), []).append(arm)
    order = sorted(classes, key=lambda c: -sum(math.prod(s) for _, s in c[1]))
    runs = [i for c in order for arm in classes[c] for i in arm]
    n = max(1, min(len(runs), max(MIN_PARTS, workers * (per_worker or PARTS_PER_WORKER))))
    cuts = [len(runs) * k // n for k in range(n + 1)]  # sizes differ by one run at most
    return [runs[a:b] for a, b in itertools.pairwise(cuts)]


def run_part(scenarios: list[Scenario], seeds: list[Any]) -> list[RunResult]:
    """One part, in a worker or here: one batch, so each shape class steps as one group."""
    from jusim import run_batch

    try:
        return run_batch(scenarios, seeds, chunk=max(1, len(seeds)))
    except SystemError as e:
        if _ctrl_c_in(e):
            raise KeyboardInterrupt from e
        raise


def _ctrl_c_in(error: BaseException | None) -> bool:
    """Whether ``error`` comes from Ctrl-C: numba turns a KeyboardInterrupt raised while a
    compiled loop runs (or loads) into a SystemError caused by it, which the command would report
    as an internal error rather than stop quietly (exit code 130)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, KeyboardInterrupt):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def run_parts(
    every: Sequence[Scenario],
    seeds: Sequence[int | np.random.SeedSequence],
    runs_per_arm: int,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[RunResult]:
    """The result of run ``i`` (``every[i]`` on ``seeds[i]``) at position ``i``; ``progress(n)``
    as each part of n runs finishes. ``workers``: processes (default :func:`default_workers`;
    1 = this process). ``meanwhile()``: work for this process while the workers run (e.g.
    importing what the analysis after the runs needs); called in any case. Ctrl-C stops the
    workers (they ignore it themselves) before the KeyboardInterrupt goes on."""
    workers = default_workers(len(every)) if workers is None else max(1, int(workers))
    if workers > 1:
        from jusim.experiment.executors import start_worker_server

        start_worker_server()  # it loads jusim while the parts are planned here
    parts = plan_parts(every, runs_per_arm, workers)
    tasks = [([every[i] for i in part], [seeds[i] for i in part]) for part in parts]
    results: list[RunResult | None] = [None] * len(every)
    if workers == 1 or len(parts) == 1:
        for part, (scenarios, part_seeds) in zip(parts, tasks, strict=True):
            _store(results, part, run_part(scenarios, part_seeds), progress)
        if meanwhile is not None:
            meanwhile()
        return results  # type: ignore[return-value]
    from jusim.experiment.executors import LocalExecutor

    executor = LocalExecutor(min(workers, len(parts)))
    finished = False
    try:
        futures = {
            executor.submit(run_part, *task): part for part, task in zip(parts, tasks, strict=True)
        }
        if meanwhile is not None:
            meanwhile()
        for future in executor.as_completed(futures):
            _store(results, futures[future], future.result(), progress)
        finished = True
    finally:
        executor.shutdown(cancel=not finished)
    return results  # type: ignore[return-value]


def _store(
    results: list[RunResult | None],
    part: list[int],
    done: list[RunResult],
    progress: Callable[[int], None] | None,
) -> None:
    for i, result in zip(part, done, strict=True):
        results[i] = result
    if progress is not None:
        progress(len(part))
