"""Selective collaboration (I20): partners screened, partnerships start small and grow once they
deliver, through the partnership entity's own formation rules."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.mechanisms import selection
from jusim.mechanisms.partnering import PartnershipParams
from jusim.partnership import Partnerships

FORMING = {
    "parameters.partnership.proposal_rate": 0.05,
    "parameters.partnership.drift": 0.02,
}
RULE = selection.Selection(screen=0.3, min_gain=0.1, first_members=2, grow_at=0.02)


def test_invitees_pass_the_screen_and_the_first_step_is_small():
    u = np.array(
        [
            [1.0, 0.5, 0.4, 0.1],
            [0.5, 1.0, 0.2, 0.2],
            [0.4, 0.2, 1.0, 0.2],
            [0.1, 0.2, 0.2, 1.0],
        ]
    )
    invited = np.array([True, True, True, True])
    assert list(selection.invitees(invited, 0, u, RULE)) == [True, True, False, False]
    three = selection.Selection(0.3, 0.1, 3, 0.02)
    assert list(selection.invitees(invited, 0, u, three)) == [True, True, True, False]
    # agency 3 is understood by nobody well enough: it cannot form one
    assert list(selection.invitees(invited, 3, u, three)) == [False, False, False, True]


def test_a_delivering_partnership_offers_one_seat_to_the_best_understood_contributor():
    pt = Partnerships(4)
    pt.selection = RULE
    k = pt.create(0, np.array([0, 1]), month=0, setup=2)
    assert pt.selected[k]
    u = np.full((4, 4), 0.5)
    u[0, 3] = u[3, 0] = 0.9
    involved = np.ones((1, 4), bool)
    args = (np.full((1, 4), 1.0), np.full(4, 1e6), np.ones(4), u, involved, RULE)
    params = PartnershipParams()
    pt.value[k] = 0.05
    selection.grow(pt, pt.selected, *args, params)
    assert not pt.members[k, 3]  # still being set up: no growth yet
    pt.age[k] = 2
    selection.grow(pt, pt.selected, *args, params)
    assert list(pt.members[k]) == [True, True, False, True]  # one seat, the best understood
    pt.value[k] = 0.01  # no longer delivering enough: no more seats
    selection.grow(pt, pt.selected, *args, params)
    assert not pt.members[k, 2]


def test_partnerships_formed_under_it_start_small(short_world, stepped):
    s = short_world.with_overrides(FORMING)
    plain = stepped(s)
    chosen = stepped(s.with_interventions([{"type": "selective_collaboration", "screen": 0.0}]))
    for m in (plain, chosen):
        for _ in range(12):
            m.step()
    assert plain.partnerships.count > 0 and chosen.partnerships.count > 0
    assert not plain.partnerships.selected.any()
    pt = chosen.partnerships
    assert pt.selected.all()
    young = pt.age < pt.setup  # cannot have grown yet
    assert (pt.members[young].sum(axis=1) <= 2).all()
    assert plain.partnerships.members.sum(axis=1).max() > 2


def test_a_strict_screen_stops_formation(short_world, stepped):
    s = short_world.with_overrides(FORMING)
    m = stepped(s.with_interventions([{"type": "selective_collaboration", "screen": 0.99}]))
    for _ in range(12):
        m.step()
    assert m.partnerships.count == 0  # nobody understands anybody that well yet


def test_it_checks_its_fields(short_world):
    from jusim.scenario import ScenarioError

    with pytest.raises(ScenarioError, match="first_members"):
        short_world.with_interventions([{"type": "selective_collaboration", "first_members": 1}])
    with pytest.raises(ScenarioError, match="end"):
        short_world.with_interventions([{"type": "selective_collaboration", "start": 10, "end": 5}])
