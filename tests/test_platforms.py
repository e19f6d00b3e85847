"""Platforms: operating costs and the scale economies of sharing one (003 "Better together")."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.mechanisms.platforms import PlatformParams, operating_costs, realised


def test_everyone_on_their_own_platform_pays_standalone():
    p = np.array([100.0, 40.0, 10.0])
    paid, own = operating_costs(p, np.arange(3), np.zeros(3), PlatformParams())
    np.testing.assert_allclose(paid, p)
    np.testing.assert_allclose(own, p)


def test_sharing_saves_the_users_fixed_costs():
    p = np.array([100.0, 40.0, 10.0])
    params = PlatformParams(fixed_share=0.5, integration=0.0)
    paid, _ = operating_costs(p, np.array([0, 0, 0]), np.zeros(3), params)
    assert paid.sum() == pytest.approx(p.sum() - 0.5 * (40 + 10))
    np.testing.assert_allclose(paid[1:], [20.0, 5.0])  # users pay their volume costs only
    assert paid[0] == pytest.approx(100.0)  # no recharge: the host gains nothing


def test_recharge_moves_saving_to_the_host_but_not_the_total():
    p = np.array([100.0, 40.0])
    params = PlatformParams(fixed_share=0.5, integration=0.05)
    a, _ = operating_costs(p, np.array([0, 0]), np.zeros(2), params)
    b, _ = operating_costs(p, np.array([0, 0]), np.array([0.0, 1.0]), params)
    assert b.sum() == pytest.approx(a.sum())
    assert b[0] < a[0] and b[1] > a[1]


def test_no_scale_economies_no_saving():
    p = np.array([100.0, 40.0, 10.0])
    params = PlatformParams(fixed_share=0.0, integration=0.05)
    assert operating_costs(p, np.zeros(3, int), np.zeros(3), params)[0].sum() > p.sum()


def test_volume_costs_follow_activity():
    p = np.array([100.0])
    paid, own = operating_costs(p, np.arange(1), np.zeros(1), PlatformParams(), np.array([1.2]))
    assert paid[0] == pytest.approx(50 + 60) and own[0] == paid[0]


def test_budgets_unchanged_without_shared_services(short_world):
    from jusim.model import JoinedUpModel

    m = JoinedUpModel(short_world, 1)
    for _ in range(6):
        m.step()
        np.testing.assert_allclose(m.budget, m.world.budget0)
    m.release()


def test_each_run_draws_its_fixed_share_within_the_stated_range():
    params = PlatformParams(fixed_share=0.5, fixed_share_spread=0.1)
    draws = [realised(params, np.random.default_rng(s)).fixed_share for s in range(200)]
    assert 0.4 <= min(draws) < 0.45 and 0.55 < max(draws) <= 0.6
    same = realised(params, np.random.default_rng(7)).fixed_share
    assert same == realised(params, np.random.default_rng(7)).fixed_share
    fixed = PlatformParams(fixed_share=0.5, fixed_share_spread=0.0)
    assert realised(fixed, np.random.default_rng(1)).fixed_share == 0.5
