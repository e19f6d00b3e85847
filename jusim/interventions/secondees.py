"""Secondees: staff placed in a partner agency for a fixed term.

Evidence: secondees are time-limited and so very focused, and are neither familiar with nor
constrained by departmental structure (000_babc907a3220f36e.txt "Structural Challenges"); they act
as boundary-spanners (001_04a1019f119c8ec4.txt ¶21, ¶23; 003_741bbb3ed11f1208.txt "Collaboration
and control"); staff who move keep "friendly contacts" in unfamiliar areas (001 ¶79).

Mechanics: at ``start``, ``count`` staff are chosen at random (round-robin over the sending
agencies) and posted to ``host`` for ``term`` months. While posted they meet the host's staff
(ties form by posting; see ``mechanisms/ties.py``) and their time goes wholly to the outcome, in
their home agency's role: the home agency pays their salary (``context.staff_cost``), and their
focused time counts as ``focus`` times that much input. On return their ties remain and
decay without contact. If a secondee leaves, the successor takes up the seconded post.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import Field

from jusim.interventions.base import OutcomePartnership, RunGroup, register


def choose_staff(model, senders: np.ndarray, count: int) -> np.ndarray:
    """Pick ``count`` staff not already posted, round-robin over ``senders``, at random; a sender
    with too few staff sends all it has and the others make up the rest (``check`` refuses more
    than the senders employ, see ``capacity_problems``)."""
    roster, rng = model.roster, model.streams["events"]
    if len(senders) == 0 or count == 0:
        return np.empty(0, np.int64)
    pools = [np.flatnonzero((roster.home == s) & (roster.post == roster.home)) for s in senders]
    room = np.array([p.size for p in pools], dtype=np.int64)
    per = np.zeros(len(senders), dtype=np.int64)
    left = count
    while left > 0 and (open_ := np.flatnonzero(per < room)).size:
        share = np.bincount(np.arange(left) % open_.size, minlength=open_.size)
        add = np.minimum(share, room[open_] - per[open_])
        per[open_] += add
        left -= int(add.sum())
    chosen = [rng.choice(p, size=n, replace=False) for p, n in zip(pools, per, strict=True) if n]
    return np.concatenate(chosen) if chosen else np.empty(0, np.int64)


def capacity_problems(scenario, senders: list[str], count: int, field: str) -> list:
    """``count`` staff asked of ``senders`` (agency names) that employ fewer: refused rather than
    quietly capped."""
    staff = {a.name: a.staff for a in scenario.agencies}
    available = sum(staff.get(n, 0) for n in senders)
    if count <= available:
        return []
    who = ", ".join(senders) or "none"
    return [(field, count, f"at most {available:,}, the staff of the sending agencies ({who})")]


def focus_effort(model, o: int, slots: np.ndarray, focus: float) -> None:
    """Charge the posted staff's salaries to outcome ``o`` (home agencies pay), and count their
    focused time as ``focus`` times that much input, in their home agencies' roles."""
    homes = model.roster.home[slots]
    salaries = (
        np.bincount(homes, minlength=model.world.n_agencies) * model.scenario.context.staff_cost
    )
    model.rules.focused[o] += salaries
    model.rules.focused_input[o] += salaries * focus


def focus_runs(group: RunGroup, o: int, slots: list[np.ndarray], focus: float) -> None:
    """``focus_effort`` of every run of ``group`` (``slots``: each run's posted staff), the
    salaries counted in one call (each run's homes offset by its row)."""
    a = group.models[0].world.n_agencies
    homes = [
        model.roster.home[s] + g * a
        for g, (model, s) in enumerate(zip(group.models, slots, strict=True))
    ]
    counts = np.bincount(np.concatenate(homes), minlength=len(homes) * a).reshape(len(homes), a)
    staff_cost = group.once(  # (each run's scenario: fixed)
        "staff cost", lambda: np.array([m.scenario.context.staff_cost for m in group.models])
    )
    salaries = counts * staff_cost[:, None]
    group.add_to("focused", o, salaries)
    group.add_to("focused_input", o, salaries * focus)


def focus_each(group: RunGroup, o: int, slots: list[np.ndarray | None], focus: float) -> None:
    """``focus_effort`` of the runs of ``group`` that have posted staff (``slots`` not None):
    all at once when every run has them, otherwise run by run."""
    if all(s is not None for s in slots):
        focus_runs(group, o, slots, focus)  # type: ignore[arg-type]
        return
    for model, s in zip(group.models, slots, strict=True):
        if s is not None:
            focus_effort(model, o, s, focus)


@register
class Secondees(OutcomePartnership):
    name = "secondees"
    summary = "Staff placed in a partner agency for a fixed term: bridging ties and focused effort."
    evidence = (
        "000_babc907a3220f36e.txt 'Structural Challenges'; 001_04a1019f119c8ec4.txt ¶21, ¶23, ¶79"
    )
    explanation = (
        "Officials move to a partner for a fixed term. They get to know its people, and those "
        "relationships outlast the posting; while there they work only on the shared outcome."
    )

    members: list[str] | None = Field(
        None, description="home agencies the staff come from (default: every contributor)"
    )
    host: str = Field(description="agency the secondees are posted to")
    count: int = Field(6, ge=0, le=100_000, description="number of secondees")
    term: int = Field(24, ge=1, le=1200, description="months each posting lasts")
    focus: float = Field(3.0, ge=0, le=50, description="value of a focused month, in staff costs")

    def check(self, scenario) -> list[tuple[str, Any, str]]:
        problems = super().check(scenario)
        names = scenario.agency_names
        if self.host not in names:
            problems.append(("host", self.host, f"an agency of this scenario: {names}"))
        if not problems:
            senders = [a for a in self.member_names(scenario) if a != self.host]
            problems += capacity_problems(scenario, senders, self.count, "count")
        return problems

    def senders(self, model) -> np.ndarray:
        host = model.world.agency_index[self.host]
        members = self.member_index(model)
        return members[members != host]

    def setup(self, model) -> dict[str, Any]:
        return {"slots": None}

    def apply(self, model, state: dict[str, Any]) -> None:
        month, end = model.month, self.start + self.term
        if self.end is not None:
            end = min(end, self.end)
        if month == self.start and state["slots"] is None:
            state["slots"] = choose_staff(model, self.senders(model), self.count)
            model.roster.post[state["slots"]] = model.world.agency_index[self.host]
        slots = state["slots"]
        if slots is None or slots.size == 0:
            return
        if month == end:
            model.roster.post[slots] = model.roster.home[slots]
        if self.start <= month < end:
            focus_effort(model, model.world.outcome_index[self.outcome], slots, self.focus)

    def apply_runs(self, group: RunGroup, states: list[dict[str, Any]]) -> None:
        month, end = group.month, self.start + self.term
        if self.end is not None:
            end = min(end, self.end)
        if month == self.start or month == end:  # postings start or end: run by run
            for model, state in zip(group.models, states, strict=True):
                self.apply(model, state)
            return
        if self.start <= month < end:
            slots = [
                s["slots"] if s["slots"] is not None and s["slots"].size else None for s in states
            ]
            o = group.models[0].world.outcome_index[self.outcome]
            focus_each(group, o, slots, self.focus)
