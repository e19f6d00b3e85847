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

from collections.abc import Sequence
from functools import cache

import numpy as np
from numba import njit
from pydantic import Field

from jusim.params import Params
from jusim.staff import Rosters, StaffRoster, as_runs, offsets

Generators = np.random.Generator | Sequence[np.random.Generator]


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


# One roster or R runs' rosters: ----------------------------------------------------------------
# every function below takes a ``StaffRoster`` with (A, A) / (A,) agency arrays and one generator,
# or a ``Rosters`` (R runs, ``jusim/staff.py``) with (R, A, A) / (R, A) arrays, one generator per
# run and parameters that are numbers or one value per run; the compiled kernels take all runs in
# one call, and each run draws only from its own generator, the same numbers in the same order.


# the parameters as columns of a (R, 9) table, one row per run (``Rosters.per_run``)
COLUMNS = (
    "formation",
    "posting",
    "referral",
    "initial_strength",
    "contact_base",
    "contact_scale",
    "refresh",
    "decay",
    "min_strength",
)
FORMATION, POSTING, REFERRAL, INITIAL, BASE, SCALE, REFRESH, DECAY, FLOOR = range(len(COLUMNS))


def _add(
    target: StaffRoster | Rosters, run: np.ndarray, i: np.ndarray, j: np.ndarray, w: np.ndarray
) -> None:
    """New ties into the roster (one run) or the runs' rosters (merged now or at a batch's end)."""
    if isinstance(target, StaffRoster):
        target.add_ties(i, j, w)
    else:
        target.add_ties(run, i, j, w)


def _draw(rngs: list, sizes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Uniforms, ``sizes[r]`` from run r's generator (none drawn where 0), concatenated."""
    off = offsets(sizes)
    if len(rngs) == 1:
        return (rngs[0].random(sizes[0]) if sizes[0] else np.empty(0)), off
    u = np.empty(int(off[-1]))
    for g, a, b in zip(rngs, off[:-1].tolist(), off[1:].tolist(), strict=True):
        if b > a:
            g.random(out=u[a:b])
    return u, off


def _ends(b: Rosters, k: int) -> list[int]:
    """``k`` times each run's number of ties."""
    t = b.tie_off.tolist()
    return [k * (t[r + 1] - t[r]) for r in range(b.n)]


@cache
def _pairs(n_agencies: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n_agencies, k=1)


def form_by_contact(
    roster: StaffRoster | Rosters,
    contact: np.ndarray,
    params: TieParams,
    rng: Generators,
) -> None:
    """Poisson numbers of new ties between each agency pair, by contact intensity.

    Pair (a, b) forms Poisson(``formation * contact[a, b] * min(n_a, n_b)``) ties a month. These
    are drawn as one Poisson total shared out among pairs in proportion to their rates, which has
    exactly the same distribution and takes one draw instead of one per pair.
    """
    b, rngs, one = as_runs(roster, rng)
    order, start, counts = b.by_home()
    a_idx, b_idx = _pairs(b.n_agencies)
    if a_idx.size == 0:
        return
    values = b.per_run(params, COLUMNS)
    cum = _cumulative_rates(contact[None] if one else contact, counts, a_idx, b_idx, values)
    n = [int(g.poisson(total)) for g, total in zip(rngs, cum[:, -1], strict=True)]
    if not any(n):
        return
    u, u_off = _draw(rngs, [3 * k for k in n])
    run, i, j = _contact_pairs(cum, a_idx, b_idx, b.staff_off, order, start, counts, u, u_off)
    _add(roster, run, i, j, values[run, INITIAL])


@njit(cache=True)
def _cumulative_rates(contact, counts, a_idx, b_idx, values):  # pragma: no cover - compiled
    """(R, P) running total of each run's monthly tie-formation rate over agency pairs (a < b)."""
    cum = np.empty((contact.shape[0], a_idx.size), np.float64)
    for r in range(contact.shape[0]):
        total = 0.0
        for p in range(a_idx.size):
            a, b = a_idx[p], b_idx[p]
            total += values[r, FORMATION] * contact[r, a, b] * min(counts[r, a], counts[r, b])
            cum[r, p] = total
    return cum


@njit(cache=True)
def _contact_pairs(
    cum, a_idx, b_idx, staff_off, order, start, counts, u, u_off
):  # pragma: no cover - compiled
    """For each new tie of run r (three uniforms): its agency pair by rate, then one member of
    each agency (indices run r's own)."""
    n = u.size // 3
    run, i, j = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
    c = 0
    for r in range(cum.shape[0]):
        row, s0 = cum[r], staff_off[r]
        for k in range(u_off[r], u_off[r + 1], 3):
            p = np.searchsorted(row, u[k] * row[-1], side="right")
            a, b = a_idx[p], b_idx[p]
            run[c] = r
            i[c] = order[s0 + start[r, a] + int(u[k + 1] * counts[r, a])]
            j[c] = order[s0 + start[r, b] + int(u[k + 2] * counts[r, b])]
            c += 1
    return run, i, j


def form_by_posting(roster: StaffRoster | Rosters, params: TieParams, rng: Generators) -> None:
    """Secondees (post differs from home) meet colleagues where they are posted."""
    b, rngs, _ = as_runs(roster, rng)
    posted = b.post != b.home
    if not posted.any():
        return
    seen = np.concatenate([[0], np.cumsum(posted)])[b.staff_off]
    values = b.per_run(params, COLUMNS)
    k = np.zeros(int(seen[-1]), np.int64)  # ties each secondee forms, run after run
    draws = []
    for r, g in enumerate(rngs):
        first, stop = int(seen[r]), int(seen[r + 1])
        if stop > first:
            k[first:stop] = g.poisson(values[r, POSTING], size=stop - first)
            m = int(k[first:stop].sum())
            if m:
                draws.append(g.random(m))
    if not draws:
        return
    u = np.concatenate(draws)
    run, src, dst = _posting_pairs(b.staff_off, b.home, b.post, posted, k, u, b.n_agencies)
    _add(roster, run, src, dst, values[run, INITIAL])


@njit(cache=True)
def _posting_pairs(staff_off, home, post, posted, k, u, a):  # pragma: no cover - compiled
    """Each secondee s of run r forms ``k`` ties, each with one uniform: a colleague drawn among
    all staff of run r posted where s is (staff ordered by post, then row)."""
    run, src, dst = (
        np.empty(u.size, np.int64),
        np.empty(u.size, np.int64),
        np.empty(u.size, np.int64),
    )
    c = q = 0
    for r in range(staff_off.size - 1):
        s0, s1 = staff_off[r], staff_off[r + 1]
        at = np.zeros(a, np.int64)
        for s in range(s0, s1):
            at[post[s]] += 1
        start = np.zeros(a, np.int64)
        for x in range(1, a):
            start[x] = start[x - 1] + at[x - 1]
        fill = start.copy()
        order = np.empty(s1 - s0, np.int64)
        for s in range(s0, s1):
            order[fill[post[s]]] = s - s0
            fill[post[s]] += 1
        for s in range(s0, s1):
            if not posted[s]:
                continue
            place = post[s]
            for _ in range(k[q]):
                run[c], src[c] = r, s - s0
                dst[c] = order[start[place] + int(u[c] * at[place])]
                c += 1
            q += 1
    return run, src, dst


def form_by_referral(
    roster: StaffRoster | Rosters,
    openness: np.ndarray,
    params: TieParams,
    rng: Generators,
    staff_openness: np.ndarray | None = None,
) -> None:
    """A contact introduces you to one of their own contacts (triadic closure across agencies).

    ``openness`` is per agency (A,) (per run (R, A)); ``staff_openness`` (N,), if given, is each
    person's own (their division's, ``mechanisms/divisions.py``) and is used instead (for R runs,
    their staff concatenated run after run).
    """
    b, rngs, one = as_runs(roster, rng)
    if b.tie_off[-1] == 0:
        return
    if staff_openness is None:
        opn = np.asarray(openness, np.float64)
        own = opn[b.home] if one else opn[b.staff_run, b.home]
    else:
        own = np.asarray(staff_openness, np.float64)
    values = b.per_run(params, COLUMNS)
    u, _ = _draw(rngs, _ends(b, 4))
    run, x, z = _referrals(b.staff_off, b.tie_off, b.tie_i, b.tie_j, b.tie_w, own, values, u)
    _add(roster, run, x, z, values[run, INITIAL])


@njit(cache=True)
def _referrals(staff_off, tie_off, ti, tj, tw, own, values, u):  # pragma: no cover - compiled
    """Introductions along ties: pairs (x, z) where x's contact y introduced x to y's contact z.

    Run r's T ties have 4T uniforms u (from ``4 * tie_off[r]``): each tie has two ends
    e = (x, y); end e fires if ``u[e] < chance[x] * w`` (chance per person: their openness
    ``own[x]`` times ``referral``), and then y picks z among all their contacts with
    ``u[2T + e]`` (z == x is a lost introduction).
    """
    size = 2 * ti.size
    runs, xs, zs = np.empty(size, np.int64), np.empty(size, np.int64), np.empty(size, np.int64)
    fired = np.empty(size, np.int64)
    c = 0
    for r in range(staff_off.size - 1):
        s0, n = staff_off[r], staff_off[r + 1] - staff_off[r]
        t0, t = tie_off[r], tie_off[r + 1] - tie_off[r]
        u0, referral = 4 * t0, values[r, REFERRAL]
        m = 0
        for e in range(2 * t):
            k = t0 + e % t
            x = ti[k] if e < t else tj[k]
            if u[u0 + e] < own[s0 + x] * referral * tw[k]:
                fired[m] = e
                m += 1
        if m == 0:
            continue
        # contacts of each person (both ends of every tie), grouped by person
        deg = np.zeros(n + 1, np.int64)
        for k in range(t0, t0 + t):
            deg[ti[k] + 1] += 1
            deg[tj[k] + 1] += 1
        start = np.cumsum(deg)
        fill = start[:-1].copy()
        nbr = np.empty(2 * t, np.int64)
        for k in range(t0, t0 + t):
            nbr[fill[ti[k]]] = tj[k]
            fill[ti[k]] += 1
            nbr[fill[tj[k]]] = ti[k]
            fill[tj[k]] += 1
        for f in range(m):
            e = fired[f]
            k = t0 + e % t
            x, y = (ti[k], tj[k]) if e < t else (tj[k], ti[k])
            z = nbr[start[y] + int(u[u0 + 2 * t + e] * (start[y + 1] - start[y]))]
            if z != x:
                runs[c], xs[c], zs[c] = r, x, z
                c += 1
    return runs[:c], xs[:c], zs[:c]


def maintain(
    roster: StaffRoster | Rosters,
    contact: np.ndarray,
    params: TieParams,
    rng: Generators,
    keep: np.ndarray | None = None,
) -> None:
    """Ties with contact this month strengthen; the rest decay; very weak ties are forgotten.

    ``keep`` (N,), if given, scales each person's chance of keeping in touch (their division's
    openness relative to their agency's, ``mechanisms/divisions.py``); by default 1 for everyone.
    """
    b, rngs, one = as_runs(roster, rng)
    if b.tie_off[-1] == 0:
        return
    u, _ = _draw(rngs, _ends(b, 1))
    b.tie_off, b.tie_i, b.tie_j, b.tie_w = _maintain(
        b.staff_off,
        b.tie_off,
        b.tie_i,
        b.tie_j,
        b.tie_w,
        b.home,
        b.post,
        contact[None] if one else contact,
        b.per_run(params, COLUMNS),
        u,
        np.ones(b.home.size) if keep is None else np.asarray(keep, dtype=np.float64),
    )
    if one:
        b.scatter()


@njit(cache=True)
def _maintain(
    staff_off, tie_off, ti, tj, tw, home, post, contact, values, u, keep
):  # pragma: no cover
    """Ends sharing a post, or meeting (``u < (base + scale * contact[a, b]) * keep_i * keep_j``),
    refresh; others decay (each run with its own parameters and contact)."""
    out_off = np.zeros_like(tie_off)
    out_i, out_j, out_w = np.empty_like(ti), np.empty_like(tj), np.empty_like(tw)
    c = 0
    for r in range(tie_off.size - 1):
        s0 = staff_off[r]
        base, scale = values[r, BASE], values[r, SCALE]
        refresh, decay, floor = values[r, REFRESH], values[r, DECAY], values[r, FLOOR]
        for k in range(tie_off[r], tie_off[r + 1]):
            i, j, w = ti[k], tj[k], tw[k]
            si, sj = s0 + i, s0 + j
            met = post[si] == post[sj] or u[k] < (base + scale * contact[r, home[si], home[sj]]) * (
                keep[si] * keep[sj]
            )
            w = w + refresh * (1.0 - w) if met else w * (1.0 - decay)
            if w >= floor:
                out_i[c], out_j[c], out_w[c] = i, j, w
                c += 1
        out_off[r + 1] = c
    return out_off, out_i[:c], out_j[:c], out_w[:c]


def relationship_strength(roster: StaffRoster | Rosters, params: TieParams) -> np.ndarray:
    """Agency-to-agency relationship strength in [0, 1) from the summed tie strengths ((A, A), or
    (R, A, A) for R runs' rosters)."""
    return 1.0 - np.exp(-roster.agency_tie_strength() / params.relationship_scale)
