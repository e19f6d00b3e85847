"""Own targets as outcomes: each agency's own-business output, with diminishing returns, against
a target it can miss or beat.

Evidence: departments pursue their own objectives tied to the funding they control and are judged
on their own targets (002_5677c7bae92002df.txt ¶2, ¶9); moving scarce resources into joint
initiatives depletes other services (002 Annex, M60); over-attainment on a countable output
target is possible — 140,000 new childcare places against a target of 82,000 (002 ¶7, Fig 5) —
and so is missing one; narrow measured outputs can be raised without more outcome (004
Ch2 §2; 002 ¶16), which ``spillover.py`` adds through ``measured_attainment``.

Each agency turns the resources it gives its own business ``own_in`` (core budget, its own share
of free discretionary money, less any staff time drawn away by overload) into output with
diminishing returns, scaled by a productivity that wanders from month to month (demand and
delivery shocks nobody controls):

``output_a = exp(z_a) * (own_in_a / OT_a) ** returns``,  ``z' = persistence * z + shock``

measured in units of the agency's target, so attainment is output over target: 1 when it gives
its own business exactly the resources its target needs (``OT_a = own_target * B0_a``) in an
average month; above 1 when it gives more (less than proportionally: doubling resources raises
output by ``2 ** returns``); below 1 when resources move to joint work or budgets are cut.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| returns | elasticity | 0.5 | 0.05–1 | output elasticity to own resources (1 = constant returns) |
| volatility | log-sd / month | 0.03 | 0–1 | size of monthly productivity shocks |
| persistence | AR(1) | 0.8 | 0–0.99 | month-to-month persistence of productivity |

``returns`` is an assumption: the sources say more resources raise output, and that moving them
elsewhere lowers it (002 Annex), but give no elasticity; public-service production studies put
it between about 0.3 and 0.9. ``volatility`` and ``persistence`` are assumptions (a few per cent
a month, lasting a few months) to be explored by sensitivity analysis.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import Field

from jusim.mechanisms.contact import remembered
from jusim.params import Params

_EPS = 1e-9


class OwnTargetParams(Params):
    returns: float = Field(
        0.5,
        ge=0.05,
        le=1,
        description="output elasticity to own resources (assumption; plausible 0.3–0.9)",
    )
    volatility: float = Field(
        0.03,
        ge=0,
        le=1,
        description="log-sd of monthly productivity shocks (assumption; plausible 0–0.1)",
    )
    persistence: float = Field(
        0.8,
        ge=0,
        le=0.99,
        description="AR(1) persistence of productivity (assumption; plausible 0.5–0.95)",
    )


def productivity_step(
    z: np.ndarray,
    params: OwnTargetParams,
    rng: np.random.Generator | Sequence[np.random.Generator],
) -> np.ndarray:
    """Next month's log productivity per agency: a stationary AR(1) with sd ``volatility``.

    Several runs at once: ``z`` (R, A) with one generator per run (``rng`` a sequence of R), each
    run's shocks drawn from its own generator as alone; the parameters may then be one value per
    run (``jusim.month.runs.PerRun``)."""
    if isinstance(rng, np.random.Generator):
        shock = rng.standard_normal(z.shape)
    else:
        shock = np.concatenate([g.standard_normal(z.shape[1:]) for g in rng]).reshape(z.shape)
    rho = params.persistence
    return rho * z + np.sqrt(1.0 - rho**2) * params.volatility * shock


def attainment(
    own_input: np.ndarray,
    own_target: np.ndarray,
    log_productivity: np.ndarray,
    params: OwnTargetParams,
) -> np.ndarray:
    """Own-target output over target (A,): 1 = target met; 0 for agencies with no own target.
    Leading axes (runs) are allowed on every array ((..., A))."""
    has, target = remembered(own_target, _targets)
    ratio = np.where(has, np.maximum(own_input, 0.0) / target, 0.0)
    return np.where(has, np.exp(log_productivity) * ratio**params.returns, 0.0)


def _targets(own_target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Who has an own target, and the targets as divisors (1 where none); a world's targets do
    not change during a run, so computed once (``contact.remembered``)."""
    has = own_target > 0
    return has, np.where(has, own_target, 1.0)
