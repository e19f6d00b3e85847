"""Lever controls generated from the intervention registry: no code per intervention.

Each registered intervention gets a switch (on/off) and, while on, one control per pydantic field,
chosen by ``state.field_specs``: sliders for bounded numbers, number boxes for wide ranges, a
blank-able box for optional months (e.g. ``lost_at``), drop-downs for outcome and agency names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara

from jusim.dashboard.state import FieldSpec, Levers, field_specs
from jusim.interventions import REGISTRY
from jusim.scenario import Scenario


def _float_step(low: float, high: float) -> float:
    span = high - low
    return 0.01 if span <= 1 else 0.05 if span <= 5 else 0.5


def _is_month(spec: FieldSpec) -> bool:
    return "month" in spec.description.lower() and spec.kind in ("int", "optional_int")


@solara.component
def Slider(
    label: str,
    value: float,
    low: float,
    high: float,
    step: float,
    on_value: Callable[[Any], None],
    integer: bool = False,
) -> None:
    """A slider with its label above it (the sidebar is too narrow for both on one line)."""
    with solara.Column(gap="0px", classes=["jusim-slider"]):
        solara.Text(label, style={"font-size": "0.85em"})
        if integer:
            solara.SliderInt("", value=int(value), min=int(low), max=int(high), on_value=on_value)
        else:
            solara.SliderFloat(
                "", value=float(value), min=low, max=high, step=step, on_value=on_value
            )


@solara.component
def FieldControl(
    kind: str,
    spec: FieldSpec,
    value: Any,
    on_value: Callable[[Any], None],
    scenario: Scenario,
) -> None:
    """One control for one intervention field."""
    label = f"{spec.name}: {spec.description}"
    horizon = scenario.horizon
    if spec.kind == "float":
        if spec.low is not None and spec.high is not None:
            Slider(
                label,
                float(value if value is not None else spec.low),
                float(spec.low),
                float(spec.high),
                _float_step(float(spec.low), float(spec.high)),
                on_value,
            )
        else:
            solara.InputFloat(label, value=value, on_value=on_value)
    elif spec.kind == "int" and _is_month(spec):
        low = int(spec.low or 0)
        Slider(
            label,
            int(value if value is not None else low),
            low,
            max(low + 1, horizon),
            1,
            on_value,
            integer=True,
        )
    elif spec.kind in ("int", "optional_int"):
        solara.InputInt(
            label + (" (blank = never)" if spec.kind == "optional_int" else ""),
            value=value,
            on_value=on_value,
            optional=spec.kind == "optional_int",
            clearable=spec.kind == "optional_int",
            dense=True,
        )
    elif spec.kind == "outcome":
        solara.Select(label, values=scenario.outcome_names, value=value, on_value=on_value)
    elif spec.kind == "agency":
        solara.Select(label, values=scenario.agency_names, value=value, on_value=on_value)
    elif spec.kind == "agencies":
        solara.SelectMultiple(
            f"{spec.name} (empty = every contributor)" if spec.name == "members" else label,
            values=list(value or []),
            all_values=scenario.agency_names,
            on_value=lambda v: on_value(list(v) or None),
            dense=True,
        )
    else:
        solara.InputText(label, value=value or "", on_value=on_value, dense=True)


@solara.component
def InterventionLever(
    kind: str, levers: Levers, on_levers: Callable[[Levers], None], scenario: Scenario
) -> None:
    """A switch for one intervention and, while it is on, its parameters."""
    cls = REGISTRY[kind]
    on = levers.enabled.get(kind, False)
    params = levers.params.get(kind, {})
    with solara.Column(gap="0px", classes=["jusim-lever"]):
        solara.Switch(
            label=kind.replace("_", " "),
            value=on,
            on_value=lambda v: on_levers(levers.with_enabled(kind, v)),
        )
        solara.Text(cls.summary, style={"font-size": "0.8em", "color": "#555"})
        if on:
            for spec in field_specs(cls):

                def set_value(v: Any, name: str = spec.name) -> None:
                    on_levers(levers.with_param(kind, name, v))

                FieldControl(kind, spec, params.get(spec.name), set_value, scenario)


@solara.component
def ContextLevers(levers: Levers, on_levers: Callable[[Levers], None]) -> None:
    """The main uncertainties: churn scale and budget change."""
    Slider(
        "churn scale (× every agency's staff turnover)",
        levers.churn_scale,
        0.0,
        4.0,
        0.1,
        lambda v: on_levers(levers.with_context(churn_scale=float(v))),
    )
    Slider(
        "budget change per year (-0.1 = 10% real-terms cut)",
        levers.budget_change,
        -0.5,
        0.5,
        0.01,
        lambda v: on_levers(levers.with_context(budget_change=float(v))),
    )


@solara.component
def InterventionLevers(
    levers: Levers, on_levers: Callable[[Levers], None], scenario: Scenario
) -> None:
    """Every registered intervention, in registry order."""
    for kind in REGISTRY:
        InterventionLever(kind, levers, on_levers, scenario)
