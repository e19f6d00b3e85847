"""Types of provision: each outcome's services have their own lag and cost (002 ¶17)."""

from __future__ import annotations

import numpy as np
import pytest

import jusim
from jusim.mechanisms import services
from jusim.scenario import ScenarioError

EY = "early_years"


def test_world_lists_services_of_each_outcome(default_world):
    from jusim.world import build_world

    w = build_world(default_world)
    # an outcome with no services is one service with its own lag and cost
    assert "rough_sleeping" in w.service_names
    k = w.service_names.index(f"{EY}.family_support")
    ey = next(o for o in default_world.outcomes if o.name == EY)
    fam = next(s for s in ey.services if s.name == "family_support")
    assert w.service_cost[k] == pytest.approx(ey.unit_cost * fam.relative_cost)
    assert w.service_lag[k] == fam.lag
    for o in range(w.n_outcomes):
        assert w.service_share[w.service_outcome == o].sum() == pytest.approx(1.0)
    assert np.all(np.diff(w.service_outcome) >= 0)


def test_shares_must_sum_to_one(short_world):
    bad = [{"name": "a", "share": 0.5, "lag": 3}, {"name": "b", "share": 0.2, "lag": 9}]
    with pytest.raises(ScenarioError) as info:
        short_world.with_overrides({f"outcomes.{EY}.services": bad})
    assert "services" in str(info.value) and "sum to 1" in str(info.value)


def test_service_names_unique(short_world):
    bad = [{"name": "a", "share": 0.5, "lag": 3}, {"name": "a", "share": 0.5, "lag": 9}]
    with pytest.raises(ScenarioError, match="unique"):
        short_world.with_overrides({f"outcomes.{EY}.services": bad})


def test_longer_lag_delays_arrivals():
    """Two services with the same capacity: the slower one delivers less in the first year."""
    outcome = np.array([0, 0])
    pipe = np.zeros((2, 2))
    delivered = np.zeros(2)
    for _ in range(12):
        pipe, _ = services.advance(pipe, np.array([10.0, 10.0]), np.array([6.0, 36.0]), outcome, 1)
        delivered += pipe[:, 1]
    assert delivered[0] > 3 * delivered[1]
    # both converge to the same flow in the long run
    for _ in range(400):
        pipe, arriving = services.advance(
            pipe, np.array([10.0, 10.0]), np.array([6.0, 36.0]), outcome, 1
        )
    np.testing.assert_allclose(pipe[:, 1], 10.0, rtol=1e-3)
    assert arriving[0] == pytest.approx(20.0, rel=1e-3)


def test_capacity_splits_by_share_and_cost():
    cap = services.capacity(
        np.array([0.5]),
        np.array([100.0]),
        np.array([0, 0]),
        np.array([0.5, 0.5]),
        np.array([1.0, 10.0]),
    )
    np.testing.assert_allclose(cap, [25.0, 2.5])


def test_steer_keeps_other_proportions():
    shares = np.array([1.0, 0.2, 0.3, 0.5])
    outcome = np.array([0, 1, 1, 1])
    services.steer(shares, outcome, 3, 0.9)
    np.testing.assert_allclose(shares, [1.0, 0.04, 0.06, 0.9])
    services.steer(shares, outcome, 0, 0.5)  # a lone service keeps all of its outcome
    assert shares[0] == 1.0


def test_expensive_slow_service_resolves_fewer_cases(short_world):
    """Same money, slower and dearer provision: fewer early-years cases resolved in a year."""
    quick = short_world.with_interventions(
        [{"type": "service_mix", "outcome": EY, "service": "childcare_places", "share": 1.0}]
    )
    slow = short_world.with_interventions(
        [{"type": "service_mix", "outcome": EY, "service": "family_support", "share": 1.0}]
    )
    k = short_world.outcome_names.index(EY)
    a, b = jusim.run(quick, seed=1), jusim.run(slow, seed=1)
    assert a["resolved"][:, k].sum() > 2 * b["resolved"][:, k].sum()


def test_a_service_that_does_not_depend_on_joined_up_working_ignores_coordination():
    """joined_up 0 (a childcare place): money buys cases whoever pays, so coordination and the
    balance between roles do not change its capacity; joined_up 1 is the coordinated CES input."""
    args = (np.array([0.4]), np.array([60.0]), np.array([0, 0]), np.array([0.5, 0.5]))
    cost = np.array([1.0, 2.0])
    cap = services.capacity(*args, cost, np.array([0.0, 1.0]), np.array([100.0]))
    np.testing.assert_allclose(cap, [100.0 * 0.5 / 1.0, 0.4 * 60.0 * 0.5 / 2.0])
    half = services.capacity(*args, cost, np.array([0.5, 0.5]), np.array([100.0]))
    np.testing.assert_allclose(half, [0.5 * (50 + 12), 0.5 * (25 + 6)])


def test_childcare_places_do_not_depend_on_joined_up_working(default_world, short_world):
    from jusim.world import build_world

    w = build_world(default_world)
    assert w.service_joined_up[w.service_names.index(f"{EY}.childcare_places")] == 0.0
    assert w.service_joined_up[w.service_names.index(f"{EY}.family_support")] == 1.0
    assert w.service_joined_up[w.service_names.index("rough_sleeping")] == 1.0
    out = next(o for o in short_world.outcomes if o.name == EY)
    bad = [{**x.model_dump(), "joined_up": 1.5} for x in out.services]
    with pytest.raises(ScenarioError) as info:
        short_world.with_overrides({f"outcomes.{EY}.services": bad})
    assert "joined_up" in str(info.value) and "1.5" in str(info.value)
