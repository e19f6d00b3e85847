"""Succession plan: before a unit is wound up, its partners deliberately take on its ways of working.

Evidence: a finite-life initiative needs an exit strategy designed to sustain its outcome; the
Rough Sleepers Unit planned "a succession strategy designed to ensure that the reduction in
numbers of rough sleepers is sustained when the Unit is wound up" (002_5677c7bae92002df.txt ¶24);
long-term success depends on the unit's methods becoming "an integral part of [departments' and
local agencies'] normal day to day working" (002 ¶14).

Mechanics: while active, each member adopts the unit's ways of working on the outcome at an extra
``rate`` a month (``Rules.succession``; see ``mechanisms/mainstreaming.py``) — but only while some
agency still practises them, so a plan must run before the unit ends. The handover costs the
members ``cost`` £k a month each of staff time on the outcome (training, documenting, transferring
responsibilities), which produces no cases. It writes no outcome: what persists after wind-up is
the members' adopted practice, which keeps the outcome in their own accountability.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, register


@register
class Succession(OutcomePartnership):
    name = "succession"
    summary = "A succession plan: partners take on a unit's ways of working before it winds up."
    evidence = "002_5677c7bae92002df.txt ¶14, ¶24"
    explanation = (
        "Before a central unit is wound up, its partners plan to take over its work and make its "
        "methods part of their normal business, so the gains last. The Rough Sleepers Unit "
        "planned such a succession strategy."
    )

    rate: float = Field(
        0.05,
        ge=0,
        le=1,
        description="extra monthly adoption of the unit's ways of working by each member "
        "(assumption: a plan over one to two years, 0.02–0.1)",
    )
    cost: float = Field(
        10.0,
        ge=0,
        le=10_000,
        description="£k/month of each member's staff time spent on the handover (assumption: "
        "about two staff, 5–50)",
    )

    def apply(self, model, state: dict[str, Any]) -> None:
        if not self.active(model.month):
            return
        o = model.world.outcome_index[self.outcome]
        members = self.member_index(model)
        rules = model.rules
        rules.succession[o, members] = np.maximum(rules.succession[o, members], self.rate)
        rules.focused[o, members] += self.cost  # time on the outcome that resolves no cases
