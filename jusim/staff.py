"""StaffRoster: every member of staff as a row in numpy arrays, and their cross-agency ties.

Relationships live in people (001_04a1019f119c8ec4.txt ¶55, ¶79): a tie joins two named staff
members of *different* home agencies, so when someone leaves, their ties leave with them unless
handed over. One row is one post ("slot"): a leaver is replaced in the same row by a newcomer with
no ties and zero tenure, so the staff count of each agency is constant through churn.

A secondee keeps their home agency and has ``post`` set to the host agency for a fixed term.

Ties are kept sorted by ``(tie_i, tie_j)`` with ``tie_i < tie_j`` and no pair twice; every change
(merge, churn, maintenance) preserves that order, so new ties go in by binary search. The rules
over ties take every run's ties at once (``Rosters``), written in numpy and as compiled loops
(``jusim/kernels.py`` chooses); the rules that draw take the runs' generators
(``Rosters.generators``), so a compiled loop draws each run's numbers itself.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate
from operator import is_
from typing import Any

import numpy as np

from jusim import kernels


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
    # the Rosters it was last gathered in, with other runs' (``Rosters.of``) and alone
    _batch: Any = field(default=None, repr=False, compare=False)
    _alone: Any = field(default=None, repr=False, compare=False)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _STAFF_ARRAYS:  # an array replaced: its batch must gather the runs afresh
            batch = self.__dict__.get("_batch")
            if batch is not None:
                batch._staff_changed = True
        object.__setattr__(self, name, value)

    def __getstate__(self) -> dict[str, Any]:  # (pickle and copy: its own ties, no batch)
        state = {k: v for k, v in self.__dict__.items() if k not in ("_row", "_seen")}
        state.update(tie_i=self.tie_i, tie_j=self.tie_j, tie_w=self.tie_w, _batch=None, _alone=None)
        return state

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
        one = Rosters.of([self])
        one._merge(np.zeros(i.size, np.int64), i, j, w)
        one.scatter()

    def keep_ties(self, mask: np.ndarray) -> None:
        self.tie_i, self.tie_j, self.tie_w = self.tie_i[mask], self.tie_j[mask], self.tie_w[mask]

    def agency_tie_strength(self) -> np.ndarray:
        """Summed tie strength between every pair of home agencies, symmetric (A, A)."""
        return Rosters.of([self]).agency_tie_strength()[0]

    def tie_density(self) -> float:
        """Cross-agency ties per member of staff (each tie counted at both ends)."""
        return 2.0 * self.n_ties / max(self.n_staff, 1)


_STAFF_ARRAYS = frozenset({"home", "post", "tenure"})


class _TieArray:
    """A roster's ``tie_i``, ``tie_j`` or ``tie_w``. The ``scatter`` of a batch of runs
    (``Rosters``) writes nothing into its R rosters: each takes its views of the batch's ties when
    one of its tie arrays is next read (most never are during a batch). Setting one tells the
    batch to gather the runs' ties afresh (``Rosters.of``)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, roster: StaffRoster | None, owner: type | None = None) -> Any:
        if roster is None:
            return self
        d = roster.__dict__
        batch = d.get("_batch")
        if batch is not None and d["_seen"] != batch._scattered:
            batch._fetch(roster)
        return d[self.name]

    def __set__(self, roster: StaffRoster, value: np.ndarray) -> None:
        d = roster.__dict__
        batch = d.get("_batch")
        if batch is not None:
            if d["_seen"] != batch._scattered:  # (the other two arrays first)
                batch._fetch(roster)
            batch._ties_changed = True
        d[self.name] = value


for _name in ("tie_i", "tie_j", "tie_w"):
    setattr(StaffRoster, _name, _TieArray(_name))


def offsets(sizes: Sequence[int]) -> np.ndarray:
    """(R + 1,) start of each run's block in arrays concatenated run after run (last: total)."""
    return np.fromiter(accumulate(sizes, initial=0), np.int64, len(sizes) + 1)


def as_runs(
    roster: StaffRoster | Rosters, rng: np.random.Generator | Sequence[np.random.Generator]
) -> tuple[Rosters, list[np.random.Generator], bool]:
    """(rosters, one generator per run, alone?) for a mechanism given one roster and generator
    (R = 1) or R runs' ``Rosters`` and their generators."""
    if isinstance(roster, StaffRoster):
        return Rosters.of([roster]), [rng], True  # type: ignore[list-item]
    return roster, list(rng), False  # type: ignore[arg-type]


def each_run(rngs: Sequence[np.random.Generator]) -> Sequence[np.random.Generator]:
    """The runs' generators as Python objects, for the numpy versions of the rules that draw:
    those of a numba typed List (``Rosters.generators``: its ``.runs``), else ``rngs``. (Reading a
    typed List from Python would compile its methods: about 2 s of CPU in every process.)"""
    return getattr(rngs, "runs", rngs)


def uniforms(
    rngs: Sequence[np.random.Generator], sizes: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Uniforms, ``sizes[r]`` from run r's generator (none drawn where 0), concatenated, and their
    (R + 1,) offsets."""
    off = offsets(sizes)
    if len(rngs) == 1:
        return (rngs[0].random(sizes[0]) if sizes[0] else np.empty(0)), off
    u = np.empty(int(off[-1]))
    for g, a, b in zip(rngs, off[:-1].tolist(), off[1:].tolist(), strict=True):
        if b > a:
            g.random(out=u[a:b])
    return u, off


def rows(values: np.ndarray, n: int) -> np.ndarray:
    """(R, A) float values of each run's agencies (an (A,) array for a run alone)."""
    if isinstance(values, np.ndarray) and values.ndim == 2 and values.dtype == np.float64:
        return values
    return np.asarray(values, np.float64).reshape(n, -1)


def _cat(parts: list[np.ndarray]) -> np.ndarray:
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


class Rosters:
    """The rosters of R runs side by side, for rules over ties that take every run in one call.

    Staff arrays are concatenated run after run (run r's staff are rows ``staff_off[r]`` to
    ``staff_off[r + 1]``), ties likewise (``tie_off``); the numbers inside (tie ends, the order of
    staff by home agency) stay each run's own, so a rule computes for run r exactly what it
    computes for that run alone. A phase takes ``Rosters.of(runs' rosters)``, calls the mechanisms
    once for all runs (they change ``tie_i``/``tie_j``/``tie_w`` and, in place, ``tenure``) and
    writes each run's ties back with ``scatter()``. A mechanism given one ``StaffRoster`` works on
    ``Rosters([roster])`` (R = 1).

    Gathering once, not every phase: the rosters' staff arrays (``home``, ``post``, ``tenure``)
    become views of the concatenated ones, and ``scatter`` leaves each run's ties as views of the
    batch's (taken when first read: ``_TieArray``), so the next ``Rosters.of`` of the same rosters
    concatenates nothing (a change made to a run's arrays in place, such as a secondment setting
    ``post``, is a change of the batch's; an array replaced is gathered afresh: the roster tells
    its batch). ``cache`` keeps values derived from the staff arrays (valid while they are kept).
    """

    def __init__(self, rosters: Sequence[StaffRoster]) -> None:
        self.rosters = list(rosters)
        self.n = len(self.rosters)
        self.n_agencies = self.rosters[0].n_agencies
        self.staff_off = offsets([r.home.size for r in self.rosters])
        self.home = _cat([r.home for r in self.rosters])
        self.post = _cat([r.post for r in self.rosters])
        self.tenure = _cat([r.tenure for r in self.rosters])
        self._scattered = 0  # scatters so far (a roster whose ties are older takes them anew)
        self._staff_changed = self._ties_changed = False
        self._gather_ties()
        if self.n == 1:
            self.rosters[0]._alone = self
        else:
            s = self.staff_off.tolist()
            for r, roster in enumerate(self.rosters):
                roster.home, roster.post, roster.tenure = (
                    x[s[r] : s[r + 1]] for x in (self.home, self.post, self.tenure)
                )
                roster.__dict__.update(_batch=self, _row=r, _seen=0)
        self._staff = [(r.home, r.post, r.tenure) for r in self.rosters]
        self.cache: dict[Any, object] = {}
        self._pending: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] | None = None

    @classmethod
    def of(cls, rosters: Sequence[StaffRoster]) -> Rosters:
        """The runs' rosters side by side: the batch they were last gathered into if every staff
        array is still the one it made (its ties gathered afresh if any run's changed), else new."""
        if len(rosters) > 1:
            b = rosters[0]._batch
            if (
                b is None
                or b._staff_changed
                or b.n != len(rosters)
                or not all(map(is_, rosters, b.rosters))
            ):
                return cls(rosters)
            if b._ties_changed:
                b._gather_ties()
            return b
        b = rosters[0]._alone
        if b is None:
            return cls(rosters)
        roster, (home, post, tenure) = rosters[0], b._staff[0]
        if roster.home is not home or roster.post is not post or roster.tenure is not tenure:
            return cls(rosters)
        ti, tj, tw = b._ties
        if roster.tie_i is not ti or roster.tie_j is not tj or roster.tie_w is not tw:
            b._gather_ties()
        return b

    def _gather_ties(self) -> None:
        self.tie_off = offsets([r.tie_w.size for r in self.rosters])
        self.tie_i = _cat([r.tie_i for r in self.rosters])
        self.tie_j = _cat([r.tie_j for r in self.rosters])
        self.tie_w = _cat([r.tie_w for r in self.rosters])
        self._ties = (self.rosters[0].tie_i, self.rosters[0].tie_j, self.rosters[0].tie_w)
        self._ties_changed = False

    def _fetch(self, roster: StaffRoster) -> None:
        """Run ``roster``'s views of the ties of the last ``scatter``."""
        t, ti, tj, tw = self._scattered_ties
        r = roster.__dict__["_row"]
        a, b = t[r], t[r + 1]
        roster.__dict__.update(tie_i=ti[a:b], tie_j=tj[a:b], tie_w=tw[a:b], _seen=self._scattered)

    @property
    def staff_run(self) -> np.ndarray:
        """(N,) the run of each member of staff."""
        if "staff_run" not in self.cache:
            self.cache["staff_run"] = np.repeat(np.arange(self.n), np.diff(self.staff_off))
        return self.cache["staff_run"]  # type: ignore[return-value]

    def per_run(self, params: Any, names: tuple[str, ...]) -> np.ndarray:
        """(R, k) parameters ``names`` of a group (a number or one value per run each), a row
        per run, gathered once per batch and group."""
        hit = self.cache.get(names)
        if hit is not None and hit[0] is params:  # type: ignore[index]
            return hit[1]  # type: ignore[index]
        table = np.empty((self.n, len(names)))
        for c, name in enumerate(names):
            table[:, c] = getattr(params, name)
        self.cache[names] = (params, table)
        return table

    def generators(self, rngs: Sequence[np.random.Generator]) -> Sequence[np.random.Generator]:
        """The runs' generators (one per run, each its own) as the rules that draw take them:
        once this process has loaded the compiled loops (``jusim.compiled`` imported), a numba
        typed List of them (``compiled.generators``, which the loops draw from), made once per
        batch and stream (15-50 µs a generator: not every month); else ``rngs``. The numpy
        versions take either (``each_run``), so the two can take turns."""
        compiled = sys.modules.get("jusim.compiled")
        if compiled is None:
            return rngs
        key = ("generators", id(rngs[0]))
        hit = self.cache.get(key)
        if hit is not None and len(hit.runs) == len(rngs) and all(map(is_, hit.runs, rngs)):
            return hit  # type: ignore[return-value]
        if len(set(map(id, rngs))) < len(rngs):
            raise ValueError("each run draws from its own generator (one generator per run)")
        self.cache[key] = typed = compiled.generators(rngs)
        return typed

    def scratch(self, name: str, size: int) -> np.ndarray:
        """(size,) floats to draw into, the same memory month after month (no fresh pages)."""
        buf = self.cache.get(name)
        if not isinstance(buf, np.ndarray) or buf.size < size:
            buf = np.empty(max(size, 2 * (buf.size if isinstance(buf, np.ndarray) else 0)))
            self.cache[name] = buf
        return buf[:size]

    def by_home(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(order (N,), start (R, A), count (R, A)): each run's ``StaffRoster.by_home``, its order
        concatenated (run r's at ``staff_off[r]``, indices its own)."""
        if "by_home" not in self.cache:
            parts = [r.by_home() for r in self.rosters]
            self.cache["by_home"] = (
                _cat([p[0] for p in parts]),
                np.stack([p[1] for p in parts]),
                np.stack([p[2] for p in parts]),
            )
        return self.cache["by_home"]  # type: ignore[return-value]

    def add_ties(self, run: np.ndarray, i: np.ndarray, j: np.ndarray, w: np.ndarray) -> None:
        """Add ties (i, j) of strength w (one each) to run ``run``'s roster (indices its own); as
        ``StaffRoster.add_ties``: same-agency pairs are ignored, duplicates keep the max."""
        if run.size == 0:
            return
        if self._pending is not None:
            self._pending.append((run, i, j, w))
            return
        self._merge(run, i, j, w)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Collect ``add_ties`` calls and merge them once on exit (as ``StaffRoster.batch``)."""
        self._pending = []
        try:
            yield
        finally:
            pending, self._pending = self._pending, None
            if pending:
                self._merge(*(_cat(list(part)) for part in zip(*pending, strict=True)))

    def ties(self) -> tuple[np.ndarray, ...]:
        """(staff_off, home, tie_off, tie_i, tie_j, tie_w): what a rule over ties takes."""
        return self.staff_off, self.home, self.tie_off, self.tie_i, self.tie_j, self.tie_w

    def _merge(self, run: np.ndarray, i: np.ndarray, j: np.ndarray, w: np.ndarray) -> None:
        self.tie_off, self.tie_i, self.tie_j, self.tie_w = kernels.pick("merge_ties", _merge_ties)(
            *self.ties(),
            np.asarray(run, np.int64),
            np.asarray(i, np.int64),
            np.asarray(j, np.int64),
            np.asarray(w, np.float64),
        )

    def agency_tie_strength(self) -> np.ndarray:
        """(R, A, A) each run's ``StaffRoster.agency_tie_strength``."""
        flat = kernels.pick("tie_strength", _tie_strength)(*self.ties(), self.n_agencies)
        return flat + np.swapaxes(flat, -1, -2)

    def scatter(self) -> None:
        """Write each run's ties back into its roster (views of the batch's; for R runs, taken by
        each roster when it next reads them)."""
        if self.n == 1:
            roster = self.rosters[0]
            roster.tie_i, roster.tie_j, roster.tie_w = self.tie_i, self.tie_j, self.tie_w
            self._ties = (self.tie_i, self.tie_j, self.tie_w)
        else:
            self._scattered_ties = (self.tie_off.tolist(), self.tie_i, self.tie_j, self.tie_w)
            self._scattered += 1
            self._ties_changed = False


def run_of(off: np.ndarray) -> np.ndarray:
    """(off[-1],) the run of each element of arrays concatenated run after run (offsets ``off``)."""
    return np.repeat(np.arange(off.size - 1), np.diff(off))


_CELLS: dict[tuple[int, ...], tuple[tuple[np.ndarray, ...], np.ndarray]] = {}


def cell(off: np.ndarray, index: np.ndarray, width: int) -> np.ndarray:
    """``run_of(off) * width + index``: where each element's (run, index) lies in a flattened
    (R, width) array. Staff offsets and homes stay the same arrays month after month (a
    ``Rosters``), so the last few answers are kept, by the arrays' identity."""
    key = (id(off), id(index), width)
    hit = _CELLS.get(key)
    if hit is not None and hit[0][0] is off and hit[0][1] is index:
        return hit[1]
    out = run_of(off) * width + index
    if len(_CELLS) >= 8:
        _CELLS.pop(next(iter(_CELLS)))
    _CELLS[key] = ((off, index), out)
    return out


def _tie_strength(staff_off, home, tie_off, ti, tj, tw, a):
    """(R, A, A) summed strength of each run's ties from home agency to home agency, added in the
    order of the ties (``np.bincount``), not yet made symmetric."""
    r = run_of(tie_off)
    s0 = staff_off[r]
    cell = (r * a + home[s0 + ti]) * a + home[s0 + tj]
    n = tie_off.size - 1
    return np.bincount(cell, weights=tw, minlength=n * a * a).reshape(n, a, a)


def _merge_ties(staff_off, home, tie_off, ti, tj, tw, run, ni, nj, nw):
    """Each run's sorted unique ties plus its new pairs -> sorted unique ties (new offsets, ties).

    New pairs (``run``, ``ni``, ``nj``, ``nw``, in any order) joining two members of one agency
    (or a person to themself) are dropped; each pair is stored as (low, high); a pair present more
    than once keeps its largest strength, so the result does not depend on the order of new pairs.

    Every tie has one whole-number key, ordered as (run, low, high): run r's pairs take the keys
    ``base[r] + low * n_r + high`` (``n_r`` its staff, ``base`` the running total of ``n_r**2``,
    below 2**63 for fewer than three billion staff in all), so the existing ties are already
    sorted by key and the new ones go in by ``np.searchsorted`` (no sort of the existing ties).
    """
    size = np.diff(staff_off)
    s0 = staff_off[run]
    ok = home[s0 + ni] != home[s0 + nj]
    if not ok.all():
        run, ni, nj, nw = run[ok], ni[ok], nj[ok], nw[ok]
    if run.size == 0:
        return tie_off, ti, tj, tw
    base = np.concatenate((np.zeros(1, np.int64), np.cumsum(size * size)))
    lo, hi = np.minimum(ni, nj), np.maximum(ni, nj)
    key = base[run] + lo * size[run] + hi
    order = np.argsort(key, kind="stable")
    key = key[order]
    first = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    w = np.maximum.reduceat(nw[order], first)  # duplicates among the new pairs: the largest
    key, run, lo, hi = key[first], run[order[first]], lo[order[first]], hi[order[first]]
    r = run_of(tie_off)
    old = base[r] + ti * size[r] + tj
    pos = np.searchsorted(old, key)
    hit = pos < old.size
    hit[hit] = old[pos[hit]] == key[hit]
    if hit.any():  # pairs already tied: the stronger of the two
        tw = tw.copy()
        at = pos[hit]
        tw[at] = np.maximum(tw[at], w[hit])
    new = ~hit
    if not new.any():
        return tie_off, ti, tj, tw
    at = pos[new]
    added = np.bincount(run[new], minlength=size.size)
    out_off = tie_off + np.concatenate((np.zeros(1, np.int64), np.cumsum(added)))
    return (
        out_off,
        np.insert(ti, at, lo[new]),
        np.insert(tj, at, hi[new]),
        np.insert(tw, at, w[new]),
    )
