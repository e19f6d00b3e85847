"""Global sensitivity indices (Sobol, Morris) through SALib, computed from stored runs.

SALib checks its inputs with ``assert``; the wrappers here validate first and raise
:class:`SensitivityError` with a readable message. The output is a tidy table: one row per
(metric, factor, index) with the estimate and its confidence interval.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


class SensitivityError(ValueError):
    """Inputs that cannot give sensitivity indices."""


def _check_problem(problem: dict[str, Any]) -> int:
    for key in ("num_vars", "names", "bounds"):
        if key not in problem:
            raise SensitivityError(f"problem is missing '{key}'")
    d = int(problem["num_vars"])
    if d < 1 or len(problem["names"]) != d or len(problem["bounds"]) != d:
        raise SensitivityError("problem: num_vars, names and bounds disagree")
    for name, (lo, hi) in zip(problem["names"], problem["bounds"], strict=True):
        if not lo < hi:
            raise SensitivityError(f"factor {name}: bounds [{lo}, {hi}] need low < high")
    return d


def _check_y(y: np.ndarray, what: str) -> np.ndarray:
    y = np.asarray(y, dtype=float).ravel()
    bad = ~np.isfinite(y)
    if bad.any():
        raise SensitivityError(
            f"{what}: {int(bad.sum())} of {y.size} design points have no finite value "
            "(e.g. a cost per outcome with nothing resolved); choose another metric"
        )
    return y


def sobol_indices(
    problem: dict[str, Any],
    y: np.ndarray,
    second_order: bool = False,
    conf_level: float = 0.95,
    seed: int = 0,
    what: str = "metric",
) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices with confidence intervals.

    ``y`` are the model outputs in the order of ``SALib.sample.sobol.sample``.
    """
    from SALib.analyze import sobol

    d = _check_problem(problem)
    y = _check_y(y, what)
    step = 2 * d + 2 if second_order else d + 2
    if y.size == 0 or y.size % step:
        raise SensitivityError(
            f"{what}: {y.size} outputs is not a multiple of {step} (a Sobol sample of "
            f"{d} factors{' with second order' if second_order else ''}); is the sweep complete?"
        )
    if not 0 < conf_level < 1:
        raise SensitivityError(f"conf_level {conf_level} must be between 0 and 1")
    if np.ptp(y) == 0:
        raise SensitivityError(f"{what} does not vary across the design: no indices to compute")
    res = sobol.analyze(
        problem, y, calc_second_order=second_order, conf_level=conf_level, seed=seed
    )
    rows = []
    for i, name in enumerate(problem["names"]):
        for idx in ("S1", "ST"):
            est, conf = float(res[idx][i]), float(res[f"{idx}_conf"][i])
            rows.append((name, idx, est, conf, est - conf, est + conf))
    return pd.DataFrame(rows, columns=["factor", "index", "value", "conf", "low", "high"])


def morris_indices(
    problem: dict[str, Any],
    x: np.ndarray,
    y: np.ndarray,
    num_levels: int = 4,
    conf_level: float = 0.95,
    seed: int = 0,
    what: str = "metric",
) -> pd.DataFrame:
    """Morris elementary effects: mu* (with confidence interval) and sigma per factor."""
    from SALib.analyze import morris

    d = _check_problem(problem)
    y = _check_y(y, what)
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape != (y.size, d):
        raise SensitivityError(f"{what}: X has shape {x.shape}, expected ({y.size}, {d})")
    if y.size == 0 or y.size % (d + 1):
        raise SensitivityError(
            f"{what}: {y.size} outputs is not a multiple of {d + 1} (Morris trajectories of "
            f"{d} factors); is the sweep complete?"
        )
    if not 0 < conf_level < 1:
        raise SensitivityError(f"conf_level {conf_level} must be between 0 and 1")
    res = morris.analyze(problem, x, y, conf_level=conf_level, num_levels=num_levels, seed=seed)
    rows = []
    for i, name in enumerate(problem["names"]):
        mu_star, conf = float(res["mu_star"][i]), float(res["mu_star_conf"][i])
        rows.append((name, "mu_star", mu_star, conf, mu_star - conf, mu_star + conf))
        rows.append((name, "sigma", float(res["sigma"][i]), np.nan, np.nan, np.nan))
    return pd.DataFrame(rows, columns=["factor", "index", "value", "conf", "low", "high"])


def point_means(runs: pd.DataFrame, metric: str, n_points: int) -> np.ndarray:
    """Mean of ``metric`` over replications, per design point (ordered by point)."""
    if metric not in runs.columns:
        raise SensitivityError(f"metric '{metric}' is not stored in this sweep")
    means = runs.groupby("point")[metric].mean()
    if len(means) != n_points:
        raise SensitivityError(
            f"only {len(means)} of {n_points} design points are stored: finish the sweep first"
        )
    return means.sort_index().to_numpy(float)


def analyze_store(
    out: str | Path, metrics: list[str] | None = None, conf_level: float = 0.95
) -> pd.DataFrame:
    """Indices for each metric of a stored Sobol or Morris sweep; one tidy table."""
    from jusim.experiment.store import Store

    store = Store(out)
    man = store.manifest()
    design = man["design"]
    if design["kind"] not in ("sobol", "morris"):
        raise SensitivityError(
            f"{out}: the design is '{design['kind']}'; sensitivity indices need "
            '[design] kind = "sobol" or "morris"'
        )
    metrics = metrics or man["metrics"]
    unknown = [m for m in metrics if m not in man["metrics"]]
    if unknown:
        raise SensitivityError(f"metrics {unknown} are not stored; stored: {man['metrics']}")
    runs = store.runs()
    if len(runs) != man["total_runs"]:
        raise SensitivityError(
            f"{out}: {len(runs)} of {man['total_runs']} runs stored; finish the sweep first "
            "(run the same 'jusim sweep' command again)"
        )
    problem = {k: man["problem"][k] for k in ("num_vars", "names", "bounds")}
    raw = store.design()[[f"raw__{f}" for f in man["factors"]]].to_numpy(float)
    tables = []
    for m in metrics:
        y = point_means(runs, m, man["n_points"])
        if design["kind"] == "sobol":
            t = sobol_indices(problem, y, design["second_order"], conf_level, man["seed"], m)
        else:
            t = morris_indices(problem, raw, y, design["morris_levels"], conf_level, man["seed"], m)
        t.insert(0, "metric", m)
        tables.append(t)
    return pd.concat(tables, ignore_index=True)


def bar_chart(table: pd.DataFrame, path: str | Path, labels: dict[str, str] | None = None) -> Path:
    """One panel per metric: bars of each index per factor, with confidence intervals."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = labels or {}
    metrics = list(dict.fromkeys(table["metric"]))
    kinds = [k for k in ("S1", "ST", "mu_star") if k in set(table["index"])]
    fig, axes = plt.subplots(len(metrics), 1, figsize=(7, 2.2 + 1.6 * len(metrics)), squeeze=False)
    for ax, m in zip(axes[:, 0], metrics, strict=True):
        sub = table[table["metric"] == m]
        factors = list(dict.fromkeys(sub["factor"]))
        width = 0.8 / max(len(kinds), 1)
        for j, k in enumerate(kinds):
            rows = sub[sub["index"] == k].set_index("factor").reindex(factors)
            pos = np.arange(len(factors)) + (j - (len(kinds) - 1) / 2) * width
            ax.bar(pos, rows["value"], width, yerr=rows["conf"].fillna(0), capsize=3, label=k)
        ax.set_xticks(np.arange(len(factors)))
        ax.set_xticklabels([labels.get(f, f) for f in factors])
        ax.set_title(m, loc="left", fontsize=10)
        ax.axhline(0, color="black", linewidth=0.5)
        ax.legend(fontsize=8)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def resolution_advice(table: pd.DataFrame, manifest: dict[str, Any]) -> dict[str, str]:
    """Per metric, a warning when the indices are not resolved at this sample size, and the
    sample size that would resolve them.

    Not resolved: a first-order index above its total index by more than nothing (S1 <= ST holds
    for the true indices), or an interval wider than the index itself (its half-width above its
    value), or any interval wider than twice the aim below. Confidence intervals shrink as
    1/sqrt(N), so reaching a half-width ``h`` from ``c``
    at ``N`` takes about ``N (c / h)^2``: ``h`` = 0.05 for Sobol indices (which lie in [0, 1]),
    and a tenth of the largest mu* for Morris.
    """
    design = manifest["design"]
    kind = design["kind"]
    n = int(design["samples"])
    d = len(manifest["factors"])
    reps = int(manifest.get("replications", 1))
    out: dict[str, str] = {}
    for m, sub in table.groupby("metric", sort=False):
        problems = []
        if kind == "sobol":
            target = 0.05
            wide = sub[
                (sub["index"].isin(["S1", "ST"]))
                & (sub["conf"] > sub["value"].abs())
                & (sub["conf"] > target)
            ]
            s1 = sub[sub["index"] == "S1"].set_index("factor")
            st = sub[sub["index"] == "ST"].set_index("factor")["value"]
            above = [
                f
                for f in s1.index
                if s1.at[f, "value"] > st.get(f, np.inf)
                and (s1.at[f, "value"] - st[f] > target or s1.at[f, "conf"] > target)
            ]
            if above:
                problems.append(f"first-order above total for {', '.join(above)}")
            worst = float(sub.loc[sub["index"].isin(["S1", "ST"]), "conf"].max())
        else:
            mu = sub.loc[sub["index"] == "mu_star", "value"]
            target = max(0.1 * float(mu.abs().max()), 1e-12)
            wide = sub[
                (sub["index"] == "mu_star")
                & (sub["conf"] > sub["value"].abs())
                & (sub["conf"] > target)
            ]
            worst = float(sub.loc[sub["index"] == "mu_star", "conf"].max())
        if len(wide):
            names = ", ".join(dict.fromkeys(wide["factor"]))
            problems.append(f"intervals wider than the index for {names}")
        elif np.isfinite(worst) and worst > 2 * target:
            problems.append(f"intervals as wide as ±{worst:.2g}")
        if not problems:
            continue
        factor = max((worst / target) ** 2, 1.0) if np.isfinite(worst) else 4.0
        if kind == "sobol":
            need = int(2 ** math.ceil(math.log2(max(n * factor, n * 2))))
            per = 2 * d + 2 if design.get("second_order") else d + 2
            what = f"samples = {need} ({need * per * reps:,} runs)"
        else:
            need = math.ceil(max(n * factor, n * 2))
            what = f"samples = {need} trajectories ({need * (d + 1) * reps:,} runs)"
        out[m] = (
            f"Warning: these indices are not resolved at samples = {n}: "
            + "; ".join(problems)
            + f". Intervals shrink as 1/sqrt(samples); to bring them to ±{target:.2g}, set "
            f"[design] {what}."
        )
    return out
