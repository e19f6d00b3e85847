"""Paired scenario comparisons: every arm runs on the same replication seeds as the baseline.

Seeds come from ``numpy.random.SeedSequence(seed).spawn(replications)``; replication ``k`` of every
arm uses child ``k`` (common random numbers), so differences are paired run for run. Child ``k``
is ``SeedSequence(seed, spawn_key=(k,))``: :meth:`Comparison.write` records the master seed, this
rule and each arm's resolved scenario, so every run can be reproduced from the output folder.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jusim.analysis.stats import mean_ci, paired_diff_ci
from jusim.metrics import RunResult
from jusim.scenario import Scenario

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
]


SEED_RULE = (
    "replication k of every scenario runs on child k of "
    "numpy.random.SeedSequence(master_seed).spawn(replications), which is "
    "numpy.random.SeedSequence(master_seed, spawn_key=(k,)); reproduce one run with "
    "jusim.run('scenarios/NAME.toml', seed=numpy.random.SeedSequence(master_seed, spawn_key=(k,)))"
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
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    """The resolved scenario of each arm, by name (written beside the tables)."""

    def records(self) -> list[dict]:
        """One JSON-ready record per (scenario, outcome); missing values are None."""
        return json.loads(self.table.to_json(orient="records"))

    def trajectories(self) -> pd.DataFrame:
        """Tidy outcome trajectories of every run, with a replication column."""
        return self._tables("outcome_table")

    def _tables(self, method: str) -> pd.DataFrame:
        """One tidy table over every run: the master seed (``master_seed``) and the
        replication ``k`` in place of the run's own seed (child ``k``, see SEED_RULE)."""
        frames = []
        for runs in self.runs.values():
            for k, r in enumerate(runs):
                df = getattr(r, method)()
                at = list(df.columns).index("seed") if "seed" in df.columns else 1
                df = df.drop(columns="seed", errors="ignore")
                df.insert(at, "master_seed", int(self.seed))
                df.insert(at + 1, "replication", k)
                frames.append(df)
        return pd.concat(frames, ignore_index=True)

    def manifest(self) -> dict[str, Any]:
        """What the comparison was: arms, baseline, replications, seeds (``manifest.json``)."""
        import jusim

        n = len(next(iter(self.runs.values()), []))
        return {
            "command": "jusim compare",
            "jusim_version": jusim.__version__,
            "baseline": self.baseline,
            "scenarios": list(self.runs),
            "scenario_files": {a: f"scenarios/{a}.toml" for a in self.scenarios},
            "sources": {a: str(s.source) for a, s in self.scenarios.items()},
            "replications": n,
            "master_seed": int(self.seed),
            "seed_rule": SEED_RULE,
            "run_seeds": [
                {"replication": k, "entropy": int(self.seed), "spawn_key": [k]} for k in range(n)
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
            out / "outcomes.parquet",
            out / "agencies.parquet",
            out / "system.parquet",
            out / "trajectories.png",
            out / "manifest.json",
        ]
        self.table.to_csv(paths[0], index=False)
        write_parquet(self.trajectories(), paths[1])
        write_parquet(self._tables("agency_table"), paths[2])
        write_parquet(self._tables("system_table"), paths[3])
        fig = trajectory_figure(self.runs, baseline=self.baseline)
        fig.savefig(paths[4], dpi=120, bbox_inches="tight")
        import matplotlib.pyplot as plt

        plt.close(fig)
        paths[5].write_text(json.dumps(self.manifest(), indent=2) + "\n", encoding="utf-8")
        if self.scenarios:
            (out / "scenarios").mkdir(exist_ok=True)
        for name, scenario in self.scenarios.items():
            path = out / "scenarios" / f"{name}.toml"
            header = (
                f"The resolved scenario {name} of a comparison (every value its runs used).\n"
                f"Written by jusim {self.manifest()['jusim_version']}."
            )
            path.write_text(to_toml(scenario.to_dict(), header=header), encoding="utf-8")
            paths.append(path)
        return paths


def summarise(runs: dict[str, list[RunResult]], baseline: str) -> pd.DataFrame:
    # horizon values per arm, (replications, outcomes), computed once per run
    att = {n: np.array([r.attainment[-1] for r in arm]) for n, arm in runs.items()}
    cost = {n: np.array([r.cost_per_outcome()[-1] for r in arm]) for n, arm in runs.items()}
    rows = []
    for name, arm in runs.items():
        for k, outcome in enumerate(arm[0].outcomes):
            row = dict.fromkeys(RECORD_FIELDS)
            row.update(scenario=name, outcome=outcome, n=len(arm))
            row["mean"], row["ci_low"], row["ci_high"] = mean_ci(att[name][:, k])
            row["cost_per_outcome"], row["cost_ci_low"], row["cost_ci_high"] = mean_ci(
                cost[name][:, k]
            )
            if name != baseline:
                row["diff"], row["diff_ci_low"], row["diff_ci_high"] = paired_diff_ci(
                    att[name][:, k], att[baseline][:, k]
                )
                row["cost_diff"], row["cost_diff_ci_low"], row["cost_diff_ci_high"] = (
                    paired_diff_ci(cost[name][:, k], cost[baseline][:, k])
                )
            rows.append(row)
    return pd.DataFrame(rows, columns=RECORD_FIELDS)


def compare(
    scenarios: Sequence[Scenario | str | Path],
    baseline: Scenario | str | Path | None = None,
    replications: int = 30,
    seed: int = 0,
    progress: Callable[[int], None] | None = None,
) -> Comparison:
    """Run every scenario (and the baseline, default ``silo``) on the same replication seeds."""
    from jusim import as_scenario, run

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
    seeds = replication_seeds(seed, replications)
    runs: dict[str, list[RunResult]] = {}
    for arm in arms:
        runs[arm.name] = []
        for ss in seeds:
            runs[arm.name].append(run(arm, seed=ss))
            if progress:
                progress(1)
    return Comparison(
        baseline=base.name,
        table=summarise(runs, base.name),
        runs=runs,
        seed=seed,
        scenarios={a.name: a for a in arms},
    )
