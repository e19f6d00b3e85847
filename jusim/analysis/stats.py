"""Small, honest statistics: t-based confidence intervals for means and paired differences."""

from __future__ import annotations

import numpy as np
from scipy import stats


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
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / np.sqrt(n))
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
    half = stats.t.ppf(0.5 + level / 2, n - 1) * x.std(axis=0, ddof=1) / np.sqrt(n)
    return m, m - half, m + half
