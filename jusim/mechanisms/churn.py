"""Staff churn: leavers, newcomers without ties, and handover.

Evidence: churn damages consistency and continuity, especially of existing relationships; robust
handover and induction reduce the damage (001_04a1019f119c8ec4.txt ¶79–80); continuity of
membership builds trust because people get to know each other (001_04a1019f119c8ec4.txt ¶55).
Moving staff seeds "friendly contacts" elsewhere (¶79): secondees keep their ties on return.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| handover_strength | share | 0.5 | 0–1 | strength a handed-over tie keeps when it passes to the successor |

Each agency's monthly leaving hazard (``churn``) and handover quality (``handover``, the chance
that each of a leaver's ties is handed over) are agency attributes in the scenario.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.params import Params
from jusim.staff import StaffRoster


class ChurnParams(Params):
    handover_strength: float = Field(
        0.5, ge=0, le=1, description="share of strength a handed-over tie keeps (share)"
    )


def apply_churn(
    roster: StaffRoster,
    hazard: np.ndarray,
    handover: np.ndarray,
    params: ChurnParams,
    rng: np.random.Generator,
    handover_rng: np.random.Generator | None = None,
) -> int:
    """Replace this month's leavers in place; return how many left.

    Leavers are drawn from ``rng`` (one draw per member of staff, so the same people leave in
    every arm of a comparison); handovers from ``handover_rng`` (default ``rng``), whose number of
    draws depends on the ties.

    ``hazard`` and ``handover`` are per agency (A,). A tie touching a leaver passes to the
    successor with probability ``handover`` of the leaver's home agency (at reduced strength),
    otherwise it is lost. Newcomers start with zero tenure.
    """
    roster.tenure += 1
    leaving = rng.random(roster.n_staff) < hazard[roster.home]
    roster.tenure[leaving] = 0
    n_left = int(np.count_nonzero(leaving))
    if n_left == 0 or roster.n_ties == 0:
        return n_left
    li, lj = leaving[roster.tie_i], leaving[roster.tie_j]
    touched = np.flatnonzero(li | lj)
    if touched.size == 0:
        return n_left
    li, lj = li[touched], lj[touched]
    hi, hj = roster.home[roster.tie_i[touched]], roster.home[roster.tie_j[touched]]
    # a tie survives only if every leaving end hands it over
    p_keep = np.where(li, handover[hi], 1.0) * np.where(lj, handover[hj], 1.0)
    kept = (handover_rng or rng).random(touched.size) < p_keep
    roster.tie_w[touched[kept]] *= params.handover_strength
    if not kept.all():
        mask = np.ones(roster.n_ties, dtype=bool)
        mask[touched[~kept]] = False
        roster.keep_ties(mask)
    return n_left
