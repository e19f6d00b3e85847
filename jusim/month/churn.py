"""Phase 2, churn: leavers are drawn and replaced in the same rows, their ties handed over or lost
(``mechanisms/churn.py``, 7.7); some joiners are movers from other agencies who keep friendly
contacts there (``mechanisms/mobility.py``, 7.7a).

All runs at once: the runs' rosters side by side (``staff.Rosters``) go through one compiled
kernel, each run drawing from its own generators; movers are drawn run by run (their draws depend
on the run's own leavers), only in runs where mobility is on."""

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
    rosters.scatter()
    for s, f, n in zip(runs.states, runs.flows, leavers.tolist(), strict=True):
        f.leavers = n
        if s.params.mobility.share > 0:  # movers keep friendly contacts in their old agency
            roster = s.roster
            mobility.move_staff(
                roster, np.flatnonzero(roster.tenure == 0), s.params.mobility, s.streams["mobility"]
            )
