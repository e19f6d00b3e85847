"""Funding from a pot: the pot pays for the work of the partners it funds, and grants carry terms.

Evidence: the Rough Sleepers Unit found it hard to influence local authorities and NHS Trusts to
treat rough sleepers as a priority "when it is not providing direct funding"
(002_5677c7bae92002df.txt ¶9); extra funds and freedom over spending raise willingness to join
(002 ¶24, Annex); funded bodies answer to the funder for the money, with reporting and evaluation
(002 ¶20–22). So a pot's leverage runs through the money itself and the terms attached to it, not
through the role a partner has.

- A pot for an outcome (the pooled contributions of its members) is spent on the work of the
  *funded* agencies — the members who pool, plus any named grantees — in proportion to their role
  weights in the outcome. Contributors it does not fund get nothing from it and act only on their
  own budgets. (If none of the funded agencies has a role in the outcome, the pot is spent across
  all contributors by role, so money is never silently lost.) Pooled money is the pot's, not the
  member's to decide: it is taken off the member's discretionary budget and spent here.
- **Money that flows to the margin.** A saving or an unplanned bill (a shared platform's saving
  and its migration cost, ``platforms.py``; others' shifted cases billed to the payer,
  ``spillover.py``; charges and grants) changes the money an agency *decides about*: core
  (statutory) services are fixed commitments within the year, so the discretionary budget absorbs
  ``margin_share`` of the shock and core business the rest (``margin``). The saving of a shared
  platform "lands in the members' budgets, the cost in the host's" (003 "Better together");
  what reaches the decision rule is the margin, so that is where it lands. A bill beyond the
  margin comes out of core, a saving beyond core's share stays in the margin.
- A grant comes with terms: the grantee answers to the funder for the outcome, so the funder's
  target carries ``grant_conditions`` times its weight in the grantee's accountability (the same
  credit channel as a shared target; see ``interventions/pooled_budget.grant``).
- ``untied_share`` of every pot is spent across all contributors by role, funded or not (1 gives
  the old rule in which leverage does not follow money; it is the control for stylized fact 10).

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| grant_conditions | ratio | 1.0 | 0–5 | weight of the funder's target carried by a grant, relative to the target's own weight (assumption: grants are conditional on the funded outcome, 002 ¶20–22; plausible 0.5–1) |
| untied_share | share | 0.0 | 0–1 | share of a pot spent on every contributor's role whether funded or not (assumption: a ring-fenced pot reaches only those it pays, 002 ¶9; plausible 0–0.2 for spill-over through commissioning) |
| margin_share | share | 1.0 | 0–1 | share of a saving or an unplanned bill that lands in the discretionary budget, the rest in core business (assumption: statutory core services are fixed commitments within the year, so the margin absorbs shocks; plausible 0.6–1; 0 is the control: no shock reaches the money the decision rule splits) |
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.params import Params


class FundingParams(Params):
    grant_conditions: float = Field(
        1.0,
        ge=0,
        le=5,
        description="weight of the funder's target carried by a grant, relative to the target "
        "(assumption: grants are conditional on the outcome, 002 ¶20–22; plausible 0.5–1)",
    )
    untied_share: float = Field(
        0.0,
        ge=0,
        le=1,
        description="share of a pot spent on every contributor's role, funded or not "
        "(assumption: a ring-fenced pot reaches only those it pays, 002 ¶9; plausible 0–0.2)",
    )
    margin_share: float = Field(
        1.0,
        ge=0,
        le=1,
        description="share of a saving or an unplanned bill that lands in the discretionary "
        "budget, the rest in core business (assumption: statutory core is a fixed commitment "
        "within the year; plausible 0.6–1; 0: no shock reaches the money decided about)",
    )


def margin(
    budget: np.ndarray, share: np.ndarray, shock: np.ndarray, params: FundingParams
) -> tuple[np.ndarray, np.ndarray]:
    """This month's total budget and discretionary budget (£k, any shape) after a ``shock``
    (savings less bills) to a planned ``budget`` whose discretionary ``share`` is planned:
    ``margin_share`` of the shock moves the discretionary budget, the rest core business; each
    stays within ``[0, total]`` (a bill beyond one part comes out of the other)."""
    total = np.maximum(budget + shock, 0.0)
    disc = share * budget + params.margin_share * shock
    return total, np.clip(disc, 0.0, total)


def pot_spending(
    pot: np.ndarray, funded: np.ndarray, roles: np.ndarray, params: FundingParams
) -> np.ndarray:
    """(O, A) input each agency's role receives from each outcome's pot (£k/month).

    pot: (O,) money in each outcome's pot this month. funded: (O, A) bool, agencies the pot pays.
    roles: (O, A) role weights (0 where the agency has no role). Leading axes (runs) are allowed:
    pot (..., O), funded and roles (..., O, A) give (..., O, A) (a run with no pooled money gets
    exact zeros, as alone).
    """
    if not pot.any():  # no pooled money this month: every role receives nothing
        return np.zeros(np.broadcast(pot[..., None], funded, roles).shape)
    everyone = roles / np.maximum(roles.sum(axis=-1, keepdims=True), 1e-12)
    paid = np.where(funded, roles, 0.0)
    total = paid.sum(axis=-1, keepdims=True)
    tied = np.where(total > 0, paid / np.where(total > 0, total, 1.0), everyone)
    share = params.untied_share * everyone + (1.0 - params.untied_share) * tied
    return pot[..., None] * share
