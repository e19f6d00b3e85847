"""Mainstreaming: partners adopt a central unit's ways of working, and keep them after it ends.

Evidence: central units promote new methods of joint working, and "their long term success will
depend on how well the new methods of working which they are promoting are accepted by departments
and local agencies and become an integral part of their normal day to day working"
(002_5677c7bae92002df.txt ¶14); a finite-life initiative needs an exit strategy so that its
outcome is sustained — the Rough Sleepers Unit planned "a succession strategy" for when it is
wound up (002 ¶24); secondees and contact carry ways of working across boundaries
(000_babc907a3220f36e.txt "Structural Challenges"; 001_04a1019f119c8ec4.txt ¶79); leavers take
know-how with them (001 ¶79–80).

State ``m[o, a]`` in [0, 1]: the share of the unit's ways of working on outcome ``o`` that agency
``a`` has adopted. While a unit practises them (``Rules.practice``, set by ``central_unit`` for the
unit, its members and grantees), a practising agency adopts them at a monthly rate

``rate = practice * (adoption * c / (c + contact_ref) + secondment * n / (n + secondee_ref))
+ succession``

where ``c`` is its contact this month with the other practising agencies (meetings, joint work,
postings), ``n`` the number of its staff posted to them (secondees), and ``succession`` the rate a
succession plan adds (``Rules.succession``, only while some agency still practises them):
``m += rate * (1 - m)``. Adopted practice erodes as staff leave: ``m -= forgetting * hazard * m``.

What it changes, after the unit ends:

- **Priority.** A mainstreamed outcome stays in the agency's own business: it carries
  ``credit * m`` in the agency's accountability (the same channel as a shared target; the larger of
  the two applies), so joint effort, and with it trust, contact and experience, decays more slowly.
- **Methods.** The ways of working themselves — integrated assessment, outreach with the other
  services, one plan per client — are what the unit's partnership added to each pound (its
  integration gain, ``mechanisms/partnering.py``). Agencies that have adopted them keep working
  that way without the unit: the outcome keeps ``methods * m_bar * G`` of integration gain, where
  ``G`` is the gain its partnerships delivered in the last month a unit practised there and
  ``m_bar`` the contributors' adopted share weighted by their roles. While the unit runs, the
  partnership's own gain is at least this, so nothing is counted twice; without adoption nothing is
  kept. The two together make the gains decay more slowly after wind-up where partners have
  mainstreamed the methods (stylized fact 13); both are switched off by ``credit = 0`` and
  ``methods = 0``.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| adoption | share / month | 0.01 | 0–1 | adoption rate at saturating contact with the unit's practice (assumption 0.005–0.03: slow without a plan; a two-year culture-change programme, 001 ¶26) |
| contact_ref | contact | 0.5 | >0 | contact giving half the contact effect (as in trust and understanding) |
| secondment | share / month | 0.01 | 0–1 | adoption rate from many of one's staff seconded to the unit (assumption, 0–0.03) |
| secondee_ref | staff | 3 | >0 | secondees giving half the secondment effect (assumption, 1–10) |
| credit | weight | 1.0 | 0–5 | accountability weight of a fully mainstreamed outcome, like a shared target of that weight (assumption: "integral part of normal day to day working", 002 ¶14; 0.5–1) |
| forgetting | share | 0.5 | 0–1 | share of adopted practice a leaver's departure erodes, per unit of churn hazard (assumption: practice is partly institutional, 001 ¶79; 0.2–1) |
| methods | share | 0.7 | 0–1 | share of the unit's integration gain that fully adopted methods keep without it (assumption 0.3–1: the methods, not the unit's money or standing, carry the integration, 002 ¶14) |
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.params import Params


class MainstreamingParams(Params):
    adoption: float = Field(
        0.01,
        ge=0,
        le=1,
        description="monthly adoption at saturating contact (assumption 0.005–0.03)",
    )
    contact_ref: float = Field(0.5, gt=0, le=100, description="contact giving half the effect")
    secondment: float = Field(
        0.01, ge=0, le=1, description="monthly adoption from secondees (assumption 0–0.03)"
    )
    secondee_ref: float = Field(
        3.0, gt=0, le=1000, description="secondees giving half that effect (assumption 1–10)"
    )
    credit: float = Field(
        1.0,
        ge=0,
        le=5,
        description="accountability weight of a fully mainstreamed outcome (assumption 0.5–1; "
        "0 switches off its effect on behaviour)",
    )
    forgetting: float = Field(
        0.5, ge=0, le=1, description="erosion of adopted practice per unit churn (0.2–1)"
    )
    methods: float = Field(
        0.7,
        ge=0,
        le=1,
        description="share of a unit's integration gain that fully adopted methods keep after it "
        "ends (assumption 0.3–1, 002 ¶14; 0 switches the methods channel off)",
    )


def adopt(
    mainstreamed: np.ndarray,
    practice: np.ndarray,
    succession: np.ndarray,
    contact: np.ndarray,
    postings: np.ndarray,
    hazard: np.ndarray,
    params: MainstreamingParams,
) -> np.ndarray:
    """Next month's adopted share (O, A), in [0, 1].

    practice: (O, A) exposure weight, > 0 for agencies practising the unit's ways this month.
    succession: (O, A) extra monthly adoption from a succession plan.
    contact: (A, A) contact this month. postings: (A, A) staff of row agency posted to column.
    hazard: (A,) monthly leaving hazard.
    Every array may carry leading run axes ((R, O, A), (R, A, A), (R, A)).
    """
    if not mainstreamed.any() and not (practice > 0).any():  # nothing to adopt, nothing to lose
        return np.zeros(mainstreamed.shape)
    # the same, run by run when runs are stacked along leading axes
    idle = ~(mainstreamed.any(axis=(-2, -1)) | (practice > 0).any(axis=(-2, -1)))
    practising = (practice > 0).astype(np.float64)
    c = practising @ contact  # [o, a]: contact of a with practising agencies (zero diagonal)
    n = practising @ postings.swapaxes(-1, -2)  # [o, a]: a's staff posted to practising ones
    exposure = params.adoption * c / (c + params.contact_ref) + params.secondment * n / (
        n + params.secondee_ref
    )
    plan = np.where(practising.any(axis=-1, keepdims=True), succession, 0.0)
    rate = (practice * exposure + plan).clip(0.0, 1.0)
    nxt = mainstreamed + rate * (1.0 - mainstreamed)
    nxt -= params.forgetting * hazard[..., None, :] * nxt
    nxt = nxt.clip(0.0, 1.0)
    return np.where(idle[..., None, None], 0.0, nxt) if idle.any() else nxt


def carried_target(
    shared_target: np.ndarray, mainstreamed: np.ndarray, params: MainstreamingParams
) -> np.ndarray:
    """(O, A) weight of each outcome in each agency's accountability, mainstreamed practice
    included: the larger of the shared target and ``credit * m``."""
    return np.maximum(shared_target, params.credit * mainstreamed)


def familiarity(
    experience: np.ndarray, mainstreamed: np.ndarray, params: MainstreamingParams
) -> np.ndarray:
    """(O, A) familiarity with joint work on each outcome: experience, or adopted practice where
    that is larger (routine methods are not novel work), when the mechanism is on (``credit > 0``).
    Over R runs, (R, O, A), with ``credit`` one value or one per run."""
    if not isinstance(params.credit, np.ndarray):  # (one value for all runs)
        return np.maximum(experience, mainstreamed) if params.credit > 0 else experience
    return np.where(params.credit > 0, np.maximum(experience, mainstreamed), experience)


def practised_gain(last: np.ndarray, practice: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """(O,) integration gain of each outcome's partnerships in the last month a unit practised
    its ways of working there (``last`` where none practises this month). Leading axes (runs)
    are allowed: practice (..., O, A), last and gain (..., O)."""
    if not (practice > 0).any():  # nobody practises anywhere this month
        return last
    return np.where((practice > 0).any(axis=-1), gain, last)


def methods_kept(
    last_gain: np.ndarray,
    mainstreamed: np.ndarray,
    roles: np.ndarray,
    params: MainstreamingParams,
) -> np.ndarray:
    """(O,) integration gain the contributors' adopted methods keep: ``methods * m_bar * G``,
    with ``m_bar`` the role-weighted mean adopted share (roles: (O, A) weights). Leading axes
    (runs) are allowed: last_gain (..., O), mainstreamed and roles (..., O, A); a run that has
    adopted nothing keeps exact zeros, as alone."""
    if not mainstreamed.any():  # nothing adopted: nothing kept
        return np.zeros(np.broadcast(last_gain, roles[..., 0]).shape)
    adopted = mainstreamed.any(axis=(-2, -1))  # by run
    total = roles.sum(axis=-1)
    m_bar = (roles * mainstreamed).sum(axis=-1) / np.where(total > 0, total, 1.0)
    return np.where(adopted[..., None], params.methods * m_bar * last_gain, 0.0)
