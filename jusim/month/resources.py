"""Phase 3, resources: what each agency has to decide on once everything else is paid (7.1).

In order: platforms (what an agency no longer pays for a shared platform, less migration costs;
``mechanisms/platforms.py``, 7.19); partnerships' admin demand, scaled for reporting and increased
by consultations, set against administrative capacity (``mechanisms/capacity.py``, 7.20);
charges and grants; then partnership overhead first (``mechanisms/overhead.py``, 7.11), the
commitments the agency no longer controls (pooled money, seconded time) scaled to fit what is
left, the rest free; overhead beyond the discretionary budget and core service drawn into
partnership work come out of core business.
"""

from __future__ import annotations

import numpy as np

from jusim.mechanisms import capacity as workload
from jusim.mechanisms import overhead, platforms
from jusim.month.runs import Runs
from jusim.month.state import Flows, State


def platform_costs(s: State) -> None:
    """Budgets after platforms: own platforms' running costs saved, hosts' recharges, migration."""
    r, w = s.rules, s.world
    paid, own = platforms.operating_costs(
        w.platform_cost, r.platform, r.recharge, s.platform_params, s.own_att
    )
    s.operating_cost = paid + r.migration
    s.budget = np.maximum(s.budget + own - s.operating_cost, 0.0)


def admin_demand(s: State, f: Flows) -> None:
    """This month's partnership demand on each agency's admin time (rules.admin_demand)."""
    p, r, pt = s.params, s.rules, s.partnerships
    demand = pt.month_demand(s.understanding, p.partnership, p.formality)  # admin-months
    f.formal = pt.formal_pairs() if pt.formal.any() else None
    f.demand = demand * workload.reporting_scale(r.report_factor, p.capacity)[None, :]
    r.admin_demand += f.demand.sum(axis=0) + workload.consultations(
        r.membership, r.report_factor, p.capacity, s.streams["admin"]
    )


def commitments(s: State, f: Flows, room: np.ndarray) -> None:
    """Pooled money and seconded time, scaled down together where they exceed ``room``."""
    r = s.rules
    pooled = r.pool_share * f.disc[None, :]
    focused = r.focused.copy()
    committed = (pooled + focused).sum(axis=0)
    fit = np.where(committed > room, room / np.maximum(committed, 1e-12), 1.0)
    pooled *= fit
    focused *= fit
    f.pooled, f.focused, f.focused_input = pooled, focused, r.focused_input * fit
    f.free = np.maximum(room - (pooled + focused).sum(axis=0), 0.0)  # no rounding below zero


def run_one(s: State, f: Flows) -> None:
    w, p, r, pt = s.world, s.params, s.rules, s.partnerships
    admin_demand(s, f)
    platform_costs(s)
    s.budget = np.maximum(s.budget - r.budget_charge, 0.0)
    budget = s.budget
    f.disc = disc = w.discretionary_share * budget
    drawn, s.participation = workload.service(
        r.admin_demand,
        workload.capacity(w.admin_capacity, w.staff, r.capacity_boost, p.capacity),
        p.capacity,
    )
    demand = f.demand
    f.seat_cost = overhead.overhead(demand, p.overhead)  # (P, A) £k of senior time
    ovh = pt.by_outcome(f.seat_cost, w.n_outcomes)
    ovh_total = ovh.sum(axis=0) + r.reorganisation
    commitments(s, f, np.maximum(disc - ovh_total, 0.0))
    core = budget - disc - np.minimum(np.maximum(ovh_total - disc, 0.0), budget - disc)
    lost = np.minimum(overhead.core_loss(drawn, p.overhead), core)  # staff off the front line
    f.core = core - lost
    total = demand.sum(axis=0)
    f.lost_by = demand * np.where(total > 0, lost / np.where(total > 0, total, 1.0), 0.0)
    pt.cost = (f.seat_cost + f.lost_by).sum(axis=1)
    f.overhead = ovh + pt.by_outcome(f.lost_by, w.n_outcomes)
    f.overhead_paid = np.minimum(ovh_total, budget) + lost


def run(runs: Runs) -> None:
    runs.each(run_one)
