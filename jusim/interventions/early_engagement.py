"""Early engagement: partners are involved while the partnership is being designed.

Evidence: early involvement raises buy-in and the quality of a project; consulted late, partners
can change things only "round the margin" (000_babc907a3220f36e.txt "Making connections";
001_04a1019f119c8ec4.txt ¶47, ¶83–84); involving implementers in design surfaces pitfalls
(004_405daa82f731071c.txt Ch2 §1); continuous dialogue keeps partners engaged (001 ¶111–113).
Engagement takes time at the start (evidence-catalogue I18).

Mechanics: while active, the members' partnership on the outcome (the same one other
interventions with those members convene) engages its members. A member engaged while the
partnership is still being set up gains buy-in ``buy_in``; one engaged only after set-up gains
``partnership.late_share`` of it (its influence is marginal). Buy-in is a state of the
partnership entity: it stays, and it adds ``partnership.ownership × buy-in`` to the member's credit
for the outcome, so it works harder on it. Engaging costs each member ``partnership.engagement``
admin-months a month during set-up. It writes no outcome.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from jusim.interventions.base import OutcomePartnership, convene, register


@register
class EarlyEngagement(OutcomePartnership):
    name = "early_engagement"
    summary = "Partners are involved at design: higher buy-in, so more effort and satisfaction."
    evidence = (
        "000_babc907a3220f36e.txt 'Making connections'; 001_04a1019f119c8ec4.txt ¶47, ¶83–84, "
        "¶111–113; 004_405daa82f731071c.txt Ch2 §1"
    )
    explanation = (
        "Partners help shape the partnership while it is being set up, instead of being shown a "
        "finished plan. They own it more and work harder for it; engaged late, they can only "
        "change things round the margin."
    )

    buy_in: float = Field(1.0, ge=0, le=1, description="buy-in of a member engaged at design (0–1)")

    def apply(self, model, state: dict[str, Any]) -> None:
        if self.active(model.month):
            members = self.member_index(model)
            k = convene(model, model.world.outcome_index[self.outcome], members)
            model.partnerships.engage(k, members, self.buy_in, model.params.partnership)
