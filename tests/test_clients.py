"""Clients: take-up from awareness and fit; excluded groups stay excluded unless targeted."""

from __future__ import annotations

import numpy as np
import pytest

import jusim
from jusim.mechanisms import clients
from jusim.mechanisms.clients import ClientParams
from jusim.mechanisms.production import update_need as plain_update
from jusim.scenario import ScenarioError

EY = "early_years"


def test_one_full_group_without_bounce_is_the_plain_need_update():
    need = np.array([[500.0], [40.0]])
    uptake = clients.take_up(
        np.ones((2, 1)), np.ones((2, 1)), np.zeros((2, 1)), np.zeros(2), np.zeros(2)
    )
    args = (np.array([10.0, 2.0]), np.array([0.03, 0.02]), np.array([30.0, 80.0]))
    half = np.array([100.0, 10.0])
    nxt, by_group = clients.update_need(need, uptake, np.ones((2, 1)), *args, half)
    ref_need, ref_resolved = plain_update(need[:, 0], *args, half)
    np.testing.assert_allclose(nxt[:, 0], ref_need)
    np.testing.assert_allclose(by_group[:, 0], ref_resolved)


def test_take_up_is_awareness_times_fit_less_bounce():
    u = clients.take_up(
        np.array([[0.5, 0.5]]),
        np.array([[1.0, 0.4]]),
        np.array([[0.0, 0.5]]),
        np.array([0.0]),
        np.array([0.2]),
    )
    np.testing.assert_allclose(u, [[0.5 * 0.8, 0.5 * 0.7 * 0.8]])
    joined = clients.take_up(
        np.array([[0.5]]), np.array([[1.0]]), np.array([[0.0]]), np.array([1.0]), np.array([0.2])
    )
    assert joined[0, 0] == pytest.approx(0.5)


def test_resolved_follow_take_up_and_never_exceed_reach():
    need = np.array([[600.0, 400.0]])
    uptake = np.array([[0.9, 0.1]])
    nxt, res = clients.update_need(
        need,
        uptake,
        np.array([[0.6, 0.4]]),
        np.array([0.0]),
        np.array([0.0]),
        np.array([1e6]),
        np.array([0.0]),
    )
    np.testing.assert_allclose(res, [[540.0, 40.0]])  # capacity to spare: all who come
    assert (nxt >= 0).all()
    _, few = clients.update_need(
        need,
        uptake,
        np.array([[0.6, 0.4]]),
        np.array([0.0]),
        np.array([0.0]),
        np.array([10.0]),
        np.array([0.0]),
    )
    assert few[0, 0] / few[0, 1] == pytest.approx(540.0 / 40.0)
    assert few.sum() == pytest.approx(10.0 * 580.0 / 1000.0)  # capacity serves those who come


def test_awareness_rises_with_publicity_and_returns_to_baseline():
    p = ClientParams()
    base = np.array([[0.3]])
    a = base.copy()
    for _ in range(24):
        a = clients.update_awareness(
            a, base, np.array([[0.5]]), np.zeros((1, 1)), np.ones((1, 1)), p
        )
    # equilibrium: 0.075 (1 - a) = 0.03 (a - 0.3), a = 0.8
    assert 0.7 < a[0, 0] < 0.8
    for _ in range(200):
        a = clients.update_awareness(
            a, base, np.zeros((1, 1)), np.zeros((1, 1)), np.ones((1, 1)), p
        )
    assert a[0, 0] == pytest.approx(0.3, abs=0.01)


def test_group_shares_must_sum_to_one(short_world):
    bad = [{"name": "a", "share": 0.5}, {"name": "b", "share": 0.1}]
    with pytest.raises(ScenarioError, match="sum to 1"):
        short_world.with_overrides({f"outcomes.{EY}.client_groups": bad})


def test_world_pads_groups_with_zero_shares(default_world):
    from jusim.world import build_world

    w = build_world(default_world)
    o = w.outcome_index["rough_sleeping"]
    assert w.group_names[o] == ["everyone"]
    assert w.group_share[o, 0] == 1.0 and w.group_share[o, 1:].sum() == 0.0
    np.testing.assert_allclose(w.group_share.sum(axis=1), 1.0)


def test_need_by_group_adds_up_to_need(short_world):
    r = jusim.run(short_world, seed=2)
    np.testing.assert_allclose(r["client_need"].sum(axis=2), r["need"], rtol=1e-12)
    np.testing.assert_allclose(r["client_resolved"].sum(axis=2)[1:], r["resolved"][1:], rtol=1e-9)


def test_poorly_fitted_groups_are_served_less(short_world):
    r = jusim.run(short_world, seed=2)
    k = short_world.outcome_names.index(EY)
    per_head = r["client_resolved"][1:, k].sum(0) / r["client_need"][:-1, k].mean(0)
    assert per_head[0] > per_head[1] > per_head[2] > 0
