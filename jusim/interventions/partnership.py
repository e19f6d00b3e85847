"""A standing partnership: members meet, consult, agree and deliver integrated services.

Evidence: partnerships are the commonest form of joint working (002_5677c7bae92002df.txt ¶4,
Fig 1: Sure Start local partnerships, Early Years Development and Childcare Partnerships, Business
Link); who is involved must balance inclusion against "the practical difficulties of organising
and motivating large numbers of partners" (002 ¶24); the complexity of many players calls for
leadership as "glue" (002 ¶23); new partnerships take time to form (002 Annex "set realistic
timescales").

Mechanics: while active, its members sit on one partnership entity (``jusim/partnership.py``):
they pay for their seats and consultation links, meet (contact), and after the set-up period the
partnership integrates the services of its members' roles (``mechanisms/partnering.py``). It sets
no target and pools no money: those are other interventions, which share the same partnership
when they name the same outcome and members.
"""

from __future__ import annotations

from typing import Any

from jusim.interventions.base import OutcomePartnership, convene, register


@register
class Partnership(OutcomePartnership):
    name = "partnership"
    summary = "A standing partnership: members meet, consult and deliver integrated services."
    evidence = "002_5677c7bae92002df.txt ¶4, ¶23–24, Fig 1, Annex"
    explanation = (
        "The agencies sit round one table for the outcome. Each brings the part of the clients' "
        "needs its role covers, so services join up; but every member must be consulted and "
        "agree, which costs senior time and slows decisions as the table grows."
    )

    def apply(self, model, state: dict[str, Any]) -> None:
        if self.active(model.month):
            convene(model, model.world.outcome_index[self.outcome], self.member_index(model))
