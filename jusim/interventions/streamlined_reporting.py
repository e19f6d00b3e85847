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

from jusim.interventions.base import AgencyIntervention, EndMonth, StartMonth, register


@register
class StreamlinedReporting(AgencyIntervention):
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
    start: StartMonth = 0
    end: EndMonth = None

    def apply(self, model, state: dict[str, Any]) -> None:
        if not self.active(model.month):
            return
        idx = self.index(model, self.agencies)
        rules = model.rules
        rules.report_factor[idx] = np.minimum(rules.report_factor[idx], 1.0 - self.cut)
