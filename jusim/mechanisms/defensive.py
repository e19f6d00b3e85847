"""Defensive mode: after a leak or public criticism, the injured parties close up, and recover
slowly.

Evidence: partners who criticise a partnership in the press, or leak, damage trust; broken
ground rules push the other side back into a defensive mode, "more cautious and more reluctant to
be fully open"; Executive leaks do the same damage (001_04a1019f119c8ec4.txt ¶104–105, ¶165);
defensiveness lowers success (001 ¶54); a protective, defensive culture persists for years
(004_405daa82f731071c.txt Ch2 §3). Catalogue M21, M25; fact 14.

Each agency has a defensiveness ``d_a`` in [0, 1]. When agency ``b`` leaks (``trust.py``: random
leaks, or one scheduled by the ``trust_shock`` intervention), every agency that shares an outcome
with it is injured: ``d_a += jump * (1 - d_a)``. Otherwise ``d_a`` falls by ``recovery`` a month.
A defensive agency
- is less open: its openness (relationship work, introductions) is ``openness * (1 - d)``;
- puts less into joint work: the value it sees in every outcome is ``* (1 - effort_cut * d)``;
- shares less: its contact with every partner is ``* (1 - sharing_cut * d)``, so trust and
  understanding with it update more slowly and fewer staff ties form.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| jump | share | 0.6 | 0–1 | share of the way to full defensiveness an injured party moves at a leak |
| recovery | share / month | 0.04 | 0–1 | monthly fall of defensiveness (slow: half-life ~17 months) |
| effort_cut | share | 0.5 | 0–1 | fall in the value of joint work at full defensiveness |
| sharing_cut | share | 0.5 | 0–1 | fall in contact with partners at full defensiveness |

All four are assumptions (the sources give the direction and "slow" recovery, no numbers); the
plausible ranges are jump 0.3–1, recovery 0.02–0.1 (half-lives of 7–35 months: the defensive
culture of 004 Ch2 §3 outlasted a change of government), effort_cut and sharing_cut 0.2–0.8.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.mechanisms.contact import diagonal, remembered, shared_outcomes
from jusim.params import Params


class DefensiveParams(Params):
    jump: float = Field(
        0.6, ge=0, le=1, description="move toward full defensiveness at a leak (assumption 0.3–1)"
    )
    recovery: float = Field(
        0.04, ge=0, le=1, description="monthly recovery of defensiveness (assumption 0.02–0.1)"
    )
    effort_cut: float = Field(
        0.5, ge=0, le=1, description="fall in joint-work value at full defensiveness (0.2–0.8)"
    )
    sharing_cut: float = Field(
        0.5, ge=0, le=1, description="fall in contact with partners at full defensiveness (0.2–0.8)"
    )


def update(
    defence: np.ndarray, leaks: np.ndarray, involved: np.ndarray, params: DefensiveParams
) -> np.ndarray:
    """Next month's defensiveness (A,): recovery, then a jump for everyone injured by a leak.

    leaks: (A,) share of trust each agency lost by leaking this month (> 0 = it leaked).
    involved: (O, A) bool, agency has a role in the outcome.
    Every array may carry leading run axes (defence and leaks (R, A), involved (R, O, A)).
    """
    nxt = defence * (1.0 - params.recovery)
    leaked = leaks > 0
    if not leaked.any():  # no leak this month (in any run): recovery only
        return nxt
    injured = (remembered(involved, _partners) & leaked[..., None, :]).any(axis=-1)
    return np.where(injured, nxt + params.jump * (1.0 - nxt), nxt)


def openness(base: np.ndarray, defence: np.ndarray) -> np.ndarray:
    """Effective openness (A,) of defensive agencies ((R, A) over R runs)."""
    return base * (1.0 - defence)


def effort_factor(defence: np.ndarray, params: DefensiveParams) -> np.ndarray:
    """(A,) multiplier on the value each agency sees in joint work ((R, A) over R runs)."""
    return 1.0 - params.effort_cut * defence


def sharing(contact: np.ndarray, defence: np.ndarray, params: DefensiveParams) -> np.ndarray:
    """Contact (A, A) reduced at both ends by each side's defensiveness (contact and defence may
    carry leading run axes)."""
    keep = 1.0 - params.sharing_cut * defence
    return contact * (keep[..., :, None] * keep[..., None, :])


def _partners(involved: np.ndarray) -> np.ndarray:
    """(..., A, A) bool: the two agencies share an outcome (not themselves)."""
    shares = shared_outcomes(involved) > 0
    diagonal(shares)[...] = False  # (of every run)
    return shares
