"""Periodic review of partnerships, with wind-up or relaunch.

Evidence: partnerships should be "re-evaluated periodically, which may point to new objectives and
incentives, to a reorganisation and relaunch, or that the joint working is no longer necessary"
(002_5677c7bae92002df.txt ¶24: Business Link relaunched by the Small Business Service; Annex
"establish an appropriate time in the future to evaluate the continuing need"; ¶25(1)); a
task force that "meanders on and nobody has the courage to kill it ... a bit of furniture" (001_
04a1019f119c8ec4.txt ¶118); mechanisms set up for particular issues "should have a limited
life-span ... Sometimes ending a partnership will be the most appropriate action" (001 ¶186);
Community Planning aimed to "de-clutter the partnerships that exist" (001 ¶157).

Mechanics: every ``interval`` months from ``start`` (while active), each live partnership that
has finished setting up is evaluated on the value it adds that
the others on its outcome do not. Partnerships that agencies formed themselves and that add less
than ``threshold`` are wound up; the rest are relaunched: their relevance is restored, and they
deliver again after ``relaunch`` months of reorganisation. A partnership an intervention convenes
is never wound up by a review (the intervention decides its life), only relaunched. It writes no
outcome.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from jusim.interventions.base import Intervention, register


@register
class Review(Intervention):
    name = "review"
    summary = "Partnerships are reviewed periodically: the stale are wound up, the rest relaunched."
    evidence = (
        "002_5677c7bae92002df.txt ¶24, ¶25(1), Annex; 001_04a1019f119c8ec4.txt ¶118, ¶157, ¶186"
    )
    explanation = (
        "Every few years each partnership is asked whether it still adds anything. Those that do "
        "not are closed; the others are refreshed and relaunched, which takes a few months. "
        "Without review, partnerships that have outlived their usefulness stay on as furniture."
    )

    interval: int = Field(24, ge=1, le=600, description="months between reviews")
    threshold: float = Field(
        0.02,
        ge=0,
        le=1,
        description="value added (extra cases per £, a share) below which a partnership is "
        "wound up (assumption 0.01–0.05)",
    )
    relaunch: int = Field(
        3, ge=0, le=60, description="months a relaunched partnership takes to deliver again"
    )
    start: int = Field(0, ge=0, le=1200, description="month of the first review cycle")
    end: int | None = Field(None, ge=1, le=1200, description="month reviews stop (default: never)")

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        problems: list[tuple[str, Any, str]] = []
        if self.end is not None and self.end <= self.start:
            problems.append(("end", self.end, f"a month after start ({self.start})"))
        return problems

    def apply(self, model, state: dict[str, Any]) -> None:
        m = model.month
        if m <= self.start or (self.end is not None and m >= self.end):
            return
        if (m - self.start) % self.interval:
            return
        model.partnerships.review(self.threshold, self.relaunch)
