"""Screening and ABC-SMC calibration to the NAO's figures (issue 21).

A calibration file (TOML, strict schema: :class:`CalibrationSpec`) names the targets
(``jusim.analysis.targets``), the parameters to fit (override paths whose priors come from
``jusim/data/priors.toml``), the population size, generations, least epsilon, seed,
replications per particle, ``workers`` or a Dask ``scheduler`` address, and the output folder.

- :func:`screen`: Morris elementary effects (SALib, through ``jusim.experiment.sensitivity``)
  over every prior that applies to a target world, on every target statistic. Sampled in quantile
  space (each factor's 0-1 level mapped through its prior's quantile function), so a factor's
  mu* is the change of a statistic as the factor moves across its prior. Factors are ranked by
  their largest mu* in units of each target's tolerance. Runs are stored as they finish
  (``screen_runs.csv``): a killed screen continues where it stopped.
- :func:`calibrate`: pyabc's ABC-SMC over the fitted parameters (priors as pyabc ``RV``s), the
  distance being the largest gap between a statistic and its target in tolerances, so epsilon
  <= 1 means every target is met within its tolerance. pyabc keeps its History in
  ``calibration.db`` (sqlite) in the output folder; rerunning continues from the last complete
  generation (``ABCSMC.load``).

Determinism: the screen runs every point on the same seeds (``targets.common_seed``: common
random numbers, ``[screen] crn = true``, the default), so elementary effects are differences of
paired runs; with ``crn = false``, and always in the calibration, each parameter set's runs are
seeded from the calibration's seed and the parameter values themselves (``targets.param_seed``).
Either way a point's or particle's statistics do not depend on which worker ran it. pyabc draws its proposals from numpy's global generator, seeded here from the
seed and the generation a run starts at: a single-worker calibration is repeatable; with several
workers or Dask the order particles return in, and so the population, can differ between runs
(pyabc's multicore sampler also reseeds its worker processes from the operating system).
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, field_validator

from jusim.analysis.targets import TARGETS, Target, Worlds, simulate
from jusim.priors import Prior, applicable, load_priors
from jusim.scenario import ScenarioError, _problems, load_toml_file
from jusim.strict import StrictModel

SCREEN_FILES = ("screen_runs.csv", "screen.csv", "screen_indices.csv", "screen.png")
CALIBRATION_FILES = (
    "calibration.db",
    "posterior.csv",
    "posterior.parquet",
    "posterior_all.csv",
    "predictive.csv",
    "predictive.png",
    "identification.csv",
    "summary.json",
)
OUR_FILES = ("spec.json", *SCREEN_FILES, *CALIBRATION_FILES)


class TargetSpec(StrictModel):
    """A target to fit; ``value`` and ``tolerance`` default to the source's (targets.py)."""

    value: float | None = Field(None, ge=-1e9, le=1e9)
    tolerance: float | None = Field(None, gt=0, le=1e9)
    fit: bool = Field(
        True, description="false: computed and reported, but not in the distance or the ranking"
    )


class ScreenSpec(StrictModel):
    """Morris screening: trajectories, grid levels, and how many top factors to fit."""

    trajectories: int = Field(8, ge=2, le=200)
    levels: int = Field(4, ge=2, le=20)
    top: int = Field(8, ge=1, le=50)
    crn: bool = Field(
        True,
        description="common random numbers: every point on the same seeds (from the file's "
        "seed), so elementary effects are differences of paired runs; false: each point's own "
        "seed (targets.param_seed)",
    )


class CalibrationSpec(StrictModel):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    out: str = Field(min_length=1, max_length=1000, description="output folder, relative to file")
    seed: int = Field(0, ge=0, le=2**63 - 1)
    replications: int = Field(1, ge=1, le=100, description="runs of each world per particle")
    population: int = Field(100, ge=2, le=100_000)
    generations: int = Field(5, ge=1, le=100)
    min_epsilon: float = Field(1.0, ge=0, le=1e6, description="stop below this epsilon")
    workers: int = Field(1, ge=1, le=256, description="local processes (pyabc multicore)")
    scheduler: str = Field("", max_length=1000, description="Dask scheduler address")
    predictive_draws: int = Field(50, ge=1, le=10_000)
    fit: list[str] | Literal["screen"] = Field(
        "screen", description='override paths with priors, or "screen": the screen\'s top'
    )
    targets: dict[str, TargetSpec] = Field(min_length=1)
    screen: ScreenSpec = ScreenSpec()
    source: str = Field("<memory>", exclude=True)

    @field_validator("targets")
    @classmethod
    def _known(cls, v: dict[str, TargetSpec]) -> dict[str, TargetSpec]:
        unknown = [k for k in v if k not in TARGETS]
        if unknown:
            raise ValueError(f"target {unknown[0]!r} is not one of {sorted(TARGETS)}")
        return v

    @field_validator("targets")
    @classmethod
    def _one_fitted(cls, v: dict[str, TargetSpec]) -> dict[str, TargetSpec]:
        if not any(t.fit for t in v.values()):
            raise ValueError("at least one target with fit = true")
        return v

    @property
    def folder(self) -> Path:
        base = Path(self.source).parent if self.source != "<memory>" else Path.cwd()
        return (base / self.out).resolve()

    def fitted_targets(self) -> list[str]:
        return [name for name, t in self.targets.items() if t.fit]

    def target_list(self) -> list[Target]:
        out = []
        for name, t in self.targets.items():
            d = TARGETS[name]
            out.append(
                Target(
                    name,
                    d.value if t.value is None else t.value,
                    d.tolerance if t.tolerance is None else t.tolerance,
                    d.unit,
                    d.source,
                    d.what,
                )
            )
        return out

    def digest(self, stage: str = "calibrate") -> str:
        """Hash of what changes a stage's results (never workers, scheduler or description):
        the screen's runs depend on seed, replications and the screen's design only."""
        if stage == "screen":
            data: dict[str, Any] = {
                "seed": self.seed,
                "replications": self.replications,
                "trajectories": self.screen.trajectories,
                "levels": self.screen.levels,
                "crn": self.screen.crn,
            }
        else:
            # generations, min_epsilon and predictive_draws may change: more generations
            # continue the same history, fewer stop it where it is
            data = self.model_dump(
                exclude={
                    "workers",
                    "scheduler",
                    "description",
                    "generations",
                    "min_epsilon",
                    "predictive_draws",
                }
            )
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def parse_calibration(data: dict[str, Any], source: str = "<memory>") -> CalibrationSpec:
    """Validate a calibration table, or raise ScenarioError naming file, field, value, allowed."""
    try:
        spec = CalibrationSpec.model_validate({**data, "source": source})
    except ValidationError as err:
        raise ScenarioError(_problems(err, data, source)) from None
    priors = {p.path for p in load_priors()}
    if isinstance(spec.fit, list):
        problems = [
            (source, f"fit[{k}]", path, "an override path with a prior in jusim/data/priors.toml")
            for k, path in enumerate(spec.fit)
            if path not in priors
        ]
        if len(set(spec.fit)) != len(spec.fit):
            problems.append((source, "fit", spec.fit, "each path once"))
        if not spec.fit:
            problems.append((source, "fit", [], 'at least one path, or "screen"'))
        if problems:
            raise ScenarioError(problems)
    return spec


def load_calibration(path: str | Path) -> CalibrationSpec:
    p = Path(path)
    return parse_calibration(load_toml_file(p), str(p))


# ---------------------------------------------------------------------------------- folder


def prepare_folder(spec: CalibrationSpec, stage: str = "calibrate", force: bool = False) -> Path:
    """The output folder for a stage (``screen`` or ``calibrate``): new, or holding this stage's
    files from the same settings (then continued). Files of the stage from other settings need
    ``force`` (they are then removed); files jusim did not write are refused."""
    out = spec.folder
    record = out / "spec.json"
    mine = SCREEN_FILES if stage == "screen" else CALIBRATION_FILES
    if out.exists() and not out.is_dir():
        raise ScenarioError([(spec.source, "out", spec.out, "a folder, not a file")])
    digests: dict[str, str] = {}
    if out.is_dir():
        present = sorted(p.name for p in out.iterdir())
        foreign = [n for n in present if n not in OUR_FILES]
        if foreign:
            raise ScenarioError(
                [(spec.source, "out", spec.out, f"a folder jusim wrote; it holds {foreign[:3]}")]
            )
        if record.exists():
            digests = json.loads(record.read_text()).get("digests", {})
        ours = [n for n in present if n in mine]
        if ours and digests.get(stage) != spec.digest(stage):
            if not force:
                raise ScenarioError(
                    [
                        (
                            spec.source,
                            "out",
                            spec.out,
                            f"a folder for this {stage} stage; it holds results of other settings "
                            f"({', '.join(ours[:3])}; add --force to replace them, or give a "
                            "new folder)",
                        )
                    ]
                )
            for n in ours:
                (out / n).unlink()
    out.mkdir(parents=True, exist_ok=True)
    digests[stage] = spec.digest(stage)
    record.write_text(json.dumps({"digests": digests, stage: spec.model_dump()}, indent=2) + "\n")
    return out


# -------------------------------------------------------------------------------- screening


def screened_priors(worlds: Worlds | None = None) -> tuple[list[Prior], list[Prior]]:
    """Priors that apply to at least one target world, and those that apply to none (the fields
    of interventions absent from every target world: no effect there by construction)."""
    worlds = worlds or Worlds.shipped()
    scenarios = [worlds.silo, worlds.unit, worlds.sure_start, worlds.places, worlds.eydcp]
    used, unused = [], []
    for p in load_priors():
        hit = any(applicable(s, {p.path: p.default}) for s in scenarios)
        (used if hit else unused).append(p)
    return used, unused


def _params(priors: list[Prior], u: np.ndarray) -> dict[str, Any]:
    return {p.path: p.value(p.ppf(x)) for p, x in zip(priors, u, strict=True)}


def _map(fn, items: list, workers: int, progress=None) -> list:
    if workers <= 1:
        out = []
        for x in items:
            out.append(fn(x))
            if progress:
                progress()
        return out
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as pool:
        out = []
        for y in pool.map(fn, items):
            out.append(y)
            if progress:
                progress()
        return out


class _Point:
    """Picklable: one screening point's statistics (``crn``: on the seeds every point shares)."""

    def __init__(self, priors: list[Prior], seed: int, replications: int, crn: bool = True):
        self.priors, self.seed, self.replications, self.crn = priors, seed, replications, crn
        self.worlds: Worlds | None = None

    def __call__(self, u: np.ndarray) -> dict[str, float]:
        self.worlds = self.worlds or Worlds.shipped()
        params = _params(self.priors, u)
        return simulate(params, self.seed, self.replications, self.worlds, common=self.crn)


def screen(
    spec: CalibrationSpec,
    force: bool = False,
    progress=None,
    priors: list[Prior] | None = None,
) -> pd.DataFrame:
    """Morris screening over the priors on the target statistics; the ranked factor table.

    ``priors``: the factors (default: every prior that applies to a target world,
    :func:`screened_priors`). With ``screen.crn`` (the default) every point runs on the same seeds,
    so an elementary effect is the difference of two paired runs and a factor that changes no
    target world has mu* exactly 0; otherwise each point has its own seed (``param_seed``)."""
    from SALib.sample import morris as morris_sample

    from jusim.experiment.sensitivity import morris_indices

    out = prepare_folder(spec, "screen", force)
    priors = screened_priors()[0] if priors is None else priors
    d = len(priors)
    problem = {"num_vars": d, "names": [p.path for p in priors], "bounds": [[0.0, 1.0]] * d}
    x = morris_sample.sample(
        problem, spec.screen.trajectories, num_levels=spec.screen.levels, seed=spec.seed
    )
    runs_file = out / "screen_runs.csv"
    done = pd.read_csv(runs_file) if runs_file.exists() else pd.DataFrame()
    start = len(done)
    point = _Point(priors, spec.seed, spec.replications, spec.screen.crn)
    rows = done.to_dict("records")
    chunk = max(spec.workers * 4, 8)
    for lo in range(start, len(x), chunk):
        batch = list(range(lo, min(lo + chunk, len(x))))
        stats = _map(point, [x[i] for i in batch], spec.workers, progress)
        for i, s in zip(batch, stats, strict=True):
            rows.append({"point": i, **s})
        pd.DataFrame(rows).to_csv(runs_file, index=False)  # a kill loses at most one batch
    runs = pd.DataFrame(rows).sort_values("point")
    tables = []
    for t in spec.target_list():
        table = morris_indices(
            problem,
            x,
            runs[t.name].to_numpy(float),
            spec.screen.levels,
            seed=spec.seed,
            what=t.name,
        )
        table.insert(0, "target", t.name)
        table["per_tolerance"] = table["value"] / t.tolerance
        tables.append(table)
    indices = pd.concat(tables, ignore_index=True)
    indices.to_csv(out / "screen_indices.csv", index=False)
    fitted = indices[indices["target"].isin(spec.fitted_targets())]
    mu = fitted[fitted["index"] == "mu_star"].pivot(
        index="factor", columns="target", values="per_tolerance"
    )
    ranked = pd.DataFrame(
        {
            "factor": mu.index,
            "max_mu_star_per_tolerance": mu.max(axis=1).to_numpy(),
            "target_most_moved": mu.idxmax(axis=1).to_numpy(),
        }
    ).merge(mu.add_prefix("mu_star_per_tol__"), left_on="factor", right_index=True)
    ranked = ranked.sort_values("max_mu_star_per_tolerance", ascending=False)
    ranked.insert(0, "rank", np.arange(1, len(ranked) + 1))
    ranked["selected"] = ranked["rank"] <= spec.screen.top
    ranked.to_csv(out / "screen.csv", index=False)
    _screen_chart(ranked, out / "screen.png")
    return ranked


def _screen_chart(ranked: pd.DataFrame, path: Path, n: int = 20) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    top = ranked.head(n).iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(top) + 1.2))
    ax.barh(top["factor"], top["max_mu_star_per_tolerance"], color="#4a7ab0")
    ax.set_xlabel("largest Morris mu* over the targets, in tolerances")
    ax.set_title("Screening: factors that move the calibration targets most", fontsize=10)
    ax.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def fitted_paths(spec: CalibrationSpec) -> list[str]:
    """The paths to fit: the file's list, or the screen's selected factors."""
    if isinstance(spec.fit, list):
        return list(spec.fit)
    ranked = spec.folder / "screen.csv"
    if not ranked.exists():
        raise ScenarioError(
            [
                (
                    spec.source,
                    "fit",
                    "screen",
                    "a finished screen first (run 'jusim screen' with this file), or a list of "
                    "override paths",
                )
            ]
        )
    table = pd.read_csv(ranked)
    return table.loc[table["selected"], "factor"].tolist()


# ------------------------------------------------------------------------------ calibration


def _name(path: str) -> str:
    return path.replace(".", "__")


def _rv(prior: Prior):
    from pyabc import RV

    if prior.dist == "uniform":
        return RV("uniform", prior.low, prior.high - prior.low)
    if prior.dist == "loguniform":
        return RV("loguniform", prior.low, prior.high)
    mode = prior.default if prior.mode is None else prior.mode
    return RV(
        "triang", (mode - prior.low) / (prior.high - prior.low), prior.low, prior.high - prior.low
    )


class Model:
    """The pyabc model: a parameter set (pyabc names) to target statistics. Picklable."""

    def __init__(self, priors: list[Prior], targets: list[str], seed: int, replications: int):
        self.priors, self.targets = priors, targets
        self.seed, self.replications = seed, replications
        self.worlds: Worlds | None = None

    def params(self, par: Any) -> dict[str, Any]:
        return {p.path: p.value(par[_name(p.path)]) for p in self.priors}

    def __call__(self, par: Any) -> dict[str, float]:
        self.worlds = self.worlds or Worlds.shipped()
        stats = simulate(self.params(par), self.seed, self.replications, self.worlds)
        return {t: stats[t] for t in self.targets}


class Distance:
    """Largest gap between a statistic and its target, in tolerances (epsilon 1: all met)."""

    def __init__(self, tolerances: dict[str, float]):
        self.tolerances = tolerances

    def __call__(self, x: dict, x0: dict) -> float:
        return max(abs(float(x[k]) - float(x0[k])) / t for k, t in self.tolerances.items())


def _sampler(spec: CalibrationSpec):
    from pyabc.sampler import MulticoreEvalParallelSampler, SingleCoreSampler

    if spec.scheduler:
        from dask.distributed import Client
        from pyabc.sampler import DaskDistributedSampler

        return DaskDistributedSampler(dask_client=Client(spec.scheduler))
    if spec.workers > 1:
        return MulticoreEvalParallelSampler(n_procs=spec.workers)
    return SingleCoreSampler()


def calibrate(spec: CalibrationSpec, force: bool = False) -> dict[str, Any]:
    """Run (or continue) the ABC-SMC calibration; write the posterior and diagnostics."""
    import pyabc

    out = prepare_folder(spec, "calibrate", force)
    paths = fitted_paths(spec)
    by_path = {p.path: p for p in load_priors()}
    priors = [by_path[p] for p in paths]
    targets = spec.target_list()
    names = [t.name for t in targets]
    model = Model(priors, names, spec.seed, spec.replications)
    prior = pyabc.Distribution(**{_name(p.path): _rv(p) for p in priors})
    distance = Distance({t.name: t.tolerance for t in targets if t.name in spec.fitted_targets()})
    abc = pyabc.ABCSMC(
        model,
        prior,
        distance,
        population_size=spec.population,
        sampler=_sampler(spec),
        eps=pyabc.QuantileEpsilon(alpha=0.5),
    )
    db = out / "calibration.db"
    url = f"sqlite:///{db}"
    started = time.time()
    if db.exists() and _generations_done(url) > 0:
        history = abc.load(url, 1)
    else:
        if db.exists():
            db.unlink()
        history = abc.new(url, {t.name: t.value for t in targets})
    done = history.max_t + 1
    last_eps = _last_epsilon(history)
    remaining = spec.generations - done
    if remaining > 0 and not (last_eps is not None and last_eps <= spec.min_epsilon):
        np.random.seed(np.random.SeedSequence([spec.seed, done]).generate_state(1)[0])
        try:
            history = abc.run(minimum_epsilon=spec.min_epsilon, max_nr_populations=remaining)
        finally:
            if hasattr(abc.sampler, "shutdown"):  # the Dask client
                abc.sampler.shutdown()
    wall = time.time() - started
    return write_outputs(spec, out, history, priors, targets, wall)


def _generations_done(url: str) -> int:
    import pyabc

    try:
        return int(pyabc.History(url, _id=1).max_t) + 1
    except Exception:
        return 0


def _last_epsilon(history) -> float | None:
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    return float(pops["epsilon"].iloc[-1]) if len(pops) else None


def _wquantile(x: np.ndarray, w: np.ndarray, q: list[float]) -> list[float]:
    order = np.argsort(x)
    cw = np.cumsum(w[order]) / w.sum()
    return [float(x[order][min(np.searchsorted(cw, qq), len(x) - 1)]) for qq in q]


def _wsd(x: np.ndarray, w: np.ndarray) -> float:
    m = np.average(x, weights=w)
    return float(np.sqrt(np.average((x - m) ** 2, weights=w)))


def resample(
    frame: pd.DataFrame, weights: np.ndarray, n: int, seed: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """``n`` equal-weight draws from a weighted population (systematic resampling, seeded)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7]))
    w = np.asarray(weights, float) / np.sum(weights)
    positions = (rng.random() + np.arange(n)) / n
    idx = np.minimum(np.searchsorted(np.cumsum(w), positions), len(w) - 1)
    return frame.iloc[idx].reset_index(drop=True), idx


def write_outputs(spec, out: Path, history, priors, targets, wall: float) -> dict[str, Any]:
    """Posterior tables, posterior predictive (fresh runs of resampled draws), identification."""
    import pyabc

    every = history.get_all_populations()  # t = -1: pyabc's calibration sample from the prior
    pops = every[every["t"] >= 0]
    frames = []
    for t, eps in zip(pops["t"], pops["epsilon"], strict=True):
        df, w = history.get_distribution(m=0, t=int(t))
        df = df.rename(columns={_name(p.path): p.path for p in priors})[[p.path for p in priors]]
        df.insert(0, "weight", w)
        df.insert(0, "epsilon", float(eps))
        df.insert(0, "generation", int(t))
        frames.append(df.reset_index(drop=True))
    posterior_all = pd.concat(frames, ignore_index=True)
    posterior_all.to_csv(out / "posterior_all.csv", index=False)
    last = int(pops["t"].max())
    final = posterior_all[posterior_all["generation"] == last].reset_index(drop=True)
    final.to_csv(out / "posterior.csv", index=False)
    final.to_parquet(out / "posterior.parquet", index=False)

    # identification: posterior spread over prior spread
    rows = []
    w = final["weight"].to_numpy(float)
    for p in priors:
        x = final[p.path].to_numpy(float)
        lo, med, hi = _wquantile(x, w, [0.025, 0.5, 0.975])
        ratio = _wsd(x, w) / p.spread
        rows.append(
            {
                "parameter": p.path,
                "prior_low": p.low,
                "prior_high": p.high,
                "default": p.default,
                "posterior_median": med,
                "posterior_low95": lo,
                "posterior_high95": hi,
                "sd_ratio": ratio,
                "verdict": "pinned down"
                if ratio < 0.5
                else ("narrowed" if ratio < 0.8 else "stays at prior"),
            }
        )
    ident = pd.DataFrame(rows)
    ident.to_csv(out / "identification.csv", index=False)

    # posterior predictive: fresh runs (new seeds) of draws resampled from the final population
    draws, _ = resample(final, w, spec.predictive_draws, spec.seed)
    worlds = Worlds.shipped()
    stats = []
    for i, row in draws.iterrows():
        params = {p.path: p.value(row[p.path]) for p in priors}
        stats.append(simulate(params, spec.seed + 1_000_003 + int(i), spec.replications, worlds))
    pred = pd.DataFrame(stats)
    prows = []
    for t in targets:
        v = pred[t.name].to_numpy(float)
        prows.append(
            {
                "target": t.name,
                "what": t.what,
                "source": t.source,
                "value": t.value,
                "tolerance": t.tolerance,
                "median": float(np.median(v)),
                "low95": float(np.quantile(v, 0.025)),
                "high95": float(np.quantile(v, 0.975)),
                "share_within_tolerance": float(np.mean(np.abs(v - t.value) <= t.tolerance)),
                "fitted": t.name in spec.fitted_targets(),
            }
        )
    predictive = pd.DataFrame(prows)
    predictive.to_csv(out / "predictive.csv", index=False)
    _predictive_chart(pred, posterior_all, history, targets, out / "predictive.png")
    summary = {
        "name": spec.name,
        "calibration_digest": spec.digest(),
        "pyabc": pyabc.__version__,
        "generations": last + 1,
        "final_epsilon": float(pops["epsilon"].iloc[-1]),
        "epsilons": [float(e) for e in pops["epsilon"]],
        "population": spec.population,
        "simulations": int(every["samples"].sum()),
        "sampling_seconds": float(every["wall_time"].sum()),
        "acceptance_rates": [float(spec.population / s) if s else None for s in pops["samples"]],
        "seed": spec.seed,
        "replications": spec.replications,
        "fitted": [p.path for p in priors],
        "targets": {t.name: {"value": t.value, "tolerance": t.tolerance} for t in targets},
        "wall_seconds_this_call": wall,
        "predictive_draws": spec.predictive_draws,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def _predictive_chart(pred, posterior_all, history, targets, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _w0, s0 = history.get_weighted_sum_stats(t=0)
    prior_pred = pd.DataFrame(s0)
    n = len(targets)
    fig, axes = plt.subplots(1, n, figsize=(3.2 * n, 3), squeeze=False)
    for ax, t in zip(axes[0], targets, strict=True):
        ax.axvspan(t.value - t.tolerance, t.value + t.tolerance, color="#9c9", alpha=0.4)
        ax.axvline(t.value, color="green")
        if t.name in prior_pred:
            ax.hist(
                prior_pred[t.name], bins=20, color="#bbb", alpha=0.7, label="generation 0, accepted"
            )
        ax.hist(pred[t.name], bins=20, color="#4a7ab0", alpha=0.8, label="posterior predictive")
        ax.set_title(t.name, fontsize=9)
        ax.tick_params(labelsize=7)
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def report(spec: CalibrationSpec, top: int = 12) -> str:
    """Markdown tables of a finished screen and calibration (for docs/calibration.md)."""
    out = spec.folder
    lines = []
    screen_file = out / "screen.csv"
    if screen_file.exists():
        ranked = pd.read_csv(screen_file)
        names = spec.fitted_targets()
        lines += [
            f"**Screening** ({len(pd.read_csv(out / 'screen_runs.csv'))} points: "
            f"{spec.screen.trajectories} Morris trajectories over {len(ranked)} priors, "
            f"{spec.screen.levels} levels, quantile space, "
            + (
                "every point on the same seeds (common random numbers)"
                if spec.screen.crn
                else "each point on its own seed"
            )
            + f"). Largest mu* in tolerances, top {top}:",
            "",
            "| rank | factor | largest mu*/tolerance | " + " | ".join(names) + " |",
            "|---|---|---|" + "---|" * len(names),
        ]
        for _, r in ranked.head(top).iterrows():
            cells = " | ".join(f"{r['mu_star_per_tol__' + n]:.2f}" for n in names)
            fitted = " (fitted)" if r["selected"] else ""
            lines.append(
                f"| {r['rank']} | `{r['factor']}`{fitted} | "
                f"{r['max_mu_star_per_tolerance']:.2f} | {cells} |"
            )
        lines.append("")
    if (out / "summary.json").exists():
        s = json.loads((out / "summary.json").read_text())
        eps = ", ".join(f"{e:.2f}" for e in s["epsilons"])
        lines += [
            f"**Calibration**: pyabc {s['pyabc']}, population {s['population']}, "
            f"{s['generations']} generations (epsilons {eps}), {s['simulations']} particles "
            f"simulated ({s['replications']} replication(s) of 5 worlds each), "
            f"{s['sampling_seconds'] / 60:.1f} min of sampling on {spec.workers} worker(s), seed {s['seed']}.",
            "",
            "Posterior predictive (fresh runs of "
            f"{s['predictive_draws']} draws resampled from the final generation, new seeds):",
            "",
            "| target | fitted | NAO value ± tolerance | median | 95% range | share within |",
            "|---|---|---|---|---|---|",
        ]
        for _, r in pd.read_csv(out / "predictive.csv").iterrows():
            lines.append(
                f"| `{r['target']}` | {'yes' if r['fitted'] else 'no, reported'} | "
                f"{r['value']:.3g} ± {r['tolerance']:.3g} | {r['median']:.3g} | "
                f"[{r['low95']:.3g}, {r['high95']:.3g}] | {r['share_within_tolerance']:.0%} |"
            )
        lines += [
            "",
            "Identification (posterior sd / prior sd; < 0.5 pinned down, < 0.8 narrowed):",
            "",
            "| parameter | prior | default | posterior median [95%] | sd ratio | verdict |",
            "|---|---|---|---|---|---|",
        ]
        for _, r in pd.read_csv(out / "identification.csv").iterrows():
            lines.append(
                f"| `{r['parameter']}` | {r['prior_low']:.3g}–{r['prior_high']:.3g} | "
                f"{r['default']:.3g} | {r['posterior_median']:.3g} "
                f"[{r['posterior_low95']:.3g}, {r['posterior_high95']:.3g}] | "
                f"{r['sd_ratio']:.2f} | {r['verdict']} |"
            )
        lines.append("")
    return "\n".join(lines)
