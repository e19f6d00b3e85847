"""Bad experiment files are rejected before any run, naming file, field, value and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import tiny_experiment
from typer.testing import CliRunner

from jusim.cli import app
from jusim.experiment.runner import plan_sweep
from jusim.scenario import ScenarioError

GOOD = tiny_experiment(name="check", seed=1, reps=2, horizon=6)

# (old text, new text, field named in the message, a word of what is allowed)
CASES = {
    "unknown path": ("context.churn_scale", "context.churn_scal", "factors.churn.path", "unknown"),
    "range above schema bound": ("[0.5, 2.0]", "[0.5, 30.0]", "factors.churn.range", "20"),
    "range below schema bound": ("[0, 12]", "[-3, 12]", "factors.secondees.range", "0"),
    "reversed range": ("[0, 12]", "[12, 0]", "factors.secondees.range", "low < high"),
    "missing intervention": (
        "interventions.secondees.count",
        "interventions.pooled_budget.share",
        "factors.secondees.path",
        "intervention",
    ),
    "bad switch": (
        'outcome = "rough_sleeping" }',
        'outcome = "nowhere" }',
        "factors.shared_targets.intervention",
        "rough_sleeping",
    ),
    "switch not boolean": (
        "values = [false, true]",
        "values = [0, 1]",
        "factors.shared_targets",
        "false, true",
    ),
    "unknown metric": (
        '"mean_trust"]',
        '"mean_trusts"]',
        "metrics",
        "shared_attainment",
    ),
    "sobol not power of 2": (
        'kind = "grid"',
        'kind = "sobol"\nsamples = 10',
        "design",
        "power of 2",
    ),
    "lhs without samples": ('kind = "grid"', 'kind = "lhs"', "design", "samples"),
    "unknown design": ('kind = "grid"', 'kind = "factorial"', "design.kind", "grid"),
    "zero replications": ("replications = 2", "replications = 0", "replications", "1"),
    "misspelt field": ("levels = 2", "levls = 2", "design.levls", "unknown"),
    "unknown base": ('base = "secondees"', 'base = "nope"', "base", "scenario"),
    "bad factor kind": ('kind = "uncertainty"', 'kind = "context"', "factors.churn.kind", "lever"),
    "too many runs": ("replications = 2", "replications = 100000", "design", "at most"),
    "bad fixed override": (
        "horizon = 6",
        'horizon = 6\n[overrides]\n"context.budget_change" = -0.9',
        "overrides.context.budget_change",
        "-0.5",
    ),
    "reserved factor name": ("[factors.churn]", "[factors.seed]", "factors.seed", "not one of"),
    "bad factor name": (
        "[factors.churn]",
        '[factors."Churn rate"]',
        "factors.Churn rate",
        "lower case",
    ),
    # issue 12: sweeps that would have been silently wrong
    "factor named like a metric": (
        "[factors.churn]",
        "[factors.mean_trust]",
        "factors.mean_trust",
        "not a metric",
    ),
    "two factors on one path": (
        'path = "interventions.secondees.count"',
        'path = "context.churn_scale"',
        "factors.secondees.path",
        "one factor per path",
    ),
    "same setting by two paths": (
        "",  # appended: a second factor on the same setting, named another way
        '[factors.count2]\nkind = "lever"\npath = "interventions[0].count"\nrange = [1, 5]\n'
        "integer = true",
        "factors.",
        "another factor",
    ),
    "integer factor without whole numbers": (
        "[0, 12]",
        "[0.2, 0.8]",
        "factors.secondees",
        "whole number",
    ),
    "no metrics": (
        'metrics = ["attainment.rough_sleeping", "shared_attainment", "mean_trust"]',
        "metrics = []",
        "metrics",
        "at least 1",
    ),
    "mixed values": (
        "values = [false, true]",
        'values = [1, "x", true]',
        "factors.shared_targets",
        "one kind",
    ),
    "huge range": ("[0, 12]", "[0, 1180591620717411303424]", "factors.secondees.range", "1e+12"),
    "bool as number": ("replications = 2", "replications = true", "replications", "integer"),
    "text as seed": ("seed = 1", 'seed = "7"', "seed", "integer"),
    "text as switch": (
        "horizon = 6",
        'horizon = 6\ntrajectories = "yes"',
        "trajectories",
        "boolean",
    ),
    "text as float": ("[0.5, 2.0]", '["0.5", 2.0]', "factors.churn.range", "number"),
    "zero horizon override": (
        "",
        '[overrides]\n"horizon" = 0',
        "overrides.horizon",
        "given once",
    ),
    "huge morris": (
        'kind = "grid"',
        'kind = "morris"\nsamples = 1000000',
        "design",
        "at most",
    ),
    "long name": ('name = "check"', f'name = "{"x" * 300}"', "name", "at most 64"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_experiment_rejected_before_any_run(case: str, tmp_path: Path) -> None:
    old, new, field, allowed = CASES[case]
    assert old in GOOD
    text = GOOD.replace(old, new, 1) if old else GOOD + "\n" + new + "\n"
    if case == "too many runs":
        text = text.replace("levels = 2", "levels = 300")
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    with pytest.raises(ScenarioError) as info:
        plan_sweep(bad)
    message = str(info.value)
    assert str(bad) in message
    assert f"field '{field}" in message
    assert allowed in message
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["sweep", str(bad), "--workers", "0", "--out", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert field in result.output
    assert not out.exists()


def test_good_file_passes(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(GOOD)
    plan = plan_sweep(good)
    assert plan.total_runs == 2 * 2 * 2 * 2


def test_not_toml(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("name = [unclosed")
    with pytest.raises(ScenarioError, match="valid TOML"):
        plan_sweep(bad)
    result = CliRunner().invoke(app, ["sweep", str(tmp_path / "missing.toml")])
    assert result.exit_code == 2
    assert "an existing TOML file" in result.output
