"""Performance measurement and feedback to partners: faster course correction and learning.

Evidence: regular feedback to partners, remedial action and measurable outcomes raise course
correction and learning (002_5677c7bae92002df.txt ¶15, ¶23, Annex; 004_405daa82f731071c.txt
Ch2 §2); without feedback on how their input was used partners grow frustrated (001 ¶99–100).
Caveat: narrow measures risk perverse effects (M46; see ``narrow_target``). Catalogue I24.

Mechanics: while active, the members' experience of the outcome — how on track they have seen
joint work be (``decision.learn``) — moves toward the progress they observe ``1 + boost`` times as
fast, so early success or failure feeds back into their choices sooner.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, register


@register
class PerformanceFeedback(OutcomePartnership):
    name = "performance_feedback"
    summary = "Regular measurement and feedback on the shared outcome: partners learn faster."
    evidence = "002_5677c7bae92002df.txt ¶15, ¶23, Annex; 004_405daa82f731071c.txt Ch2 §2"
    explanation = (
        "Partners get regular, measured feedback on how the shared outcome is going, so they "
        "correct course sooner: good progress encourages more joint work, poor progress is "
        "noticed early."
    )

    boost: float = Field(
        1.0, ge=0, le=10, description="extra speed of learning from progress (1 = twice as fast)"
    )

    def apply(self, model, state: dict[str, Any]) -> None:
        if self.active(model.month):
            o = model.world.outcome_index[self.outcome]
            members = self.member_index(model)
            rules = model.rules
            rules.learning_boost[o, members] = np.maximum(
                rules.learning_boost[o, members], self.boost
            )
