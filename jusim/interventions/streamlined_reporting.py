"""Streamlined reporting and coordination: one format, one place, coordinated consultations.

Evidence: reporting requirements are a heavy, costly burden for small groups; one format and one
location, fewer funding streams and joint systems with other funders and regulators ease it
(002_5677c7bae92002df.txt ¶22, Annex); uncoordinated consultation adds to partners' overload
(001_04a1019f119c8ec4.txt ¶90, ¶106). Catalogue I17, M57, M58, fact 8.

Mechanics: while active, the reporting part of each partnership seat's administrative demand
(``capacity.reporting``) falls by the share ``cut`` for ``agencies`` (default: every agency).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import Intervention, register


@register
class StreamlinedReporting(Intervention):
    name = "streamlined_reporting"
    summary = "One reporting format and coordinated consultations: less administrative demand."
    evidence = "002_5677c7bae92002df.txt ¶22, Annex; 001_04a1019f119c8ec4.txt ¶90, ¶106"
    explanation = (
        "Funders and departments agree one reporting format and coordinate their consultations, "
        "so each partnership asks less paperwork of its members. Small groups, for whom "
        "reporting is a heavy burden, gain most."
    )

    agencies: list[str] | None = Field(None, description="agencies it covers (default: all)")
    cut: float = Field(0.5, ge=0, le=1, description="share of reporting demand removed")
    start: int = Field(0, ge=0, le=1200, description="month it starts")
    end: int | None = Field(None, ge=1, le=1200, description="month it ends (default: never)")

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        allowed = f"agencies of this scenario: {scenario.agency_names}"
        problems = [
            ("agencies", n, allowed) for n in self.agencies or [] if n not in scenario.agency_names
        ]
        if self.end is not None and self.end <= self.start:
            problems.append(("end", self.end, f"a month after start ({self.start})"))
        return problems

    def apply(self, model, state: dict[str, Any]) -> None:
        if model.month < self.start or (self.end is not None and model.month >= self.end):
            return
        if self.agencies is None:
            idx = np.arange(model.world.n_agencies)
        else:
            idx = np.array([model.world.agency_index[n] for n in self.agencies], dtype=np.int64)
        rules = model.rules
        rules.report_factor[idx] = np.minimum(rules.report_factor[idx], 1.0 - self.cut)
