"""Shared targets: a cross-cutting PSA makes the outcome count in each member's accountability.

Evidence: cross-cutting PSAs — joint objectives and targets shared by several departments — raise
coordination (002_5677c7bae92002df.txt ¶10, fn3), but only with jointly designed implementation
and reliable measurement (002 ¶25(3)); shared targets brought a "step change" in cross-department
discussion while separate accountability blurred delivery (James & Nakamura 2015,
modelling-anchors.md A2); when benefits accrue elsewhere and credit is not shared, collaborative
investment falls (003_741bbb3ed11f1208.txt "Better together").

Mechanics: while active, the outcome carries ``weight`` in each member's accountability (the
decision rule multiplies it by the member's accountability pressure). Members form a partnership,
with its overhead and meetings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, RunGroup, convene, register


def share_target(model, o: int, members, weight: float) -> None:
    rules = model.rules
    rules.shared_target[o, members] = np.maximum(rules.shared_target[o, members], weight)
    convene(model, o, members)


def share_target_runs(
    group: RunGroup, o: int, members: list[np.ndarray], who: np.ndarray, weight: float
) -> None:
    """``share_target`` of every run of ``group`` (``members``: each run's indices, ``who`` the
    same as a (G, A) mask)."""
    group.raise_to("shared_target", o, who, weight)
    group.convene(o, members)


@register
class SharedTargets(OutcomePartnership):
    name = "shared_targets"
    summary = "A cross-cutting PSA: the shared outcome counts in every member's accountability."
    evidence = (
        "002_5677c7bae92002df.txt ¶10, fn3, ¶25(3); 003_741bbb3ed11f1208.txt 'Better together'"
    )
    explanation = (
        "Departments are judged on the shared outcome as well as their own targets, so working on "
        "it earns credit. Evidence: four cross-cutting PSAs existed in 2001; they raised "
        "coordination when plans were designed and delivered jointly."
    )

    weight: float = Field(1.0, ge=0, le=5, description="weight of the outcome in accountability")

    def apply(self, model, state: dict[str, Any]) -> None:
        if self.active(model.month):
            o = model.world.outcome_index[self.outcome]
            share_target(model, o, self.member_index(model), self.weight)

    def apply_runs(self, group: RunGroup, states: list[dict[str, Any]]) -> None:
        if self.active(group.month):
            o = group.models[0].world.outcome_index[self.outcome]
            members, who = self.members_of(group)
            share_target_runs(group, o, members, who, self.weight)
