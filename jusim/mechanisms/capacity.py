"""Capacity and overload: partnership work draws on scarce senior and administrative time.

Evidence: rising partnership demands strain partners; they reprioritise and ration engagement to
protect core services, and smaller delivery bodies probably struggle more; Executive staff time
is stretched too (001_04a1019f119c8ec4.txt ¶106–107); uncoordinated consultations add to the
overload (001 ¶90, ¶106); reporting requirements are a heavy, costly burden for small groups
(002_5677c7bae92002df.txt ¶22); partners would be overwhelmed if every department honoured its
agreements (001 ¶141). Catalogue M56–M58, fact 8.

Units: admin-months a month (months of partnership administration: meetings, papers, reports).
Demand is ``Rules.admin_demand``: each partnership's seats and consultation links
(``mechanisms/partnering.py``), whose ``reporting`` share streamlined reporting cuts, plus
consultations and requests that arrive at random, uncoordinated (001 ¶90), in proportion to the
seats ``n_a`` an agency holds (streamlining coordinates them too):

``demand_a = sum_p D[p, a] * (1 - reporting * (1 - report_factor_a))``
``          + consultation * Poisson(consultations * n_a * report_factor_a)``
``capacity_a = admin_capacity_a * staff_a * admin_share + capacity_boost_a``

Demand within capacity is absorbed by the time the agency has for partnership work. Beyond it,
the agency pulls a share ``stretch`` of the excess from its core service (staff taken off the
front line: core output falls) and leaves the rest undone (its participation falls):

``drawn_a = stretch * max(demand_a - capacity_a, 0)``
``participation_a = (min(demand_a, capacity_a) + drawn_a) / demand_a``  (1 with no demand)

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| admin_share | admin-months / month / member of staff | 0.05 | 0–1 | time for partnership work per member of staff at admin capacity 1 |
| reporting | share | 0.4 | 0–1 | share of a seat's demand that is reporting and monitoring |
| stretch | share | 0.5 | 0–1 | share of demand beyond capacity met by taking staff off core service |
| consultations | per seat per month | 0.5 | 0–10 | consultations and requests arriving per seat held |
| consultation | admin-months | 0.2 | 0–10 | time one consultation response takes |

All are assumptions (the catalogue lists administrative cost per partner as a gap): admin_share
0.02–0.1 gives a 120-strong department 2.4–12 seats and a 22-strong charity at admin capacity 0.3
a tenth to two thirds of one; reporting 0.2–0.6; stretch 0.2–0.8 (partners "limit and
streamline engagements ... to ensure that mainstream services ... are maintained", 001 ¶106, so
less than all of it); consultations 0.2–2 a seat a month, each 0.1–0.5 admin-months.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import Field

from jusim.params import Params


class CapacityParams(Params):
    admin_share: float = Field(
        0.05,
        ge=0,
        le=1,
        description="admin-months a month per member of staff at admin capacity 1 (0.02–0.1)",
    )
    reporting: float = Field(
        0.4, ge=0, le=1, description="share of a seat's demand that is reporting (0.2–0.6)"
    )
    stretch: float = Field(
        0.5,
        ge=0,
        le=1,
        description="share of demand beyond capacity taken from core service (0.2–0.8)",
    )
    consultations: float = Field(
        0.5, ge=0, le=10, description="consultations a month per seat held (0.2–2)"
    )
    consultation: float = Field(
        0.2, ge=0, le=10, description="admin-months one consultation takes (0.1–0.5)"
    )


def capacity(
    admin_capacity: np.ndarray, staff: np.ndarray, boost: np.ndarray, params: CapacityParams
) -> np.ndarray:
    """(A,) admin-months a month each agency has for partnership work."""
    return admin_capacity * staff * params.admin_share + boost


def reporting_scale(report_factor: np.ndarray, params: CapacityParams) -> np.ndarray:
    """(A,) multiplier on partnership demand: the reporting share scaled by ``report_factor``."""
    return 1.0 - params.reporting * (1.0 - report_factor)


def consultations(
    membership: np.ndarray,
    report_factor: np.ndarray,
    params: CapacityParams,
    rng: np.random.Generator | Sequence[np.random.Generator],
) -> np.ndarray:
    """(A,) admin-months a month of consultations and requests that arrive at random, in
    proportion to the seats each agency holds (one Poisson draw per agency a month).

    Over a run axis: membership (R, O, A), report_factor (R, A) and one generator per run; each
    run draws from its own, as it does alone. A run with no seats draws nothing (a Poisson draw at
    rate 0 would use no random number either)."""
    seats = membership.sum(axis=-2)
    if isinstance(rng, np.random.Generator):
        if not seats.any():
            return np.zeros(seats.shape)
        return params.consultation * rng.poisson(params.consultations * seats * report_factor)
    asked = np.zeros(seats.shape)
    if seats.any():
        rate = params.consultations * seats * report_factor
        run, agency = np.nonzero(rate)  # (run by run, agencies in order)
        # one draw per agency with a positive rate, from its run's own generator: those a run's
        # Poisson draw over all its agencies makes, in the same order (at rate 0 it draws no
        # random number), without the per-call cost of a draw over an array (3x, measured)
        lam = rate[run, agency].tolist()
        asked[run, agency] = [rng[r].poisson(x) for r, x in zip(run.tolist(), lam, strict=True)]
    return params.consultation * asked


def service(
    demand: np.ndarray, capacity: np.ndarray, params: CapacityParams
) -> tuple[np.ndarray, np.ndarray]:
    """Admin-months taken from core service (A,) and participation (A,), the share of demand met."""
    excess = np.maximum(demand - capacity, 0.0)
    drawn = params.stretch * excess
    met = np.minimum(demand, capacity) + drawn
    participation = np.where(demand > 0, met / np.where(demand > 0, demand, 1.0), 1.0)
    return drawn, participation
