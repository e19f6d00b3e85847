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
from numba import njit
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
    every arm of a comparison); handovers from ``handover_rng`` (default ``rng``), one draw per
    tie, whose number depends on the ties.

    ``hazard`` and ``handover`` are per agency (A,). A tie touching a leaver passes to the
    successor with probability ``handover`` of the leaver's home agency (at reduced strength),
    otherwise it is lost. Newcomers start with zero tenure.
    """
    leave_u = rng.random(roster.n_staff)
    keep_u = (handover_rng or rng).random(roster.n_ties)
    n_left, roster.tie_i, roster.tie_j, roster.tie_w = _churn(
        roster.home,
        roster.tenure,
        roster.tie_i,
        roster.tie_j,
        roster.tie_w,
        np.asarray(hazard, dtype=np.float64),
        np.asarray(handover, dtype=np.float64),
        float(params.handover_strength),
        leave_u,
        keep_u,
    )
    return n_left


@njit(cache=True)
def _churn(
    home, tenure, ti, tj, tw, hazard, handover, strength, leave_u, keep_u
):  # pragma: no cover
    """Tenure +1; leavers (``leave_u < hazard``) restart at 0; their ties are handed over or lost.

    A tie survives only if every leaving end hands it over (``keep_u`` < the product of their
    agencies' ``handover``); a surviving tie keeps ``strength`` of its weight. Returns the number
    of leavers and the remaining ties, in their original order.
    """
    leaving = np.empty(home.size, np.bool_)
    n_left = 0
    for s in range(home.size):
        leaving[s] = leave_u[s] < hazard[home[s]]
        if leaving[s]:
            tenure[s] = 0
            n_left += 1
        else:
            tenure[s] += 1
    if n_left == 0:
        return n_left, ti, tj, tw
    out_i, out_j, out_w = np.empty_like(ti), np.empty_like(tj), np.empty_like(tw)
    c = 0
    for k in range(ti.size):
        w = tw[k]
        if leaving[ti[k]] or leaving[tj[k]]:
            p = handover[home[ti[k]]] if leaving[ti[k]] else 1.0
            if leaving[tj[k]]:
                p *= handover[home[tj[k]]]
            if keep_u[k] >= p:
                continue
            w *= strength
        out_i[c], out_j[c], out_w[c] = ti[k], tj[k], w
        c += 1
    return n_left, out_i[:c], out_j[:c], out_w[:c]
