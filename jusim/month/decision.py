"""Phase 4, decision: agencies split their free resources (7.2, 7.3).

Expected credit (``mechanisms/accountability.py``, with last month's own attainment; members'
ownership of their partnership adds to it) and the decision rule (``mechanisms/decision.py``, with
last month's trust, experience and what has been mainstreamed) give target shares; cost shifting
under a narrow target adapts the same way (``mechanisms/spillover.py``); actual shares move toward
the targets and split free resources between own targets, each outcome and relationship work.
"""

from __future__ import annotations

from jusim.mechanisms import accountability, defensive, mainstreaming, spillover
from jusim.mechanisms import decision as deciding
from jusim.month.runs import Runs
from jusim.month.state import Flows, State


def run_one(s: State, f: Flows) -> None:
    w, p, r = s.world, s.params, s.rules
    own_credit, joint_credit = accountability.credit(
        w.accountability,
        s.own_att,
        w.involved,
        mainstreaming.carried_target(r.shared_target, s.mainstreamed, p.mainstreaming),
        r.sponsor,
        p.accountability,
    )
    target_shift = spillover.target_shifting(
        own_credit,
        r.narrow_lift,
        w.accountability,
        r.shared_target,
        r.pool_share,
        s.spill_cases,
        p.spillover,
    )
    s.shifting = deciding.adapt(s.shifting, target_shift, p.decision)
    f.openness = defensive.openness(w.openness, s.defence)  # (A,) after defensiveness
    # ownership: members engaged in their partnership value its outcome more (buy-in)
    s.credit = joint_credit = joint_credit + p.partnership.ownership * r.buy_in * w.involved
    target = deciding.target_shares(
        own_credit,
        joint_credit * defensive.effort_factor(s.defence, p.defensive)[None, :],
        w.roles,
        s.trust,
        mainstreaming.familiarity(s.experience, s.mainstreamed, p.mainstreaming),
        w.risk_aversion,
        f.openness,
        p.decision,
    )
    s.shares = target if s.shares is None else deciding.adapt(s.shares, target, p.decision)
    f.own_in = f.core + s.shares[:, 0] * f.free
    f.joint = (s.shares[:, 1:-1] * f.free[:, None]).T
    f.rel = s.shares[:, -1] * f.free


def run(runs: Runs) -> None:
    runs.each(run_one)
