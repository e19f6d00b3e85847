"""Public scrutiny: the risk of a visible failure weighs on whether agencies start partnerships.

Evidence: central departments "retain ultimate accountability for the success or failure of their
operations"; their failures "play out in the public arena"; "we're not allowed to fail", so a
department needs "to know it's going to work" before it hands over anything, and "it's safer to
maintain the status quo ante" than risk resources on projects that could go wrong; scrutiny is
"greater than ever" for new, joined-up approaches (003_741bbb3ed11f1208.txt "Collaboration and
control"; evidence-catalogue M43, T7). Accountability "degenerated into an attitude of 'gotcha'
when things go wrong" and zero tolerance of failure discourages experiment
(004_405daa82f731071c.txt Ch2 §5, §7).

Two parts, both working on agencies' own partnerships (those ``form_and_leave`` starts; a
partnership an intervention convenes is the intervention's business):

- **Failure, from the model's own state.** Every month each own partnership that has finished
  setting up is judged on what it delivers against what it costs its members: it is *failing*
  when the credit its members put on its outcome times the value it adds (the part of its gain no
  other partnership on the outcome provides) falls short of ``partnership.cost_weight`` times the
  share of their discretionary budgets its seats, consultation and lost front-line time cost them
  this month — the same terms in which they agreed to join it. Nothing decides failure at random:
  partnerships fail because fewer invitees joined than were counted on, because others on the same
  outcome overlap with them, or because their relevance drifts. The record (``Record``) keeps,
  for each partnership, whether it has been judged, whether it has ever failed, how many months
  it has been failing in a row, and the money spent on it.
- **The expected reputational cost of joining.** Agencies weigh the chance that a new partnership
  fails by the record so far (failed among those judged, with a prior of ``prior_failure`` worth
  ``prior_weight`` partnerships), times the chance a failure becomes public (``visibility``), times
  the credit an agency loses for a public failure it took part in (``penalty``), less any share of
  the penalty waived by a negotiated dispensation (``Rules.dispensation``, set by the
  ``consensus_to_operate`` intervention). ``form_and_leave`` subtracts this cost from the benefit
  an invitee expects, so fewer proposals find the two partners needed to start.

A failing partnership is noticed and wound up after ``Rules.detection`` months of failing in a
row (infinite, i.e. never, unless an intervention provides early detection); otherwise it lives on
for as long as its members keep their seats.

With ``visibility`` 0 (the default) the expected cost is zero and no result moves.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| visibility | chance | 0 | 0–1 | chance a partnership's failure plays out in public |
| penalty | credit | 0.1 | 0–10 | credit an agency loses per public failure it took part in |
| prior_failure | chance | 0.3 | 0–1 | chance a new partnership fails, before any are judged |
| prior_weight | partnerships | 5 | 0–100 | weight of that prior against the record |
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import Field

from jusim.params import Params


class ScrutinyParams(Params):
    visibility: float = Field(
        0.0,
        ge=0,
        le=1,
        description="chance a failed partnership's failure plays out in public (press, audit, "
        "Parliament; 003 'Collaboration and control': failures 'play out in the public arena'). "
        "0 (default) = failures unseen, no effect; assumption 0.3–0.9 for central government, "
        "lower for local bodies",
    )
    penalty: float = Field(
        0.1,
        ge=0,
        le=10,
        description="credit an agency loses for a public failure of a partnership it took part "
        "in, in the units of the credit it puts on its whole discretionary budget ('we're not "
        "allowed to fail', 003; 'gotcha', 004 Ch2 §5). Invitees' margins over a seat's cost are "
        "0.01–0.04 credit in the default world, so 0.1 at visibility 0.8 deters about half the "
        "starts: assumption 0.02–0.5; 0 switches the mechanism off",
    )
    prior_failure: float = Field(
        0.3,
        ge=0,
        le=1,
        description="chance agencies expect a new partnership to fail before any partnership has "
        "been judged (sources give no rate; assumption 0.1–0.5)",
    )
    prior_weight: float = Field(
        5.0,
        ge=0,
        le=100,
        description="how many judged partnerships the prior is worth against the record of "
        "failures agencies have seen (assumption 1–20)",
    )


def _grow(a: np.ndarray, n: int) -> np.ndarray:
    return np.concatenate([a, np.zeros(n - a.size, a.dtype)]) if a.size < n else a


@dataclass
class Record:
    """The record of agencies' own partnerships, as arrays over partnerships (P)."""

    judged: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # ever delivering
    failed: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # ever failing
    failing: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # months in a row
    detected: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # wound up as failed
    spent: np.ndarray = field(default_factory=lambda: np.zeros(0))  # £k over its life
    wasted: np.ndarray = field(default_factory=lambda: np.zeros(0))  # £k while failing

    def grow(self, n: int) -> None:
        self.judged, self.failed = _grow(self.judged, n), _grow(self.failed, n)
        self.failing, self.detected = _grow(self.failing, n), _grow(self.detected, n)
        self.spent, self.wasted = _grow(self.spent, n), _grow(self.wasted, n)

    def failure_chance(self, params: ScrutinyParams) -> float:
        """Expected chance a new partnership fails: the record, shrunk toward the prior."""
        return float(_chance(float(self.judged.sum()), float(self.failed.sum()), params))

    def lost(self) -> float:
        """£k spent on own partnerships in the months they were failing (money that bought less
        than it cost its members)."""
        return float(self.wasted.sum())


def _chance(judged: Any, failed: Any, params: ScrutinyParams) -> Any:
    """Failures among judged partnerships shrunk toward the prior (numbers or arrays over runs)."""
    w, prior = params.prior_weight, params.prior_failure
    weight = judged + w
    none = weight <= 0  # nothing judged and no prior weight: the prior alone
    return np.where(none, prior, (failed + w * prior) / np.where(none, 1.0, weight))


_FIELDS = ("judged", "failed", "failing", "detected", "spent", "wasted")


def judge(
    record: Record | Sequence[Record],
    pt: Any,
    credit: np.ndarray,
    cost_share: np.ndarray,
    detection: np.ndarray,
    cost_weight: Any,
) -> None:
    """This month's judgement of agencies' own partnerships, after they have delivered.

    record: the run's ``Record``; pt: the run's ``Partnerships`` (this month's ``value`` and
    ``cost``); credit: (O, A) the credit each agency puts on each outcome; cost_share: (P, A) what
    each seat cost its member this month as a share of its discretionary budget; detection: (O,)
    months of failing in a row after which a failing partnership is noticed and wound up
    (``inf``: never).

    Over a run axis: ``record`` is the runs' records (one per run), ``pt`` their
    ``partnership.Board``, credit (R, O, A), cost_share (R, P, A) padded as the board's blocks,
    detection (R, O) and ``cost_weight`` a number or one per run. Every run is judged in one
    call on the board's padded blocks (elementwise, and sums over agencies along the last axis:
    each run's bits as alone); a run that has formed no partnership is left as it is. A run
    alone takes its own arrays (no blocks to gather: the cheaper path for R = 1).
    """
    if not isinstance(record, Record):
        _judge(list(record), pt, credit, cost_share, detection, cost_weight)
        return
    record.grow(pt.count)
    if pt.count == 0:
        return
    record.spent += pt.cost
    own = ~pt.by_intervention
    delivering = pt.live & own & (pt.age >= pt.setup)
    seated = pt.members & delivering[:, None]
    benefit = (credit[pt.outcome] * pt.value[:, None] * seated).sum(axis=1)
    cost = cost_weight * (cost_share * seated).sum(axis=1)
    failing = delivering & (benefit < cost)
    record.judged |= delivering
    record.failed |= failing
    record.failing = np.where(failing, record.failing + 1, 0)
    record.wasted += np.where(failing, pt.cost, 0.0)
    caught = failing & (record.failing >= detection[pt.outcome])
    if caught.any():
        record.detected |= caught
        pt.wind_up(caught)


def _judge(
    records: list[Record],
    board: Any,
    credit: np.ndarray,
    cost_share: np.ndarray,
    detection: np.ndarray,
    cost_weight: Any,
) -> None:
    if board.empty:
        return
    cost = board.block("cost")
    own = ~board.block("by_intervention")
    delivering = board.block("live") & own & (board.block("age") >= board.block("setup"))
    if not delivering.any():
        _spend(records, board.sizes, cost)
        return
    gathered = {name: board.gather([getattr(r, name) for r in records]) for name in _FIELDS}
    outcome, value = board.block("outcome"), board.block("value")
    seated = board.block("members") & delivering[..., None]
    runs = np.arange(outcome.shape[0])[:, None]
    benefit = (credit[runs, outcome] * value[..., None] * seated).sum(axis=-1)
    lost = cost_weight * (cost_share * seated).sum(axis=-1)
    failing = delivering & (benefit < lost)
    failing_for = np.where(failing, gathered["failing"] + 1, 0)
    caught = failing & (failing_for >= detection[runs, outcome])
    new = {
        "judged": gathered["judged"] | delivering,
        "failed": gathered["failed"] | failing,
        "failing": failing_for,
        "detected": gathered["detected"] | caught,
        "spent": gathered["spent"] + cost,
        "wasted": gathered["wasted"] + np.where(failing, cost, 0.0),
    }
    for r, (rec, size) in enumerate(zip(records, board.sizes, strict=True)):
        if not size:  # (none formed: nothing to judge, as a run alone skips it)
            continue
        for name in _FIELDS:
            setattr(rec, name, new[name][r, :size])
    for r in np.flatnonzero(caught.any(axis=-1)).tolist():
        board.pts[r].wind_up(caught[r, : board.sizes[r]])


def _spend(records: list[Record], sizes: list[int], cost: np.ndarray) -> None:
    """``_judge`` of runs none of whose own partnerships is delivering (those an intervention
    convenes, the shipped scenarios' only ones): nothing is judged, failing or caught, so each
    run's record only grows to its partnerships, adds this month's cost to ``spent`` and counts
    no month of failing; ``wasted`` adds nothing (a zero, the same bits). Without the gathering
    and scattering of every field, which cost as much as the rest of the partnerships' month."""
    for r, (rec, size) in enumerate(zip(records, sizes, strict=True)):
        if not size:  # (none formed: nothing to judge, as a run alone skips it)
            continue
        if rec.spent.size != size:
            rec.grow(size)
        rec.spent = rec.spent + cost[r, :size]
        if rec.failing.any():
            rec.failing = np.zeros(size, np.int64)


def expected_cost(
    record: Record | Sequence[Record], dispensation: np.ndarray, params: ScrutinyParams
) -> np.ndarray:
    """(O, A) credit an agency expects to lose by joining a new partnership on each outcome:
    ``visibility * penalty * chance of failure * (1 - dispensation)``.

    Over a run axis: ``record`` is the runs' records (one per run), ``dispensation`` (R, O, A)
    and ``params`` may hold one value per run; the result is (R, O, A)."""
    seen = (params.visibility > 0) & (params.penalty > 0)
    if np.ndim(seen) == 0 and not seen:  # failures unseen in every run (the default)
        return np.zeros(np.shape(dispensation))
    records = [record] if isinstance(record, Record) else record
    chance = _chance(
        np.array([np.count_nonzero(r.judged) for r in records], dtype=float),
        np.array([np.count_nonzero(r.failed) for r in records], dtype=float),
        params,
    )
    if isinstance(record, Record):
        chance = chance[0]
    else:
        chance = chance.reshape(chance.shape + (1,) * (np.ndim(dispensation) - 1))
    risk = params.visibility * params.penalty * chance
    return np.where(seen, risk * (1.0 - dispensation), 0.0)
