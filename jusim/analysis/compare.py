"""Paired scenario comparisons: every arm runs on the same parameter draws and seeds as the
baseline.

Without an ensemble, seeds come from ``numpy.random.SeedSequence(seed).spawn(replications)``;
replication ``k`` of every arm uses child ``k`` (common random numbers), so differences are paired
run for run. With a parameter ensemble (``jusim.ensemble``), ``draws`` draws are taken and each
runs ``replications`` seeds: run ``k = d * replications + s`` uses draw ``d`` and child ``k`` of
``SeedSequence(seed).spawn(draws * replications)``, the same for every arm, so differences are
paired by (draw, seed). Without an ensemble this is the case of one draw, and the numbers are
those of a comparison before ensembles existed.

Every row carries two kinds of interval (``RECORD_FIELDS``):

- ``ci_low``/``ci_high``, ``diff_ci_low``/``diff_ci_high`` (and the cost ones): the t interval of
  the *mean* over all runs, which narrows as runs are added (how precisely the simulation has
  pinned its own average; the only interval before ensembles existed);
- ``range_low``/``range_high``, ``low``/``high`` (and ``cost_...``): the central 95% range over
  all (draw, seed) runs or pairs, which does not narrow with more runs: with an ensemble it spans
  what the parameter uncertainty and chance together allow. ``seed_low``/``seed_high`` is the
  chance-only part: ``effect`` plus and minus 1.96 pooled within-draw standard deviations of the
  paired differences (:func:`jusim.analysis.stats.seed_halfwidth`).

Child ``k`` is ``SeedSequence(seed, spawn_key=(k,))``: :meth:`Comparison.write` records the master
seed, this rule, the draw of each run and each arm's resolved scenario (before the draw is
applied), so every run can be reproduced from the output folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from jusim.analysis.compare_parts import run_parts
from jusim.analysis.stats import mean_ci, paired_diff_ci, paired_effect, spread
from jusim.ensemble import Ensemble, design
from jusim.lazy import lazy
from jusim.metrics import RunResult
from jusim.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy("pandas")  # 0.7 s to import (issue 20): while the runs run (``_prepare_analysis``)

RECORD_FIELDS = [
    "scenario",
    "outcome",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "diff",
    "diff_ci_low",
    "diff_ci_high",
    "cost_per_outcome",
    "cost_ci_low",
    "cost_ci_high",
    "cost_diff",
    "cost_diff_ci_low",
    "cost_diff_ci_high",
    "draws",
    "seeds",
    "range_low",
    "range_high",
    "effect",
    "low",
    "high",
    "seed_low",
    "seed_high",
    "cost_range_low",
    "cost_range_high",
    "cost_effect",
    "cost_low",
    "cost_high",
    "cost_seed_low",
    "cost_seed_high",
]
DRAW_FIELD = {
    "draw": {
        "unit": "",
        "description": "the parameter draw (row 'draw' of the ensemble file) this run used",
    }
}
_ATT = "attainment at the horizon (1 = target met)"
_COST = "cost per case resolved (£k)"
_MEAN_CI = "t interval of the mean over all runs (narrows as runs are added)"
_RANGE = "central 95% range over all (draw, seed) runs: parameter and chance variation"
_PAIRS = "central 95% range over the paired (draw, seed) differences from the baseline"
_SEED = "chance-only range: effect -/+ 1.96 pooled within-draw SDs of the paired differences"
COMPARISON_FIELDS = {
    name: {"unit": unit, "description": text}
    for name, unit, text in [
        ("n", "runs", "runs per scenario (draws x seeds)"),
        ("mean", "", f"mean {_ATT}"),
        ("ci_low", "", f"lower end of the {_MEAN_CI}"),
        ("ci_high", "", f"upper end of the {_MEAN_CI}"),
        ("diff", "", "mean paired difference in attainment from the baseline"),
        ("diff_ci_low", "", f"lower end of the {_MEAN_CI}, of diff"),
        ("diff_ci_high", "", f"upper end of the {_MEAN_CI}, of diff"),
        ("cost_per_outcome", "£k", f"mean {_COST}"),
        ("cost_ci_low", "£k", f"lower end of the {_MEAN_CI}, of cost per case"),
        ("cost_ci_high", "£k", f"upper end of the {_MEAN_CI}, of cost per case"),
        ("cost_diff", "£k", "mean paired difference in cost per case from the baseline"),
        ("cost_diff_ci_low", "£k", f"lower end of the {_MEAN_CI}, of cost_diff"),
        ("cost_diff_ci_high", "£k", f"upper end of the {_MEAN_CI}, of cost_diff"),
        ("draws", "draws", "parameter draws from the ensemble (1 = none: one parameter set)"),
        ("seeds", "seeds", "seeds per draw"),
        ("range_low", "", f"lower end of the {_RANGE}, of {_ATT}"),
        ("range_high", "", f"upper end of the {_RANGE}, of {_ATT}"),
        ("effect", "", "mean over the paired (draw, seed) differences in attainment"),
        ("low", "", f"lower end of the {_PAIRS}, of attainment"),
        ("high", "", f"upper end of the {_PAIRS}, of attainment"),
        ("seed_low", "", f"lower end of the {_SEED}, of attainment"),
        ("seed_high", "", f"upper end of the {_SEED}, of attainment"),
        ("cost_range_low", "£k", f"lower end of the {_RANGE}, of {_COST}"),
        ("cost_range_high", "£k", f"upper end of the {_RANGE}, of {_COST}"),
        ("cost_effect", "£k", "mean over the paired (draw, seed) differences in cost per case"),
        ("cost_low", "£k", f"lower end of the {_PAIRS}, of cost per case"),
        ("cost_high", "£k", f"upper end of the {_PAIRS}, of cost per case"),
        ("cost_seed_low", "£k", f"lower end of the {_SEED}, of cost per case"),
        ("cost_seed_high", "£k", f"upper end of the {_SEED}, of cost per case"),
    ]
}


SEED_RULE = (
    "replication k of every scenario runs on child k of "
    "numpy.random.SeedSequence(master_seed).spawn(replications), which is "
    "numpy.random.SeedSequence(master_seed, spawn_key=(k,)); reproduce one run with "
    "jusim.run('scenarios/NAME.toml', seed=numpy.random.SeedSequence(master_seed, spawn_key=(k,)))"
    "; with an ensemble, replications = draws x seeds_per_draw and run k also applies the "
    "ensemble's draw given in run_seeds (jusim.ensemble.load_ensemble(FILE).apply)"
)


def replication_seeds(seed: int, replications: int) -> list[np.random.SeedSequence]:
    """The replication seeds shared by every arm."""
    return np.random.SeedSequence(int(seed)).spawn(int(replications))


@dataclass
class Comparison:
    """Per (scenario, outcome) attainment at the horizon, paired differences and cost."""

    baseline: str
    table: pd.DataFrame
    runs: dict[str, list[RunResult]] = field(default_factory=dict)
    seed: int = 0
    draws: int = 1
    seeds: int = 0  # seeds per draw
    ensemble: Ensemble | None = None
    note: str = ""  # e.g. that no shipped ensemble exists
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    """The resolved scenario of each arm, by name (written beside the tables)."""

    @property
    def draw_ids(self) -> list[int]:
        """The ensemble draw of each run (run ``k`` uses draw ``k // seeds``)."""
        if self.ensemble is None:
            return []
        return [int(self.ensemble.ids[k // self.seeds]) for k in range(self.draws * self.seeds)]

    def records(self) -> list[dict]:
        """One JSON-ready record per (scenario, outcome); missing values are None."""
        return json.loads(self.table.to_json(orient="records"))

    def trajectories(self) -> pd.DataFrame:
        """Tidy outcome trajectories of every run, with a replication column (and, with an
        ensemble, the draw each run used)."""
        return self._tables("outcome_table")

    def _tables(self, method: str) -> pd.DataFrame:
        """One tidy table over every run: the master seed (``master_seed``) and the
        replication ``k`` in place of the run's own seed (child ``k``, see SEED_RULE)."""
        draw_ids = self.draw_ids
        frames = []
        for runs in self.runs.values():
            for k, r in enumerate(runs):
                df = getattr(r, method)()
                at = list(df.columns).index("seed") if "seed" in df.columns else 1
                df = df.drop(columns="seed", errors="ignore")
                df.insert(at, "master_seed", int(self.seed))
                df.insert(at + 1, "replication", k)
                if draw_ids:
                    df.insert(at + 2, "draw", draw_ids[k])
                frames.append(df)
        return pd.concat(frames, ignore_index=True)

    def manifest(self) -> dict[str, Any]:
        """What the comparison was: arms, baseline, replications, seeds (``manifest.json``)."""
        import jusim

        n = len(next(iter(self.runs.values()), []))
        draw_ids = self.draw_ids
        return {
            "command": "jusim compare",
            "jusim_version": jusim.__version__,
            "baseline": self.baseline,
            "scenarios": list(self.runs),
            "scenario_files": {a: f"scenarios/{a}.toml" for a in self.scenarios},
            "sources": {a: str(s.source) for a, s in self.scenarios.items()},
            "replications": n,
            "draws": int(self.draws),
            "seeds_per_draw": int(self.seeds) if self.ensemble is not None else n,
            "ensemble": None if self.ensemble is None else str(self.ensemble.source),
            "master_seed": int(self.seed),
            "seed_rule": SEED_RULE,
            "run_seeds": [
                {"replication": k, "entropy": int(self.seed), "spawn_key": [k]}
                | ({"draw": draw_ids[k]} if draw_ids else {})
                for k in range(n)
            ],
        }

    def write(self, out: Path) -> list[Path]:
        """Tidy tables (Parquet), the comparison (CSV), a trajectory figure (PNG), each arm's
        resolved scenario (``scenarios/NAME.toml``) and ``manifest.json`` (seeds)."""
        from jusim.analysis.plots import trajectory_figure
        from jusim.describe import to_toml, write_parquet  # fields carry unit and description

        out.mkdir(parents=True, exist_ok=True)
        paths = [
            out / "comparison.csv",
            out / "comparison.parquet",
            out / "outcomes.parquet",
            out / "agencies.parquet",
            out / "system.parquet",
            out / "trajectories.png",
            out / "manifest.json",
        ]
        self.table.to_csv(paths[0], index=False)
        write_parquet(self.table, paths[1], COMPARISON_FIELDS)
        write_parquet(self.trajectories(), paths[2], DRAW_FIELD)
        write_parquet(self._tables("agency_table"), paths[3], DRAW_FIELD)
        write_parquet(self._tables("system_table"), paths[4], DRAW_FIELD)
        fig = trajectory_figure(self.runs, baseline=self.baseline, ranges=self.ensemble is not None)
        fig.savefig(paths[5], dpi=120, bbox_inches="tight")
        import matplotlib.pyplot as plt

        plt.close(fig)
        manifest = self.manifest()
        paths[6].write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if self.scenarios:
            (out / "scenarios").mkdir(exist_ok=True)
        for name, scenario in self.scenarios.items():
            path = out / "scenarios" / f"{name}.toml"
            header = (
                f"The resolved scenario {name} of a comparison (every value its runs used).\n"
                f"Written by jusim {manifest['jusim_version']}."
            )
            path.write_text(to_toml(scenario.to_dict(), header=header), encoding="utf-8")
            paths.append(path)
        return paths


def summarise(runs: dict[str, list[RunResult]], baseline: str, draws: int = 1) -> pd.DataFrame:
    """One row per (scenario, outcome); runs are in (draw, seed) order, ``draws`` draws."""

    # horizon values per arm, (draws, seeds, outcomes), computed once per run
    def horizon(values: list[np.ndarray]) -> np.ndarray:
        x = np.array(values)
        return x.reshape(draws, -1, x.shape[-1])

    att = {n: horizon([r.attainment[-1] for r in arm]) for n, arm in runs.items()}
    cost = {n: horizon([r.cost_per_outcome()[-1] for r in arm]) for n, arm in runs.items()}
    rows = []
    for name, arm in runs.items():
        for k, outcome in enumerate(arm[0].outcomes):
            a, c = att[name][..., k], cost[name][..., k]
            row = dict.fromkeys(RECORD_FIELDS)
            row.update(scenario=name, outcome=outcome, n=len(arm), draws=draws)
            row["seeds"] = a.shape[1]
            row["mean"], row["ci_low"], row["ci_high"] = mean_ci(a.ravel())
            _, row["range_low"], row["range_high"] = spread(a)
            row["cost_per_outcome"], row["cost_ci_low"], row["cost_ci_high"] = mean_ci(c.ravel())
            _, row["cost_range_low"], row["cost_range_high"] = spread(c)
            if name != baseline:
                a0, c0 = att[baseline][..., k], cost[baseline][..., k]
                row["diff"], row["diff_ci_low"], row["diff_ci_high"] = paired_diff_ci(
                    a.ravel(), a0.ravel()
                )
                row["cost_diff"], row["cost_diff_ci_low"], row["cost_diff_ci_high"] = (
                    paired_diff_ci(c.ravel(), c0.ravel())
                )
                row.update(paired_effect(a, a0))
                row.update({f"cost_{k2}": v for k2, v in paired_effect(c, c0).items()})
            rows.append(row)
    return pd.DataFrame(rows, columns=RECORD_FIELDS)


def _prepare_analysis() -> None:
    """Import what :func:`summarise` needs (pandas, scipy.special: 1.2 s of the parent's CPU in
    the profile of issue 20), while the workers run: otherwise after them, on the critical path."""
    import pandas  # noqa: F401
    import scipy.special  # noqa: F401


def compare(
    scenarios: Sequence[Scenario | str | Path],
    baseline: Scenario | str | Path | None = None,
    replications: int | None = None,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
    ensemble: str | Path | Ensemble | None = "default",
    draws: int | None = None,
    workers: int | None = None,
) -> Comparison:
    """Run every scenario (and the baseline, default ``silo``) on the same draws and seeds.

    ``ensemble``: ``"default"`` (the shipped parameter ensemble, or none with a note when the
    package ships none), ``"none"`` (one parameter set, seeds only), a path or an
    :class:`~jusim.ensemble.Ensemble`. ``draws``: how many of its draws (default 10);
    ``replications``: seeds per draw (default 3 with an ensemble, 30 without). ``workers``:
    processes (default: one per core, as long as each gets ``RUNS_PER_WORKER`` runs, see
    :mod:`jusim.analysis.compare_parts`; 1: all in this process); the tables are the same, bit
    for bit, for any number.
    """
    from jusim import as_scenario

    ens, seeds_per_draw, note = design(ensemble, draws, replications)
    base = as_scenario(baseline if baseline is not None else "silo")
    arms = [base]
    for arm in map(as_scenario, scenarios):
        if arm.name == base.name and arm.to_dict() == base.to_dict():
            continue  # the baseline itself, listed again
        if arm.name in [a.name for a in arms]:
            raise ValueError(
                f"two different scenarios are both named {arm.name!r} ({arm.source}); "
                "give each a distinct `name` to compare them"
            )
        arms.append(arm)
    n_draws = 1 if ens is None else len(ens)
    seeds = replication_seeds(seed, n_draws * seeds_per_draw)
    every: list[Scenario] = []
    for arm in arms:
        draws_of_arm = [arm if ens is None else ens.apply(arm, d) for d in range(n_draws)]
        every += [draws_of_arm[k // seeds_per_draw] for k in range(len(seeds))]
    done = run_parts(every, seeds * len(arms), len(seeds), workers, progress, _prepare_analysis)
    n = len(seeds)
    runs = {arm.name: done[i * n : (i + 1) * n] for i, arm in enumerate(arms)}
    return Comparison(
        baseline=base.name,
        table=summarise(runs, base.name, n_draws),
        runs=runs,
        seed=seed,
        draws=n_draws,
        seeds=seeds_per_draw,
        ensemble=ens,
        note=note,
        scenarios={a.name: a for a in arms},
    )
