"""Metrics: per-month records in preallocated arrays, and the run's tidy tables and summary.

- attainment of each outcome against its target: ``(need0 - need) / (need0 - target)``; 1 means
  the target is met, 0 no progress, negative a worsening;
- need stock; cases resolved by joint work; cost per unit of outcome (cumulative spending on the
  outcome — agencies' joint work, pooled money, seconded time and partnership overhead — over
  cumulative cases resolved);
- own-target attainment per agency; share of discretionary resources on joint work; overhead;
- mean trust between agencies that share an outcome; shared understanding; cross-agency tie
  density (ties per member of staff); leavers; the money ledger (allocated = spent + unspent).
"""

from __future__ import annotations

import operator
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from jusim.lazy import lazy
from jusim.network import MEASURES as NETWORK_MEASURES
from jusim.network import SERIES as TIE_SERIES  # ties per member of staff, the measures
from jusim.network import possible_pairs, series, series_runs
from jusim.partnership import Board
from jusim.staff import Rosters, offsets

if TYPE_CHECKING:
    import pandas as pd

    from jusim.month.runs import Runs
    from jusim.month.state import State
else:
    pd = lazy("pandas")  # only the tables need it (jusim/lazy.py)


# value columns of the tidy tables (besides scenario, seed, month and the row's name)
OUTCOME_COLUMNS = ("need", "attainment", "resolved", "spend", "cost_per_outcome", "coordination")
SYSTEM_COLUMNS = (
    "mean_trust",
    "mean_understanding",
    "tie_density",
    "leavers",
    "allocated",
    "spent",
    "unspent",
    "overhead",
    # the staff tie network (jusim/network.py)
    "cross_tie_density",
    "top5_tie_share",
    "tie_components",
)


def tie_series(rosters: Rosters, possible: np.ndarray | None = None) -> np.ndarray:
    """(R, 4) each run's tie measures now, in the order of ``TIE_SERIES``: ties per member of
    staff (``StaffRoster.tie_density``) and the network measures (``network.measures``) over
    ``possible`` (R,) cross-agency pairs of staff (by default each roster's, kept with the
    rosters: headcounts are fixed); one pass over every run's ties (``network.series_runs``)."""
    if possible is None:
        if "possible" not in rosters.cache:
            rosters.cache["possible"] = np.array([possible_pairs(r) for r in rosters.rosters])
        possible = rosters.cache["possible"]  # type: ignore[assignment]
    return series_runs(rosters.staff_off, rosters.tie_off, rosters.tie_i, rosters.tie_j, possible)


MIN_RESOLVED = 1.0
"""Cases resolved (cumulative) below which cost per case is undefined: spend over a
fraction of a case (an agency with no budget resolves 10^-10 cases) is no cost per case."""


def _pair_mean(matrix: np.ndarray, flat: np.ndarray) -> float:
    """Mean of ``matrix`` over the cells at flat indices ``flat`` (the same value, in the same
    order of summation, as ``matrix[mask].mean()`` for the mask they index)."""
    if flat.size == 0:
        return float("nan")
    return float(np.add.reduce(matrix.ravel().take(flat)) / flat.size)


@dataclass
class RunResult:
    """Everything recorded in one run, as arrays indexed by month (0 = initial state)."""

    scenario: str
    seed: Any
    outcomes: list[str]
    agencies: list[str]
    kinds: list[str]
    need0: np.ndarray
    target: np.ndarray
    deadline: np.ndarray
    has_own_target: np.ndarray
    series: dict[str, np.ndarray] = field(default_factory=dict)

    def __getitem__(self, key: str) -> np.ndarray:
        return self.series[key]

    @property
    def months(self) -> np.ndarray:
        return np.arange(self.series["need"].shape[0])

    @property
    def attainment(self) -> np.ndarray:
        """(months, O) attainment against target."""
        return (self.need0 - self.series["need"]) / (self.need0 - self.target)

    def cost_per_outcome(self) -> np.ndarray:
        """(months, O) cumulative spend over cumulative cases resolved (£k per case); undefined
        (NaN, printed as a dash) until at least ``MIN_RESOLVED`` case has been resolved."""
        spend = np.cumsum(self.series["spend"], axis=0)
        resolved = np.cumsum(self.series["resolved"], axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(resolved >= MIN_RESOLVED, spend / resolved, np.nan)

    def outcome_table(self) -> pd.DataFrame:
        """Tidy: one row per (month, outcome)."""
        t, o = self.series["need"].shape
        return pd.DataFrame(
            {
                "scenario": self.scenario,
                "seed": str(self.seed),
                "month": np.repeat(self.months, o),
                "outcome": np.tile(self.outcomes, t),
                "need": self.series["need"].ravel(),
                "attainment": self.attainment.ravel(),
                "resolved": self.series["resolved"].ravel(),
                "spend": self.series["spend"].ravel(),
                "cost_per_outcome": self.cost_per_outcome().ravel(),
                "coordination": self.series["kappa"].ravel(),
            }
        )

    def agency_table(self) -> pd.DataFrame:
        """Tidy: one row per (month, agency)."""
        t, a = self.series["own_attainment"].shape
        return pd.DataFrame(
            {
                "scenario": self.scenario,
                "seed": str(self.seed),
                "month": np.repeat(self.months, a),
                "agency": np.tile(self.agencies, t),
                "kind": np.tile(self.kinds, t),
                "own_attainment": self.series["own_attainment"].ravel(),
                "joint_share": self.series["joint_share"].ravel(),
                "overhead": self.series["overhead"].ravel(),
                "budget": self.series["budget"].ravel(),
            }
        )

    def system_table(self) -> pd.DataFrame:
        """Tidy: one row per month of whole-system measures."""
        df = pd.DataFrame({k: self.series[k] for k in SYSTEM_COLUMNS if k != "overhead"})
        df.insert(0, "month", self.months)
        df.insert(0, "seed", str(self.seed))
        df.insert(0, "scenario", self.scenario)
        df["overhead"] = self.series["overhead"].sum(axis=1)
        return df

    def summary(self) -> dict[str, float]:
        """Flat run summary at the horizon (names usable as sweep metrics)."""
        att = self.attainment[-1]
        cost = self.cost_per_outcome()[-1]
        own = self.series["own_attainment"][-1][self.has_own_target]
        joint = self.series["joint_share"][-1][self.has_own_target]
        out: dict[str, float] = {}
        for k, name in enumerate(self.outcomes):
            out[f"attainment.{name}"] = float(att[k])
            out[f"need.{name}"] = float(self.series["need"][-1, k])
            out[f"cost_per_outcome.{name}"] = float(cost[k])
        out["shared_attainment"] = float(att.mean())
        out["own_attainment"] = float(own.mean()) if own.size else float("nan")
        out["joint_share"] = float(joint.mean()) if joint.size else float("nan")
        out["mean_trust"] = float(self.series["mean_trust"][-1])
        out["mean_understanding"] = float(self.series["mean_understanding"][-1])
        out["tie_density"] = float(self.series["tie_density"][-1])
        out["overhead"] = float(self.series["overhead"].sum())
        for k in NETWORK_MEASURES:
            out[k] = float(self.series[k][-1])
        return out


# every recorded series: its shape per month ("o" outcomes, "a" agencies, "g" client groups) and
# the value it holds until recorded, in the order of ``RunResult.series``
SERIES: dict[str, tuple[str, float]] = {
    "need": ("o", 0.0),
    "resolved": ("o", 0.0),
    "spend": ("o", 0.0),
    "kappa": ("o", 0.0),
    "own_attainment": ("a", 0.0),
    "joint_share": ("a", 0.0),
    "overhead": ("a", 0.0),
    "budget": ("a", 0.0),
    "mean_trust": ("", 0.0),
    "mean_understanding": ("", 0.0),
    "tie_density": ("", 0.0),
    "leavers": ("", 0.0),
    "allocated": ("", 0.0),
    "spent": ("", 0.0),
    "unspent": ("", 0.0),
    # clients (mechanisms/clients.py): need, cases resolved and awareness by group
    "client_need": ("og", 0.0),
    "client_resolved": ("og", 0.0),
    "awareness": ("og", 0.0),
    "operating_cost": ("a", 0.0),  # platforms (mechanisms/platforms.py)
    "defence": ("a", 0.0),
    "mean_contact": ("", 0.0),
    "shifting": ("a", 0.0),
    "shifted_cost": ("a", 0.0),
    "participation": ("a", 1.0),
    "partnerships": ("", 0.0),  # live partnerships
    "partnership_value": ("", float("nan")),  # mean value a live one adds (share)
    # scrutiny (mechanisms/scrutiny.py), running totals since month 0:
    "partnerships_started": ("", 0.0),  # partnerships agencies formed themselves
    "failure_loss": ("", 0.0),  # £k spent on them in months they were failing
    **{k: ("", 0.0) for k in NETWORK_MEASURES},
}


def blank_series(
    months: int, dims: dict[str, int], runs: tuple[int, ...] = ()
) -> dict[str, np.ndarray]:
    """Every series (``SERIES``) as a (months, *runs, ...) array of its initial value."""
    return {
        key: np.full((months, *runs, *(dims[d] for d in shape)), fill)
        for key, (shape, fill) in SERIES.items()
    }


_world_pairs: tuple[Any, np.ndarray] | None = None  # the last world's (``Recorder.pairs``)


class Recorder:
    """A run's series by month, cheap enough to leave on in sweeps.

    The (months, ...) arrays (``s``) are made when first read. Until then month 0, which
    ``record_initial`` records when the run is set up, is kept as values, the tie measures as a
    copy of the ties: runs stepped together get their arrays as columns of their shelf's, made
    once for all of them (``Shelf``), with month 0's tie measures in one pass over their ties;
    a run read on its own makes its own."""

    def __init__(self, horizon: int, n_outcomes: int, n_agencies: int, n_groups: int = 1) -> None:
        self._pairs: np.ndarray | None = None  # flat indices of agency pairs sharing an outcome
        self.months = horizon + 1
        self.dims = {"o": n_outcomes, "a": n_agencies, "g": n_groups}
        self._own: dict[str, np.ndarray] | None = None  # the arrays, once made
        self._first: dict[str, Any] = {}  # month 0's values while there are no arrays
        self._ties0: tuple[int, np.ndarray, np.ndarray] | None = None  # (staff, tie ends) then
        self._possible: float | None = None  # cross-agency pairs of staff (headcounts are fixed)
        self._shelf: Shelf | None = None  # the runs' shelf this recorder's series are rows of
        self._row = 0  # (its column there)

    @property
    def s(self) -> dict[str, np.ndarray]:
        """Each series, (months, ...): the recorder's own arrays, or its columns of its shelf's."""
        if self._own is None:
            if self._shelf is not None:
                self._own = {k: v[:, self._row] for k, v in self._shelf.series.items()}
            else:
                self._own = blank_series(self.months, self.dims)
                for key, value in self._first_values().items():
                    self._own[key][0] = value
        return self._own

    @s.setter
    def s(self, value: dict[str, np.ndarray]) -> None:
        self._own = value

    def _first_values(self) -> dict[str, Any]:
        """Month 0's values kept by ``record_initial``, its tie measures measured now."""
        if self._ties0 is not None:
            staff, tie_i, tie_j = self._ties0
            ties = series_runs(
                np.array([0, staff]),
                np.array([0, tie_i.size]),
                tie_i,
                tie_j,
                np.array([self._possible], dtype=np.float64),
            )[0]
            self._first.update(zip(TIE_SERIES, ties.tolist(), strict=True))
            self._ties0 = None
        return self._first

    def pairs(self, model: State) -> np.ndarray:
        """Flat indices of the (A, A) cells of agency pairs that share an outcome (the same for
        every run of a world: kept for the last world asked about)."""
        global _world_pairs
        if self._pairs is None:
            world = model.world
            if _world_pairs is not None and _world_pairs[0]() is world:
                self._pairs = _world_pairs[1]
            else:
                inv = world.involved.astype(float)
                mask = (inv.T @ inv) > 0
                np.fill_diagonal(mask, False)
                self._pairs = np.flatnonzero(mask)
                self._pairs.flags.writeable = False
                _world_pairs = (weakref.ref(world), self._pairs)
        return self._pairs

    def _relations(self, model: State, m: int) -> None:
        if m == 0 and self._own is None and self._shelf is None:  # (no arrays yet: ``s``)
            self._initial(model)
            return
        s = self.s
        pairs = self.pairs(model)
        for key, name in PAIR_MEANS.items():
            s[key][m] = _pair_mean(getattr(model, name), pairs)
        self._ties(model, m)
        for key, name in STATE_SERIES.items():
            if m > 0 or key != "client_resolved":
                s[key][m] = getattr(model, name)

    def _initial(self, model: State) -> None:
        """Month 0's values into ``_first`` (copies: the state's arrays change), and a copy of the
        ties to measure when the arrays are made."""
        pairs = self.pairs(model)
        first = {key: _pair_mean(getattr(model, name), pairs) for key, name in PAIR_MEANS.items()}
        for key, name in STATE_SERIES.items():
            if key != "client_resolved":
                first[key] = np.array(getattr(model, name), dtype=np.float64)
        roster = model.roster
        if self._possible is None:
            self._possible = possible_pairs(roster)
        self._first = first
        self._ties0 = (roster.n_staff, roster.tie_i.copy(), roster.tie_j.copy())

    def _ties(self, model: State, m: int) -> None:
        """The staff tie network's measures at month ``m`` (``jusim/network.py``)."""
        s = self.s
        if self._possible is None:
            self._possible = possible_pairs(model.roster)
        for k, v in zip(TIE_SERIES, series(model.roster, self._possible).tolist(), strict=True):
            s[k][m] = v

    def record_initial(self, model: State) -> None:
        self._relations(model, 0)

    def record(self, model: State, **values: Any) -> None:
        m = model.month
        self._relations(model, m)
        for key in MONTH_VALUES:
            self.s[key][m] = values[key]
        self.s["unspent"][m] = values["allocated"] - values["spent"]
        self._partnerships(model, m)
        self.s["failure_loss"][m] = model.scrutiny.lost()

    def _partnerships(self, model: State, m: int) -> None:
        pt = model.partnerships
        if pt.count:  # (none formed yet: 0 live, value NaN, 0 started, as initialised)
            self.s["partnerships"][m] = pt.n_live()
            if pt.live.any():
                self.s["partnership_value"][m] = float(pt.value[pt.live].mean())
            self.s["partnerships_started"][m] = pt.count - int(pt.by_intervention.sum())

    @staticmethod
    def record_runs(runs: Runs, **values: np.ndarray) -> None:
        """Record the month just ended of R runs at once (``record`` for each, in one write per
        series): ``values`` are ``record``'s with a leading run axis; each run's recorder keeps
        its series as columns of the runs' (months, R, ...) arrays (``Shelf``)."""
        shelf = Shelf.of(runs)
        states = runs.states
        months = [s.month for s in states]
        at = months[0] if len(set(months)) == 1 else (months, np.arange(runs.n))
        s = shelf.series
        means = shelf.pair_means(*(runs.stack(name) for name in PAIR_MEANS.values()))
        for key, mean in zip(PAIR_MEANS, means, strict=True):
            s[key][at] = mean
        for key, name in STATE_SERIES.items():
            s[key][at] = runs.stack(name)  # (months > 0 here: client_resolved too)
        for key in MONTH_VALUES:
            s[key][at] = values[key]
        s["unspent"][at] = values["allocated"] - values["spent"]
        ties = tie_series(Rosters.of([state.roster for state in states]), shelf.possible)
        for c, key in enumerate(TIE_SERIES):
            s[key][at] = ties[:, c]
        Recorder._partnerships_runs(s, states, months)

    @staticmethod
    def _partnerships_runs(
        s: dict[str, np.ndarray], states: list[State], months: list[int]
    ) -> None:
        """``_partnerships`` and the failure loss of R runs at once, into the shelf's series ``s``
        at each run's month (a run that has formed none keeps the initial values)."""
        if len(states) == 1:  # a run alone: its own partnerships' few numbers
            state = states[0]
            if state.partnerships.count:  # (none formed: none failing either)
                state.recorder._partnerships(state, months[0])  # type: ignore[union-attr]
                s["failure_loss"][months[0], 0] = state.scrutiny.lost()
            return
        board = Board([state.partnerships for state in states])
        if board.empty:  # (none formed in any run: none failing either)
            return
        formed = np.flatnonzero(board.counts)
        at = (np.asarray(months)[formed], formed)
        live = board.block("live")
        n_live = live.sum(axis=-1)
        s["partnerships"][at] = n_live[formed]
        started = board.counts - board.block("by_intervention").sum(axis=-1)
        s["partnerships_started"][at] = started[formed]
        valued = np.flatnonzero(n_live)
        if valued.size:  # the mean over each run's live ones, summed in the run's own order
            value = np.where(live, board.block("value"), 0.0)
            if (live[:, 1:] > live[:, :-1]).any():  # a live row after a wound-up one
                order = np.argsort(~live, axis=-1, kind="stable")  # live rows first, in order
                value = np.take_along_axis(value, order, -1)
            mean = board.sums(value, n_live.tolist()) / np.maximum(n_live, 1)
            s["partnership_value"][np.asarray(months)[valued], valued] = mean[valued]
        wasted = [state.scrutiny.wasted for state in states]
        lost = board.sums(board.gather(wasted), [w.size for w in wasted])
        s["failure_loss"][at] = lost[formed]

    def result(self, model: State) -> RunResult:
        w = model.world
        t = model.month + 1
        return RunResult(
            scenario=model.scenario.name,
            seed=model.seed
            if not isinstance(model.seed, np.random.SeedSequence)
            else model.seed.spawn_key,
            outcomes=list(w.outcome_names),
            agencies=list(w.agency_names),
            kinds=list(w.kinds),
            need0=w.need0.copy(),
            target=w.target.copy(),
            deadline=w.deadline.copy(),
            has_own_target=w.own_target > 0,
            series=self._series(t),
        )

    def _series(self, months: int) -> dict[str, np.ndarray]:
        """Each series' first ``months`` months, the run's own: a copy, or its rows of one copy for
        all its shelf's runs (``Shelf.copy_row``)."""
        if self._shelf is not None and self._own is None:
            return self._shelf.copy_row(months, self._row)
        return {k: v[:months].copy() for k, v in self.s.items()}


# series recorded from the state each month: mean over agency pairs that share an outcome, and
# copies of state fields (series name -> State field)
PAIR_MEANS = {
    "mean_trust": "trust",
    "mean_understanding": "understanding",
    "mean_contact": "contact",
}
STATE_SERIES = {
    "shifting": "shifting",
    "shifted_cost": "shifted_cost",
    "participation": "participation",
    "need": "need",
    "client_need": "client_need",
    "awareness": "awareness",
    "operating_cost": "operating_cost",
    "client_resolved": "client_resolved",  # (not at month 0)
    "own_attainment": "own_att",
    "budget": "budget",
    "defence": "defence",
}
# values the record phase computes each month (``Recorder.record``'s keywords)
MONTH_VALUES = (
    "resolved",
    "spend",
    "kappa",
    "joint_share",
    "overhead",
    "leavers",
    "allocated",
    "spent",
)


class Shelf:
    """The recorders of R runs side by side: every series a (months, R, ...) array whose column
    r is run r's recorder's own array (a view), so a month of all runs is one contiguous write
    per series.
    Built once for a group of runs and kept by their recorders. Runs whose recorders have made
    no arrays yet (a batch's, just set up) start here: the arrays are made once for all of them,
    with month 0 written from the values each recorder kept and its tie measures in one pass over
    every run's ties; a recorder makes its views when it is first read (``Recorder.s``)."""

    def __init__(self, runs: Runs) -> None:
        self.states = runs.states
        self.recorders: list[Recorder] = [s.recorder for s in runs.states]  # type: ignore[misc]
        first, n = self.recorders[0], len(self.recorders)
        if all(rec._own is None and rec._ties0 is not None for rec in self.recorders):
            self.series = blank_series(first.months, first.dims, (n,))
            values = [rec._first for rec in self.recorders]
            for key in values[0]:
                self.series[key][0] = [v[key] for v in values]
            self._measure_first_ties()
        else:  # (recorders already written: their arrays, side by side)
            self.series = {k: np.stack([r.s[k] for r in self.recorders], axis=1) for k in first.s}
        for r, rec in enumerate(self.recorders):
            rec._own, rec._shelf, rec._row, rec._first = None, self, r, {}
        possible = [rec._possible for rec in self.recorders]
        self.possible = None if None in possible else np.array(possible, dtype=np.float64)
        pairs = [rec.pairs(s) for rec, s in zip(self.recorders, runs.states, strict=True)]
        same = all(p is pairs[0] or np.array_equal(p, pairs[0]) for p in pairs[1:])
        self.pairs = pairs[0] if same else None
        self.each_pairs = pairs
        self._copies: tuple[int, dict[str, np.ndarray], set[int]] | None = None

    def _measure_first_ties(self) -> None:
        """Month 0's tie measures of every run, from the copies of its ties its recorder kept."""
        kept = [rec._ties0 for rec in self.recorders]
        staff_off = offsets([k[0] for k in kept])  # type: ignore[index]
        tie_off = offsets([k[1].size for k in kept])  # type: ignore[index]
        ties = series_runs(
            staff_off,
            tie_off,
            np.concatenate([k[1] for k in kept]),  # type: ignore[index]
            np.concatenate([k[2] for k in kept]),  # type: ignore[index]
            np.array([rec._possible for rec in self.recorders], dtype=np.float64),
        )
        for c, key in enumerate(TIE_SERIES):
            self.series[key][0] = ties[:, c]
        for rec in self.recorders:
            rec._ties0 = None

    def copy_row(self, months: int, row: int) -> dict[str, np.ndarray]:
        """Run ``row``'s series of months ``0..months - 1``, as its rows of one copy of every
        series for all the runs, (R, months, ...), made when the first run asks (a batch's runs
        end together): one copy a series rather than one a series and run. A run asking again
        gets a copy of its own."""
        made = self._copies
        if made is None or made[0] != months or row in made[2]:
            if made is not None and made[0] == months:  # (asked again: its own copy)
                return {k: v[:months, row].copy() for k, v in self.series.items()}
            blocks = {k: v[:months].swapaxes(0, 1).copy() for k, v in self.series.items()}
            self._copies = made = (months, blocks, set())
        made[2].add(row)
        if len(made[2]) == len(self.recorders):  # (every run has its rows: let the copy go)
            self._copies = None
        return {k: v[row] for k, v in made[1].items()}

    @classmethod
    def of(cls, runs: Runs) -> Shelf:
        """The runs' shelf: kept from an earlier month if built for these runs in this order."""
        shelf = runs.states[0].recorder._shelf  # type: ignore[union-attr]
        if (
            shelf is None
            or len(shelf.states) != runs.n
            or not all(map(operator.is_, shelf.states, runs.states))
        ):
            shelf = cls(runs)
        return shelf

    def pair_means(self, *matrices: np.ndarray) -> np.ndarray:
        """(K, R) mean of each run's (A, A) matrix over its pairs (``_pair_mean``, run by run the
        same sum: one pairwise reduction of the run's gathered cells), for K (R, A, A) stacks of
        matrices at once."""
        n = matrices[0].shape[0]
        if self.pairs is None:  # the runs' worlds differ in who shares an outcome
            return np.array(
                [
                    [_pair_mean(x, p) for x, p in zip(m, self.each_pairs, strict=True)]
                    for m in matrices
                ]
            )
        if self.pairs.size == 0:
            return np.full((len(matrices), n), np.nan)
        # (take gives each run's cells as one contiguous row; ``x[:, pairs]`` would not)
        flat = np.concatenate([m.reshape(n, -1) for m in matrices])
        cells = flat.take(self.pairs, axis=-1)
        return (np.add.reduce(cells, axis=-1) / self.pairs.size).reshape(len(matrices), n)


# ---- the metric catalogue: unit and one-line description of every recorded quantity ----------
# Summary metrics (``RunResult.summary``) and tidy-table columns are looked up here by name; a
# per-outcome metric ``family.OUTCOME`` by its family. Stores, ``jusim results --describe`` and
# the brief read units and descriptions from here only; a new metric adds one line here
# (tests/test_metric_catalogue.py checks that every metric has one).
@dataclass(frozen=True)
class MetricInfo:
    unit: str
    description: str


CATALOGUE: dict[str, MetricInfo] = {
    # per outcome (summary: at the horizon; outcome table: each month)
    "attainment": MetricInfo(
        "share of target (1 = met)",
        "progress against the target: (need at month 0 - need) / (need at month 0 - target)",
    ),
    "need": MetricInfo("cases", "stock of need (cases not yet resolved)"),
    "resolved": MetricInfo("cases per month", "cases resolved by joint work in the month"),
    "spend": MetricInfo("£k per month", "spending on the outcome in the month"),
    "cost_per_outcome": MetricInfo(
        "£k per case", "cumulative spending on the outcome over cumulative cases resolved"
    ),
    "coordination": MetricInfo(
        "0–1", "coordination of the contributors' effort on the outcome (1 = perfect)"
    ),
    # whole run
    "shared_attainment": MetricInfo(
        "share of target (1 = met)", "attainment averaged over the cross-cutting outcomes"
    ),
    "own_attainment": MetricInfo(
        "share of own target (1 = met)",
        "agencies' attainment of their own targets, mean over agencies that have one",
    ),
    "joint_share": MetricInfo(
        "share (0–1)", "share of agencies' discretionary resources spent on joint work"
    ),
    "mean_trust": MetricInfo("0–1", "mean trust between agencies that share an outcome"),
    "mean_understanding": MetricInfo(
        "0–1", "mean shared understanding between agencies that share an outcome"
    ),
    "tie_density": MetricInfo(
        "ties per member of staff", "cross-agency staff ties per member of staff"
    ),
    "leavers": MetricInfo("staff per month", "staff who left in the month"),
    "allocated": MetricInfo("£k per month", "money allocated to agencies in the month"),
    "spent": MetricInfo("£k per month", "money spent in the month"),
    "unspent": MetricInfo("£k per month", "money allocated but not spent in the month"),
    "overhead": MetricInfo(
        "£k", "partnership overhead (meetings, reporting); summary: total over the run"
    ),
    "budget": MetricInfo("£k per month", "agency budget in the month"),
    # the staff tie network (jusim/network.py)
    "cross_tie_density": MetricInfo(
        "share of possible ties (0–1)",
        "cross-agency staff ties over the pairs of staff in different agencies (graph density)",
    ),
    "top5_tie_share": MetricInfo(
        "share (0–1)", "share of all cross-agency tie ends held by the best-connected 5% of staff"
    ),
    "tie_components": MetricInfo(
        "components", "separate groups (connected components) among staff who hold a tie"
    ),
}
UNKNOWN = MetricInfo("", "(not described: add it to jusim.metrics.CATALOGUE)")


def metric_info(name: str) -> MetricInfo:
    """Unit and description of a metric or table column (``family.OUTCOME`` by its family)."""
    if name in CATALOGUE:
        return CATALOGUE[name]
    family, _, rest = name.partition(".")
    if rest and family in CATALOGUE:
        info = CATALOGUE[family]
        return MetricInfo(info.unit, f"{info.description} — {rest.replace('_', ' ')}")
    return UNKNOWN


def identifier(name: str) -> str:
    """An identifier-safe metric name: ``attainment.rough_sleeping`` -> ``attainment__rough_sleeping``."""
    return name.replace(".", "__")
