"""single_point_of_service: nobody bounced, visible to all, but fit unchanged."""

from __future__ import annotations

import pytest

import jusim

YO, EY = "youth_offending", "early_years"


def test_sets_rules_and_charges_members(short_world, stepped):
    s = short_world.with_interventions(
        [{"type": "single_point_of_service", "outcome": YO, "running_cost": 40.0}]
    )
    m = stepped(s)
    m.step()
    o = m.world.outcome_index[YO]
    assert m.rules.single_point[o] == 1.0
    assert (m.rules.publicity[o] > 0).all()
    assert m.rules.outreach.sum() == 0.0  # it does not adapt services to anyone
    assert m.rules.focused[o].sum() == pytest.approx(40.0)
    assert m.rules.membership[o].sum() == (m.world.roles[o] > 0).sum()


def test_raises_take_up_but_leaves_the_poorly_fitted_behind(default_world):
    base = default_world.with_overrides({"horizon": 36})
    arm = base.with_interventions([{"type": "single_point_of_service", "outcome": EY}])
    k = base.outcome_names.index(EY)
    a, b = jusim.run(base, seed=4), jusim.run(arm, seed=4)
    assert b["resolved"][:, k].sum() > a["resolved"][:, k].sum()
    per_head = b["client_resolved"][1:, k].sum(0) / b["client_need"][:-1, k].mean(0)
    assert per_head[2] < 0.5 * per_head[0]  # little English: still excluded
