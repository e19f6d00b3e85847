"""Pooled budget: members put a share of their discretionary budget into a pot for the outcome.

Evidence: the Rough Sleepers Unit pooled funds previously held by several departments (£200m over
three years) and cost per rough sleeper fell from about £120k to £70k (002_5677c7bae92002df.txt
¶18, ¶24, Fig 4); pooled budgets raise flexibility and strategic planning, and many separate
funding streams hinder joining up (002 ¶24, Annex); Kent STEP pooled staff and money
(004_405daa82f731071c.txt STEP box). Caveat: pooling alone often shows weak effects (Mason et al.
2015, modelling-anchors.md A2).

Mechanics: each month every member transfers ``share`` of its discretionary budget to the pot
before it decides how to spend the rest (members lose control of it). The pot pays for the work of
the agencies it funds — its members and any ``grants`` (partners funded from the pot without
pooling) — in the balance their roles need (``mechanisms/funding.py``); contributors it does not
fund get nothing from it. A grant carries terms: the grantee answers to the funder for the
outcome (``grant``). Membership and grants carry partnership overhead and meetings.

Leverage follows money (002 ¶9): a pot sways the partners it funds, through the money and the
grant's terms, and sways the others only indirectly (stylized fact 10,
``analysis/facts_leverage.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, RunGroup, convene, join, register


def pool(model, o: int, members, share: float) -> None:
    """Commit ``share`` of members' discretionary budgets to outcome ``o``'s pot this month; the pot
    pays for the members' work."""
    rules = model.rules
    rules.pool_share[o, members] = np.maximum(rules.pool_share[o, members], share)
    convene(model, o, members)
    rules.funded[o, members] = True


def grant(model, o: int, grantees, weight: float) -> None:
    """Fund ``grantees``' work on outcome ``o`` from its pot this month. The grant's terms make the
    outcome count in their accountability at ``weight`` times the funding mechanism's
    ``grant_conditions``; grantees report to the partnership (membership: overhead, meetings)."""
    rules = model.rules
    terms = weight * model.params.funding.grant_conditions
    rules.funded[o, grantees] = True
    join(model, o, grantees)
    rules.shared_target[o, grantees] = np.maximum(rules.shared_target[o, grantees], terms)


def pool_runs(group: RunGroup, o: int, members: list[np.ndarray], who: np.ndarray, share) -> None:
    """``pool`` of every run of ``group`` (``members``: each run's indices, ``who`` the same as a
    (G, A) mask)."""
    group.raise_to("pool_share", o, who, share)
    group.convene(o, members)
    group.raise_to("funded", o, who, True)


def grant_runs(group: RunGroup, o: int, grantees: np.ndarray, weight: float) -> None:
    """``grant`` of every run of ``group`` (``grantees``: indices, the same in every run)."""
    if grantees.size == 0:  # (nothing to fund: only the joining, which may convene)
        group.join(o, grantees)
        return
    terms = np.array([weight * m.params.funding.grant_conditions for m in group.models])
    who = np.zeros((len(group.models), group.models[0].world.n_agencies), bool)
    who[:, grantees] = True
    group.raise_to("funded", o, who, True)
    group.join(o, grantees)
    group.raise_to("shared_target", o, who, terms[:, None])


def grant_index(model, grants: list[str]) -> np.ndarray:
    return np.array([model.world.agency_index[g] for g in grants], dtype=np.int64)


def check_grants(scenario, grants: list[str]) -> list[tuple[str, Any, str]]:
    names = scenario.agency_names
    return [("grants", g, f"agencies of this scenario: {names}") for g in grants if g not in names]


@register
class PooledBudget(OutcomePartnership):
    name = "pooled_budget"
    summary = "Members pool a share of their budgets in a pot spent on the shared outcome."
    evidence = "002_5677c7bae92002df.txt ¶18, ¶24, Fig 4; 004_405daa82f731071c.txt STEP box"
    explanation = (
        "Each partner gives up control of part of its budget. The pot is spent where the outcome "
        "needs it, in the right balance between agencies. Evidence: the Rough Sleepers Unit's "
        "pooled £200m coincided with cost per rough sleeper falling from about £120k to £70k."
    )

    share: float = Field(0.15, ge=0, le=1, description="share of discretionary budget pooled")
    grants: list[str] | None = Field(
        None,
        description="partners funded from the pot without pooling (a grant carries its terms)",
    )
    grant_weight: float = Field(
        1.0, ge=0, le=5, description="weight of the outcome in a grantee's accountability"
    )

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        return super().check(scenario) + check_grants(scenario, self.grants or [])

    def apply(self, model, state: dict[str, Any]) -> None:
        if self.active(model.month):
            o = model.world.outcome_index[self.outcome]
            pool(model, o, self.member_index(model), self.share)
            grant(model, o, grant_index(model, self.grants or []), self.grant_weight)

    def apply_runs(self, group: RunGroup, states: list[dict[str, Any]]) -> None:
        if not self.active(group.month):
            return
        first = group.models[0]
        o = first.world.outcome_index[self.outcome]
        members, who = self.members_of(group)
        pool_runs(group, o, members, who, self.share)
        grant_runs(group, o, grant_index(first, self.grants or []), self.grant_weight)
