"""StaffRoster: every member of staff as a row in numpy arrays, and their cross-agency ties.

Relationships live in people (001_04a1019f119c8ec4.txt ¶55, ¶79): a tie joins two named staff
members of *different* home agencies, so when someone leaves, their ties leave with them unless
handed over. One row is one post ("slot"): a leaver is replaced in the same row by a newcomer with
no ties and zero tenure, so the staff count of each agency is constant through churn.

A secondee keeps their home agency and has ``post`` set to the host agency for a fixed term.

Ties are kept sorted by ``(tie_i, tie_j)`` with ``tie_i < tie_j`` and no pair twice; every change
(merge, churn, maintenance) preserves that order, so new ties merge in one linear pass. The small
per-month kernels over ties are compiled with numba (``@njit``): at a thousand staff a month
touches only about a hundred ties, so a chain of numpy calls would spend its time in call overhead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from numba import njit


@dataclass
class StaffRoster:
    """Vectorised staff: home agency, current post, tenure; ties as an undirected edge list."""

    home: np.ndarray  # int64 (N,) agency index of employer
    post: np.ndarray  # int64 (N,) agency index where the person currently works
    tenure: np.ndarray  # int64 (N,) months in post
    n_agencies: int
    tie_i: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))  # i < j
    tie_j: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    tie_w: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))
    _by_home: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    _pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = field(
        default=None, repr=False
    )

    @classmethod
    def from_counts(cls, counts: np.ndarray) -> StaffRoster:
        home = np.repeat(np.arange(len(counts)), counts).astype(np.int64)
        return cls(home=home, post=home.copy(), tenure=np.zeros_like(home), n_agencies=len(counts))

    @property
    def n_staff(self) -> int:
        return int(self.home.size)

    @property
    def n_ties(self) -> int:
        return int(self.tie_w.size)

    def headcount(self) -> np.ndarray:
        """Staff employed by each agency (by home)."""
        return np.bincount(self.home, minlength=self.n_agencies)

    def by_home(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(order, start, count): staff grouped by home agency. Homes never change, so cached."""
        if self._by_home is None:
            counts = self.headcount()
            start = np.concatenate([[0], np.cumsum(counts)[:-1]])
            self._by_home = (np.argsort(self.home, kind="stable"), start, counts)
        return self._by_home

    def add_ties(self, i: np.ndarray, j: np.ndarray, w: np.ndarray | float) -> None:
        """Add ties (i, j); self-pairs and same-agency pairs are ignored; duplicates keep the max."""
        i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
        if i.size == 0:
            return
        w = np.asarray(w, dtype=np.float64) if isinstance(w, np.ndarray) else np.full(i.size, w)
        if self._pending is not None:
            self._pending.append((i, j, w))
            return
        self._merge(i, j, w)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Collect ``add_ties`` calls and merge them once on exit (one pass instead of many).

        Inside the block, new ties are not yet visible in ``tie_i``/``tie_j``/``tie_w``.
        """
        self._pending = []
        try:
            yield
        finally:
            pending, self._pending = self._pending, None
            if len(pending) == 1:
                self._merge(*pending[0])
            elif pending:
                self._merge(*(np.concatenate(part) for part in zip(*pending, strict=True)))

    def _merge(self, i: np.ndarray, j: np.ndarray, w: np.ndarray) -> None:
        """Merge new ties into the sorted tie list, keeping the strongest of duplicate pairs."""
        self.tie_i, self.tie_j, self.tie_w = _merge_ties(
            self.tie_i, self.tie_j, self.tie_w, i, j, w, self.home
        )

    def keep_ties(self, mask: np.ndarray) -> None:
        self.tie_i, self.tie_j, self.tie_w = self.tie_i[mask], self.tie_j[mask], self.tie_w[mask]

    def agency_tie_strength(self) -> np.ndarray:
        """Summed tie strength between every pair of home agencies, symmetric (A, A)."""
        a = self.n_agencies
        flat = np.bincount(
            self.home[self.tie_i] * a + self.home[self.tie_j], weights=self.tie_w, minlength=a * a
        ).reshape(a, a)
        return flat + flat.T

    def tie_density(self) -> float:
        """Cross-agency ties per member of staff (each tie counted at both ends)."""
        return 2.0 * self.n_ties / max(self.n_staff, 1)


@njit(cache=True)
def _merge_ties(ti, tj, tw, ni, nj, nw, home):  # pragma: no cover - compiled
    """Sorted unique ties (ti, tj, tw) plus new pairs (ni, nj, nw) -> sorted unique ties.

    New pairs joining two members of one agency (or a person to themself) are dropped; each pair is
    stored as (low, high); a pair present more than once keeps its largest strength.
    """
    n = home.size
    key = np.empty(ni.size, np.int64)
    wn = np.empty(ni.size, np.float64)
    m = 0
    for k in range(ni.size):
        a, b = ni[k], nj[k]
        if home[a] == home[b]:
            continue
        if a > b:
            a, b = b, a
        key[m] = a * n + b
        wn[m] = nw[k]
        m += 1
    if m == 0:
        return ti, tj, tw
    order = np.argsort(key[:m])
    out_i = np.empty(ti.size + m, np.int64)
    out_j = np.empty(ti.size + m, np.int64)
    out_w = np.empty(ti.size + m, np.float64)
    p = q = c = 0
    while p < ti.size or q < m:
        if q == m or (p < ti.size and ti[p] * n + tj[p] <= key[order[q]]):
            kk, w = ti[p] * n + tj[p], tw[p]
            p += 1
        else:
            kk, w = key[order[q]], wn[order[q]]
            q += 1
        if c > 0 and out_i[c - 1] * n + out_j[c - 1] == kk:
            out_w[c - 1] = max(out_w[c - 1], w)
        else:
            out_i[c], out_j[c], out_w[c] = kk // n, kk % n, w
            c += 1
    return out_i[:c], out_j[:c], out_w[:c]
