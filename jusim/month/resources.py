"""Phase 3, resources: what each agency has to decide on once everything else is paid (7.1).

In order: partnerships' admin demand, scaled for reporting and increased by consultations, set
against administrative capacity (``mechanisms/capacity.py``, 7.20); this month's savings and
bills: platforms (what an agency no longer pays for a shared platform, less migration costs;
``mechanisms/platforms.py``, 7.19), others' shifted cases (the budget phase's ``shifted_cost``,
7.21), charges and grants, which land in the discretionary budget, the money the decision rule
splits, not pro rata in the whole budget (``mechanisms/funding.py: margin``; core services are
fixed commitments); then partnership overhead first (``mechanisms/overhead.py``, 7.11), the
commitments the agency no longer controls (pooled money, seconded time) scaled to fit what is
left, the rest free; overhead beyond the discretionary budget and core service drawn into
partnership work come out of core business.

Over the run axis: agency and outcome arrays are (R, A) and (R, O, A); the runs' partnerships
(each run's own Python object) give their demand in one call (``partnership.Board``), a
(R, P, A) block padded with zero rows to the most partnerships any run has (a run's own rows
first, in order), so that sums over partnerships add a run's rows in its own order and then
only zeros.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from jusim.mechanisms import capacity as workload
from jusim.mechanisms import funding, overhead, platforms
from jusim.month.runs import Runs
from jusim.partnership import Board

NO_COST = np.zeros(0)  # the partnerships' cost of a run that has none (one array: it has no cell)


class Seats:
    """The runs' partnerships side by side: row ``p`` of run ``r`` is its partnership ``p``.

    ``demand`` is the board's padded (R, P, A) block as ``Board.month_demand`` gives it (rows past
    a run's own are zeros), not the runs' rows copied anew into one; the live rows are read from
    the board's blocks (run by run, each run's rows in order)."""

    def __init__(self, runs: Runs, board: Board, demand: np.ndarray) -> None:
        self.board, self.sizes = board, board.sizes
        self.n_outcomes = runs.world.n_outcomes
        self.demand = demand
        self.live: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # run, row, outcome
        if demand.shape[1]:  # (no run has a partnership: nothing to place)
            run, row = np.nonzero(board.block("live"))
            self.live = run, row, board.block("outcome")[run, row]
            self.total = demand.sum(axis=1)  # (R, A): a run's rows in order, then zeros
        else:  # (the sum over no rows)
            self.total = np.zeros((runs.n, runs.world.n_agencies))

    @property
    def empty(self) -> bool:
        """No run has a partnership (the default world, the silo): nothing is drawn by seats."""
        return self.live is None

    def scale(self, factor: np.ndarray) -> None:
        """Scale every run's demand by its (R, A) factor (reporting)."""
        if self.live is not None:  # (no rows: nothing to scale; not in place: the board's)
            self.demand = self.demand * factor[:, None, :]
            self.total = self.demand.sum(axis=1)

    def by_outcome(self, values: np.ndarray) -> np.ndarray:
        """(R, O, A) sum over each run's live partnerships of a (R, P, A) quantity, by outcome
        (``Partnerships.by_outcome`` of every run: rows added in the run's order)."""
        out = np.zeros((values.shape[0], self.n_outcomes, values.shape[-1]))
        if self.live is not None:
            run, row, outcome = self.live
            np.add.at(out, (run, outcome), values[run, row])
        return out

    def rows(self, values: np.ndarray) -> list[np.ndarray]:
        """Each run's (P, A) rows of a (R, P, A) quantity."""
        return [v[:n] for v, n in zip(values, self.sizes, strict=True)]


def admin_demand(runs: Runs) -> Seats:
    """This month's partnership demand on each agency's admin time (rules.admin_demand)."""
    p = runs.params
    board = Board([s.partnerships for s in runs.states])
    demand = board.month_demand(runs)
    runs.put_flow("formal", board.formal_pairs())  # (each run's pairs, or None)
    seats = Seats(runs, board, demand)  # admin-months
    report = runs.stack_rules("report_factor")
    seats.scale(workload.reporting_scale(report, p.capacity))
    runs.put_flow("demand", seats.rows(seats.demand))
    consulted = workload.consultations(
        runs.stack_rules("membership"), report, p.capacity, runs.streams("admin")
    )
    runs.put_rules("admin_demand", runs.stack_rules("admin_demand") + (seats.total + consulted))
    return seats


def platform_saving(runs: Runs) -> np.ndarray:
    """(R, A) £k each agency saves this month on platforms (own platform's running cost less what
    it pays: users' saved fixed costs, hosts' recharges), less migration charged to it."""
    params = runs.cache.get("platform_params")
    if params is None:  # (each run's own draw, made at month 0: gathered once)
        realised = [s.platform_params for s in runs.states]
        params = runs.cache["platform_params"] = SimpleNamespace(
            fixed_share=np.array([q.fixed_share for q in realised])[:, None],
            integration=np.array([q.integration for q in realised])[:, None],
        )
    paid, own = platforms.operating_costs(
        runs.stack_world("platform_cost"),
        runs.stack_rules("platform"),
        runs.stack_rules("recharge"),
        params,
        runs.stack("own_att"),
    )
    operating_cost = paid + runs.stack_rules("migration")
    runs.put("operating_cost", operating_cost)
    return own - operating_cost


def commitments(runs: Runs, disc: np.ndarray, room: np.ndarray) -> None:
    """Pooled money and seconded time, scaled down together where they exceed ``room``."""
    pooled = runs.stack_rules("pool_share") * disc[:, None, :]
    focused = runs.stack_rules("focused")
    committed = (pooled + focused).sum(axis=-2)
    fit = np.where(committed > room, room / np.maximum(committed, 1e-12), 1.0)
    pooled = pooled * fit[:, None, :]
    focused = focused * fit[:, None, :]  # (not in place: the rules keep what was committed)
    runs.put_flow("pooled", pooled)
    runs.put_flow("focused", focused)
    runs.put_flow("focused_input", runs.stack_rules("focused_input") * fit[:, None, :])
    # no rounding below zero
    runs.put_flow("free", np.maximum(room - (pooled + focused).sum(axis=-2), 0.0))


def run(runs: Runs) -> None:
    p = runs.params
    seats = admin_demand(runs)
    shock = platform_saving(runs) - runs.stack("shifted_cost") - runs.stack_rules("budget_charge")
    budget, disc = funding.margin(
        runs.stack("budget"), runs.stack_world("discretionary_share"), shock, p.funding
    )
    runs.put("budget", budget)
    runs.put_flow("disc", disc)
    admin = runs.stack_rules("admin_demand")
    drawn, participation = workload.service(
        admin,
        workload.capacity(
            runs.stack_world("admin_capacity"),
            runs.stack_world("staff"),
            runs.stack_rules("capacity_boost"),
            p.capacity,
        ),
        p.capacity,
    )
    runs.put("participation", participation)
    demand = seats.demand
    seat_cost = overhead.overhead(demand, p.overhead)  # (R, P, A) £k of senior time
    ovh = seats.by_outcome(seat_cost)
    ovh_total = ovh.sum(axis=-2) + runs.stack_rules("reorganisation")
    commitments(runs, disc, np.maximum(disc - ovh_total, 0.0))
    core = budget - disc - np.minimum(np.maximum(ovh_total - disc, 0.0), budget - disc)
    lost = np.minimum(overhead.core_loss(drawn, p.overhead), core)  # staff off the front line
    runs.put_flow("core", core - lost)
    runs.put_flow("overhead_paid", np.minimum(ovh_total, budget) + lost)
    if seats.empty:  # no seats: nothing drawn from core by them, the overhead is the zeros'
        runs.put_flow("seat_cost", list(demand))  # (each run's (0, A) rows)
        runs.put_flow("lost_by", list(demand * 0.0))
        for s in runs.states:
            s.partnerships.cost = NO_COST
        runs.put_flow("overhead", ovh)
        return
    total = seats.total
    lost_by = demand * np.where(total > 0, lost / np.where(total > 0, total, 1.0), 0.0)[:, None]
    runs.put_flow("seat_cost", seats.rows(seat_cost))
    runs.put_flow("lost_by", seats.rows(lost_by))
    seats.board.cost((seat_cost + lost_by).sum(axis=-1))  # (each run's rows)
    runs.put_flow("overhead", ovh + seats.by_outcome(lost_by))
