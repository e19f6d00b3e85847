"""Phase 2, churn: leavers are drawn and replaced in the same rows, their ties handed over or lost
(``mechanisms/churn.py``, 7.7); some joiners are movers from other agencies who keep friendly
contacts there (``mechanisms/mobility.py``, 7.7a)."""

from __future__ import annotations

import numpy as np

from jusim.mechanisms import churn as leaving
from jusim.mechanisms import mobility
from jusim.month.runs import Runs
from jusim.month.state import Flows, State


def run_one(s: State, f: Flows) -> None:
    p, r, roster = s.params, s.rules, s.roster
    f.leavers = leaving.apply_churn(
        roster,
        np.minimum(1.0, s.hazard + r.extra_churn),
        r.handover,
        p.churn,
        s.streams["churn"],
        s.streams["handover"],
    )
    if p.mobility.share > 0:  # movers keep friendly contacts in their old agency
        mobility.move_staff(
            roster, np.flatnonzero(roster.tenure == 0), p.mobility, s.streams["mobility"]
        )


def run(runs: Runs) -> None:
    runs.each(run_one)
