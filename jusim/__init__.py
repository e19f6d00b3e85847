"""jusim: an agent-based simulation of joined-up government.

Public API::

    import jusim
    result = jusim.run("rough_sleepers_unit", seed=1)      # RunResult
    jusim.evaluate("silo", seed=1, context__churn_scale=2.0)  # {"attainment__rough_sleeping": ...}
    table = jusim.compare(["silo", "rough_sleepers_unit"], replications=30).table
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

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
    """Run one scenario (object, file path or shipped name) to its horizon."""
    from jusim.model import JoinedUpModel

    model = JoinedUpModel(as_scenario(scenario), seed=seed)
    try:
        return model.run()
    finally:
        model.release()


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


__all__ = [
    "REGISTRY",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "__version__",
    "as_scenario",
    "compare",
    "evaluate",
    "load_scenario",
    "run",
    "sweep",
]
