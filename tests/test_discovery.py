"""Scenario discovery: PRIM recovers a planted box; plain-words report; CLI on a stored sweep."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from jusim.cli import app
from jusim.experiment.discovery import describe, discover, prim
from jusim.experiment.executors import make_executor
from jusim.experiment.runner import plan_sweep, run_sweep


def planted(n: int = 2000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "pooled_share": rng.uniform(0, 0.4, n),
            "churn_scale": rng.uniform(0.5, 2.5, n),
            "noise": rng.uniform(0, 1, n),
            "secondees": rng.integers(0, 25, n),
            "shared_targets": rng.random(n) < 0.5,
        }
    )
    # success where pooled share >= 0.2 and churn <= 1.5, with 5% label noise
    inside = (df.pooled_share >= 0.2) & (df.churn_scale <= 1.5)
    flip = rng.random(n) < 0.05
    df["outcome"] = np.where(inside ^ flip, 1.2, 0.4)
    return df


def test_prim_recovers_planted_box() -> None:
    df = planted()
    factors = ["pooled_share", "churn_scale", "noise", "secondees", "shared_targets"]
    d = discover(df, factors, "outcome", 1.0, labels={"pooled_share": "pooled share"})
    box = d.box
    assert set(box.limits) == {"pooled_share", "churn_scale"}
    lo, hi = box.limits["pooled_share"]
    assert lo == pytest.approx(0.2, abs=0.03)
    lo, hi = box.limits["churn_scale"]
    assert hi == pytest.approx(1.5, abs=0.15)
    assert box.density > 0.85
    assert box.coverage > 0.7
    assert d.text.startswith("pooled share >= 0.2")
    assert "churn scale <= 1." in d.text
    assert "of runs succeed (coverage" in d.text


def test_trajectory_trades_coverage_for_density() -> None:
    df = planted(seed=1)
    y = df["outcome"].to_numpy() >= 1
    traj = prim(df[["pooled_share", "churn_scale", "noise"]], y)
    assert traj[0].coverage == 1 and traj[0].support == 1
    dens = [b.density for b in traj]
    assert all(b >= a for a, b in itertools.pairwise(dens))
    assert all(b.support >= 0.05 - 1e-9 for b in traj)


def test_below_and_booleans_in_words() -> None:
    rng = np.random.default_rng(3)
    n = 800
    df = pd.DataFrame({"shared_targets": rng.random(n) < 0.5, "secondees": rng.integers(0, 13, n)})
    df["cost"] = np.where(df.shared_targets, 1.0, 3.0) + rng.normal(0, 0.1, n)
    d = discover(df, ["shared_targets", "secondees"], "cost", 2.0, below=True)
    assert "shared targets on" in d.text
    assert d.box.density == 1.0
    d2 = describe(d.box, df[["shared_targets"]].astype(float), kinds={"shared_targets": "bool"})
    assert "shared targets on" in d2


def test_no_success_is_a_clear_error() -> None:
    df = planted()
    with pytest.raises(ValueError, match="nothing to discover"):
        discover(df, ["pooled_share"], "outcome", 5.0)


def test_cli_discover_on_stored_sweep(tmp_path: Path) -> None:
    file = tmp_path / "d.toml"
    file.write_text(
        """
name = "disc"
base = "pooled_budget"
seed = 2
replications = 1
horizon = 12
metrics = ["attainment.rough_sleeping"]
[design]
kind = "lhs"
samples = 12
[factors.pooled_share]
kind = "lever"
path = "interventions.pooled_budget.share"
range = [0.0, 0.4]
[factors.churn]
kind = "uncertainty"
path = "context.churn_scale"
range = [0.5, 2.5]
"""
    )
    out = tmp_path / "out"
    assert run_sweep(plan_sweep(file), out, make_executor(0)).complete
    from jusim.experiment.store import Store

    median = float(Store(out).runs()["attainment.rough_sleeping"].median())
    runner = CliRunner()
    result = runner.invoke(
        app, ["discover", str(out), "-m", "attainment.rough_sleeping", "-t", str(median)]
    )
    assert result.exit_code == 0, result.output
    assert "of runs succeed" in result.output
    assert "PRIM" in result.output
    result = runner.invoke(app, ["discover", str(out), "-m", "nope", "-t", "1"])
    assert result.exit_code == 2
    assert "not stored" in result.output
