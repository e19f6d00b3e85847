"""Phase 2, churn: leavers are drawn and replaced in the same rows, their ties handed over or lost
(``mechanisms/churn.py``, 7.7); some joiners are movers from other agencies who keep friendly
contacts there (``mechanisms/mobility.py``, 7.7a).

All runs at once: the runs' rosters side by side (``staff.Rosters``) go through each mechanism in
one call, each run drawing from its own generators."""

from __future__ import annotations

import numpy as np

from jusim.mechanisms import churn as leaving
from jusim.mechanisms import mobility
from jusim.month.runs import Runs
from jusim.staff import Rosters


def run(runs: Runs) -> None:
    rosters = Rosters.of([s.roster for s in runs.states])
    leavers = leaving.apply_churn(
        rosters,
        np.minimum(1.0, runs.stack("hazard") + runs.stack_rules("extra_churn")),
        runs.stack_rules("handover"),
        runs.params.churn,
        runs.streams("churn"),
        runs.streams("handover"),
    )
    share = runs.params.mobility.share  # movers keep friendly contacts in their old agency
    if (np.asarray(share) > 0).any() if isinstance(share, np.ndarray) else share > 0:
        mobility.move_staff(
            rosters,
            np.flatnonzero(rosters.tenure == 0),
            runs.params.mobility,
            runs.streams("mobility"),
        )
    rosters.scatter()
    runs.put_flow("leavers", leavers.tolist())
