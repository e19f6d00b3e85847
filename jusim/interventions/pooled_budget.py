"""Pooled budget: members put a share of their discretionary budget into a pot for the outcome.

Evidence: the Rough Sleepers Unit pooled funds previously held by several departments (£200m over
three years) and cost per rough sleeper fell from about £120k to £70k (002_5677c7bae92002df.txt
¶18, ¶24, Fig 4); pooled budgets raise flexibility and strategic planning, and many separate
funding streams hinder joining up (002 ¶24, Annex); Kent STEP pooled staff and money
(004_405daa82f731071c.txt STEP box). Caveat: pooling alone often shows weak effects (Mason et al.
2015, modelling-anchors.md A2).

Mechanics: each month every member transfers ``share`` of its discretionary budget to the pot
before it decides how to spend the rest (members lose control of it). The pot is spent on the
outcome in the balance its roles need, and membership carries partnership overhead and meetings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, convene, register


def pool(model, o: int, members, share: float) -> None:
    """Commit ``share`` of members' discretionary budgets to outcome ``o``'s pot this month."""
    rules = model.rules
    rules.pool_share[o, members] = np.maximum(rules.pool_share[o, members], share)
    convene(model, o, members)


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

    def apply(self, model, state: dict[str, Any]) -> None:
        if self.active(model.month):
            o = model.world.outcome_index[self.outcome]
            pool(model, o, self.member_index(model), self.share)
