"""Phase 1, rules: the rules are reset and each intervention writes this month's.

Interventions act in scenario order (``jusim/interventions/``, 7.12), convening the partnerships
they run; partnerships nobody convened are wound up; agencies propose, join and leave partnerships
of their own (``partnership.Partnerships.form_and_leave``, 7.15, weighing the reputational cost of a
public failure, 7.23); memberships and buy-in follow from the live partnerships.

Over the run axis: the rules before any intervention acts are kept for all runs as one (R, ...)
array per field (``Blank``, built once); each month the runs get new rules, one copy of each of
those arrays for all runs (``Runs.renew_rules``), and each run's ``Rules`` reads and writes its
row of them, which its interventions change in place. Interventions and partnerships are each
run's own Python objects: interventions act run by run; the partnerships' forming and leaving,
membership and buy-in are taken for all runs at once (``partnership.Board``; a run that forms
nothing only makes its monthly draw).
"""

from __future__ import annotations

import numpy as np

from jusim.mechanisms import scrutiny
from jusim.month.runs import Runs
from jusim.month.state import Rules, State, same_arrays
from jusim.partnership import Board


def fresh_rules(s: State) -> Rules:
    """Rules before any intervention acts: nothing shared, the world's own settings."""
    w = s.world
    r = Rules.empty(w.n_outcomes, w.n_agencies)
    r.service_share = w.service_share.copy()
    r.outreach = np.zeros_like(w.group_share)
    r.publicity = np.zeros_like(w.group_share)
    r.client_list = np.zeros(w.n_outcomes)
    r.single_point = np.zeros(w.n_outcomes)
    r.platform = np.arange(w.n_agencies)
    r.recharge = np.zeros(w.n_agencies)
    r.migration = np.zeros(w.n_agencies)
    r.training = np.zeros((w.n_agencies, w.n_agencies))
    r.handover = w.handover.copy()
    r.good_practice = np.zeros((w.n_outcomes, w.n_agencies))
    return r


class Blank:
    """The fresh rules of R runs, field by field: an (R, ...) array per field (row r: run r's),
    or a list of the runs' values where they are not arrays of one shape; fields that are
    ``None`` for every run are left at their default. Built once for the same runs."""

    def __init__(self, states: list[State]) -> None:
        fresh = [fresh_rules(s) for s in states]
        self.blocks: dict[str, np.ndarray] = {}
        self.lists: dict[str, list] = {}
        for name in Rules._columns:
            values = [getattr(r, name) for r in fresh]
            if all(v is None for v in values):
                continue
            if same_arrays(values):
                self.blocks[name] = np.stack(values)
            else:
                self.lists[name] = values

    @classmethod
    def of(cls, runs: Runs) -> Blank:
        """The runs' blank rules (kept from month to month for the same runs)."""
        blank = runs.cache.get("blank_rules")
        if blank is None:
            blank = runs.cache["blank_rules"] = cls(runs.states)
        return blank


def run(runs: Runs) -> None:
    p, w = runs.params, runs.world
    blank = Blank.of(runs)
    runs.renew_rules(blank.blocks, blank.lists)  # one copy a field, for all runs
    for s in runs.states:  # each run's interventions write its rows
        pt = s.partnerships
        pt.begin_month()
        for iv, state in zip(s.interventions, s.intervention_state, strict=True):
            iv.apply(s, state)
        pt.end_interventions()
    discretionary = runs.stack_world("discretionary_share") * runs.stack("budget")
    # the price a seat is judged at
    price = p.overhead.senior + p.overhead.admin / runs.stack_world("admin_capacity")
    risk = scrutiny.expected_cost(
        [s.scrutiny for s in runs.states], runs.stack_rules("dispensation"), p.scrutiny
    )
    board = Board([s.partnerships for s in runs.states])
    board.form_and_leave(runs, discretionary, price, risk)
    board = Board(board.pts)  # (after forming: as they are now)
    runs.put_rules("membership", board.membership(w.n_outcomes))
    runs.put_rules("buy_in", board.buy_in_by_outcome(w.n_outcomes))
