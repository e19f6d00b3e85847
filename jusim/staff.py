"""StaffRoster: every member of staff as a row in numpy arrays, and their cross-agency ties.

Relationships live in people (001_04a1019f119c8ec4.txt ¶55, ¶79): a tie joins two named staff
members of *different* home agencies, so when someone leaves, their ties leave with them unless
handed over. One row is one post ("slot"): a leaver is replaced in the same row by a newcomer with
no ties and zero tenure, so the staff count of each agency is constant through churn.

A secondee keeps their home agency and has ``post`` set to the host agency for a fixed term.
"""

from __future__ import annotations

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

    def add_ties(self, i: np.ndarray, j: np.ndarray, w: np.ndarray | float) -> None:
        """Add ties (i, j); self-pairs and same-agency pairs are ignored; duplicates keep the max."""
        w = np.broadcast_to(np.asarray(w, dtype=np.float64), i.shape)
        keep = self.home[i] != self.home[j]
        if not keep.any():
            return
        i, j, w = i[keep], j[keep], w[keep]
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        ti = np.concatenate([self.tie_i, lo])
        tj = np.concatenate([self.tie_j, hi])
        tw = np.concatenate([self.tie_w, w])
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
