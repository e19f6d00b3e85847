"""Stores at the edges (issue 23, items 4 and 8): a read-only folder, a locked or unreadable
``results.duckdb``, a damaged ``manifest.json`` rebuilt only when the runs agree with it, and a
folder that keeps working when copied or moved (plain DuckDB included).

A read-only folder is a real one: the command runs in a private mount namespace where the
folder is bind-mounted read-only (``unshare -rm``), so even root cannot write it; where that is
not possible (no user namespaces) and the tests run as root, those tests are skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import tiny_experiment
from typer.testing import CliRunner

from jusim.cli import app
from jusim.experiment.store import DB_NAME, Store

RUNNER = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def invoke(*args: str):
    return RUNNER.invoke(app, list(args))


def text_of(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def experiment(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("edges") / "edges.toml"
    path.write_text(
        tiny_experiment(name="edges", seed=5, reps=2, horizon=4).replace(
            "metrics = [", "trajectories = true\nmetrics = ["
        )
    )
    return path


@pytest.fixture(scope="module")
def original(experiment: Path, tmp_path_factory) -> Path:
    """A finished sweep (chunks of 4 runs); tests work on copies of it."""
    out = tmp_path_factory.mktemp("orig") / "out"
    args = ("sweep", str(experiment), "--workers", "0", "--out", str(out), "--chunk-size", "4")
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def reference(original: Path) -> pd.DataFrame:
    return Store(original).runs()


def copy_of(original: Path, where: Path) -> Path:
    out = where / "copy"
    shutil.copytree(original, out)
    return out


def damage(path: Path, keep: int = 60) -> None:
    path.write_bytes(path.read_bytes()[:keep])


def _can_mount_read_only() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", 'mount --bind -o ro "$1" "$1"', "sh", str(ROOT)],
        capture_output=True,
    )
    return probe.returncode == 0


READ_ONLY = _can_mount_read_only()


def run_read_only(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m jusim.cli ARGS`` with ``folder`` read-only for the command."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    cmd = [sys.executable, "-m", "jusim.cli", *args]
    if READ_ONLY:
        script = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"'
        cmd = ["unshare", "-rm", "sh", "-c", script, "sh", str(folder), *cmd]
    elif os.geteuid() != 0:  # an ordinary user cannot write a folder without write permission
        for p in [folder, *folder.rglob("*")]:
            p.chmod(p.stat().st_mode & ~0o222)
    else:
        pytest.skip("cannot make a folder read-only here (no user namespaces, running as root)")
    try:
        return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    finally:
        for p in [folder, *folder.rglob("*")]:
            p.chmod(p.stat().st_mode | 0o200)


# ---- item 4: results answers from the chunks --------------------------------------------------


def test_read_only_damaged_store_answers_from_the_chunks(original, reference, tmp_path):
    """Read-only, with a truncated manifest, a truncated results.duckdb and an unreadable chunk:
    the answer comes from the chunks and the manifest rebuilt in memory; nothing is written."""
    out = copy_of(original, tmp_path)
    damage(out / "manifest.json", 200)
    damage(out / DB_NAME, 1000)
    bad = Store(out).chunk_files()[1]
    damage(bad)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    csv = tmp_path / "runs.csv"
    sql = "SELECT run_id, seed, mean_trust FROM runs ORDER BY run_id"
    done = run_read_only(out, "results", str(out), "--sql", sql, "--csv", str(csv))
    said = " ".join(done.stderr.split())
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "rebuilt in memory" in said and "not written" in said, said
    assert "left out of the answers" in said and "answered from the Parquet chunks" in said
    got = pd.read_csv(csv)
    kept = reference[~reference["run_id"].isin(range(4, 8))]  # the unreadable chunk's runs
    assert got["run_id"].tolist() == kept["run_id"].tolist()
    assert got["seed"].tolist() == kept["seed"].tolist()
    assert got["mean_trust"].tolist() == pytest.approx(kept["mean_trust"].tolist(), rel=1e-12)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_a_healthy_store_is_read_without_writing(original, tmp_path):
    """results.duckdb current: `results` writes nothing (so a read-only copy needs no write)."""
    out = copy_of(original, tmp_path)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    result = invoke("results", str(out), "--sql", "SELECT count(*) AS n FROM runs")
    assert result.exit_code == 0 and "store:" not in result.output, result.output
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_locked_database_is_left_alone_and_the_chunks_answer(original, reference, tmp_path):
    out = copy_of(original, tmp_path)
    db = out / DB_NAME
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', "
            "flush=True); time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        before = db.stat().st_mtime_ns
        result = invoke("results", str(out), "--sql", "SELECT count(*) AS n FROM runs")
        assert result.exit_code == 0, result.output
        assert "locked by another program" in text_of(result), result.output
        assert db.stat().st_mtime_ns == before
        pd.testing.assert_frame_equal(Store(out).runs(), reference)
    finally:
        holder.kill()
        holder.wait()


def test_truncated_manifest_is_rebuilt_by_results(original, reference, tmp_path):
    out = copy_of(original, tmp_path)
    kept = json.loads((out / "manifest.json").read_text())
    damage(out / "manifest.json", 300)
    result = invoke("results", str(out))
    assert result.exit_code == 0, result.output
    assert "manifest.json was damaged; rebuilt from experiment.toml" in text_of(result)
    rebuilt = json.loads((out / "manifest.json").read_text())
    assert {k for k in kept if kept[k] != rebuilt.get(k)} == {"source"}  # hash included
    assert rebuilt.keys() == kept.keys()
    pd.testing.assert_frame_equal(Store(out).runs(), reference)


def test_missing_manifest_is_rebuilt_by_resuming_the_sweep(experiment, original, tmp_path):
    out = copy_of(original, tmp_path)
    kept = json.loads((out / "manifest.json").read_text())
    (out / "manifest.json").unlink()
    gone = Store(out).chunk_files()[-1]
    gone.unlink()  # so the resume has runs to do
    result = invoke("sweep", str(experiment), "--workers", "0", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "manifest.json was missing; rebuilt from the experiment file" in text_of(result)
    assert json.loads((out / "manifest.json").read_text()) == kept
    assert "resuming" in result.output and "16 of 16" in result.output


def test_manifest_is_not_rebuilt_when_the_runs_disagree(experiment, original, tmp_path):
    out = copy_of(original, tmp_path)
    damage(out / "manifest.json", 300)
    other = tmp_path / "other.toml"
    other.write_text(experiment.read_text().replace("seed = 5", "seed = 6"))
    longer = tmp_path / "longer.toml"  # same points and seeds: only the folder's copies differ
    longer.write_text(experiment.read_text().replace("horizon = 4", "horizon = 5"))
    for changed in (other, longer):
        result = invoke("sweep", str(changed), "--workers", "0", "--out", str(out))
        assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
        assert "differs from the copies the folder keeps" in text_of(result), result.output
        assert "Traceback" not in result.output
    # the folder's own copy of the experiment edited: the runs do not match it
    (out / "experiment.toml").write_text(other.read_text())
    result = invoke("results", str(out))
    assert result.exit_code == 2, result.output
    assert "do not match" in text_of(result) and "other seeds" in text_of(result)
    # other columns than the experiment keeps
    (out / "experiment.toml").write_text(
        experiment.read_text().replace('"mean_trust"', '"mean_understanding"')
    )
    result = invoke("results", str(out))
    assert result.exit_code == 2 and "has columns" in text_of(result), result.output
    # without the copies, the sweep's experiment is checked against the runs alone
    (out / "experiment.toml").write_text(experiment.read_text())
    (out / "base_scenario.toml").unlink()
    result = invoke("sweep", str(other), "--workers", "0", "--out", str(out))
    assert result.exit_code == 2 and "other seeds" in text_of(result), result.output
    # nothing to rebuild from
    result = invoke("results", str(out))
    assert result.exit_code == 2 and "cannot be rebuilt" in text_of(result), result.output
    # --force starts the folder afresh for the other experiment
    result = invoke("sweep", str(other), "--workers", "0", "--out", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert Store(out).manifest()["seed"] == 6


# ---- item 8: a store travels ----------------------------------------------------------------


def test_copied_store_opens_in_plain_duckdb_and_reads_its_own_files(
    original, reference, tmp_path, monkeypatch
):
    """As the store's README says: from inside the folder, `duckdb results.duckdb`."""
    out = copy_of(original, tmp_path)
    first = Store(out).chunk_files()[0].name
    for kind in ("chunks", "outcomes", "system"):  # the copy now differs from the original
        (out / kind / first).unlink()
    moved = tmp_path / "elsewhere" / "moved"
    moved.parent.mkdir()
    shutil.move(out, moved)
    monkeypatch.chdir(moved)
    con = duckdb.connect(DB_NAME, read_only=True)
    try:
        sqls = " ".join(r[0] for r in con.execute("SELECT sql FROM duckdb_views()").fetchall())
        assert str(original) not in sqls and str(tmp_path) not in sqls
        ids = con.execute("SELECT run_id FROM runs ORDER BY run_id").df()["run_id"].tolist()
        trust = con.execute("SELECT avg(value) AS v FROM metrics WHERE metric = 'mean_trust'")
        assert trust.fetchone()[0] is not None
        n_out = con.execute("SELECT count(*) FROM outcomes").fetchone()[0]
    finally:
        con.close()
    assert ids == list(range(4, 16))  # its own chunks, not the original's 16 runs
    assert n_out == 12 * 5 * 3  # 12 runs x months 0..4 x 3 outcomes
    # from any other folder, SET file_search_path to the store first
    monkeypatch.chdir(tmp_path)
    con = duckdb.connect(str(moved / DB_NAME), read_only=True)
    try:
        con.execute(f"SET file_search_path = '{moved.as_posix()}'")
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 12
    finally:
        con.close()
    # and jusim answers from anywhere
    pd.testing.assert_frame_equal(
        Store(moved).runs(), reference[reference.run_id >= 4].reset_index(drop=True)
    )


def test_an_older_database_with_absolute_paths_is_rebuilt(original, tmp_path):
    out = copy_of(original, tmp_path)
    db = out / DB_NAME
    db.unlink()
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE VIEW runs AS SELECT * FROM "
        f"read_parquet('{(original / 'chunks').as_posix()}/chunk-*.parquet')"
    )
    con.close()
    result = invoke("results", str(out), "--sql", "SELECT count(*) AS n FROM runs")
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    try:
        sqls = " ".join(r[0] for r in con.execute("SELECT sql FROM duckdb_views()").fetchall())
    finally:
        con.close()
    assert str(original) not in sqls and "'chunks/chunk-*.parquet'" in sqls


# ---- item 8: compare --out records what it ran; item 7: outputs beside earlier outputs --------


def test_compare_out_records_resolved_scenarios_and_seeds(small_file, tmp_path):
    import numpy as np

    import jusim

    arm = small_file("arm", "[context]\nchurn_scale = 1.5\n", horizon=6)
    base = small_file("base6", "", horizon=6)
    out = tmp_path / "cmp"
    result = invoke(
        "compare", str(arm), "--baseline", str(base), "--replications", "2", "--seed", "7",
        "--out", str(out), "--ensemble", "none",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    man = json.loads((out / "manifest.json").read_text())
    assert man["master_seed"] == 7 and man["replications"] == 2
    assert man["baseline"] == "base6" and man["scenarios"] == ["base6", "arm"]
    assert man["run_seeds"][1] == {"replication": 1, "entropy": 7, "spawn_key": [1]}
    table = pd.read_parquet(out / "outcomes.parquet")
    assert "seed" not in table.columns and set(table["master_seed"]) == {7}
    # the recorded scenario file and seed reproduce replication 1 of the arm exactly
    again = jusim.run(
        out / "scenarios" / "arm.toml", seed=np.random.SeedSequence(7, spawn_key=(1,))
    )
    stored = table[(table.scenario == "arm") & (table.replication == 1)]
    assert stored["need"].tolist() == again.outcome_table()["need"].tolist()
    other = table[(table.scenario == "arm") & (table.replication == 0)]
    assert other["need"].tolist() != stored["need"].tolist()  # the seeds differ between runs


def test_compare_out_over_the_ensemble_records_each_runs_draw(small_file, tmp_path):
    """With the shipped ensemble, run k's draw is in the manifest, and the recorded scenario,
    that draw and child k of the master seed reproduce the run exactly."""
    import numpy as np

    import jusim
    from jusim.ensemble import resolve_ensemble

    arm = small_file("arm", "[context]\nchurn_scale = 1.5\n", horizon=6)
    out = tmp_path / "cmp"
    result = invoke(
        "compare", str(arm), "--draws", "2", "--replications", "2", "--seed", "7",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    man = json.loads((out / "manifest.json").read_text())
    assert man["draws"] == 2 and man["seeds_per_draw"] == 2 and man["replications"] == 4
    k = 3
    draw = man["run_seeds"][k]["draw"]
    ens, _ = resolve_ensemble("default")
    assert ens is not None
    row = int(np.flatnonzero(ens.ids == draw)[0])
    scenario = ens.apply(jusim.load_scenario(out / "scenarios" / "arm.toml"), row)
    again = jusim.run(scenario, seed=np.random.SeedSequence(7, spawn_key=(k,)))
    table = pd.read_parquet(out / "outcomes.parquet")
    stored = table[(table.scenario == "arm") & (table.replication == k)]
    assert set(stored["draw"]) == {draw}
    assert stored["need"].tolist() == again.outcome_table()["need"].tolist()


def test_out_folder_beside_jusims_earlier_outputs(small_file, tmp_path):
    """The guide's order: `run --out results/rsu`, `compare --out results/cmp`, then the
    README's `compare --out results/`: jusim's own sub-folders are not "files jusim did not
    write"; a user's file or folder still is."""
    s = str(small_file("quick", "", horizon=3))
    results = tmp_path / "results"
    assert invoke("run", s, "--out", str(results / "rsu")).exit_code == 0
    cmp = ("compare", s, "--baseline", s, "--replications", "2")
    assert invoke(*cmp, "--out", str(results / "cmp")).exit_code == 0
    kept = (results / "rsu" / "outcomes.parquet").read_bytes()
    result = invoke(*cmp, "--out", str(results))
    assert result.exit_code == 0, result.output
    assert (results / "comparison.csv").exists()
    assert (results / "rsu" / "outcomes.parquet").read_bytes() == kept
    again = invoke(*cmp, "--out", str(results))
    assert again.exit_code == 2 and "--force" in text_of(again)
    (results / "mine").mkdir()
    (results / "mine" / "notes.txt").write_text("mine")
    refused = invoke(*cmp, "--out", str(results), "--force")
    assert refused.exit_code == 2 and "did not write (mine)" in text_of(refused)
