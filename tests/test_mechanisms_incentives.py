"""Unit tests of the incentive and capacity mechanisms (own targets, spillovers, capacity,
defensive mode) on small hand-built arrays."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.mechanisms import defensive, own_targets


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


class TestDefensive:
    p = defensive.DefensiveParams()
    involved = np.array([[True, True, False], [False, True, True]])  # 0-1 share, 1-2 share

    def test_leak_injures_those_who_share_an_outcome_with_the_leaker(self):
        d = defensive.update(np.zeros(3), np.array([0.3, 0.0, 0.0]), self.involved, self.p)
        assert d[1] == pytest.approx(self.p.jump)
        assert d[0] == 0.0 and d[2] == 0.0  # the leaker is not injured; 2 shares nothing with 0

    def test_slow_recovery_without_leaks(self):
        d = np.array([0.0, 0.6, 0.0])
        for _ in range(12):
            d = defensive.update(d, np.zeros(3), self.involved, self.p)
        assert 0.0 < d[1] < 0.6
        assert d[1] == pytest.approx(0.6 * (1 - self.p.recovery) ** 12)

    def test_defensive_agency_is_less_open_puts_less_in_and_shares_less(self):
        d = np.array([0.0, 1.0, 0.0])
        np.testing.assert_allclose(defensive.openness(np.full(3, 0.5), d), [0.5, 0.0, 0.5])
        f = defensive.effort_factor(d, self.p)
        assert f[0] == 1.0 and f[1] == pytest.approx(1 - self.p.effort_cut)
        c = defensive.sharing(np.ones((3, 3)), d, self.p)
        assert c[0, 2] == 1.0 and c[0, 1] == pytest.approx(1 - self.p.sharing_cut)


class TestLeaks:
    def test_split_update_equals_the_composed_one(self):
        from jusim.mechanisms import trust

        g = rng(5)
        args = dict(
            trust=g.random((4, 4)),
            effort=g.random((2, 4)),
            involved=g.random((2, 4)) < 0.7,
            contact=g.random((4, 4)),
            relationship=g.random((4, 4)) * 0.9,
            params=trust.TrustParams(shock_rate=0.5),
        )
        a = trust.update_trust(**args, rng=rng(9))
        r = rng(9)
        learned = trust.learn_trust(**args, rng=r)
        b = trust.apply_leaks(learned, trust.draw_leaks(4, args["params"], r))
        np.testing.assert_array_equal(a, b)

    def test_scheduled_leak_cuts_trust_in_the_leaker_only(self):
        from jusim.mechanisms import trust

        t = np.full((3, 3), 0.8)
        out = trust.apply_leaks(t, np.array([0.0, 0.5, 0.0]))
        assert out[0, 1] == pytest.approx(0.4) and out[2, 1] == pytest.approx(0.4)
        assert out[1, 0] == pytest.approx(0.8) and np.all(np.diag(out) == 1.0)
