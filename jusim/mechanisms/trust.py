"""Trust between agencies, learned from the contributions each observes its partners making.

Evidence: trust is the first building block of partnership (001_04a1019f119c8ec4.txt ¶6, ¶55) and
raises effectiveness (000_babc907a3220f36e.txt "Staying connected"); inconsistent behaviour across
divisions gives good and bad experiences side by side (001 ¶77, ¶81); a leak or public criticism
cuts trust sharply and recovery is slow (001 ¶104–105, ¶165). The asymmetric update follows
Slovic 1993 and Klos & Nooteboom 2001 (modelling-anchors.md A1, eq. M3).

Each month agency ``a`` looks at partner ``b``'s effort (share of discretionary resources) on the
outcomes they share and compares it with its own, through noise that shrinks as the relationship
between their staff strengthens (people who know each other see more). If ``b`` appears to pull
at least ``tolerance`` times a's own weight, trust rises by ``gain * (1 - T)``; otherwise it falls
by ``loss * T``. The rate scales with contact; without contact trust drifts toward ``baseline``.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| initial | 0–1 | 0.5 | 0–1 | trust at month 0 |
| gain | share / month | 0.08 | 0–1 | rise on a month a partner meets expectation |
| loss | share / month | 0.2 | 0–1 | fall on a month a partner falls short (loss > gain: asymmetry) |
| tolerance | ratio | 0.8 | 0–2 | partner effort relative to own that counts as pulling its weight |
| noise | log-sd | 0.6 | 0–5 | observation noise between strangers |
| contact_ref | contact | 0.5 | >0 | contact at which trust updates at full speed |
| baseline | 0–1 | 0.5 | 0–1 | level trust drifts to without contact |
| drift | share / month | 0.01 | 0–1 | speed of that drift |
| shock_rate | per agency-month | 0.003 | 0–1 | chance of a leak or public criticism by an agency |
| shock_size | share | 0.3 | 0–1 | share of partners' trust in it lost at a shock |
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from pydantic import Field

from jusim.mechanisms.contact import diagonal, remembered, shared_outcomes
from jusim.params import Params


class TrustParams(Params):
    initial: float = Field(0.5, ge=0, le=1, description="trust at month 0 (0–1)")
    gain: float = Field(0.08, ge=0, le=1, description="rise when partner meets expectation")
    loss: float = Field(0.2, ge=0, le=1, description="fall when partner falls short")
    tolerance: float = Field(0.8, ge=0, le=2, description="partner/own effort ratio expected")
    noise: float = Field(
        0.6, ge=0, le=5, description="observation noise between strangers (log-sd)"
    )
    contact_ref: float = Field(0.5, gt=0, le=100, description="contact for full-speed updating")
    baseline: float = Field(0.5, ge=0, le=1, description="trust level without contact")
    drift: float = Field(0.01, ge=0, le=1, description="monthly drift toward baseline")
    shock_rate: float = Field(0.003, ge=0, le=1, description="leaks per agency per month")
    shock_size: float = Field(0.3, ge=0, le=1, description="share of trust lost at a leak")


def observed_effort(
    effort: np.ndarray, involved: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Over the outcomes a and b share: b's mean effort, a's own, and whether they share any.
    (Arrays may carry leading run axes.)"""
    inv, denom, shares = remembered(involved, _observing)
    partner = (inv.swapaxes(-1, -2) @ (inv * effort)) / denom  # [a, b]: b's effort shared with a
    return partner, partner.swapaxes(-1, -2), shares


def _observing(involved: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Roles as numbers, the outcomes each pair shares (at least one: a divisor), whether any."""
    shared = shared_outcomes(involved)
    return involved.astype(np.float64), np.maximum(shared, 1.0), shared > 0


def update_trust(
    trust: np.ndarray,
    effort: np.ndarray,
    involved: np.ndarray,
    contact: np.ndarray,
    relationship: np.ndarray,
    params: TrustParams,
    rng: np.random.Generator,
) -> np.ndarray:
    """Return next month's trust matrix ``T[a, b]`` (a's trust in b), always within [0, 1]:
    ``learn_trust`` then random leaks (``draw_leaks``, ``apply_leaks``).

    effort: (O, A) share of discretionary resources each agency put into each outcome.
    relationship: (A, A) staff relationship strength in [0, 1).
    """
    nxt = learn_trust(trust, effort, involved, contact, relationship, params, rng)
    return apply_leaks(nxt, draw_leaks(trust.shape[0], params, rng))


def learn_trust(
    trust: np.ndarray,
    effort: np.ndarray,
    involved: np.ndarray,
    contact: np.ndarray,
    relationship: np.ndarray,
    params: TrustParams,
    rng: np.random.Generator | Sequence[np.random.Generator],
) -> np.ndarray:
    """Trust learned from observed effort this month, before any leak (unclipped).

    Runs stacked along a leading axis (trust (R, A, A)) pass one generator per run: each run's
    noise is drawn from its own."""
    partner, own, shares = observed_effort(effort, involved)
    sigma = params.noise * (1.0 - relationship)
    seen = partner * np.exp(sigma * _draws(rng, trust.shape, np.random.Generator.standard_normal))
    meets = seen >= params.tolerance * own
    rate = np.where(shares, np.minimum(1.0, contact / params.contact_ref), 0.0)
    step = np.where(meets, params.gain * (1.0 - trust), -params.loss * trust)
    return trust + rate * step + (1.0 - rate) * params.drift * (params.baseline - trust)


def draw_leaks(
    n_agencies: int, params: TrustParams, rng: np.random.Generator | Sequence[np.random.Generator]
) -> np.ndarray:
    """(A,) share of partners' trust each agency loses this month by a random leak (0 = none);
    (R, A) given one generator per run."""
    shape = (n_agencies,) if isinstance(rng, np.random.Generator) else (len(rng), n_agencies)
    u = _draws(rng, shape, np.random.Generator.random)
    return np.where(u < params.shock_rate, params.shock_size, 0.0)


def _draws(
    rng: np.random.Generator | Sequence[np.random.Generator],
    shape: tuple[int, ...],
    draw: Callable[..., np.ndarray],
) -> np.ndarray:
    """Draws of ``shape`` from one generator, or run by run (leading axis) from one per run, each
    written straight into its row (the same numbers as ``draw(g, shape[1:])``)."""
    if isinstance(rng, np.random.Generator):
        return draw(rng, shape)
    out = np.empty(shape)
    for g, row in zip(rng, out, strict=True):
        draw(g, out=row)
    return out


def apply_leaks(trust: np.ndarray, leaks: np.ndarray) -> np.ndarray:
    """Everyone's trust in a leaking agency ``b`` falls by the share ``leaks[b]``; clip to [0, 1].
    (Arrays may carry leading run axes: trust (R, A, A), leaks (R, A).)"""
    nxt = trust * (1.0 - leaks.clip(0.0, 1.0))[..., None, :]
    diagonal(nxt)[...] = 1.0  # (of every run)
    return nxt.clip(0.0, 1.0)
