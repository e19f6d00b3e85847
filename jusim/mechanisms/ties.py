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
from numba import njit
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
    """Poisson numbers of new ties between each agency pair, by contact intensity.

    Pair (a, b) forms Poisson(``formation * contact[a, b] * min(n_a, n_b)``) ties a month. These
    are drawn as one Poisson total shared out among pairs in proportion to their rates, which has
    exactly the same distribution and takes one draw instead of one per pair.
    """
    order, start, counts = roster.by_home()
    a_idx, b_idx = _pairs(roster.n_agencies)
    cum = _cumulative_rates(contact, counts, a_idx, b_idx, float(params.formation))
    n = int(rng.poisson(cum[-1])) if cum.size else 0
    if n == 0:
        return
    i, j = _contact_pairs(cum, a_idx, b_idx, order, start, counts, rng.random(3 * n))
    roster.add_ties(i, j, params.initial_strength)


@njit(cache=True)
def _cumulative_rates(contact, counts, a_idx, b_idx, formation):  # pragma: no cover - compiled
    """Running total of the monthly tie-formation rate over agency pairs (a < b)."""
    cum = np.empty(a_idx.size, np.float64)
    total = 0.0
    for p in range(a_idx.size):
        a, b = a_idx[p], b_idx[p]
        total += formation * contact[a, b] * min(counts[a], counts[b])
        cum[p] = total
    return cum


@njit(cache=True)
def _contact_pairs(cum, a_idx, b_idx, order, start, counts, u):  # pragma: no cover - compiled
    """For each new tie (three uniforms): its agency pair by rate, then one member of each."""
    n = u.size // 3
    i, j = np.empty(n, np.int64), np.empty(n, np.int64)
    for c in range(n):
        p = np.searchsorted(cum, u[3 * c] * cum[-1], side="right")
        a, b = a_idx[p], b_idx[p]
        i[c] = order[start[a] + int(u[3 * c + 1] * counts[a])]
        j[c] = order[start[b] + int(u[3 * c + 2] * counts[b])]
    return i, j


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
    roster: StaffRoster,
    openness: np.ndarray,
    params: TieParams,
    rng: np.random.Generator,
    staff_openness: np.ndarray | None = None,
) -> None:
    """A contact introduces you to one of their own contacts (triadic closure across agencies).

    ``openness`` is per agency (A,); ``staff_openness`` (N,), if given, is each person's own (their
    division's, ``mechanisms/divisions.py``) and is used instead.
    """
    if roster.n_ties == 0:
        return
    own = np.asarray(openness, dtype=np.float64)[roster.home] if staff_openness is None else None
    x, z = _referrals(
        roster.tie_i,
        roster.tie_j,
        roster.tie_w,
        (own if own is not None else np.asarray(staff_openness, np.float64)) * params.referral,
        rng.random(4 * roster.n_ties),
    )
    roster.add_ties(x, z, params.initial_strength)


@njit(cache=True)
def _referrals(ti, tj, tw, chance, u):  # pragma: no cover - compiled
    """Introductions along ties: pairs (x, z) where x's contact y introduced x to y's contact z.

    Each tie has two ends e = (x, y); end e fires if ``u[e] < chance[x] * w`` (chance per person),
    and then y picks z among all their contacts with ``u[2T + e]`` (z == x is a lost introduction).
    """
    n = chance.size
    t = ti.size
    fired = np.empty(2 * t, np.int64)
    m = 0
    for e in range(2 * t):
        k = e % t
        x = ti[k] if e < t else tj[k]
        if u[e] < chance[x] * tw[k]:
            fired[m] = e
            m += 1
    if m == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    # contacts of each person (both ends of every tie), grouped by person
    deg = np.zeros(n + 1, np.int64)
    for k in range(t):
        deg[ti[k] + 1] += 1
        deg[tj[k] + 1] += 1
    start = np.cumsum(deg)
    fill = start[:-1].copy()
    nbr = np.empty(2 * t, np.int64)
    for k in range(t):
        nbr[fill[ti[k]]] = tj[k]
        fill[ti[k]] += 1
        nbr[fill[tj[k]]] = ti[k]
        fill[tj[k]] += 1
    xs, zs = np.empty(m, np.int64), np.empty(m, np.int64)
    c = 0
    for f in range(m):
        e = fired[f]
        k = e % t
        x, y = (ti[k], tj[k]) if e < t else (tj[k], ti[k])
        z = nbr[start[y] + int(u[2 * t + e] * (start[y + 1] - start[y]))]
        if z != x:
            xs[c], zs[c] = x, z
            c += 1
    return xs[:c], zs[:c]


def maintain(
    roster: StaffRoster,
    contact: np.ndarray,
    params: TieParams,
    rng: np.random.Generator,
    keep: np.ndarray | None = None,
) -> None:
    """Ties with contact this month strengthen; the rest decay; very weak ties are forgotten.

    ``keep`` (N,), if given, scales each person's chance of keeping in touch (their division's
    openness relative to their agency's, ``mechanisms/divisions.py``); by default 1 for everyone.
    """
    if roster.n_ties == 0:
        return
    if keep is None:
        keep = np.ones(roster.n_staff)
    roster.tie_i, roster.tie_j, roster.tie_w = _maintain(
        roster.tie_i,
        roster.tie_j,
        roster.tie_w,
        roster.home,
        roster.post,
        contact,
        float(params.contact_base),
        float(params.contact_scale),
        float(params.refresh),
        float(params.decay),
        float(params.min_strength),
        rng.random(roster.n_ties),
        np.asarray(keep, dtype=np.float64),
    )


@njit(cache=True)
def _maintain(
    ti, tj, tw, home, post, contact, base, scale, refresh, decay, floor, u, keep
):  # pragma: no cover
    """Ends sharing a post, or meeting (``u < (base + scale * contact[a, b]) * keep_i * keep_j``),
    refresh; others decay."""
    out_i, out_j, out_w = np.empty_like(ti), np.empty_like(tj), np.empty_like(tw)
    c = 0
    for k in range(ti.size):
        i, j, w = ti[k], tj[k], tw[k]
        met = post[i] == post[j] or u[k] < (base + scale * contact[home[i], home[j]]) * (
            keep[i] * keep[j]
        )
        w = w + refresh * (1.0 - w) if met else w * (1.0 - decay)
        if w >= floor:
            out_i[c], out_j[c], out_w[c] = i, j, w
            c += 1
    return out_i[:c], out_j[:c], out_w[:c]


def relationship_strength(roster: StaffRoster, params: TieParams) -> np.ndarray:
    """Agency-to-agency relationship strength in [0, 1) from the summed tie strengths."""
    return 1.0 - np.exp(-roster.agency_tie_strength() / params.relationship_scale)
