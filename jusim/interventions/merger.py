"""Merger: two agencies brought under one management, at the price of disruption.

Evidence: British Trade International merged the trade-promotion work of the DTI and the FCO under
one management, and a single DfES unit took over nursery and childcare; mergers give a single
point of contact and unified management, but outcomes were not yet measured and costs not
evaluated (002_5677c7bae92002df.txt Fig 1, ¶6, ¶24; catalogue I12); threats to existing
organisations raise resistance, and talk of collaboration was read as cover for cuts, job losses
and mergers (004_405daa82f731071c.txt Ch2 §7; 003_741bbb3ed11f1208.txt intro); churn damages
continuity, especially of existing relationships (001_04a1019f119c8ec4.txt ¶79).

Mechanics, from ``start``:
- one management: on every outcome both agencies work on, each is held to account for it at
  ``weight`` (one management owns both remits; the shared-target channel) and they sit together
  (partnership membership: meetings, contact, overhead);
- disruption, for ``disruption`` months: each spends ``reorganisation`` of its discretionary budget
  a month on the reorganisation (paid before anything else, like overhead), and its staff leave at
  an extra ``extra_churn`` a month (uncertainty and job losses), taking their ties with them.
It writes no outcome: gains, if any, come through credit and contact, costs through money and
churn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import AgencyIntervention, convene, register


@register
class Merger(AgencyIntervention):
    name = "merger"
    summary = "Two agencies under one management: shared accountability, after a disruption."
    evidence = (
        "002_5677c7bae92002df.txt Fig 1, ¶6, ¶24; 004_405daa82f731071c.txt Ch2 §7; "
        "001_04a1019f119c8ec4.txt ¶79"
    )
    explanation = (
        "Two bodies are merged under one management (like British Trade International, from "
        "the DTI and the FCO). They answer together for the outcomes both work on and meet as "
        "one organisation, but the reorganisation costs money and staff leave for a while."
    )

    agencies: list[str] = Field(
        min_length=2, max_length=2, description="the two agencies merged (names)"
    )
    start: int = Field(0, ge=0, le=1200, description="month of the merger")
    weight: float = Field(
        1.0, ge=0, le=5, description="weight of their common outcomes in each one's accountability"
    )
    disruption: int = Field(
        12, ge=0, le=1200, description="months of disruption (assumption: 6–24)"
    )
    reorganisation: float = Field(
        0.1,
        ge=0,
        le=1,
        description="share of discretionary budget spent on reorganising a month during the "
        "disruption (assumption: costs were not evaluated, 002 ¶24; 0.05–0.2)",
    )
    extra_churn: float = Field(
        0.01,
        ge=0,
        le=1,
        description="extra monthly chance a member of staff leaves during the disruption "
        "(assumption: ~12% a year more, 004 Ch2 §7; 0–0.02)",
    )

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        problems = super().check(scenario)
        if len(set(self.agencies)) != len(self.agencies):
            problems.append(("agencies", self.agencies, "two different agencies"))
        return problems

    def apply(self, model, state: dict[str, Any]) -> None:
        month = model.month
        if month < self.start:
            return
        pair = np.array([model.world.agency_index[a] for a in self.agencies])
        rules = model.rules
        common = model.world.involved[:, pair].all(axis=1)
        for o in np.flatnonzero(common):
            rules.shared_target[o, pair] = np.maximum(rules.shared_target[o, pair], self.weight)
            convene(model, o, pair)
        if month < self.start + self.disruption:
            disc = model.world.discretionary_share[pair] * model.budget[pair]
            rules.reorganisation[pair] += self.reorganisation * disc
            rules.extra_churn[pair] = np.maximum(rules.extra_churn[pair], self.extra_churn)
