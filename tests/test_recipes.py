"""``jusim.evaluate`` and the EMA Workbench and SALib recipes of docs/sweeps.md, run as written."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import numpy as np
import pytest

import jusim
from jusim.metrics import identifier

DOC = Path(__file__).resolve().parent.parent / "docs" / "sweeps.md"


def recipe(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    m = re.search(rf"<!-- recipe: {name} -->\n```python\n(.*?)```", text, re.S)
    assert m, f"recipe {name} not found in {DOC}"
    return m.group(1)


def test_evaluate_matches_run_and_names_are_identifiers():
    out = jusim.evaluate("silo", seed=3, horizon=12, context__churn_scale=2.0)
    direct = jusim.run(
        jusim.load_scenario("silo").with_overrides({"horizon": 12, "context.churn_scale": 2.0}),
        seed=3,
    ).summary()
    assert out == {identifier(k): v for k, v in direct.items()}
    assert all(k.isidentifier() for k in out)
    # dotted names are the same parameters
    assert jusim.evaluate("silo", seed=3, **{"horizon": 12, "context.churn_scale": 2.0}) == out


def test_evaluate_adds_and_removes_interventions():
    fields = {
        "interventions__secondees__host": "local_authority",
        "interventions__secondees__outcome": "rough_sleeping",
        "horizon": 12,
    }
    added = jusim.evaluate("silo", seed=1, interventions__secondees__count=12, **fields)
    shipped = jusim.evaluate("secondees", seed=1, horizon=12)  # the same twelve secondees
    assert added == shipped
    silo = jusim.evaluate("silo", seed=1, horizon=12)
    assert added["attainment__rough_sleeping"] != silo["attainment__rough_sleeping"]
    assert jusim.evaluate("secondees", seed=1, horizon=12, interventions__secondees=False) == silo
    off = jusim.evaluate("silo", seed=1, interventions__secondees=False, **fields)
    assert off == silo  # switched off: its fields are ignored


def test_evaluate_errors_name_the_parameter():
    with pytest.raises(jusim.ScenarioError) as e:
        jusim.evaluate("silo", horizon=12, interventions__secondees__count=3)
    assert "interventions.secondees.host" in str(e.value) and "jusim.evaluate" in str(e.value)
    with pytest.raises(jusim.ScenarioError, match=r"context\.churn_scle"):
        jusim.evaluate("silo", horizon=12, context__churn_scle=2)
    with pytest.raises(jusim.ScenarioError, match=r"context\.churn_scale"):
        jusim.evaluate("silo", horizon=12, context__churn_scale=-1)


def test_evaluate_replications_average_paired_seeds():
    three = jusim.evaluate("silo", seed=5, replications=3, horizon=12)
    seeds = np.random.SeedSequence(5).spawn(3)
    runs = [jusim.evaluate("silo", seed=s, horizon=12) for s in seeds]
    assert three["mean_trust"] == pytest.approx(np.mean([r["mean_trust"] for r in runs]))


def test_ema_workbench_recipe_runs(tmp_path, monkeypatch, capsys):
    pytest.importorskip("ema_workbench")
    np.random.seed(2026)  # EMA Workbench samples with numpy's global generator
    path = tmp_path / "ema_recipe.py"
    path.write_text(recipe("ema_workbench"))
    monkeypatch.chdir(tmp_path)
    ns = runpy.run_path(str(path), run_name="__main__")
    out = ns["outcomes"]
    assert len(out["attainment__rough_sleeping"]) == 24
    assert np.isfinite(out["attainment__rough_sleeping"]).all()
    # the lever matters: more secondees, better rough-sleeping attainment
    x = ns["experiments"]["interventions__secondees__count"].to_numpy(float)
    assert np.corrcoef(x, out["attainment__rough_sleeping"])[0, 1] > 0.5
    assert "interventions__secondees__count" in capsys.readouterr().out  # PRIM box printed


def test_salib_recipe_runs(tmp_path, capsys):
    path = tmp_path / "salib_recipe.py"
    path.write_text(recipe("salib"))
    ns = runpy.run_path(str(path), run_name="__main__")
    assert ns["Y"].shape == (32 * 4,)
    assert np.isfinite(ns["indices"]["ST"]).all()
    assert "context__churn_scale" in capsys.readouterr().out
