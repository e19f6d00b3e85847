"""Selective collaboration: screen partners rigorously, start small, grow once it delivers.

Evidence: partnership working "is much more effective when it's a 'coalition of the willing'",
built on mutual good will; NS&I GPS "adopts a rigorous assessment of potential partnerships,
discounting those that are unlikely to deliver against either party's goals", with "a shared
understanding of what we're aiming for"; "take small steps ... start some sort of collaboration
that might be quite small, and just see where it goes"; "if you try to make everybody
collaborative at all levels, you'll end up with a mess" (003_741bbb3ed11f1208.txt "A joined-up
future?"). Evidence-catalogue I20: higher success rate, slower to scale.

While a ``selective_collaboration`` intervention is active, the partnerships agencies propose
themselves (``Partnerships.form_and_leave``) follow three rules, each acting on the existing
partnership entity and its decision rule (``partnering.worth_a_seat``):

- **screen partners:** an agency invites only contributors whose understanding with it is at least
  ``screen`` (mutual good will, a shared understanding of the aims);
- **screen the partnership:** a proposal goes ahead only if the gain it promises on its outcome,
  after what the partnerships already there deliver, is at least ``min_gain`` (discounting those
  unlikely to deliver);
- **small steps:** it starts with at most ``first_members`` members (the proposer and the invitees
  it understands best), and a partnership formed this way offers one more seat a month (to the
  contributor best understood by its members who passes the screen) only while it is delivering
  (set up, and adding at least ``min_gain``); the invitee takes the seat if it is worth it on what
  the partnership now delivers.

Nothing here reads a success rate: whether screened partnerships end up delivering more, and how
much slower their number grows, comes out of coverage, coordination cost, shared aims, overlap and
drift in ``mechanisms/partnering.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jusim.mechanisms import partnering


@dataclass(frozen=True)
class Selection:
    """This month's screening rules (set by the intervention; ``None`` on the entity: off)."""

    screen: float  # least understanding between proposer and invitee, 0–1
    min_gain: float  # least gain a proposal must promise, a share
    first_members: int  # members at formation, proposer included (>= 2)
    grow_at: float  # least value a partnership must add before it offers another seat, a share


def invitees(
    invited: np.ndarray, proposer: int, understanding: np.ndarray, rule: Selection
) -> np.ndarray:
    """(A,) bool: the proposer and at most ``first_members - 1`` invitees (those it understands
    best) among ``invited`` whose understanding with the proposer passes the screen."""
    u = understanding[proposer]
    ok = invited & (u >= rule.screen)
    ok[proposer] = bool(invited[proposer])
    others = np.flatnonzero(ok & (np.arange(ok.size) != proposer))
    keep = others[np.argsort(-u[others], kind="stable")][: max(rule.first_members - 1, 0)]
    out = np.zeros_like(ok)
    out[keep] = True
    out[proposer] = ok[proposer]
    return out


def grow(
    pt,
    grows: np.ndarray,
    credit: np.ndarray,
    budget: np.ndarray,
    price: np.ndarray,
    understanding: np.ndarray,
    involved: np.ndarray,
    rule: Selection,
    params: partnering.PartnershipParams,
) -> None:
    """Each partnership in ``grows`` (live, formed under selection) that is delivering at least
    ``grow_at`` offers one seat to the contributor its members understand best among those that
    pass the screen; the contributor joins if the seat is worth it on the value delivered now."""
    delivering = grows & pt.live & (pt.age >= pt.setup) & (pt.value >= rule.grow_at)
    for k in np.flatnonzero(delivering):
        o = int(pt.outcome[k])
        members = pt.members[k]
        closeness = understanding[members].max(axis=0)
        candidates = np.flatnonzero(involved[o] & ~members & (closeness >= rule.screen))
        if candidates.size == 0:
            continue
        c = int(candidates[np.argmax(closeness[candidates])])
        links = float(members.sum())  # a new member consults every other (no lead)
        share = (params.seat + params.consultation * links) * price[c] / budget[c]
        if partnering.worth_a_seat(credit[o, c], pt.value[k], share, False, params):
            pt.members[k, c] = True
