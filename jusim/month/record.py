"""Phase 8, record: the month ends (``month`` increases by one) and is recorded (``metrics.py``,
section 4.10), with the money ledger (7.13).

Over the run axis: the month's spending of all runs at once, written by
``Recorder.record_runs`` (the partnerships' count, value and failure loss from the runs'
partnerships side by side, ``partnership.Board``). Sums keep a run alone's order (that of the
reference engine, whose (O, A) arrays are all laid out row by row): over agencies pairwise,
totals pairwise over the whole (O, A) block.
"""

from __future__ import annotations

import numpy as np

from jusim.metrics import Recorder
from jusim.month.runs import Runs


def run(runs: Runs) -> None:
    pooled, focused = runs.stack_flow("pooled"), runs.stack_flow("focused")
    joint = runs.stack_flow("joint")
    ovh_paid = runs.stack_flow("overhead_paid")
    n = runs.n
    spend = (
        joint.sum(axis=-1)
        + focused.sum(axis=-1)
        + pooled.sum(axis=-1)
        + runs.stack_flow("overhead").sum(axis=-1)
    )
    spent = (
        runs.stack_flow("own_in").sum(axis=-1)
        + joint.reshape(n, -1).sum(axis=-1)
        + runs.stack_flow("rel").sum(axis=-1)
        + pooled.reshape(n, -1).sum(axis=-1)
        + focused.reshape(n, -1).sum(axis=-1)
        + ovh_paid.sum(axis=-1)
    )
    for s in runs.states:
        s.month += 1
    allocated = runs.stack("budget").sum(axis=-1)
    Recorder.record_runs(
        runs,
        resolved=runs.stack_flow("resolved"),
        spend=spend,
        kappa=runs.stack_flow("kappa"),
        joint_share=np.where(
            runs.stack_flow("disc") > 0, runs.stack_flow("effort").sum(axis=-2), 0.0
        ),
        overhead=ovh_paid,
        leavers=np.array(runs.flow_values("leavers"), dtype=float),
        allocated=allocated,
        spent=spent,
    )
