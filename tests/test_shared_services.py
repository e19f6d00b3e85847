"""shared_services: a transition paid by the host, then members run on the host's platform."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.scenario import ScenarioError

IV = {
    "type": "shared_services",
    "host": "housing_department",
    "members": ["home_office", "health_department"],
    "start": 1,
    "transition": 3,
}


def test_migration_then_switch(short_world, stepped):
    m = stepped(short_world.with_interventions([IV]))
    host, members = 0, [1, 2]
    seen = []
    for _ in range(6):
        m.step()
        seen.append((m.rules.migration[host], tuple(m.rules.platform[members])))
    yearly = 12 * m.world.platform_cost[members].sum()
    assert seen[0] == (0.0, (1, 2))
    assert [s[0] for s in seen[1:4]] == pytest.approx([yearly / 3] * 3)
    assert seen[4] == (0.0, (0, 0)) and seen[5][1] == (0, 0)


def test_members_can_pay_migration(short_world, stepped):
    m = stepped(short_world.with_interventions([{**IV, "members_pay_migration": True}]))
    m.step()
    m.step()
    assert m.rules.migration[0] == 0 and m.rules.migration[[1, 2]].sum() > 0


def test_saving_lands_with_members_cost_with_host(short_world, stepped):
    base, arm = stepped(short_world), stepped(short_world.with_interventions([IV]))
    for _ in range(8):
        base.step()
        arm.step()
    assert arm.budget[0] < base.budget[0]  # the host's integration cost
    assert (arm.budget[[1, 2]] > base.budget[[1, 2]]).all()
    np.testing.assert_allclose(arm.budget[3:], base.budget[3:])


def test_bad_names_are_clear_errors(short_world):
    with pytest.raises(ScenarioError) as info:
        short_world.with_interventions(
            [{**IV, "host": "ministry_of_magic", "members": ["housing_department"]}]
        )
    text = str(info.value)
    assert "ministry_of_magic" in text and "host" in text
