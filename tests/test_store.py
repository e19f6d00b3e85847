"""The result store: schema of the Parquet chunks and DuckDB views, trajectories, versions."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

import jusim
from jusim.experiment.executors import make_executor
from jusim.experiment.runner import plan_sweep, run_sweep
from jusim.experiment.store import Store

EXPERIMENT = """
name = "store_check"
base = "pooled_budget"
seed = 3
replications = 2
horizon = 6
metrics = ["attainment.rough_sleeping", "cost_per_outcome.rough_sleeping", "shared_attainment"]
trajectories = true

[design]
kind = "lhs"
samples = 3

[factors.pooled_share]
kind = "lever"
path = "interventions.pooled_budget.share"
range = [0.0, 0.4]

[factors.secondees]
kind = "lever"
values = [false, true]
intervention = { type = "secondees", outcome = "rough_sleeping", host = "local_authority" }

[factors.churn]
kind = "uncertainty"
path = "context.churn_scale"
range = [0.5, 2]
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("store")
    file = folder / "store_check.toml"
    file.write_text(EXPERIMENT)
    report = run_sweep(plan_sweep(file), folder / "out", make_executor(0), chunk_size=4)
    assert report.complete
    return Store(folder / "out")


def test_layout(store: Store) -> None:
    out = store.out
    for name in ("experiment.toml", "manifest.json", "design.parquet", "results.duckdb"):
        assert (out / name).exists(), name
    assert len(store.chunk_files()) == 2  # 6 runs in chunks of 4
    assert len(store.chunk_files("outcomes")) == 2
    assert len(store.chunk_files("system")) == 2
    man = store.manifest()
    assert man["jusim_version"] == jusim.__version__
    assert man["total_runs"] == 6
    assert len(man["hash"]) == 64


def test_chunk_schema(store: Store) -> None:
    schema = pq.read_schema(store.chunk_files()[0])
    types = {f.name: str(f.type) for f in schema}
    assert types["run_id"] == "int64"
    assert types["point"] == "int64"
    assert types["replication"] == "int64"
    assert types["seed"] == "int64"
    assert types["jusim_version"] in ("string", "large_string")
    assert types["pooled_share"] == "double"
    assert types["secondees"] == "bool"
    assert types["churn"] == "double"
    for m in ("attainment.rough_sleeping", "cost_per_outcome.rough_sleeping", "shared_attainment"):
        assert types[m] == "double"


def test_views(store: Store) -> None:
    """results.duckdb read with plain DuckDB, paths relative to the folder (file_search_path)."""
    con = duckdb.connect(str(store.out / "results.duckdb"), read_only=True)
    try:
        con.execute(f"SET file_search_path = '{store.out.as_posix()}'")
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
        assert {"runs", "parameters", "metrics", "design", "outcomes", "system"} <= views
        runs = con.execute("SELECT * FROM runs ORDER BY run_id").df()
        assert runs["run_id"].tolist() == list(range(6))
        assert (runs["jusim_version"] == jusim.__version__).all()
        params = con.execute("SELECT * FROM parameters").df()
        assert list(params.columns) == [
            "run_id",
            "point",
            "replication",
            "seed",
            "pooled_share",
            "secondees",
            "churn",
        ]
        metrics = con.execute("SELECT metric, count(*) AS n FROM metrics GROUP BY 1").df()
        assert dict(zip(metrics.metric, metrics.n, strict=True)) == {
            "attainment.rough_sleeping": 6,
            "cost_per_outcome.rough_sleeping": 6,
            "shared_attainment": 6,
        }
        outcomes = con.execute("SELECT * FROM outcomes").df()
        # months 0..6 for 3 outcomes per run
        assert len(outcomes) == 6 * 7 * 3
        assert set(outcomes.columns) >= {"run_id", "month", "outcome", "need", "attainment"}
        system = con.execute("SELECT * FROM system").df()
        assert len(system) == 6 * 7
    finally:
        con.close()


def test_metrics_match_wide_table_and_trajectories(store: Store) -> None:
    runs = store.runs()
    long = store.query("SELECT run_id, value FROM metrics WHERE metric = 'shared_attainment'")
    merged = runs.merge(long, on="run_id")
    assert (merged["value"] == merged["shared_attainment"]).all()
    # the last month of the trajectory is the summary at the horizon
    last = store.query(
        "SELECT run_id, attainment FROM outcomes WHERE month = 6 AND outcome = 'rough_sleeping'"
    ).sort_values("run_id")
    assert last["attainment"].to_numpy().tolist() == runs["attainment.rough_sleeping"].tolist()


def test_design_points_and_parameters_agree(store: Store) -> None:
    design = store.design()
    runs = store.runs()
    merged = runs.merge(design, on="point", suffixes=("", "_design"))
    for f in ("pooled_share", "secondees", "churn"):
        assert (merged[f] == merged[f"{f}_design"]).all()
    assert {"raw__pooled_share", "raw__secondees", "raw__churn"} <= set(design.columns)


def test_views_rebuilt_when_folder_moves(store: Store, tmp_path) -> None:
    import shutil

    moved = tmp_path / "moved"
    shutil.copytree(store.out, moved)
    pd.testing.assert_frame_equal(Store(moved).runs(), store.runs())


def test_empty_store_has_typed_views(tmp_path) -> None:
    file = tmp_path / "e.toml"
    file.write_text(EXPERIMENT.replace("trajectories = true", "trajectories = false"))
    plan = plan_sweep(file)
    store = Store(tmp_path / "out")
    store.prepare(plan.manifest(), file, plan.design_table())
    store.refresh_views()
    runs = store.runs()
    assert runs.empty
    assert "attainment.rough_sleeping" in runs.columns
