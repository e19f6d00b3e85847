"""Overhead of partnership: senior-management time and administration per membership.

Evidence: collaboration carries a large senior-management overhead and runs against the grain of
an organisation (003_741bbb3ed11f1208.txt "Collaboration and control"); rising partnership demands
strain partners, who ration engagement to protect core services, and smaller bodies struggle more
(001_04a1019f119c8ec4.txt ¶106–107); reporting requirements are a heavy, costly burden for small
groups (002_5677c7bae92002df.txt ¶22); large multilateral mechanisms struggle to justify their
cost (001 ¶160).

``overhead_a = memberships_a * (senior + admin / admin_capacity_a)`` in £k per month; the
administrative part is heavier for organisations with little administrative capacity.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| senior | £k / month / membership | 60 | 0–10000 | senior-management time per partnership sat on |
| admin | £k / month / membership | 30 | 0–10000 | administration and reporting per partnership, at capacity 1 |
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.params import Params


class OverheadParams(Params):
    senior: float = Field(60.0, ge=0, le=10_000, description="£k/month per membership")
    admin: float = Field(30.0, ge=0, le=10_000, description="£k/month per membership at capacity 1")


def overhead(membership: np.ndarray, admin_capacity: np.ndarray, params: OverheadParams):
    """(O, A) overhead each agency spends on each partnership it sits on (£k/month)."""
    per_membership = params.senior + params.admin / admin_capacity
    return membership * per_membership[None, :]
