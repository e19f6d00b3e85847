"""Senior or ministerial sponsorship of an outcome, which a reshuffle can remove.

Evidence: ministers' and senior managers' backing raises shared ownership
(000_babc907a3220f36e.txt "Main Findings", "Shared policy objectives"); strong leadership signals
priority and acts as an incentive and as "glue" (002_5677c7bae92002df.txt ¶23–24); enthusiasm
depends on individuals and must be renewed, and ministerial turnover harms continuity
(001_04a1019f119c8ec4.txt ¶79, ¶127).

Mechanics: while the sponsor is in post, each member's (default: every contributor's) credit
for the outcome rises by
``strength`` (times the accountability module's ``sponsor_weight``). Each month the sponsor moves
on with probability ``reshuffle_rate``; ``lost_at`` removes the sponsor at a given month (a timed
event). A lost sponsor is not replaced.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, RunGroup, register


@register
class Sponsorship(OutcomePartnership):
    name = "sponsorship"
    summary = "A senior or ministerial sponsor raises the outcome's priority until a reshuffle."
    evidence = "000_babc907a3220f36e.txt 'Main Findings'; 002_5677c7bae92002df.txt ¶23–24; 001_04a1019f119c8ec4.txt ¶79, ¶127"
    explanation = (
        "A minister or permanent secretary makes the outcome a visible priority, so every agency "
        "gains credit for working on it. It lasts only while the sponsor stays: reshuffles end it."
    )

    strength: float = Field(1.0, ge=0, le=5, description="priority signalled by the sponsor")
    reshuffle_rate: float = Field(
        0.02, ge=0, le=1, description="monthly chance the sponsor moves on"
    )
    lost_at: int | None = Field(None, ge=0, le=1200, description="month the sponsor is lost")

    def setup(self, model) -> dict[str, Any]:
        return {"in_post": True}

    def in_post(self, model, state: dict[str, Any]) -> bool:
        """Whether the sponsor is in post this month (lost at ``lost_at`` or by a reshuffle,
        drawn from the run's own stream every month after ``start``)."""
        if self.lost_at is not None and model.month >= self.lost_at:
            state["in_post"] = False
        moves = model.month > self.start and model.streams["events"].random() < self.reshuffle_rate
        if state["in_post"] and moves:
            state["in_post"] = False
        return state["in_post"]

    def apply(self, model, state: dict[str, Any]) -> None:
        if self.active(model.month) and self.in_post(model, state):
            o = model.world.outcome_index[self.outcome]
            members = self.member_index(model)
            rules = model.rules
            rules.sponsor[o, members] = np.maximum(rules.sponsor[o, members], self.strength)

    def apply_runs(self, group: RunGroup, states: list[dict[str, Any]]) -> None:
        if not self.active(group.month):
            return
        in_post = [self.in_post(m, s) for m, s in zip(group.models, states, strict=True)]
        if any(in_post):
            o = group.models[0].world.outcome_index[self.outcome]
            _, who = self.members_of(group)
            group.raise_to("sponsor", o, who & np.array(in_post)[:, None], self.strength)
