"""Phase 4, decision: agencies split their free resources (7.2, 7.3).

Expected credit (``mechanisms/accountability.py``, with last month's own attainment; members'
ownership of their partnership adds to it) and the decision rule (``mechanisms/decision.py``, with
last month's trust, experience and what has been mainstreamed) give target shares; cost shifting
under a narrow target adapts the same way (``mechanisms/spillover.py``); actual shares move toward
the targets and split free resources between own targets, each outcome and relationship work.
All R runs at once, along a leading run axis (``jusim/month/runs.py``).
"""

from __future__ import annotations

import numpy as np

from jusim.mechanisms import accountability, defensive, mainstreaming, spillover
from jusim.mechanisms import decision as deciding
from jusim.month.runs import Runs


def run(runs: Runs) -> None:
    p, world, rules = runs.params, runs.stack_world, runs.stack_rules
    pressure, involved = world("accountability"), world("involved")
    shared_target, mainstreamed = rules("shared_target"), runs.stack("mainstreamed")
    own_credit, joint_credit = accountability.credit(
        pressure,
        runs.stack("own_att"),
        involved,
        mainstreaming.carried_target(shared_target, mainstreamed, p.mainstreaming),
        rules("sponsor"),
        p.accountability,
    )
    target_shift = spillover.target_shifting(
        own_credit,
        rules("narrow_lift"),
        pressure,
        shared_target,
        rules("pool_share"),
        runs.stack("spill_cases"),
        p.spillover,
    )
    runs.put("shifting", deciding.adapt(runs.stack("shifting"), target_shift, p.decision))
    defence = runs.stack("defence")
    openness = defensive.openness(world("openness"), defence)  # (R, A) after defensiveness
    runs.put_flow("openness", openness)
    # ownership: members engaged in their partnership value its outcome more (buy-in)
    joint_credit = joint_credit + p.partnership.ownership * rules("buy_in") * involved
    runs.put("credit", joint_credit)
    target = deciding.target_shares(
        own_credit,
        joint_credit * defensive.effort_factor(defence, p.defensive)[..., None, :],
        world("roles"),
        runs.stack("trust"),
        mainstreaming.familiarity(runs.stack("experience"), mainstreamed, p.mainstreaming),
        world("risk_aversion"),
        openness,
        p.decision,
    )
    shares = _adapted_shares(runs, target.swapaxes(-1, -2))  # (R, O + 2, A)
    # each run's shares are (A, O + 2) with options in columns, column-major (as always)
    runs.put("shares", shares.swapaxes(-1, -2))
    core, free = runs.stack_flow("core"), runs.stack_flow("free")
    runs.put_flow("own_in", core + shares[:, 0] * free)
    runs.put_flow("joint", shares[:, 1:-1] * free[:, None, :])  # (R, O, A)
    runs.put_flow("rel", shares[:, -1] * free)


def _adapted_shares(runs: Runs, target: np.ndarray) -> np.ndarray:
    """(R, O + 2, A) shares after inertia (the target in the first month: no shares yet; the
    runs step in lockstep), C-contiguous, so that each run's (A, O + 2) shares are column-major
    as they always were."""
    if runs.states[0].shares is None:
        return target
    last = runs.stack("shares").swapaxes(-1, -2)
    return np.ascontiguousarray(deciding.adapt(last, target, runs.params.decision))
