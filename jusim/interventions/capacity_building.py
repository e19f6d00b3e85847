"""Capacity building for small partners: funded time for partnership work.

Evidence: capacity building for small partners — advice, local experts, learning networks (the
Sure Start web forum), funding partners to engage, accessible venues, longer lead times —
raises their ability to join in, at a cost in time and money (002_5677c7bae92002df.txt ¶24,
¶26(6); 001_04a1019f119c8ec4.txt ¶124). Catalogue I16, fact 8.

Mechanics: while active, each of ``agencies`` (default: every agency with administrative
capacity below 1, the small organisations) gains ``admin_months`` admin-months a month of
capacity for partnership work (``mechanisms/capacity.py``), so less of its partnership demand
goes unmet or is taken from its core service. If a ``funder`` is named, it pays for that time at
``context.staff_cost`` per admin-month, from its budget.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import AgencyIntervention, EndMonth, StartMonth, register


@register
class CapacityBuilding(AgencyIntervention):
    name = "capacity_building"
    summary = (
        "Funded time for small partners' partnership work, so overload eats less core service."
    )
    evidence = "002_5677c7bae92002df.txt ¶24, ¶26(6); 001_04a1019f119c8ec4.txt ¶124"
    explanation = (
        "Small voluntary and community groups get help to take part — advice, a funded post, "
        "longer lead times — so partnership meetings and reports no longer take staff off their "
        "core service or go undone. Someone pays for it."
    )

    agencies: list[str] | None = Field(
        None,
        description="agencies whose capacity is built (default: those with admin capacity < 1)",
    )
    admin_months: float = Field(
        1.0, ge=0, le=1000, description="admin-months a month added to each agency's capacity"
    )
    funder: str = Field("", description="agency that pays for it (blank: paid from outside)")
    start: StartMonth = 0
    end: EndMonth = None

    agency_fields = ("agencies", "funder")

    def apply(self, model, state: dict[str, Any]) -> None:
        if not self.active(model.month):
            return
        idx = self.index(model, self.agencies, np.flatnonzero(model.world.admin_capacity < 1.0))
        model.rules.capacity_boost[idx] += self.admin_months
        if self.funder:
            cost = self.admin_months * len(idx) * model.scenario.context.staff_cost
            model.rules.budget_charge[model.world.agency_index[self.funder]] += cost
