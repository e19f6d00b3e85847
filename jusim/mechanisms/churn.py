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

from collections.abc import Sequence

import numpy as np
from pydantic import Field

from jusim import kernels
from jusim.params import Params
from jusim.staff import Rosters, StaffRoster, as_runs, cell, each_run, rows, run_of


class ChurnParams(Params):
    handover_strength: float = Field(
        0.5, ge=0, le=1, description="share of strength a handed-over tie keeps (share)"
    )


def apply_churn(
    roster: StaffRoster | Rosters,
    hazard: np.ndarray,
    handover: np.ndarray,
    params: ChurnParams,
    rng: np.random.Generator | Sequence[np.random.Generator],
    handover_rng: np.random.Generator | Sequence[np.random.Generator] | None = None,
) -> int | np.ndarray:
    """Replace this month's leavers in place; return how many left.

    Leavers are drawn from ``rng`` (one draw per member of staff, so the same people leave in
    every arm of a comparison); handovers from ``handover_rng`` (default ``rng``), one draw per
    tie, whose number depends on the ties.

    ``hazard`` and ``handover`` are per agency (A,). A tie touching a leaver passes to the
    successor with probability ``handover`` of the leaver's home agency (at reduced strength),
    otherwise it is lost. Newcomers start with zero tenure.

    R runs at once: ``roster`` is their ``Rosters``, ``hazard`` and ``handover`` are (R, A), one
    generator per run in ``rng`` (and ``handover_rng``), ``handover_strength`` a number or one
    per run; returns the (R,) leavers of each run.
    """
    b, rngs, one = as_runs(roster, rng)
    keep_rngs = rngs if handover_rng is None else as_runs(roster, handover_rng)[1]
    n_left, b.tie_off, b.tie_i, b.tie_j, b.tie_w = kernels.pick("churn", _churn)(
        b.staff_off,
        b.home,
        b.tenure,
        b.tie_off,
        b.tie_i,
        b.tie_j,
        b.tie_w,
        rows(hazard, b.n),
        rows(handover, b.n),
        b.per_run(params, ("handover_strength",)),
        b.generators(rngs),
        b.generators(keep_rngs),
    )
    if one:
        b.scatter()
        return int(n_left[0])
    return n_left


def _churn(
    staff_off, home, tenure, tie_off, ti, tj, tw, hazard, handover, strength, leave_rngs, keep_rngs
):
    """Tenure +1; leavers (a uniform ``leave_u`` < hazard) restart at 0; their ties are handed
    over or lost.

    A tie survives only if every leaving end hands it over (a uniform ``keep_u`` < the product of
    their agencies' ``handover``); a surviving tie keeps ``strength`` of its weight. Returns the
    number of leavers and the remaining ties, in their original order (for each run r: staff
    ``staff_off[r]:staff_off[r + 1]``, ties likewise, with its own hazard, handover, strength).
    Run r draws one ``leave_u`` per member of staff from ``leave_rngs[r]``, then one ``keep_u``
    per tie (touched by a leaver or not) from ``keep_rngs[r]`` (which may be the same generator).
    """
    leave_rngs, keep_rngs = each_run(leave_rngs), each_run(keep_rngs)
    leave_u = np.empty(home.size)
    keep_u = np.empty(ti.size)
    s, t = staff_off.tolist(), tie_off.tolist()
    for r, (g, h) in enumerate(zip(leave_rngs, keep_rngs, strict=True)):
        g.random(out=leave_u[s[r] : s[r + 1]])
        h.random(out=keep_u[t[r] : t[r + 1]])
    n_runs = staff_off.size - 1
    width = hazard.shape[1]
    at_home = cell(staff_off, home, width)  # (run, home agency) of each member of staff
    leaving = leave_u < hazard.ravel()[at_home]
    tenure += 1
    tenure[leaving] = 0
    n_left = np.bincount(at_home[leaving] // width, minlength=n_runs)
    r = run_of(tie_off)
    a, b = staff_off[r] + ti, staff_off[r] + tj
    left_a, left_b = leaving[a], leaving[b]
    touched = np.flatnonzero(left_a | left_b)
    if touched.size == 0:
        return n_left, tie_off, ti, tj, tw
    a, b, left_a, left_b = a[touched], b[touched], left_a[touched], left_b[touched]
    p = np.where(left_a, handover.ravel()[at_home[a]], 1.0)
    p = np.where(left_b, p * handover.ravel()[at_home[b]], p)
    w = tw.copy()
    w[touched] = tw[touched] * strength[r[touched], 0]
    lost = touched[keep_u[touched] >= p]
    kept = np.ones(tw.size, np.bool_)
    kept[lost] = False
    out_off = np.concatenate(
        (
            np.zeros(1, np.int64),
            np.cumsum(np.diff(tie_off) - np.bincount(r[lost], minlength=n_runs)),
        )
    )
    return n_left, out_off, ti[kept], tj[kept], w[kept]
