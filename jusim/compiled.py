"""The rules over staff and ties as compiled loops (numba), bit for bit the numpy versions
next to each mechanism (``jusim/kernels.py`` says which a process uses).

Each loop takes every run of a batch at once (``staff.Rosters``: staff and ties concatenated run
after run, with offsets) and computes for run r what the numpy version does. The loops that draw
(churn, tie formation, referral, maintenance) take the runs' generators, one per run, as a numba
typed List (``generators``) and draw each run's numbers themselves, the same numbers in the same
order as the numpy version draws them from the same generator: numba's ``random()`` and
``poisson()`` of a ``numpy.random.Generator`` are numpy's algorithms on its own bit generator,
whose state they share (``tests/test_kernels.py`` compares the draws). One loop over a batch's
staff writes no temporaries and no per-run Python loop draws around it, so it is several times
faster than a chain of numpy calls over them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit
from numba.typed import List

from jusim.mechanisms.ties import (
    BASE,
    DECAY,
    FLOOR,
    FORMATION,
    INITIAL,
    POSTING,
    REFERRAL,
    REFRESH,
    SCALE,
)
from jusim.network import TOP_SHARE


# ---- the runs' generators ------------------------------------------------------------------------
def generators(rngs: Sequence[np.random.Generator]) -> List:
    """The runs' generators as a numba typed List (the same generators: they share their state),
    which carries them as a Python tuple too (``.runs``) for the numpy versions. Made by compiled
    loops from numba's cache: a typed List made from Python compiles its methods for the
    generators' type, about 2 s of CPU in every process (shared machine, session 28)."""
    out = _generators_of(rngs[0])
    for g in rngs[1:]:
        _generators_add(out, g)
    out.runs = tuple(rngs)
    return out


@njit(cache=True)
def _generators_of(first):
    out = List()
    out.append(first)
    return out


@njit(cache=True)
def _generators_add(out, g):
    out.append(g)


# ---- jusim/staff.py ------------------------------------------------------------------------------
@njit(cache=True)
def _tie_strength(staff_off, home, tie_off, ti, tj, tw, a):
    """(R, A, A) summed strength of each run's ties from home agency to home agency, added in the
    order of the ties (as ``np.bincount`` does), not yet made symmetric."""
    out = np.zeros((tie_off.size - 1, a, a))
    for r in range(tie_off.size - 1):
        s0 = staff_off[r]
        for k in range(tie_off[r], tie_off[r + 1]):
            out[r, home[s0 + ti[k]], home[s0 + tj[k]]] += tw[k]
    return out


@njit(cache=True)
def _merge_ties(staff_off, home, tie_off, ti, tj, tw, run, ni, nj, nw):
    """Each run's sorted unique ties plus its new pairs -> sorted unique ties (new offsets, ties).

    New pairs (``run``, ``ni``, ``nj``, ``nw``, in any order) joining two members of one agency
    (or a person to themself) are dropped; each pair is stored as (low, high); a pair present more
    than once keeps its largest strength, so the result does not depend on the order of new pairs.
    """
    n_runs = staff_off.size - 1
    first = np.zeros(n_runs + 1, np.int64)  # new pairs grouped by run
    for k in range(run.size):
        first[run[k] + 1] += 1
    for r in range(n_runs):
        first[r + 1] += first[r]
    fill = first[:-1].copy()
    grouped = np.empty(run.size, np.int64)
    for k in range(run.size):
        grouped[fill[run[k]]] = k
        fill[run[k]] += 1
    key = np.empty(run.size, np.int64)
    wn = np.empty(run.size, np.float64)
    out_off = np.zeros(n_runs + 1, np.int64)
    out_i = np.empty(ti.size + run.size, np.int64)
    out_j = np.empty(ti.size + run.size, np.int64)
    out_w = np.empty(ti.size + run.size, np.float64)
    c = 0
    for r in range(n_runs):
        s0, n = staff_off[r], staff_off[r + 1] - staff_off[r]
        m = 0
        for g in range(first[r], first[r + 1]):
            k = grouped[g]
            a, b = ni[k], nj[k]
            if home[s0 + a] == home[s0 + b]:
                continue
            if a > b:
                a, b = b, a
            key[m] = a * n + b
            wn[m] = nw[k]
            m += 1
        order = np.argsort(key[:m])
        p, end, q, c0 = tie_off[r], tie_off[r + 1], 0, c
        while p < end or q < m:
            if q == m or (p < end and ti[p] * n + tj[p] <= key[order[q]]):
                kk, w = ti[p] * n + tj[p], tw[p]
                p += 1
            else:
                kk, w = key[order[q]], wn[order[q]]
                q += 1
            if c > c0 and out_i[c - 1] * n + out_j[c - 1] == kk:
                out_w[c - 1] = max(out_w[c - 1], w)
            else:
                out_i[c], out_j[c], out_w[c] = kk // n, kk % n, w
                c += 1
        out_off[r + 1] = c
    return out_off, out_i[:c], out_j[:c], out_w[:c]


# ---- jusim/mechanisms/ties.py --------------------------------------------------------------------
@njit(cache=True)
def _contact_ties(rngs, contact, counts, a_idx, b_idx, values, staff_off, order, start):
    """``mechanisms.ties._contact_ties``: each run's running total of its tie-formation rate over
    agency pairs (a < b), its number of new ties (one Poisson draw), then for each new tie three
    uniforms: its agency pair by rate, then one member of each agency (indices run r's own)."""
    n_runs, n_pairs = contact.shape[0], a_idx.size
    cum = np.empty((n_runs, n_pairs), np.float64)
    n = np.zeros(n_runs + 1, np.int64)
    for r in range(n_runs):
        total = 0.0
        for p in range(n_pairs):
            a, b = a_idx[p], b_idx[p]
            total += values[r, FORMATION] * contact[r, a, b] * min(counts[r, a], counts[r, b])
            cum[r, p] = total
        n[r + 1] = n[r] + rngs[r].poisson(total)
    run, i, j = np.empty(n[-1], np.int64), np.empty(n[-1], np.int64), np.empty(n[-1], np.int64)
    for r in range(n_runs):
        row, s0, g = cum[r], staff_off[r], rngs[r]
        for c in range(n[r], n[r + 1]):
            u0, u1, u2 = g.random(), g.random(), g.random()
            p = min(np.searchsorted(row, u0 * row[-1], side="right"), n_pairs - 1)
            a, b = a_idx[p], b_idx[p]
            run[c] = r
            i[c] = order[s0 + start[r, a] + int(u1 * counts[r, a])]
            j[c] = order[s0 + start[r, b] + int(u2 * counts[r, b])]
    return run, i, j, values[run, INITIAL]


@njit(cache=True)
def _posting_ties(rngs, staff_off, home, post, values, a):
    """``mechanisms.ties._posting_ties``: each secondee s of run r (post differs from home) forms
    a Poisson number of ties (one draw each, in the order of the staff), then each tie takes one
    uniform: a colleague drawn among all staff of run r posted where s is (staff ordered by post,
    then row)."""
    n_runs = staff_off.size - 1
    k = np.empty(home.size, np.int64)  # ties each secondee forms (set for secondees only)
    m = np.zeros(n_runs + 1, np.int64)
    for r in range(n_runs):
        g, lam, total = rngs[r], values[r, POSTING], 0
        for s in range(staff_off[r], staff_off[r + 1]):
            if post[s] != home[s]:
                k[s] = g.poisson(lam)
                total += k[s]
        m[r + 1] = m[r] + total
    run, src, dst = np.empty(m[-1], np.int64), np.empty(m[-1], np.int64), np.empty(m[-1], np.int64)
    for r in range(n_runs):
        if m[r + 1] == m[r]:
            continue
        s0, s1, g = staff_off[r], staff_off[r + 1], rngs[r]
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
        c = m[r]
        for s in range(s0, s1):
            place = post[s]
            if place == home[s]:
                continue
            for _ in range(k[s]):
                run[c], src[c] = r, s - s0
                dst[c] = order[start[place] + int(g.random() * at[place])]
                c += 1
    return run, src, dst, values[run, INITIAL]


@njit(cache=True)
def _referrals(rngs, staff_off, tie_off, ti, tj, tw, own, values):
    """Introductions along ties: pairs (x, z) where x's contact y introduced x to y's contact z.

    Run r's T ties take 4T uniforms from its generator: each tie has two ends e = (x, y), first
    every tie's (i, j) end, then its (j, i) end; end e fires with the e-th uniform if it is below
    ``chance[x] * w`` (chance per person: their openness ``own[x]`` times ``referral``), and then
    y picks z among all their contacts with the (2T + e)-th (z == x is a lost introduction).
    """
    size = 2 * ti.size
    runs, xs, zs = np.empty(size, np.int64), np.empty(size, np.int64), np.empty(size, np.int64)
    fired = np.empty(size, np.int64)
    width = 0
    for r in range(staff_off.size - 1):
        width = max(width, staff_off[r + 1] - staff_off[r])
    deg = np.empty(width + 1, np.int64)
    fill = np.empty(width, np.int64)
    c = 0
    for r in range(staff_off.size - 1):
        n, g = staff_off[r + 1] - staff_off[r], rngs[r]
        s0, t0, t = staff_off[r], tie_off[r], tie_off[r + 1] - tie_off[r]
        referral = values[r, REFERRAL]
        m = 0
        for e in range(2 * t):
            k = t0 + e % t
            x = ti[k] if e < t else tj[k]
            if g.random() < own[s0 + x] * referral * tw[k]:
                fired[m] = e
                m += 1
        if m == 0:
            for _ in range(2 * t):  # the picks' uniforms, drawn whether used or not
                g.random()
            continue
        # contacts of each person (both ends of every tie), grouped by person
        deg[: n + 1] = 0
        for k in range(t0, t0 + t):
            deg[ti[k] + 1] += 1
            deg[tj[k] + 1] += 1
        for x in range(n):
            deg[x + 1] += deg[x]
        fill[:n] = deg[:n]
        nbr = np.empty(2 * t, np.int64)
        for k in range(t0, t0 + t):
            nbr[fill[ti[k]]] = tj[k]
            fill[ti[k]] += 1
            nbr[fill[tj[k]]] = ti[k]
            fill[tj[k]] += 1
        f = 0
        for e in range(2 * t):
            u = g.random()
            if f == m or fired[f] != e:
                continue
            f += 1
            k = t0 + e % t
            x, y = (ti[k], tj[k]) if e < t else (tj[k], ti[k])
            z = nbr[deg[y] + int(u * (deg[y + 1] - deg[y]))]
            if z != x:
                runs[c], xs[c], zs[c] = r, x, z
                c += 1
    return runs[:c], xs[:c], zs[:c], values[runs[:c], INITIAL]


@njit(cache=True)
def _maintain(rngs, staff_off, tie_off, ti, tj, tw, home, post, contact, values, keep):
    """Ends sharing a post, or meeting (a uniform of run r's generator, one per tie whether its
    ends share a post or not, below ``(base + scale * contact[a, b]) * keep_i * keep_j``),
    refresh; others decay (each run with its own parameters and contact); the kept ties and their
    (R, A, A) strength summed from home agency to home agency (as ``_tie_strength``)."""
    out_off = np.zeros_like(tie_off)
    out_i, out_j, out_w = np.empty_like(ti), np.empty_like(tj), np.empty_like(tw)
    width = contact.shape[-1]
    summed = np.zeros((tie_off.size - 1, width, width))
    c = 0
    for r in range(tie_off.size - 1):
        s0 = staff_off[r]
        base, scale = values[r, BASE], values[r, SCALE]
        refresh, decay, floor = values[r, REFRESH], values[r, DECAY], values[r, FLOOR]
        g = rngs[r]
        for k in range(tie_off[r], tie_off[r + 1]):
            i, j, w, u = ti[k], tj[k], tw[k], g.random()
            si, sj = s0 + i, s0 + j
            met = post[si] == post[sj] or u < (base + scale * contact[r, home[si], home[sj]]) * (
                keep[si] * keep[sj]
            )
            w = w + refresh * (1.0 - w) if met else w * (1.0 - decay)
            if w >= floor:
                out_i[c], out_j[c], out_w[c] = i, j, w
                summed[r, home[si], home[sj]] += w
                c += 1
        out_off[r + 1] = c
    return out_off, out_i[:c], out_j[:c], out_w[:c], summed


# ---- jusim/mechanisms/divisions.py ---------------------------------------------------------------
@njit(cache=True)
def _pulled(base, agency_openness, pull):
    """A division's openness pulled the share ``pull`` of the way to its agency's."""
    return base + pull * (agency_openness - base)


@njit(cache=True)
def _openness_and_keeping(
    staff_off, home, division, division_off, division_agency, base, now, usual, alignment, own, keep
):
    """``own`` = clip(now[r, home] + offset[division], 0, 1) for each person of each run r, where
    a division's offset is its ``openness`` less its agency's usual openness; ``keep`` = ``own``
    over ``now[r, home]`` (1 where that is 0)."""
    for r in range(staff_off.size - 1):
        d0, d1 = division_off[r], division_off[r + 1]
        offset = np.empty(d1 - d0)
        for d in range(d0, d1):
            a = division_agency[d]
            offset[d - d0] = _pulled(base[d], usual[r, a], alignment[r, a]) - usual[r, a]
        for s in range(staff_off[r], staff_off[r + 1]):
            agency = now[r, home[s]]
            v = agency + offset[division[s]]
            v = 0.0 if v < 0.0 else (1.0 if v > 1.0 else v)
            own[s] = v
            keep[s] = v / agency if agency > 0 else 1.0


# ---- jusim/mechanisms/churn.py -------------------------------------------------------------------
@njit(cache=True)
def _churn(
    staff_off, home, tenure, tie_off, ti, tj, tw, hazard, handover, strength, leave_rngs, keep_rngs
):
    """``mechanisms.churn._churn`` as one loop over each run's staff, then its ties, each drawing
    from run r's generators: one uniform per member of staff (``leave_rngs[r]``), then one per tie
    (``keep_rngs[r]``, which may be the same generator)."""
    n_runs = staff_off.size - 1
    leaving = np.empty(home.size, np.bool_)
    n_left = np.zeros(n_runs, np.int64)
    out_off = np.zeros(n_runs + 1, np.int64)
    out_i, out_j, out_w = np.empty_like(ti), np.empty_like(tj), np.empty_like(tw)
    c = 0
    for r in range(n_runs):
        s0, g = staff_off[r], leave_rngs[r]
        for s in range(s0, staff_off[r + 1]):
            leaving[s] = g.random() < hazard[r, home[s]]
            if leaving[s]:
                tenure[s] = 0
                n_left[r] += 1
            else:
                tenure[s] += 1
        g = keep_rngs[r]
        for k in range(tie_off[r], tie_off[r + 1]):
            u, w = g.random(), tw[k]
            a, b = s0 + ti[k], s0 + tj[k]
            if leaving[a] or leaving[b]:
                p = handover[r, home[a]] if leaving[a] else 1.0
                if leaving[b]:
                    p *= handover[r, home[b]]
                if u >= p:
                    continue
                w *= strength[r, 0]
            out_i[c], out_j[c], out_w[c] = ti[k], tj[k], w
            c += 1
        out_off[r + 1] = c
    return n_left, out_off, out_i[:c], out_j[:c], out_w[:c]


# ---- jusim/mechanisms/mobility.py ----------------------------------------------------------------
@njit(cache=True)
def _movers(leavers, lo, u, values):
    """Leavers who move (``u < share``), by run: rows and (R + 1,) offsets."""
    out = np.empty(u.size, np.int64)
    off = np.zeros(lo.size, np.int64)
    c = q = 0
    for r in range(lo.size - 1):
        if not (values[r, 0] > 0 and lo[r + 1] - lo[r] >= 2 and values[r, 1] != 0):
            off[r + 1] = c
            continue
        for x in range(lo[r], lo[r + 1]):
            if u[q] < values[r, 0]:
                out[c] = leavers[x]
                c += 1
            q += 1
        off[r + 1] = c
    return out[:c], off


@njit(cache=True)
def _vacancies(staff_off, home, leavers, lo, movers, m_off, v):
    """Each mover's vacancy (``leavers[v]``); a vacancy in the mover's own agency is lost and a
    vacancy drawn twice goes to its first mover; kept movers in order of their vacancy (as
    ``np.unique`` leaves them)."""
    out_m, out_d = np.empty(movers.size, np.int64), np.empty(movers.size, np.int64)
    off = np.zeros(m_off.size, np.int64)
    taken = np.zeros(home.size, np.bool_)
    c = 0
    for r in range(m_off.size - 1):
        c0 = c
        for x in range(m_off[r], m_off[r + 1]):
            d = leavers[lo[r] + v[x]]
            if home[d] != home[movers[x]] and not taken[d]:
                taken[d] = True
                out_m[c], out_d[c] = movers[x], d
                c += 1
        order = np.argsort(out_d[c0:c])
        out_m[c0:c], out_d[c0:c] = out_m[c0:c][order], out_d[c0:c][order]
        off[r + 1] = c
    return out_m[:c], out_d[:c], off


@njit(cache=True)
def _contacts(staff_off, home, order, start, count, movers, dest, m_off, values, w):
    """Each kept mover's ``contacts`` ties from their new post to staff of the agency they left
    (one uniform each), indices each run's own."""
    n = w.size
    run, i, j = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
    c = 0
    for r in range(m_off.size - 1):
        s0, k = staff_off[r], int(values[r, 1])
        for x in range(m_off[r], m_off[r + 1]):
            origin = home[movers[x]]
            for _ in range(k):
                run[c], i[c] = r, dest[x] - s0
                j[c] = order[s0 + start[r, origin] + int(w[c] * count[r, origin])]
                c += 1
    return run, i, j


# ---- jusim/network.py ----------------------------------------------------------------------------
@njit(cache=True)
def _tie_measures(staff_off, tie_off, tie_i, tie_j, possible):
    """(R, 4) every tie series of each run (ties per member of staff, cross-agency tie density,
    top-k share of tie ends, components among tied staff), in one pass over its ties (run r:
    staff ``staff_off[r]:staff_off[r + 1]``, ties likewise; ``possible`` its cross-agency pairs).
    Only the tied staff are visited: components are the tied staff less the unions that joined
    two."""
    n_runs = staff_off.size - 1
    out = np.empty((n_runs, 4))
    width = 0
    for r in range(n_runs):
        width = max(width, staff_off[r + 1] - staff_off[r])
    deg = np.zeros(width, np.int64)  # (back to zero after each run, at its tied staff)
    parent = np.empty(width, np.int64)
    tied = np.empty(width, np.int64)
    for r in range(n_runs):
        staff, ties = staff_off[r + 1] - staff_off[r], tie_off[r + 1] - tie_off[r]
        out[r, 0] = 2.0 * ties / max(staff, 1)
        out[r, 1] = ties / possible[r] if possible[r] > 0 else np.nan
        out[r, 2], out[r, 3] = np.nan, 0.0
        m = joined = 0
        for e in range(tie_off[r], tie_off[r + 1]):
            a, b = tie_i[e], tie_j[e]
            for x in (a, b):
                if deg[x] == 0:
                    parent[x] = x
                    tied[m] = x
                    m += 1
                deg[x] += 1
            # union-find with path halving
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            while parent[b] != b:
                parent[b] = parent[parent[b]]
                b = parent[b]
            if a != b:
                parent[max(a, b)] = min(a, b)
                joined += 1
        if ties == 0:
            continue
        # sum of the top_k degrees via a histogram of degrees (degrees are small whole numbers)
        max_deg = 0
        for k in range(m):
            max_deg = max(max_deg, deg[tied[k]])
        hist = np.zeros(max_deg + 1, np.int64)
        for k in range(m):
            hist[deg[tied[k]]] += 1
            deg[tied[k]] = 0
        left, top = max(1, np.int64(np.ceil(TOP_SHARE * staff))), 0
        for d in range(max_deg, 0, -1):
            take = min(left, hist[d])
            top += take * d
            left -= take
            if left == 0:
                break
        out[r, 2], out[r, 3] = top / (2 * ties), m - joined
    return out


# name (as the mechanisms ask for it) -> compiled loop
KERNELS = {
    "tie_strength": _tie_strength,
    "merge_ties": _merge_ties,
    "contact_ties": _contact_ties,
    "posting_ties": _posting_ties,
    "referrals": _referrals,
    "maintain": _maintain,
    "openness_and_keeping": _openness_and_keeping,
    "churn": _churn,
    "movers": _movers,
    "vacancies": _vacancies,
    "contacts": _contacts,
    "tie_measures": _tie_measures,
}
