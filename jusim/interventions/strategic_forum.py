"""A strategic multilateral forum: a statutory partnership of many agencies for strategic dialogue.

Evidence: advocates of a Social and Economic Partnership (SEP) wanted a forum "for strategic
discussion" that "would build better relationships", build trust and let partners set the agenda
(001_04a1019f119c8ec4.txt ¶148–153, ¶187); opponents held that existing mechanisms are adequate
and "any new mechanism would clutter an already full partnership landscape" (¶156–157), that it
"would be largely symbolic" and had no clear purpose (¶159), and that a statutory body could get in
the way of bilateral relationships (¶158); there was no consensus on its role (¶154, ¶188).
Evidence-catalogue I23: contested, adds clutter, mostly symbolic.

Mechanics: while active, every member (default: every agency of the scenario) sits on one
mandated partnership on ``outcome`` (the agenda it is nominally about), through the existing
partnership entity (``jusim/partnership.py``): each pays for its seat and for consultation links
with every other member (``mechanisms/partnering.py``: coordination cost grows with membership),
and sitting together creates meeting contact between every pair of members
(``mechanisms/contact.py``), which builds ties, trust and understanding. It discusses strategy
rather than integrating services: it achieves a share ``delivery`` of the joint production a
delivery partnership of the same members would. Any change in outcomes comes out of those
mechanisms. It writes no outcome.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from jusim.interventions.base import OutcomePartnership, convene, register


@register
class StrategicForum(OutcomePartnership):
    name = "strategic_forum"
    summary = "A statutory forum of all agencies for strategic dialogue: contested, adds clutter."
    evidence = "001_04a1019f119c8ec4.txt ¶146–160, ¶187–188"
    explanation = (
        "Every agency gets a seat on a standing strategic forum. Meeting regularly builds "
        "relationships and a shared agenda, but each seat and every consultation costs senior "
        "time, and the forum itself delivers little: critics call it clutter and symbolism."
    )

    members: list[str] | None = Field(
        None, description="member agencies (default: every agency of the scenario)"
    )
    delivery: float = Field(
        0.1,
        ge=0,
        le=1,
        description="share of a delivery partnership's joint production the forum achieves: it "
        "sets agendas, not services ('largely symbolic', 001 ¶159; partnership sought only at "
        "the delivery level, ¶187: assumption 0–0.2)",
    )

    def member_index(self, model):
        return self.index(model, self.members)  # default: every agency

    def apply(self, model, state: dict[str, Any]) -> None:
        if self.active(model.month):
            k = convene(model, model.world.outcome_index[self.outcome], self.member_index(model))
            model.partnerships.delivery[k] = min(model.partnerships.delivery[k], self.delivery)
