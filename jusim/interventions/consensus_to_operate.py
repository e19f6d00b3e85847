"""Consensus to operate: negotiated freedom to fail, with early detection and correction of failure.

Evidence: local managers and public service organisations should "negotiate explicitly a
'consensus to operate' – dispensation from existing rules and boundaries on the condition they
deliver the required outcomes ... the 'freedom to break the rules' in order to engage more freely
in partnerships"; it "is only desirable, of course, provided there are mechanisms in place to spot
failure early on, to learn the lessons and to apply them" (004_405daa82f731071c.txt Ch2 §5).
"Freedom includes freedom to fail, and so there must also be an ability to identify and correct
failure, tolerantly, and before too much damage is done" (004 Ch2 §7; recommendations 5 and 7).
It cuts across audit regimes and legislation and raises equity concerns (004 Ch2 §5; evidence-
catalogue I13, T1, T7): none of those costs is modelled here.

Mechanics (``mechanisms/scrutiny.py``), while active, for partnerships on ``outcome`` (every
outcome if left out) and the agencies named (every agency if left out):

- **Dispensation.** The covered agencies expect a share ``dispensation`` of the penalty for a
  public failure to be waived (``Rules.dispensation``), so the reputational cost they weigh when
  invited to a new partnership falls, and more partnerships find the partners they need to start.
- **Early detection and correction.** The condition of the dispensation is enforced: an agency-
  formed partnership on a covered outcome that has been failing (delivering less than it costs its
  members) for ``detection`` months in a row is spotted and wound up (``Rules.detection``), so the
  money a failure wastes stays bounded, and its outcome is free for a better-designed partnership.
  ``detection`` 0 keeps the dispensation without the detection (the check that detection is what
  bounds the losses).

It writes no outcome and does not decide which partnerships fail: that follows from what each one
delivers against what it costs. Partnerships an intervention convenes are never wound up by it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import AgencyIntervention, EndMonth, StartMonth, register


@register
class ConsensusToOperate(AgencyIntervention):
    name = "consensus_to_operate"
    summary = "Negotiated freedom to fail: penalties for failure waived, failures caught early."
    evidence = "004_405daa82f731071c.txt Ch2 §5, §7 (recommendations 5, 7)"
    explanation = (
        "Agencies negotiate with government and local stakeholders a freedom to try new joint "
        "working, judged on the outcomes it delivers rather than on every rule. Failures are "
        "tolerated but watched for: a partnership that is not delivering is spotted within a few "
        "months and closed before too much money is lost. Agencies then start partnerships they "
        "would not risk under full public scrutiny."
    )

    outcome: str | None = Field(
        None, description="the outcome whose partnerships it covers (default: every outcome)"
    )
    agencies: list[str] | None = Field(
        None, description="the agencies that negotiated it (default: every agency)"
    )
    dispensation: float = Field(
        0.8,
        ge=0,
        le=1,
        description="share of the penalty for a public failure waived for the covered agencies "
        "(004 Ch2 §5 'dispensation from existing rules'; assumption 0.5–1: blame is never "
        "wholly lifted)",
    )
    detection: int = Field(
        3,
        ge=0,
        le=120,
        description="months a partnership may deliver less than it costs before it is spotted "
        "and wound up (004 Ch2 §5, §7 'spot failure early on'; a quarter's monitoring: "
        "assumption 1–12); 0 = no early detection, the dispensation alone",
    )
    start: StartMonth = 0
    end: EndMonth = None

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        problems: list[tuple[str, Any, str]] = []
        if self.outcome is not None and self.outcome not in scenario.outcome_names:
            problems.append(("outcome", self.outcome, f"one of {scenario.outcome_names}"))
        return problems + super().check(scenario)

    def apply(self, model, state: dict[str, Any]) -> None:
        if not self.active(model.month):
            return
        w, r = model.world, model.rules
        outcomes = (
            np.arange(w.n_outcomes)
            if self.outcome is None
            else np.array([w.outcome_index[self.outcome]])
        )
        agencies = self.index(model, self.agencies)
        cell = np.ix_(outcomes, agencies)
        r.dispensation[cell] = np.maximum(r.dispensation[cell], self.dispensation)
        if self.detection > 0:
            r.detection[outcomes] = np.minimum(r.detection[outcomes], self.detection)
