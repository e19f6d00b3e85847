"""Stores that heal and outputs that never overwrite a user's files (issue 12, items 2 and 4).

A "full disk" is simulated by making every Parquet write fail after a number of chunks (and
every write of results.duckdb fail), as a real full disk would; a truncated results.duckdb is
what an interrupted DuckDB write leaves behind.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import tiny_experiment
from typer.testing import CliRunner

import jusim
from jusim.cli import app
from jusim.experiment import store as store_module
from jusim.experiment.store import DB_NAME, Store

RUNNER = CliRunner()


def invoke(*args: str):
    return RUNNER.invoke(app, list(args))


def clean_failure(result, *words: str) -> None:
    """Non-zero exit, the words in the message, no traceback (CliRunner keeps the exception)."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    text = " ".join(result.output.split())
    for w in words:
        assert w in text, (w, result.output)


@pytest.fixture(scope="module")
def experiment(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("heal")
    path = folder / "heal.toml"
    text = tiny_experiment(name="heal", seed=5, reps=2, horizon=4).replace(
        "metrics = [", "trajectories = true\nmetrics = ["
    )
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def reference(experiment: Path, tmp_path_factory) -> pd.DataFrame:
    """The tables of an uninterrupted run."""
    out = tmp_path_factory.mktemp("ref") / "out"
    result = invoke("sweep", str(experiment), "--workers", "0", "--out", str(out))
    assert result.exit_code == 0, result.output
    return tables(out)


def tables(out: Path) -> dict[str, pd.DataFrame]:
    s = Store(out)
    return {
        "runs": s.query("SELECT * FROM runs ORDER BY run_id"),
        "outcomes": s.query("SELECT * FROM outcomes ORDER BY run_id, month, outcome"),
        "system": s.query("SELECT * FROM system ORDER BY run_id, month"),
    }


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for k in a:
        pd.testing.assert_frame_equal(a[k], b[k], check_exact=True)


def full_disk(monkeypatch, after_chunks: int) -> None:
    """Parquet writes fail with ENOSPC once ``after_chunks`` run chunks were written; DuckDB
    cannot write either."""
    real_write = store_module.pq.write_table
    count = {"chunks": 0}

    def write_table(table, where, *a, **k):
        if "run_id" in table.column_names and "point" in table.column_names:
            count["chunks"] += 1
        if count["chunks"] > after_chunks:
            raise OSError(errno.ENOSPC, "No space left on device", str(where))
        return real_write(table, where, *a, **k)

    real_connect = duckdb.connect

    def connect(database=":memory:", *a, **k):
        if str(database).endswith(".duckdb") and not k.get("read_only"):
            raise duckdb.IOException("could not write: No space left on device")
        return real_connect(database, *a, **k)

    monkeypatch.setattr(store_module.pq, "write_table", write_table)
    monkeypatch.setattr(duckdb, "connect", connect)


def truncate(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


def test_full_disk_then_resume_gives_the_same_tables(
    experiment, reference, tmp_path, monkeypatch
) -> None:
    out = tmp_path / "out"
    with monkeypatch.context() as m:
        full_disk(m, after_chunks=3)
        result = invoke(
            "sweep", str(experiment), "--workers", "0", "--out", str(out), "--chunk-size", "2"
        )
    clean_failure(result, "stopped", "No space left on device", "run the same command again")
    assert len(Store(out).done_ids()) == 6  # three chunks of two runs landed
    # what a DuckDB write cut short by the full disk leaves behind
    (out / DB_NAME).write_bytes(b"DUCK" * 100)
    result = invoke("results", str(out))
    assert result.exit_code == 0, result.output
    assert "unreadable" in result.output and "rebuilt" in result.output
    result = invoke("sweep", str(experiment), "--workers", "0", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "resuming" in result.output
    assert_same(reference, tables(out))


def test_results_rebuilds_a_truncated_or_missing_database(experiment, reference, tmp_path):
    out = tmp_path / "out"
    assert invoke("sweep", str(experiment), "--workers", "0", "--out", str(out)).exit_code == 0
    truncate(out / DB_NAME)
    result = invoke("results", str(out))
    assert result.exit_code == 0, result.output
    assert "unreadable" in result.output and "rebuilt" in result.output
    (out / DB_NAME).unlink()
    result = invoke("results", str(out), "--sql", "SELECT count(*) AS n FROM runs")
    assert result.exit_code == 0, result.output
    assert "missing" in result.output
    assert_same(reference, tables(out))


def test_queries_work_when_the_database_cannot_be_written(
    experiment, tmp_path, monkeypatch
) -> None:
    out = tmp_path / "out"
    assert invoke("sweep", str(experiment), "--workers", "0", "--out", str(out)).exit_code == 0
    truncate(out / DB_NAME)
    with monkeypatch.context() as m:
        full_disk(m, after_chunks=0)
        result = invoke("results", str(out), "--sql", "SELECT count(*) AS n FROM runs")
    assert result.exit_code == 0, result.output
    assert "answered from the Parquet chunks" in " ".join(result.output.split())
    assert not (out / DB_NAME).exists()  # the truncated file is gone, not left to fail again


def test_unreadable_chunk_is_set_aside_and_its_runs_redone(experiment, reference, tmp_path):
    out = tmp_path / "out"
    args = ("sweep", str(experiment), "--workers", "0", "--out", str(out), "--chunk-size", "4")
    assert invoke(*args).exit_code == 0
    chunk = Store(out).chunk_files()[1]
    chunk.write_bytes(chunk.read_bytes()[:50])
    result = invoke("results", str(out))
    assert result.exit_code == 0, result.output
    assert "damaged" in result.output
    assert (out / "damaged" / f"chunks-{chunk.name}").exists()
    result = invoke(*args)
    assert result.exit_code == 0 and "resuming" in result.output, result.output
    assert_same(reference, tables(out))


# ---- nothing of the user's is overwritten (item 4) ------------------------------------------


def test_sweep_refuses_a_folder_with_the_users_files(experiment, tmp_path) -> None:
    for name in ("experiment.toml", "design.parquet", "notes.txt"):
        out = tmp_path / name.replace(".", "_")
        out.mkdir()
        (out / name).write_text("mine")
        result = invoke("sweep", str(experiment), "--workers", "0", "--out", str(out))
        clean_failure(result, "--out", "nothing of yours is overwritten")
        assert (out / name).read_text() == "mine"
        assert sorted(p.name for p in out.iterdir()) == [name]


def test_sweep_out_is_a_file(experiment, tmp_path) -> None:
    out = tmp_path / "file"
    out.write_text("mine")
    clean_failure(invoke("sweep", str(experiment), "--workers", "0", "--out", str(out)), "file")
    assert out.read_text() == "mine"


def test_sweep_of_another_experiment_needs_force(experiment, tmp_path) -> None:
    out = tmp_path / "out"
    assert invoke("sweep", str(experiment), "--workers", "0", "--out", str(out)).exit_code == 0
    other = tmp_path / "other.toml"
    other.write_text(experiment.read_text().replace("seed = 5", "seed = 6"))
    clean_failure(invoke("sweep", str(other), "--workers", "0", "--out", str(out)), "--force")
    (out / "my_notes.txt").write_text("mine")
    result = invoke("sweep", str(other), "--workers", "0", "--out", str(out), "--force")
    clean_failure(result, "my_notes.txt")  # --force never deletes a file jusim did not write
    (out / "my_notes.txt").unlink()
    result = invoke("sweep", str(other), "--workers", "0", "--out", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert Store(out).manifest()["seed"] == 6


def test_half_prepared_folder_is_taken_up(experiment, tmp_path) -> None:
    """A start killed after the marker but before the manifest leaves a folder jusim owns."""
    out = tmp_path / "out"
    assert invoke("sweep", str(experiment), "--workers", "0", "--out", str(out)).exit_code == 0
    (out / "manifest.json").unlink()
    shutil.rmtree(out / "chunks")
    result = invoke("sweep", str(experiment), "--workers", "0", "--out", str(out))
    assert result.exit_code == 0, result.output


def test_run_out_policy(tmp_path) -> None:
    out = tmp_path / "tables"
    assert invoke("run", "silo", "--out", str(out)).exit_code == 0
    before = (out / "outcomes.parquet").stat().st_mtime_ns
    clean_failure(invoke("run", "silo", "--out", str(out)), "--force")
    assert (out / "outcomes.parquet").stat().st_mtime_ns == before
    assert invoke("run", "silo", "--out", str(out), "--force").exit_code == 0
    (out / "mine.txt").write_text("mine")
    clean_failure(invoke("run", "silo", "--out", str(out), "--force"), "mine.txt")
    file = tmp_path / "file"
    file.write_text("mine")
    result = invoke("run", "silo", "--out", str(file))
    clean_failure(result, "is a file")
    assert "shared_attainment" not in result.output  # refused before running, not after
    assert file.read_text() == "mine"


def test_results_csv_needs_force(experiment, tmp_path) -> None:
    out = tmp_path / "out"
    assert invoke("sweep", str(experiment), "--workers", "0", "--out", str(out)).exit_code == 0
    csv = tmp_path / "mine.csv"
    csv.write_text("mine")
    clean_failure(invoke("results", str(out), "--csv", str(csv)), "--force")
    assert csv.read_text() == "mine"
    assert invoke("results", str(out), "--csv", str(csv), "--force").exit_code == 0
    assert csv.read_text() != "mine"


def test_internal_error_is_one_line_and_a_report(monkeypatch) -> None:
    def broken(*a, **k):
        raise RuntimeError("a bug")

    monkeypatch.setattr(jusim, "run", broken)
    result = invoke("run", "silo")
    assert result.exit_code == 70
    assert isinstance(result.exception, SystemExit)
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    text = " ".join(result.output.split())
    assert "internal error" in text and "Traceback" not in result.output, result.output
    report = Path(text.split("the full report is in ")[1].split()[0])
    assert "RuntimeError: a bug" in report.read_text()
    assert len(lines) <= 2  # one message (rich may wrap it once)
    report.unlink()


def test_unreadable_manifest_is_a_clean_error_or_rebuilt(experiment, tmp_path) -> None:
    """Without the folder's copy of the base scenario, results cannot rebuild the manifest and
    says so in one line; the sweep command (which has the experiment) rebuilds it."""
    out = tmp_path / "out"
    assert invoke("sweep", str(experiment), "--workers", "0", "--out", str(out)).exit_code == 0
    (out / "manifest.json").write_text('{"hash": ')
    (out / "base_scenario.toml").unlink()
    clean_failure(invoke("results", str(out)), "manifest.json", "cannot be rebuilt")
    result = invoke("sweep", str(experiment), "--workers", "0", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "manifest.json was damaged; rebuilt" in " ".join(result.output.split())


def test_damaged_design_is_rewritten_when_the_sweep_is_resumed(experiment, reference, tmp_path):
    out = tmp_path / "out"
    args = ("sweep", str(experiment), "--workers", "0", "--out", str(out))
    assert invoke(*args).exit_code == 0
    design = out / "design.parquet"
    design.write_bytes(design.read_bytes()[:40])
    result = invoke("results", str(out), "--sql", "SELECT count(*) AS n FROM design")
    clean_failure(result, "design.parquet", "run the same sweep command again to rewrite it")
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "design.parquet was unreadable; rewritten" in " ".join(result.output.split())
    assert_same(reference, tables(out))
    assert Store(out).query("SELECT count(*) AS n FROM design")["n"][0] == 8
