"""Designs: full grid, Latin hypercube, Sobol and Morris samples over an experiment's factors.

Every factor has a *raw* coordinate (what samplers and SALib see) and a *value* (what the
scenario gets):

- a continuous range factor: raw = value in ``[low, high]``;
- an integer range factor: raw in ``[low, high + 1)``, value = ``floor(raw)`` (uniform over the
  whole numbers ``low..high``);
- a discrete factor (``values``, including switches): raw in ``[0, n)``, value = ``values[floor(raw)]``.

Designs are deterministic functions of the experiment (the master seed drives LHS and SALib).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from jusim.experiment.schema import DesignSpec, FactorSpec


@dataclass(frozen=True)
class Design:
    """Design points: ``values`` (one row per point, a column per factor) and the raw matrix."""

    factors: list[str]
    values: pd.DataFrame
    raw: np.ndarray
    problem: dict[str, Any]
    kind: str

    @property
    def n_points(self) -> int:
        return len(self.values)

    def point(self, i: int) -> dict[str, Any]:
        """Factor values of point ``i`` as plain Python scalars."""
        # column by column: a row of mixed columns would turn whole numbers into floats
        return {f: _py(self.values[f].iat[i]) for f in self.factors}


def _py(x: Any) -> Any:
    return x.item() if isinstance(x, np.generic) else x


def raw_bounds(spec: FactorSpec) -> tuple[float, float]:
    if spec.range is not None:
        lo, hi = spec.range
        if spec.integer:
            return float(math.ceil(lo)), float(math.floor(hi) + 1)
        return float(lo), float(hi)
    return 0.0, float(len(spec.values or []))


def to_value(spec: FactorSpec, raw: np.ndarray) -> np.ndarray | list:
    """Map raw coordinates to factor values (see the module docstring)."""
    if spec.range is not None:
        if spec.integer:
            lo, hi = math.ceil(spec.range[0]), math.floor(spec.range[1])
            return np.clip(np.floor(raw), lo, hi).astype(np.int64)
        return np.clip(raw.astype(float), *spec.range)
    values = list(spec.values or [])
    idx = np.clip(np.floor(raw).astype(np.int64), 0, len(values) - 1)
    return [values[i] for i in idx]


def grid_levels(spec: FactorSpec, default_levels: int) -> list[Any]:
    """The grid levels of one factor."""
    if spec.values is not None:
        return list(spec.values)
    lo, hi = spec.range  # type: ignore[misc]
    n = spec.levels or default_levels
    if spec.integer:
        ints = np.unique(np.round(np.linspace(math.ceil(lo), math.floor(hi), n)).astype(np.int64))
        return [int(v) for v in ints]
    return [float(v) for v in np.linspace(lo, hi, n)]


def grid_size(factors: dict[str, FactorSpec], design: DesignSpec) -> int:
    return math.prod(len(grid_levels(s, design.levels)) for s in factors.values())


def n_points(factors: dict[str, FactorSpec], design: DesignSpec) -> int:
    """Design size without building it (to reject impossible designs early)."""
    d = len(factors)
    if design.kind == "grid":
        return grid_size(factors, design)
    n = design.samples or 0
    if design.kind == "lhs":
        return n
    if design.kind == "sobol":
        return n * (2 * d + 2 if design.second_order else d + 2)
    return n * (d + 1)  # morris


def _column(spec: FactorSpec, values: list | np.ndarray) -> pd.Series:
    if spec.values is not None and all(isinstance(v, bool) for v in spec.values):
        return pd.Series(values, dtype=bool)
    if spec.range is not None and spec.integer:
        return pd.Series(values, dtype="int64")
    if spec.values is not None and all(isinstance(v, str) for v in spec.values):
        return pd.Series(values, dtype=object)
    if spec.values is not None and all(
        isinstance(v, int) and not isinstance(v, bool) for v in spec.values
    ):
        return pd.Series(values, dtype="int64")
    return pd.Series(values, dtype=float)


DESIGN_SEED_RULE = "numpy.random.SeedSequence([master_seed, 0x5EED]).generate_state(1)[0]"


def design_seed(seed: int) -> int:
    """The seed of the LHS, Sobol and Morris samplers, derived from the master seed."""
    return int(np.random.SeedSequence([seed, 0x5EED]).generate_state(1)[0])


def make_design(factors: dict[str, FactorSpec], design: DesignSpec, seed: int) -> Design:
    """Build the design points for ``factors`` (deterministic in ``seed``)."""
    names = list(factors)
    specs = [factors[n] for n in names]
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(raw_bounds(s)) for s in specs],
    }
    sampler_seed = design_seed(seed)
    if design.kind == "grid":
        levels = [grid_levels(s, design.levels) for s in specs]
        rows = list(itertools.product(*levels))
        cols = {
            n: _column(s, [r[i] for r in rows])
            for i, (n, s) in enumerate(zip(names, specs, strict=True))
        }
        raw = np.array(
            [[_raw_of(s, r[i]) for i, s in enumerate(specs)] for r in rows], dtype=float
        ).reshape(len(rows), len(names))
    else:
        if design.kind == "lhs":
            from scipy.stats import qmc

            unit = qmc.LatinHypercube(d=len(names), seed=sampler_seed).random(design.samples or 1)
            lo = np.array([b[0] for b in problem["bounds"]])
            hi = np.array([b[1] for b in problem["bounds"]])
            raw = lo + unit * (hi - lo)
        elif design.kind == "sobol":
            from SALib.sample import sobol

            raw = sobol.sample(
                problem,
                design.samples or 1,
                calc_second_order=design.second_order,
                seed=sampler_seed,
            )
        else:
            from SALib.sample import morris

            raw = morris.sample(
                problem, design.samples or 2, num_levels=design.morris_levels, seed=sampler_seed
            )
        cols = {
            n: _column(s, to_value(s, raw[:, i]))
            for i, (n, s) in enumerate(zip(names, specs, strict=True))
        }
    values = pd.DataFrame(cols)
    values.insert(0, "point", np.arange(len(values), dtype=np.int64))
    return Design(names, values, np.asarray(raw, dtype=float), problem, design.kind)


def _raw_of(spec: FactorSpec, value: Any) -> float:
    if spec.values is not None:
        return float(spec.values.index(value))
    return float(value)
