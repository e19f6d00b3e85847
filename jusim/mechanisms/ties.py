"""Person-to-person ties across agencies: formed by contact and referral, kept alive by contact.

Evidence: a proactive stance multiplies connections and each contact points to further links, so
networks grow by referral (000_babc907a3220f36e.txt "Making connections"); face-to-face contact
forms ties, and keeping in touch maintains them (000 "Making connections", "Staying connected");
secondees sit among a partner's staff and cross its boundaries (000 "Structural Challenges";
001_04a1019f119c8ec4.txt ¶21, ¶23); movers keep "friendly contacts" (001 ¶79). Tie decay without
contact is geometric (a fixed share a month, whatever the tie's age — simpler than the age-dependent
Burt's rule used by Scheinert et al. 2017, modelling-anchors.md A1).

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| formation | ties / month / unit contact / staff | 0.02 | 0–1 | new ties between two agencies per unit of contact, per member of the smaller agency |
| posting | ties / month / secondee | 1.5 | 0–20 | new ties a secondee forms among colleagues where they are posted |
| referral | per tie end-month | 0.02 | 0–1 | at each end of a tie, chance (× strength × openness) of an introduction to one of the contact's contacts; lost if it lands on someone of one's own agency |
| initial_strength | 0–1 | 0.3 | 0–1 | strength of a new tie (re-forming an existing tie keeps the stronger of the two) |
| refresh | share | 0.3 | 0–1 | strengthening on a month with contact |
| decay | share / month | 0.06 | 0–1 | weakening on a month without contact |
| contact_base | probability | 0.1 | 0–1 | monthly chance of contact with no joint work |
| contact_scale | probability per unit contact | 0.5 | 0–10 | extra chance of contact per unit of agency contact |
| min_strength | 0–1 | 0.05 | 0–1 | ties weaker than this are forgotten |
| relationship_scale | tie strength | 6.0 | >0 | summed tie strength at which relationship strength reaches 63% |
"""

from __future__ import annotations

from functools import cache

import numpy as np
from pydantic import Field

from jusim.params import Params
from jusim.staff import StaffRoster


class TieParams(Params):
    formation: float = Field(0.02, ge=0, le=1, description="ties/month per unit contact per staff")
    posting: float = Field(1.5, ge=0, le=20, description="ties/month formed by each secondee")
    referral: float = Field(0.02, ge=0, le=1, description="introductions per tie per month")
    initial_strength: float = Field(0.3, ge=0, le=1, description="strength of a new tie (0–1)")
    refresh: float = Field(0.3, ge=0, le=1, description="strengthening in a month with contact")
    decay: float = Field(0.06, ge=0, le=1, description="weakening in a month without contact")
    contact_base: float = Field(
        0.1, ge=0, le=1, description="monthly contact chance, no joint work"
    )
    contact_scale: float = Field(0.5, ge=0, le=10, description="contact chance per unit contact")
    min_strength: float = Field(0.05, ge=0, le=1, description="ties weaker than this are dropped")
    relationship_scale: float = Field(
        6.0, gt=0, le=1000, description="tie strength giving 63% relationship strength"
    )


@cache
def _pairs(n_agencies: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n_agencies, k=1)


def _pick(order: np.ndarray, start: np.ndarray, size: np.ndarray, rng: np.random.Generator):
    """One uniformly random member of each group (groups given by start/size into ``order``)."""
    return order[start + (rng.random(size.shape) * size).astype(np.int64)]


def form_by_contact(
    roster: StaffRoster,
    contact: np.ndarray,
    params: TieParams,
    rng: np.random.Generator,
) -> None:
    """Poisson numbers of new ties between each agency pair, by contact intensity."""
    order, start, counts = roster.by_home()
    a_idx, b_idx = _pairs(roster.n_agencies)
    lam = params.formation * contact[a_idx, b_idx] * np.minimum(counts[a_idx], counts[b_idx])
    k = rng.poisson(lam)
    if not k.any():
        return
    a, b = np.repeat(a_idx, k), np.repeat(b_idx, k)
    i = _pick(order, start[a], counts[a], rng)
    j = _pick(order, start[b], counts[b], rng)
    roster.add_ties(i, j, params.initial_strength)


def form_by_posting(roster: StaffRoster, params: TieParams, rng: np.random.Generator) -> None:
    """Secondees (post differs from home) meet colleagues where they are posted."""
    posted = np.flatnonzero(roster.post != roster.home)
    if posted.size == 0:
        return
    k = rng.poisson(params.posting, size=posted.size)
    src = np.repeat(posted, k)
    if src.size == 0:
        return
    at = np.bincount(roster.post, minlength=roster.n_agencies)
    order = np.argsort(roster.post, kind="stable")
    start = np.concatenate([[0], np.cumsum(at)[:-1]])
    place = roster.post[src]
    dst = _pick(order, start[place], at[place], rng)
    roster.add_ties(src, dst, params.initial_strength)


def form_by_referral(
    roster: StaffRoster, openness: np.ndarray, params: TieParams, rng: np.random.Generator
) -> None:
    """A contact introduces you to one of their own contacts (triadic closure across agencies)."""
    if roster.n_ties == 0:
        return
    src = np.concatenate([roster.tie_i, roster.tie_j])
    dst = np.concatenate([roster.tie_j, roster.tie_i])
    w = np.concatenate([roster.tie_w, roster.tie_w])
    fire = rng.random(src.size) < params.referral * w * openness[roster.home[src]]
    if not fire.any():
        return
    deg = np.bincount(src, minlength=roster.n_staff)
    order = np.argsort(src, kind="stable")
    start = np.concatenate([[0], np.cumsum(deg)[:-1]])
    x, y = src[fire], dst[fire]
    z = dst[_pick(order, start[y], deg[y], rng)]
    ok = z != x
    roster.add_ties(x[ok], z[ok], params.initial_strength)


def maintain(
    roster: StaffRoster, contact: np.ndarray, params: TieParams, rng: np.random.Generator
) -> None:
    """Ties with contact this month strengthen; the rest decay; very weak ties are forgotten."""
    if roster.n_ties == 0:
        return
    hi, hj = roster.home[roster.tie_i], roster.home[roster.tie_j]
    together = roster.post[roster.tie_i] == roster.post[roster.tie_j]
    p = np.minimum(1.0, params.contact_base + params.contact_scale * contact[hi, hj])
    met = together | (rng.random(roster.n_ties) < p)
    w = roster.tie_w
    roster.tie_w = np.where(met, w + params.refresh * (1.0 - w), w * (1.0 - params.decay))
    roster.keep_ties(roster.tie_w >= params.min_strength)


def relationship_strength(roster: StaffRoster, params: TieParams) -> np.ndarray:
    """Agency-to-agency relationship strength in [0, 1) from the summed tie strengths."""
    return 1.0 - np.exp(-roster.agency_tie_strength() / params.relationship_scale)
