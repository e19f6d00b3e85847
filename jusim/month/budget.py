"""Phase 0, budget: this month's budgets, after the real-terms change and others' shifted cases.

``B_a = B0_a · (1 + budget_change)^(m/12)``, less what other agencies' cost shifting charges to
``a`` (``mechanisms/spillover.py``, 7.21); the cases shifted onto outcomes add to their inflow in
production.
"""

from __future__ import annotations

import numpy as np

from jusim.mechanisms import spillover
from jusim.month.runs import Runs
from jusim.month.state import Flows, State


def run_one(s: State, f: Flows) -> None:
    w = s.world
    s.budget = w.budget0 * (1.0 + s.scenario.context.budget_change) ** (s.month / 12.0)
    f.extra_inflow, s.shifted_cost = spillover.flows(s.shifting, s.spill_cases, s.spill_cost)
    s.budget = np.maximum(s.budget - s.shifted_cost, 0.0)  # others' cases, our bill


def run(runs: Runs) -> None:
    runs.each(run_one)
