"""Small, honest statistics: t-based confidence intervals for means and paired differences."""

from __future__ import annotations

import numpy as np

from jusim.lazy import lazy

special = lazy("scipy.special")  # stdtrit, ndtri: the t and normal quantiles (without scipy.stats);
# 0.55 s to import on the shared machine (issue 20), which only the analysis after runs needs


def mean_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided t interval over the first axis; NaNs are dropped."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return float("nan"), float("nan"), float("nan")
    m = float(x.mean())
    if n == 1:
        return m, float("nan"), float("nan")
    half = float(special.stdtrit(n - 1, 0.5 + level / 2) * x.std(ddof=1) / np.sqrt(n))
    return m, m - half, m + half


def paired_diff_ci(arm: np.ndarray, base: np.ndarray, level: float = 0.95):
    """Mean paired difference arm - base (same seeds) with its t interval."""
    return mean_ci(np.asarray(arm, float) - np.asarray(base, float), level)


def band(values: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-column mean and t interval for a (replications, months) array."""
    x = np.asarray(values, dtype=float)
    n = x.shape[0]
    m = x.mean(axis=0)
    if n < 2:
        return m, m, m
    half = special.stdtrit(n - 1, 0.5 + level / 2) * x.std(axis=0, ddof=1) / np.sqrt(n)
    return m, m - half, m + half


def spread(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and the central ``level`` range (percentiles, linear interpolation) of the finite
    values: where single runs fall, not where their mean lies, so it does not shrink as more
    runs are added."""
    x = np.asarray(values, dtype=float).ravel()
    x = x[np.isfinite(x)]
    if x.size == 0:
        return float("nan"), float("nan"), float("nan")
    tail = (1 - level) / 2
    low, high = np.quantile(x, [tail, 1 - tail])
    return float(x.mean()), float(low), float(high)


def seed_halfwidth(values: np.ndarray, level: float = 0.95) -> float:
    """Half-width of the chance-only range for a (draws, seeds) array: the normal ``level``
    quantile times the pooled within-draw standard deviation (each draw's sample variance about
    its own mean, pooled with weights = its degrees of freedom). It is how far single runs
    spread from chance alone when the parameters are held at one draw. NaN with one seed."""
    x = np.asarray(values, dtype=float)
    ss, dof = 0.0, 0
    for row in x.reshape(x.shape[0], -1):
        row = row[np.isfinite(row)]
        if row.size >= 2:
            ss += float(((row - row.mean()) ** 2).sum())
            dof += row.size - 1
    if dof == 0:
        return float("nan")
    return float(special.ndtri(0.5 + level / 2) * np.sqrt(ss / dof))


def paired_effect(arm: np.ndarray, base: np.ndarray, level: float = 0.95) -> dict[str, float]:
    """Paired differences ``arm - base`` of two (draws, seeds) arrays run on the same draw and
    seed: ``effect`` (their mean), ``low``/``high`` (the central ``level`` range over all
    pairs: parameter and chance variation together) and ``seed_low``/``seed_high`` (``effect``
    plus and minus :func:`seed_halfwidth`: chance variation alone). Pairs with a missing value
    in either arm are left out."""
    d = np.asarray(arm, dtype=float) - np.asarray(base, dtype=float)
    effect, low, high = spread(d, level)
    half = seed_halfwidth(d, level)
    return {
        "effect": effect,
        "low": low,
        "high": high,
        "seed_low": effect - half,
        "seed_high": effect + half,
    }


def range_band(
    values: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-column mean and central ``level`` range (percentiles) for a (runs, months) array:
    the band single runs fall in, which does not narrow as runs are added."""
    x = np.asarray(values, dtype=float)
    tail = (1 - level) / 2
    low, high = np.quantile(x, [tail, 1 - tail], axis=0)
    return x.mean(axis=0), low, high
