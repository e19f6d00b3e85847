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

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from jusim.lazy import lazy
from jusim.network import MEASURES as NETWORK_MEASURES
from jusim.network import measures, measures_runs, possible_pairs
from jusim.partnership import Board
from jusim.staff import Rosters

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


TIE_SERIES = ("tie_density", *NETWORK_MEASURES)


def tie_series(rosters: Rosters, possible: np.ndarray | None = None) -> np.ndarray:
    """(R, 4) each run's tie measures now, in the order of ``TIE_SERIES``: ties per member of
    staff (``StaffRoster.tie_density``) and the network measures (``network.measures``) over
    ``possible`` (R,) cross-agency pairs of staff (by default each roster's, kept with the
    rosters: headcounts are fixed); one compiled pass over every run's ties."""
    if possible is None:
        if "possible" not in rosters.cache:
            rosters.cache["possible"] = np.array([possible_pairs(r) for r in rosters.rosters])
        possible = rosters.cache["possible"]  # type: ignore[assignment]
    if "staff" not in rosters.cache:  # (headcounts are fixed)
        rosters.cache["staff"] = np.maximum(np.diff(rosters.staff_off), 1)
    ties = rosters.tie_off[1:] - rosters.tie_off[:-1]
    density = 2.0 * ties / rosters.cache["staff"]  # type: ignore[operator]
    return np.concatenate([density[:, None], measures_runs(rosters, possible)], axis=1)


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


class Recorder:
    """Preallocated per-month arrays; cheap enough to leave on in sweeps."""

    def __init__(self, horizon: int, n_outcomes: int, n_agencies: int, n_groups: int = 1) -> None:
        self._pairs: np.ndarray | None = None  # flat indices of agency pairs sharing an outcome
        t = horizon + 1
        self.s: dict[str, np.ndarray] = {
            "need": np.zeros((t, n_outcomes)),
            "resolved": np.zeros((t, n_outcomes)),
            "spend": np.zeros((t, n_outcomes)),
            "kappa": np.zeros((t, n_outcomes)),
            "own_attainment": np.zeros((t, n_agencies)),
            "joint_share": np.zeros((t, n_agencies)),
            "overhead": np.zeros((t, n_agencies)),
            "budget": np.zeros((t, n_agencies)),
            "mean_trust": np.zeros(t),
            "mean_understanding": np.zeros(t),
            "tie_density": np.zeros(t),
            "leavers": np.zeros(t),
            "allocated": np.zeros(t),
            "spent": np.zeros(t),
            "unspent": np.zeros(t),
            # clients (mechanisms/clients.py): need, cases resolved and awareness by group
            "client_need": np.zeros((t, n_outcomes, n_groups)),
            "client_resolved": np.zeros((t, n_outcomes, n_groups)),
            "awareness": np.zeros((t, n_outcomes, n_groups)),
            "operating_cost": np.zeros((t, n_agencies)),  # platforms (mechanisms/platforms.py)
            "defence": np.zeros((t, n_agencies)),
            "mean_contact": np.zeros(t),
            "shifting": np.zeros((t, n_agencies)),
            "shifted_cost": np.zeros((t, n_agencies)),
            "participation": np.ones((t, n_agencies)),
            "partnerships": np.zeros(t),  # live partnerships
            "partnership_value": np.full(t, np.nan),  # mean value a live one adds (share)
            # scrutiny (mechanisms/scrutiny.py), running totals since month 0:
            "partnerships_started": np.zeros(t),  # partnerships agencies formed themselves
            "failure_loss": np.zeros(t),  # £k spent on them in months they were failing
        }
        for k in NETWORK_MEASURES:
            self.s[k] = np.zeros(t)
        self._possible: float | None = None  # cross-agency pairs of staff (headcounts are fixed)
        self._shelf: Shelf | None = None  # the runs' shelf this recorder's series are rows of

    def pairs(self, model: State) -> np.ndarray:
        """Flat indices of the (A, A) cells of agency pairs that share an outcome."""
        if self._pairs is None:
            inv = model.world.involved.astype(float)
            mask = (inv.T @ inv) > 0
            np.fill_diagonal(mask, False)
            self._pairs = np.flatnonzero(mask)
        return self._pairs

    def _relations(self, model: State, m: int) -> None:
        s = self.s
        pairs = self.pairs(model)
        for key, name in PAIR_MEANS.items():
            s[key][m] = _pair_mean(getattr(model, name), pairs)
        self._ties(model, m)
        for key, name in STATE_SERIES.items():
            if m > 0 or key != "client_resolved":
                s[key][m] = getattr(model, name)

    def _ties(self, model: State, m: int) -> None:
        """The staff tie network's measures at month ``m`` (``jusim/network.py``)."""
        s = self.s
        s["tie_density"][m] = model.roster.tie_density()
        if self._possible is None:
            self._possible = possible_pairs(model.roster)
        for k, v in zip(NETWORK_MEASURES, measures(model.roster, self._possible), strict=True):
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
        ties = tie_series(Rosters.of([state.roster for state in states]))
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
            series={k: v[:t].copy() for k, v in self.s.items()},
        )


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
    Built once for a group of runs and kept by their recorders."""

    def __init__(self, runs: Runs) -> None:
        self.states = runs.states
        self.recorders: list[Recorder] = [s.recorder for s in runs.states]  # type: ignore[misc]
        first = self.recorders[0]
        self.series = {k: np.stack([r.s[k] for r in self.recorders], axis=1) for k in first.s}
        for r, rec in enumerate(self.recorders):
            rec.s = {k: v[:, r] for k, v in self.series.items()}
            rec._shelf = self
        pairs = [rec.pairs(s) for rec, s in zip(self.recorders, runs.states, strict=True)]
        same = all(np.array_equal(p, pairs[0]) for p in pairs[1:])
        self.pairs = pairs[0] if same else None
        self.each_pairs = pairs

    @classmethod
    def of(cls, runs: Runs) -> Shelf:
        """The runs' shelf: kept from an earlier month if built for these runs in this order."""
        shelf = getattr(runs.states[0].recorder, "_shelf", None)
        if (
            shelf is None
            or len(shelf.states) != runs.n
            or any(a is not b for a, b in zip(shelf.states, runs.states, strict=True))
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
