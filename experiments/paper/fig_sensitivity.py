"""Figure and table: how much the main comparison (the Rough Sleepers Unit minus silo, attainment
of rough sleeping at the horizon) moves with each calibrated parameter.

Design: one at a time over the posterior. For each fitted parameter, every run takes a posterior
draw (``draws`` draws of the shipped ensemble x ``seeds`` seeds) and sets that one parameter to
its posterior 5th, then its 95th percentile (over the whole ensemble), the others staying at the
draw's values; the unit and silo run on the same draws and seeds in every arm (paired), so the
swing (difference at the 95th minus at the 5th percentile) is a paired difference of differences,
reported with a 95% t interval over draws x seeds and judged against the attainment SESOI of
``jusim.analysis.claims`` (0.05 of a target). Interactions between parameters are not measured
(a one-at-a-time design cannot see them).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import jusim
from jusim.analysis.claims import ATTAINMENT
from jusim.analysis.compare import replication_seeds
from jusim.analysis.stats import mean_ci
from jusim.calibration import _wquantile
from jusim.ensemble import resolve_ensemble
from jusim.tables import num

PNG = {"Software": None}
ARM, BASE, OUTCOME = "rough_sleepers_unit", "silo", "rough_sleeping"


def levels(ens) -> dict[str, tuple[float, float]]:
    """Each parameter's posterior 5th and 95th percentiles (whole numbers stay whole)."""
    out = {}
    for j, path in enumerate(ens.paths):
        column = ens.values[:, j]
        lo, hi = _wquantile(column.astype(float), ens.weights, [0.05, 0.95])
        whole = all(isinstance(v, int) for v in column)
        out[path] = (round(lo), round(hi)) if whole else (lo, hi)
    return out


def attainment(arm, chosen, seeds_per_draw: int, seeds, change: dict) -> np.ndarray:
    """Attainment at the horizon of ``arm`` on every (draw, seed), ``change`` set over each
    draw where the path applies to the arm."""
    worlds = []
    for d in range(len(chosen)):
        world = chosen.apply(arm, d)
        here = {k: v for k, v in change.items() if k in chosen.overrides(arm, d)}
        worlds.append(world.with_overrides(here) if here else world)
    scenarios = [worlds[k // seeds_per_draw] for k in range(len(seeds))]
    runs = jusim.run_batch(scenarios, seeds)
    k = runs[0].outcomes.index(OUTCOME)
    return np.array([r.attainment[-1][k] for r in runs])


def verdict(lo: float, hi: float, sesoi: float) -> str:
    if lo > sesoi or hi < -sesoi:
        return "beyond the SESOI"
    if lo > -sesoi and hi < sesoi:
        return "within the SESOI"
    return "not resolved"


def build(out: Path, size) -> tuple[str, list[Path]]:
    ens, note = resolve_ensemble("default")
    if ens is None:
        raise SystemExit(f"the paper's sensitivity figure needs the shipped ensemble: {note}")
    arm, base = jusim.as_scenario(ARM), jusim.as_scenario(BASE)
    if size.horizon:
        arm = arm.with_overrides({"horizon": size.horizon})
        base = base.with_overrides({"horizon": size.horizon})
    chosen = ens.select(min(size.sensitivity_draws, ens.total))
    s = size.sensitivity_replications
    seeds = replication_seeds(size.seed, len(chosen) * s)

    def diff(change: dict) -> np.ndarray:
        return attainment(arm, chosen, s, seeds, change) - attainment(
            base, chosen, s, seeds, change
        )

    at_draws = diff({})
    sesoi = ATTAINMENT.value
    rows = []
    for path, (lo, hi) in levels(ens).items():
        d_lo, d_hi = diff({path: lo}), diff({path: hi})
        m, c_lo, c_hi = mean_ci(d_hi - d_lo)
        rows.append(
            {
                "parameter": path,
                "p05": lo,
                "p95": hi,
                "effect_at_p05": float(d_lo.mean()),
                "effect_at_p95": float(d_hi.mean()),
                "swing": m,
                "swing_ci_low": c_lo,
                "swing_ci_high": c_hi,
                "verdict": verdict(c_lo, c_hi, sesoi),
            }
        )
    table = pd.DataFrame(rows).sort_values("swing", key=np.abs, ascending=False, kind="stable")
    m0, lo0, hi0 = mean_ci(at_draws)
    csv, png = out / "sensitivity.csv", out / "sensitivity.png"
    table.to_csv(csv, index=False, float_format="%.10g")

    fig, ax = plt.subplots(figsize=(7, 0.45 * len(table) + 1.9))
    y = np.arange(len(table))[::-1]
    ax.axvspan(m0 - sesoi, m0 + sesoi, color="#ddd", label=f"± SESOI ({sesoi:g}) about the mean")
    for yy, r in zip(y, table.itertuples(), strict=True):
        ax.plot([r.effect_at_p05, r.effect_at_p95], [yy, yy], color="#999", lw=1)
        ax.plot(r.effect_at_p05, yy, "o", color="#c0504d", ms=5)
        ax.plot(r.effect_at_p95, yy, "o", color="#4a7ab0", ms=5)
    ax.plot([], [], "o", color="#c0504d", label="at its posterior 5th percentile")
    ax.plot([], [], "o", color="#4a7ab0", label="at its 95th percentile")
    ax.axvline(m0, color="black", lw=1, label="at the posterior draws")
    ax.set_yticks(y, [r.parameter.split(".", 1)[1] for r in table.itertuples()], fontsize=7)
    ax.set_xlabel(f"unit minus silo, {OUTCOME} attainment at month {arm.horizon}", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    # below the axes: inside, it would cover the last row's points
    ax.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    fig.tight_layout()
    fig.savefig(png, dpi=110, metadata=PNG)
    plt.close(fig)

    n = len(at_draws)
    lines = [
        "## Sensitivity of the main comparison",
        "",
        f"The Rough Sleepers Unit minus silo, {OUTCOME} attainment at month {arm.horizon}: "
        f"{num(m0, 2, True)} [{num(lo0, 2, True)}, {num(hi0, 2, True)}] (mean, 95% t interval) over {len(chosen)} posterior "
        f"draws x {s} seeds (master seed {size.seed}). One parameter at a time, each "
        "calibrated parameter set to its posterior 5th and 95th percentile while the others keep "
        "each draw's values, on the same draws and seeds in both arms and at both levels "
        f"({(2 * len(table) + 1) * 2 * n} runs). *Swing*: the difference at the 95th minus at the "
        f"5th percentile, 95% t interval over the {n} paired runs, against the attainment SESOI "
        f"({sesoi:g} of a target, `jusim/analysis/claims.py`). One at a time: interactions are "
        "not measured. Data: `paper/sensitivity.csv`.",
        "",
        "![sensitivity](paper/sensitivity.png)",
        "",
        "| parameter | posterior 5th-95th | unit minus silo at 5th / 95th | swing [95% CI] | "
        "against the SESOI |",
        "|---|---|---|---|---|",
    ]
    for r in table.itertuples():
        lines.append(
            f"| `{r.parameter}` | {r.p05:.3g} – {r.p95:.3g} | {num(r.effect_at_p05, 2, True)} / "
            f"{num(r.effect_at_p95, 2, True)} | {num(r.swing, 3, True)} "
            f"[{num(r.swing_ci_low, 3, True)}, {num(r.swing_ci_high, 3, True)}] | {r.verdict} |"
        )
    return "\n".join(lines) + "\n", [csv, png]
