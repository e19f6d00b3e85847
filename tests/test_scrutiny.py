"""Public scrutiny: failure judged from what a partnership delivers against what it costs, and
the expected reputational cost of a public failure weighed by invitees."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.mechanisms import partnering, scrutiny
from jusim.mechanisms.partnering import PartnershipParams
from jusim.mechanisms.scrutiny import Record, ScrutinyParams
from jusim.partnership import Partnerships

FORMING = {
    "horizon": 60,
    "parameters.partnership.proposal_rate": 0.05,
    "parameters.partnership.drift": 0.02,
}


def _two_partnerships():
    pt = Partnerships(3)
    good = pt.create(0, np.array([0, 1]), month=0, setup=0)
    poor = pt.create(0, np.array([1, 2]), month=0, setup=0)
    pt.value[:] = [0.2, 0.01]
    pt.cost[:] = [10.0, 10.0]
    credit = np.full((1, 3), 0.5)
    share = np.full((2, 3), 0.02)  # each seat costs 2% of its member's budget
    return pt, good, poor, credit, share


def test_a_partnership_fails_when_it_delivers_less_than_it_costs_its_members():
    pt, _, _, credit, share = _two_partnerships()
    rec = Record()
    scrutiny.judge(rec, pt, credit, share, np.array([np.inf]), cost_weight=1.0)
    # good: 2 x 0.5 x 0.2 = 0.2 >= 0.04; poor: 2 x 0.5 x 0.01 = 0.01 < 0.04
    assert list(rec.judged) == [True, True]
    assert list(rec.failed) == [False, True]
    assert rec.lost() == 10.0  # the poor one's month
    assert pt.live.all()  # without early detection nobody winds it up


def test_early_detection_winds_up_after_the_set_number_of_failing_months():
    pt, good, poor, credit, share = _two_partnerships()
    rec = Record()
    for month in range(1, 4):
        scrutiny.judge(rec, pt, credit, share, np.array([3.0]), cost_weight=1.0)
        assert pt.live[poor] == (month < 3)
    assert pt.live[good] and rec.detected[poor] and not rec.detected[good]
    assert rec.lost() == 30.0


def test_partnerships_still_being_set_up_or_convened_by_an_intervention_are_not_judged():
    pt = Partnerships(2)
    pt.create(0, np.array([0, 1]), month=0, setup=6)
    pt.create(0, np.array([0, 1]), month=0, setup=0, by_intervention=True)
    rec = Record()
    scrutiny.judge(rec, pt, np.ones((1, 2)), np.ones((2, 2)), np.array([1.0]), 1.0)
    assert not rec.judged.any() and pt.live.all()


def test_failure_chance_is_the_record_shrunk_toward_the_prior():
    p = ScrutinyParams(prior_failure=0.3, prior_weight=5)
    rec = Record()
    assert rec.failure_chance(p) == pytest.approx(0.3)
    rec.grow(10)
    rec.judged[:] = True
    rec.failed[:8] = True
    assert rec.failure_chance(p) == pytest.approx((8 + 1.5) / 15)


def test_expected_cost_is_visibility_times_penalty_times_failure_less_dispensation():
    rec = Record()
    waived = np.array([[0.0, 0.5]])
    cost = scrutiny.expected_cost(rec, waived, ScrutinyParams(visibility=0.5, penalty=0.2))
    np.testing.assert_allclose(cost, [[0.5 * 0.2 * 0.3, 0.5 * 0.2 * 0.3 * 0.5]])
    assert not scrutiny.expected_cost(rec, waived, ScrutinyParams()).any()  # default: unseen
    off = ScrutinyParams(visibility=1.0, penalty=0.0)
    assert not scrutiny.expected_cost(rec, waived, off).any()


def test_an_invitee_declines_a_seat_whose_risk_outweighs_its_margin():
    p = PartnershipParams()
    assert partnering.worth_a_seat(0.5, 0.1, 0.03, False, p, 0.0)
    assert not partnering.worth_a_seat(0.5, 0.1, 0.03, False, p, 0.03)


def test_default_scrutiny_changes_nothing_and_a_penalty_of_zero_neither(default_world):
    import jusim

    s = default_world.with_overrides(FORMING)
    base = jusim.run(s, seed=1)
    seen = jusim.run(
        s.with_overrides(
            {"parameters.scrutiny.visibility": 0.9, "parameters.scrutiny.penalty": 0.0}
        ),
        seed=1,
    )
    np.testing.assert_array_equal(base["need"], seen["need"])
    np.testing.assert_array_equal(base["partnerships"], seen["partnerships"])


def test_visible_failure_means_fewer_partnerships_start(default_world, stepped):
    s = default_world.with_overrides(FORMING)
    high = s.with_overrides({"parameters.scrutiny.visibility": 0.9})
    started = {}
    for name, world in (("none", s), ("high", high)):
        total = 0
        for seed in range(3):
            m = stepped(world, seed)
            m.run()
            total += int((~m.partnerships.by_intervention).sum())
        started[name] = total
    assert started["high"] < started["none"]


def test_bad_scrutiny_parameter_is_named(default_world):
    from jusim.scenario import ScenarioError

    with pytest.raises(ScenarioError, match="visibility"):
        default_world.with_overrides({"parameters.scrutiny.visibility": 2.0})


def test_a_run_records_starts_and_money_lost_as_running_totals(default_world, stepped):
    s = default_world.with_overrides(FORMING).with_interventions([{"type": "consensus_to_operate"}])
    m = stepped(s, 2)
    r = m.run()
    pt = m.partnerships
    started, lost = r["partnerships_started"], r["failure_loss"]
    assert started[0] == 0 and (np.diff(started) >= 0).all() and (np.diff(lost) >= 0).all()
    assert started[-1] == (~pt.by_intervention).sum() > 0
    assert lost[-1] == pytest.approx(m.scrutiny.lost()) and lost[-1] > 0


def test_judging_runs_together_on_a_board_equals_judging_each_alone():
    """``judge`` over a run axis (records, a ``partnership.Board``, padded cost shares): three
    runs with 2, 0 and 1 partnerships and early detection in one, month after month, each run's
    record and partnerships identical to the same run judged alone."""
    import copy

    from jusim.partnership import Board

    def runs():
        a, _, _, credit, share = _two_partnerships()
        b = Partnerships(3)
        c = Partnerships(3)
        c.create(0, np.array([0, 2]), month=0, setup=0)
        c.value[:], c.cost[:] = [0.02], [4.0]
        return [a, b, c], credit, share

    together, credit, share = runs()
    apart = copy.deepcopy(together)
    shares = [share, np.zeros((0, 3)), np.full((1, 3), 0.03)]
    detection = [np.array([2.0]), np.array([np.inf]), np.array([np.inf])]
    rec_t = [Record() for _ in together]
    rec_a = [Record() for _ in apart]
    for _ in range(4):
        board = Board(together)
        padded = board.gather(shares)
        scrutiny.judge(rec_t, board, np.stack([credit] * 3), padded, np.stack(detection), 1.0)
        for rec, pt, sh, det in zip(rec_a, apart, shares, detection, strict=True):
            if pt.count:
                scrutiny.judge(rec, pt, credit, sh, det, 1.0)
    for rt, ra, pt, pa in zip(rec_t, rec_a, together, apart, strict=True):
        for name in ("judged", "failed", "failing", "detected", "spent", "wasted"):
            assert np.array_equal(getattr(rt, name), getattr(ra, name)), name
        assert np.array_equal(pt.live, pa.live)
    assert rec_t[0].detected.any() and not together[0].live.all()  # detection acted
    assert rec_t[1].judged.size == 0 and rec_t[2].failed.all()
