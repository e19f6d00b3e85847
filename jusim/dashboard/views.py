"""The PNG export's figures (matplotlib, no pyplot: safe in Solara's threads).

The page itself draws its charts in the browser (``charts.py``); these are made only when a
participant clicks *Export charts (PNG)*.

- ``network_figure``: agencies laid out by a seeded layout; node size = budget, colour = share of
  discretionary resources on joint work, edge width = trust between partners; optionally the
  staff ties between agencies (orange, width = tie strength);
- ``outcome_figure``: each outcome's need against its target and deadline, current levers (solid)
  and silo behaviour (dashed) on the same seed, with replication bands when available.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from jusim.metrics import RunResult

matplotlib.use("Agg")

CURRENT = "#1f77b4"
SILO = "#7f7f7f"
TARGET = "#2ca02c"
TIES = "#ff7f0e"


@lru_cache(maxsize=32)
def layout(names: tuple[str, ...], kinds: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """Deterministic circular layout, agencies of one kind next to each other."""
    order = sorted(range(len(names)), key=lambda k: (kinds[k], names[k]))
    n = max(len(names), 1)
    return {
        names[k]: (float(np.cos(2 * np.pi * i / n)), float(np.sin(2 * np.pi * i / n)))
        for i, k in enumerate(order)
    }


def network_figure(model: Any, show_staff: bool = False) -> Figure:
    """The agency network of a model at its current month."""
    w = model.world
    names, kinds = list(w.agency_names), list(w.kinds)
    pos = layout(tuple(names), tuple(kinds))
    xy = np.array([pos[n] for n in names])
    s = model.recorder.s
    joint = s["joint_share"][model.month] if model.month > 0 else np.zeros(len(names))
    involved = w.involved.astype(float)
    partners = (involved.T @ involved) > 0
    np.fill_diagonal(partners, False)

    fig = Figure(figsize=(6.4, 5.2), dpi=100)
    ax = fig.add_subplot()
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if partners[i, j]:
                t = 0.5 * (model.trust[i, j] + model.trust[j, i])
                ax.plot(*xy[[i, j]].T, color="#4c72b0", lw=0.5 + 6 * t**2, alpha=0.35, zorder=1)
            if show_staff and model.relationship[i, j] > 0.01:
                r = max(model.relationship[i, j], model.relationship[j, i])
                ax.plot(*xy[[i, j]].T, color=TIES, lw=0.5 + 5 * r, ls="--", alpha=0.8, zorder=2)
    budget = np.asarray(model.budget, float)
    size = 80 + 1400 * np.sqrt(budget / max(budget.max(), 1e-9))
    sc = ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=size,
        c=joint,
        cmap="viridis",
        vmin=0,
        vmax=max(0.5, float(np.nanmax(joint)) if len(joint) else 0.5),
        edgecolors="black",
        linewidths=0.8,
        zorder=3,
    )
    for k, n in enumerate(names):
        ax.annotate(
            n.replace("_", " "),
            xy[k],
            xytext=(0, -14 - np.sqrt(size[k]) / 2.5),
            textcoords="offset points",
            ha="center",
            fontsize=7.5,
            zorder=4,
        )
    fig.colorbar(sc, ax=ax, shrink=0.7, label="share of discretionary budget on joint work")
    ax.set_title(
        f"Agency network, month {model.month}: size = budget, edge = trust"
        + (", orange = staff ties" if show_staff else ""),
        fontsize=9,
    )
    ax.set_axis_off()
    ax.margins(0.18)
    fig.tight_layout()
    return fig


def outcome_figure(
    current: RunResult,
    silo: RunResult,
    horizon: int,
    bands: Any | None = None,
) -> Figure:
    """Need against target for every outcome: current levers vs silo, same seed."""
    outcomes = current.outcomes
    fig = Figure(figsize=(4.6 * len(outcomes), 3.3), dpi=100)
    axes = fig.subplots(1, len(outcomes), squeeze=False)[0]
    for k, (ax, name) in enumerate(zip(axes, outcomes, strict=True)):
        if bands is not None and name in bands.outcomes:
            o = bands.outcomes.index(name)
            for arm, colour in (("current", CURRENT), ("silo", SILO)):
                mean, lo, hi = (x[:, o] for x in bands.need[arm])
                months = np.arange(len(mean))
                ax.fill_between(months, lo, hi, color=colour, alpha=0.18, lw=0)
                ax.plot(months, mean, color=colour, lw=0.8, alpha=0.6)
        ax.plot(silo.months, silo.series["need"][:, k], color=SILO, ls="--", lw=2, label="silo")
        ax.plot(current.months, current.series["need"][:, k], color=CURRENT, lw=2.2, label="levers")
        ax.axhline(current.target[k], color=TARGET, lw=1.2, ls=":", label="target")
        ax.axvline(current.deadline[k], color=TARGET, lw=1.0, alpha=0.5)
        ax.set_xlim(0, horizon)
        top = float(current.need0[k]) * 1.15
        ax.set_ylim(0, max(top, float(np.nanmax(current.series["need"][:, k])) * 1.05))
        ax.set_title(f"{name.replace('_', ' ')}: need vs target", fontsize=10)
        ax.set_xlabel("month")
        if k == 0:
            ax.set_ylabel("cases")
            ax.legend(fontsize=8, loc="lower left")
        ax.grid(alpha=0.3)
    if bands is not None:
        fig.suptitle(f"bands: mean and 95% interval over {bands.n} paired replications", fontsize=9)
    fig.tight_layout()
    return fig


def figure_png(fig: Figure, dpi: int = 100) -> bytes:
    """A figure as PNG bytes (for display and for download)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


def charts_png(network: Figure, outcomes: Figure) -> bytes:
    """Network and trajectories stacked in one PNG, for the export button."""
    from PIL import Image

    a = Image.open(io.BytesIO(figure_png(network)))
    b = Image.open(io.BytesIO(figure_png(outcomes)))
    out = Image.new("RGB", (max(a.width, b.width), a.height + b.height), "white")
    out.paste(a, ((out.width - a.width) // 2, 0))
    out.paste(b, (0, a.height))
    buf = io.BytesIO()
    out.save(buf, format="PNG")
    return buf.getvalue()
