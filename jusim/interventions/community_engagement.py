"""Community engagement and outreach: home visits and consultation that reach excluded groups.

Evidence: Sure Start workers visit families on low incomes, with little education or English at
home, to assess needs and discuss support, so they are not excluded; parents working shifts need
care outside normal hours, and departments should assess client groups' requirements through
consultation and research (002_5677c7bae92002df.txt ¶11); publicising services maximises take-up
(002 ¶12); consultation raises fit to need and take-up, but one-off events fail
(004_405daa82f731071c.txt Ch2 §8; 001_04a1019f119c8ec4.txt ¶183; catalogue I19).

Mechanics (``mechanisms/clients.py``): while active, for the targeted client ``groups`` (default:
all of the outcome's groups) services are adapted — ``outreach`` closes that share of the gap
between the group's fit and a full fit — and made visible (``publicity``). Its ``cost`` (£k/month)
is paid by the members in proportion to their roles.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, charge, register


@register
class CommunityEngagement(OutcomePartnership):
    name = "community_engagement"
    summary = "Outreach and consultation adapt services to, and inform, chosen client groups."
    evidence = "002_5677c7bae92002df.txt ¶11–12; 004_405daa82f731071c.txt Ch2 §8; 001_04a1019f119c8ec4.txt ¶183"
    explanation = (
        "Workers visit families at home and consult them, so services are offered in ways that "
        "suit them (out of hours, in their language) and they hear about them. Groups it does "
        "not target stay as they were."
    )

    groups: list[str] | None = Field(
        None, description="client groups targeted (default: every group of the outcome)"
    )
    outreach: float = Field(
        0.6, ge=0, le=1, description="share of the gap to a full fit that outreach closes"
    )
    publicity: float = Field(
        0.5, ge=0, le=5, description="visibility to the targeted groups (awareness per month)"
    )
    cost: float = Field(
        50.0,
        ge=0,
        le=100_000,
        description="£k/month of outreach workers: ~10 at £5k (assumption; range 20-200)",
    )

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        problems = super().check(scenario)
        out = next((o for o in scenario.outcomes if o.name == self.outcome), None)
        names = [g.name for g in out.client_groups] if out is not None else []
        for g in self.groups or []:
            if out is not None and g not in names:
                allowed = (
                    f"client groups of {self.outcome}: {names}"
                    if names
                    else ("an outcome with [[outcomes.client_groups]]")
                )
                problems.append(("groups", g, allowed))
        return problems

    def setup(self, model) -> dict[str, Any]:
        w = model.world
        o = w.outcome_index[self.outcome]
        cols = np.zeros(w.group_share.shape[1], dtype=bool)
        names = w.group_names[o]
        cols[: len(names)] = [self.groups is None or g in self.groups for g in names]
        return {"o": o, "cols": cols}

    def apply(self, model, state: dict[str, Any]) -> None:
        if not self.active(model.month):
            return
        o, cols = state["o"], state["cols"]
        r = model.rules
        r.outreach[o, cols] = np.maximum(r.outreach[o, cols], self.outreach)
        r.publicity[o, cols] = np.maximum(r.publicity[o, cols], self.publicity)
        charge(model, o, self.member_index(model), self.cost)
