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

import numpy as np
from pydantic import Field

from jusim.params import Params
from jusim.staff import StaffRoster


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
    roster: StaffRoster, leavers: np.ndarray, params: MobilityParams, rng: np.random.Generator
) -> int:
    """Seed ties from movers' new posts to their old agencies; return the number of movers.

    ``leavers`` are the rows replaced by churn this month (indices).
    """
    if params.share <= 0 or leavers.size < 2 or params.contacts == 0:
        return 0
    movers = leavers[rng.random(leavers.size) < params.share]
    if movers.size == 0:
        return 0
    dest = leavers[rng.integers(0, leavers.size, size=movers.size)]
    ok = roster.home[dest] != roster.home[movers]
    _, first = np.unique(dest[ok], return_index=True)  # one mover per vacancy
    movers, dest = movers[ok][first], dest[ok][first]
    order, start, count = roster.by_home()
    origin = roster.home[movers]
    k = params.contacts
    draws = rng.random((movers.size, k))
    picks = order[start[origin][:, None] + (draws * count[origin][:, None]).astype(np.int64)]
    roster.add_ties(np.repeat(dest, k), picks.ravel(), params.strength)
    return int(movers.size)
