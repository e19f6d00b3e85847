"""Service mix: a partnership steers its joint effort towards one type of provision.

Evidence: types of provision differ in how soon they show an impact — supported housing for rough
sleepers takes longer than a detoxification treatment of six months or a year
(002_5677c7bae92002df.txt ¶17); the Sure Start Unit funded home visits and family support whose
long-term benefit was not yet measurable, while the Early Years Development and Childcare
Partnerships counted 140,000 new childcare places within three years (002 ¶7, ¶11, Fig 5);
departments should "consider the costs and benefits of different ways of meeting people's needs"
(002 ¶11).

Mechanics: while active, the named service of the outcome (``[[outcomes.services]]``) gets
``share`` of the outcome's joint input, and the outcome's other services share the rest in their
usual proportions (``mechanisms/services.steer``). It changes only where effort goes, so it
changes the lag and cost of what is produced, not how much is spent.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, RunGroup, register
from jusim.mechanisms.services import steer


def steer_runs(shares: np.ndarray, s: int, others: np.ndarray, share: float) -> np.ndarray:
    """``services.steer`` of G runs at once, not in place: (G, S) shares, service ``s`` and the
    other services of its outcome (indices, in order). Each run's other shares are summed along a
    row of their own, scaled by the same quotient and set where ``steer`` sets them: each run's
    bits as alone."""
    kept = shares[:, others]
    rest = kept.sum(axis=-1)
    moved = rest > 0
    scaled = kept * ((1.0 - share) / np.where(moved, rest, 1.0))[:, None]
    out = shares.copy()
    out[:, others] = np.where(moved[:, None], scaled, kept)
    out[:, s] = np.where(moved, share, shares[:, s])
    return out


@register
class ServiceMix(OutcomePartnership):
    name = "service_mix"
    summary = "Steer joint effort on an outcome towards one type of provision (its lag and cost)."
    evidence = "002_5677c7bae92002df.txt ¶7, ¶11, ¶17, Fig 5"
    explanation = (
        "Partners choose what to provide: quick services (detox, childcare places) show results "
        "within a year; slow ones (supported housing, family support) take years to show, "
        "which is why Sure Start had no measurable outcome after two years."
    )

    service: str = Field(description="a service of the outcome ([[outcomes.services]] name)")
    share: float = Field(0.8, ge=0, le=1, description="share of joint input given to it")

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        problems = super().check(scenario)
        out = next((o for o in scenario.outcomes if o.name == self.outcome), None)
        names = [s.name for s in out.services] if out is not None else []
        if out is not None and self.service not in names:
            allowed = f"one of {names}" if names else "an outcome with [[outcomes.services]]"
            problems.append(("service", self.service, allowed))
        return problems

    def apply(self, model, state: dict[str, Any]) -> None:
        if self.active(model.month):
            w = model.world
            s = w.service_names.index(f"{self.outcome}.{self.service}")
            steer(model.rules.service_share, w.service_outcome, s, self.share)

    def apply_runs(self, group: RunGroup, states: list[dict[str, Any]]) -> None:
        if not self.active(group.month):
            return
        steered = group.once((id(self), "service"), lambda: self.service_of(group))
        if steered is None:  # (the runs' services differ: run by run)
            super().apply_runs(group, states)
            return
        s, others = steered
        group.rewrite("service_share", lambda shares: steer_runs(shares, s, others, self.share))

    def service_of(self, group: RunGroup) -> tuple[int, np.ndarray] | None:
        """The steered service's index and its outcome's other services, if the same in every
        run of ``group``, else None."""
        worlds = [model.world for model in group.models]
        w = worlds[0]
        if any(
            v.service_names != w.service_names
            or not np.array_equal(v.service_outcome, w.service_outcome)
            for v in worlds[1:]
        ):
            return None
        s = w.service_names.index(f"{self.outcome}.{self.service}")
        others = (w.service_outcome == w.service_outcome[s]) & (
            np.arange(w.service_outcome.size) != s
        )
        return s, np.flatnonzero(others)
