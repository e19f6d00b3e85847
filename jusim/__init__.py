"""jusim: an agent-based simulation of joined-up government.

Public API::

    import jusim
    result = jusim.run("rough_sleepers_unit", seed=1)      # RunResult
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


def compare(*args, **kwargs):
    """Paired comparison of scenarios against a baseline; see ``jusim.analysis.compare``."""
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
    "load_scenario",
    "run",
]
