"""Accountability and attribution: the credit an agency expects from each use of its resources.

Evidence: funding tied to a department's own remit reduces its contribution to cross-cutting
programmes (002_5677c7bae92002df.txt ¶2); the attribution problem — resources invested elsewhere
benefit other departments and success is hard to claim (003_741bbb3ed11f1208.txt "Better
together"); managers are judged on their narrow field, so joining up is personally risky
(004_405daa82f731071c.txt Ch2 §7); shared targets raise coordination (002 ¶10, fn3); senior and
ministerial backing signals priority and acts as an incentive (000_babc907a3220f36e.txt "Shared
policy objectives"; 002 ¶24). Formally the multitask credit of Dietrichson 2013 and the
public-goods payoff of Sigmund et al. 2010 (modelling-anchors.md, eq. M1).

- own business: ``pressure * (own_weight + gap_weight * shortfall)`` where ``shortfall`` is how far
  the agency fell short of its own target last month (crises narrow focus: 004 Ch2 §7);
- each cross-cutting outcome: ``intrinsic / n`` (public-service motivation, diluted among the n
  agencies that share the credit) ``+ pressure * shared_target + sponsor_weight * sponsor``.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| own_weight | credit | 1.0 | 0–10 | value of own-target work at full accountability pressure |
| gap_weight | credit per unit shortfall | 2.0 | 0–20 | extra value when own targets are being missed |
| intrinsic | credit | 1.0 | 0–10 | public-service value of an outcome, shared among contributors |
| sponsor_weight | credit | 0.8 | 0–10 | value added by a senior or ministerial sponsor |
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.mechanisms.contact import remembered
from jusim.params import Params


class AccountabilityParams(Params):
    own_weight: float = Field(1.0, ge=0, le=10, description="credit for own-target work")
    gap_weight: float = Field(2.0, ge=0, le=20, description="extra credit per unit own shortfall")
    intrinsic: float = Field(1.0, ge=0, le=10, description="shared public value of an outcome")
    sponsor_weight: float = Field(0.8, ge=0, le=10, description="credit added by a sponsor")


def credit(
    pressure: np.ndarray,
    own_attainment: np.ndarray,
    involved: np.ndarray,
    shared_target: np.ndarray,
    sponsor: np.ndarray,
    params: AccountabilityParams,
) -> tuple[np.ndarray, np.ndarray]:
    """Expected credit for own work (A,) and for each outcome (O, A).

    ``sponsor`` is the sponsor priority per outcome (O,), or per outcome and agency (O, A).
    Over R runs every argument may carry a leading run axis ((R, A), (R, O, A); ``sponsor`` then
    (R, O, A)), and the credits are (R, A) and (R, O, A).
    """
    shortfall = (1.0 - own_attainment).clip(0.0, 1.0)
    own = pressure * (params.own_weight + params.gap_weight * shortfall)
    n = remembered(involved, _sharers)
    if sponsor.ndim == 1:  # (O,): the same for all agencies
        sponsor = sponsor[:, None]
    joint = (
        params.intrinsic / n
        + pressure[..., None, :] * shared_target
        + params.sponsor_weight * sponsor
    )
    return own, np.where(involved, joint, 0.0)


def _sharers(involved: np.ndarray) -> np.ndarray:
    """(O, 1) agencies sharing the credit for each outcome (at least one: a divisor); the roles
    of a world do not change during a run, so computed once (``contact.remembered``)."""
    return np.maximum(involved.sum(axis=-1, keepdims=True), 1)
