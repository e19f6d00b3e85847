"""The partnership entity, its mechanisms (cost of membership, saturating joint production) and the
interventions that convene and lead partnerships."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.mechanisms import partnering
from jusim.mechanisms.partnering import PartnershipParams
from jusim.partnership import Partnerships

RS = "rough_sleeping"


def members_matrix(*rows: list[int], a: int = 6) -> np.ndarray:
    m = np.zeros((len(rows), a), bool)
    for p, row in enumerate(rows):
        m[p, row] = True
    return m


# ----------------------------------------------------------------------------- mechanisms
def test_without_a_lead_every_member_consults_every_other():
    m = members_matrix([0, 1, 2, 3], [4, 5])
    links = partnering.consultation_links(m, np.array([-1, -1]), np.array([0.0, 0.0]))
    np.testing.assert_array_equal(links[0], [3, 3, 3, 3, 0, 0])
    np.testing.assert_array_equal(links[1], [0, 0, 0, 0, 1, 1])


def test_a_lead_with_clout_brokers_links():
    m = members_matrix([0, 1, 2, 3, 4])
    full = partnering.consultation_links(m, np.array([0]), np.array([1.0]))
    np.testing.assert_array_equal(full[0], [4, 1, 1, 1, 1, 0])  # a hub: one link to the lead
    half = partnering.consultation_links(m, np.array([0]), np.array([0.5]))
    np.testing.assert_allclose(half[0, 1:5], 0.5 * 4 + 0.5)
    none = partnering.consultation_links(m, np.array([0]), np.array([0.0]))
    np.testing.assert_array_equal(none[0, :5], 4)


def test_consultation_per_member_grows_with_membership_and_a_lead_slows_the_growth():
    per_member = []
    for lead in (-1, 0):
        row = []
        for n in range(2, 7):
            m = members_matrix(list(range(n)), a=8)
            row.append(partnering.consultation_links(m, np.array([lead]), np.array([0.8])).sum())
        per_member.append(np.array(row) / np.arange(2, 7))
    assert np.all(np.diff(per_member[0]) > 0)
    assert np.all(np.diff(per_member[1]) < np.diff(per_member[0]))


def test_needs_covered_saturate_as_roles_are_added():
    roles = np.array([[0.2, 0.2, 0.2, 0.2, 0.2, 0.0]])
    cover = [
        partnering.needs_covered(members_matrix(list(range(n))), np.array([0]), roles, 2.5)[0]
        for n in range(1, 6)
    ]
    gains = np.diff([0.0, *cover])
    assert np.all(gains > 0) and np.all(np.diff(gains) < 0)  # each added role adds less
    assert cover[-1] < 1.0
    # a member with no role in the outcome covers nothing
    m = members_matrix([0, 5])
    assert partnering.needs_covered(m, np.array([0]), roles, 2.5)[0] == pytest.approx(cover[0])


def test_agreement_slows_with_load_and_eases_with_shared_aims():
    m = members_matrix([0, 1, 2], [0, 1, 2])
    links = partnering.consultation_links(m, np.array([-1, -1]), np.zeros(2))
    cap = np.ones(6)
    eff = partnering.agreement_efficiency(links, m, cap, np.array([0.0, 0.5]), 0.2)
    assert eff[0] == pytest.approx(1 / (1 + 0.2 * 2))
    assert eff[1] > eff[0]
    small = partnering.agreement_efficiency(links, m, cap * 0.3, np.zeros(2), 0.2)
    assert np.all(small < eff[0])  # little admin capacity: slower agreement


def test_overlapping_partnerships_combine_with_diminishing_returns():
    gain = partnering.outcome_gain(np.array([0.3, 0.3, 0.2]), np.array([0, 0, 1]), 3)
    np.testing.assert_allclose(gain, [1 - 0.7 * 0.7, 0.2, 0.0])


def test_nothing_is_delivered_before_setup():
    p = PartnershipParams()
    g = partnering.delivered_gain(
        np.array([0.8, 0.8]), np.array([0.5, 0.5]), np.array([False, True]), p
    )
    assert g[0] == 0 and g[1] == pytest.approx(p.integration * 0.4)


# --------------------------------------------------------------------------------- entity
def test_convene_shares_one_partnership_per_outcome_and_members():
    pt = Partnerships(5)
    pt.begin_month()
    a = pt.convene(0, np.array([0, 1, 2]), month=0, setup=6)
    b = pt.convene(0, np.array([2, 1, 0]), month=0, setup=6)
    c = pt.convene(0, np.array([0, 1]), month=0, setup=6)
    d = pt.convene(1, np.array([0, 1, 2]), month=0, setup=6)
    assert a == b and len({a, c, d}) == 3
    pt.end_interventions()
    assert pt.n_live() == 3
    np.testing.assert_array_equal(pt.membership(2), [[1, 1, 1, 0, 0], [1, 1, 1, 0, 0]])
    pt.begin_month()
    pt.convene(0, np.array([0, 1]), month=1, setup=6)
    pt.end_interventions()  # nobody convened a or d this month: wound up
    assert list(pt.live) == [False, True, False]
    np.testing.assert_array_equal(pt.membership(2), [[1, 1, 0, 0, 0], [0, 0, 0, 0, 0]])


def test_aims_are_the_mean_understanding_between_members():
    pt = Partnerships(3)
    pt.create(0, np.array([0, 1, 2]), month=0, setup=0)
    u = np.array([[1.0, 0.2, 0.4], [0.2, 1.0, 0.6], [0.4, 0.6, 1.0]])
    pt.update_aims(u)
    assert pt.aims[0] == pytest.approx(0.4)


# --------------------------------------------------------------------- in the model
def test_rules_membership_and_admin_demand_come_from_live_partnerships(short_world, stepped):
    quiet = short_world.with_overrides({"parameters.capacity.consultations": 0.0})  # no requests
    s = quiet.with_interventions([{"type": "partnership", "outcome": RS, "start": 1, "end": 3}])
    m = stepped(s)
    o = m.world.outcome_index[RS]
    contributors = np.flatnonzero(m.world.roles[o] > 0)
    p = m.params.partnership
    for month in range(5):
        m.step()
        active = 1 <= month < 3
        assert m.rules.membership[o, contributors].all() == active
        expected = (p.seat + p.consultation * (contributors.size - 1)) if active else 0.0
        np.testing.assert_allclose(m.rules.admin_demand[contributors], expected)
    assert m.partnerships.count == 1 and m.partnerships.n_live() == 0


def test_a_partnership_delivers_only_after_its_setup_period(short_world, stepped):
    s = short_world.with_overrides({"parameters.partnership.setup": 4})
    m = stepped(s.with_interventions([{"type": "partnership", "outcome": RS}]))
    gains = []
    for _ in range(7):
        m.step()
        gains.append(m.partnerships.gain[0])
    assert gains[:4] == [0.0] * 4 and all(g > 0 for g in gains[4:])


def test_pooled_budget_and_shared_target_with_the_same_members_share_one_partnership(
    short_world, stepped
):
    s = short_world.with_interventions(
        [{"type": "pooled_budget", "outcome": RS}, {"type": "shared_targets", "outcome": RS}]
    )
    m = stepped(s)
    m.step()
    assert m.partnerships.count == 1


def test_accountable_lead_brokers_agreement_and_cuts_running_cost(short_world, stepped):
    base = [{"type": "partnership", "outcome": RS}]
    lead = {"type": "accountable_lead", "outcome": RS, "lead": "local_authority", "clout": 0.8}
    plain, led = (
        stepped(short_world.with_interventions(base)),
        stepped(short_world.with_interventions([*base, lead])),
    )
    for m in (plain, led):
        for _ in range(8):
            m.step()
    assert led.partnerships.count == 1
    assert led.partnerships.lead[0] == led.world.agency_index["local_authority"]
    assert led.partnerships.clout[0] == pytest.approx(0.8)
    assert led.partnerships.cost[0] < plain.partnerships.cost[0]
    assert led.rules.admin_demand.sum() < plain.rules.admin_demand.sum()


def test_accountable_lead_defaults_to_the_largest_role(short_world, stepped):
    m = stepped(short_world.with_interventions([{"type": "accountable_lead", "outcome": RS}]))
    m.step()
    o = m.world.outcome_index[RS]
    assert m.partnerships.lead[0] == int(np.argmax(m.world.roles[o]))


def test_accountable_lead_must_be_a_member(short_world):
    from jusim.scenario import ScenarioError

    with pytest.raises(ScenarioError, match="lead"):
        short_world.with_interventions(
            [
                {
                    "type": "accountable_lead",
                    "outcome": RS,
                    "members": ["police", "nhs_trust"],
                    "lead": "local_authority",
                }
            ]
        )


def test_board_month_demand_and_delivery_equal_each_run_alone():
    """``partnership.Board``: the demand, links, aims, formal pairs, gain, value and integration
    of R runs' partnerships at once are exactly each run's own (``Partnerships.month_demand``,
    ``formal_pairs`` and ``deliver``), month after month, with runs that have formed different numbers of
    partnerships (leads, agreements, engagement and proposals: the many-levers scenario)."""
    import copy

    from test_engine_docking import many_levers

    from jusim import month
    from jusim.model import JoinedUpModel
    from jusim.month.runs import Runs
    from jusim.partnership import Board

    base = many_levers().with_overrides({"horizon": 30})
    busy = base.with_overrides(
        {"parameters": {"partnership": {"proposal_rate": 0.2, "drift": 0.03}}}
    )
    models = [JoinedUpModel(sc, seed) for sc, seed in [(base, 1), (busy, 2), (base, 3), (busy, 4)]]
    runs = Runs([m.state for m in models])
    checked = formal = 0
    for _ in range(30):
        for phase in month.PHASES:
            if phase is month.resources:
                alone = [copy.deepcopy(s.partnerships) for s in runs.states]
                own = [
                    pt.month_demand(s.understanding, s.params.partnership, s.params.formality)
                    for pt, s in zip(alone, runs.states, strict=True)
                ]
                board = Board([s.partnerships for s in runs.states])
                demand = board.month_demand(runs)
                for mine, got in zip(own, board.rows(demand), strict=True):
                    np.testing.assert_array_equal(got, mine)
                for pt, got in zip(alone, board.formal_pairs(), strict=True):
                    if pt.formal.any():
                        np.testing.assert_array_equal(got, pt.formal_pairs())
                        formal += 1
                    else:
                        assert got is None
                for pt, s in zip(alone, runs.states, strict=True):
                    np.testing.assert_array_equal(s.partnerships.links_now, pt.links_now)
                    np.testing.assert_array_equal(s.partnerships.aims, pt.aims)
            if phase is month.production:
                alone = [copy.deepcopy(s.partnerships) for s in runs.states]
                board = Board([s.partnerships for s in runs.states])
                got = board.deliver(runs)
                for r, (pt, s) in enumerate(zip(alone, runs.states, strict=True)):
                    if pt.count:
                        w = s.world
                        mine = pt.deliver(w.roles, w.admin_capacity, s.params.partnership)
                        np.testing.assert_array_equal(got[r], mine)
                        np.testing.assert_array_equal(s.partnerships.gain, pt.gain)
                        np.testing.assert_array_equal(s.partnerships.value, pt.value)
                        checked += int(pt.live.any())
                    else:
                        assert not got[r].any()
            phase.run(runs)
        runs = runs.next_month()
    counts = [s.partnerships.count for s in runs.states]
    assert checked > 30 and formal > 30 and len(set(counts)) > 1 and max(counts) > 8, counts
