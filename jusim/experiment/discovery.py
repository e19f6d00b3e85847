"""Scenario discovery: boxes of factor space where an outcome succeeds (PRIM, in numpy).

PRIM (Friedman & Fisher 1999) starts from the box holding every run and repeatedly peels a small
slice (``alpha`` of the runs in the box) off the low or high end of one factor, choosing the peel
that most raises the share of successful runs in what is left (the box's *density*). It stops when
no peel helps or the box would hold fewer than ``min_support`` of all runs. Each box on the way
trades *coverage* (share of all successes inside it) against density; we report the densest box
whose coverage is at least ``min_coverage``, after dropping restrictions that do not matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Box:
    """Limits on factors (only restricted ones) and how the box performs."""

    limits: dict[str, tuple[float, float]]
    density: float
    coverage: float
    support: float
    n: int


def _mask(x: pd.DataFrame, limits: dict[str, tuple[float, float]]) -> np.ndarray:
    m = np.ones(len(x), dtype=bool)
    for col, (lo, hi) in limits.items():
        v = x[col].to_numpy(float)
        m &= (v >= lo) & (v <= hi)
    return m


def _box(x: pd.DataFrame, y: np.ndarray, limits: dict[str, tuple[float, float]]) -> Box:
    m = _mask(x, limits)
    n = int(m.sum())
    total_success = max(int(y.sum()), 1)
    full = {c: (float(x[c].min()), float(x[c].max())) for c in x.columns}
    restricted = {c: lim for c, lim in limits.items() if lim != full[c]}
    return Box(
        limits=restricted,
        density=float(y[m].mean()) if n else 0.0,
        coverage=float(y[m].sum()) / total_success,
        support=n / len(y),
        n=n,
    )


def prim(
    x: pd.DataFrame, y: np.ndarray, alpha: float = 0.05, min_support: float = 0.05
) -> list[Box]:
    """The PRIM peeling trajectory, from the full box to the last admissible peel."""
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha = {alpha} must be between 0 and 0.5")
    if not 0 < min_support <= 1:
        raise ValueError(f"min_support = {min_support} must be in (0, 1]")
    y = np.asarray(y, dtype=bool)
    if len(x) != len(y) or len(y) == 0:
        raise ValueError("x and y must have the same, non-zero number of rows")
    cols = {c: x[c].to_numpy(float) for c in x.columns}
    limits = {c: (float(v.min()), float(v.max())) for c, v in cols.items()}
    inside = np.ones(len(y), dtype=bool)
    trajectory = [_box(x, y, limits)]
    min_n = max(1, int(np.ceil(min_support * len(y))))
    while True:
        current = y[inside].mean()
        best = None
        for c, v in cols.items():
            vin = v[inside]
            levels = np.unique(vin)
            if levels.size < 2:
                continue
            lo_q, hi_q = np.quantile(vin, alpha), np.quantile(vin, 1 - alpha)
            # low end: drop values below the alpha-quantile, or the lowest level if tied
            new_lo = lo_q if lo_q > levels[0] else levels[1]
            # high end likewise
            new_hi = hi_q if hi_q < levels[-1] else levels[-2]
            for side, keep in (
                ("lo", inside & (v >= new_lo)),
                ("hi", inside & (v <= new_hi)),
            ):
                n = int(keep.sum())
                if n < min_n or n == int(inside.sum()):
                    continue
                # gain in density per run peeled off (Friedman & Fisher): small peels first
                gain = (y[keep].mean() - current) / (int(inside.sum()) - n)
                score = (gain, n)
                if best is None or score > best[0]:
                    best = (score, c, side, keep)
        if best is None or best[0][0] <= 0:
            break
        _, c, side, keep = best
        lo, hi = limits[c]
        if side == "lo":
            limits[c] = (float(cols[c][keep].min()), hi)
        else:
            limits[c] = (lo, float(cols[c][keep].max()))
        inside = keep
        trajectory.append(_box(x, y, limits))
    return trajectory


def choose(trajectory: list[Box], min_coverage: float = 0.5) -> Box:
    """The densest box with coverage >= ``min_coverage`` (ties: more coverage)."""
    ok = [b for b in trajectory if b.coverage >= min_coverage] or trajectory[:1]
    return max(ok, key=lambda b: (round(b.density, 12), b.coverage))


def simplify(x: pd.DataFrame, y: np.ndarray, box: Box, tolerance: float = 0.01) -> Box:
    """Drop restrictions whose removal lowers the density by less than ``tolerance`` or two
    standard errors of the box's density (whichever is larger): they do not matter."""
    y = np.asarray(y, dtype=bool)
    limits = dict(box.limits)
    se = np.sqrt(box.density * (1 - box.density) / max(box.n, 1))
    tolerance = max(tolerance, 2 * se)
    while limits:
        trials = [(c, _box(x, y, _without(limits, c))) for c in limits]
        c, best = max(trials, key=lambda t: t[1].density)
        if best.density < box.density - tolerance:
            break
        limits = _without(limits, c)
    return _box(x, y, limits)


def _without(limits: dict, c: str) -> dict:
    return {k: v for k, v in limits.items() if k != c}


def _num(v: float, integer: bool) -> str:
    return str(round(v)) if integer else f"{v:.3g}"


def describe(
    box: Box,
    x: pd.DataFrame,
    labels: dict[str, str] | None = None,
    kinds: dict[str, str] | None = None,
) -> str:
    """Plain words: "pooled share >= 0.2 and churn scale <= 1.5: 84% of runs succeed (...)"."""
    labels = labels or {}
    kinds = kinds or {}
    parts = []
    for c, (lo, hi) in box.limits.items():
        name = labels.get(c, c.replace("_", " "))
        v = x[c]
        vmin, vmax = float(v.min()), float(v.max())
        if kinds.get(c) == "bool":
            parts.append(f"{name} {'on' if lo >= 1 else 'off'}")
            continue
        integer = kinds.get(c) == "int"
        if lo > vmin and hi < vmax:
            parts.append(f"{_num(lo, integer)} <= {name} <= {_num(hi, integer)}")
        elif lo > vmin:
            parts.append(f"{name} >= {_num(lo, integer)}")
        elif hi < vmax:
            parts.append(f"{name} <= {_num(hi, integer)}")
    where = " and ".join(parts) if parts else "anywhere in the design"
    return (
        f"{where}: {box.density:.0%} of runs succeed "
        f"(coverage {box.coverage:.0%}, {box.n} runs, {box.support:.0%} of all)"
    )


@dataclass
class Discovery:
    """The outcome of :func:`discover`."""

    success_rate: float
    n_runs: int
    box: Box
    trajectory: list[Box]
    text: str
    skipped: list[str]


def discover(
    runs: pd.DataFrame,
    factors: list[str],
    metric: str,
    threshold: float,
    below: bool = False,
    labels: dict[str, str] | None = None,
    alpha: float = 0.05,
    min_support: float = 0.05,
    min_coverage: float = 0.5,
) -> Discovery:
    """PRIM over stored runs: success = ``metric >= threshold`` (``<=`` with ``below``)."""
    if metric not in runs.columns:
        raise ValueError(f"metric '{metric}' is not stored in this sweep")
    vals = runs[metric].to_numpy(float)
    with np.errstate(invalid="ignore"):
        y = (vals <= threshold) if below else (vals >= threshold)
    y &= np.isfinite(vals)
    cols: dict[str, Any] = {}
    kinds: dict[str, str] = {}
    skipped = []
    for f in factors:
        s = runs[f]
        if s.dtype == bool:
            cols[f], kinds[f] = s.astype(float), "bool"
        elif pd.api.types.is_integer_dtype(s):
            cols[f], kinds[f] = s.astype(float), "int"
        elif pd.api.types.is_numeric_dtype(s):
            cols[f], kinds[f] = s.astype(float), "float"
        else:
            skipped.append(f)
    if not cols:
        raise ValueError("no numeric factors to search over")
    x = pd.DataFrame(cols)
    if not y.any():
        raise ValueError(
            f"no run has {metric} {'<=' if below else '>='} {threshold}: nothing to discover "
            f"(the metric ranges {np.nanmin(vals):.3g} to {np.nanmax(vals):.3g})"
        )
    traj = prim(x, y, alpha=alpha, min_support=min_support)
    box = simplify(x, y, choose(traj, min_coverage))
    return Discovery(
        success_rate=float(y.mean()),
        n_runs=len(y),
        box=box,
        trajectory=traj,
        text=describe(box, x, labels, kinds),
        skipped=skipped,
    )
