"""Narrow target: an agency judged on a narrow output measure that pushing hard cases out raises.

Evidence: narrowly defined targets create perverse effects and shift costs onto others — a school
expels a pupil to protect its league-table position and the cost later falls on social security
(002_5677c7bae92002df.txt ¶16); more output does not mean more outcome: more arrests do not mean
less crime (004_405daa82f731071c.txt Ch2 §2); drives for customer satisfaction create perverse
incentives (004 Ch1 "Blurred boundaries"). Catalogue M46, I24 caveat, fact 15.

Mechanics: while active, ``agency`` is judged on a measure that rises by ``lift`` (share of its
target) when it pushes out all its hard cases (``mechanisms/spillover.py``). Whether it does, and
how far, is its own decision: it weighs the credit against its stake in the outcomes the cases
land in (joint targets, pooled budgets). Where the cases land is set by the scenario's spillover
channels; with no channel from the agency, nothing is shifted.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from jusim.interventions.base import AgencyIntervention, EndMonth, StartMonth, register


@register
class NarrowTarget(AgencyIntervention):
    name = "narrow_target"
    summary = "An agency judged on a narrow output measure that pushing hard cases out improves."
    evidence = "002_5677c7bae92002df.txt ¶16; 004_405daa82f731071c.txt Ch2 §2"
    explanation = (
        "The agency's performance is measured narrowly (a league table, a discharge count), so "
        "pushing its hardest cases out makes its score look better. The cases do not disappear: "
        "they land in other agencies' caseloads and budgets, as when a school excludes a pupil "
        "and the cost falls elsewhere (NAO 2001, ¶16)."
    )

    agency: str = Field(description="the agency judged on the narrow measure")
    lift: float = Field(
        0.1,
        ge=0,
        le=1,
        description="rise in measured attainment when all hard cases are pushed out "
        "(assumption; a few to twenty per cent)",
    )
    start: StartMonth = 0
    end: EndMonth = None

    def apply(self, model, state: dict[str, Any]) -> None:
        if self.active(model.month):
            a = model.world.agency_index[self.agency]
            model.rules.narrow_lift[a] = max(model.rules.narrow_lift[a], self.lift)
