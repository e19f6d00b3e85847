"""Partnerships that agencies form themselves (posturing, going stale) and the review intervention
that winds them up or relaunches them."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.mechanisms import partnering
from jusim.mechanisms.partnering import PartnershipParams
from jusim.partnership import Partnerships

FORMING = {
    "parameters.partnership.proposal_rate": 0.05,
    "parameters.partnership.drift": 0.02,
}


def test_a_seat_is_taken_for_tangible_benefit_and_kept_for_its_symbol():
    p = PartnershipParams(symbolic_seat=0.05, cost_weight=1.0)
    credit, cost = np.array([0.2, 0.2]), np.array([0.02, 0.3])
    assert list(partnering.worth_a_seat(credit, 0.2, cost, False, p)) == [True, False]
    # a partnership that adds nothing any more keeps the cheap seat, not the dear one
    assert list(partnering.worth_a_seat(credit, 0.0, cost, True, p)) == [True, False]
    assert not partnering.worth_a_seat(credit, 0.0, cost, False, p).any()


def test_value_added_discounts_overlap_with_other_partnerships_on_the_outcome():
    value = partnering.marginal_value(np.array([0.3, 0.2, 0.4]), np.array([0, 0, 1]), 2)
    np.testing.assert_allclose(value, [0.3 * 0.8, 0.2 * 0.7, 0.4])


def test_relevance_drifts_and_a_review_relaunches_or_winds_up():
    pt = Partnerships(4)
    keep = pt.create(0, np.array([0, 1]), month=0, setup=2)
    stale = pt.create(0, np.array([2, 3]), month=0, setup=2)
    mandated = pt.create(1, np.array([0, 2]), month=0, setup=2, by_intervention=True)
    young = pt.create(1, np.array([1, 3]), month=0, setup=50)
    for _ in range(5):
        pt.age_one_month(0.1)
    assert pt.relevance[keep] == pytest.approx(0.9**5)
    pt.value[:] = [0.1, 0.001, 0.001, 0.0]
    pt.review(threshold=0.02, relaunch=3)
    assert list(pt.live) == [True, False, True, True]  # mandated ones are never wound up
    assert not pt.live[stale]
    assert pt.relevance[keep] == 1.0 and pt.relevance[mandated] == 1.0
    assert pt.setup[keep] == pt.age[keep] + 3  # relaunching takes time
    assert pt.setup[young] == 50  # still being set up: not reviewed


def test_no_partnerships_form_unless_proposals_are_switched_on(short_world, stepped):
    m = stepped(short_world)
    for _ in range(12):
        m.step()
    assert m.partnerships.count == 0


def test_agencies_form_partnerships_with_members_who_expect_a_benefit(short_world, stepped):
    m = stepped(short_world.with_overrides(FORMING))
    for _ in range(12):
        m.step()
    pt = m.partnerships
    assert pt.count > 0
    assert (pt.members[pt.live].sum(axis=1) >= 2).all()
    for k in range(pt.count):  # members are contributors to the partnership's outcome
        assert m.world.involved[pt.outcome[k], pt.members[k]].all()
    # the small charities' seats cost them too large a share of their budgets to be worth it
    charities = [m.world.agency_index[n] for n in ("homelessness_charity", "early_years_group")]
    assert not pt.members[:, charities].any()


def test_formation_is_reproducible(short_world):
    import jusim

    s = short_world.with_overrides(FORMING)
    a, b = jusim.run(s, seed=3), jusim.run(s, seed=3)
    np.testing.assert_array_equal(a["partnerships"], b["partnerships"])
    np.testing.assert_array_equal(a["need"], b["need"])


def test_review_intervention_closes_the_stale_at_its_month(default_world, stepped):
    s = default_world.with_overrides({**FORMING, "horizon": 40})
    review = {"type": "review", "interval": 12, "threshold": 1.0, "relaunch": 2}
    plain, reviewed = stepped(s), stepped(s.with_interventions([review]))
    for m in (plain, reviewed):
        for _ in range(13):  # the first review acts in month 12
            m.step()
    setup = s.parameters.partnership.setup

    def old_and_live(m):  # formed early enough to be delivering at month 12
        pt = m.partnerships
        return pt.live & ~pt.by_intervention & (pt.founded <= 12 - setup)

    assert old_and_live(plain).any()
    assert not old_and_live(reviewed).any()  # threshold 1: every delivering one is closed


def test_review_checks_its_months(default_world):
    from jusim.scenario import ScenarioError

    with pytest.raises(ScenarioError, match="end"):
        default_world.with_interventions([{"type": "review", "start": 10, "end": 5}])
