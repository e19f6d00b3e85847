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
from pydantic import Field

from jusim import kernels
from jusim.params import Params
from jusim.staff import Rosters, StaffRoster, as_runs, each_run, run_of, uniforms

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
# run and parameters that are numbers or one value per run; the rules over ties take all runs in
# one call, and each run draws only from its own generator, the same numbers in the same order.
# The rules that draw take the runs' generators (``Rosters.generators``) and draw inside: the
# numpy versions below run by run in Python, the compiled loops (``jusim/compiled.py``) in theirs.


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


def _ends(tie_off: np.ndarray, k: int) -> list[int]:
    """``k`` times each run's number of ties."""
    t = tie_off.tolist()
    return [k * (t[r + 1] - t[r]) for r in range(len(t) - 1)]


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
    run, i, j, w = kernels.pick("contact_ties", _contact_ties)(
        b.generators(rngs),
        contact[None] if one else contact,
        counts,
        a_idx,
        b_idx,
        b.per_run(params, COLUMNS),
        b.staff_off,
        order,
        start,
    )
    _add(roster, run, i, j, w)


def _contact_ties(rngs, contact, counts, a_idx, b_idx, values, staff_off, order, start):
    """Each run's number of new ties (one Poisson draw from its generator), then three uniforms
    for each (``_contact_pairs``): the new ties' runs, ends and strengths."""
    rngs = each_run(rngs)
    cum = _cumulative_rates(contact, counts, a_idx, b_idx, values)
    n = [int(g.poisson(total)) for g, total in zip(rngs, cum[:, -1], strict=True)]
    if not any(n):
        return _NO, _NO, _NO, _NONE
    u, u_off = uniforms(rngs, [3 * k for k in n])
    run, i, j = _contact_pairs(cum, a_idx, b_idx, staff_off, order, start, counts, u, u_off)
    return run, i, j, values[run, INITIAL]


_NONE, _NO = np.empty(0), np.empty(0, np.int64)


def _cumulative_rates(contact, counts, a_idx, b_idx, values):
    """(R, P) running total of each run's monthly tie-formation rate over agency pairs (a < b)."""
    rate = values[:, FORMATION, None] * contact[:, a_idx, b_idx]
    return np.cumsum(rate * np.minimum(counts[:, a_idx], counts[:, b_idx]), axis=1)


def _contact_pairs(cum, a_idx, b_idx, staff_off, order, start, counts, u, u_off):
    """For each new tie of run r (three uniforms): its agency pair by rate, then one member of
    each agency (indices run r's own)."""
    run = run_of(u_off // 3)
    s0 = staff_off[run]
    p = _bisect_right(cum, run, u[0::3] * cum[run, -1])
    a, b = a_idx[p], b_idx[p]
    i = order[s0 + start[run, a] + (u[1::3] * counts[run, a]).astype(np.int64)]
    j = order[s0 + start[run, b] + (u[2::3] * counts[run, b]).astype(np.int64)]
    return run, i, j


def _bisect_right(rows: np.ndarray, run: np.ndarray, x: np.ndarray) -> np.ndarray:
    """For each value ``x[k]``: how many entries of the nondecreasing row ``rows[run[k]]`` are at
    most ``x[k]`` (``np.searchsorted(row, x, side="right")``, for every value at once), capped at
    the last entry."""
    n = rows.shape[1]
    if x.size * n <= 1 << 20:  # count the entries at most x (a prefix of a nondecreasing row)
        return np.minimum((rows[run] <= x[:, None]).sum(axis=1), n - 1)
    lo, hi = np.zeros(x.size, np.int64), np.full(x.size, n, np.int64)
    for _ in range(n.bit_length()):
        mid = (lo + hi) // 2
        open_ = lo < hi
        below = rows[run, np.minimum(mid, n - 1)] <= x
        lo = np.where(open_ & below, mid + 1, lo)
        hi = np.where(open_ & ~below, mid, hi)
    return np.minimum(lo, n - 1)


def form_by_posting(roster: StaffRoster | Rosters, params: TieParams, rng: Generators) -> None:
    """Secondees (post differs from home) meet colleagues where they are posted."""
    b, rngs, _ = as_runs(roster, rng)
    run, src, dst, w = kernels.pick("posting_ties", _posting_ties)(
        b.generators(rngs), b.staff_off, b.home, b.post, b.per_run(params, COLUMNS), b.n_agencies
    )
    _add(roster, run, src, dst, w)


def _posting_ties(rngs, staff_off, home, post, values, a):
    """Each run's secondees' numbers of new ties (a Poisson draw each, in the order of the staff),
    then a uniform for each tie (``_posting_pairs``): the new ties' runs, ends and strengths."""
    posted = post != home
    if not posted.any():
        return _NO, _NO, _NO, _NONE
    seen = np.concatenate([[0], np.cumsum(posted)])[staff_off]
    k = np.zeros(int(seen[-1]), np.int64)  # ties each secondee forms, run after run
    draws = []
    for r, g in enumerate(each_run(rngs)):
        first, stop = int(seen[r]), int(seen[r + 1])
        if stop > first:
            k[first:stop] = g.poisson(values[r, POSTING], size=stop - first)
            m = int(k[first:stop].sum())
            if m:
                draws.append(g.random(m))
    if not draws:
        return _NO, _NO, _NO, _NONE
    run, src, dst = _posting_pairs(staff_off, home, post, posted, k, np.concatenate(draws), a)
    return run, src, dst, values[run, INITIAL]


def _posting_pairs(staff_off, home, post, posted, k, u, a):
    """Each secondee s of run r forms ``k`` ties, each with one uniform: a colleague drawn among
    all staff of run r posted where s is (staff ordered by post, then row)."""
    group = run_of(staff_off) * a + post  # (run, place) of every member of staff
    small = group.max(initial=0) < 2**16  # a radix sort for small whole numbers
    order = np.argsort(group.astype(np.uint16) if small else group, kind="stable")
    at = np.bincount(group, minlength=(staff_off.size - 1) * a)
    first = np.concatenate((np.zeros(1, np.int64), np.cumsum(at)[:-1]))
    src = np.repeat(np.flatnonzero(posted), k)
    run = run_of(staff_off)[src]
    place = group[src]
    s0 = staff_off[run]
    dst = order[first[place] + (u * at[place]).astype(np.int64)] - s0
    return run, src - s0, dst


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
    run, x, z, w = kernels.pick("referrals", _referrals)(
        b.generators(rngs),
        b.staff_off,
        b.tie_off,
        b.tie_i,
        b.tie_j,
        b.tie_w,
        own,
        b.per_run(params, COLUMNS),
    )
    _add(roster, run, x, z, w)


def _referrals(rngs, staff_off, tie_off, ti, tj, tw, own, values):
    """Each run's 4T uniforms (T its ties, from its generator), then ``_introductions``: the new
    ties' runs, ends and strengths."""
    u, _ = uniforms(each_run(rngs), _ends(tie_off, 4))
    run, x, z = _introductions(staff_off, tie_off, ti, tj, tw, own, values, u)
    return run, x, z, values[run, INITIAL]


def _introductions(staff_off, tie_off, ti, tj, tw, own, values, u):
    """Introductions along ties: pairs (x, z) where x's contact y introduced x to y's contact z.

    Run r's T ties have 4T uniforms u (from ``4 * tie_off[r]``): each tie has two ends
    e = (x, y), first every tie's (i, j) end, then its (j, i) end; end e fires if
    ``u[e] < chance[x] * w`` (chance per person: their openness ``own[x]`` times ``referral``),
    and then y picks z among all their contacts (in the order of their ties) with ``u[2T + e]``
    (z == x is a lost introduction).
    """
    r = run_of(tie_off)
    t0, t = tie_off[r], np.diff(tie_off)[r]
    s0 = staff_off[r]
    k = np.arange(ti.size)
    at = k + t0  # end e = k - t0 of run r: position 2 * t0 + e among all ends, u at 4 * t0 + e
    referral = values[:, REFERRAL][r]
    fire_i = np.flatnonzero(u[at + 2 * t0] < own[s0 + ti] * referral * tw)
    fire_j = np.flatnonzero(u[at + 2 * t0 + t] < own[s0 + tj] * referral * tw)
    if fire_i.size + fire_j.size == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
    end = np.concatenate((at[fire_i], at[fire_j] + t[fire_j]))  # ends in the order of a run
    order = np.argsort(end)
    fired = np.concatenate((fire_i, fire_j))[order]
    x = np.concatenate((ti[fire_i], tj[fire_j]))[order]
    y = np.concatenate((tj[fire_i], ti[fire_j]))[order]
    end, fr = end[order], r[fired]
    gy = staff_off[fr] + y  # the introducer, a row of all runs' staff
    # contacts of the introducers only, each in the order of their ties (key: person, tie)
    wanted = np.zeros(own.size, np.bool_)
    wanted[gy] = True
    gi, gj = s0 + ti, s0 + tj
    by_i, by_j = np.flatnonzero(wanted[gi]), np.flatnonzero(wanted[gj])
    key = np.concatenate((gi[by_i] * ti.size + by_i, gj[by_j] * ti.size + by_j))
    contact = np.concatenate((tj[by_i], ti[by_j]))
    order = np.argsort(key)
    key, contact = key[order], contact[order]
    first = np.searchsorted(key, gy * ti.size)
    degree = np.searchsorted(key, (gy + 1) * ti.size) - first
    pick = u[end + 2 * tie_off[fr] + 2 * np.diff(tie_off)[fr]]
    z = contact[first + (pick * degree).astype(np.int64)]
    kept = z != x
    return fr[kept], x[kept], z[kept]


def maintain(
    roster: StaffRoster | Rosters,
    contact: np.ndarray,
    params: TieParams,
    rng: Generators,
    keep: np.ndarray | None = None,
) -> np.ndarray:
    """Ties with contact this month strengthen; the rest decay; very weak ties are forgotten.

    ``keep`` (N,), if given, scales each person's chance of keeping in touch (their division's
    openness relative to their agency's, ``mechanisms/divisions.py``); by default 1 for everyone.
    Returns the summed strength of the ties kept from home agency to home agency ((A, A), or
    (R, A, A) for R runs' rosters; not yet symmetric), as ``relationship_strength`` takes it: the
    same pass over the ties.
    """
    b, rngs, one = as_runs(roster, rng)
    width = contact.shape[-1]
    if b.tie_off[-1] == 0:
        return np.zeros((width, width) if one else (b.n, width, width))
    b.tie_off, b.tie_i, b.tie_j, b.tie_w, summed = kernels.pick("maintain", _maintain)(
        b.generators(rngs),
        b.staff_off,
        b.tie_off,
        b.tie_i,
        b.tie_j,
        b.tie_w,
        b.home,
        b.post,
        contact[None] if one else contact,
        b.per_run(params, COLUMNS),
        np.ones(b.home.size) if keep is None else np.asarray(keep, dtype=np.float64),
    )
    if one:
        b.scatter()
        return summed[0]
    return summed


def _maintain(rngs, staff_off, tie_off, ti, tj, tw, home, post, contact, values, keep):
    """Ends sharing a post, or meeting (``u < (base + scale * contact[a, b]) * keep_i * keep_j``,
    one uniform per tie from its run's generator, drawn whether its ends share a post or not),
    refresh; others decay (each run with its own parameters and contact); the kept ties and their
    (R, A, A) strength summed from home agency to home agency (``staff._tie_strength``)."""
    u, _ = uniforms(each_run(rngs), _ends(tie_off, 1))
    r = run_of(tie_off)
    si, sj = staff_off[r] + ti, staff_off[r] + tj
    width = contact.shape[-1]
    pair = (r * width + home[si]) * width + home[sj]
    chance = values[:, BASE][r] + values[:, SCALE][r] * contact.ravel()[pair]
    met = (post[si] == post[sj]) | (u < chance * (keep[si] * keep[sj]))
    w = np.where(met, tw + values[:, REFRESH][r] * (1.0 - tw), tw * (1.0 - values[:, DECAY][r]))
    kept = w >= values[:, FLOOR][r]
    counts = np.bincount(r[kept], minlength=tie_off.size - 1)
    out_off = np.concatenate((np.zeros(1, np.int64), np.cumsum(counts)))
    n = tie_off.size - 1
    summed = np.bincount(pair[kept], weights=w[kept], minlength=n * width * width)
    return out_off, ti[kept], tj[kept], w[kept], summed.reshape(n, width, width)


def relationship_strength(
    roster: StaffRoster | Rosters, params: TieParams, summed: np.ndarray | None = None
) -> np.ndarray:
    """Agency-to-agency relationship strength in [0, 1) from the summed tie strengths ((A, A), or
    (R, A, A) for R runs' rosters); ``summed``, if given, is what ``maintain`` returned for the
    roster's ties now (else they are summed here)."""
    s = roster.agency_tie_strength() if summed is None else summed + np.swapaxes(summed, -1, -2)
    return 1.0 - np.exp(-s / params.relationship_scale)
