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

from jusim.interventions.base import Intervention, register


@register
class CorporateCommitment(Intervention):
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
    start: int = Field(0, ge=0, le=1200, description="month it starts")
    end: int | None = Field(None, ge=1, le=1200, description="month it ends (default: never)")

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        problems: list[tuple[str, Any, str]] = []
        if self.agency not in scenario.agency_names:
            problems.append(
                ("agency", self.agency, f"an agency of this scenario: {scenario.agency_names}")
            )
        if self.end is not None and self.end <= self.start:
            problems.append(("end", self.end, f"a month after start ({self.start})"))
        return problems

    def apply(self, model, state: dict[str, Any]) -> None:
        month = model.month
        if month >= self.start and (self.end is None or month < self.end):
            a = model.world.agency_index[self.agency]
            model.rules.alignment[a] = max(model.rules.alignment[a], self.strength)
