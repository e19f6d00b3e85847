"""Robust package search: which packages of interventions beat the baseline, within a cost limit,
across the uncertainty (seeds, or posterior parameter draws x seeds).

A search file (``SEARCH.toml``, schema :class:`SearchSpec`) names the levers that may enter a
package — an intervention, its fixed fields and the ranges of the settings to search — the outcome,
the cost limit and the objectives. The optimiser is pymoo's NSGA-II (Deb et al. 2002), an
established multi-objective genetic algorithm: a package is a vector in ``[0, 1]^d`` (per lever an
in/out gene if the lever is optional, and one gene per setting, rounded for whole-number fields).

Every package is evaluated on the same samples (common random numbers): ``replications`` seeds,
or ``draws`` draws of a parameter ``ensemble`` (``"default"``: the shipped posterior, or a file)
x ``replications`` seeds each, paired as ``jusim compare`` pairs them (``jusim.analysis.samples``:
draw ``d`` on its own seeds, the same for every package and the baseline); or a list of override
dicts as ``draws``. Objectives (all reported; those in ``objectives`` optimised):

- ``p10_attainment``: the 10th percentile over samples of the outcome's attainment at the horizon
  (maximised: a package that does well even in its bad draws);
- ``mean_attainment``: the mean (maximised);
- ``cost_per_case``: mean £k spent on the outcome per case resolved over the run (minimised);
- ``regret``: the 90th percentile over samples of the shortfall from the best package evaluated so
  far *on that sample* (minimised; while searching, "so far" grows, so it is recomputed for the
  final Pareto set against every package the search evaluated);
- ``extra_spend``: mean extra spend on the outcome over the run compared with the baseline, £m.

The cost limit is a constraint: ``extra_spend <= cost_limit``. The search checkpoints after every
generation (``checkpoint.pkl`` in the output folder: the algorithm with its random state and every
evaluation so far) and resumes from it when run again with the same file; output is the Pareto set
as a table (``pareto.csv``), a plot (``pareto.png``) and one scenario file per package
(``packages/``).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, model_validator
from pymoo.core.problem import Problem

from jusim.analysis.samples import Samples, samples
from jusim.ensemble import Ensemble
from jusim.scenario import Scenario, ScenarioError, load_toml_file
from jusim.strict import StrictModel

OBJECTIVES = ("p10_attainment", "mean_attainment", "cost_per_case", "regret", "extra_spend")
MAXIMISED = {"p10_attainment", "mean_attainment"}
NAME = r"^[a-z][a-z0-9_]*$"
SEARCH_FILES = ("checkpoint.pkl", "pareto.csv", "pareto.png", "packages", "evaluations.csv")


class LeverSpec(StrictModel):
    """One lever a package may use: an intervention with fixed fields and searched settings."""

    intervention: str = Field(description="intervention type (jusim scenarios lists them)")
    fixed: dict[str, Any] = Field(default_factory=dict, description="fields held fixed")
    settings: dict[str, list[float]] = Field(
        default_factory=dict, description="fields searched: [low, high] (whole numbers if int)"
    )
    optional: bool = Field(True, description="a package may leave this lever out")

    @model_validator(mode="after")
    def _check(self) -> LeverSpec:
        from jusim.interventions import REGISTRY

        if self.intervention not in REGISTRY:
            raise ValueError(
                f"intervention {self.intervention!r}: one of {', '.join(sorted(REGISTRY))}"
            )
        fields = REGISTRY[self.intervention].model_fields
        for name, rng in self.settings.items():
            if name not in fields or fields[name].annotation not in (int, float):
                numeric = [k for k, f in fields.items() if f.annotation in (int, float)]
                raise ValueError(
                    f"settings.{name}: a numeric field of {self.intervention}: {numeric}"
                )
            if len(rng) != 2 or rng[0] > rng[1]:
                raise ValueError(f"settings.{name} = {rng}: give [low, high] with low <= high")
            if name in self.fixed:
                raise ValueError(f"settings.{name}: also in fixed; give it in one place")
        return self

    def is_int(self, name: str) -> bool:
        from jusim.interventions import REGISTRY

        return REGISTRY[self.intervention].model_fields[name].annotation is int

    def value(self, name: str, v: float) -> float | int:
        """A setting as the field takes it: whole numbers rounded, others to 3 figures."""
        return round(v) if self.is_int(name) else float(f"{v:.3g}")


class SearchSpec(StrictModel):
    """A search file (see the module docstring and docs/user-guide.md)."""

    name: str = Field(pattern=NAME, max_length=64)
    description: str = ""
    base: str = Field("silo", description="scenario the packages are added to")
    baseline: str = Field("silo", description="what packages are compared with")
    outcome: str = Field(description="the outcome whose attainment is searched")
    horizon: int | None = Field(None, ge=1, le=1200, description="months (default: the base's)")
    replications: int = Field(4, ge=2, le=10_000, description="seeds per package")
    seed: int = Field(0, ge=0, description="master seed")
    cost_limit: float = Field(description="largest extra spend on the outcome over the run, £m")
    objectives: list[Literal[OBJECTIVES]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["p10_attainment", "cost_per_case"], min_length=1, max_length=5
    )
    population: int = Field(12, ge=4, le=10_000)
    generations: int = Field(5, ge=1, le=10_000)
    levers: list[LeverSpec] = Field(min_length=1, max_length=30)
    source: str = Field("<memory>", exclude=True)


def parse_search(data: dict[str, Any], source: str = "<memory>") -> SearchSpec:
    """Validate a search file's data; every problem names the file, field, value and allowed."""
    if not isinstance(data, dict):
        raise ScenarioError([(source, "(file)", type(data).__name__, "a table of fields")])
    try:
        return SearchSpec.model_validate({**data, "source": source})
    except ValidationError as err:
        problems, seen = [], set()
        for e in err.errors():
            loc = tuple(p for p in e["loc"] if not str(p).startswith(("function-", "literal[")))
            fld = ".".join(str(p) for p in loc) or "(file)"
            node: Any = data
            for p in loc:
                try:
                    node = node[p]
                except (KeyError, IndexError, TypeError):
                    node = None
                    break
            msg = e["msg"].removeprefix("Value error, ")
            if e["type"] == "extra_forbidden":
                msg = "unknown field (check the spelling; see docs/user-guide.md, jusim search)"
            elif e["type"] == "missing":
                msg = "required field is missing"
            if fld not in seen:
                seen.add(fld)
                problems.append((source, fld, node, msg))
        raise ScenarioError(problems) from None


def load_search(path: str | Path) -> SearchSpec:
    """Read, validate and check a search file against its scenarios."""
    spec = parse_search(load_toml_file(Path(path), "(file)"), str(path))
    base, baseline = scenarios(spec)
    if baseline.outcome_names != base.outcome_names:
        raise ScenarioError(
            [
                (
                    spec.source,
                    "baseline",
                    spec.baseline,
                    f"a scenario with the outcomes of {spec.base}",
                )
            ]
        )
    if spec.outcome not in base.outcome_names:
        raise ScenarioError(
            [(spec.source, "outcome", spec.outcome, f"one of {', '.join(base.outcome_names)}")]
        )
    for i, lever in enumerate(spec.levers):  # every lever at its low and its high settings
        for end in (0, 1):
            try:
                ends = {k: lever.value(k, v[end]) for k, v in lever.settings.items()}
                package_scenario(spec, base, [(i, ends)])
            except ScenarioError as e:
                raise ScenarioError(
                    [(spec.source, f"levers[{i}]", lever.intervention, _allowed(e))]
                ) from None
    return spec


def _allowed(e: ScenarioError) -> str:
    return "; ".join(f"{f} = {v!r}: {a}" for _, f, v, a in e.problems)


def scenarios(spec: SearchSpec) -> tuple[Scenario, Scenario]:
    import jusim

    out = []
    for fld in ("base", "baseline"):
        try:
            s = jusim.as_scenario(getattr(spec, fld))
        except ScenarioError as e:
            raise ScenarioError([(spec.source, fld, getattr(spec, fld), _allowed(e))]) from None
        out.append(s.with_overrides({"horizon": spec.horizon}) if spec.horizon else s)
    return out[0], out[1]


Package = tuple[tuple[int, tuple[tuple[str, float], ...]], ...]


def package_scenario(
    spec: SearchSpec, base: Scenario, package: list[tuple[int, dict[str, float]]], name: str = ""
) -> Scenario:
    """``base`` with the package's interventions added."""
    ivs = [iv.to_dict() for iv in base.interventions]
    for i, settings in package:
        lever = spec.levers[i]
        ivs.append({"type": lever.intervention, **lever.fixed, **settings})
    s = base.model_copy(update={"name": name or base.name}).with_interventions(ivs)
    return s


def decode(spec: SearchSpec, x: np.ndarray) -> Package:
    """The package a gene vector stands for (settings rounded: 3 significant figures)."""
    out, j = [], 0
    for i, lever in enumerate(spec.levers):
        on = True
        if lever.optional:
            on = bool(x[j] >= 0.5)
            j += 1
        settings = []
        for name, (lo, hi) in lever.settings.items():
            v = lo + float(x[j]) * (hi - lo)
            j += 1
            settings.append((name, lever.value(name, v)))
        if on:
            out.append((i, tuple(settings)))
    return tuple(out)


def n_genes(spec: SearchSpec) -> int:
    return sum(int(lv.optional) + len(lv.settings) for lv in spec.levers)


def describe(spec: SearchSpec, package: Package) -> str:
    """A package in words: ``pooled_budget (share 0.2) + secondees (count 12)``."""
    if not package:
        return "(nothing added)"
    parts = []
    for i, settings in package:
        s = ", ".join(f"{k} {v:g}" for k, v in settings)
        parts.append(spec.levers[i].intervention + (f" ({s})" if s else ""))
    return " + ".join(parts)


def package_samples(scenario: Scenario, design: Samples, outcome: str) -> dict[str, np.ndarray]:
    """A package's (or the baseline's) attainment, cost per case and spending (£m) at the
    horizon on every draw and seed of ``design``, in one batch; a task an executor can run."""
    import jusim

    o = scenario.outcome_names.index(outcome)
    pairs = [
        (arm, ss)
        for arm, seeds in zip(design.arms(scenario), design.seeds(), strict=True)
        for ss in seeds
    ]
    results = jusim.run_batch([a for a, _ in pairs], [ss for _, ss in pairs])
    return _measures(results, o)


def _measures(results: list[Any], o: int) -> dict[str, np.ndarray]:
    return {
        "attainment": np.array([r.attainment[-1, o] for r in results]),
        "cost": np.array([r.cost_per_outcome()[-1, o] for r in results]),
        "spend": np.array([r["spend"][:, o].sum() / 1000.0 for r in results]),  # £m
    }


@dataclass
class Evaluator:
    """Runs packages on the common samples; keeps every evaluation (the archive). With an
    ``executor`` (``jusim.experiment.executors``: local processes or a Dask cluster) the new
    packages of a generation run side by side, each one task; results do not depend on it."""

    spec: SearchSpec
    design: Samples | None = None  # None: the spec's seeds only
    run: Callable[[Scenario, np.random.SeedSequence], Any] | None = None
    archive: dict[Package, dict[str, np.ndarray]] = field(default_factory=dict)
    baseline_runs: dict[str, np.ndarray] | None = None
    runs: int = 0
    arms: tuple[Scenario, Scenario] | None = None  # (base, baseline), read once
    executor: Any = None

    def __getstate__(self) -> dict[str, Any]:  # the engine and executor are not checkpointed
        return {**self.__dict__, "run": None, "executor": None}

    def evaluate_many(self, packages: list[Package]) -> None:
        """Evaluate the packages not yet in the archive (side by side with an executor)."""
        new = [p for p in dict.fromkeys(packages) if p not in self.archive]
        if self.executor is None or self.run is not None or len(new) < 2:
            for p in new:
                self.evaluate(p)
            return
        if self.arms is None:
            self.arms = scenarios(self.spec)
        if self.baseline_runs is None:
            self.baseline_runs = self._samples(self.arms[1])
        design = self.design or Samples(self.spec.seed, self.spec.replications)
        futures = [
            self.executor.submit(package_samples, self._scenario(p), design, self.spec.outcome)
            for p in new
        ]
        for p, future in zip(new, futures, strict=True):
            self.archive[p] = future.result()
            self.runs += design.size

    def _scenario(self, package: Package) -> Scenario:
        assert self.arms is not None
        return package_scenario(self.spec, self.arms[0], [(i, dict(st)) for i, st in package])

    def _samples(self, scenario: Scenario) -> dict[str, np.ndarray]:
        design = self.design or Samples(self.spec.seed, self.spec.replications)
        self.runs += design.size
        if not self.run:  # every draw and seed of the package in one batch
            return package_samples(scenario, design, self.spec.outcome)
        pairs = [
            (arm, ss)
            for arm, seeds in zip(design.arms(scenario), design.seeds(), strict=True)
            for ss in seeds
        ]
        results = [self.run(arm, ss) for arm, ss in pairs]
        return _measures(results, scenario.outcome_names.index(self.spec.outcome))

    def evaluate(self, package: Package) -> dict[str, np.ndarray]:
        if self.arms is None:
            self.arms = scenarios(self.spec)
        if self.baseline_runs is None:
            self.baseline_runs = self._samples(self.arms[1])
        if package not in self.archive:
            self.archive[package] = self._samples(self._scenario(package))
        return self.archive[package]

    def best(self) -> np.ndarray:
        """Best attainment per sample over the packages evaluated within the cost limit (over
        all of them if none is)."""
        assert self.baseline_runs is not None
        spent = self.baseline_runs["spend"]
        ok = [
            v["attainment"]
            for v in self.archive.values()
            if (v["spend"] - spent).mean() <= self.spec.cost_limit
        ]
        pool = ok or [v["attainment"] for v in self.archive.values()]
        return np.max(np.stack(pool), axis=0)

    def scores(self, package: Package, best: np.ndarray | None = None) -> dict[str, float]:
        v = self.evaluate(package)
        best = self.best() if best is None else best
        cost = v["cost"][np.isfinite(v["cost"])]
        assert self.baseline_runs is not None
        return {
            "p10_attainment": float(np.quantile(v["attainment"], 0.1)),
            "mean_attainment": float(v["attainment"].mean()),
            "cost_per_case": float(cost.mean()) if cost.size else float("nan"),
            "regret": float(np.quantile(best - v["attainment"], 0.9)),
            "extra_spend": float((v["spend"] - self.baseline_runs["spend"]).mean()),
        }


class PackageProblem(Problem):
    """pymoo's view of the search: genes in [0, 1], objectives minimised, one constraint."""

    def __init__(self, evaluator: Evaluator):
        spec = evaluator.spec
        self.evaluator = evaluator
        super().__init__(
            n_var=n_genes(spec), n_obj=len(spec.objectives), n_ieq_constr=1, xl=0.0, xu=1.0
        )

    def _evaluate(self, x, out, *args, **kwargs):
        ev, spec = self.evaluator, self.evaluator.spec
        packages = [decode(spec, row) for row in x]
        ev.evaluate_many(packages)
        best = ev.best()
        f, g = [], []
        for p in packages:
            s = ev.scores(p, best)
            row = []
            for name in spec.objectives:
                val = s[name] if np.isfinite(s[name]) else 1e9
                row.append(-val if name in MAXIMISED else val)
            f.append(row)
            g.append([s["extra_spend"] - spec.cost_limit])
        out["F"] = np.array(f)
        out["G"] = np.array(g)


@dataclass
class SearchResult:
    spec: SearchSpec
    pareto: pd.DataFrame  # one row per package on the Pareto set (final regret)
    evaluations: pd.DataFrame  # every package evaluated
    generations: int
    runs: int
    seconds: float
    resumed_from: int  # generations already done when this call started
    horizon: int = 0
    samples: str = ""  # the samples each package runs on, in words


def spec_hash(spec: SearchSpec) -> str:
    return hashlib.sha256(json.dumps(spec.model_dump(), sort_keys=True).encode()).hexdigest()


def search(
    spec: SearchSpec,
    out: Path | None = None,
    draws: int | list[dict[str, Any]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    run: Callable[[Scenario, np.random.SeedSequence], Any] | None = None,
    ensemble: str | Path | Ensemble | None = None,
    executor: Any = None,
) -> SearchResult:
    """Run (or resume from ``out/checkpoint.pkl``) the search; write its outputs to ``out``.

    ``ensemble`` and ``draws``: the parameter draws each package runs on, ``spec.replications``
    seeds each (module docstring). ``progress(generation, generations)`` after each generation.
    ``executor``: run a generation's new packages side by side (``jusim.experiment.executors``:
    local processes or a Dask cluster); the result is the same without it.
    """
    from pymoo.algorithms.moo.nsga2 import NSGA2

    start = time.perf_counter()
    design = samples(spec.seed, spec.replications, ensemble, draws, source="jusim search")
    digest = spec_hash(spec) + design.digest()
    checkpoint = out / "checkpoint.pkl" if out is not None else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    state = None
    if checkpoint is not None and checkpoint.is_file():
        with checkpoint.open("rb") as f:
            state = pickle.load(f)
        if state.get("digest") != digest:
            raise ScenarioError(
                [
                    (
                        str(checkpoint),
                        "checkpoint",
                        "another search",
                        "the same search file (give a new --out folder, or --force to start over)",
                    )
                ]
            )
    if state is None:
        evaluator = Evaluator(spec, design, run, executor=executor)
        algorithm = NSGA2(pop_size=spec.population, eliminate_duplicates=True, seed=spec.seed)
        algorithm.setup(PackageProblem(evaluator), termination=("n_gen", spec.generations))
        done = 0
    else:
        algorithm, evaluator = state["algorithm"], state["evaluator"]
        evaluator.run, evaluator.executor = run, executor
        done = algorithm.n_gen - 1 if algorithm.n_gen else 0
    resumed = max(done, 0)
    while algorithm.has_next():
        algorithm.next()
        if checkpoint is not None:
            tmp = checkpoint.with_suffix(".tmp")
            with tmp.open("wb") as f:
                pickle.dump({"digest": digest, "algorithm": algorithm, "evaluator": evaluator}, f)
            tmp.replace(checkpoint)
        if progress:
            progress(algorithm.n_gen - 1, spec.generations)
    result = _result(spec, algorithm, evaluator, resumed, time.perf_counter() - start)
    if out is not None:
        write_outputs(result, out)
    return result


def _result(spec, algorithm, evaluator: Evaluator, resumed: int, seconds: float) -> SearchResult:
    best = evaluator.best()
    rows = []
    for package in evaluator.archive:
        rows.append(
            {"package": describe(spec, package), **evaluator.scores(package, best), "key": package}
        )
    evals = pd.DataFrame(rows)
    evals["feasible"] = evals["extra_spend"] <= spec.cost_limit
    # the final Pareto set, on the final (not the stale) regret: non-dominated among the feasible
    feasible = evals[evals.feasible].reset_index(drop=True)
    pareto = feasible.iloc[_non_dominated(feasible, spec.objectives)].copy()
    pareto = pareto.sort_values(spec.objectives[0], ascending=spec.objectives[0] not in MAXIMISED)
    pareto.insert(0, "id", [f"{spec.name}_{k + 1}" for k in range(len(pareto))])
    return SearchResult(
        spec=spec,
        pareto=pareto.reset_index(drop=True),
        evaluations=evals,
        generations=algorithm.n_gen - 1,
        runs=evaluator.runs,
        seconds=seconds,
        resumed_from=resumed,
        horizon=scenarios(spec)[0].horizon,
        samples=(evaluator.design or Samples(spec.seed, spec.replications)).label(),
    )


def _non_dominated(df: pd.DataFrame, objectives: list[str]) -> list[int]:
    if df.empty:
        return []
    f = np.column_stack(
        [(-df[o] if o in MAXIMISED else df[o]).to_numpy(dtype=float) for o in objectives]
    )
    f = np.where(np.isfinite(f), f, 1e9)
    keep = []
    for i in range(len(f)):
        dominated = np.any(np.all(f <= f[i], axis=1) & np.any(f < f[i], axis=1))
        if not dominated:
            keep.append(i)
    return keep


def write_outputs(result: SearchResult, out: Path) -> list[Path]:
    """``pareto.csv``, ``evaluations.csv``, ``pareto.png`` and ``packages/ID.toml``."""
    from jusim.describe import to_toml

    spec = result.spec
    out.mkdir(parents=True, exist_ok=True)
    cols = ["id", "package", *OBJECTIVES]
    result.pareto[cols].to_csv(out / "pareto.csv", index=False)
    result.evaluations.drop(columns="key").to_csv(out / "evaluations.csv", index=False)
    folder = out / "packages"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.toml"):
        old.unlink()
    base = scenarios(spec)[0]
    paths = [out / "pareto.csv", out / "evaluations.csv"]
    for row in result.pareto.itertuples():
        s = package_scenario(spec, base, [(i, dict(st)) for i, st in row.key], name=row.id)
        data = s.to_dict()
        data["description"] = f"Package from search {spec.name}: {row.package}"
        header = (
            f"Found by jusim search ({spec.source}); p10 attainment {row.p10_attainment:.2f}, "
            f"cost per case £{row.cost_per_case:.0f}k, extra spend £{row.extra_spend:.0f}m"
        )
        p = folder / f"{row.id}.toml"
        p.write_text(to_toml(data, header), encoding="utf-8")
        paths.append(p)
    fig = pareto_figure(result)
    fig.savefig(out / "pareto.png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    paths.append(out / "pareto.png")
    return paths


def pareto_figure(result: SearchResult):
    """Every package evaluated (grey; infeasible hollow), the Pareto set labelled."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    spec = result.spec
    x_name = "cost_per_case"
    y_name = "p10_attainment"
    ev, par = result.evaluations, result.pareto
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    feas = ev[ev.feasible]
    ax.scatter(feas[x_name], feas[y_name], s=14, color="#bbbbbb", label="evaluated")
    inf = ev[~ev.feasible]
    if len(inf):
        ax.scatter(
            inf[x_name],
            inf[y_name],
            s=14,
            facecolors="none",
            edgecolors="#bbbbbb",
            label=f"over the cost limit (£{spec.cost_limit:g}m)",
        )
    ax.scatter(par[x_name], par[y_name], s=30, color="#2b6ca3", label="Pareto set")
    for r in par.itertuples():
        ax.annotate(r.id.rsplit("_", 1)[-1], (getattr(r, x_name), getattr(r, y_name)), fontsize=8)
    ax.set_xlabel("cost per case resolved, £k (mean over samples)")
    ax.set_ylabel(f"attainment of {spec.outcome}, 10th percentile")
    ax.set_title(f"Search {spec.name}: {len(ev)} packages, {result.runs:,} runs", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
