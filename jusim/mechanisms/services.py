"""Types of provision: each outcome's joint effort is spent on services with their own lags and costs.

Evidence: joint working produces "a broad range of impacts at different times"; constructing
supported housing for rough sleepers takes longer to have an impact than an alcohol detoxification
treatment lasting six months or a year (002_5677c7bae92002df.txt ¶17); for Sure Start "it is too
early for there to be any measurable long term benefit" two years in, while childcare places were
counted within the same period (002 ¶7, Fig 5); new initiatives need time to employ staff and find
premises (002 Annex, "set realistic timescales").

Mechanics: an outcome lists its services (``[[outcomes.services]]`` in a scenario: ``share`` of the
outcome's effective input, ``lag`` in months and ``relative_cost`` per case against the outcome's
``unit_cost``). With no list, the outcome is one service with the outcome's own ``lag`` and cost.
A service's ``joined_up`` (0–1, default 1) says how far its output depends on joined-up working.
Integrated multi-agency work (the RSU's health, housing and social support) needs every role and
good coordination, so its output is the coordinated CES aggregate ``κ_o · Y_o``; one provider's
product (a childcare place) just turns money into cases, whoever pays, so its output is the plain
sum of the inputs ``X_o``. The evidence for the split is the contrast in 002 ¶18: joining up cut the
cost per rough sleeper helped by 42% "because of more integrated services including health and
social support", while the EYDCPs' cost per childcare place (£650) was about that of the previous
arrangements (£640), the difference put down to the children placed, not to the partnership.
Each service has its own two-stage delay; what reaches the need stock is the sum over the
outcome's services:

    c_s   = [j_s · κ_o · Y_o + (1 − j_s) · X_o] · share_s / (unit_cost_o · relative_cost_s)
    L_s   two-stage delay with mean lag_s        (production.advance_lag)
    arrivals_o = Σ_{s in o} L2_s
"""

from __future__ import annotations

import numpy as np

from jusim.mechanisms.production import advance_lag


def capacity(
    kappa: np.ndarray,
    effective: np.ndarray,
    service_outcome: np.ndarray,
    share: np.ndarray,
    unit_cost: np.ndarray,
    joined_up: np.ndarray | float = 1.0,
    total: np.ndarray | None = None,
) -> np.ndarray:
    """Cases per month each service (S,) can resolve, from the outcomes' (O,) effective input
    (coordinated, ``kappa * effective``) and plain total input ``total`` (for the part of a
    service that does not depend on joined-up working, ``1 - joined_up``).

    Leading axes (runs) are allowed: outcome arrays (..., O) give (..., S); ``service_outcome``
    is (S,) or, when runs differ, (..., S)."""
    coordinated = _by_service(kappa * effective, service_outcome)
    plain = coordinated if total is None else _by_service(total, service_outcome)
    return (joined_up * coordinated + (1.0 - joined_up) * plain) * share / unit_cost


def _by_service(x: np.ndarray, service_outcome: np.ndarray) -> np.ndarray:
    """Each service's value of its outcome's entry of ``x`` (..., O) -> (..., S)."""
    if service_outcome.ndim == 1:
        return x.take(service_outcome, axis=-1)
    lead = np.broadcast_shapes(x.shape[:-1], service_outcome.shape[:-1])
    index = np.broadcast_to(service_outcome, lead + service_outcome.shape[-1:])
    return np.take_along_axis(np.broadcast_to(x, lead + x.shape[-1:]), index, axis=-1)


def advance(
    pipeline: np.ndarray,
    capacity_s: np.ndarray,
    lag: np.ndarray,
    service_outcome: np.ndarray,
    n_outcomes: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Next service pipelines (S, 2) and the capacity reaching each outcome's need stock (O,).

    Leading axes (runs) are allowed: pipeline (..., S, 2) and capacity (..., S) give (..., S, 2)
    and (..., O), each outcome's arrivals added service by service in order, as alone."""
    nxt = advance_lag(pipeline, capacity_s, lag)
    reaching = nxt[..., 1]
    lead = reaching.shape[:-1]
    if service_outcome.ndim == 1 and reaching.size == reaching.shape[-1]:  # one run
        arrivals = np.bincount(service_outcome, weights=reaching.ravel(), minlength=n_outcomes)
        return nxt, arrivals.reshape((*lead, n_outcomes))
    runs = int(np.prod(lead))
    offset = np.arange(runs).reshape((*lead, 1)) * n_outcomes
    bins = np.broadcast_to(offset + service_outcome, reaching.shape)
    arrivals = np.bincount(bins.ravel(), weights=reaching.ravel(), minlength=runs * n_outcomes)
    return nxt, arrivals.reshape((*lead, n_outcomes))


def steer(shares: np.ndarray, service_outcome: np.ndarray, s: int, share: float) -> None:
    """Give service ``s`` ``share`` of its outcome's joint input, in place; the outcome's other
    services keep their proportions in the remaining ``1 - share``."""
    others = (service_outcome == service_outcome[s]) & (np.arange(shares.size) != s)
    rest = shares[others].sum()
    if rest > 0:
        shares[others] *= (1.0 - share) / rest
        shares[s] = share
