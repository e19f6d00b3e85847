"""Unit tests of each mechanism on small hand-built arrays (no model, no scenario file)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from jusim.mechanisms import (
    accountability,
    churn,
    contact,
    decision,
    overhead,
    production,
    ties,
    trust,
    understanding,
)
from jusim.staff import StaffRoster


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def roster_with_ties(counts=(4, 4, 4), seed: int = 0) -> StaffRoster:
    """A roster with every cross-agency pair tied at a random strength in [0.2, 0.9]."""
    r = StaffRoster.from_counts(np.array(counts))
    i, j = np.triu_indices(r.n_staff, k=1)
    w = rng(seed).uniform(0.2, 0.9, size=i.size)
    r.add_ties(i, j, w)
    r.tenure = rng(seed + 1).integers(0, 50, size=r.n_staff)
    return r


# ------------------------------------------------------------------------------- churn
class TestChurn:
    def test_zero_hazard_only_ages_staff(self):
        r = roster_with_ties()
        before = (r.tie_i.copy(), r.tie_j.copy(), r.tie_w.copy(), r.tenure.copy())
        n = churn.apply_churn(r, np.zeros(3), np.zeros(3), churn.ChurnParams(), rng())
        assert n == 0
        np.testing.assert_array_equal(r.tie_i, before[0])
        np.testing.assert_array_equal(r.tie_j, before[1])
        np.testing.assert_array_equal(r.tie_w, before[2])
        np.testing.assert_array_equal(r.tenure, before[3] + 1)

    def test_full_hazard_no_handover_replaces_everyone_and_drops_ties(self):
        r = roster_with_ties()
        assert r.n_ties > 0
        n = churn.apply_churn(r, np.ones(3), np.zeros(3), churn.ChurnParams(), rng())
        assert n == r.n_staff
        np.testing.assert_array_equal(r.tenure, 0)
        assert r.n_ties == 0
        np.testing.assert_array_equal(r.headcount(), [4, 4, 4])

    def test_full_hazard_full_handover_keeps_ties_weakened(self):
        r = roster_with_ties()
        w0 = r.tie_w.copy()
        p = churn.ChurnParams(handover_strength=0.5)
        churn.apply_churn(r, np.ones(3), np.ones(3), p, rng())
        assert r.n_ties == w0.size
        np.testing.assert_allclose(r.tie_w, w0 * 0.5)
        np.testing.assert_array_equal(r.tenure, 0)

    def test_hazard_is_per_home_agency(self):
        r = roster_with_ties()
        tenure0 = r.tenure.copy()
        hazard = np.array([0.0, 1.0, 0.0])
        churn.apply_churn(r, hazard, np.zeros(3), churn.ChurnParams(), rng())
        np.testing.assert_array_equal(r.tenure[r.home == 1], 0)
        np.testing.assert_array_equal(r.tenure[r.home != 1], tenure0[r.home != 1] + 1)
        # every tie touching agency 1 is gone; ties between 0 and 2 untouched
        homes = {(int(r.home[i]), int(r.home[j])) for i, j in zip(r.tie_i, r.tie_j, strict=True)}
        assert homes == {(0, 2)}

    def test_partial_churn_keeps_headcount_and_untouched_ties(self):
        r = roster_with_ties((30, 20, 10))
        before = {
            (int(i), int(j)): float(w) for i, j, w in zip(r.tie_i, r.tie_j, r.tie_w, strict=True)
        }
        churn.apply_churn(r, np.full(3, 0.3), np.full(3, 0.5), churn.ChurnParams(), rng(3))
        np.testing.assert_array_equal(r.headcount(), [30, 20, 10])
        left = r.tenure == 0
        assert 0 < left.sum() < r.n_staff
        for i, j, w in zip(r.tie_i, r.tie_j, r.tie_w, strict=True):
            w0 = before[(int(i), int(j))]
            if left[i] or left[j]:
                assert w == pytest.approx(w0 * 0.5)  # handed over at reduced strength
            else:
                assert w == pytest.approx(w0)


# ------------------------------------------------------------------------------- contact
class TestContact:
    def args(self, a=3, o=2):
        return dict(
            joint_share=np.zeros((o, a)),
            relationship_share=np.zeros(a),
            involved=np.ones((o, a), bool),
            membership=np.zeros((o, a), bool),
            postings=np.zeros((a, a)),
            params=contact.ContactParams(),
        )

    def test_no_activity_no_contact(self):
        c = contact.contact_intensity(**self.args())
        np.testing.assert_array_equal(c, 0.0)

    def test_joint_work_on_the_same_outcome(self):
        args = self.args()
        args["joint_share"][0, 0] = 0.4
        args["joint_share"][0, 1] = 0.4
        args["joint_share"][1, 2] = 0.4  # agency 2 works on a different outcome
        c = contact.contact_intensity(**args)
        assert c[0, 1] == pytest.approx(3.0 * 0.4)
        assert c[0, 2] == 0.0 and c[1, 2] == 0.0

    def test_meetings_postings_relationship_work(self):
        p = contact.ContactParams()
        args = self.args()
        args["membership"][0, [0, 1]] = True
        c = contact.contact_intensity(**args)
        assert c[0, 1] == pytest.approx(p.meetings)
        assert c[0, 2] == 0.0
        args = self.args()
        args["postings"][0, 2] = 4
        c = contact.contact_intensity(**args)
        assert c[0, 2] == pytest.approx(4 * p.posting)
        args = self.args()
        args["relationship_share"][1] = 0.5
        c = contact.contact_intensity(**args)
        assert c[1, 0] > 0 and c[1, 2] > 0 and c[0, 2] == 0.0

    def test_symmetric_nonnegative_zero_diagonal(self):
        g = rng(1)
        args = self.args(a=5, o=3)
        args.update(
            joint_share=g.dirichlet(np.ones(4), size=5)[:, :3].T,
            relationship_share=g.uniform(0, 0.3, 5),
            involved=g.random((3, 5)) < 0.7,
            membership=g.random((3, 5)) < 0.5,
            postings=g.integers(0, 3, (5, 5)).astype(float),
        )
        c = contact.contact_intensity(**args)
        np.testing.assert_allclose(c, c.T)
        np.testing.assert_array_equal(np.diag(c), 0.0)
        assert (c >= 0).all()


# ------------------------------------------------------------------------------- ties
def _homes_differ(r: StaffRoster) -> bool:
    return bool(np.all(r.home[r.tie_i] != r.home[r.tie_j]))


class TestTies:
    def test_form_by_contact_zero_contact_forms_nothing(self):
        r = StaffRoster.from_counts(np.array([10, 10, 10]))
        ties.form_by_contact(r, np.zeros((3, 3)), ties.TieParams(), rng())
        assert r.n_ties == 0

    def test_form_by_contact_only_between_agencies_in_contact(self):
        r = StaffRoster.from_counts(np.array([20, 20, 20]))
        c = np.zeros((3, 3))
        c[0, 1] = c[1, 0] = 5.0
        ties.form_by_contact(r, c, ties.TieParams(formation=0.5), rng())
        assert r.n_ties > 0
        assert _homes_differ(r)
        pairs = {(int(r.home[i]), int(r.home[j])) for i, j in zip(r.tie_i, r.tie_j, strict=True)}
        assert pairs <= {(0, 1), (1, 0)}
        np.testing.assert_allclose(r.tie_w, ties.TieParams().initial_strength)

    def test_form_by_contact_counts_are_poisson_per_pair(self):
        # one Poisson total shared out by rate must give each pair Poisson(rate) new ties:
        # mean and variance both equal formation * contact * min(n_a, n_b)
        r = StaffRoster.from_counts(np.array([1000, 2000, 3000]))
        c = np.array([[0.0, 1.0, 0.5], [1.0, 0.0, 0.0], [0.5, 0.0, 0.0]])
        p = ties.TieParams(formation=0.002)  # rates: (0,1) 2.0, (0,2) 1.0, (1,2) 0
        g, reps = rng(7), 3000
        counts = np.zeros((reps, 3))
        for k in range(reps):
            r.tie_i, r.tie_j, r.tie_w = r.tie_i[:0], r.tie_j[:0], r.tie_w[:0]
            ties.form_by_contact(r, c, p, g)
            a, b = r.home[r.tie_i], r.home[r.tie_j]
            counts[k] = [
                np.sum((a == 0) & (b == 1)),
                np.sum((a == 0) & (b == 2)),
                np.sum((a == 1) & (b == 2)),
            ]
        rate = np.array([2.0, 1.0, 0.0])
        se = np.sqrt(np.maximum(rate, 1e-9) / reps)
        assert np.all(np.abs(counts.mean(axis=0) - rate) < 5 * se)
        np.testing.assert_allclose(counts[:, :2].var(axis=0), rate[:2], rtol=0.15)
        assert counts[:, 2].max() == 0

    def test_form_by_posting_links_secondee_to_host_staff(self):
        r = StaffRoster.from_counts(np.array([5, 30, 5]))
        ties.form_by_posting(r, ties.TieParams(posting=5.0), rng())
        assert r.n_ties == 0  # nobody posted
        r.post[0] = 1
        ties.form_by_posting(r, ties.TieParams(posting=5.0), rng())
        assert r.n_ties > 0
        assert np.all((r.tie_i == 0) | (r.tie_j == 0))
        other = np.where(r.tie_i == 0, r.tie_j, r.tie_i)
        np.testing.assert_array_equal(r.home[other], 1)

    def test_referral_closes_triads_across_agencies_only(self):
        # 0 (agency 0) - 2 (agency 1) - 4 (agency 2); 2 also knows 1 (agency 0 like 0)
        r = StaffRoster.from_counts(np.array([2, 2, 2]))
        r.add_ties(np.array([0, 2, 1]), np.array([2, 4, 2]), 1.0)
        p = ties.TieParams(referral=1.0)
        for seed in range(20):
            ties.form_by_referral(r, np.ones(3), p, rng(seed))
        got = set(zip(r.tie_i.tolist(), r.tie_j.tolist(), strict=True))
        assert (0, 4) in got and (1, 4) in got  # introductions across agencies
        assert (0, 1) not in got  # same home agency: never a tie
        assert _homes_differ(r)

    def test_referral_needs_openness(self):
        r = StaffRoster.from_counts(np.array([2, 2, 2]))
        r.add_ties(np.array([0, 2]), np.array([2, 4]), 1.0)
        ties.form_by_referral(r, np.zeros(3), ties.TieParams(referral=1.0), rng())
        assert r.n_ties == 2

    def test_maintain_decays_without_contact_and_drops_weak(self):
        r = StaffRoster.from_counts(np.array([2, 2]))
        r.add_ties(np.array([0, 1]), np.array([2, 3]), np.array([0.5, 0.052]))
        p = ties.TieParams(contact_base=0.0, decay=0.1, min_strength=0.05)
        ties.maintain(r, np.zeros((2, 2)), p, rng())
        assert r.n_ties == 1  # 0.052 * 0.9 < 0.05 forgotten
        assert r.tie_w[0] == pytest.approx(0.45)

    def test_maintain_refreshes_with_contact_or_shared_post(self):
        r = StaffRoster.from_counts(np.array([2, 2]))
        r.add_ties(np.array([0]), np.array([2]), 0.5)
        p = ties.TieParams(contact_base=1.0, refresh=0.3)
        ties.maintain(r, np.zeros((2, 2)), p, rng())
        assert r.tie_w[0] == pytest.approx(0.5 + 0.3 * 0.5)
        # a secondee working alongside the contact meets them whatever the agency contact
        r2 = StaffRoster.from_counts(np.array([2, 2]))
        r2.add_ties(np.array([0]), np.array([2]), 0.5)
        r2.post[0] = 1
        ties.maintain(r2, np.zeros((2, 2)), ties.TieParams(contact_base=0.0), rng())
        assert r2.tie_w[0] > 0.5

    def test_relationship_strength_in_unit_interval(self):
        r = roster_with_ties((5, 5, 5))
        s = ties.relationship_strength(r, ties.TieParams())
        assert (s >= 0).all() and (s < 1).all()
        np.testing.assert_allclose(s, s.T)
        assert s[0, 1] > 0
        empty = ties.relationship_strength(
            StaffRoster.from_counts(np.array([3, 3])), ties.TieParams()
        )
        np.testing.assert_array_equal(empty, 0.0)


# ------------------------------------------------------------------------------- trust
def _trust_args(effort_b: float, contact_level: float = 10.0, t0: float = 0.5, **params):
    """Two agencies sharing one outcome; agency 0 puts 0.4 into it, agency 1 ``effort_b``."""
    p = trust.TrustParams(noise=0.0, shock_rate=0.0, **params)
    tr = np.array([[1.0, t0], [t0, 1.0]])
    effort = np.array([[0.4, effort_b]])
    c = np.array([[0.0, contact_level], [contact_level, 0.0]])
    return dict(
        trust=tr,
        effort=effort,
        involved=np.ones((1, 2), bool),
        contact=c,
        relationship=np.zeros((2, 2)),
        params=p,
        rng=rng(),
    )


class TestTrust:
    def test_partner_who_meets_expectation_raises_trust(self):
        nxt = trust.update_trust(**_trust_args(effort_b=0.4))
        assert nxt[0, 1] > 0.5

    def test_partner_who_falls_short_lowers_trust(self):
        nxt = trust.update_trust(**_trust_args(effort_b=0.0))
        assert nxt[0, 1] < 0.5

    def test_loss_larger_than_gain(self):
        up = trust.update_trust(**_trust_args(effort_b=0.4))[0, 1] - 0.5
        down = 0.5 - trust.update_trust(**_trust_args(effort_b=0.0))[0, 1]
        assert down > up > 0

    def test_default_params_are_asymmetric(self):
        p = trust.TrustParams()
        assert p.loss > p.gain

    def test_no_contact_drifts_to_baseline_whatever_the_effort(self):
        for effort_b in (0.0, 0.4):
            hi = trust.update_trust(**_trust_args(effort_b, contact_level=0.0, t0=0.9))
            lo = trust.update_trust(**_trust_args(effort_b, contact_level=0.0, t0=0.1))
            assert 0.5 < hi[0, 1] < 0.9
            assert 0.1 < lo[0, 1] < 0.5
            assert hi[0, 1] == pytest.approx(0.9 + 0.01 * (0.5 - 0.9))

    def test_no_shared_outcome_means_drift_only(self):
        args = _trust_args(effort_b=0.0, t0=0.9)
        args["involved"] = np.array([[True, False]])
        nxt = trust.update_trust(**args)
        assert nxt[0, 1] == pytest.approx(0.9 + 0.01 * (0.5 - 0.9))

    def test_shock_cuts_partners_trust(self):
        args = _trust_args(effort_b=0.4, contact_level=0.0, t0=0.8)
        args["params"] = trust.TrustParams(noise=0.0, shock_rate=1.0, shock_size=0.5, drift=0.0)
        nxt = trust.update_trust(**args)
        assert nxt[0, 1] == pytest.approx(0.4)
        np.testing.assert_array_equal(np.diag(nxt), 1.0)

    def test_bounded_random_inputs(self):
        g = rng(7)
        for _ in range(50):
            a, o = 6, 3
            tr = g.random((a, a))
            nxt = trust.update_trust(
                tr,
                g.random((o, a)),
                g.random((o, a)) < 0.6,
                g.exponential(1.0, (a, a)),
                g.random((a, a)) * 0.99,
                trust.TrustParams(gain=g.random(), loss=g.random(), shock_rate=0.3),
                g,
            )
            assert (nxt >= 0).all() and (nxt <= 1).all()


# ------------------------------------------------------------------------------- understanding
class TestUnderstanding:
    def test_contact_grows_neglect_erodes(self):
        p = understanding.UnderstandingParams()
        u = np.array([[1.0, 0.3], [0.3, 1.0]])
        c = np.array([[0.0, 2.0], [2.0, 0.0]])
        up = understanding.update_understanding(u, c, np.zeros((2, 2)), p)
        down = understanding.update_understanding(u, np.zeros((2, 2)), np.zeros((2, 2)), p)
        assert up[0, 1] > 0.3 > down[0, 1]
        assert down[0, 1] == pytest.approx(0.3 * (1 - p.decay))
        np.testing.assert_array_equal(np.diag(up), 1.0)

    def test_relationship_alone_grows_understanding(self):
        p = understanding.UnderstandingParams()
        u = np.array([[1.0, 0.3], [0.3, 1.0]])
        s = np.array([[0.0, 0.9], [0.9, 0.0]])
        assert understanding.update_understanding(u, np.zeros((2, 2)), s, p)[0, 1] > 0.3

    def test_bounded(self):
        g = rng(2)
        p = understanding.UnderstandingParams(gain=1.0, decay=0.0)
        for _ in range(20):
            u = g.random((4, 4))
            nxt = understanding.update_understanding(
                u, g.exponential(5, (4, 4)), g.random((4, 4)), p
            )
            assert (nxt >= 0).all() and (nxt <= 1).all()


# ------------------------------------------------------------------------------- accountability
class TestAccountability:
    def test_shortfall_raises_own_credit(self):
        p = accountability.AccountabilityParams()
        inv = np.ones((1, 2), bool)
        z = np.zeros((1, 2))
        own, _ = accountability.credit(
            np.full(2, 0.8), np.array([1.0, 0.5]), inv, z, np.zeros(1), p
        )
        assert own[1] > own[0] > 0

    def test_no_role_no_joint_credit_and_shared_target_and_sponsor_raise_it(self):
        p = accountability.AccountabilityParams()
        inv = np.array([[True, True, False]])
        pressure, own_att = np.full(3, 0.8), np.ones(3)
        _, base = accountability.credit(pressure, own_att, inv, np.zeros((1, 3)), np.zeros(1), p)
        assert base[0, 2] == 0.0
        assert base[0, 0] == pytest.approx(p.intrinsic / 2)
        _, st = accountability.credit(pressure, own_att, inv, np.ones((1, 3)), np.zeros(1), p)
        _, sp = accountability.credit(pressure, own_att, inv, np.zeros((1, 3)), np.ones(1), p)
        assert (st[0, :2] > base[0, :2]).all() and st[0, 2] == 0.0
        assert (sp[0, :2] > base[0, :2]).all() and sp[0, 2] == 0.0

    def test_sponsor_per_agency(self):
        p = accountability.AccountabilityParams()
        inv = np.ones((1, 2), bool)
        sponsor = np.array([[1.0, 0.0]])
        _, j = accountability.credit(np.ones(2), np.ones(2), inv, np.zeros((1, 2)), sponsor, p)
        assert j[0, 0] - j[0, 1] == pytest.approx(p.sponsor_weight)


# ------------------------------------------------------------------------------- decision
def _decision_world(shared_target: float = 0.0, trust_level: float = 0.5):
    """Three agencies, two outcomes; agency 2 has no role in outcome 1."""
    roles = np.array([[0.5, 0.3, 0.2], [0.6, 0.4, 0.0]])
    inv = roles > 0
    pressure = np.full(3, 0.7)
    st = np.full(roles.shape, shared_target) * inv
    own, joint = accountability.credit(
        pressure, np.ones(3), inv, st, np.zeros(2), accountability.AccountabilityParams()
    )
    tr = np.full((3, 3), trust_level)
    np.fill_diagonal(tr, 1.0)
    return dict(
        own_credit=own,
        joint_credit=joint,
        roles=roles,
        trust=tr,
        experience=np.full(roles.shape, 0.5),
        risk_aversion=np.full(3, 0.5),
        openness=np.full(3, 0.5),
        params=decision.DecisionParams(),
    )


class TestDecision:
    def test_shares_sum_to_one_and_no_role_gets_zero(self):
        s = decision.target_shares(**_decision_world())
        assert s.shape == (3, 4)
        np.testing.assert_allclose(s.sum(axis=1), 1.0)
        assert (s >= 0).all()
        assert s[2, 2] == 0.0  # agency 2 has no role in outcome 1 (column 1 + 1)
        assert (s[:2, 1:3] > 0).all()

    def test_agency_with_no_roles_spends_on_own_business(self):
        w = _decision_world()
        w["roles"] = np.array([[0.5, 0.5, 0.0], [0.6, 0.4, 0.0]])
        w["joint_credit"] = np.where(w["roles"] > 0, w["joint_credit"], 0.0)
        s = decision.target_shares(**w)
        np.testing.assert_allclose(s[2], [1.0, 0.0, 0.0, 0.0])

    def test_shared_target_raises_joint_share(self):
        lo = decision.target_shares(**_decision_world(shared_target=0.0))
        hi = decision.target_shares(**_decision_world(shared_target=1.0))
        assert (hi[:, 1:-1].sum(axis=1) > lo[:, 1:-1].sum(axis=1)).all()

    def test_trust_raises_joint_share(self):
        lo = decision.target_shares(**_decision_world(trust_level=0.1))
        hi = decision.target_shares(**_decision_world(trust_level=0.9))
        assert (hi[:, 1:-1].sum(axis=1) > lo[:, 1:-1].sum(axis=1)).all()

    def test_risk_aversion_lowers_joint_share(self):
        w = _decision_world()
        w["experience"] = np.zeros_like(w["experience"])
        lo_risk = decision.target_shares(**{**w, "risk_aversion": np.zeros(3)})
        hi_risk = decision.target_shares(**{**w, "risk_aversion": np.ones(3)})
        assert (hi_risk[:, 1:-1].sum(axis=1) < lo_risk[:, 1:-1].sum(axis=1)).all()

    def test_reliance_is_weighted_trust_in_others(self):
        roles = np.array([[0.5, 0.5, 0.0]])
        tr = np.array([[1.0, 0.2, 0.9], [0.7, 1.0, 0.9], [0.9, 0.9, 1.0]])
        rel = decision.reliance(tr, roles)
        assert rel[0, 0] == pytest.approx(0.2)
        assert rel[0, 1] == pytest.approx(0.7)

    def test_adapt_moves_part_way(self):
        p = decision.DecisionParams(adaptation=0.25)
        s = np.array([[1.0, 0.0]])
        t = np.array([[0.0, 1.0]])
        np.testing.assert_allclose(decision.adapt(s, t, p), [[0.75, 0.25]])

    def test_learn_only_involved_and_bounded(self):
        p = decision.DecisionParams(learning_rate=0.5)
        exp = np.array([[0.5, 0.5]])
        inv = np.array([[True, False]])
        up = decision.learn(exp, np.array([5.0]), inv, p)
        np.testing.assert_allclose(up, [[0.75, 0.5]])
        down = decision.learn(exp, np.array([-3.0]), inv, p)
        np.testing.assert_allclose(down, [[0.25, 0.5]])


# ------------------------------------------------------------------------------- production
class TestProduction:
    roles = np.array([[0.5, 0.3, 0.2]])

    @pytest.mark.parametrize("rho", [-5.0, -1.0, -0.3, 0.0, 0.5, 1.0])
    def test_balanced_input_gives_total(self, rho):
        x = 120.0
        inputs = self.roles / self.roles.sum() * x
        y = production.joint_input(inputs, self.roles, rho)
        assert y[0] == pytest.approx(x, rel=1e-6)

    @pytest.mark.parametrize("rho", [-5.0, -1.0, -0.5])
    def test_missing_role_gives_almost_nothing_when_complements(self, rho):
        inputs = np.array([[100.0, 60.0, 0.0]])
        y = production.joint_input(inputs, self.roles, rho)
        assert 0 <= y[0] < 1e-3

    def test_substitutes_add_up(self):
        inputs = np.array([[100.0, 60.0, 0.0]])
        assert production.joint_input(inputs, self.roles, 1.0)[0] == pytest.approx(160.0)

    def test_inputs_of_non_contributors_are_ignored(self):
        roles = np.array([[0.5, 0.5, 0.0]])
        a = production.joint_input(np.array([[50.0, 50.0, 0.0]]), roles, -1.0)
        b = production.joint_input(np.array([[50.0, 50.0, 1e6]]), roles, -1.0)
        assert a[0] == pytest.approx(b[0])

    def test_more_complementary_means_less_for_unbalanced_input(self):
        inputs = np.array([[100.0, 10.0, 40.0]])
        ys = [production.joint_input(inputs, self.roles, rho)[0] for rho in (1.0, 0.0, -1.0, -5.0)]
        assert all(a > b for a, b in itertools.pairwise(ys))

    def test_coordination_floor_and_ceiling(self):
        roles = np.array([[0.5, 0.3, 0.2], [0.0, 0.5, 0.5]])
        zero = production.coordination(np.zeros((3, 3)), np.zeros((3, 3)), roles, 0.1)
        np.testing.assert_allclose(zero, 0.1)
        full = production.coordination(np.ones((3, 3)), np.ones((3, 3)), roles, 0.1)
        np.testing.assert_allclose(full, 1.0)

    def test_coordination_in_range_and_rises_with_trust(self):
        g = rng(4)
        roles = np.where(g.random((3, 5)) < 0.6, g.random((3, 5)), 0.0)
        roles[:, :2] += 0.1  # at least two contributors each
        for floor in (0.0, 0.1, 0.5):
            for _ in range(10):
                t, u = g.random((5, 5)), g.random((5, 5))
                k = production.coordination(t, u, roles, floor)
                assert (k >= floor - 1e-12).all() and (k <= 1 + 1e-12).all()
        u = np.full((5, 5), 0.5)
        lo = production.coordination(np.full((5, 5), 0.2), u, roles, 0.1)
        hi = production.coordination(np.full((5, 5), 0.8), u, roles, 0.1)
        assert (hi > lo).all()

    def test_lag_delays_capacity(self):
        lag = np.array([6.0])
        pipe = np.zeros((1, 2))
        out = []
        for _ in range(60):
            pipe = production.advance_lag(pipe, np.array([100.0]), lag)
            out.append(pipe[0, 1])
        assert out[0] == 0.0  # nothing reaches the stock in the first month
        assert all(b >= a for a, b in itertools.pairwise(out))
        assert out[2] < 50.0  # still well short after a few months
        assert out[-1] == pytest.approx(100.0, rel=1e-3)

    def test_longer_lag_is_slower(self):
        def after(lag, months=4):
            pipe = np.zeros((1, 2))
            for _ in range(months):
                pipe = production.advance_lag(pipe, np.array([100.0]), np.array([lag]))
            return pipe[0, 1]

        assert after(12.0) < after(3.0)

    def test_need_never_negative(self):
        g = rng(5)
        for _ in range(100):
            need = g.uniform(0, 1000, 4)
            nxt, resolved = production.update_need(
                need,
                g.uniform(0, 10, 4),
                g.uniform(0, 1, 4),
                g.exponential(1e5, 4),
                g.uniform(0, 500, 4),
            )
            assert (nxt >= 0).all() and (resolved >= 0).all()
            assert (resolved <= need + 1e-9).all()

    def test_need_without_capacity_follows_inflow_and_exits(self):
        need = np.array([1000.0])
        nxt, resolved = production.update_need(
            need, np.array([30.0]), np.array([0.03]), np.zeros(1), np.array([100.0])
        )
        assert resolved[0] == 0.0
        assert nxt[0] == pytest.approx(1000 - 30 + 30)

    def test_half_saturation_makes_last_cases_harder(self):
        cap = np.array([50.0])
        _, big = production.update_need(
            np.array([1000.0]), np.zeros(1), np.zeros(1), cap, np.array([100.0])
        )
        _, small = production.update_need(
            np.array([50.0]), np.zeros(1), np.zeros(1), cap, np.array([100.0])
        )
        assert small[0] < big[0] < cap[0]  # the same capacity resolves fewer cases of a small stock


# ------------------------------------------------------------------------------- overhead
class TestOverhead:
    def test_heavier_for_low_admin_capacity(self):
        membership = np.array([[True, True]])
        ovh = overhead.overhead(membership, np.array([1.0, 0.25]), overhead.OverheadParams())
        assert ovh[0, 1] > ovh[0, 0] > 0
        assert ovh[0, 0] == pytest.approx(60 + 30)
        assert ovh[0, 1] == pytest.approx(60 + 30 / 0.25)

    def test_zero_for_non_members_and_linear_in_memberships(self):
        membership = np.array([[True, False], [True, False]])
        ovh = overhead.overhead(membership, np.ones(2), overhead.OverheadParams())
        np.testing.assert_array_equal(ovh[:, 1], 0.0)
        assert ovh[:, 0].sum() == pytest.approx(2 * ovh[0, 0])
