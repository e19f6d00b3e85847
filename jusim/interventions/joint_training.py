"""Joint training: staff of partner agencies are trained together.

Evidence: joint training across partners, and a culture in which staff "get out more", raise
partnership behaviours and consistency (001_04a1019f119c8ec4.txt ¶13, ¶125–127;
000_babc907a3220f36e.txt "Next Steps"; catalogue I9); time spent together builds common language
and aims (000 "Shared policy objectives"; catalogue M34); it needs a major investment in capacity
(001 ¶125).

Mechanics: while active, every pair of members gets ``contact`` more contact a month (training
days together), added to the contact the model computes; contact forms staff ties and builds
shared understanding (``mechanisms/ties.py``, ``understanding.py``). Members pay ``cost`` £k/month
(trainers and staff time), booked on the outcome in proportion to their roles.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, charge, register


@register
class JointTraining(OutcomePartnership):
    name = "joint_training"
    summary = "Partners' staff are trained together: more contact, ties and shared understanding."
    evidence = "001_04a1019f119c8ec4.txt ¶13, ¶125–127; 000_babc907a3220f36e.txt 'Next Steps'"
    explanation = (
        "Staff from the partner agencies attend the same courses. They meet, get to know each "
        "other and learn each other's language and aims. It costs trainers and staff time."
    )

    contact: float = Field(
        0.05,
        ge=0,
        le=1,
        description="contact a month between each pair of members (assumption; 0.01-0.2)",
    )
    cost: float = Field(
        20.0,
        ge=0,
        le=100_000,
        description="£k/month of trainers and staff time (assumption; range 5-100)",
    )

    def apply(self, model, state: dict[str, Any]) -> None:
        if not self.active(model.month):
            return
        members = self.member_index(model)
        pair = np.zeros(model.rules.training.shape, dtype=bool)
        pair[np.ix_(members, members)] = True
        np.fill_diagonal(pair, False)
        model.rules.training[pair] += self.contact
        charge(model, model.world.outcome_index[self.outcome], members, self.cost)
