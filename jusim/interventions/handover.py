"""Handover and induction: a leaver's working relationships pass to the successor.

Evidence: churn damages consistency and continuity, especially of existing relationships; a
consistent approach, robust handover and induction of new members reduce the damage, but are
rarely practised (001_04a1019f119c8ec4.txt ¶55, ¶79–80; catalogue I14, fact 3).

Mechanics: while active, each member agency's handover quality — the chance that each tie of a
leaver passes to the successor (``mechanisms/churn.py``) — is at least ``quality``. Members are
named agencies (default: every agency). The time it takes (overlap, induction) is not costed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import AgencyIntervention, EndMonth, StartMonth, register


@register
class Handover(AgencyIntervention):
    name = "handover"
    summary = "Robust handover and induction: leavers pass their working relationships on."
    evidence = "001_04a1019f119c8ec4.txt ¶55, ¶79–80"
    explanation = (
        "When someone leaves, they introduce their successor to the people they worked with in "
        "other agencies, so relationships survive staff turnover."
    )

    agencies: list[str] | None = Field(None, description="agencies that adopt it (default: all)")
    quality: float = Field(
        0.8, ge=0, le=1, description="chance each of a leaver's ties is handed over"
    )
    start: StartMonth = 0
    end: EndMonth = None

    def apply(self, model, state: dict[str, Any]) -> None:
        if not self.active(model.month):
            return
        who = self.index(model, self.agencies)
        model.rules.handover[who] = np.maximum(model.rules.handover[who], self.quality)
