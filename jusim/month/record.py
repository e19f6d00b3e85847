"""Phase 8, record: the month ends (``month`` increases by one) and is recorded (``metrics.py``,
section 4.10), with the money ledger (7.13)."""

from __future__ import annotations

import numpy as np

from jusim.month.runs import Runs
from jusim.month.state import Flows, State


def run_one(s: State, f: Flows) -> None:
    joint, pooled, focused, ovh_paid = f.joint, f.pooled, f.focused, f.overhead_paid
    spend = joint.sum(axis=1) + focused.sum(axis=1) + pooled.sum(axis=1) + f.overhead.sum(axis=1)
    spent = (
        f.own_in.sum() + joint.sum() + f.rel.sum() + pooled.sum() + focused.sum() + ovh_paid.sum()
    )
    s.month += 1
    s.recorder.record(
        s,
        resolved=f.resolved,
        spend=spend,
        kappa=f.kappa,
        joint_share=np.where(f.disc > 0, f.effort.sum(axis=0), 0.0),
        overhead=ovh_paid,
        leavers=f.leavers,
        allocated=s.budget.sum(),
        spent=spent,
    )


def run(runs: Runs) -> None:
    runs.each(run_one)
