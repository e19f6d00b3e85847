"""Platforms: operating costs and the scale economies of sharing one (003 "Better together")."""

from __future__ import annotations

import numpy as np
import pytest

import jusim
from jusim.mechanisms.platforms import PlatformParams, operating_costs


def test_everyone_on_their_own_platform_pays_standalone():
    p = np.array([100.0, 40.0, 10.0])
    np.testing.assert_allclose(operating_costs(p, np.arange(3), np.zeros(3), PlatformParams()), p)


def test_sharing_saves_the_users_fixed_costs():
    p = np.array([100.0, 40.0, 10.0])
    params = PlatformParams(fixed_share=0.5, integration=0.0)
    paid = operating_costs(p, np.array([0, 0, 0]), np.zeros(3), params)
    assert paid.sum() == pytest.approx(p.sum() - 0.5 * (40 + 10))
    np.testing.assert_allclose(paid[1:], [20.0, 5.0])  # users pay their volume costs only
    assert paid[0] == pytest.approx(100.0)  # no recharge: the host gains nothing


def test_recharge_moves_saving_to_the_host_but_not_the_total():
    p = np.array([100.0, 40.0])
    params = PlatformParams(fixed_share=0.5, integration=0.05)
    a = operating_costs(p, np.array([0, 0]), np.zeros(2), params)
    b = operating_costs(p, np.array([0, 0]), np.array([0.0, 1.0]), params)
    assert b.sum() == pytest.approx(a.sum())
    assert b[0] < a[0] and b[1] > a[1]


def test_no_scale_economies_no_saving():
    p = np.array([100.0, 40.0, 10.0])
    params = PlatformParams(fixed_share=0.0, integration=0.05)
    assert operating_costs(p, np.zeros(3, int), np.zeros(3), params).sum() > p.sum()


def test_default_world_unchanged_without_shared_services(short_world):
    r = jusim.run(short_world, seed=1)
    np.testing.assert_allclose(r["operating_cost"][0], r["operating_cost"][-1])
