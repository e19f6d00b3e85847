"""Validation over parameter uncertainty and in a second setting: the worlds the facts run in.

Every validation experiment builds its arms from a *base world* (a shipped scenario) loaded with
:func:`base_world`. Two things can be applied to every base world of a run of the suite:

- a **parameter draw**: an override dict (paths as in ``jusim.evaluation.scenario_with``:
  ``parameters.trust.initial``, ``outcomes.rough_sleeping.unit_cost``, ...). A path under
  ``outcomes.NAME``, ``agencies.NAME`` or ``interventions.TYPE`` applies only to base worlds that
  have that outcome, agency or intervention (so a draw from the rough-sleepers-unit calibration
  leaves silo's arms alone). It applies to the base world, so an experiment's own settings (its
  arms: ``trust.initial`` 0.2 against 0.8 in fact 17, a control's switch) override it;
- a **setting**: a named transform of the base world (:data:`SETTINGS`), the same experiment in a
  world of another size.

A set of draws is a :class:`Sample`: the override dicts with a label and their provenance.
:func:`posterior_sample` draws from a calibrated ensemble file (by default the shipped
``jusim/data/ensemble.csv``, see ``jusim.ensemble``); :func:`prior_sample` draws from wide ranges of
the five parameters the docs call assumptions (issue 21) and is labelled "prior sample, not
posterior" wherever it is reported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from jusim.scenario import Scenario

Draw = dict[str, Any]


@dataclass(frozen=True)
class Setting:
    """A second world for every fact: ``transform`` maps a base world to the other world."""

    name: str
    label: str
    transform: Callable[[Scenario], Scenario]
    size: float = 1.0  # the area's size relative to the default world (scales count SESOIs)


HALF = 0.5


def half_size(scenario: Scenario) -> Scenario:
    """A smaller area: every agency's staff and budget, and every outcome's need, inflow, target,
    saturation and spillover cases halved. Unit costs, per-seat and per-consultation time, and
    interventions' own sizes (a unit's 12 staff, a £26m grant) stay as they are, as they would in a
    smaller council: fixed costs weigh more."""
    data = scenario.to_dict()
    for a in data["agencies"]:
        a["staff"] = max(1, round(a["staff"] * HALF))
        a["budget"] = a["budget"] * HALF
    for o in data["outcomes"]:
        for key in ("initial_need", "inflow", "target", "half_saturation"):
            o[key] = o[key] * HALF
    for s in data.get("spillovers", []):
        s["cases"] = s["cases"] * HALF
    from jusim.scenario import parse_scenario

    return parse_scenario(data, f"<half-size {scenario.name}>")


SETTINGS: dict[str, Setting] = {
    "half_size": Setting(
        "half_size",
        "half-size area (staff, budgets, need halved)",
        half_size,
        HALF,
    ),
}

_STATE: dict[str, Any] = {"draw": {}, "setting": "", "label": ""}


@contextmanager
def using(draw: Draw | None = None, setting: str = "") -> Iterator[None]:
    """Run the suite's experiments with ``draw`` and ``setting`` applied to every base world."""
    if setting and setting not in SETTINGS:
        raise ValueError(f"setting {setting!r} is not one of {sorted(SETTINGS)}")
    old = dict(_STATE)
    _STATE.update(draw=dict(draw or {}), setting=setting)
    try:
        yield
    finally:
        _STATE.update(old)


@contextmanager
def labelled(label: str) -> Iterator[None]:
    """Rows made inside carry ``label`` as their setting (a design of its own, not a transform)."""
    old = _STATE["label"]
    _STATE["label"] = label
    try:
        yield
    finally:
        _STATE["label"] = old


def current_setting() -> str:
    """The setting rows are made in: a design's label, else the transform's name ("" = main)."""
    parts = [SETTINGS[_STATE["setting"]].label] if _STATE["setting"] else []
    return ", ".join(parts + ([_STATE["label"]] if _STATE["label"] else []))


def size() -> tuple[float, str]:
    """The current setting's size relative to the default world, and its label ((1, "") in the
    main setting): count- and money-valued SESOIs are scaled by it (``claims.Sesoi.sized``)."""
    if not _STATE["setting"]:
        return 1.0, ""
    s = SETTINGS[_STATE["setting"]]
    return s.size, s.label


def state_key() -> tuple:
    """What, besides the seeds, a cached result depends on."""
    return (_STATE["setting"], tuple(sorted((k, repr(v)) for k, v in _STATE["draw"].items())))


def applicable(scenario: Scenario, draw: Draw) -> Draw:
    """The paths of ``draw`` that ``scenario`` has (named outcomes, agencies, interventions)."""
    have = {
        "outcomes": set(scenario.outcome_names),
        "agencies": set(scenario.agency_names),
        "interventions": {iv.name for iv in scenario.interventions},
    }
    out = {}
    for path, value in draw.items():
        parts = path.replace("__", ".").split(".")
        if parts[0] in have and (len(parts) < 3 or parts[1] not in have[parts[0]]):
            continue
        out[path] = value
    return out


def apply_draw(scenario: Scenario, draw: Draw) -> Scenario:
    from jusim.evaluation import scenario_with

    paths = applicable(scenario, draw)
    return scenario_with(scenario, paths) if paths else scenario


def base_world(name: str) -> Scenario:
    """A shipped scenario as a base world: the current setting's transform, then the draw."""
    from jusim import load_scenario

    scenario = load_scenario(name)
    if _STATE["setting"]:
        scenario = SETTINGS[_STATE["setting"]].transform(scenario)
    return apply_draw(scenario, _STATE["draw"])


# The five parameters issue 21 calls assumptions, each moved by up to ±50% around its default
# (the spread the issue used to show that seed-only intervals understate uncertainty). Outcome
# quantities move by one factor for every outcome (a common scale error).
PRIOR_RANGES: dict[str, tuple[float, float]] = {
    "parameters.decision.temperature": (0.5, 1.5),
    "parameters.trust.initial": (0.5, 1.5),
    "parameters.partnership.integration": (0.5, 1.5),
    "outcomes.*.exit_rate": (0.5, 1.5),
    "outcomes.*.unit_cost": (0.5, 1.5),
}
PRIOR_LABEL = "prior sample, not posterior"


def prior_sample(n: int, seed: int = 2026, base: str = "default_world") -> list[Draw]:
    """``n`` draws, each factor uniform on its range in :data:`PRIOR_RANGES`, from a numpy
    Generator seeded by ``SeedSequence(seed)``; values are absolute (factor x ``base``'s)."""
    from jusim import load_scenario

    ref = load_scenario(base)
    rng = np.random.default_rng(np.random.SeedSequence(int(seed)))
    factors = rng.uniform(
        [lo for lo, _ in PRIOR_RANGES.values()],
        [hi for _, hi in PRIOR_RANGES.values()],
        size=(n, len(PRIOR_RANGES)),
    )
    params = ref.parameters.model_dump()
    draws = []
    for row in factors:
        draw: Draw = {}
        for (path, _), f in zip(PRIOR_RANGES.items(), row, strict=True):
            parts = path.split(".")
            if parts[0] == "outcomes":
                for o in ref.outcomes:
                    draw[f"outcomes.{o.name}.{parts[2]}"] = float(getattr(o, parts[2]) * f)
            else:
                draw[path] = float(params[parts[1]][parts[2]] * f)
        draws.append(draw)
    return draws


@dataclass(frozen=True)
class Sample:
    """Parameter draws for the suite, with what they are (``label``) and where they came from."""

    draws: list[Draw]
    label: str
    posterior: bool
    provenance: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """One sentence for the report: what the draws are and where they came from."""
        p = self.provenance
        if not self.posterior:
            return (
                f"{len(self.draws)} draws, a **{self.label}**: each of "
                + ", ".join(f"`{k}`" for k in PRIOR_RANGES)
                + " moved by a factor uniform on [0.5, 1.5] (issue 21's ±50%)"
            )
        made = p.get("made_by") or {}
        how = (
            f"ABC-SMC (pyabc {made['pyabc_version']}, {made['generations']} generations, final "
            f"epsilon {made['final_epsilon']:.3g}, {made['simulations']} simulations) on "
            f"`{made['calibration_file']}` at jusim commit {str(made['jusim_commit'])[:10]}, "
            f"{made['date']}"
            + (f"; {made['how_drawn'].split('; particles')[0]}" if "how_drawn" in made else "")
            if {"pyabc_version", "generations", "final_epsilon", "simulations"} <= set(made)
            else "no provenance file beside it"
        )
        return (
            f"{len(self.draws)} **{self.label}** drawn from `{p['file']}` (SHA-256 "
            f"{p['sha256'][:16]}..., {p['rows']} rows, {p['distinct']} distinct parameter sets; "
            f"made by {how}), varying " + ", ".join(f"`{k}`" for k in p["paths"]) + f". {p['how']}"
        )


POSTERIOR_LABEL = "posterior draws"
PROVENANCE_KEYS = (
    "calibration_file",
    "calibration_sha256",
    "jusim_commit",
    "pyabc_version",
    "generations",
    "final_epsilon",
    "simulations",
    "date",
    "how_drawn",
)


def posterior_sample(path: str | Path | None, n: int, seed: int = 2026) -> Sample:
    """``n`` draws from the ensemble file ``path`` (None: the shipped ``jusim/data/ensemble.csv``),
    read and checked by ``jusim.ensemble.load_ensemble`` (its ``draw`` and ``weight`` columns are
    not parameters; whole-number settings stay integers).

    Rows are chosen by a numpy Generator seeded by ``SeedSequence(seed)``: with equal weights
    (an ensemble already resampled from the weighted posterior, as shipped) a simple random sample
    of ``n`` rows without replacement (all rows when ``n`` is the file's size); with unequal
    weights ``n`` rows with replacement, with probability proportional to weight. Raises
    ``jusim.scenario.ScenarioError`` naming the file, field, value and what is allowed."""
    from jusim.ensemble import SHIPPED, load_ensemble
    from jusim.scenario import ScenarioError

    file = Path(path) if path is not None else SHIPPED
    ens = load_ensemble(file)
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ScenarioError([(str(file), "draws", n, "a whole number >= 1")])
    rng = np.random.default_rng(np.random.SeedSequence(int(seed)))
    w = np.asarray(ens.weights, float)
    equal = bool(np.allclose(w, w[0]))
    if equal and n > ens.total:
        raise ScenarioError(
            [(str(file), "draws", n, f"at most the {ens.total} equal-weight draws in the file")]
        )
    if equal:
        rows = np.sort(rng.choice(ens.total, size=n, replace=False))
        how = (
            f"{n} of its {ens.total} equal-weight rows, a simple random sample without replacement"
        )
    else:
        rows = np.sort(rng.choice(ens.total, size=n, replace=True, p=w))
        how = f"{n} rows drawn with replacement with probability proportional to `weight`"
    how += f" (numpy Generator seeded by SeedSequence({int(seed)})); rows (the file's `draw`): "
    how += ", ".join(str(int(ens.ids[r])) for r in rows) + "."
    draws = [dict(zip(ens.paths, ens.values[r], strict=True)) for r in rows]
    distinct = len({tuple(map(repr, row)) for row in ens.values})
    try:
        shown = str(file.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(file)
    provenance = {
        "file": shown,
        "sha256": hashlib.sha256(file.read_bytes()).hexdigest(),
        "rows": ens.total,
        "distinct": distinct,
        "paths": list(ens.paths),
        "drawn": [int(ens.ids[r]) for r in rows],
        "seed": int(seed),
        "how": how,
        "made_by": {k: ens.info[k] for k in PROVENANCE_KEYS if k in ens.info},
    }
    return Sample(draws, POSTERIOR_LABEL, True, provenance)


def prior_draws(n: int, seed: int = 2026) -> Sample:
    """:func:`prior_sample` as a labelled :class:`Sample`."""
    ranges = {k: list(v) for k, v in PRIOR_RANGES.items()}
    return Sample(prior_sample(n, seed), PRIOR_LABEL, False, {"ranges": ranges, "seed": seed})
