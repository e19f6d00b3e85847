"""Clients: need split into subgroups that differ in awareness and in how well services fit them.

Evidence: users of public services have varied needs — families on low incomes, with low levels of
education or who do not speak English fluently; parents who work shifts and weekends need services
outside normal hours; Sure Start workers visit such families at home so they are not excluded
(002_5677c7bae92002df.txt ¶11). Those meant to benefit must know the support exists: parents were
less aware of the EYDCPs, and publicising services to maximise take-up is very important (002 ¶12).
Persuading people to take up help takes time (002 ¶13). A single point of access, giving
information once, raises convenience (002 Fig 2, ¶26(4); 003_741bbb3ed11f1208.txt "A joined-up
future?"). In Lambeth, comparing names showed 120 young people known to every agency, "bounced back
and forth" between them (004_405daa82f731071c.txt "Achieving Results" box).

State, per outcome ``o`` and client group ``g`` (arrays (O, G)): need ``N[o,g]`` and awareness
``a[o,g]`` of the joined-up service. Each month:

    fit[o,g]    = fit_g + (1 − fit_g) · outreach[o,g]          outreach (home visits) adapts services
    joined[o]   = max(client_list[o], single_point[o])         shared client list or one front door
    u[o,g]      = a[o,g] · fit[o,g] · (1 − bounce_o · (1 − joined[o]))   take-up
    exits       = e_o · N;   reach[o,g] = u[o,g] · (N − exits)
    R_o         = Σ_g reach;  ū_o = R_o / Σ_g (N − exits)          mean take-up
    resolved_o  = min(R_o, arriving_o · ū_o · N_o / (N_o + h_o))     capacity serves those who come
    resolved[o,g] = resolved_o · reach[o,g] / R_o
    N'          = N − exits − resolved + inflow_o · share_g
    vis[o,g]    = publicity[o,g] + word_of_mouth · resolved[o,g] / N[o,g]
    a'          = a + awareness_gain · vis · (1 − a) − forgetting · (a − a0_g)

So take-up depends on awareness, which publicity and word of mouth raise and which drifts back to
its baseline; a group that standard services fit badly stays under-served however aware it is,
unless outreach targets it. With one group of fit 1 and awareness 1 and ``bounce = 0`` (an
outcome's defaults) this is exactly ``production.update_need``.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| awareness_gain | per month | 0.15 | 0–1 | speed at which visibility raises awareness (assumption; 0.05–0.3) |
| forgetting | per month | 0.03 | 0–1 | drift back to baseline awareness without visibility (assumption; 0.01–0.1) |
| word_of_mouth | multiplier | 5.0 | 0–100 | visibility from a group's own monthly take-up rate (assumption; 0–20) |

Scenario data per outcome: ``[[outcomes.client_groups]]`` (name, share, fit, awareness; default
one group with fit 1 and awareness 1) and ``bounce`` (share of willing clients lost between
agencies that share no client information; default 0).
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.params import Params

_EPS = 1e-9


class ClientParams(Params):
    awareness_gain: float = Field(
        0.15, ge=0, le=1, description="monthly rise of awareness per unit of visibility"
    )
    forgetting: float = Field(
        0.03, ge=0, le=1, description="monthly drift of awareness back to its baseline"
    )
    word_of_mouth: float = Field(
        5.0, ge=0, le=100, description="visibility from a group's own monthly take-up rate"
    )


def take_up(
    awareness: np.ndarray,
    fit: np.ndarray,
    outreach: np.ndarray,
    joined: np.ndarray,
    bounce: np.ndarray,
) -> np.ndarray:
    """Share of each group's need (O, G) that comes forward and is not lost between agencies.
    Leading axes (runs) are allowed on every argument ((..., O, G) and (..., O))."""
    fitted = fit + (1.0 - fit) * outreach
    return awareness * fitted * (1.0 - bounce * (1.0 - joined))[..., None]


def update_need(
    need: np.ndarray,
    uptake: np.ndarray,
    group_share: np.ndarray,
    inflow: np.ndarray,
    exit_rate: np.ndarray,
    arriving: np.ndarray,
    half_saturation: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Next need by group (O, G) and cases resolved by group (O, G); stocks never go negative.
    Leading axes (runs) are allowed on every argument ((..., O, G) and (..., O))."""
    exits = exit_rate[..., None] * need
    reach = uptake * (need - exits)
    total = reach.sum(axis=-1)
    stock = need.sum(axis=-1)
    mean_uptake = total / np.maximum(stock - exits.sum(axis=-1), _EPS)
    resolved = np.minimum(total, arriving * mean_uptake * stock / (stock + half_saturation + _EPS))
    by_group = resolved[..., None] * np.where(
        total[..., None] > 0, reach / (total[..., None] + _EPS), 0
    )
    by_group = np.minimum(by_group, reach)
    return need - exits - by_group + inflow[..., None] * group_share, by_group


def update_awareness(
    awareness: np.ndarray,
    baseline: np.ndarray,
    publicity: np.ndarray,
    resolved: np.ndarray,
    need: np.ndarray,
    params: ClientParams,
) -> np.ndarray:
    """Awareness (O, G) after a month of publicity and word of mouth. Leading axes (runs) are
    allowed; the parameters may then be one value per run (``jusim.month.runs.PerRun``)."""
    rate = np.where(need > _EPS, resolved / np.maximum(need, _EPS), 0.0)
    vis = publicity + params.word_of_mouth * rate
    speed = params.awareness_gain
    cap = 1.0 / (np.maximum(speed, _EPS) if isinstance(speed, np.ndarray) else max(speed, _EPS))
    gain = speed * np.minimum(vis, cap)
    a = awareness + gain * (1.0 - awareness) - params.forgetting * (awareness - baseline)
    return a.clip(0.0, 1.0)
