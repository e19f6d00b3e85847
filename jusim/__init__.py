"""jusim: an agent-based simulation of joined-up government.

Public API::

    import jusim
    result = jusim.run("rough_sleepers_unit", seed=1)      # RunResult
    jusim.evaluate("silo", seed=1, context__churn_scale=2.0)  # {"attainment__rough_sleeping": ...}
    jusim.run_batch("silo", seeds=range(100), params={"context.churn_scale": scales})  # 100 runs
    table = jusim.compare(["silo", "rough_sleepers_unit"], replications=30).table
    jusim.explain("rough_sleepers_unit", replications=10).table()  # why: mechanism groups
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from jusim.interventions import REGISTRY
from jusim.metrics import RunResult
from jusim.scenario import Scenario, ScenarioError, load_scenario

try:
    __version__ = version("jusim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+src"


def as_scenario(scenario: Scenario | str | Path) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def run(scenario: Scenario | str | Path, seed: int | np.random.SeedSequence = 0) -> RunResult:
    """Run one scenario (object, file path or shipped name) to its horizon: a batch of one."""
    return run_batch(scenario, [seed])[0]


def run_batch(
    scenario: Scenario | str | Path | Sequence[Scenario | str | Path],
    seeds: Sequence[int | np.random.SeedSequence],
    params: Mapping[str, Any] | None = None,
    chunk: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[RunResult]:
    """R = ``len(seeds)`` runs of one world in one call, one ``RunResult`` per run; a
    parameter may have one value per run (``params={"context.churn_scale": array_of_R}``). Run
    ``r`` equals ``jusim.run`` of its scenario and seed whatever the batch; see ``jusim.batch``."""
    from jusim.batch import CHUNK
    from jusim.batch import run_batch as _run_batch

    return _run_batch(scenario, seeds, params, chunk or CHUNK, progress)


def sweep(
    experiment: str | Path,
    out: str | Path,
    workers: int | None = None,
    scheduler: str | None = None,
):
    """Run (or resume) an experiment file's sweep into the result store ``out``.

    ``workers`` local processes (default: the machine's cores; 0 = this process), or a Dask
    scheduler address. Returns the sweep report; query the store with ``jusim results`` or DuckDB.
    """
    from jusim.experiment.executors import make_executor
    from jusim.experiment.runner import plan_sweep, run_sweep

    executor = make_executor(workers, scheduler)
    report = None
    try:
        report = run_sweep(plan_sweep(experiment), out, executor)
        return report
    finally:
        executor.shutdown(cancel=report is None or not report.complete)


def evaluate(base: Scenario | str | Path, seed: int | np.random.SeedSequence = 0, **params):
    """Run ``base`` with named parameters (override paths, ``.`` or ``__``); the summary metrics
    with identifier-safe names. ``replications=``, ``ensemble=`` (default ``"none"``), ``draws=``
    and ``distribution=`` as in ``jusim.evaluation.evaluate``, which documents the names."""
    from jusim.evaluation import evaluate as _evaluate

    return _evaluate(base, seed=seed, **params)


def compare(*args, **kwargs):
    """Paired comparison of scenarios against a baseline, by default over the shipped parameter
    ensemble (``ensemble="none"``: seeds only); see ``jusim.analysis.compare``."""
    from jusim.analysis.compare import compare as _compare

    return _compare(*args, **kwargs)


def explain(*args, **kwargs):
    """Why a scenario beats its baseline: Shapley values of mechanism groups; see
    ``jusim.analysis.explain``."""
    from jusim.analysis.explain import explain as _explain

    return _explain(*args, **kwargs)


__all__ = [
    "REGISTRY",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "__version__",
    "as_scenario",
    "compare",
    "evaluate",
    "explain",
    "load_scenario",
    "run",
    "run_batch",
    "sweep",
]
