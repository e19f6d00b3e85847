"""Figures and tables: the calibration's fit (posterior predictive of each NAO target against its
value and tolerance, from fresh runs of the shipped posterior draws) and its posterior (each fitted
parameter's draws against its prior range, ``jusim/data/priors.toml``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from jusim.analysis.targets import TARGETS, Worlds, simulate
from jusim.calibration import _wquantile, _wsd, load_calibration
from jusim.ensemble import resolve_ensemble
from jusim.priors import prior_map

PNG = {"Software": None}
ROOT = Path(__file__).resolve().parents[2]
CALIBRATION = ROOT / "experiments" / "calibration.toml"


def verdict(ratio: float) -> str:
    """The calibration report's reading of posterior sd / prior sd (``jusim.calibration``)."""
    return "pinned down" if ratio < 0.5 else ("narrowed" if ratio < 0.8 else "stays at prior")


def predictive(ens, n: int, replications: int, seed: int) -> pd.DataFrame:
    """Target statistics of fresh runs of ``n`` draws (one row per draw; new seeds per draw)."""
    chosen = ens.select(n)
    worlds = Worlds.shipped()
    rows = []
    for i in range(len(chosen)):
        params = dict(zip(chosen.paths, chosen.values[i], strict=True))
        stats = simulate(params, seed + i, replications, worlds)
        rows.append({"draw": int(chosen.ids[i]), **stats})
    return pd.DataFrame(rows)


def fit_table(pred: pd.DataFrame, targets: dict, fitted: list[str]) -> pd.DataFrame:
    rows = []
    for name, t in targets.items():
        v = pred[name].to_numpy(float)
        value, tol = float(t["value"]), float(t["tolerance"])
        rows.append(
            {
                "target": name,
                "what": TARGETS[name].what,
                "source": TARGETS[name].source,
                "fitted": name in fitted,
                "value": value,
                "tolerance": tol,
                "median": float(np.median(v)),
                "low90": float(np.quantile(v, 0.05)),
                "high90": float(np.quantile(v, 0.95)),
                "share_within_tolerance": float(np.mean(np.abs(v - value) <= tol)),
            }
        )
    return pd.DataFrame(rows)


def posterior_table(ens, priors: dict) -> pd.DataFrame:
    rows = []
    w = ens.weights
    for j, path in enumerate(ens.paths):
        p = priors[path]
        x = ens.values[:, j].astype(float)
        lo, med, hi = _wquantile(x, w, [0.05, 0.5, 0.95])
        ratio = _wsd(x, w) / p.spread
        rows.append(
            {
                "parameter": path,
                "prior": p.dist,
                "prior_low": p.low,
                "prior_high": p.high,
                "default": p.default,
                "kind": p.kind,
                "median": med,
                "low90": lo,
                "high90": hi,
                "sd_ratio": ratio,
                "verdict": verdict(ratio),
            }
        )
    return pd.DataFrame(rows)


def fit_figure(pred: pd.DataFrame, fit: pd.DataFrame):
    cols = 3
    rows = -(-len(fit) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.3 * cols, 2.6 * rows), squeeze=False)
    for ax, r in zip(axes.flat, fit.itertuples(), strict=False):
        ax.axvspan(r.value - r.tolerance, r.value + r.tolerance, color="#9c9", alpha=0.4)
        ax.axvline(r.value, color="green", lw=1.2, label="NAO value ± tolerance")
        ax.hist(pred[r.target], bins=15, color="#4a7ab0", alpha=0.85, label="posterior predictive")
        ax.set_title(f"{r.target} ({'fitted' if r.fitted else 'reported'})", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes.flat[len(fit) :]:
        ax.axis("off")
    axes[0][0].legend(fontsize=6)
    fig.tight_layout()
    return fig


def posterior_figure(ens, post: pd.DataFrame, priors: dict):
    cols = 4
    rows = -(-len(post) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.6 * cols, 2.2 * rows), squeeze=False)
    for j, (ax, r) in enumerate(zip(axes.flat, post.itertuples(), strict=False)):
        x = ens.values[:, j].astype(float)
        bins = np.linspace(r.prior_low, r.prior_high, 16)
        ax.hist(x, bins=bins, color="#4a7ab0", alpha=0.85, weights=ens.weights * len(x))
        expected = len(x) * np.diff(priors[r.parameter].frozen().cdf(bins))  # under the prior
        ax.stairs(expected, bins, color="grey", lw=1, ls="--")
        ax.axvline(r.default, color="black", lw=1)
        ax.set_xlim(r.prior_low, r.prior_high)
        ax.set_title(f"{r.parameter.split('.', 1)[1]}\n{r.verdict}", fontsize=7)
        ax.tick_params(labelsize=6)
    for ax in axes.flat[len(post) :]:
        ax.axis("off")
    fig.tight_layout()
    return fig


def build(out: Path, size) -> tuple[str, list[Path]]:
    ens, note = resolve_ensemble("default")
    if ens is None:
        raise SystemExit(f"the paper's calibration figure needs the shipped ensemble: {note}")
    info = ens.info
    spec = load_calibration(CALIBRATION)
    fitted = spec.fitted_targets()
    same = hashlib.sha256(CALIBRATION.read_bytes()).hexdigest() == info.get("calibration_sha256")
    n = min(size.calibration_draws, ens.total)
    pred = predictive(ens, n, size.calibration_replications, size.seed)
    fit = fit_table(pred, info["targets"], fitted)
    priors = prior_map()
    post = posterior_table(ens, priors)
    files = {
        "pred": out / "calibration_predictive.csv",
        "fit": out / "calibration_fit.csv",
        "post": out / "calibration_posterior.csv",
        "fit_png": out / "calibration_fit.png",
        "post_png": out / "calibration_posterior.png",
    }
    pred.to_csv(files["pred"], index=False, float_format="%.10g")
    fit.to_csv(files["fit"], index=False, float_format="%.10g")
    post.to_csv(files["post"], index=False, float_format="%.10g")
    for fig, key in (
        (fit_figure(pred, fit), "fit_png"),
        (posterior_figure(ens, post, priors), "post_png"),
    ):
        fig.savefig(files[key], dpi=110, metadata=PNG)
        plt.close(fig)
    unfitted = len(priors) - len(ens.paths)
    eps = ", ".join(f"{e:.2f}" for e in info.get("epsilons", []))
    lines = [
        "## Calibration: fit and posterior",
        "",
        f"The shipped posterior (`jusim/data/ensemble.csv`: {ens.total} equal-weight draws) comes "
        f"from ABC-SMC (pyabc {info.get('pyabc_version', '?')}, population "
        f"{info.get('population', '?')}, {info.get('generations', '?')} generations, epsilons "
        f"{eps}; {info.get('simulations', '?')} particles simulated, seed {info.get('seed', '?')}) "
        f"on `experiments/calibration.toml`"
        + (
            " (unchanged since)."
            if same
            else " (**the file has changed since the ensemble was made**: rerun the calibration)."
        ),
        "",
        f"**Fit.** Posterior predictive: {len(pred)} draws of the ensemble run afresh "
        f"({size.calibration_replications} replication(s) of the five target worlds each, seeds "
        f"{size.seed}..{size.seed + len(pred) - 1} mixed with the draw's values), against the NAO "
        "figure and its tolerance (`jusim/analysis/targets.py`). Targets marked *reported* were "
        "not fitted. Data: `paper/calibration_fit.csv`, `paper/calibration_predictive.csv`.",
        "",
        "![posterior predictive](paper/calibration_fit.png)",
        "",
        "| target | fitted | NAO value ± tolerance | median | 90% range | share within |",
        "|---|---|---|---|---|---|",
    ]
    for r in fit.itertuples():
        lines.append(
            f"| `{r.target}`: {r.what} ({r.source}) | {'yes' if r.fitted else 'no, reported'} | "
            f"{r.value:.3g} ± {r.tolerance:.3g} | {r.median:.3g} | "
            f"[{r.low90:.3g}, {r.high90:.3g}] | {r.share_within_tolerance:.0%} |"
        )
    lines += [
        "",
        f"**Posterior.** The {len(post)} fitted parameters (the screen's top factors): the "
        "ensemble's draws on each parameter's prior range (bars; dashed: as many draws from "
        "the prior; black: the code default). *Pinned down*: the draws' sd under half the "
        "prior's; *narrowed*: under 0.8; else it *stays at prior* (the data say little about it). "
        f"The other {unfitted} parameters with a prior in `jusim/data/priors.toml` were not "
        "fitted and stay at their defaults in every draw. Data: `paper/calibration_posterior.csv`.",
        "",
        "![posterior marginals](paper/calibration_posterior.png)",
        "",
        "| parameter | prior | default | posterior median [90%] | sd ratio | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for r in post.itertuples():
        lines.append(
            f"| `{r.parameter}` | {r.prior} {r.prior_low:.3g}–{r.prior_high:.3g} ({r.kind}) | "
            f"{r.default:.3g} | {r.median:.3g} [{r.low90:.3g}, {r.high90:.3g}] | "
            f"{r.sd_ratio:.2f} | {r.verdict} |"
        )
    return "\n".join(lines) + "\n", list(files.values())
