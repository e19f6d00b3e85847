"""Overhead of partnership in money: senior-management time per seat, and core service lost to
overload.

Evidence: collaboration carries a large senior-management overhead and runs against the grain of
an organisation (003_741bbb3ed11f1208.txt "Collaboration and control"); large multilateral
mechanisms struggle to justify their cost (001_04a1019f119c8ec4.txt ¶160); when partnership
demands exceed what partners can absorb, staff are taken off core services (001 ¶106–107;
002_5677c7bae92002df.txt ¶22) — the time side is in ``capacity.py``.

- ``senior`` £k per admin-month of partnership demand (seats and consultation links,
  ``partnering.py``) for the senior-management time it takes, paid first from the discretionary
  budget, the same for every agency;
- ``admin`` £k per admin-month of partnership work drawn from core service (``capacity.py``): the
  front-line work those staff would have done. Administrative time within an agency's capacity
  costs nothing extra: that time is already paid for.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| senior | £k / admin-month | 60 | 0–10000 | senior-management time per admin-month of partnership demand |
| admin | £k / admin-month | 30 | 0–10000 | core service lost per admin-month drawn from it |
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.params import Params


class OverheadParams(Params):
    senior: float = Field(
        60.0, ge=0, le=10_000, description="£k of senior time per admin-month of partnership demand"
    )
    admin: float = Field(
        30.0, ge=0, le=10_000, description="£k of core service lost per admin-month drawn"
    )


def overhead(demand: np.ndarray, params: OverheadParams) -> np.ndarray:
    """Senior-management cost (£k/month) of partnership demand (admin-months, any shape)."""
    return demand * params.senior


def core_loss(drawn: np.ndarray, params: OverheadParams) -> np.ndarray:
    """(A,) £k of core service lost to partnership work drawn from it."""
    return drawn * params.admin
