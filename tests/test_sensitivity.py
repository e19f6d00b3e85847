"""Sensitivity wiring: Sobol on the Ishigami function (analytic indices), Morris on a linear
function (exact elementary effects), input validation, and a Morris sweep of the model."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from jusim.cli import app
from jusim.experiment.design import make_design
from jusim.experiment.executors import make_executor
from jusim.experiment.runner import plan_sweep, run_sweep
from jusim.experiment.schema import DesignSpec, FactorSpec
from jusim.experiment.sensitivity import (
    SensitivityError,
    analyze_store,
    bar_chart,
    morris_indices,
    sobol_indices,
)

A, B = 7.0, 0.1


def ishigami(x1, x2, x3):
    return np.sin(x1) + A * np.sin(x2) ** 2 + B * x3**4 * np.sin(x1)


def ishigami_analytic() -> dict[str, dict[str, float]]:
    """Closed-form Sobol indices of the Ishigami function (Ishigami & Homma 1990)."""
    pi = math.pi
    v1 = 0.5 * (1 + B * pi**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = B**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return {
        "S1": {"x1": v1 / v, "x2": v2 / v, "x3": 0.0},
        "ST": {"x1": (v1 + v13) / v, "x2": v2 / v, "x3": v13 / v},
    }


def factors(names, lo, hi):
    return {n: FactorSpec(kind="uncertainty", path="context.x", range=[lo, hi]) for n in names}


def test_sobol_ishigami_matches_analytic_indices() -> None:
    design = make_design(
        factors(["x1", "x2", "x3"], -math.pi, math.pi), DesignSpec(kind="sobol", samples=2048), 0
    )
    v = design.values
    y = ishigami(v.x1.to_numpy(), v.x2.to_numpy(), v.x3.to_numpy())
    table = sobol_indices(design.problem, y, seed=1)
    truth = ishigami_analytic()
    for row in table.itertuples():
        expected = truth[row.index][row.factor]
        assert abs(row.value - expected) < 0.05, (row.factor, row.index, row.value, expected)
        assert row.conf > 0
        assert row.low <= row.value <= row.high
    assert set(table["index"]) == {"S1", "ST"}


def test_morris_linear_function_has_exact_effects() -> None:
    design = make_design(factors("abc", 0.0, 1.0), DesignSpec(kind="morris", samples=10), 4)
    v = design.values
    y = (3 * v.a + v.b).to_numpy()
    table = morris_indices(design.problem, design.raw, y).set_index(["factor", "index"])
    assert table.loc[("a", "mu_star"), "value"] == pytest.approx(3.0)
    assert table.loc[("b", "mu_star"), "value"] == pytest.approx(1.0)
    assert table.loc[("c", "mu_star"), "value"] == pytest.approx(0.0, abs=1e-12)


def test_validation_messages() -> None:
    design = make_design(factors("ab", 0.0, 1.0), DesignSpec(kind="sobol", samples=8), 0)
    y = design.values.a.to_numpy() + 0.0
    with pytest.raises(SensitivityError, match="not a multiple"):
        sobol_indices(design.problem, y[:-1])
    bad = y.copy()
    bad[3] = np.nan
    with pytest.raises(SensitivityError, match="no finite value"):
        sobol_indices(design.problem, bad)
    with pytest.raises(SensitivityError, match="does not vary"):
        sobol_indices(design.problem, np.ones_like(y))
    with pytest.raises(SensitivityError, match="bounds"):
        sobol_indices({**design.problem, "bounds": [[0, 1], [1, 1]]}, y)
    with pytest.raises(SensitivityError, match="shape"):
        morris_indices(design.problem, np.zeros((3, 2)), y)


MORRIS = """
name = "morris_check"
base = "pooled_budget"
seed = 5
replications = 1
horizon = 6
metrics = ["attainment.rough_sleeping", "mean_trust"]

[design]
kind = "morris"
samples = 2

[factors.pooled_share]
kind = "lever"
path = "interventions.pooled_budget.share"
range = [0.0, 0.4]

[factors.trust_gain]
kind = "uncertainty"
path = "parameters.trust.gain"
range = [0.02, 0.2]
"""


@pytest.fixture(scope="module")
def morris_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("morris")
    file = folder / "morris_check.toml"
    file.write_text(MORRIS)
    assert run_sweep(plan_sweep(file), folder / "out", make_executor(0)).complete
    return folder


def test_indices_from_stored_morris_sweep(morris_store: Path) -> None:
    table = analyze_store(morris_store / "out")
    assert set(table["metric"]) == {"attainment.rough_sleeping", "mean_trust"}
    assert set(table["factor"]) == {"pooled_share", "trust_gain"}
    assert np.isfinite(table.loc[table["index"] == "mu_star", "value"]).all()
    png = bar_chart(table, morris_store / "chart.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_sensitivity(morris_store: Path) -> None:
    out = morris_store / "out"
    result = CliRunner().invoke(app, ["sensitivity", str(out), "-m", "mean_trust"])
    assert result.exit_code == 0, result.output
    assert "mu_star" in result.output
    assert (out / "sensitivity-morris.png").exists()
    written = pd.read_csv(out / "sensitivity-morris.csv")
    assert set(written["metric"]) == {"mean_trust"}


def test_cli_sensitivity_overwrites_its_files_only_with_force(morris_store: Path) -> None:
    out = morris_store / "out"
    args = ["sensitivity", str(out), "-m", "mean_trust"]
    assert CliRunner().invoke(app, [*args, "--force"]).exit_code == 0
    (out / "sensitivity-morris.csv").write_text("mine")
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2
    assert "sensitivity-morris.csv: exists; add --force" in " ".join(refused.output.split())
    assert (out / "sensitivity-morris.csv").read_text() == "mine"
    assert CliRunner().invoke(app, [*args, "--force"]).exit_code == 0
    assert (out / "sensitivity-morris.csv").read_text() != "mine"


def test_cli_sensitivity_rejects_grid_design(tmp_path: Path) -> None:
    file = tmp_path / "grid.toml"
    file.write_text(MORRIS.replace('kind = "morris"\nsamples = 2', 'kind = "grid"'))
    result = CliRunner().invoke(app, ["sensitivity", str(file), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "sobol" in result.output and "morris" in result.output
    assert "Traceback" not in result.output


def test_indices_from_stored_sobol_sweep(tmp_path: Path) -> None:
    file = tmp_path / "sobol_check.toml"
    file.write_text(MORRIS.replace('kind = "morris"\nsamples = 2', 'kind = "sobol"\nsamples = 4'))
    out = tmp_path / "out"
    assert run_sweep(plan_sweep(file), out, make_executor(0)).complete
    table = analyze_store(out, ["mean_trust"])
    assert len(table) == 2 * 2  # two factors x (S1, ST)
    assert set(table["index"]) == {"S1", "ST"}
    assert table["conf"].notna().all()
    with pytest.raises(SensitivityError, match="not stored"):
        analyze_store(out, ["overhead"])
