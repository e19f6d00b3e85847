"""Sweeps: determinism across executors, resume after a kill, refusal of a changed experiment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import tiny_experiment
from typer.testing import CliRunner

import jusim
from jusim.cli import app
from jusim.experiment.executors import DaskExecutor, make_executor
from jusim.experiment.runner import plan_sweep, run_seeds, run_sweep
from jusim.experiment.schema import build_scenario
from jusim.experiment.store import Store, StoreError
from jusim.scenario import ScenarioError

REPO = Path(__file__).resolve().parent.parent


def write_tiny(folder: Path, reps: int = 2, horizon: int = 12) -> Path:
    path = folder / "tiny.toml"
    path.write_text(tiny_experiment(reps=reps, horizon=horizon))
    return path


def sweep(file: Path, out: Path, executor=None, chunk_size: int = 3) -> pd.DataFrame:
    plan = plan_sweep(file)
    executor = executor or make_executor(0)
    try:
        report = run_sweep(plan, out, executor, chunk_size=chunk_size)
    finally:
        executor.shutdown()
    assert report.complete
    return Store(out).runs()


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """The tiny sweep run in this process: the result every other executor must reproduce."""
    folder = tmp_path_factory.mktemp("ref")
    file = write_tiny(folder)
    return file, sweep(file, folder / "out")


def test_run_seeds_deterministic_and_distinct() -> None:
    a, b = run_seeds(5, 20), run_seeds(5, 20)
    assert a == b
    assert len(set(a)) == 20
    assert all(0 <= s < 2**63 for s in a)
    assert run_seeds(6, 20) != a
    # replication k is the same whatever the number of replications (prefix property)
    assert run_seeds(5, 5) == a[:5]


def test_reference_sweep_shape(reference) -> None:
    _, runs = reference
    assert len(runs) == 8 * 2
    assert runs["run_id"].tolist() == list(range(16))
    assert runs.groupby("point").size().eq(2).all()
    # common random numbers: replication k has the same seed at every design point
    assert runs.groupby("replication")["seed"].nunique().eq(1).all()
    assert runs["seed"].nunique() == 2


def test_every_run_reproducible_from_its_row(reference) -> None:
    file, runs = reference
    plan = plan_sweep(file)
    for row in runs.iloc[[0, 7, 13]].itertuples(index=False):
        point = plan.design.point(row.point)
        scenario = build_scenario(plan.experiment, plan.base, point)
        summary = jusim.run(scenario, seed=int(row.seed)).summary()
        stored = runs.loc[runs.run_id == row.run_id]
        for m in plan.metrics:
            assert summary[m] == stored[m].item()


@pytest.mark.parametrize("workers", [1, 2])
def test_local_processes_give_identical_results(reference, tmp_path, workers) -> None:
    file, ref = reference
    runs = sweep(file, tmp_path / "out", make_executor(workers), chunk_size=3)
    pd.testing.assert_frame_equal(runs, ref)


def test_dask_local_cluster_gives_identical_results(reference, tmp_path, dask_client) -> None:
    file, ref = reference
    runs = sweep(file, tmp_path / "out", DaskExecutor(dask_client), chunk_size=5)
    pd.testing.assert_frame_equal(runs, ref)


def test_resume_after_partial_store_does_not_recompute_or_duplicate(reference, tmp_path) -> None:
    file, ref = reference
    out = tmp_path / "out"
    sweep(file, out, chunk_size=3)
    store = Store(out)
    chunks = store.chunk_files()
    # lose two chunks, and duplicate another under a different name (written twice)
    chunks[1].unlink()
    chunks[3].unlink()
    dup = chunks[0].with_name("chunk-999999998-999999999.parquet")
    dup.write_bytes(chunks[0].read_bytes())
    # a stale temporary file from a killed writer is ignored and cleaned
    (out / "chunks" / ".tmp-deadbeef.parquet").write_bytes(b"partial")
    missing = 16 - len(store.done_ids())
    plan = plan_sweep(file)
    report = run_sweep(plan, out, make_executor(0), chunk_size=3)
    assert report.already == 16 - missing
    assert report.done == missing
    pd.testing.assert_frame_equal(store.runs(), ref)
    assert not list((out / "chunks").glob(".tmp-*"))


def test_resume_after_sigkill_equals_uninterrupted(tmp_path) -> None:
    file = write_tiny(tmp_path, reps=4, horizon=36)
    expected = sweep(file, tmp_path / "ref")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "jusim.cli", "sweep", str(file), "--workers", "1"]
    cmd += ["--chunk-size", "2", "--out", str(out)]
    proc = subprocess.Popen(
        cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list((out / "chunks").glob("chunk-*.parquet"))) >= 3:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the sweep ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)  # the driver and its worker, mid-sweep
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    stored = Store(out).done_ids()
    assert 0 < len(stored) < len(expected)
    result = CliRunner().invoke(
        app, ["sweep", str(file), "--workers", "0", "--chunk-size", "2", "--out", str(out)]
    )
    assert "resuming" in result.output
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(Store(out).runs(), expected)


def test_changed_experiment_is_refused(reference, tmp_path) -> None:
    file, _ = reference
    out = tmp_path / "out"
    sweep(file, out)
    changed = tmp_path / "changed.toml"
    changed.write_text(file.read_text().replace("replications = 2", "replications = 3"))
    with pytest.raises(StoreError, match="changed since"):
        run_sweep(plan_sweep(changed), out, make_executor(0))
    result = CliRunner().invoke(app, ["sweep", str(changed), "--workers", "0", "--out", str(out)])
    assert result.exit_code == 2
    assert "changed since" in result.output
    assert "Traceback" not in result.output
    assert len(Store(out).runs()) == 16  # untouched


def test_cli_sweep_and_results(reference, tmp_path) -> None:
    file, ref = reference
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(app, ["sweep", str(file), "--workers", "0", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "16 of 16" in result.output
    pd.testing.assert_frame_equal(Store(out).runs(), ref)
    result = runner.invoke(app, ["results", str(out)])
    assert result.exit_code == 0, result.output
    assert "mean per design point" in result.output
    result = runner.invoke(app, ["results", str(out), "--sql", "SELECT count(*) AS n FROM runs"])
    assert result.exit_code == 0, result.output
    assert "16" in result.output
    result = runner.invoke(app, ["results", str(out), "--sql", "SELECT nope FROM runs"])
    assert result.exit_code == 2
    assert "query failed" in result.output


@pytest.mark.parametrize(
    "path", sorted((REPO / "experiments").glob("*.toml")), ids=lambda p: p.stem
)
def test_shipped_experiments_are_valid(path: Path) -> None:
    """Every shipped experiment file loads with its own command's loader (sweeps, the
    calibration files of ``jusim calibrate`` and the search file of ``jusim search``)."""
    if path.stem.startswith("calibration"):
        from jusim.calibration import load_calibration

        assert load_calibration(path).fit
        return
    if path.stem == "search":
        from jusim.analysis.search import load_search

        load_search(path)
        return
    plan = plan_sweep(path)
    assert plan.total_runs >= 20
    assert plan.experiment.factors


@pytest.mark.parametrize(("stem", "command"), [("calibration", "calibrate"), ("search", "search")])
def test_sweep_of_another_commands_file_names_that_command(stem: str, command: str) -> None:
    """`jusim sweep` on a shipped calibration or search file says which command it is for."""
    path = REPO / "experiments" / f"{stem}.toml"
    with pytest.raises(ScenarioError) as err:
        plan_sweep(path)
    assert f"jusim {command} {path}" in str(err.value)
