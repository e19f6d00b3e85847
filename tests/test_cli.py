"""The ``jusim`` command: errors without tracebacks, JSON records, listings and written files."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from jusim.cli import app
from jusim.interventions import REGISTRY
from jusim.scenario import scenario_dir

ENV = {"COLUMNS": "200", "NO_COLOR": "1"}
RECORD_KEYS = {
    "scenario",
    "outcome",
    "mean",
    "ci_low",
    "ci_high",
    "diff",
    "diff_ci_low",
    "diff_ci_high",
    "cost_per_outcome",
}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


def assert_clean_failure(result, *needles: str) -> None:
    text = result.output
    assert result.exit_code != 0, text
    assert "Traceback" not in text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "error" in result.stderr.lower()
    for n in needles:
        assert n in result.stderr, f"{n!r} not in stderr: {result.stderr}"


@pytest.fixture
def pair(small_file):
    """Two small scenarios (12 months): a silo baseline and the RSU package."""
    silo = small_file("small_silo")
    rsu = small_file(
        "small_rsu",
        '[[interventions]]\ntype = "central_unit"\noutcome = "rough_sleeping"\n'
        'unit = "rsu"\npooled_share = 0.1\nstaff = 6\n',
    )
    return silo, rsu


# ------------------------------------------------------------------------ run
def test_run_bad_file_is_a_clean_error(small_file):
    bad = small_file("bad", "[context]\nchurn_scale = -2\n")
    result = invoke("run", str(bad))
    assert_clean_failure(result, str(bad), "context.churn_scale", "-2")


def test_run_bad_intervention(small_file):
    bad = small_file("bad", '[[interventions]]\ntype = "teleport"\noutcome = "rough_sleeping"\n')
    result = invoke("run", str(bad))
    assert_clean_failure(result, "teleport", "pooled_budget")


def test_run_missing_file(tmp_path):
    missing = tmp_path / "nowhere.toml"
    assert_clean_failure(invoke("run", str(missing)), "nowhere.toml")


def test_run_syntax_error(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text("horizon = = 3\n", encoding="utf-8")
    assert_clean_failure(invoke("run", str(bad)), "broken.toml", "valid TOML")


def test_run_bad_file_subprocess(small_file):
    """The installed command: exit code 2, message on stderr, no traceback anywhere."""
    bad = small_file("bad", "[[agencies]]\nname = 'x'\n")
    proc = subprocess.run(
        [sys.executable, "-m", "jusim.cli", "run", str(bad)],
        capture_output=True,
        text=True,
        env={**ENV, "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert str(bad) in proc.stderr
    assert proc.stdout.strip() == ""


def test_run_directory_is_a_clean_error(tmp_path):
    assert_clean_failure(invoke("run", str(tmp_path)))


def test_run_prints_summary_and_writes_tables(small_file, tmp_path):
    good = small_file("good")
    out = tmp_path / "out"
    result = invoke("run", str(good), "--seed", "3", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "attainment.rough_sleeping" in result.stdout
    for name, rows in (("outcomes", 13 * 3), ("agencies", 13 * 10), ("system", 13)):
        df = pd.read_parquet(out / f"{name}.parquet")
        assert len(df) == rows


# ------------------------------------------------------------------------ compare
def test_compare_json_records(pair):
    silo, rsu = pair
    result = invoke(
        "compare", str(silo), str(rsu), "--baseline", str(silo), "--replications", "2", "--json"
    )
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert isinstance(records, list) and records
    for r in records:
        assert set(r) >= RECORD_KEYS
    assert {r["scenario"] for r in records} == {"small_silo", "small_rsu"}
    assert {r["outcome"] for r in records} == {"rough_sleeping", "youth_offending", "early_years"}
    for r in records:
        if r["scenario"] == "small_silo":
            assert r["diff"] is None and r["diff_ci_low"] is None and r["diff_ci_high"] is None
        else:
            assert isinstance(r["diff"], float)
        assert isinstance(r["mean"], float)
        assert r["ci_low"] <= r["mean"] <= r["ci_high"]


def test_compare_writes_tables_and_figure(pair, tmp_path):
    silo, rsu = pair
    out = tmp_path / "cmp"
    result = invoke(
        "compare",
        str(rsu),
        "--baseline",
        str(silo),
        "--replications",
        "2",
        "--ensemble",
        "none",  # two runs per arm whether or not a parameter ensemble ships
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "small_rsu" in result.stdout
    for name in ("outcomes", "agencies", "system"):
        df = pd.read_parquet(out / f"{name}.parquet")
        assert set(df["scenario"]) == {"small_silo", "small_rsu"}
        assert set(df["replication"]) == {0, 1}
    png = out / "trajectories.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (out / "comparison.csv").exists()


def test_compare_bad_scenario_is_a_clean_error(pair, small_file):
    silo, _ = pair
    bad = small_file("bad", "[context]\nbudget_change = 3\n")
    result = invoke("compare", str(bad), "--baseline", str(silo), "--replications", "2")
    assert_clean_failure(result, "budget_change")


def test_compare_same_name_twice_is_a_clean_error(pair, small_file):
    silo, _ = pair
    clash = small_file("clash", "[context]\nchurn_scale = 2.0\n")
    clash.write_text(clash.read_text().replace('name = "clash"', 'name = "small_silo"'))
    result = invoke("compare", str(clash), "--baseline", str(silo), "--replications", "2")
    assert_clean_failure(result, "small_silo")


def test_compare_needs_two_replications(pair):
    silo, rsu = pair
    result = invoke("compare", str(rsu), "--baseline", str(silo), "--replications", "1")
    assert result.exit_code != 0
    assert "Traceback" not in result.output


# ------------------------------------------------------------------------ scenarios
def test_scenarios_lists_files_and_interventions():
    result = invoke("scenarios")
    assert result.exit_code == 0, result.output
    files = sorted(p.stem for p in scenario_dir().glob("*.toml"))  # names to type
    assert files
    for name in files:
        assert name in result.stdout
    for name in REGISTRY:
        assert name in result.stdout
