"""Shared services: agencies move their transactions onto one host's platform.

Evidence: the Court Funds Office reuses NS&I's payment systems (25m customers) and cut its costs
by over 40%; NS&I GPS modernised its legacy IT in the move; the DVLA's digital programme will cut
operating costs by a third (003_741bbb3ed11f1208.txt "Better together"; catalogue I21, fact 19).
Working within one civil-service culture eases it (003 "Better together"); the attribution problem
— the saving shows in one budget, the cost in another — deters it (003 "Better together";
002_5677c7bae92002df.txt ¶19).

Mechanics (``mechanisms/platforms.py``): from ``start`` for ``transition`` months the members
migrate while every platform keeps running; the migration costs ``migration_cost`` times the
members' yearly platform costs, spread evenly over the transition and paid by the host (as NS&I
GPS paid to modernise the CFO's IT) or, with ``members_pay_migration``, by the members. Then the
members' transactions run on the host's platform: their fixed costs are no longer paid. Members
pay the host their volume costs plus ``recharge`` of the fixed cost they save; with no recharge,
the saving lands in the members' budgets and the cost in the host's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import Intervention, RunGroup, register


@register
class SharedServices(Intervention):
    name = "shared_services"
    summary = "Agencies move their transactions onto one host's platform (after a transition)."
    evidence = "003_741bbb3ed11f1208.txt 'Better together'; 002_5677c7bae92002df.txt ¶19"
    explanation = (
        "One agency's payment or IT platform serves others too, so its fixed costs are paid once. "
        "After a costly transition, operating costs fall by a third or more (NS&I and the Court "
        "Funds Office; the DVLA). Unless the host is paid back, it carries the cost while the "
        "others keep the saving."
    )

    host: str = Field(description="agency whose platform is shared")
    members: list[str] = Field(min_length=1, description="agencies moving onto the host's platform")
    start: int = Field(0, ge=0, le=1200, description="month the transition starts")
    transition: int = Field(12, ge=1, le=600, description="months of migration before the switch")
    migration_cost: float = Field(
        1.0,
        ge=0,
        le=20,
        description="one-off cost in members' yearly platform costs (assumption; 0.5-2)",
    )
    members_pay_migration: bool = Field(False, description="members, not the host, pay migration")
    recharge: float = Field(
        0.0, ge=0, le=1, description="share of their saved fixed cost members pay the host"
    )

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        names = scenario.agency_names
        problems: list[tuple[str, Any, str]] = []
        if self.host not in names:
            problems.append(("host", self.host, f"an agency of this scenario: {names}"))
        for m in self.members:
            if m not in names or m == self.host:
                problems.append(("members", m, "agencies of this scenario other than the host"))
        return problems

    def setup(self, model) -> dict[str, Any]:
        idx = model.world.agency_index
        members = np.array([idx[m] for m in self.members], dtype=np.int64)
        return {"host": idx[self.host], "members": members}

    def apply(self, model, state: dict[str, Any]) -> None:
        month, r = model.month, model.rules
        host, members = state["host"], state["members"]
        switch = self.start + self.transition
        if self.start <= month < switch:
            yearly = 12.0 * model.world.platform_cost[members].sum()
            per_month = self.migration_cost * yearly / self.transition
            if self.members_pay_migration:
                share = model.world.platform_cost[members] / max(
                    model.world.platform_cost[members].sum(), 1e-12
                )
                r.migration[members] += per_month * share
            else:
                r.migration[host] += per_month
        elif month >= switch:
            r.platform[members] = host
            r.recharge[members] = np.maximum(r.recharge[members], self.recharge)

    def apply_runs(self, group: RunGroup, states: list[dict[str, Any]]) -> None:
        """``apply`` of every run of ``group`` in one write a rule (the host and members are the
        same in every run of a group, which shares its agencies' names; each run's own platform
        costs, summed along a row of their own, as alone)."""
        month, switch = group.month, self.start + self.transition
        host, members = states[0]["host"], states[0]["members"]
        if self.start <= month < switch:
            costs = group.once(
                (id(self), "platform_cost"),
                lambda: np.stack([m.world.platform_cost[members] for m in group.models]),
            )
            yearly = 12.0 * costs.sum(axis=-1)
            per_month = self.migration_cost * yearly / self.transition
            if self.members_pay_migration:
                share = costs / np.maximum(costs.sum(axis=-1), 1e-12)[:, None]
                paid = per_month[:, None] * share

                def migrate(now: np.ndarray) -> np.ndarray:
                    out = now.copy()
                    out[:, members] = now[:, members] + paid
                    return out

            else:

                def migrate(now: np.ndarray) -> np.ndarray:
                    out = now.copy()
                    out[:, host] = now[:, host] + per_month
                    return out

            group.rewrite("migration", migrate)
        elif month >= switch:

            def on_host(now: np.ndarray) -> np.ndarray:
                out = now.copy()
                out[:, members] = host
                return out

            def recharged(now: np.ndarray) -> np.ndarray:
                out = now.copy()
                out[:, members] = np.maximum(now[:, members], self.recharge)
                return out

            group.rewrite("platform", on_host)
            group.rewrite("recharge", recharged)
