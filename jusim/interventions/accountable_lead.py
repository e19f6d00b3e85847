"""A single accountable lead with clout: one named person answers for delivery and brokers it.

Evidence: cross-boundary solutions "would need to have an individual project leader, with
sufficient clout, responsible for delivering them ... someone charged with ensuring that promises
are kept" (004_405daa82f731071c.txt Ch2 §6, recommendation 6); good leadership, "through a
Chairperson or lead manager", secures co-operation and encourages compromise, the "glue" that
holds many players together (002_5677c7bae92002df.txt ¶23, Annex "encourage good leadership").

Mechanics: while active, the partnership of ``members`` on the outcome (the same one a pooled
budget, shared target or plain partnership with those members convenes) has ``lead`` as its
accountable agency with ``clout``. Agreement is then brokered through the lead: a share ``clout``
of each member's consultation links with the others is replaced by one link to the lead
(``mechanisms/partnering.py``), so the partnership's running cost and its slowing of decisions
grow more slowly with its size. It writes no outcome.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, convene, register


@register
class AccountableLead(OutcomePartnership):
    name = "accountable_lead"
    summary = "A named lead with clout answers for delivery and brokers agreement between members."
    evidence = "004_405daa82f731071c.txt Ch2 §6, rec. 6; 002_5677c7bae92002df.txt ¶23, Annex"
    explanation = (
        "One person with enough standing is made responsible for the partnership's delivery. "
        "Members settle things through the lead instead of each with every other, so a larger "
        "table stays workable."
    )

    lead: str | None = Field(
        None, description="lead agency (default: the member with the largest role)"
    )
    clout: float = Field(
        0.8,
        ge=0,
        le=1,
        description="share of agreement-seeking the lead brokers (0 = none, 1 = all; "
        "rank matters, 004 Ch2 §6: assumption 0.5–0.9)",
    )

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        problems = super().check(scenario)
        members = self.members or []
        if self.lead is not None and self.lead not in scenario.agency_names:
            problems.append(
                ("lead", self.lead, f"an agency of this scenario: {scenario.agency_names}")
            )
        elif self.lead is not None and members and self.lead not in members:
            problems.append(("lead", self.lead, f"one of the members: {members}"))
        return problems

    def lead_index(self, model, members: np.ndarray) -> int:
        if self.lead is not None:
            return model.world.agency_index[self.lead]
        roles = model.world.roles[model.world.outcome_index[self.outcome], members]
        return int(members[np.argmax(roles)])

    def apply(self, model, state: dict[str, Any]) -> None:
        if not self.active(model.month):
            return
        members = self.member_index(model)
        k = convene(model, model.world.outcome_index[self.outcome], members)
        pt = model.partnerships
        pt.lead[k] = self.lead_index(model, members)
        pt.clout[k] = max(pt.clout[k], self.clout)
