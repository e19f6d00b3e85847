"""Platforms: the operating cost of each agency's transaction and IT platform, and sharing one.

Evidence: by using the payment systems NS&I already runs for its 25m customers, the Court Funds
Office cut its costs by over 40%; the DVLA's digital programme, linking road tax to the MOT and
insurance databases, will cut operating costs by a third (003_741bbb3ed11f1208.txt "Better
together"; catalogue I21, fact 19). The saving comes from economies of scale — a platform's
fixed cost is paid once however many use it — and lands in one budget while the set-up cost lands
in another (the attribution problem, 003 "Better together"; 002_5677c7bae92002df.txt ¶19).

Each agency ``a`` runs its own platform at ``P_a = platform_cost_a · budget0_a`` £k/month at its
normal volume: a fixed part ``F_a = φ P_a`` and a part ``V_a = (1 − φ) P_a · x_a`` that grows with
its volume of transactions ``x_a`` (its own-business output last month relative to target).
When users ``U`` move onto host ``h``'s platform, the shared platform costs

    C_h = F_h + (1 + integration) · Σ_{a in U ∪ {h}} V_a

— the users' fixed costs are no longer paid. A user pays the host its own volume cost plus
``recharge`` of the fixed cost it no longer carries; the host bears the rest. Each agency's
budget moves by what it no longer pays (``P_a − paid_a``) less any migration cost charged to it
this month, and the move lands in its discretionary budget, the money it decides about
(``funding.margin``; 003 "Better together": "the saving lands in the members' budgets"):

    shift_a = (F_a + V_a) − paid_a − migration_a

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| fixed_share | share | 0.5 | 0–1 | φ: share of a platform's running cost that does not grow with volume (assumption; 0.3–0.7) |
| integration | share | 0.05 | 0–1 | extra volume cost of serving another agency's transactions (assumption; 0–0.2) |
| fixed_share_spread | share | 0.1 | 0–0.5 | each run's realised φ is drawn uniformly from ``fixed_share ± spread`` (stream ``platforms``) |

How much of a platform's cost is fixed is not known in advance: the sources report savings from a
third (DVLA) to over 40% (the Court Funds Office), so each run draws its own φ (``realised``);
with the defaults, four platforms moved onto one save about 26–41% of their operating cost.
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.params import Params


class PlatformParams(Params):
    fixed_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="share of a platform's running cost that does not grow with volume "
        "(assumption; plausible 0.3-0.7)",
    )
    integration: float = Field(
        0.05,
        ge=0,
        le=1,
        description="extra volume cost of serving another agency's transactions "
        "(assumption; plausible 0-0.2)",
    )
    fixed_share_spread: float = Field(
        0.1,
        ge=0,
        le=0.5,
        description="each run draws its fixed share uniformly from fixed_share +- this: savings "
        "reported from a third (DVLA) to over 40% (CFO), 003 'Better together' (assumption; "
        "plausible 0.05-0.2)",
    )


def realised(params: PlatformParams, rng: np.random.Generator) -> PlatformParams:
    """This run's platform parameters: the fixed share drawn from ``fixed_share ± spread``
    (one draw per run, clipped to 0–1)."""
    u = rng.random()
    phi = params.fixed_share + params.fixed_share_spread * (2.0 * u - 1.0)
    return params.model_copy(update={"fixed_share": float(np.clip(phi, 0.0, 1.0))})


def operating_costs(
    standalone: np.ndarray,
    platform: np.ndarray,
    recharge: np.ndarray,
    params: PlatformParams,
    activity: np.ndarray | float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """What each agency (A,) pays this month for platforms, £k, and what it would pay on its own
    platform; ``platform[a]`` is the agency whose platform ``a`` uses (itself by default),
    ``recharge[a]`` the share of its saved fixed cost a user pays its host, ``activity[a]`` its
    volume of transactions relative to normal (its own business output last month).

    Over a run axis: (R, A) arrays and ``params`` whose values are (R, 1) columns (each run's
    realised parameters); the result is (R, A)."""
    fixed = params.fixed_share * standalone
    volume = (standalone - fixed) * activity
    standalone = fixed + volume
    moved = platform != np.arange(standalone.shape[-1])
    paid = standalone.copy()
    if not moved.any():  # everyone on its own platform (the common case): nothing to share
        return paid, standalone
    integration = np.broadcast_to(params.integration, (*moved.shape[:-1], 1))
    user_pays = np.where(moved, (1 + integration) * volume + recharge * fixed, 0.0)
    # each run with a shared platform (``()``: a run alone): sums over a platform's users as a
    # run alone adds them, a handful of agencies in order
    for run in map(tuple, np.argwhere(moved.any(axis=-1))):
        args = (paid, moved, platform, fixed, volume, user_pays)
        _share(*(x[run] for x in args), integration[run][0])
    return paid, standalone


def _share(
    paid: np.ndarray,
    moved: np.ndarray,
    platform: np.ndarray,
    fixed: np.ndarray,
    volume: np.ndarray,
    user_pays: np.ndarray,
    integration: float,
) -> None:
    """One run's payments (A,) where users share hosts' platforms, written into ``paid``."""
    paid[moved] = user_pays[moved]
    for h in np.unique(platform[moved]):  # a loop over platforms (a handful), not over staff
        users = moved & (platform == h)
        cost = fixed[h] + volume[h] + (1 + integration) * volume[users].sum()
        if users.any():
            cost += integration * volume[h]
        paid[h] = cost - user_pays[users].sum()
