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

from jusim.interventions.base import Intervention, register


def _unknown(names: list[str], scenario) -> list[str]:
    known = scenario.agency_names
    return [n for n in names if n not in known]


@register
class CapacityBuilding(Intervention):
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
    start: int = Field(0, ge=0, le=1200, description="month it starts")
    end: int | None = Field(None, ge=1, le=1200, description="month it ends (default: never)")

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        allowed = f"agencies of this scenario: {scenario.agency_names}"
        problems = [("agencies", n, allowed) for n in _unknown(self.agencies or [], scenario)]
        if self.funder and self.funder not in scenario.agency_names:
            problems.append(("funder", self.funder, allowed))
        if self.end is not None and self.end <= self.start:
            problems.append(("end", self.end, f"a month after start ({self.start})"))
        return problems

    def apply(self, model, state: dict[str, Any]) -> None:
        if model.month < self.start or (self.end is not None and model.month >= self.end):
            return
        if self.agencies is None:
            idx = np.flatnonzero(model.world.admin_capacity < 1.0)
        else:
            idx = np.array([model.world.agency_index[n] for n in self.agencies], dtype=np.int64)
        model.rules.capacity_boost[idx] += self.admin_months
        if self.funder:
            cost = self.admin_months * len(idx) * model.scenario.context.staff_cost
            model.rules.budget_charge[model.world.agency_index[self.funder]] += cost
