"""The result store of a sweep: Parquet chunks plus a DuckDB file with views over them.

Layout of an output folder ``OUT``::

    OUT/experiment.toml        copy of the experiment file as first run
    OUT/manifest.json          experiment hash, jusim version, design kind, sizes, metrics
    OUT/design.parquet         the design points (point, factor values, raw coordinates)
    OUT/chunks/chunk-*.parquet one row per run: run_id, point, replication, seed,
                               jusim_version, factor values, kept metrics
    OUT/outcomes/chunk-*.parquet, OUT/system/chunk-*.parquet   monthly trajectories (optional)
    OUT/results.duckdb         views: runs, parameters, metrics, design (+ outcomes, system)

Chunks are written atomically (temporary file, then ``os.replace``); a run counts as done once its
row is in ``chunks/``. Views keep one row per ``run_id``, so a chunk written twice never counts
twice.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from jusim.scenario import ScenarioError

ID_COLUMNS = ("run_id", "point", "replication", "seed", "jusim_version")
DB_NAME = "results.duckdb"


class StoreError(ScenarioError):
    """A result folder that cannot be used for this experiment."""


class Store:
    """One sweep's output folder."""

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        self.chunks = self.out / "chunks"

    # ---- set-up -------------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.out / "manifest.json"

    def exists(self) -> bool:
        return self.manifest_path.exists()

    def manifest(self) -> dict[str, Any]:
        if not self.exists():
            raise StoreError(
                [
                    (
                        str(self.out),
                        "(folder)",
                        str(self.out),
                        "a sweep output folder with manifest.json",
                    )
                ]
            )
        return json.loads(self.manifest_path.read_text())

    def prepare(
        self,
        manifest: dict[str, Any],
        experiment_file: Path | None,
        design: pd.DataFrame,
    ) -> bool:
        """Create the folder, or check it belongs to the same experiment. True if resuming."""
        if self.exists():
            old = self.manifest()
            if old.get("hash") != manifest["hash"]:
                raise StoreError(
                    [
                        (
                            str(self.out),
                            "experiment",
                            manifest.get("source"),
                            "the experiment (or its base scenario) this folder was started with; "
                            f"it changed since (stored hash {str(old.get('hash'))[:12]}, now "
                            f"{manifest['hash'][:12]}). Use a new --out folder, or delete {self.out}",
                        )
                    ]
                )
            self._clean_temp()
            return True
        ours = {"experiment.toml", "design.parquet", "chunks"}
        leftovers = [
            p
            for p in (self.out.iterdir() if self.out.exists() else [])
            if not (p.name in ours or p.name.startswith(".tmp-"))
            or (p.is_dir() and any(p.iterdir()))
        ]
        if leftovers:
            raise StoreError(
                [
                    (
                        str(self.out),
                        "--out",
                        str(self.out),
                        "an empty or new folder (this one holds other files)",
                    )
                ]
            )
        self.chunks.mkdir(parents=True, exist_ok=True)
        if experiment_file is not None and Path(experiment_file).exists():
            shutil.copyfile(experiment_file, self.out / "experiment.toml")
        _write_atomic(
            self.out / "design.parquet", pa.Table.from_pandas(design, preserve_index=False)
        )
        text = json.dumps(manifest, indent=2, sort_keys=True, default=str)
        _write_text_atomic(self.manifest_path, text)
        return False

    def _clean_temp(self) -> None:
        for p in self.out.rglob(".tmp-*"):
            p.unlink(missing_ok=True)

    # ---- writing ------------------------------------------------------------------------
    def write_chunk(
        self,
        name: str,
        runs: pa.Table,
        outcomes: pa.Table | None = None,
        system: pa.Table | None = None,
    ) -> Path:
        """Write one chunk. Trajectories first, the run rows last (they mark runs as done)."""
        if outcomes is not None:
            _write_atomic(self.out / "outcomes" / f"{name}.parquet", outcomes)
        if system is not None:
            _write_atomic(self.out / "system" / f"{name}.parquet", system)
        path = self.chunks / f"{name}.parquet"
        _write_atomic(path, runs)
        return path

    # ---- reading ------------------------------------------------------------------------
    def chunk_files(self, kind: str = "chunks") -> list[Path]:
        folder = self.out / kind
        return sorted(folder.glob("chunk-*.parquet")) if folder.is_dir() else []

    def done_ids(self) -> set[int]:
        """Run ids already stored."""
        done: set[int] = set()
        for p in self.chunk_files():
            done.update(pq.read_table(p, columns=["run_id"]).column(0).to_pylist())
        return done

    def design(self) -> pd.DataFrame:
        return pd.read_parquet(self.out / "design.parquet")

    def connect(self, refresh: bool = True):
        """A DuckDB connection to ``results.duckdb`` with up-to-date views."""
        import duckdb

        if refresh:
            self.refresh_views()
        return duckdb.connect(str(self.out / DB_NAME), read_only=True)

    def refresh_views(self) -> None:
        """(Re)create the views in ``results.duckdb`` (absolute paths to this folder's files)."""
        import duckdb

        man = self.manifest()
        factors = man["factors"]
        metrics = man["metrics"]
        con = duckdb.connect(str(self.out / DB_NAME))
        try:
            root = self.out.resolve().as_posix().replace("'", "''")
            con.execute(
                f"CREATE OR REPLACE VIEW design AS SELECT * FROM read_parquet('{root}/design.parquet')"
            )
            if not self.chunk_files():
                # an empty but well-typed view, so queries work before the first chunk lands
                cols = ", ".join(
                    [
                        "NULL::BIGINT AS run_id",
                        "NULL::BIGINT AS point",
                        "NULL::BIGINT AS replication",
                        "NULL::BIGINT AS seed",
                        "NULL::VARCHAR AS jusim_version",
                    ]
                    + [f'd."{f}" AS "{f}"' for f in factors]
                    + [f'NULL::DOUBLE AS "{m}"' for m in metrics]
                )
                con.execute(
                    f"CREATE OR REPLACE VIEW runs AS SELECT {cols} FROM design d WHERE false"
                )
            else:
                con.execute(
                    "CREATE OR REPLACE VIEW runs AS SELECT DISTINCT ON (run_id) * FROM "
                    f"read_parquet('{root}/chunks/chunk-*.parquet') ORDER BY run_id"
                )
            fcols = ", ".join(f'"{f}"' for f in factors)
            con.execute(
                "CREATE OR REPLACE VIEW parameters AS SELECT run_id, point, replication, seed, "
                f"{fcols} FROM runs"
            )
            mcols = ", ".join(f'"{m}"' for m in metrics)
            con.execute(
                "CREATE OR REPLACE VIEW metrics AS SELECT run_id, point, replication, metric, value "
                f"FROM (UNPIVOT (SELECT run_id, point, replication, {mcols} FROM runs) "
                f"ON {mcols} INTO NAME metric VALUE value)"
            )
            for kind in ("outcomes", "system"):
                if self.chunk_files(kind):
                    keys = "run_id, month, outcome" if kind == "outcomes" else "run_id, month"
                    con.execute(
                        f"CREATE OR REPLACE VIEW {kind} AS SELECT DISTINCT ON ({keys}) * FROM "
                        f"read_parquet('{root}/{kind}/chunk-*.parquet') ORDER BY {keys}"
                    )
        finally:
            con.close()

    def runs(self) -> pd.DataFrame:
        """All stored runs, one row per run id, sorted by run id."""
        con = self.connect()
        try:
            return con.execute("SELECT * FROM runs ORDER BY run_id").df()
        finally:
            con.close()

    def query(self, sql: str) -> pd.DataFrame:
        con = self.connect()
        try:
            return con.execute(sql).df()
        finally:
            con.close()


def _write_atomic(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.chmod(tmp, 0o644)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_text_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    os.chmod(tmp, 0o644)
    with os.fdopen(fd, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
