"""StaffRoster: every member of staff as a row in numpy arrays, and their cross-agency ties.

Relationships live in people (001_04a1019f119c8ec4.txt ¶55, ¶79): a tie joins two named staff
members of *different* home agencies, so when someone leaves, their ties leave with them unless
handed over. One row is one post ("slot"): a leaver is replaced in the same row by a newcomer with
no ties and zero tenure, so the staff count of each agency is constant through churn.

A secondee keeps their home agency and has ``post`` set to the host agency for a fixed term.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np


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
        keep = self.home[i] != self.home[j]
        if not keep.any():
            return
        i, j = i[keep], j[keep]
        w = w[keep] if isinstance(w, np.ndarray) else np.full(i.size, float(w))
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        if self._pending is not None:
            self._pending.append((lo, hi, w))
            return
        self._merge([self.tie_i, lo], [self.tie_j, hi], [self.tie_w, w])

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Collect ``add_ties`` calls and merge them once on exit (one sort instead of many).

        Inside the block, new ties are not yet visible in ``tie_i``/``tie_j``/``tie_w``.
        """
        self._pending = []
        try:
            yield
        finally:
            pending, self._pending = self._pending, None
            if pending:
                self._merge(
                    [self.tie_i, *(p[0] for p in pending)],
                    [self.tie_j, *(p[1] for p in pending)],
                    [self.tie_w, *(p[2] for p in pending)],
                )

    def _merge(self, i_parts: list, j_parts: list, w_parts: list) -> None:
        """Concatenate tie arrays and collapse duplicate pairs, keeping the strongest."""
        ti, tj, tw = np.concatenate(i_parts), np.concatenate(j_parts), np.concatenate(w_parts)
        key = ti * self.n_staff + tj
        order = np.argsort(key, kind="stable")
        key = key[order]
        first = np.ones(key.size, dtype=bool)
        first[1:] = key[1:] != key[:-1]
        starts = np.flatnonzero(first)
        self.tie_w = np.maximum.reduceat(tw[order], starts)
        self.tie_i = ti[order][starts]
        self.tie_j = tj[order][starts]

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
