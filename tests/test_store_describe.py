"""Stores explain themselves: the resolved base scenario as TOML, a README, exact ranges and seed
rules in the manifest, units and descriptions on Parquet fields, a DuckDB file that DuckDB 1.0
reads, and ``jusim results --describe``."""

from __future__ import annotations

import json
import tomllib

import duckdb
import pyarrow.parquet as pq
import pytest
from conftest import tiny_experiment
from typer.testing import CliRunner

import jusim
from jusim.cli import app
from jusim.describe import to_toml
from jusim.experiment.design import design_seed
from jusim.experiment.executors import make_executor
from jusim.experiment.runner import plan_sweep, run_sweep
from jusim.metrics import metric_info
from jusim.scenario import parse_scenario, scenario_dir


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("described")
    file = folder / "tiny.toml"
    file.write_text(
        tiny_experiment(reps=1).replace("metrics = [", "trajectories = true\nmetrics = [")
    )
    plan = plan_sweep(file)
    assert run_sweep(plan, folder / "out", make_executor(0)).complete
    return plan, folder / "out"


@pytest.mark.parametrize("path", sorted(scenario_dir().glob("*.toml")), ids=lambda p: p.stem)
def test_toml_round_trip_of_shipped_scenarios(path):
    sc = jusim.load_scenario(path)
    back = parse_scenario(tomllib.loads(to_toml(sc.to_dict(), header="a\nb")))
    assert back.to_dict() == sc.to_dict()


def test_base_scenario_and_readme_beside_the_runs(store):
    plan, out = store
    base = parse_scenario(tomllib.loads((out / "base_scenario.toml").read_text()))
    assert base.to_dict() == plan.base.to_dict()
    readme = (out / "README.md").read_text()
    for name in [
        *plan.design.factors,
        *plan.metrics,
        "base_scenario.toml",
        "whole numbers 0 to 12",
    ]:
        assert name in readme, name


def test_manifest_records_ranges_seeds_units(store):
    _plan, out = store
    man = json.loads((out / "manifest.json").read_text())
    assert man["factor_ranges"]["secondees"] == {"low": 0, "high": 12, "whole_numbers": True}
    assert man["factor_ranges"]["shared_targets"] == {"values": [False, True]}
    assert str(design_seed(man["seed"])) in man["seed_derivation"]["design"]
    assert "SeedSequence(master_seed).spawn" in man["seed_derivation"]["runs"]
    assert man["bootstrap"]["seed"] == man["seed"]
    for m in man["metrics"]:
        assert man["metric_info"][m]["unit"] == metric_info(m).unit


def test_parquet_fields_carry_unit_and_description(store):
    plan, out = store
    runs = pq.read_schema(next((out / "chunks").glob("*.parquet")))
    for m in plan.metrics:
        meta = runs.field(m).metadata
        assert meta[b"unit"].decode() == metric_info(m).unit
        assert meta[b"description"].decode() == metric_info(m).description
    assert runs.field("churn").metadata[b"kind"] == b"uncertainty"
    system = pq.read_schema(next((out / "system").glob("*.parquet")))
    for c in ("tie_density", "cross_tie_density", "top5_tie_share", "tie_components"):
        assert system.field(c).metadata[b"unit"], c


def test_duckdb_file_is_in_the_oldest_declared_format(store):
    _, out = store
    con = duckdb.connect(str(out / "results.duckdb"), read_only=True)
    try:
        tags = con.execute(
            "SELECT tags FROM duckdb_databases() WHERE database_name = 'results'"
        ).fetchone()[0]
        assert tags["storage_version"] == "v1.0.0+", tags
        con.execute(f"SET file_search_path = '{out.as_posix()}'")  # views: relative paths
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 8
    finally:
        con.close()
    req = tomllib.loads((scenario_dir().parent / "pyproject.toml").read_text())
    assert any(d.replace(" ", "").startswith("duckdb>=1.0") for d in req["project"]["dependencies"])


def test_results_describe_at_80_columns(store):
    plan, out = store
    result = CliRunner().invoke(app, ["results", str(out), "--describe"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    assert "…" not in result.stdout
    for name in [*plan.design.factors, *plan.metrics, "share of target (1 = met)"]:
        assert name in result.stdout, name


def test_compare_and_run_tables_carry_units(tmp_path, small_file):
    silo = small_file("small_silo")
    result = CliRunner().invoke(app, ["run", str(silo), "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    schema = pq.read_schema(tmp_path / "run" / "system.parquet")
    assert schema.field("mean_trust").metadata[b"unit"] == "0–1".encode()
    cmp = jusim.compare([silo], baseline=silo, replications=2)
    cmp.write(tmp_path / "cmp")
    schema = pq.read_schema(tmp_path / "cmp" / "outcomes.parquet")
    assert schema.field("attainment").metadata[b"unit"] == b"share of target (1 = met)"
