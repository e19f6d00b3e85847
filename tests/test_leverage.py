"""Leverage follows money: a pot pays for the work of the partners it funds, grants carry terms."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.mechanisms.funding import FundingParams, pot_spending
from jusim.scenario import ScenarioError

RS = "rough_sleeping"
MEMBERS = ["housing_department", "homelessness_charity", "police"]


def test_pot_is_spent_on_funded_roles_only():
    roles = np.array([[0.5, 0.3, 0.2, 0.0]])
    funded = np.array([[True, False, True, True]])
    spent = pot_spending(np.array([100.0]), funded, roles, FundingParams())
    assert spent.sum() == pytest.approx(100.0)
    assert spent[0, 1] == 0.0 and spent[0, 3] == 0.0  # unfunded, and funded without a role
    assert spent[0, 0] / spent[0, 2] == pytest.approx(0.5 / 0.2)


def test_untied_pot_pays_every_role_and_an_unfunded_pot_is_not_lost():
    roles = np.array([[0.5, 0.3, 0.2], [0.0, 0.4, 0.6]])
    funded = np.array([[True, False, False], [True, False, False]])  # row 1: funded has no role
    spent = pot_spending(np.array([100.0, 50.0]), funded, roles, FundingParams(untied_share=1))
    np.testing.assert_allclose(spent[0], [50.0, 30.0, 20.0])
    spent = pot_spending(np.array([100.0, 50.0]), funded, roles, FundingParams())
    np.testing.assert_allclose(spent[1], [0.0, 20.0, 30.0])


def _unit(world, **kw):
    iv = {"type": "central_unit", "outcome": RS, "members": MEMBERS, **kw}
    return world.with_interventions([iv])


def test_unit_funds_members_and_grantees_and_steers_the_rest(short_world, stepped):
    m = stepped(_unit(short_world, grants=["local_authority"], steer=0.7))
    m.step()
    r, w = m.rules, m.world
    o = w.outcome_index[RS]
    la, nhs = w.agency_index["local_authority"], w.agency_index["nhs_trust"]
    members = [w.agency_index[a] for a in MEMBERS]
    assert r.funded[o, members].all() and r.funded[o, la] and not r.funded[o, nhs]
    assert r.pool_share[o, la] == 0.0  # a grantee does not pool
    assert r.membership[o, la] and not r.membership[o, nhs]
    assert r.shared_target[o, la] == pytest.approx(1.0) and r.shared_target[o, nhs] == 0.0
    assert r.sponsor[o, nhs] == pytest.approx(0.7) and r.sponsor[o, members].max() == 0.0
    assert m.inputs[o, la] > 0  # paid from the pot as well as its own budget


def test_grant_terms_follow_the_funding_parameter(short_world, stepped):
    s = _unit(short_world, grants=["local_authority"]).with_overrides(
        {"parameters.funding.grant_conditions": 0.5}
    )
    m = stepped(s)
    m.step()
    o, la = m.world.outcome_index[RS], m.world.agency_index["local_authority"]
    assert m.rules.shared_target[o, la] == pytest.approx(0.5)


def test_default_unit_still_funds_every_contributor(short_world, stepped):
    m = stepped(short_world.with_interventions([{"type": "central_unit", "outcome": RS}]))
    m.step()
    o = m.world.outcome_index[RS]
    assert (m.rules.funded[o] == m.world.involved[o]).all()


def test_pooled_budget_grants(short_world, stepped):
    s = short_world.with_interventions(
        [{"type": "pooled_budget", "outcome": RS, "members": MEMBERS, "grants": ["nhs_trust"]}]
    )
    m = stepped(s)
    m.step()
    o, nhs = m.world.outcome_index[RS], m.world.agency_index["nhs_trust"]
    assert m.rules.funded[o, nhs] and m.rules.pool_share[o, nhs] == 0.0


@pytest.mark.parametrize("kind", ["central_unit", "pooled_budget"])
def test_unknown_grantee_is_a_clear_error(short_world, kind):
    with pytest.raises(ScenarioError, match=r"grants.*nobody"):
        short_world.with_interventions([{"type": kind, "outcome": RS, "grants": ["nobody"]}])
