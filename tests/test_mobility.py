"""Mobility: movers keep friendly contacts in the agency they left (001 ¶79)."""

from __future__ import annotations

import numpy as np

import jusim
from jusim.mechanisms.mobility import MobilityParams, move_staff
from jusim.staff import StaffRoster


def test_movers_seed_ties_to_their_old_agency():
    roster = StaffRoster.from_counts(np.array([50, 50, 50]))
    leavers = np.array([0, 1, 2, 60, 61, 120, 121])
    n = move_staff(roster, leavers, MobilityParams(share=1.0, contacts=2), np.random.default_rng(0))
    assert n > 0
    assert roster.n_ties > 0 and roster.n_ties <= 2 * n
    # every new tie joins a vacancy that a mover filled to staff of another agency
    assert (roster.home[roster.tie_i] != roster.home[roster.tie_j]).all()
    assert np.isin(roster.tie_i, leavers).any() or np.isin(roster.tie_j, leavers).any()


def test_no_share_draws_nothing():
    roster = StaffRoster.from_counts(np.array([5, 5]))
    rng = np.random.default_rng(0)
    state = rng.bit_generator.state
    assert move_staff(roster, np.array([0, 6]), MobilityParams(), rng) == 0
    assert rng.bit_generator.state == state and roster.n_ties == 0


def test_churn_with_movers_keeps_more_ties(short_world):
    movers = short_world.with_overrides({"parameters.mobility.share": 0.5})
    a, b = jusim.run(short_world, seed=3), jusim.run(movers, seed=3)
    assert b["tie_density"][-1] > a["tie_density"][-1]
    # other streams are untouched: the same people leave
    np.testing.assert_array_equal(a["leavers"], b["leavers"])
