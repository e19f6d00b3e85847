"""Lever controls generated from the intervention registry: no code per intervention.

Each registered intervention gets a switch (on/off) and, while on, one control per pydantic field,
chosen by ``state.field_specs``: a slider with a typed-number box and its unit for bounded numbers,
a blank-able box for optional months (e.g. ``lost_at``), drop-downs for outcome and agency names.
Labels are the fields' descriptions in plain words; units come from the field's
``json_schema_extra={"unit": ...}`` when it gives one, else from its description (``unit_of``).
A typed value outside the field's bounds is brought inside them, and the page says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import solara

from jusim.dashboard.state import FieldSpec, Levers, field_specs
from jusim.interventions import REGISTRY
from jusim.scenario import Scenario


def _float_step(low: float, high: float) -> float:
    span = high - low
    return 0.01 if span <= 1 else 0.05 if span <= 5 else 0.5


def _is_month(spec: FieldSpec) -> bool:
    return "month" in spec.description.lower() and spec.kind in ("int", "optional_int")


def unit_of(cls: type, spec: FieldSpec) -> str:
    """The unit shown after a lever's value."""
    extra = cls.model_fields[spec.name].json_schema_extra
    if isinstance(extra, dict) and isinstance(extra.get("unit"), str):
        return str(extra["unit"])
    words = spec.description.lower()
    if words.startswith("months") or "how many months" in words:
        return "months"
    if "month" in words:
        return "month no."
    if "share" in words or "fraction" in words:
        return "share (0–1)"
    if "staff cost" in words:
        return "× staff cost"
    if "£" in words:
        return "£k"
    if "number of" in words or "staff" in words or "secondees" in words:
        return "people"
    if "weight" in words or "priority" in words:
        return "× weight"
    return ""


def plain(text: str) -> str:
    return text[:1].upper() + text[1:]


@solara.component
def NumberLever(
    label: str,
    value: float,
    low: float,
    high: float,
    step: float,
    on_value: Callable[[Any], None],
    unit: str = "",
    integer: bool = False,
    slider_high: float | None = None,
) -> None:
    """A labelled slider with a box showing its value (type a number there) and the unit.

    The slider covers ``low``..``slider_high`` (a practical range); the box takes anything up to
    ``high``. Typed values outside ``low``..``high`` are brought inside.
    """
    top = high if slider_high is None else min(high, slider_high)
    clamp_note = solara.use_reactive("")

    def typed(v: Any) -> None:
        if v is None:
            return
        x = float(v)
        inside = min(max(x, low), high)
        clamp_note.set(
            f"{x:g} is outside {low:g}–{high:g}: set to {inside:g}" if inside != x else ""
        )
        on_value(round(inside) if integer else inside)

    with solara.Column(gap="0px", classes=["jusim-slider"]):
        solara.Text(label, classes=["jusim-lever-label"])
        with solara.Row(gap="6px", style={"align-items": "center"}):
            with solara.Column(style={"flex": "1 1 auto", "min-width": "90px"}):
                if integer:
                    solara.SliderInt(
                        "",
                        value=int(min(value, top)),
                        min=int(low),
                        max=int(top),
                        on_value=on_value,
                    )
                else:
                    solara.SliderFloat(
                        "",
                        value=float(min(value, top)),
                        min=low,
                        max=top,
                        step=step,
                        on_value=on_value,
                    )
            box = solara.InputInt if integer else solara.InputFloat
            box(
                "",
                value=int(value) if integer else float(value),
                on_value=typed,
                continuous_update=False,
                classes=["jusim-number"],
                style={"max-width": "72px", "flex": "0 0 72px"},
            )
            if unit:
                solara.Text(unit, classes=["jusim-unit"])
        if clamp_note.value:
            solara.Text(clamp_note.value, classes=["jusim-clamp"])


@solara.component
def FieldControl(
    cls: type,
    spec: FieldSpec,
    value: Any,
    on_value: Callable[[Any], None],
    scenario: Scenario,
) -> None:
    """One control for one intervention field."""
    label = plain(spec.description)
    unit = unit_of(cls, spec)
    horizon = scenario.horizon
    if spec.kind == "float":
        low = float(spec.low) if spec.low is not None else 0.0
        high = float(spec.high) if spec.high is not None else max(10 * (spec.default or 1), 10.0)
        NumberLever(
            label,
            float(value if value is not None else low),
            low,
            high,
            _float_step(low, min(high, 50.0)),
            on_value,
            unit=unit,
            slider_high=max(5.0, 4 * float(spec.default or 1)) if high > 50 else None,
        )
    elif spec.kind == "int" and _is_month(spec):
        low = int(spec.low or 0)
        NumberLever(
            label,
            int(value if value is not None else low),
            low,
            max(low + 1, horizon if spec.high is None else min(int(spec.high), horizon)),
            1,
            on_value,
            unit=unit,
            integer=True,
        )
    elif spec.kind == "int" and spec.low is not None and spec.high is not None:
        default = int(spec.default or 0)
        NumberLever(
            label,
            int(value if value is not None else spec.low),
            int(spec.low),
            int(spec.high),
            1,
            on_value,
            unit=unit,
            integer=True,
            slider_high=max(24, 4 * default),
        )
    elif spec.kind in ("int", "optional_int"):
        solara.InputInt(
            label
            + (" (blank = never)" if spec.kind == "optional_int" and "never" not in label else ""),
            value=value,
            on_value=on_value,
            optional=spec.kind == "optional_int",
            clearable=spec.kind == "optional_int",
            continuous_update=False,
            dense=True,
        )
    elif spec.kind == "bool":
        solara.Checkbox(label=label, value=bool(value), on_value=on_value)
    elif spec.kind == "service" and (names := service_names(scenario)):
        solara.Select(
            label,
            values=names,
            value=value if value in names else None,
            on_value=on_value,
            dense=True,
        )
    elif spec.kind == "outcome":
        solara.Select(
            label,
            values=scenario.outcome_names,
            value=value,
            on_value=on_value,
            dense=True,
        )
    elif spec.kind == "agency":
        solara.Select(
            label, values=scenario.agency_names, value=value, on_value=on_value, dense=True
        )
    elif spec.kind == "agencies":
        solara.SelectMultiple(
            label,
            values=list(value or []),
            all_values=scenario.agency_names,
            on_value=lambda v: on_value(list(v) or None),
            dense=True,
        )
    else:
        solara.InputText(label, value=value or "", on_value=on_value, dense=True)


def service_names(scenario: Scenario) -> list[str]:
    """Every type of provision of the scenario's outcomes, in file order."""
    return [svc.name for outcome in scenario.outcomes for svc in outcome.services]


class LeverActions(Protocol):
    """What the lever controls call. Implementations read the current levers when called, so
    these callbacks stay the same object from render to render: the controls of an intervention
    whose settings did not change are then not re-rendered when another lever moves (Solara skips
    a component whose arguments are unchanged), which keeps a lever change fast."""

    def enabled(self, kind: str, on: bool) -> None: ...

    def param(self, kind: str, name: str, value: Any) -> None: ...

    def context(self, **changes: Any) -> None: ...


@solara.component
def InterventionLever(
    kind: str, on: bool, params: dict[str, Any], scenario: Scenario, actions: LeverActions
) -> None:
    """A switch for one intervention and, while it is on, its parameters."""
    cls = REGISTRY[kind]
    with solara.Column(gap="0px", classes=["jusim-lever"]):
        solara.Switch(
            label=plain(kind.replace("_", " ")),
            value=on,
            on_value=lambda v: actions.enabled(kind, v),
            classes=["jusim-switch"],
        )
        solara.Text(cls.summary, classes=["jusim-summary"])
        if on:
            for spec in field_specs(cls):

                def set_value(v: Any, name: str = spec.name) -> None:
                    actions.param(kind, name, v)

                FieldControl(cls, spec, params.get(spec.name), set_value, scenario)


@solara.component
def ContextLevers(churn_scale: float, budget_change: float, actions: LeverActions) -> None:
    """The main uncertainties: churn scale and budget change."""
    NumberLever(
        "Staff turnover, as a multiple of each agency's usual rate",
        churn_scale,
        0.0,
        4.0,
        0.1,
        lambda v: actions.context(churn_scale=round(float(v), 3)),
        unit="× usual",
    )
    NumberLever(
        "Real-terms budget change per year (−0.1 = a 10% cut)",
        budget_change,
        -0.5,
        0.5,
        0.01,
        lambda v: actions.context(budget_change=round(float(v), 3)),
        unit="a year",
    )


@solara.component
def InterventionLevers(levers: Levers, scenario: Scenario, actions: LeverActions) -> None:
    """Every registered intervention, in registry order."""
    for kind in REGISTRY:
        InterventionLever(
            kind, levers.enabled.get(kind, False), levers.params.get(kind, {}), scenario, actions
        )
