"""Docking: the engine against the frozen reference of ``benchmarks/reference_engine.py``.

The reference is the model's numpy formulation as it was before the month was split into phases
and sped up. The engine restructures the same arithmetic and draws the same random numbers from
the same streams in the same order, so for the same scenario and seed every recorded series must
be *identical*, not merely close: a change of behaviour (or of floating-point order) fails here.
Scenarios: the shipped ones whose mechanisms differ most, and one with most interventions on at
once and agencies forming partnerships of their own (formation, scrutiny, review).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import jusim

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import reference_engine

SEEDS = (0, 1, 7)
SHIPPED = ("silo", "rough_sleepers_unit", "pooled_budget", "sure_start", "shared_services")
RS = "rough_sleeping"

# many levers at once, with start and end months inside the run so switching is exercised
MANY = [
    {"type": "central_unit", "outcome": RS, "end": 40},
    {"type": "shared_targets", "outcome": "youth_offending", "start": 3},
    {"type": "secondees", "outcome": "youth_offending", "host": "police", "start": 2, "end": 30},
    {"type": "sponsorship", "outcome": "early_years"},
    {"type": "formal_agreement", "outcome": "youth_offending", "start": 6},
    {"type": "early_engagement", "outcome": "youth_offending", "start": 3},
    {"type": "trust_shock", "by": "police", "at": 20},
    {"type": "narrow_target", "agency": "education_department"},
    {"type": "capacity_building", "agencies": ["homelessness_charity"]},
    {"type": "streamlined_reporting"},
    {"type": "reward_grant", "outcome": RS},
    {"type": "performance_feedback", "outcome": "early_years"},
    {"type": "service_mix", "outcome": "early_years", "service": "family_support"},
    {"type": "succession", "outcome": RS, "start": 24, "end": 40},
    {"type": "corporate_commitment", "agency": "local_authority"},
    {"type": "merger", "agencies": ["local_authority", "nhs_trust"], "start": 12},
    {"type": "single_point_of_service", "outcome": "early_years"},
    {"type": "community_engagement", "outcome": "early_years"},
    {"type": "information_sharing", "outcome": "youth_offending"},
    {"type": "shared_services", "host": "housing_department", "members": ["home_office"]},
    {"type": "joint_training", "outcome": RS},
    {"type": "handover"},
    {"type": "good_practice", "outcome": "early_years"},
    {"type": "selective_collaboration"},
    {"type": "review", "interval": 24},
    {"type": "consensus_to_operate"},
]


def many_levers() -> jusim.Scenario:
    world = jusim.load_scenario("default_world").with_overrides(
        {"parameters": {"partnership": {"proposal_rate": 0.03}}}
    )
    return world.with_interventions(MANY)


def assert_identical(new: jusim.RunResult, ref: jusim.RunResult) -> None:
    assert set(new.series) == set(ref.series)
    for key, values in ref.series.items():
        got = new.series[key]
        assert got.shape == values.shape, key
        assert np.array_equal(got, values, equal_nan=True), (
            f"{key}: largest difference {np.nanmax(np.abs(got - values)):.3g}"
        )
    for table in ("outcome_table", "agency_table", "system_table"):
        a, b = getattr(new, table)(), getattr(ref, table)()
        assert a.equals(b), table


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", SHIPPED)
def test_engine_reproduces_reference_on_shipped_scenario(name, seed):
    scenario = jusim.load_scenario(name)
    assert_identical(jusim.run(scenario, seed), reference_engine.run(scenario, seed))


@pytest.mark.parametrize("seed", SEEDS)
def test_engine_reproduces_reference_with_many_levers(seed):
    scenario = many_levers()
    new = jusim.run(scenario, seed)
    assert_identical(new, reference_engine.run(scenario, seed))
    assert new.series["partnerships"].max() >= 2  # formation and the levers' bodies did act


def test_docking_can_fail():
    """The check is not vacuous: a different seed gives different tables."""
    scenario = jusim.load_scenario("rough_sleepers_unit")
    with pytest.raises(AssertionError):
        assert_identical(jusim.run(scenario, 0), reference_engine.run(scenario, 1))
