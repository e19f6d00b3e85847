"""Matplotlib figures: outcome trajectories with 95% interval bands."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from jusim.analysis.stats import band, range_band
from jusim.metrics import RunResult


def trajectory_figure(
    runs: dict[str, list[RunResult]], baseline: str | None = None, ranges: bool = False
):
    """One panel per outcome: mean attainment by month with a 95% band, one line per scenario.

    The band is the t interval of the mean, or with ``ranges`` (a comparison over a parameter
    ensemble) the central 95% range of the runs."""
    bands = range_band if ranges else band
    first = next(iter(runs.values()))[0]
    n = len(first.outcomes)
    fig, axes = plt.subplots(1, n, figsize=(5 * n, 4), squeeze=False, sharey=False)
    for k, outcome in enumerate(first.outcomes):
        ax = axes[0, k]
        for name, arm in runs.items():
            att = np.stack([r.attainment[:, k] for r in arm])
            m, lo, hi = bands(att)
            months = np.arange(att.shape[1])
            style = "--" if name == baseline else "-"
            (line,) = ax.plot(months, m, style, label=name)
            ax.fill_between(months, lo, hi, color=line.get_color(), alpha=0.2, linewidth=0)
        ax.axhline(1.0, color="grey", lw=0.8)
        ax.axvline(first.deadline[k], color="grey", lw=0.8, ls=":")
        ax.set_title(outcome.replace("_", " "))
        ax.set_xlabel("month")
        ax.set_ylabel("attainment (1 = target met)")
    axes[0, -1].legend(fontsize=8, loc="best")
    fig.tight_layout()
    return fig
