"""Mobility: some leavers move to another agency in the model and keep friendly contacts behind.

Evidence: staff who move keep "friendly contacts" in their old area, which helps joint working
(001_04a1019f119c8ec4.txt ¶79); churn damages continuity (¶79–80), yet moderate churn also seeds
new cross-unit ties (catalogue fact 3). Civil servants often move between departments rather
than leave (IfG "Moving On", modelling-anchors A2: much of the 15–25% yearly turnover is
internal moves).

Mechanics: after churn, each of this month's leavers moves to another agency with probability
``share`` (one draw per leaver, stream ``mobility``); the mover takes one of the month's
vacancies in another agency (drawn at random; a draw that lands in the mover's own agency is
lost), and the newcomer in that post has ``contacts`` ties to randomly drawn staff of the agency
the mover left, at strength ``strength``. With ``share = 0`` (the default) nothing is drawn, so
runs are as without this module.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| share | share of leavers | 0 | 0–1 | leavers who move to another agency in the model (assumption; 0.2–0.6 for central departments) |
| contacts | ties | 3 | 0–50 | friendly contacts a mover keeps in the old agency (assumption; 1–10) |
| strength | 0–1 | 0.3 | 0–1 | initial strength of a kept contact (assumption; as a weak new tie) |
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import Field

from jusim import kernels
from jusim.params import Params
from jusim.staff import Rosters, StaffRoster, as_runs, run_of


class MobilityParams(Params):
    share: float = Field(
        0.0,
        ge=0,
        le=1,
        description="share of leavers who move to another agency in the model "
        "(assumption; plausible 0.2-0.6 for central departments)",
    )
    contacts: int = Field(
        3, ge=0, le=50, description="friendly contacts a mover keeps in the old agency (1-10)"
    )
    strength: float = Field(
        0.3, ge=0, le=1, description="initial strength of a kept contact (assumption)"
    )


def move_staff(
    roster: StaffRoster | Rosters,
    leavers: np.ndarray,
    params: MobilityParams,
    rng: np.random.Generator | Sequence[np.random.Generator],
) -> int | np.ndarray:
    """Seed ties from movers' new posts to their old agencies; return the number of movers.

    ``leavers`` are the rows replaced by churn this month (indices, in increasing order). R runs
    at once: ``roster`` is their ``Rosters``, ``leavers`` rows of its concatenated staff, one
    generator per run, parameters a number or one per run; returns the (R,) movers of each run.
    """
    b, rngs, one = as_runs(roster, rng)
    values = b.per_run(params, ("share", "contacts", "strength"))
    lo = np.searchsorted(leavers, b.staff_off).tolist()  # each run's leavers: lo[r]:lo[r + 1]
    on = [values[r, 0] > 0 and lo[r + 1] - lo[r] >= 2 and values[r, 1] != 0 for r in range(b.n)]
    if not any(on):
        return 0 if one else np.zeros(b.n, np.int64)
    # who moves (a draw per leaver), where to (a vacancy each), which contacts (k draws each):
    # each run's draws in the order of a run alone, the work between them for all runs at once
    u = [rngs[r].random(lo[r + 1] - lo[r]) if on[r] else _NONE for r in range(b.n)]
    movers, m_off = kernels.pick("movers", _movers)(
        leavers, np.asarray(lo), np.concatenate(u), values
    )
    m = np.diff(m_off).tolist()
    v = [rngs[r].integers(0, lo[r + 1] - lo[r], size=m[r]) if m[r] else _NO for r in range(b.n)]
    movers, dest, m_off = kernels.pick("vacancies", _vacancies)(
        b.staff_off, b.home, leavers, np.asarray(lo), movers, m_off, np.concatenate(v)
    )
    m = np.diff(m_off).tolist()
    k = values[:, 1].astype(np.int64).tolist()
    w = [rngs[r].random(m[r] * k[r]) if m[r] else _NONE for r in range(b.n)]
    order, start, count = b.by_home()
    run, i, j = kernels.pick("contacts", _contacts)(
        b.staff_off, b.home, order, start, count, movers, dest, m_off, values, np.concatenate(w)
    )
    if one:
        roster.add_ties(i, j, values[run, 2])  # type: ignore[union-attr]
        return m[0]
    b.add_ties(run, i, j, values[run, 2])
    return np.asarray(m)


_NONE, _NO = np.empty(0), np.empty(0, np.int64)


def _movers(leavers, lo, u, values):
    """Leavers who move (``u < share``), by run: rows and (R + 1,) offsets."""
    n = np.diff(lo)
    on = (values[:, 0] > 0) & (n >= 2) & (values[:, 1] != 0)
    x = np.flatnonzero(np.repeat(on, n))  # leavers of the runs that draw, one uniform each
    moves = u < values[run_of(lo)[x], 0]
    out = leavers[x[moves]]
    off = np.concatenate(
        (np.zeros(1, np.int64), np.cumsum(np.bincount(run_of(lo)[x[moves]], minlength=n.size)))
    )
    return out, off


def _vacancies(staff_off, home, leavers, lo, movers, m_off, v):
    """Each mover's vacancy (``leavers[v]``); a vacancy in the mover's own agency is lost and a
    vacancy drawn twice goes to its first mover; kept movers in order of their vacancy (as
    ``np.unique`` leaves them)."""
    run = run_of(m_off)
    dest = leavers[lo[run] + v]
    ok = np.flatnonzero(home[dest] != home[movers])
    # rows of all runs are distinct, so sorting by row sorts by run, then by vacancy
    taken, first = np.unique(dest[ok], return_index=True)
    kept = ok[first]
    off = np.concatenate(
        (np.zeros(1, np.int64), np.cumsum(np.bincount(run[kept], minlength=m_off.size - 1)))
    )
    return movers[kept], taken, off


def _contacts(staff_off, home, order, start, count, movers, dest, m_off, values, w):
    """Each kept mover's ``contacts`` ties from their new post to staff of the agency they left
    (one uniform each), indices each run's own."""
    k = values[:, 1].astype(np.int64)
    run = run_of(m_off)
    x = np.repeat(np.arange(movers.size), k[run])
    run = run[x]
    s0, origin = staff_off[run], home[movers[x]]
    j = order[s0 + start[run, origin] + (w * count[run, origin]).astype(np.int64)]
    return run, dest[x] - s0, j
