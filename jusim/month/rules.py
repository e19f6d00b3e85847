"""Phase 1, rules: the rules are reset and each intervention writes this month's.

Interventions act in scenario order (``jusim/interventions/``, 7.12), convening the partnerships
they run; partnerships nobody convened are wound up; agencies propose, join and leave partnerships
of their own (``partnership.Partnerships.form_and_leave``, 7.15, weighing the reputational cost of a
public failure, 7.23); memberships and buy-in follow from the live partnerships.
"""

from __future__ import annotations

import numpy as np

from jusim.mechanisms import scrutiny
from jusim.month.runs import Runs
from jusim.month.state import Flows, Rules, State


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


def run_one(s: State, f: Flows) -> None:
    w, p, pt = s.world, s.params, s.partnerships
    if s.blank_rules is None:
        s.blank_rules = fresh_rules(s)
    s.rules = s.blank_rules.copy()
    pt.begin_month()
    for iv, state in zip(s.interventions, s.intervention_state, strict=True):
        iv.apply(s, state)
    pt.end_interventions()
    pt.form_and_leave(
        s.month,
        s.credit,
        w.discretionary_share * s.budget,
        p.overhead.senior + p.overhead.admin / w.admin_capacity,  # price a seat is judged at
        s.understanding,
        w,
        p.partnership,
        s.streams["partnering"],
        scrutiny.expected_cost(s.scrutiny, s.rules.dispensation, p.scrutiny),
    )
    s.rules.membership = pt.membership(w.n_outcomes)
    s.rules.buy_in = pt.buy_in_by_outcome(w.n_outcomes)


def run(runs: Runs) -> None:
    runs.each(run_one)
