"""Performance reward grant: extra money and freedom for agencies that meet a shared target.

Evidence: Kent County Council agreed a Performance Reward Grant of £26m, plus flexibility over
spending, if the county's agencies together met social-deprivation targets, raising the
commitment of all of them (002_5677c7bae92002df.txt ¶24); extra funds and freedom over spending
raise willingness to join (002 ¶24, Annex; catalogue M47, I11). The outcome of the Kent grant is
not reported.

Mechanics: while active, the outcome is a shared target of the members with ``weight`` (they
are judged on it and the grant hangs on it, so working on it earns credit). At ``review`` the
outcome's attainment is checked; if it has reached ``threshold``, the members share ``amount`` £k,
paid in equal monthly parts over the following ``months`` months into their budgets. Nothing is
paid if the target is missed. The grant comes from outside the scenario's agencies.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from jusim.interventions.base import OutcomePartnership, register
from jusim.interventions.shared_targets import share_target


@register
class RewardGrant(OutcomePartnership):
    name = "reward_grant"
    summary = "A grant (Kent: £26m) for agencies that together meet a shared target."
    evidence = "002_5677c7bae92002df.txt ¶24, Annex"
    explanation = (
        "The agencies are promised extra money and spending freedom if, together, they meet a "
        "target on the shared outcome by a review date. Kent's Performance Reward Grant was £26m "
        "plus flexibility; it raised every agency's commitment (NAO 2001, ¶24)."
    )

    amount: float = Field(
        26_000.0, ge=0, le=1e7, description="£k shared by the members if the target is met"
    )
    weight: float = Field(0.5, ge=0, le=5, description="weight of the target in accountability")
    review: int = Field(36, ge=1, le=1200, description="month the target is checked")
    threshold: float = Field(
        0.5, ge=0, le=2, description="attainment the outcome must reach (1 = its target)"
    )
    months: int = Field(12, ge=1, le=600, description="months over which the grant is paid")

    def setup(self, model) -> dict[str, Any]:
        return {"paid_from": None}

    def apply(self, model, state: dict[str, Any]) -> None:
        o = model.world.outcome_index[self.outcome]
        members = self.member_index(model)
        w = model.world
        if model.month == self.review and state["paid_from"] is None:
            attainment = (w.need0[o] - model.need[o]) / (w.need0[o] - w.target[o])
            if attainment >= self.threshold:
                state["paid_from"] = model.month
        paid = state["paid_from"]
        if paid is not None and paid <= model.month < paid + self.months and members.size:
            model.rules.budget_charge[members] -= self.amount / self.months / members.size
        if self.active(model.month) and model.month < self.review:
            share_target(model, o, members, self.weight)
