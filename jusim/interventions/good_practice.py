"""Good-practice dissemination: partners learn from what has worked elsewhere.

Evidence: public managers need to spread the word about good practice and share lessons of
failure; practice must be designed for local circumstances, not replicated
(004_405daa82f731071c.txt Ch2 §9, Ch2 §7 box); Cabinet Office guidance, benchmarking and mapping
of partnerships (002_5677c7bae92002df.txt ¶25; 001_04a1019f119c8ec4.txt ¶176; catalogue I22)
reduce repeated mistakes.

Mechanics (``mechanisms/practice.py``): while active, each member's experience of the outcome
moves ``uptake`` of the way each month towards the best experience of any initiative in the
scenario (what has worked best), so members fear failure less; an uptake below 1 is the cost of
adapting practice locally. Members pay ``cost`` £k/month (guidance,
benchmarking, an action team), booked on the outcome.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, charge, register


@register
class GoodPractice(OutcomePartnership):
    name = "good_practice"
    summary = (
        "Guidance and benchmarking spread what works: partners learn from the best initiative."
    )
    evidence = "004_405daa82f731071c.txt Ch2 §7, §9; 002_5677c7bae92002df.txt ¶25; 001_04a1019f119c8ec4.txt ¶176"
    explanation = (
        "Guidance, benchmarking and an action team spread the lessons of the initiatives that "
        "have done best, so partners repeat fewer mistakes and fear failure less. Practice has to be adapted locally, so "
        "only part of it is taken up each month."
    )

    uptake: float = Field(
        0.1, ge=0, le=1, description="share of the gap to the best partner closed a month"
    )
    cost: float = Field(
        10.0,
        ge=0,
        le=100_000,
        description="£k/month of guidance and benchmarking (assumption; range 2-50)",
    )

    def apply(self, model, state: dict[str, Any]) -> None:
        if not self.active(model.month):
            return
        o = model.world.outcome_index[self.outcome]
        members = self.member_index(model)
        gp = model.rules.good_practice
        gp[o, members] = np.maximum(gp[o, members], self.uptake)
        charge(model, o, members, self.cost)
