"""capacity_building and streamlined_reporting: overload of small partners eases."""

from __future__ import annotations

import numpy as np
import pytest

import jusim

RS = "rough_sleeping"


def crowded(world) -> jusim.Scenario:
    """The homelessness charity sits on three partnerships (a seat for the voluntary sector)."""
    ivs = [{"type": "pooled_budget", "outcome": RS, "share": 0.1}]
    for o in ("youth_offending", "early_years"):
        spec = next(x for x in world.outcomes if x.name == o)
        ivs.append(
            {
                "type": "shared_targets",
                "outcome": o,
                "members": [*spec.contributors, "homelessness_charity"],
            }
        )
    return world.with_interventions(ivs)


def with_extra(s: jusim.Scenario, iv: dict) -> jusim.Scenario:
    return s.with_interventions([x.to_dict() for x in s.interventions] + [iv])


@pytest.fixture(scope="module")
def runs(short_world):
    s = crowded(short_world)
    arms = {
        "none": s,
        "built": with_extra(s, {"type": "capacity_building", "funder": "housing_department"}),
        "stream": with_extra(s, {"type": "streamlined_reporting"}),
    }
    return {k: jusim.run(v, seed=4) for k, v in arms.items()}


def test_overloaded_small_partner_rations_and_loses_core_service(runs):
    r = runs["none"]
    c, la = r.agencies.index("homelessness_charity"), r.agencies.index("local_authority")
    assert r["participation"][-1, c] < 0.7
    assert r["participation"][-1, la] == 1.0  # a large body absorbs three seats


def test_capacity_building_restores_participation_and_core(runs):
    c = runs["none"].agencies.index("homelessness_charity")
    h = runs["none"].agencies.index("housing_department")
    assert runs["built"]["participation"][-1, c] > runs["none"]["participation"][-1, c]
    assert runs["built"]["own_attainment"][-1, c] > runs["none"]["own_attainment"][-1, c]
    assert runs["built"]["budget"][-1, h] < runs["none"]["budget"][-1, h]  # the funder pays


def test_streamlined_reporting_cuts_demand(runs):
    c = runs["none"].agencies.index("homelessness_charity")
    assert runs["stream"]["participation"][-1, c] > runs["none"]["participation"][-1, c]


def test_defaults_and_rules(short_world, stepped):
    m = stepped(
        short_world.with_interventions(
            [{"type": "capacity_building", "admin_months": 2.0}, {"type": "streamlined_reporting"}]
        )
    )
    m.step()
    small = np.flatnonzero(m.world.admin_capacity < 1)
    assert small.size == 3
    np.testing.assert_array_equal(np.flatnonzero(m.rules.capacity_boost), small)
    assert (m.rules.capacity_boost[small] == 2.0).all()
    assert (m.rules.report_factor == 0.5).all()


def test_unknown_names_are_clear_errors(short_world):
    with pytest.raises(jusim.ScenarioError, match="funder"):
        short_world.with_interventions([{"type": "capacity_building", "funder": "nobody"}])
    with pytest.raises(jusim.ScenarioError, match="agencies"):
        short_world.with_interventions([{"type": "streamlined_reporting", "agencies": ["x"]}])
