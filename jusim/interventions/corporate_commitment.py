"""Corporate commitment: an organisation states, visibly, its commitment to partnership working.

Evidence: partners meet open and closed divisions of one organisation side by side (001_04a1019f
119c8ec4.txt ¶77, ¶102–103); "an overall strategic commitment to partnership within an
organisation was felt to help limit inconsistencies", but many partners and staff were unaware of
any such commitment, or found it vague (001 ¶81); the Executive's 'Changing to Deliver' programme
aimed at a greater 'outward focus' over two years (001 ¶26, ¶81).

Mechanics: while active, each division of ``agency`` moves ``strength`` of the way from its own
openness toward the agency's (``Rules.alignment``; ``mechanisms/divisions.py``), so partners'
experience of the agency varies less from division to division. ``strength`` below one stands for
a commitment that reaches only part of the organisation (¶81: many were unaware of it); even at
one, relationships already built unevenly, and the chance of who meets whom, leave some
variation. It writes no outcome and has no effect on an agency without divisions.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from jusim.interventions.base import AgencyIntervention, EndMonth, StartMonth, register


@register
class CorporateCommitment(AgencyIntervention):
    name = "corporate_commitment"
    summary = "A visible commitment to partnership that makes an agency's divisions more alike."
    evidence = "001_04a1019f119c8ec4.txt ¶26, ¶77, ¶81, ¶102–103"
    explanation = (
        "An organisation commits, publicly and from the top, to working in partnership. Its "
        "divisions behave more consistently toward partners, so partners' experience of it "
        "varies less — though not all staff hear of it, so some variation remains."
    )

    agency: str = Field(description="the agency that makes the commitment")
    strength: float = Field(
        0.5,
        ge=0,
        le=1,
        description="share of the gap between each division's openness and the agency's that "
        "the commitment closes (assumption: it reaches part of the organisation, 001 ¶81; 0.3–0.8)",
    )
    start: StartMonth = 0
    end: EndMonth = None

    def apply(self, model, state: dict[str, Any]) -> None:
        if self.active(model.month):
            a = model.world.agency_index[self.agency]
            model.rules.alignment[a] = max(model.rules.alignment[a], self.strength)
