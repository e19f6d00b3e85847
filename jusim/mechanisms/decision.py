"""Decision rule: how each agency splits its free discretionary resources, and how it learns.

Evidence: topic structures and absorption in process pull attention from cross-boundary
objectives (000_babc907a3220f36e.txt "The importance…"; 004_405daa82f731071c.txt Ch2 §1); public
scrutiny raises risk aversion and the appeal of the status quo, more so for novel cross-cutting
work (003_741bbb3ed11f1208.txt "Collaboration and control"); partners join when they expect
tangible benefit and stay partisan (001_04a1019f119c8ec4.txt ¶43, ¶50–51); trust raises the
willingness to depend on others (001 ¶6); early failure or success feeds back (Ansell & Gash 2008
cycle, modelling-anchors.md A2). Bounded-rational logit choice with Bush–Mosteller style learning
(modelling-anchors.md eq. M1).

For agency ``a`` the value of each option is
- own targets: the credit from ``accountability.credit``;
- outcome ``o`` (only if ``a`` has a role in it): ``role * credit * reliance * (1 - risk)`` where
  ``role`` is a's role weight relative to the largest, ``reliance`` its role-weighted trust that the
  other contributors will do their part (production is complementary: alone it achieves little),
  and ``risk = risk_aversion * scrutiny * (1 - experience)`` the fear of visible failure in
  unfamiliar work;
- relationship work: ``openness * relationship_value * max_o value_o``.

Target shares are a logit (softmax) of values over ``temperature``; actual shares move toward them
by ``adaptation`` each month (organisational inertia). Experience of each outcome moves toward the
progress the agency sees on it (0 = none, 1 = on track for target) at ``learning_rate``.
Silo behaviour is what this rule produces when credit is departmental and nobody sponsors the
outcome: there is no separate silo mode.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| temperature | credit | 0.15 | >0–10 | randomness of choice (bounded rationality) |
| adaptation | share / month | 0.2 | 0–1 | speed shares move toward their targets |
| scrutiny | 0–1 | 0.6 | 0–1 | visibility and penalty of failure in cross-cutting work |
| relationship_value | ratio | 0.4 | 0–10 | value of relationship work relative to the best joint option |
| learning_rate | share / month | 0.08 | 0–1 | speed experience follows observed progress |
| initial_experience | 0–1 | 0.5 | 0–1 | experience at month 0 |
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.mechanisms.contact import remembered
from jusim.params import Params


class DecisionParams(Params):
    temperature: float = Field(0.15, gt=0, le=10, description="logit temperature (credit units)")
    adaptation: float = Field(0.2, ge=0, le=1, description="monthly move toward target shares")
    scrutiny: float = Field(0.6, ge=0, le=1, description="visibility of failure (0–1)")
    relationship_value: float = Field(0.4, ge=0, le=10, description="relative value of networking")
    learning_rate: float = Field(0.08, ge=0, le=1, description="monthly experience update")
    initial_experience: float = Field(0.5, ge=0, le=1, description="experience at month 0")


def reliance(trust: np.ndarray, roles: np.ndarray) -> np.ndarray:
    """(O, A): role-weighted mean trust of each agency in the other contributors to an outcome;
    (R, O, A) for the stacked trust (R, A, A) of R runs (``roles`` (O, A) or (R, O, A))."""
    return _reliance(trust, roles, remembered(roles, _role_weights))


def _reliance(trust: np.ndarray, roles: np.ndarray, weights: tuple[np.ndarray, ...]) -> np.ndarray:
    _, _, _, others_weight, has_others = weights
    diag = trust.diagonal(0, -2, -1)
    # [o, a] = sum_b w_ob T_ab, b != a (stacked: one matrix product per run)
    others = roles @ trust.swapaxes(-1, -2) - roles * diag[..., None, :]
    return np.where(has_others, others / others_weight, 0.0)


def _role_weights(roles: np.ndarray) -> tuple[np.ndarray, ...]:
    """What the decision rule needs of the roles alone (a world's, which do not change during a
    run: computed once, ``contact.remembered``): who is involved, each role relative to the
    largest in its outcome, which options each agency has (own targets, its outcomes,
    relationship work if it has any outcome), the other contributors' total role weight (1
    where none: a divisor) and whether there are any."""
    involved = roles > 0
    rel_role = roles / np.maximum(np.maximum.reduce(roles, axis=-1, keepdims=True), 1e-12)
    *lead, n_outcomes, n_agencies = roles.shape
    allowed = np.ones((*lead, n_outcomes + 2, n_agencies), bool)
    allowed[..., 1:-1, :], allowed[..., -1, :] = involved, involved.any(axis=-2)
    total = np.add.reduce(roles, axis=-1, keepdims=True) - roles
    has_others = total > 0
    return involved, rel_role, allowed, np.where(has_others, total, 1.0), has_others


def target_shares(
    own_credit: np.ndarray,
    joint_credit: np.ndarray,
    roles: np.ndarray,
    trust: np.ndarray,
    experience: np.ndarray,
    risk_aversion: np.ndarray,
    openness: np.ndarray,
    params: DecisionParams,
) -> np.ndarray:
    """(A, O + 2) target shares: column 0 own targets, 1..O outcomes, last relationship work.

    With leading run axes on the arguments (R runs: ``own_credit`` (R, A), ``trust`` (R, A, A),
    ...) it is (R, A, O + 2). It is the transpose of a C-ordered options-by-agency array (so,
    for a run alone, a column-major (A, O + 2) array; ``np.swapaxes(shares, -1, -2)`` is that
    array itself)."""
    weights = remembered(roles, _role_weights)
    involved, rel_role, allowed = weights[:3]
    risk = risk_aversion[..., None, :] * params.scrutiny * (1.0 - experience)
    joint = rel_role * joint_credit * _reliance(trust, roles, weights) * (1.0 - risk)
    best = np.maximum.reduce(np.where(involved, joint, 0.0), axis=-2)
    relationships = openness * params.relationship_value * best
    # rows: own targets, each outcome, relationship work; each row is contiguous over agencies
    # (the column-major (A, O + 2) array a run alone always had): the memory order decides the
    # order of the sum over options below (option after option), kept for identical results
    *runs, n_agencies = relationships.shape  # (the run axis, if any, as openness and trust)
    values = np.empty((*runs, joint.shape[-2] + 2, n_agencies))
    values[..., 0, :], values[..., 1:-1, :], values[..., -1, :] = own_credit, joint, relationships
    z = np.where(allowed, values / params.temperature, -np.inf)
    z -= np.maximum.reduce(z, axis=-2, keepdims=True)
    e = np.exp(z, out=z)
    return (e / np.add.reduce(e, axis=-2, keepdims=True)).swapaxes(-1, -2)


def adapt(shares: np.ndarray, target: np.ndarray, params: DecisionParams) -> np.ndarray:
    """Inertia: move current shares part of the way toward the target shares."""
    return shares + params.adaptation * (target - shares)


def learn(
    experience: np.ndarray, progress: np.ndarray, involved: np.ndarray, params: DecisionParams
) -> np.ndarray:
    """Experience of each outcome (O, A) follows the progress seen on it (O,), in [0, 1]; over R
    runs, (R, O, A) and (R, O)."""
    step = params.learning_rate * (progress.clip(0.0, 1.0)[..., None] - experience)
    return np.where(involved, experience + step, experience)
