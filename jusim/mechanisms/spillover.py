"""Spillovers and cost shifting: hard cases an agency pushes out land in other agencies' need
stocks and budgets.

Evidence: narrowly defined targets create perverse effects and shift costs onto others — a school
expels a pupil to protect its league-table position and the cost later falls on social
security (002_5677c7bae92002df.txt ¶16); more output does not mean more outcome (004
Ch2 §2); managers are judged on their narrow field (004 Ch2 §7). Catalogue M46, fact 15.

**Channels** (the scenario's ``[[spillovers]]``, with a stated source or range each): a source
agency, the outcome whose need stock receives the cases it pushes out (exclusions feed youth
offending; hospital discharge without housing feeds rough sleeping), ``cases`` a month when it
pushes out all its hard cases, and optionally a ``payer`` agency whose budget bears ``cost`` £k per
case. They give two matrices: ``cases[o, a]`` and ``cost[payer, a]`` (£k/month at full shifting).

**Shifting** ``s_a`` in [0, 1] is the share of its hard cases agency ``a`` pushes out. It pays only
when the agency is judged on a narrow measure that pushing cases out raises (``narrow_lift_a`` > 0,
set by the ``narrow_target`` intervention: measured own attainment is ``output * (1 + lift * s)``);
otherwise ``s = 0``. With a narrow measure the agency weighs the credit it gains,
``lift * own_credit``, against its stake in where the cases land, ``lift * stake`` (the same cases
count against an outcome it is judged on or pays for), less a professional ``reluctance``:

``stake_a = sum_o share[o, a] * (pressure_a * shared_target[o, a] + pool_weight * [pools for o])``
``s*_a = sigmoid((lift_a * (own_credit_a - stake_a) - reluctance) / spread)``

where ``share[o, a]`` is the share of a's hard cases that go to outcome ``o``. ``s`` moves toward
``s*`` at the decision rule's ``adaptation``. Joint targets and pooled budgets raise the stake,
so they reduce shifting; nothing here sets an outcome directly: shifted cases enter need as
inflow, and shifted costs are billed to the payer the following month, out of the money it
decides about (its discretionary budget: ``funding.margin``), so they cut its free money, its
own and its joint work.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| reluctance | credit | 0.02 | 0–1 | professional norms and inspection: net gain below which few cases are pushed out |
| spread | credit | 0.01 | >0–1 | how sharply shifting responds to the net gain |
| pool_weight | credit | 1.0 | 0–10 | stake in an outcome the agency co-funds through a pot |

All three are assumptions (the sources give the direction only): reluctance 0.005–0.05, spread
0.005–0.05, pool_weight 0.5–2 (about a shared target's weight of 1: the shifted cases come back to
money the agency has put in).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.params import Params


class SpilloverParams(Params):
    reluctance: float = Field(
        0.02, ge=0, le=1, description="net credit below which little is shifted (0.005–0.05)"
    )
    spread: float = Field(
        0.01, gt=0, le=1, description="sharpness of shifting's response (credit; 0.005–0.05)"
    )
    pool_weight: float = Field(
        1.0, ge=0, le=10, description="stake in an outcome co-funded through a pot (0.5–2)"
    )


def channels(scenario, world) -> tuple[np.ndarray, np.ndarray]:
    """``cases`` (O, A): cases a month into each outcome from each source at full shifting;
    ``cost`` (A, A): £k a month charged to each payer (row) by each source (column)."""
    cases = np.zeros((world.n_outcomes, world.n_agencies))
    cost = np.zeros((world.n_agencies, world.n_agencies))
    for ch in scenario.spillovers:
        a = world.agency_index[ch.source]
        cases[world.outcome_index[ch.outcome], a] += ch.cases
        if ch.payer:
            cost[world.agency_index[ch.payer], a] += ch.cases * ch.cost
    return cases, cost


def target_shifting(
    own_credit: np.ndarray,
    lift: np.ndarray,
    pressure: np.ndarray,
    shared_target: np.ndarray,
    pool_share: np.ndarray,
    cases: np.ndarray,
    params: SpilloverParams,
) -> np.ndarray:
    """(A,) share of hard cases each agency would push out this month; (R, A) over R runs, whose
    arguments then carry a leading run axis ((R, A), (R, O, A))."""
    if not (lift > 0).any():  # no narrow target: nobody has a reason to shift
        return np.zeros(own_credit.shape)
    total = cases.sum(axis=-2)
    share = np.where(
        total[..., None, :] > 0, cases / np.where(total > 0, total, 1.0)[..., None, :], 0.0
    )
    stake = (
        share * (pressure[..., None, :] * shared_target + params.pool_weight * (pool_share > 0))
    ).sum(axis=-2)
    x = (lift * (own_credit - stake) - params.reluctance) / params.spread
    s = 1.0 / (1.0 + np.exp(-np.clip(x, -50.0, 50.0)))
    return np.where((lift > 0) & (total > 0), s, 0.0)


def measured(own_attainment: np.ndarray, lift: np.ndarray, shifting: np.ndarray) -> np.ndarray:
    """Own attainment as a narrow measure sees it: pushing hard cases out raises the score."""
    return own_attainment * (1.0 + lift * shifting)


def flows(
    shifting: np.ndarray, cases: np.ndarray, cost: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Extra inflow into each outcome (O,) and cost charged to each payer's budget (A,); with a
    leading run axis, (R, O) and (R, A) from (R, A) shares and (R, O, A), (R, A, A) channels
    (stacked matrix products: the same bits per run as a run alone)."""
    column = shifting[..., None]
    return (cases @ column)[..., 0], (cost @ column)[..., 0]
