"""Early engagement: buy-in gained at design, a fraction of it later; it raises members' credit."""

from __future__ import annotations

import numpy as np
import pytest

RS = "rough_sleeping"


def engaged(world, start: int):
    return world.with_interventions(
        [
            {"type": "partnership", "outcome": RS},
            {"type": "early_engagement", "outcome": RS, "start": start},
        ]
    )


def test_members_engaged_at_design_gain_full_buy_in(short_world, stepped):
    m = stepped(engaged(short_world, 0))
    m.step()
    o = m.world.outcome_index[RS]
    members = m.world.involved[o]
    np.testing.assert_allclose(m.partnerships.buy_in[0, members], 1.0)
    np.testing.assert_allclose(m.rules.buy_in[o, members], 1.0)
    assert not m.rules.buy_in[o, ~members].any()


def test_members_engaged_after_setup_gain_only_a_share(short_world, stepped):
    m = stepped(engaged(short_world, 8))
    for _ in range(9):
        m.step()
    o = m.world.outcome_index[RS]
    late = m.params.partnership.late_share
    np.testing.assert_allclose(m.partnerships.buy_in[0, m.world.involved[o]], late)


def test_buy_in_raises_members_credit_and_engaging_costs_admin_time(short_world, stepped):
    plain = stepped(short_world.with_interventions([{"type": "partnership", "outcome": RS}]))
    early = stepped(engaged(short_world, 0))
    for m in (plain, early):
        m.step()
    o = early.world.outcome_index[RS]
    members = early.world.involved[o]
    own = early.params.partnership
    np.testing.assert_allclose(
        early.credit[o, members] - plain.credit[o, members], own.ownership, rtol=1e-9
    )
    np.testing.assert_allclose(
        early.rules.admin_demand[members] - plain.rules.admin_demand[members], own.engagement
    )


def test_buy_in_is_within_bounds(short_world):
    from jusim.scenario import ScenarioError

    with pytest.raises(ScenarioError, match="buy_in"):
        short_world.with_interventions([{"type": "early_engagement", "outcome": RS, "buy_in": 1.5}])
