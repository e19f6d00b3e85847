"""Unit tests of the incentive and capacity mechanisms (own targets, spillovers, capacity,
defensive mode) on small hand-built arrays."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.mechanisms import own_targets


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


class TestOwnTargets:
    p = own_targets.OwnTargetParams()

    def test_target_met_when_resourced_as_needed(self):
        att = own_targets.attainment(np.array([90.0]), np.array([90.0]), np.zeros(1), self.p)
        assert att[0] == pytest.approx(1.0)

    def test_can_miss_or_beat_with_diminishing_returns(self):
        att = own_targets.attainment(
            np.array([45.0, 90.0, 180.0]), np.full(3, 90.0), np.zeros(3), self.p
        )
        assert att[0] < 1.0 < att[2]
        assert (att[2] - att[1]) / 90 < (att[1] - att[0]) / 45  # falling marginal product
        assert att[2] == pytest.approx(2**self.p.returns)

    def test_no_own_target_means_zero(self):
        att = own_targets.attainment(np.array([5.0]), np.zeros(1), np.zeros(1), self.p)
        assert att[0] == 0.0

    def test_productivity_is_stationary_with_stated_sd(self):
        p = own_targets.OwnTargetParams(volatility=0.05, persistence=0.8)
        g, z, seen = rng(3), np.zeros(2000), []
        for _ in range(60):
            z = own_targets.productivity_step(z, p, g)
            seen.append(z.std())
        assert np.mean(seen[20:]) == pytest.approx(0.05, rel=0.1)
        calm = p.model_copy(update={"volatility": 0.0})
        assert own_targets.productivity_step(np.zeros(3), calm, g).tolist() == [0, 0, 0]
