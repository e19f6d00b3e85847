"""Production: joint production of each cross-cutting outcome (own targets: ``own_targets.py``).

Evidence: connected problems such as youth crime cannot be solved by any one agency
(004_405daa82f731071c.txt "Tackling Youth Crime" box; 000_babc907a3220f36e.txt "The
importance…"); more integrated services cut the cost per rough sleeper helped
(002_5677c7bae92002df.txt ¶18); trust and shared understanding raise effectiveness (000 "Staying
connected"; 001_04a1019f119c8ec4.txt ¶6); outcomes lag effort, by months to years
(002 ¶13, ¶17, Fig 4–5); a count measures net flows, so need is a stock with inflow and outflow
(002 fn6). Complementary joint production after Kremer's O-ring idea (modelling-anchors.md M2).

Each outcome's effective input is a CES aggregate of the inputs in each contributing role,
``Y = [sum_a w_a (z_a / w_a)^rho]^(1/rho)`` with role weights ``w`` summing to one: balanced input
``z_a = w_a X`` gives ``Y = X``; with ``rho < 0`` a missing role drags output toward zero. It is
scaled by coordination efficiency ``kappa = floor + (1 - floor) * q``, with ``q`` the role-weighted
mean over contributor pairs of ``sqrt(T_sym * understanding)``, where ``T_sym = (T_ab + T_ba) / 2``, and turned into cases at
``unit_cost``. Capacity reaches the need stock through a two-stage delay with mean ``lag`` months;
the harder cases remain as the stock falls (half-saturation).

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| complementarity | CES rho | -1.0 | -20–1 | substitutability of roles (1: perfect substitutes; very negative: weakest link) |
| coordination_floor | share | 0.1 | 0–1 | efficiency of joint work with no trust or understanding |

Outcome-specific quantities (inflow, exit rate, unit cost, lag, half-saturation) are in the
scenario's ``[[outcomes]]``.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.mechanisms.contact import diagonal, remembered
from jusim.params import Params

_EPS = 1e-9


class ProductionParams(Params):
    complementarity: float = Field(-1.0, ge=-20, le=1, description="CES rho between roles")
    coordination_floor: float = Field(
        0.1, ge=0, le=1, description="coordination efficiency with no trust or understanding"
    )


def joint_input(inputs: np.ndarray, roles: np.ndarray, rho: float) -> np.ndarray:
    """CES effective input per outcome (O,) from inputs (O, A) in roles (O, A) (£k/month).

    Leading axes (runs) are allowed: inputs (..., O, A) and roles (..., O, A) give (..., O), and
    ``rho`` may then be one value per run (``jusim.month.runs.PerRun``)."""
    w, involved, divisor = remembered(roles, _role_shares)
    x = np.where(involved, inputs / divisor, 0.0) + _EPS
    small = abs(rho) < 1e-6
    if isinstance(small, bool | np.bool_):  # one value for every run
        if small:
            return np.exp((np.where(involved, w * np.log(x), 0.0)).sum(axis=-1))
        return (np.where(involved, w * x**rho, 0.0)).sum(axis=-1) ** (1.0 / rho)
    # rho per run: each run takes its own formula (runs with rho near 0 do not use the other)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        power = (np.where(involved, w * x**rho, 0.0)).sum(axis=-1) ** (1.0 / rho)
    if not np.any(small):
        return power
    geometric = np.exp((np.where(involved, w * np.log(x), 0.0)).sum(axis=-1))
    return np.where(small, geometric, power)


def coordination(
    trust: np.ndarray, understanding: np.ndarray, roles: np.ndarray, floor: float
) -> np.ndarray:
    """Coordination efficiency per outcome (O,), in [floor, 1].

    Leading axes (runs) are allowed: trust and understanding (..., A, A) and roles (..., O, A)
    give (..., O)."""
    quality = np.sqrt(0.5 * (trust + trust.swapaxes(-1, -2)) * understanding)
    diagonal(quality)[...] = 0.0
    pair = roles @ quality @ roles.swapaxes(-1, -2)  # [o, o]: sum over a != b of w_a w_b q_ab
    paired = pair.diagonal(0, -2, -1)
    has_pairs, norm = remembered(roles, _pair_norms)
    q = np.where(has_pairs, paired / norm, 0.0)
    return floor + (1.0 - floor) * q


def _role_shares(roles: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each agency's share of the roles in an outcome, whether it has one, and the share as a
    divisor (1 where none); a world's roles do not change, so computed once
    (``contact.remembered``)."""
    w = roles / np.maximum(roles.sum(axis=-1, keepdims=True), _EPS)
    involved = w > 0
    return w, involved, np.where(involved, w, 1.0)


def _pair_norms(roles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whether each outcome has a pair of roles, and the sum over pairs a != b of ``w_a w_b`` (1
    where none: a divisor), once per world's roles (``contact.remembered``)."""
    norm = roles.sum(axis=-1) ** 2 - (roles**2).sum(axis=-1)
    return norm > 0, np.where(norm > 0, norm, 1.0)


def advance_lag(pipeline: np.ndarray, capacity: np.ndarray, lag: np.ndarray) -> np.ndarray:
    """Two-stage first-order delay (O, 2); column 1 is capacity reaching the need stock.
    Leading axes (runs) are allowed: pipeline (..., O, 2), capacity (..., O)."""
    k = np.minimum(1.0, 2.0 / lag)
    out = pipeline.copy()
    out[..., 0] += k * (capacity - pipeline[..., 0])
    out[..., 1] += k * (pipeline[..., 0] - pipeline[..., 1])
    return out


def update_need(
    need: np.ndarray,
    inflow: np.ndarray,
    exit_rate: np.ndarray,
    capacity: np.ndarray,
    half_saturation: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Next need stock and cases resolved by joint work this month; the stock never goes negative."""
    exits = exit_rate * need
    reachable = need - exits
    resolved = np.minimum(reachable, capacity * need / (need + half_saturation + _EPS))
    return need - exits - resolved + inflow, resolved
