"""narrow_target: an agency judged narrowly pushes hard cases onto others' need and budgets."""

from __future__ import annotations

import numpy as np
import pytest

import jusim

NARROW = {"type": "narrow_target", "agency": "education_department", "lift": 0.1}


def test_sets_the_lift_while_active(short_world, stepped):
    s = short_world.with_interventions([{**NARROW, "start": 2, "end": 4}])
    m = stepped(s)
    a = m.world.agency_index["education_department"]
    seen = []
    for _ in range(5):
        m.step()
        seen.append(m.rules.narrow_lift[a])
    assert seen == [0, 0, 0.1, 0.1, 0]


def test_shifts_cases_and_costs_onto_others(short_world):
    base, arm = jusim.run(short_world, 2), jusim.run(short_world.with_interventions([NARROW]), 2)
    a = arm.agencies.index("education_department")
    la = arm.agencies.index("local_authority")
    yo = arm.outcomes.index("youth_offending")
    assert (base["shifting"] == 0).all() and arm["shifting"][-1, a] > 0.5
    assert arm["own_attainment"][-1, a] > base["own_attainment"][-1, a]
    assert arm["need"][-1, yo] > base["need"][-1, yo]
    assert arm["shifted_cost"][:, la].sum() > 0
    assert np.array_equal(arm["shifted_cost"][:, a], np.zeros(arm["shifted_cost"].shape[0]))


def test_bad_channel_and_agency_are_clear_errors(short_world):
    with pytest.raises(jusim.ScenarioError, match="agency"):
        short_world.with_interventions([{**NARROW, "agency": "nobody"}])
    data = short_world.to_dict()
    data["spillovers"][0]["outcome"] = "nowhere"
    with pytest.raises(jusim.ScenarioError, match=r"spillovers\[0\]\.outcome"):
        jusim.scenario.parse_scenario(data, "x.toml")


def test_apply_writes_only_the_rules(short_world, stepped):
    m = stepped(short_world.with_interventions([NARROW]))
    m.step()
    state = {k: np.copy(getattr(m, k)) for k in ("need", "own_att", "shifting", "budget")}
    for iv, st in zip(m.interventions, m.intervention_state, strict=True):
        iv.apply(m, st)
    for k, v in state.items():
        np.testing.assert_array_equal(getattr(m, k), v, err_msg=k)
