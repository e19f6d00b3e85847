"""Phase 1, rules: the rules are reset and each intervention writes this month's.

Interventions act in scenario order (``jusim/interventions/``, 7.12), convening the partnerships
they run; partnerships nobody convened are wound up; agencies propose, join and leave partnerships
of their own (``partnership.Partnerships.form_and_leave``, 7.15, weighing the reputational cost of a
public failure, 7.23); memberships and buy-in follow from the live partnerships.

Over the run axis: the rules before any intervention acts are kept for all runs as one (R, ...)
array per field (``Blank``, built once); each month every field is copied once for all runs and
each run's ``Rules`` holds rows of those copies (views), which its interventions write in place
or replace. Interventions and partnerships are each run's own Python objects: interventions act
run by run; the partnerships' forming and leaving, membership and buy-in are taken for all runs
at once (``partnership.Board``; a run that forms nothing only makes its monthly draw).
"""

from __future__ import annotations

import numpy as np

from jusim.mechanisms import scrutiny
from jusim.month.runs import Runs
from jusim.month.state import Rules, State
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
    """The fresh rules of R runs, field by field as (R, ...) arrays (row r: run r's), and the
    states they belong to (each state keeps it as ``blank_rules`` with its row)."""

    def __init__(self, states: list[State]) -> None:
        rules = [fresh_rules(s).__dict__ for s in states]
        first = rules[0]
        self.arrays = {
            k: np.stack([r[k] for r in rules]) for k, v in first.items() if type(v) is np.ndarray
        }
        self.others = {k: v for k, v in first.items() if k not in self.arrays}  # None fields
        self.states = states
        self.alone = fresh_rules(states[0]) if len(states) == 1 else None

    @classmethod
    def of(cls, runs: Runs) -> Blank:
        """The runs' blank rules: kept from an earlier month if built for these runs in this order."""
        blank = runs.states[0].blank_rules
        if not (isinstance(blank, Blank) and len(blank.states) == runs.n) or any(
            a is not b for a, b in zip(blank.states, runs.states, strict=True)
        ):
            blank = cls(runs.states)
            for s in runs.states:
                s.blank_rules = blank
        return blank

    def month(self) -> list[Rules]:
        """Each run's rules for a new month: rows of a fresh copy of every field (a run alone:
        a copy of its fresh rules, the same values at a third of the cost)."""
        if self.alone is not None:
            return [self.alone.copy()]
        names = list(self.arrays)
        rows = zip(*(list(a.copy()) for a in self.arrays.values()), strict=True)
        out = []
        for values in rows:
            new = object.__new__(Rules)
            new.__dict__ = dict(zip(names, values, strict=True))
            new.__dict__.update(self.others)
            out.append(new)
        return out


def run(runs: Runs) -> None:
    p, w = runs.params, runs.world
    for s, rules in zip(runs.states, Blank.of(runs).month(), strict=True):
        s.rules = rules
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
    board = board.current()  # (after forming)
    runs.put_rules("membership", board.membership(w.n_outcomes))
    runs.put_rules("buy_in", board.buy_in_by_outcome(w.n_outcomes))
