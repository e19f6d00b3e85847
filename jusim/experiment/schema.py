"""Experiment files: a base scenario, factors to vary, a design, replications, seed and metrics.

An experiment file is TOML::

    name = "churn_x_secondees"
    base = "rough_sleepers_unit"  # shipped scenario name, or a path relative to this file
    seed = 2026                   # master seed: every run's seed is derived from it
    replications = 4              # runs per design point (common random numbers across points)
    horizon = 60                  # optional: months to simulate (default: the base scenario's)
    metrics = ["attainment.rough_sleeping", "shared_attainment"]   # or "all"
    trajectories = false          # also keep monthly trajectories (larger store)

    [overrides]                   # optional fixed changes to the base scenario (dotted paths)
    "context.budget_change" = -0.05

    [design]
    kind = "grid"                 # grid | lhs | sobol | morris
    levels = 4                    # grid: points per range factor

    [factors.churn]               # a factor: a name of your choice
    kind = "uncertainty"          # lever (a policy choice) or uncertainty (context)
    path = "context.churn_scale"  # a dotted override path of Scenario.with_overrides
    range = [0.5, 2.0]            # a continuous range ...

    [factors.secondees]
    kind = "lever"
    path = "interventions.central_unit.staff"
    range = [0, 32]
    integer = true                # ... rounded to whole numbers

    [factors.shared_targets]      # a switch: adds an intervention when true
    kind = "lever"
    values = [false, true]
    intervention = { type = "shared_targets", outcome = "rough_sleeping" }

Every problem is reported as a :class:`jusim.ScenarioError` naming the file, the field, the bad
value and what is allowed, before any run starts.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from jusim.scenario import (
    Scenario,
    ScenarioError,
    get_path,
    load_scenario,
    load_toml_file,
    resolve_scenario_path,
)
from jusim.strict import StrictModel

NAME = r"^[a-z][a-z0-9_]*$"
RESERVED = {
    "run_id",
    "point",
    "replication",
    "seed",
    "jusim_version",
    "metric",
    "value",
    "month",
    "outcome",
}
"""Column names of the store's tables that a factor may not take (``raw__*`` neither)."""
MAX_RUNS = 1_000_000
"""Runs in one sweep (design points x replications): about six hours at 22 ms a run on one core."""
MAX_POINTS = 100_000
"""Design points (checked before the design is built, so a huge design fails at once)."""
MAX_FACTORS = 50


class _Strict(StrictModel):
    """Strict, frozen, finite (see ``jusim.strict``)."""


def _level_key(x: Any) -> tuple[str, Any]:
    """A factor level as the run sees it: numbers by value (``1`` is ``1.0``, ``-0.0`` is ``0``)."""
    if isinstance(x, bool):
        return ("switch", x)
    if isinstance(x, int | float):
        return ("number", float(x))
    return ("text", x)


class FactorSpec(_Strict):
    """One factor to vary: a lever (policy choice) or an uncertainty (context)."""

    kind: Literal["lever", "uncertainty"] = Field(
        description="lever (a policy choice) or uncertainty (context nobody controls)"
    )
    path: str | None = Field(None, description="dotted override path, e.g. context.churn_scale")
    range: list[float] | None = Field(
        None, min_length=2, max_length=2, description="[low, high] for a range factor"
    )
    values: list[bool | int | float | str] | None = Field(
        None,
        min_length=1,
        max_length=1000,
        description="the levels of a discrete factor: all true/false, all numbers or all text",
    )
    integer: bool = Field(False, description="round a range factor to whole numbers")
    levels: int | None = Field(None, ge=2, le=1000, description="grid points for this factor")
    intervention: dict[str, Any] | None = Field(
        None, description="switch: intervention table added to the scenario when the value is true"
    )
    label: str | None = Field(None, max_length=200, description="plain-words name for reports")
    description: str = Field("", max_length=10_000)

    @field_validator("range")
    @classmethod
    def _range(cls, v: list[float] | None) -> list[float] | None:
        if v is not None and not all(math.isfinite(x) for x in v):
            raise ValueError("range ends must be finite numbers")
        if v is not None and not v[0] < v[1]:
            raise ValueError("range must be [low, high] with low < high")
        return v

    @field_validator("values")
    @classmethod
    def _values(cls, v: list | None) -> list | None:
        if v is None:
            return v
        if len({_level_key(x) for x in v}) != len(v):
            raise ValueError("values must be distinct (1 and 1.0, or 0 and -0.0, are one value)")
        kinds = {
            "switch" if isinstance(x, bool) else "text" if isinstance(x, str) else "number"
            for x in v
        }
        if len(kinds) > 1:
            raise ValueError(
                "values of one kind: all true/false, all numbers or all text (not a mix)"
            )
        return v

    @model_validator(mode="after")
    def _shape(self) -> FactorSpec:
        if (self.range is None) == (self.values is None):
            raise ValueError("give exactly one of 'range' or 'values'")
        if self.intervention is not None:
            if self.path is not None:
                raise ValueError("a switch (with 'intervention') takes no 'path'")
            if self.values is None or not all(isinstance(v, bool) for v in self.values):
                raise ValueError("a switch needs values = [false, true]")
            if "type" not in self.intervention:
                raise ValueError("the intervention table needs a 'type'")
        elif self.path is None:
            raise ValueError("give 'path' (a dotted override path) or 'intervention' (a switch)")
        if self.values is not None and (self.integer or self.levels is not None):
            raise ValueError("'integer' and 'levels' apply to range factors only")
        if self.integer and self.range is not None:
            lo, hi = self.range
            if math.ceil(lo) > math.floor(hi):
                raise ValueError(
                    f"an integer factor needs a range holding a whole number; [{lo:g}, {hi:g}] "
                    "holds none"
                )
        return self

    @property
    def is_switch(self) -> bool:
        return self.intervention is not None

    @property
    def is_range(self) -> bool:
        return self.range is not None


class DesignSpec(_Strict):
    """How design points are chosen."""

    kind: Literal["grid", "lhs", "sobol", "morris"] = Field(
        description="grid (full factorial), lhs (Latin hypercube), sobol or morris (SALib)"
    )
    levels: int = Field(3, ge=2, le=1000, description="grid: points per range factor")
    samples: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="lhs: design points; sobol: base sample N (a power of 2); morris: trajectories",
    )
    second_order: bool = Field(False, description="sobol: also second-order indices")
    morris_levels: int = Field(4, ge=2, le=100, description="morris: grid levels (even)")

    @model_validator(mode="after")
    def _shape(self) -> DesignSpec:
        if self.kind in ("lhs", "sobol", "morris") and self.samples is None:
            raise ValueError(f"design '{self.kind}' needs 'samples'")
        if self.kind == "sobol" and self.samples is not None and self.samples & (self.samples - 1):
            raise ValueError("sobol 'samples' must be a power of 2 (e.g. 64, 128, 256)")
        if self.kind == "morris" and self.morris_levels % 2:
            raise ValueError("morris_levels must be even")
        if self.kind == "morris" and self.samples is not None and self.samples < 2:
            raise ValueError("morris needs at least 2 trajectories")
        return self


class Experiment(_Strict):
    """A validated experiment file (see the module docstring for the format)."""

    name: str = Field(
        pattern=NAME, max_length=64, description="identifier: lower case, digits, underscores"
    )
    description: str = Field("", max_length=10_000)
    base: str = Field(
        min_length=1, max_length=1000, description="base scenario: shipped name or path"
    )
    seed: int = Field(0, ge=0, le=2**63 - 1, description="master seed")
    replications: int = Field(1, ge=1, le=100_000, description="runs per design point")
    horizon: int | None = Field(None, ge=1, le=1200, description="months to simulate")
    metrics: list[str] | str = Field(
        default_factory=lambda: ["shared_attainment"],
        min_length=1,
        max_length=1000,
        description='summary metrics to keep, or "all"',
    )
    trajectories: bool = Field(False, description="also keep monthly trajectories")
    overrides: dict[str, Any] = Field(
        default_factory=dict, max_length=1000, description="fixed overrides"
    )
    interventions: list[dict[str, Any]] = Field(
        default_factory=list, max_length=100, description="interventions added to the base scenario"
    )
    design: DesignSpec
    factors: dict[str, FactorSpec] = Field(min_length=1, max_length=MAX_FACTORS)
    source: str = Field("<memory>", exclude=True)

    @field_validator("metrics")
    @classmethod
    def _metrics(cls, v: list[str] | str) -> list[str] | str:
        if isinstance(v, str) and v != "all":
            raise ValueError('"all" or a non-empty list of metric names')
        return v

    def label(self, factor: str) -> str:
        spec = self.factors[factor]
        return spec.label or factor.replace("_", " ")

    def normalised(self) -> dict[str, Any]:
        """Plain data that determines the results (used for the experiment hash)."""
        return self.model_dump(mode="json", exclude={"description", "source"})


def _show_loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc if not str(p).startswith(("function-", "literal[")))


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    node = data
    for p in loc:
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def parse_experiment(data: dict[str, Any], source: str = "<memory>") -> Experiment:
    """Validate experiment data (schema only; see :func:`load_experiment` for the full check)."""
    if not isinstance(data, dict):
        raise ScenarioError([(source, "(file)", type(data).__name__, "a table of fields")])
    factors = data.get("factors")
    if isinstance(factors, dict):
        bad = [
            (
                source,
                f"factors.{name}",
                name,
                "lower case, digits, underscores, at most 64 characters; not one of "
                f"{sorted(RESERVED)} nor starting with 'raw__'",
            )
            for name in factors
            if not re.match(NAME, name)
            or name in RESERVED
            or name.startswith("raw__")
            or len(name) > 64
        ]
        if bad:
            raise ScenarioError(bad)
    try:
        exp = Experiment.model_validate({**data, "source": source})
    except ValidationError as err:
        problems = []
        for e in err.errors():
            loc = tuple(e["loc"])
            if loc == ("metrics", "str"):  # the "all" branch of the union: reported by the other
                continue
            # drop pydantic's union-branch markers from the field path
            loc = tuple(p for p in loc if not (isinstance(p, str) and p in ("list[str]",)))
            field = _show_loc(loc) or "(file)"
            msg = e["msg"].removeprefix("Value error, ")
            if e["type"] == "extra_forbidden":
                msg = "unknown field (check the spelling; see docs/sweeps.md)"
            if e["type"] == "missing":
                msg = "required field is missing"
            problems.append((source, field, _value_at(data, loc), msg))
        # keep one message per field
        seen, unique = set(), []
        for p in problems:
            if p[1] not in seen:
                seen.add(p[1])
                unique.append(p)
        raise ScenarioError(unique) from None
    _one_factor_per_path(exp)
    return exp


def _one_factor_per_path(exp: Experiment) -> None:
    """Two factors on one setting: the run would use one value and record both (issue 12)."""
    seen: dict[str, str] = {}
    for name, spec in exp.factors.items():
        if spec.path is None:
            continue
        if spec.path in seen:
            raise ScenarioError(
                [
                    (
                        exp.source,
                        f"factors.{name}.path",
                        spec.path,
                        f"a path no other factor sets (factor '{seen[spec.path]}' sets it): "
                        "one factor per path",
                    )
                ]
            )
        seen[spec.path] = name


def read_experiment_toml(path: Path) -> dict[str, Any]:
    return load_toml_file(path, "(file)")


def base_scenario(exp: Experiment) -> Scenario:
    """The base scenario with the experiment's fixed interventions, overrides and horizon."""
    src = exp.source
    ref = exp.base
    here = Path(src).parent if src != "<memory>" else Path.cwd()
    candidate = here / ref
    path = candidate if candidate.suffix and candidate.exists() else resolve_scenario_path(ref)
    if not Path(path).exists():
        raise ScenarioError(
            [(src, "base", ref, "a shipped scenario name or an existing scenario file")]
        )
    try:
        scenario = load_scenario(path)
    except ScenarioError as e:
        raise ScenarioError(
            [(src, "base", ref, f"a valid scenario; it has problems: {e}")]
        ) from None
    try:
        if exp.interventions:
            ivs = [iv.to_dict() for iv in scenario.interventions] + list(exp.interventions)
            scenario = scenario.with_interventions(ivs)
    except ScenarioError as e:
        raise ScenarioError([(src, "interventions", exp.interventions, _allowed(e))]) from None
    fixed = dict(exp.overrides)
    if exp.horizon is not None:
        if "horizon" in fixed:
            raise ScenarioError(
                [
                    (
                        src,
                        "overrides.horizon",
                        fixed["horizon"],
                        f"the horizon given once: the file's 'horizon' ({exp.horizon}) or "
                        "overrides.horizon, not both",
                    )
                ]
            )
        fixed["horizon"] = exp.horizon
    for path_, value in fixed.items():
        try:
            scenario.with_overrides({path_: value})
        except ScenarioError as e:
            raise ScenarioError(
                [
                    (
                        src,
                        f"overrides.{path_}" if path_ != "horizon" else "horizon",
                        value,
                        _allowed(e),
                    )
                ]
            ) from None
        except (KeyError, IndexError, ValueError, TypeError) as e:
            raise ScenarioError(
                [(src, f"overrides.{path_}", value, f"a dotted override path ({e})")]
            ) from None
    return scenario.with_overrides(fixed) if fixed else scenario


def _allowed(e: ScenarioError) -> str:
    """What the engine said was allowed (first problem), without its file name."""
    if e.problems:
        _, fld, _, allowed = e.problems[0]
        return f"{allowed} (at {fld})"
    return str(e)


def switches_on(exp: Experiment, point: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        dict(spec.intervention)
        for name, spec in exp.factors.items()
        if spec.is_switch and point[name] and spec.intervention is not None
    ]


def build_scenario(
    exp: Experiment, base: Scenario, point: dict[str, Any], only: str | None = None
) -> Scenario:
    """The scenario of one design point: switches added first, then the factor overrides.

    With ``only``, apply the override of that factor alone (switches as in ``point``).
    """
    added = switches_on(exp, point)
    scenario = base
    if added:
        scenario = scenario.with_interventions([iv.to_dict() for iv in base.interventions] + added)
    overrides = {
        spec.path: point[name]
        for name, spec in exp.factors.items()
        if not spec.is_switch and spec.path is not None and (only is None or name == only)
    }
    if not overrides:
        return scenario
    scenario = scenario.with_overrides(overrides)
    check_recorded(exp, scenario, point, only)
    return scenario


def check_recorded(
    exp: Experiment, scenario: Scenario, point: dict[str, Any], only: str | None = None
) -> None:
    """Raise unless the scenario holds exactly each factor's value at this point.

    The runs table records ``point``; this makes sure that is what the run uses, whatever two
    paths naming one setting (``interventions.secondees.count`` and ``interventions[0].count``)
    or a switch's own table would otherwise do.
    """
    data = scenario.to_dict()
    for name, spec in exp.factors.items():
        if spec.is_switch or spec.path is None or (only is not None and name != only):
            continue
        try:
            used = get_path(data, spec.path)
        except (KeyError, IndexError, TypeError, ValueError):
            used = "<not set>"
        value = point[name]
        if isinstance(used, bool) != isinstance(value, bool) or used != value:
            raise ScenarioError(
                [
                    (
                        exp.source,
                        f"factors.{name}.path",
                        spec.path,
                        f"a setting no other factor changes: at {value!r} the run would use "
                        f"{used!r} (another factor names the same setting)",
                    )
                ]
            )


def _is_path_problem(e: ScenarioError) -> bool:
    """Did the engine reject the override path itself (rather than the value)?"""
    allowed = e.problems[0][3] if e.problems else ""
    return any(k in allowed for k in ("unknown", "in this scenario", "of this scenario", "a path"))


def check_factors(exp: Experiment, base: Scenario, reference: dict[str, Any]) -> None:
    """Build the scenario at each end of each factor; raise naming the factor at fault.

    Each factor is first checked alone (a range factor with every switch on, so interventions
    that switches add exist), then with the other factors at ``reference`` (a design point).
    """
    switches = [n for n, s in exp.factors.items() if s.is_switch]
    ends = {}
    for name, spec in exp.factors.items():
        if spec.range is not None:
            lo, hi = spec.range
            ends[name] = [math.ceil(lo), math.floor(hi)] if spec.integer else [lo, hi]
        else:
            ends[name] = list(spec.values or [])
    problems = []
    # switches alone (the other switches off, no overrides)
    for name in switches:
        off = dict.fromkeys(switches, False)
        if p := _check_ends(exp, base, name, ends[name], off, only=""):
            problems.append(p)
    # other factors alone (valid switches on, no other overrides)
    bad = {p[1].split(".")[1] for p in problems}
    on = {n: n not in bad for n in switches}
    for name in exp.factors:
        if name not in switches and (p := _check_ends(exp, base, name, ends[name], on, name)):
            problems.append(p)
    if not problems:
        # together: each factor at its ends, the others at the reference point
        for name in exp.factors:
            if p := _check_ends(exp, base, name, ends[name], reference, None):
                problems.append(p)
                break
    if problems:
        raise ScenarioError(problems)


def _check_ends(
    exp: Experiment,
    base: Scenario,
    name: str,
    ends: list[Any],
    others: dict[str, Any],
    only: str | None,
) -> tuple[str, str, Any, str] | None:
    spec = exp.factors[name]
    for value in ends:
        try:
            build_scenario(exp, base, {**others, name: value}, only=only)
        except ScenarioError as e:
            if e.problems and str(e.problems[0][1]).startswith("factors."):
                return e.problems[0]  # check_recorded names the factor itself
            allowed = _allowed(e)
            if only is None:
                allowed += f" (with the other factors at {others})"
            if spec.is_switch:
                return (exp.source, f"factors.{name}.intervention", spec.intervention, allowed)
            if _is_path_problem(e):
                return (exp.source, f"factors.{name}.path", spec.path, allowed)
            kind = "range" if spec.is_range else "values"
            return (exp.source, f"factors.{name}.{kind}", value, allowed)
        except (KeyError, IndexError, ValueError, TypeError) as e:
            return (exp.source, f"factors.{name}.path", spec.path, f"a dotted override path ({e})")
    return None


def check_metrics(exp: Experiment, base: Scenario) -> list[str]:
    """The metric names to keep; unknown names are an error listing the available ones."""
    import jusim

    probe = jusim.run(base.with_overrides({"horizon": 1}), seed=0).summary()
    available = list(probe)
    clash = [f for f in exp.factors if f in available]
    if clash:
        raise ScenarioError(
            [
                (
                    exp.source,
                    f"factors.{f}",
                    f,
                    "a factor name that is not a metric's name (the runs table has a column for "
                    "each); rename the factor",
                )
                for f in clash
            ]
        )
    if exp.metrics == "all":
        return available
    bad = [m for m in exp.metrics if m not in available]
    if bad:
        raise ScenarioError(
            [(exp.source, "metrics", m, f'"all" or a summary metric: {available}') for m in bad]
        )
    if len(set(exp.metrics)) != len(exp.metrics):
        raise ScenarioError([(exp.source, "metrics", exp.metrics, "distinct metric names")])
    return list(exp.metrics)


def experiment_hash(exp: Experiment, base: Scenario) -> str:
    """Hash of the normalised experiment and its resolved base scenario."""
    payload = {"experiment": exp.normalised(), "base": base.to_dict()}
    text = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment file (schema only)."""
    p = Path(path)
    if p.is_dir():
        raise ScenarioError([(str(p), "(file)", str(p), "an experiment TOML file, not a folder")])
    data = read_experiment_toml(p)
    if "design" not in data:  # another command's file: say which, not which fields it lacks
        for keys, command in ((("fit", "targets"), "calibrate"), (("levers",), "search")):
            if any(k in data for k in keys):
                raise ScenarioError(
                    [
                        (
                            str(p),
                            "(file)",
                            f"a {command} file (it has '{next(k for k in keys if k in data)}')",
                            f"an experiment (sweep) file with a design table; run `jusim {command} "
                            f"{p}` for this one",
                        )
                    ]
                )
    return parse_experiment(data, source=str(p))


def total_runs_check(exp: Experiment, n_points: int) -> None:
    if n_points > MAX_POINTS:
        raise ScenarioError(
            [
                (
                    exp.source,
                    "design",
                    f"{n_points} design points",
                    f"at most {MAX_POINTS} design points; use fewer levels, samples or factors",
                )
            ]
        )
    n = n_points * exp.replications
    if n > MAX_RUNS:
        raise ScenarioError(
            [
                (
                    exp.source,
                    "design",
                    f"{n_points} points x {exp.replications} replications = {n} runs",
                    f"at most {MAX_RUNS} runs; use fewer levels, samples or replications",
                )
            ]
        )
