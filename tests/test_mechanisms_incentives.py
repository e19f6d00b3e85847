"""Unit tests of the incentive and capacity mechanisms (own targets, spillovers, capacity,
defensive mode) on small hand-built arrays."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.mechanisms import capacity, defensive, own_targets, spillover


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

    def test_runs_stacked_with_a_generator_each_equal_each_run_alone(self):
        from jusim.mechanisms import trust

        g = rng(6)
        stacked = dict(
            trust=g.random((3, 4, 4)),
            effort=g.random((3, 2, 4)),
            involved=g.random((3, 2, 4)) < 0.7,
            contact=g.random((3, 4, 4)),
            relationship=g.random((3, 4, 4)) * 0.9,
        )
        p = trust.TrustParams(shock_rate=0.5)
        gens = [rng(s) for s in (1, 2, 3)]
        learned = trust.learn_trust(**stacked, params=p, rng=gens)
        leaks = trust.draw_leaks(4, p, gens)
        both = trust.apply_leaks(learned, leaks)
        for r, s in enumerate((1, 2, 3)):
            alone = trust.update_trust(
                **{k: v[r] for k, v in stacked.items()}, params=p, rng=rng(s)
            )
            np.testing.assert_array_equal(both[r], alone)
        assert leaks.shape == (3, 4) and (leaks > 0).any()

    def test_scheduled_leak_cuts_trust_in_the_leaker_only(self):
        from jusim.mechanisms import trust

        t = np.full((3, 3), 0.8)
        out = trust.apply_leaks(t, np.array([0.0, 0.5, 0.0]))
        assert out[0, 1] == pytest.approx(0.4) and out[2, 1] == pytest.approx(0.4)
        assert out[1, 0] == pytest.approx(0.8) and np.all(np.diag(out) == 1.0)


class TestSpillover:
    p = spillover.SpilloverParams()
    cases = np.array([[6.0, 0.0], [0.0, 0.0]])  # agency 0 can push 6 cases a month into outcome 0

    def shift(self, lift=0.1, credit=0.8, st=0.0, pool=0.0):
        z = np.zeros((2, 2))
        return spillover.target_shifting(
            np.array([credit, credit]),
            np.array([lift, lift]),
            np.array([0.8, 0.8]),
            z + np.array([[st, 0], [0, 0]]),
            z + np.array([[pool, 0], [0, 0]]),
            self.cases,
            self.p,
        )

    def test_no_narrow_measure_no_shifting(self):
        assert self.shift(lift=0.0).tolist() == [0.0, 0.0]

    def test_narrow_measure_shifts_where_a_channel_exists(self):
        s = self.shift()
        assert s[0] > 0.9 and s[1] == 0.0  # agency 1 has nowhere to push cases

    def test_joint_target_and_pooled_budget_reduce_shifting(self):
        alone = self.shift()[0]
        assert self.shift(st=1.0)[0] < 0.5 * alone
        assert self.shift(pool=0.1)[0] < 0.5 * alone
        assert self.shift(st=1.0)[0] > self.shift(st=2.0)[0]

    def test_measured_attainment_and_flows(self):
        np.testing.assert_allclose(
            spillover.measured(np.array([1.0]), np.array([0.1]), np.array([0.5])), [1.05]
        )
        cost = np.array([[0.0, 0.0], [12.0, 0.0]])  # agency 1 pays 2 £k for each of 6 cases
        inflow, charged = spillover.flows(np.array([0.5, 0.0]), self.cases, cost)
        np.testing.assert_allclose(inflow, [3.0, 0.0])
        np.testing.assert_allclose(charged, [0.0, 6.0])


class TestCapacity:
    p = capacity.CapacityParams()

    def test_capacity_grows_with_staff_and_admin_capacity(self):
        cap = capacity.capacity(
            np.array([1.0, 0.3]), np.array([120, 22]), np.array([0.0, 1.0]), self.p
        )
        np.testing.assert_allclose(cap, [6.0, 0.33 + 1.0])

    def test_demand_within_capacity_is_absorbed(self):
        drawn, part = capacity.service(np.array([0.0, 2.0]), np.array([1.0, 3.0]), self.p)
        np.testing.assert_array_equal(drawn, 0.0)
        np.testing.assert_array_equal(part, 1.0)

    def test_overload_draws_on_core_and_rations_participation(self):
        drawn, part = capacity.service(np.array([3.0]), np.array([1.0]), self.p)
        assert drawn[0] == pytest.approx(self.p.stretch * 2.0)
        assert part[0] == pytest.approx((1.0 + self.p.stretch * 2.0) / 3.0)

    def test_streamlined_reporting_and_random_consultations(self):
        scale = capacity.reporting_scale(np.array([1.0, 0.5]), self.p)
        np.testing.assert_allclose(scale, [1.0, 1 - self.p.reporting * 0.5])
        m = np.array([[True, False], [True, False]])
        g = rng(11)
        busy = [capacity.consultations(m, np.ones(2), self.p, g) for _ in range(4000)]
        assert all(b[1] == 0 for b in busy)  # no seats, no consultations
        expected = self.p.consultation * self.p.consultations * 2
        assert np.mean([b[0] for b in busy]) == pytest.approx(expected, rel=0.1)
        fewer = [capacity.consultations(m, np.full(2, 0.5), self.p, g)[0] for _ in range(4000)]
        assert np.mean(fewer) < np.mean([b[0] for b in busy])
