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

from jusim.interventions.base import Intervention, register


@register
class Handover(Intervention):
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
    start: int = Field(0, ge=0, le=1200, description="month it starts")
    end: int | None = Field(None, ge=1, le=1200, description="month it ends (default: never)")

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        names = scenario.agency_names
        problems: list[tuple[str, Any, str]] = [
            ("agencies", a, f"agencies of this scenario: {names}")
            for a in self.agencies or []
            if a not in names
        ]
        if self.end is not None and self.end <= self.start:
            problems.append(("end", self.end, f"a month after start ({self.start})"))
        return problems

    def apply(self, model, state: dict[str, Any]) -> None:
        if model.month < self.start or (self.end is not None and model.month >= self.end):
            return
        idx = model.world.agency_index
        who = (
            np.arange(model.world.n_agencies)
            if self.agencies is None
            else np.array([idx[a] for a in self.agencies], dtype=np.int64)
        )
        model.rules.handover[who] = np.maximum(model.rules.handover[who], self.quality)
