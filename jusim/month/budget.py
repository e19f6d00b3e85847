"""Phase 0, budget: this month's planned budgets, after the real-terms change, and the bills
of others' shifted cases.

``B_a = B0_a · (1 + budget_change)^(m/12)`` is the planned budget; what other agencies' cost
shifting charges to ``a`` (``mechanisms/spillover.py``, 7.21) is this month's bill
(``shifted_cost``), which the resources phase takes off the money ``a`` decides about
(``mechanisms/funding.py: margin``); the cases shifted onto outcomes add to their inflow in
production.
"""

from __future__ import annotations

import numpy as np

from jusim.mechanisms import spillover
from jusim.month.runs import Runs


def growth(runs: Runs) -> float | np.ndarray:
    """Real-terms factor ``(1 + budget_change)^(m/12)`` of the runs' budgets: a number when the
    runs agree, else (R, 1), one per run.

    Computed as Python floats (the C library's ``pow``, as a run alone does), once for each
    distinct (change, month): numpy's vectorised ``power`` may round differently in the last bit."""
    if runs.n == 1:  # a run alone
        s = runs.states[0]
        return (1.0 + s.scenario.context.budget_change) ** (s.month / 12.0)
    keys = [(s.scenario.context.budget_change, s.month) for s in runs.states]
    factors = {k: (1.0 + k[0]) ** (k[1] / 12.0) for k in set(keys)}
    if len(factors) == 1:
        return factors[keys[0]]
    return np.array([factors[k] for k in keys])[:, None]


def run(runs: Runs) -> None:
    budget = runs.stack_world("budget0") * growth(runs)
    extra_inflow, shifted_cost = spillover.flows(
        runs.stack("shifting"), runs.stack("spill_cases"), runs.stack("spill_cost")
    )
    runs.put_flow("extra_inflow", extra_inflow)
    runs.put("shifted_cost", shifted_cost)  # others' cases, our bill (paid in resources)
    runs.put("budget", budget)
