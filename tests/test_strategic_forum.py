"""Strategic forum (I23): every agency on one mandated partnership, paying seats and
consultation, meeting, and delivering only a small share of a delivery partnership's production."""

from __future__ import annotations

import numpy as np
import pytest

RS = "rough_sleeping"


def forum(world, **kw):
    return world.with_interventions([{"type": "strategic_forum", "outcome": RS, **kw}])


def test_every_agency_sits_on_one_mandated_partnership(short_world, stepped):
    m = stepped(forum(short_world))
    m.step()
    pt = m.partnerships
    assert pt.count == 1 and pt.live[0] and pt.mandated[0]
    assert pt.members[0].all()
    assert pt.delivery[0] == pytest.approx(0.1)
    assert m.rules.membership[m.world.outcome_index[RS]].all()


def test_seats_and_consultation_cost_every_member_and_meetings_create_contact(short_world, stepped):
    plain, with_forum = stepped(short_world), stepped(forum(short_world))
    for m in (plain, with_forum):
        m.step()
    extra = with_forum.rules.admin_demand - plain.rules.admin_demand
    p = with_forum.params.partnership
    n = with_forum.world.n_agencies
    # a seat plus a consultation link with each of the n - 1 others, at least
    assert (extra >= p.seat + p.consultation * (n - 1) - 1e-9).all()
    assert (with_forum.contact > plain.contact).sum() > n  # every pair meets


def test_it_delivers_a_share_of_what_a_delivery_partnership_would(default_world, stepped):
    s = default_world.with_overrides({"horizon": 12})
    full, forum_ = stepped(forum(s, delivery=1.0)), stepped(forum(s))
    for m in (full, forum_):
        for _ in range(8):  # past the six months of set-up
            m.step()
    g_full, g_forum = full.partnerships.gain[0], forum_.partnerships.gain[0]
    assert g_full > 0
    np.testing.assert_allclose(g_forum, 0.1 * g_full, rtol=0.2)  # states have drifted apart


def test_named_members_and_bounds(short_world, stepped):
    from jusim.scenario import ScenarioError

    m = stepped(forum(short_world, members=["police", "home_office"]))
    m.step()
    assert m.partnerships.members[0].sum() == 2
    with pytest.raises(ScenarioError, match="delivery"):
        forum(short_world, delivery=2.0)
    with pytest.raises(ScenarioError, match="members"):
        forum(short_world, members=["nobody"])
