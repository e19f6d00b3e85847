"""Shared fixtures for the engine tests: short scenarios, helper builders and a TOML writer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import jusim
from jusim.model import JoinedUpModel
from jusim.scenario import scenario_dir

SCENARIOS = scenario_dir()
DEFAULT_WORLD = SCENARIOS / "default_world.toml"
SHORT = 12  # months: long enough for lags and churn to act, short enough to be fast


@pytest.fixture(scope="session")
def default_world() -> jusim.Scenario:
    return jusim.load_scenario("default_world")


@pytest.fixture(scope="session")
def short_world(default_world) -> jusim.Scenario:
    """The default world with no intervention and a 12-month horizon."""
    return default_world.with_overrides({"horizon": SHORT})


@pytest.fixture
def stepped():
    """Factory: a JoinedUpModel for a scenario; every model made is released at teardown."""
    made: list[JoinedUpModel] = []

    def make(scenario: jusim.Scenario, seed=0) -> JoinedUpModel:
        m = JoinedUpModel(scenario, seed)
        made.append(m)
        return m

    yield make
    for m in made:
        m.release()


def write_toml(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def small_toml(tmp_path: Path, name: str, body: str = "", horizon: int = SHORT) -> Path:
    """A scenario file built on the shipped default world with a short horizon."""
    text = f'base = "{DEFAULT_WORLD.as_posix()}"\nname = "{name}"\nhorizon = {horizon}\n{body}'
    return write_toml(tmp_path / f"{name}.toml", text)


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.fixture
def small_file(tmp_path):
    """Factory: ``small_file(name, body="", horizon=12)`` writes a short scenario file."""

    def make(name: str, body: str = "", horizon: int = SHORT) -> Path:
        return small_toml(tmp_path, name, body, horizon)

    return make


# a small sweep experiment (2 x 2 x 2 grid over churn, secondees and a shared-target switch)
_TINY_EXPERIMENT = """
name = "{name}"
base = "secondees"
seed = {seed}
replications = {reps}
horizon = {horizon}
metrics = ["attainment.rough_sleeping", "shared_attainment", "mean_trust"]

[design]
kind = "grid"
levels = 2

[factors.churn]
kind = "uncertainty"
path = "context.churn_scale"
range = [0.5, 2.0]

[factors.secondees]
kind = "lever"
path = "interventions.secondees.count"
range = [0, 12]
integer = true

[factors.shared_targets]
kind = "lever"
values = [false, true]
intervention = {{ type = "shared_targets", outcome = "rough_sleeping" }}
"""


def tiny_experiment(name: str = "tiny", seed: int = 11, reps: int = 2, horizon: int = 12) -> str:
    """Text of a small experiment file, shared by the sweep tests."""
    return _TINY_EXPERIMENT.format(name=name, seed=seed, reps=reps, horizon=horizon)


@pytest.fixture
def dask_client():
    """A Dask client on a local cluster of two worker processes (skipped without distributed)."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client
