"""Central unit: a new agency with a pooled budget and a shared target, staffed by secondees.

Evidence: dedicated central units (Rough Sleepers Unit, Sure Start Unit, Social Exclusion Unit)
are staffed from several departments, give strategic direction and hold a pooled or single budget
(002_5677c7bae92002df.txt ¶4, ¶9–10, ¶14); with the RSU's pooled £200m and a two-thirds target,
rough sleeping fell 62% in three years and cost per rough sleeper from about £120k to £70k
(002 ¶7, ¶18, Fig 4–5); without a central unit departments join up less at the centre (002 ¶10).
Its leverage follows its money (002 ¶9: the RSU found local authorities and NHS Trusts hard to
sway "when it is not providing direct funding"): the pot pays for the work of its members and of
the partners it funds by ``grants``, not of every contributor; a grant carries terms (the outcome
counts in the grantee's accountability, ``mechanisms/funding.py``). Contributors outside its
membership feel its strategic direction (``steer``, a sponsor-like priority); those it does not
fund feel nothing else but what its progress and contacts do to them. Its members and grantees
practise its ways of working while it runs and adopt them (``mechanisms/mainstreaming.py``)
through contact and secondments, faster with a ``succession`` plan; after ``end`` the gains decay
toward silo, more slowly where the methods were mainstreamed (002 ¶14, ¶24; stylized fact 13).

Mechanics: adds an agency of kind ``central_unit`` with no budget of its own; members pool
``pooled_share`` of their discretionary budgets into its pot for the outcome; the outcome becomes a
shared target of every member (``target_weight``); ``staff`` secondees from the members are posted
to the unit, where they meet each other — so the unit grows ties between all its members — and
work wholly on the outcome. Nothing here writes an outcome: it changes money, credit and posts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, RunGroup, register
from jusim.interventions.pooled_budget import (
    check_grants,
    grant,
    grant_index,
    grant_runs,
    pool,
    pool_runs,
)
from jusim.interventions.secondees import capacity_problems, choose_staff, focus_each, focus_effort
from jusim.interventions.shared_targets import share_target, share_target_runs
from jusim.scenario import NAME


@register
class CentralUnit(OutcomePartnership):
    name = "central_unit"
    summary = "A dedicated central unit: pooled budget, shared target and secondees from members."
    evidence = "002_5677c7bae92002df.txt ¶4, ¶7, ¶9–10, ¶14, ¶18, Fig 4–5"
    explanation = (
        "A small unit at the centre (like the Rough Sleepers Unit) holds money pooled from the "
        "departments, owns a target that every member shares, and is staffed by secondees, who "
        "knit the members' staff together. The RSU case: rough sleeping fell 62% in three years."
    )

    unit: str = Field("central_unit", pattern=NAME, max_length=64, description="the unit's name")
    pooled_share: float = Field(0.15, ge=0, le=1, description="share of members' budgets pooled")
    target_weight: float = Field(1.0, ge=0, le=5, description="weight of the shared target")
    staff: int = Field(12, ge=0, le=100_000, description="secondees staffing the unit")
    focus: float = Field(3.0, ge=0, le=50, description="value of a focused month, in staff costs")
    grants: list[str] | None = Field(
        None,
        description="partners funded from the pot without pooling (a grant carries its terms)",
    )
    steer: float = Field(
        0.5,
        ge=0,
        le=5,
        description="priority the unit's direction signals to contributors outside its "
        "membership, in sponsor units (assumption: exhortation without money, 002 ¶9, ¶14; 0–1)",
    )

    def new_agencies(self, scenario) -> list:
        from jusim.scenario import AgencySpec

        return [
            AgencySpec(
                name=self.unit,
                kind="central_unit",
                staff=0,
                budget=0.0,
                discretionary_share=0.0,
                own_target=0.0,
                churn=0.0,
            )
        ]

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        problems = super().check(scenario)
        if self.unit in scenario.agency_names:
            problems.append(("unit", self.unit, "a name not already used by an agency"))
        if not problems:
            senders = [a for a in self.member_names(scenario) if a != self.unit]
            problems += capacity_problems(scenario, senders, self.staff, "staff")
        return problems + check_grants(scenario, self.grants or [])

    def member_index(self, model) -> np.ndarray:
        members = super().member_index(model)
        return members[members != model.world.agency_index[self.unit]]

    def setup(self, model) -> dict[str, Any]:
        return {"slots": None}

    def post(self, model, state: dict[str, Any]) -> None:
        """The secondees posted to the unit at ``start`` and home again at ``end``."""
        if model.month == self.start and state["slots"] is None:
            state["slots"] = choose_staff(model, self.member_index(model), self.staff)
            model.roster.post[state["slots"]] = model.world.agency_index[self.unit]
        if state["slots"] is not None and self.end is not None and model.month == self.end:
            model.roster.post[state["slots"]] = model.roster.home[state["slots"]]

    def apply(self, model, state: dict[str, Any]) -> None:
        unit = model.world.agency_index[self.unit]
        self.post(model, state)
        if not self.active(model.month):
            return
        o = model.world.outcome_index[self.outcome]
        members = self.member_index(model)
        pool(model, o, members, self.pooled_share)
        share_target(model, o, members, self.target_weight)
        grantees = grant_index(model, self.grants or [])
        grant(model, o, grantees, self.target_weight)
        practising = np.concatenate([members, grantees, [unit]])
        model.rules.practice[o, practising] = np.maximum(model.rules.practice[o, practising], 1.0)
        steered = model.world.involved[o].copy()  # contributors the unit does not house
        steered[members] = False
        model.rules.sponsor[o, steered] = np.maximum(model.rules.sponsor[o, steered], self.steer)
        if state["slots"] is not None:
            focus_effort(model, o, state["slots"], self.focus)

    def apply_runs(self, group: RunGroup, states: list[dict[str, Any]]) -> None:
        if group.month in (self.start, self.end):
            for model, state in zip(group.models, states, strict=True):
                self.post(model, state)
        if not self.active(group.month):
            return
        first = group.models[0]
        unit = first.world.agency_index[self.unit]
        o = first.world.outcome_index[self.outcome]
        members, who = self.members_of(group)
        pool_runs(group, o, members, who, self.pooled_share)
        share_target_runs(group, o, members, who, self.target_weight)
        grantees = grant_index(first, self.grants or [])
        grant_runs(group, o, grantees, self.target_weight)
        practising = who.copy()
        practising[:, grantees] = True
        practising[:, unit] = True
        group.raise_to("practice", o, practising, 1.0)
        steered = group.once(
            (id(self), "steered"), lambda: np.stack([m.world.involved[o] for m in group.models])
        )
        group.raise_to("sponsor", o, steered & ~who, self.steer)
        focus_each(group, o, [s["slots"] for s in states], self.focus)
