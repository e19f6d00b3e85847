"""Phase 1, rules: the rules are reset and each intervention writes this month's.

Interventions act in scenario order (``jusim/interventions/``, 7.12), convening the partnerships
they run; partnerships nobody convened are wound up; agencies propose, join and leave partnerships
of their own (``partnership.Partnerships.form_and_leave``, 7.15, weighing the reputational cost of a
public failure, 7.23); memberships and buy-in follow from the live partnerships.

Over the run axis: the rules before any intervention acts are kept for all runs as one (R, ...)
array per field (``Blank``, built once); each month the runs get new rules, one copy of each of
those arrays for all runs (``Runs.renew_rules``), and each run's ``Rules`` reads and writes its
row of them, which its interventions change in place. Interventions and partnerships are each
run's own Python objects; runs with the same interventions (and world layout) form a group whose
interventions act for all its runs at once, in scenario order (``Intervention.apply_runs``; one
run after another for those that have none), each run's own rows, draws and partnerships in the
same order as alone. The partnerships' forming and leaving,
membership and buy-in are taken for all runs at once (``partnership.Board``; a run that forms
nothing only makes its monthly draw).
"""

from __future__ import annotations

import numpy as np

from jusim.interventions.base import RunGroup
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


def groups(runs: Runs) -> list[RunGroup]:
    """The runs grouped by their interventions (equal, in the same order) and their worlds'
    names of agencies and outcomes, each group's runs in order (kept for the same runs)."""
    kept = runs.cache.get("intervention_groups")
    if kept is None:
        keys: list[tuple] = []
        rows: list[list[int]] = []
        for r, s in enumerate(runs.states):
            key = (s.interventions, s.world.agency_index, s.world.outcome_index)
            at = next((g for g, k in enumerate(keys) if k == key), None)
            if at is None:
                keys.append(key)
                rows.append([r])
            else:
                rows[at].append(r)
        kept = runs.cache["intervention_groups"] = [
            RunGroup([runs.states[r] for r in g], np.array(g), runs.stack_rules, runs.put_rules)
            for g in rows
        ]
    return kept


def run(runs: Runs) -> None:
    p, w = runs.params, runs.world
    blank = Blank.of(runs)
    runs.renew_rules(blank.blocks, blank.lists)  # one copy a field, for all runs
    pts = [s.partnerships for s in runs.states]
    if len(pts) == 1:  # a run alone: its own partnerships and interventions' own ``apply``
        s, pt = runs.states[0], pts[0]
        pt.begin_month()
        for iv, state in zip(s.interventions, s.intervention_state, strict=True):
            iv.apply(s, state)
        pt.end_interventions()
    else:
        Board(pts).begin_month()
        for group in groups(runs):  # each run's interventions write its rows
            group.renew(runs.stack_rules, runs.put_rules)
            states = group.models
            for i, iv in enumerate(states[0].interventions):
                iv.apply_runs(group, [s.intervention_state[i] for s in states])
        Board(pts).end_interventions()  # (as they are after the interventions)
    board = Board(pts)
    discretionary = runs.stack_world("discretionary_share") * runs.stack("budget")
    # the price a seat is judged at
    price = p.overhead.senior + p.overhead.admin / runs.stack_world("admin_capacity")
    risk = scrutiny.expected_cost(
        [s.scrutiny for s in runs.states], runs.stack_rules("dispensation"), p.scrutiny
    )
    board.form_and_leave(runs, discretionary, price, risk)
    board = Board(board.pts)  # (after forming: as they are now)
    runs.put_rules("membership", board.membership(w.n_outcomes))
    runs.put_rules("buy_in", board.buy_in_by_outcome(w.n_outcomes))
