"""A comparison's runs dealt to worker processes in parts that keep runs of one shape together.

A batch steps runs of the same shapes together along a run axis (``jusim.batch``), and the cost
of a run-month falls steeply with the size of that group (docs/performance.md: the default world
30 ms a run at R = 10, 12.5 ms at R = 100 on the shared 2-core machine). So the runs of a
comparison are cut into *parts* along their shape class (horizon and the shapes of the world,
e.g. a central unit adds an agency), arm after arm, and each part is one ``run_batch`` call whose
groups are as large as the part allows. Parts run in ``workers`` processes (the sweeps'
:class:`~jusim.experiment.executors.LocalExecutor`: spawned, exiting with their parent) or in this
process; the largest worlds go first so both cores finish together. Every run is a pure function
of its scenario and seed, so the results are the same, bit for bit, for any parts and workers.
"""

from __future__ import annotations

import itertools
import math
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from jusim.metrics import RunResult
from jusim.scenario import Scenario

RUNS_PER_WORKER = 100
"""By default a comparison gets one more worker process only for this many runs. A worker must
save more time than it adds: starting one (spawning it, importing jusim) took 1.6 s CPU on the
shared 2-core machine under load, a run about 17 ms (30 silo runs in one batch), so two workers
pay from about 2 x 1.6 s / 17 ms = 190 runs; with fewer the parent's own start-up comes first."""

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

    return run_batch(scenarios, seeds, chunk=max(1, len(seeds)))


def run_parts(
    every: Sequence[Scenario],
    seeds: Sequence[int | np.random.SeedSequence],
    runs_per_arm: int,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[RunResult]:
    """The result of run ``i`` (``every[i]`` on ``seeds[i]``) at position ``i``; ``progress(n)``
    as each part of n runs finishes. ``workers``: processes (default :func:`default_workers`;
    1 = this process). Ctrl-C stops the workers before the KeyboardInterrupt goes on."""
    workers = default_workers(len(every)) if workers is None else max(1, int(workers))
    parts = plan_parts(every, runs_per_arm, workers)
    tasks = [([every[i] for i in part], [seeds[i] for i in part]) for part in parts]
    results: list[RunResult | None] = [None] * len(every)
    if workers == 1 or len(parts) == 1:
        for part, (scenarios, part_seeds) in zip(parts, tasks, strict=True):
            _store(results, part, run_part(scenarios, part_seeds), progress)
        return results  # type: ignore[return-value]
    from jusim.experiment.executors import LocalExecutor

    executor = LocalExecutor(min(workers, len(parts)))
    finished = False
    try:
        with _workers_ignore_ctrl_c():
            futures = {
                executor.submit(run_part, *task): part
                for part, task in zip(parts, tasks, strict=True)
            }
        for future in executor.as_completed(futures):
            _store(results, futures[future], future.result(), progress)
        finished = True
    finally:
        executor.shutdown(cancel=not finished)
    return results  # type: ignore[return-value]


@contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Ctrl-C ignored while the workers start (``submit`` starts them), so they inherit that
    (spawned processes keep an ignored signal, and Python then installs no KeyboardInterrupt):
    a terminal sends Ctrl-C to the whole group, and only this process should act on it, by
    stopping the workers, rather than each worker printing its own traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; it receives Ctrl-C anyway
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


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
