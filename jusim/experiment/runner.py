"""Plan and run a sweep: validate, build the design, derive seeds, run missing chunks, store.

Seeds: replication ``k`` of every design point uses the same child ``k`` of
``SeedSequence(master_seed)`` (common random numbers across points). The child is turned into a
63-bit integer, recorded as ``seed`` on every row, so any run is reproduced exactly with
``jusim.run(scenario_of_its_point, seed=row.seed)``.
"""

from __future__ import annotations

import math
import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

import jusim
from jusim.describe import annotate, describe_manifest, to_toml
from jusim.experiment.design import DESIGN_SEED_RULE, Design, design_seed, make_design, n_points
from jusim.experiment.schema import (
    Experiment,
    base_scenario,
    check_factors,
    check_metrics,
    experiment_hash,
    load_experiment,
    total_runs_check,
)
from jusim.experiment.store import Store, StoreError
from jusim.experiment.worker import run_chunk
from jusim.metrics import metric_info
from jusim.scenario import Scenario

SEED_MASK = 2**63 - 1


RUN_SEED_RULE = (
    "child k of numpy.random.SeedSequence(master_seed).spawn(replications), as a 63-bit "
    "integer: generate_state(1, numpy.uint64)[0] & (2**63 - 1)"
)


def _info(metric: str) -> dict[str, str]:
    i = metric_info(metric)
    return {"unit": i.unit, "description": i.description}


def factor_range(spec: Any) -> dict[str, Any]:
    """The exact values a factor takes: [low, high] (integers: the whole numbers in it) or its
    list of values."""
    if spec.range is not None:
        lo, hi = spec.range
        if spec.integer:
            return {"low": math.ceil(lo), "high": math.floor(hi), "whole_numbers": True}
        return {"low": lo, "high": hi, "whole_numbers": False}
    return {"values": list(spec.values or [])}


def describe_folder(out: Path, manifest: dict[str, Any], base: Scenario) -> None:
    """Write ``base_scenario.toml`` (the resolved base) and ``README.md`` beside the runs."""
    files = {
        "base_scenario.toml": to_toml(
            base.to_dict(),
            header=f"The resolved base scenario of sweep {manifest['name']} (every value the "
            "runs start from,\nbefore the design's factors are applied). Written by jusim "
            f"{manifest.get('jusim_version')}.",
        ),
        "README.md": describe_manifest(manifest),
    }
    for name, text in files.items():
        path = Path(out) / name
        if not path.exists():
            tmp = path.with_name(f".tmp-{name}")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)


def run_seeds(master_seed: int, replications: int) -> list[int]:
    """One 63-bit seed per replication, from ``SeedSequence(master_seed).spawn(replications)``."""
    children = np.random.SeedSequence(master_seed).spawn(replications)
    return [int(c.generate_state(1, np.uint64)[0]) & SEED_MASK for c in children]


@dataclass
class SweepPlan:
    """Everything needed to run (or resume) a sweep, validated before any run starts."""

    experiment: Experiment
    base: Scenario
    design: Design
    metrics: list[str]
    hash: str
    seeds: list[int]

    @property
    def replications(self) -> int:
        return self.experiment.replications

    @property
    def total_runs(self) -> int:
        return self.design.n_points * self.replications

    def run_spec(self, run_id: int) -> tuple[int, int, int, int, dict[str, Any]]:
        point, rep = divmod(run_id, self.replications)
        return (run_id, point, rep, self.seeds[rep], self.design.point(point))

    def context(self) -> dict[str, Any]:
        """What a worker needs (small, picklable plain data)."""
        return {
            "hash": self.hash,
            "experiment": self.experiment.model_dump(mode="json", exclude={"source"}),
            "source": self.experiment.source,
            "base": self.base.to_dict(),
            "metrics": self.metrics,
            "trajectories": self.experiment.trajectories,
        }

    def design_table(self) -> pd.DataFrame:
        df = self.design.values.copy()
        for i, f in enumerate(self.design.factors):
            df[f"raw__{f}"] = self.design.raw[:, i]
        return df

    def manifest(self) -> dict[str, Any]:
        exp = self.experiment
        return {
            "hash": self.hash,
            "name": exp.name,
            "description": exp.description,
            "source": exp.source,
            "jusim_version": jusim.__version__,
            "seed": exp.seed,
            "replications": exp.replications,
            "design": exp.design.model_dump(mode="json"),
            "n_points": self.design.n_points,
            "total_runs": self.total_runs,
            "factors": self.design.factors,
            "factor_specs": {k: v.model_dump(mode="json") for k, v in exp.factors.items()},
            "labels": {f: exp.label(f) for f in exp.factors},
            "problem": self.design.problem,
            "metrics": self.metrics,
            "trajectories": exp.trajectories,
            "seeds": self.seeds,
            # self-description (jusim/describe.py): units, exact ranges, how seeds were derived
            "metric_info": {m: _info(m) for m in self.metrics},
            "factor_ranges": {f: factor_range(s) for f, s in exp.factors.items()},
            "problem_note": "problem.bounds are the samplers' raw coordinates: an integer "
            "factor's raw range is [low, high + 1) and its value floor(raw); a discrete factor's "
            "raw range is [0, number of values)",
            "seed_derivation": {
                "runs": f"replication k of every design point uses {RUN_SEED_RULE} "
                "(listed in 'seeds')",
                "design": f"LHS, Sobol and Morris samplers use the seed {DESIGN_SEED_RULE} = "
                f"{design_seed(exp.seed)}",
            },
            "bootstrap": {
                "seed": exp.seed,
                "rule": "jusim sensitivity passes the master seed to SALib's analyze (seed=...), "
                "which draws the bootstrap resamples (num_resamples = 100) of the confidence "
                "intervals from it",
            },
        }


def plan_from_folder(out: str | Path) -> SweepPlan:
    """The plan of the sweep stored in ``out``, from the copies it keeps beside the runs: the
    experiment file (``experiment.toml``) and the resolved base scenario
    (``base_scenario.toml``, which already holds the experiment's fixed interventions,
    overrides and horizon). Used to rebuild a damaged ``manifest.json``."""
    from jusim.scenario import load_scenario

    out = Path(out)
    exp = load_experiment(out / "experiment.toml")
    base = load_scenario(out / "base_scenario.toml")
    design = make_design(exp.factors, exp.design, exp.seed)
    return SweepPlan(
        experiment=exp,
        base=base,
        design=design,
        metrics=check_metrics(exp, base),
        hash=experiment_hash(exp, base),
        seeds=run_seeds(exp.seed, exp.replications),
    )


def _check_kept_copies(store: Store, plan: SweepPlan) -> None:
    """Before a damaged manifest is rebuilt from ``plan``: the folder's own copies of the
    experiment and resolved base scenario must give the same hash. The runs alone cannot show a
    changed base scenario or horizon (same points and seeds, other results)."""
    from jusim.scenario import ScenarioError

    try:
        kept = plan_from_folder(store.out).hash
    except (ScenarioError, OSError):
        return  # no usable copies: the stored design and runs are checked alone
    if kept != plan.hash:
        raise StoreError(
            [
                (
                    str(store.manifest_path),
                    "(file)",
                    store.manifest_state(),
                    "a readable manifest; it cannot be rebuilt from this experiment because it "
                    "or its base scenario differs from the copies the folder keeps "
                    "(experiment.toml, base_scenario.toml). Run the sweep into a new --out folder "
                    "(or add --force to start this one afresh)",
                )
            ]
        )


def plan_sweep(experiment: Experiment | str | Path) -> SweepPlan:
    """Validate an experiment completely (schema, base, factor ranges, metrics, design size)."""
    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    base = base_scenario(exp)
    total_runs_check(exp, n_points(exp.factors, exp.design))
    design = make_design(exp.factors, exp.design, exp.seed)
    check_factors(exp, base, design.point(0))
    metrics = check_metrics(exp, base)
    return SweepPlan(
        experiment=exp,
        base=base,
        design=design,
        metrics=metrics,
        hash=experiment_hash(exp, base),
        seeds=run_seeds(exp.seed, exp.replications),
    )


@dataclass
class SweepReport:
    total: int
    already: int
    done: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    interrupted: bool = False
    executor: str = ""
    write_error: str = ""
    """Why a chunk could not be written (a full disk): the sweep stopped there."""
    notes: list[str] = field(default_factory=list)
    """What the store healed (unreadable chunks set aside, results.duckdb rebuilt)."""

    @property
    def complete(self) -> bool:
        return self.already + self.done == self.total

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else float("nan")


def default_chunk_size(n_runs: int, workers: int) -> int:
    """Big enough to amortise task overhead, small enough to balance load and lose little."""
    return int(max(1, min(64, math.ceil(n_runs / max(1, workers * 6)))))


def chunk_name(run_ids: list[int]) -> str:
    return f"chunk-{run_ids[0]:09d}-{run_ids[-1]:09d}"


def _runs_table(plan: SweepPlan, result: dict[str, Any]) -> pa.Table:
    ids = np.asarray(result["run_id"], dtype=np.int64)
    points, reps = np.divmod(ids, plan.replications)
    values = plan.design.values.iloc[points].reset_index(drop=True)
    df = pd.DataFrame(
        {
            "run_id": ids,
            "point": points.astype(np.int64),
            "replication": reps.astype(np.int64),
            "seed": np.asarray([plan.seeds[r] for r in reps], dtype=np.int64),
            "jusim_version": jusim.__version__,
        }
    )
    for f in plan.design.factors:
        df[f] = values[f]
    for m in plan.metrics:
        if m in df.columns:  # plan_sweep refuses such names; never let a metric overwrite
            raise ValueError(f"metric {m!r} would overwrite the column of the same name")
        df[m] = np.asarray(result["metrics"][m], dtype=float)
    factors = {
        f: {"description": plan.experiment.label(f), "kind": plan.experiment.factors[f].kind}
        for f in plan.design.factors
    }
    return annotate(pa.Table.from_pandas(df, preserve_index=False), factors)


def _traj_table(columns: dict[str, Any]) -> pa.Table | None:
    if not columns:
        return None
    return annotate(pa.Table.from_pandas(pd.DataFrame(columns), preserve_index=False))


def run_sweep(
    plan: SweepPlan,
    out: str | Path,
    executor: Any,
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[SweepReport], None] | None = None,
    force: bool = False,
) -> SweepReport:
    """Run the runs of ``plan`` that ``out`` does not hold yet; write each finished chunk.

    Ctrl-C (KeyboardInterrupt) cancels the remaining chunks; what was stored stays stored and
    running the same sweep again finishes it. A chunk that cannot be written (a full disk) is
    counted as failed and the sweep stops there (``report.write_error``); running it again
    later finishes it. ``force`` starts afresh a folder holding another experiment's sweep.
    """
    store = Store(out)
    if store.damaged_manifest() and not force:
        _check_kept_copies(store, plan)
    source = Path(plan.experiment.source)
    resuming = store.prepare(
        plan.manifest(), source if source.exists() else None, plan.design_table(), force=force
    )
    describe_folder(store.out, store.manifest(), plan.base)
    if resuming:
        old = store.manifest().get("jusim_version")
        if old != jusim.__version__:
            warnings.warn(
                f"{out} was started with jusim {old}; this is {jusim.__version__}. "
                "Rows carry their version.",
                stacklevel=2,
            )
    done = store.done_ids()
    missing = [i for i in range(plan.total_runs) if i not in done]
    report = SweepReport(
        total=plan.total_runs,
        already=plan.total_runs - len(missing),
        executor=executor.description,
        notes=store.notes,
    )
    if on_start is not None:
        on_start(report)
    size = chunk_size or default_chunk_size(len(missing), getattr(executor, "workers", 1))
    chunks = [missing[i : i + size] for i in range(0, len(missing), size)]
    ctx = plan.context()
    start = time.perf_counter()
    futures: dict[Any, list[int]] = {}
    try:
        for ids in chunks:
            futures[executor.submit(run_chunk, ctx, [plan.run_spec(i) for i in ids])] = ids
        for fut in executor.as_completed(futures):
            ids = futures[fut]
            try:
                result = fut.result()
            except Exception as e:  # a failed chunk: report, keep going, resumable later
                report.failed += len(ids)
                msg = f"{type(e).__name__}: {e}"
                if msg not in report.errors:
                    report.errors.append(msg)
                if type(e).__name__ == "BrokenProcessPool":
                    report.failed = report.total - report.already - report.done
                    break
                continue
            try:
                store.write_chunk(
                    chunk_name(ids),
                    _runs_table(plan, result),
                    _traj_table(result["outcomes"]),
                    _traj_table(result["system"]),
                )
            except OSError as e:  # a full disk, a folder gone: stop cleanly, resumable later
                report.write_error = (
                    f"could not write {chunk_name(ids)} in {out}: {e.strerror or e}"
                )
                report.failed = report.total - report.already - report.done
                executor.shutdown(cancel=True)
                break
            report.done += len(ids)
            if progress is not None:
                progress(len(ids))
    except KeyboardInterrupt:
        report.interrupted = True
        executor.shutdown(cancel=True)
    finally:
        report.elapsed = time.perf_counter() - start
        store.refresh_views()
    return report
