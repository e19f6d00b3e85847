"""Chart specifications drawn in the browser by ECharts (``solara.FigureEcharts``).

Why ECharts: the browser draws it, so a month of live play sends a few kilobytes of numbers
instead of two freshly encoded PNGs (matplotlib took ~95% of each update's 0.45–0.7 s), and its
script is served from this machine by ``solara-assets`` (``share/solara/cdn/echarts@5.4.0``,
the version Solara's component asks for). Plotly was slower per update and pushes a ~5 MB script
through the websocket on every page load. Matplotlib stays for the PNG export (``views.py``).

- ``outcome_option``: one outcome's need against its target and deadline, current levers (solid)
  and silo behaviour (dashed) on the same seed, with 95% replication bands when available;
- ``network_option``: the agencies in a circle by kind; size = budget, colour = share of
  discretionary budget on joint work, edge width = trust between partners; optionally the staff
  ties between agencies (orange, dashed).

Text is at least 14 px so a projected page can be read from the back of a room.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jusim.dashboard.views import CURRENT, SILO, TARGET, TIES, layout
from jusim.metrics import RunResult

FONT = 14


def _values(x: np.ndarray) -> list[float | None]:
    return [None if v != v else round(float(v), 2) for v in x]


def nice_name(name: str) -> str:
    return name.replace("_", " ").capitalize()


def outcome_option(
    current: RunResult, silo: RunResult, k: int, horizon: int, bands: Any | None = None
) -> dict[str, Any]:
    """ECharts option: outcome ``k``'s need per month, levers vs silo, target and deadline."""
    name = current.outcomes[k]
    months = list(range(horizon + 1))
    target, deadline = float(current.target[k]), int(current.deadline[k])
    top = max(float(current.need0[k]) * 1.1, float(np.nanmax(current.series["need"][:, k])))
    series: list[dict[str, Any]] = []
    if bands is not None and name in bands.outcomes:
        o = bands.outcomes.index(name)
        for arm, colour in (("silo", SILO), ("current", CURRENT)):
            _, lo, hi = (x[: horizon + 1, o] for x in bands.need[arm])
            top = max(top, float(np.nanmax(hi)))
            stack = f"band-{arm}"
            series.append(
                {
                    "type": "line",
                    "name": f"{arm} 95% band",
                    "data": _values(lo),
                    "stack": stack,
                    "symbol": "none",
                    "lineStyle": {"opacity": 0},
                    "silent": True,
                }
            )
            series.append(
                {
                    "type": "line",
                    "name": "95% band" if arm == "current" else "silo 95% band",
                    "data": _values(hi - lo),
                    "stack": stack,
                    "symbol": "none",
                    "lineStyle": {"opacity": 0},
                    "areaStyle": {"color": colour, "opacity": 0.3},
                    "silent": True,
                }
            )
    series += [
        {
            "type": "line",
            "name": "silo",
            "data": _values(silo.series["need"][:, k]),
            "symbol": "none",
            "lineStyle": {"color": SILO, "type": "dashed", "width": 2},
            "itemStyle": {"color": SILO},
        },
        {
            "type": "line",
            "name": "levers",
            "data": _values(current.series["need"][:, k]),
            "symbol": "none",
            "lineStyle": {"color": CURRENT, "width": 3},
            "itemStyle": {"color": CURRENT},
            "markLine": {
                "silent": True,
                "symbol": "none",
                "label": {"fontSize": FONT, "formatter": "{b}"},
                "data": [
                    {
                        "name": "target",
                        "yAxis": target,
                        "lineStyle": {"color": TARGET, "type": "dotted", "width": 2},
                        "label": {"position": "insideEndTop"},
                    },
                    {
                        "name": "deadline",
                        "xAxis": str(min(deadline, horizon)),
                        "lineStyle": {"color": TARGET, "type": "solid", "width": 1},
                        "label": {"position": "insideEndTop"},
                    },
                ],
            },
        },
    ]
    return {
        "animation": False,
        "title": {
            "text": f"{nice_name(name)}: cases in need",
            "left": "center",
            "textStyle": {"fontSize": FONT + 1, "fontWeight": "bold"},
        },
        "legend": {
            "data": ["levers", "silo"],
            "bottom": 0,
            "textStyle": {"fontSize": FONT},
            "itemWidth": 22,
        },
        "grid": {"left": 56, "right": 14, "top": 34, "bottom": 58},
        "tooltip": {"trigger": "axis", "textStyle": {"fontSize": FONT}},
        "xAxis": {
            "type": "category",
            "data": [str(m) for m in months],
            "boundaryGap": False,
            "name": "month",
            "nameLocation": "middle",
            "nameGap": 24,
            "nameTextStyle": {"fontSize": FONT},
            "axisLabel": {"fontSize": FONT, "interval": _tick_interval(horizon)},
        },
        "yAxis": {"type": "value", "min": 0, **_scale(top), "axisLabel": {"fontSize": FONT}},
        "series": series,
    }


def _tick_interval(horizon: int) -> int:
    """Label every 12th month (every 24th or more for long horizons): a year per label."""
    step = 12 if horizon <= 72 else 24 if horizon <= 144 else 60
    return step - 1


def _scale(top: float, ticks: int = 4) -> dict[str, float]:
    """A fixed y scale (it must not jump while the chart plays): a round interval, ~4 ticks."""
    if not top > 0:
        return {"max": 1.0, "interval": 0.25}
    raw = top / ticks
    unit = 10 ** np.floor(np.log10(raw))
    step = unit * next(m for m in (1, 2, 2.5, 5, 10) if m * unit >= raw)
    return {"max": float(np.ceil(top / step) * step), "interval": float(step)}


def network_option(model: Any, show_staff: bool = False) -> dict[str, Any]:
    """ECharts option: the agency network of a model at its current month."""
    w = model.world
    names, kinds = list(w.agency_names), list(w.kinds)
    pos = layout(tuple(names), tuple(kinds))
    s = model.recorder.s
    joint = s["joint_share"][model.month] if model.month > 0 else np.zeros(len(names))
    budget = np.asarray(model.budget, float)
    size = 18 + 42 * np.sqrt(budget / max(float(budget.max()), 1e-9))
    involved = w.involved.astype(float)
    partners = (involved.T @ involved) > 0
    nodes = [
        {
            "name": names[i].replace("_", " "),
            "x": round(pos[names[i]][0] * 300, 1),
            "y": round(-pos[names[i]][1] * 200, 1),
            "symbolSize": round(float(size[i]), 1),
            "value": round(float(joint[i]), 3),
            "label": {"show": True, "fontSize": FONT, "position": "bottom"},
        }
        for i in range(len(names))
    ]
    links = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if partners[i, j]:
                t = 0.5 * (float(model.trust[i, j]) + float(model.trust[j, i]))
                links.append(
                    {
                        "source": i,
                        "target": j,
                        "value": round(t, 3),
                        "lineStyle": {"width": round(0.5 + 7 * t**2, 2), "color": "#4c72b0"},
                    }
                )
            r = max(float(model.relationship[i, j]), float(model.relationship[j, i]))
            if show_staff and r > 0.01:
                links.append(
                    {
                        "source": i,
                        "target": j,
                        "value": round(r, 3),
                        "lineStyle": {
                            "width": round(0.5 + 5 * r, 2),
                            "color": TIES,
                            "type": "dashed",
                            "opacity": 0.9,
                        },
                    }
                )
    top = max(0.5, float(np.nanmax(joint)) if len(joint) else 0.5)
    return {
        "animation": False,
        "title": {
            "text": f"Agencies at month {model.month}: size = budget, line = trust"
            + (", orange = staff ties" if show_staff else ""),
            "left": "center",
            "textStyle": {"fontSize": FONT + 1},
        },
        "tooltip": {"textStyle": {"fontSize": FONT}},
        "visualMap": {
            "min": 0,
            "max": round(top, 2),
            "seriesIndex": 0,
            "text": ["share on joint work", ""],
            "textStyle": {"fontSize": FONT},
            "inRange": {"color": ["#440154", "#21918c", "#fde725"]},
            "right": 0,
            "bottom": 10,
            "calculable": False,
        },
        "series": [
            {
                "type": "graph",
                "layout": "none",
                "roam": False,
                "data": nodes,
                "links": links,
                "lineStyle": {"opacity": 0.45, "curveness": 0},
                "itemStyle": {"borderColor": "#000", "borderWidth": 1},
                "emphasis": {"disabled": True},
                "top": 50,
                "bottom": 40,
                "left": 90,
                "right": 150,
            }
        ],
    }
