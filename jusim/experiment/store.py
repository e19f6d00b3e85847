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

The store heals (:meth:`Store.heal`): the Parquet chunks are the results and ``results.duckdb`` is
only a cache of views over them for other programs, with paths relative to the folder (so a copied
or moved folder keeps working: open it from inside the folder). It is rebuilt (into a temporary
file, then moved into place) whenever it is missing, unreadable or of an older layout, and left
alone when another program holds it locked. jusim itself always queries an in-memory database
whose views name the readable chunks, so ``jusim results`` answers on a read-only folder and
whatever state ``results.duckdb`` is in. A chunk that cannot be read is moved to ``OUT/damaged/``
(its runs are run again on the next resume), or left out when the folder is read-only. A missing
or damaged ``manifest.json`` is rebuilt from the experiment (the sweep command's file, or the
folder's ``experiment.toml`` and ``base_scenario.toml``) only if the stored design and every
stored run agree with it (and ``jusim sweep`` also checks the folder's copies give its hash). A hidden marker ``.jusim-sweep`` is written first, so a folder that a
killed start left half-prepared is recognised as this sweep's and nothing else is taken over.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from jusim.safety import SWEEP_MARKER
from jusim.scenario import ScenarioError

ID_COLUMNS = ("run_id", "point", "replication", "seed", "jusim_version")
DB_NAME = "results.duckdb"
MARKER = SWEEP_MARKER
OURS = {
    MARKER,
    "experiment.toml",
    "manifest.json",
    "design.parquet",
    "chunks",
    "outcomes",
    "system",
    "damaged",
    DB_NAME,
    f"{DB_NAME}.wal",
    "base_scenario.toml",  # written beside the runs (jusim/describe.py)
    "README.md",
}
"""What a sweep writes in its folder (sensitivity files too: ``sensitivity-*``)."""


class StoreError(ScenarioError):
    """A result folder that cannot be used for this experiment."""


class Store:
    """One sweep's output folder."""

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        self.chunks = self.out / "chunks"
        self.notes: list[str] = []
        """What healing did, in plain words (``jusim results`` and ``jusim sweep`` print them)."""
        self._left_out: set[str] = set()  # unreadable chunks that could not be moved aside
        self._manifest: dict[str, Any] | None = None  # rebuilt, when the folder is read-only
        self._healed = False

    # ---- set-up -------------------------------------------------------------------------
    @property
    def manifest_path(self) -> Path:
        return self.out / "manifest.json"

    def exists(self) -> bool:
        return self._manifest is not None or self.manifest_path.exists()

    def manifest_state(self) -> str | None:
        """None if ``manifest.json`` reads as a JSON object; else "missing" or why not."""
        if self._manifest is not None:
            return None
        try:
            man = json.loads(self.manifest_path.read_text())
        except FileNotFoundError:
            return "missing"
        except (OSError, ValueError) as e:
            return str(e)[:120]
        return None if isinstance(man, dict) else "not a JSON object"

    def damaged_manifest(self) -> bool:
        """The manifest is unreadable, or missing from a sweep's folder that holds runs."""
        state = self.manifest_state()
        if state is None:
            return False
        return state != "missing" or ((self.out / MARKER).exists() and bool(self.chunk_files()))

    def manifest(self) -> dict[str, Any]:
        if self._manifest is not None:
            return self._manifest
        state = self.manifest_state()
        if state == "missing":
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
        if state is not None:
            raise StoreError(
                [
                    (
                        str(self.manifest_path),
                        "(file)",
                        state,
                        "the manifest a sweep wrote (valid JSON); run the same sweep command "
                        "again to rebuild it from the stored runs, or run the sweep into a new "
                        "--out folder",
                    )
                ]
            )
        return json.loads(self.manifest_path.read_text())

    def restore_manifest(self, manifest: dict[str, Any], design: pd.DataFrame, origin: str) -> None:
        """Rebuild a missing or damaged ``manifest.json`` from ``manifest`` (what ``origin``, the
        experiment, gives) when the stored design and every stored run agree with it: the same
        columns, design points, factor values and seeds. Raises StoreError naming the first
        disagreement. In a folder that cannot be written the rebuilt manifest is used in memory.
        """
        why = self.manifest_state()
        self.heal_chunks()
        problem = self._disagreement(manifest, design)
        if problem is not None:
            raise StoreError(
                [
                    (
                        str(self.manifest_path),
                        "(file)",
                        why,
                        f"a readable manifest; it cannot be rebuilt from {origin} because the "
                        f"stored runs do not match it ({problem}). Run the sweep into a new --out "
                        "folder (or add --force to start this one afresh)",
                    )
                ]
            )
        versions = {
            v
            for p in self.chunk_files()
            for v in pq.read_table(p, columns=["jusim_version"]).column(0).to_pylist()
        }
        if len(versions) == 1:  # the version the runs were made with, not this one
            manifest = {**manifest, "jusim_version": versions.pop()}
        n = len(self.done_ids())
        what = "missing" if why == "missing" else "damaged"
        try:
            text = json.dumps(manifest, indent=2, sort_keys=True, default=str)
            _write_text_atomic(self.manifest_path, text)
            self.notes.append(
                f"{self.manifest_path} was {what}; rebuilt from {origin} (the design and the "
                f"{n} stored runs agree with it)"
            )
        except OSError as e:
            self._manifest = manifest
            self.notes.append(
                f"{self.manifest_path} is {what}; rebuilt in memory from {origin} (the design "
                f"and the {n} stored runs agree with it) but not written ({e.strerror or e})"
            )

    def _disagreement(self, manifest: dict[str, Any], design: pd.DataFrame) -> str | None:
        """Where the stored design or runs differ from what ``manifest`` describes; None if
        they agree."""
        factors, metrics = list(manifest["factors"]), list(manifest["metrics"])
        reps, seeds = int(manifest["replications"]), list(manifest["seeds"])
        path = self.out / "design.parquet"
        if _readable(path):
            stored = pd.read_parquet(path)
            if list(stored.columns) != list(design.columns) or len(stored) != len(design):
                return "design.parquet has other columns or points"
            for c in design.columns:
                if stored[c].tolist() != design[c].tolist():
                    return f"design.parquet differs in column {c}"
        columns = [*ID_COLUMNS, *factors, *metrics]
        values = design[factors].reset_index(drop=True)
        for p in self.chunk_files():
            runs = pq.read_table(p).to_pandas()
            where = f"chunks/{p.name}"
            if list(runs.columns) != columns:
                return f"{where} has columns {list(runs.columns)[:8]}, not {columns[:8]}"
            point, rep = runs["point"].to_numpy(), runs["replication"].to_numpy()
            if (
                (runs["run_id"].to_numpy() != point * reps + rep).any()
                or (point < 0).any()
                or (point >= len(values)).any()
                or (rep < 0).any()
                or (rep >= reps).any()
            ):
                return f"{where} has run ids, points or replications outside the design"
            if (runs["seed"].to_numpy() != pd.Series(seeds).to_numpy()[rep]).any():
                return f"{where} has other seeds (another master seed)"
            expected = values.iloc[point].reset_index(drop=True)
            for f in factors:
                if runs[f].tolist() != expected[f].tolist():
                    return f"{where} has other values of factor {f}"
        return None

    def _wipe(self) -> None:
        """Remove what a sweep wrote here (``--force`` over a different experiment's store)."""
        for p in self.out.iterdir():
            if p.name in OURS or p.name.startswith(("sensitivity-", ".tmp-")):
                shutil.rmtree(p) if p.is_dir() else p.unlink()

    def prepare(
        self,
        manifest: dict[str, Any],
        experiment_file: Path | None,
        design: pd.DataFrame,
        force: bool = False,
    ) -> bool:
        """Create the folder, or check it belongs to the same experiment. True if resuming.

        A folder of another experiment is started afresh only with ``force``; a folder holding
        files no sweep wrote is refused.
        """
        if self.damaged_manifest():
            if force:
                foreign = self._foreign()
                if foreign:
                    raise StoreError(self._foreign_problem(foreign))
                self._wipe()
            else:
                self.restore_manifest(manifest, design, "the experiment file")
        if self.exists() and force and self.manifest().get("hash") != manifest["hash"]:
            foreign = self._foreign()
            if foreign:
                raise StoreError(self._foreign_problem(foreign))
            self._wipe()
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
                            f"{manifest['hash'][:12]}). Use a new --out folder, or add --force to "
                            "start this folder afresh",
                        )
                    ]
                )
            self._clean_temp()
            self._heal_design(design)
            return True
        if self.out.exists() and not self.out.is_dir():
            raise StoreError([(str(self.out), "--out", str(self.out), "a folder (this is a file)")])
        foreign = self._foreign()
        if foreign:
            raise StoreError(self._foreign_problem(foreign))
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / MARKER).touch()
        self.chunks.mkdir(parents=True, exist_ok=True)
        if experiment_file is not None and Path(experiment_file).exists():
            shutil.copyfile(experiment_file, self.out / "experiment.toml")
        _write_atomic(
            self.out / "design.parquet", pa.Table.from_pandas(design, preserve_index=False)
        )
        text = json.dumps(manifest, indent=2, sort_keys=True, default=str)
        _write_text_atomic(self.manifest_path, text)
        return False

    def _heal_design(self, design: pd.DataFrame) -> None:
        """Rewrite a missing or unreadable ``design.parquet`` on resume. The design is a pure
        function of the experiment, whose hash matches the manifest's, so it is the same table."""
        path = self.out / "design.parquet"
        if _readable(path):
            return
        state = "missing" if not path.exists() else "unreadable"
        _write_atomic(path, pa.Table.from_pandas(design, preserve_index=False))
        self.notes.append(f"{path} was {state}; rewritten from the experiment (same hash)")

    def _foreign(self) -> list[str]:
        """Names in the folder this sweep did not write (a half-prepared start is ours)."""
        if not self.out.is_dir():
            return []
        names = [p.name for p in self.out.iterdir() if not p.name.startswith(".tmp-")]
        if MARKER in names:  # a sweep's folder (possibly left half-prepared by a killed start)
            return sorted(n for n in names if n not in OURS and not n.startswith("sensitivity-"))
        return sorted(names)  # not a sweep's folder: it must be empty

    def _foreign_problem(self, foreign: list[str]) -> list[tuple[str, str, Any, str]]:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        return [
            (
                str(self.out),
                "--out",
                str(self.out),
                f"a new or empty folder, or one a sweep wrote (this one holds {shown}); "
                "nothing of yours is overwritten",
            )
        ]

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
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("chunk-*.parquet") if p.name not in self._left_out)

    def done_ids(self) -> set[int]:
        """Run ids already stored (unreadable chunks are set aside first, see ``heal``)."""
        self.heal_chunks()
        done: set[int] = set()
        for p in self.chunk_files():
            done.update(pq.read_table(p, columns=["run_id"]).column(0).to_pylist())
        return done

    def heal_chunks(self) -> None:
        """Move unreadable chunks to ``damaged/`` (with their run rows, so the runs are redone);
        in a folder that cannot be written they stay where they are and are left out."""
        bad: set[str] = set()
        for kind in ("chunks", "outcomes", "system"):
            for p in self.chunk_files(kind):
                try:
                    pq.ParquetFile(p).metadata  # noqa: B018 - reads the footer
                except Exception as e:  # any unreadable file: set it aside
                    bad.add(p.name)
                    self.notes.append(f"{kind}/{p.name} was unreadable ({str(e)[:80]})")
        if not bad:
            return
        damaged = self.out / "damaged"
        try:
            damaged.mkdir(exist_ok=True)
            for kind in ("chunks", "outcomes", "system"):
                for name in bad:
                    p = self.out / kind / name
                    if p.exists():
                        os.replace(p, damaged / f"{kind}-{name}")
        except OSError as e:
            self._left_out |= bad
            self.notes.append(
                f"could not move {len(bad)} unreadable chunk(s) to {damaged} "
                f"({e.strerror or e}); their runs are left out of the answers"
            )
            return
        self.notes.append(
            f"moved {len(bad)} unreadable chunk(s) to {damaged}; their runs count as not done "
            "and run again when the sweep is resumed"
        )

    def heal(self) -> list[str]:
        """Set aside unreadable chunks and bring ``results.duckdb`` up to date (rebuilt when it
        is missing, unreadable or of an older layout, left alone when another program holds it
        or the folder is read-only); what was done, in words."""
        self._healed = True
        self.heal_chunks()
        design = self.out / "design.parquet"
        if not _readable(design):
            self.notes.append(
                f"{design} is missing or unreadable (the runs' tables do not need it); run the "
                "same sweep command again to rewrite it"
            )
        db = self.out / DB_NAME
        state = _db_state(db)
        if state is not None and ("set lock" in state or "Conflicting lock" in state):
            self.notes.append(
                f"{db} is locked by another program and was left as it is; answered from the "
                "Parquet chunks directly"
            )
            return self.notes
        if state is not None and state != "missing":
            self.notes.append(f"{db} was {state}")
        if (state is not None or not self._db_current(db)) and self.refresh_views():
            if state == "missing":
                self.notes.append(f"{db} was missing; rebuilt from the Parquet chunks")
            elif state is not None:
                self.notes.append(
                    f"rebuilt {db} from {len(self.chunk_files())} Parquet chunk(s) (it only "
                    "holds views over them)"
                )
        return self.notes

    def design(self) -> pd.DataFrame:
        return pd.read_parquet(self.out / "design.parquet")

    def connect(self, refresh: bool = True):
        """An in-memory DuckDB connection with the store's views over its readable Parquet
        files (absolute paths). It writes nothing, so it answers on a read-only store and
        whatever state ``results.duckdb`` is in; ``refresh`` also brings that file up to date
        for other programs (``heal``)."""
        import duckdb

        if refresh and not self._healed:
            self.heal()
        con = duckdb.connect(":memory:")
        for sql in self._view_sql(relative=False):
            con.execute(sql)
        return con

    def _db_current(self, db: Path) -> bool:
        """``results.duckdb`` opens and holds the views this folder's files call for."""
        import duckdb

        try:
            con = duckdb.connect(str(db), read_only=True)
        except (duckdb.Error, OSError):
            return False
        try:
            row = con.execute(
                "SELECT comment FROM duckdb_views() WHERE view_name = 'runs' AND NOT internal"
            ).fetchone()
        except duckdb.Error:
            return False
        finally:
            con.close()
        return row is not None and row[0] == self._signature()

    def _signature(self) -> str:
        import hashlib

        text = "\n".join(self._view_sql(relative=True))
        return f"jusim store views {hashlib.sha256(text.encode()).hexdigest()[:16]}"

    def refresh_views(self) -> bool:
        """(Re)build ``results.duckdb``: views over this folder's files by paths relative to
        the folder, so a moved or copied folder keeps working (open it from inside the folder,
        or ``SET file_search_path`` to it first).

        Built in a temporary file and moved into place, so a failed write (a full disk) never
        leaves a truncated database; on failure the old file is removed if it is unreadable and
        a note is kept. True if the file was written.
        """
        import duckdb

        self.heal_chunks()
        db = self.out / DB_NAME
        tmp = self.out / f".tmp-{os.getpid()}-{time.monotonic_ns()}.duckdb"
        root = self.out.resolve().as_posix().replace("'", "''")
        try:
            # the file format of DuckDB 1.0, so every DuckDB the project declares reads it
            con = duckdb.connect(str(tmp), config={"storage_compatibility_version": "v1.0.0"})
            try:
                con.execute(f"SET file_search_path = '{root}'")  # views bind relative paths
                for sql in self._view_sql(relative=True):
                    con.execute(sql)
                con.execute(f"COMMENT ON VIEW runs IS '{self._signature()}'")
                con.execute("CHECKPOINT")
            finally:
                con.close()
            os.replace(tmp, db)
            Path(f"{db}.wal").unlink(missing_ok=True)
            return True
        except (duckdb.Error, OSError) as e:
            self.notes.append(
                f"could not write {db} ({str(e).splitlines()[0][:80]}); answered from the "
                "Parquet chunks directly"
            )
            with contextlib.suppress(OSError):
                if _db_state(db) is not None:
                    db.unlink(missing_ok=True)
                    Path(f"{db}.wal").unlink(missing_ok=True)
            return False
        finally:
            for leftover in (tmp, Path(f"{tmp}.wal")):
                with contextlib.suppress(OSError):  # a read-only folder: nothing was made
                    leftover.unlink(missing_ok=True)

    def _view_sql(self, relative: bool) -> list[str]:
        """The statements creating the views: over files named relative to the folder (for
        ``results.duckdb``, globs so later chunks count) or by absolute path (one connection's
        views over exactly the readable files)."""
        man = self.manifest()
        factors = man["factors"]
        metrics = man["metrics"]
        root = self.out.resolve()

        def source(kind: str) -> str | None:
            files = self.chunk_files(kind)
            if not files:
                return None
            if relative:
                return f"read_parquet('{kind}/chunk-*.parquet')"
            return "read_parquet([" + ", ".join(_quote(root / kind / p.name) for p in files) + "])"

        stmts = []
        has_design = _readable(self.out / "design.parquet")  # else heal() says how to restore it
        if has_design:
            design = "'design.parquet'" if relative else _quote(root / "design.parquet")
            stmts.append(f"CREATE OR REPLACE VIEW design AS SELECT * FROM read_parquet({design})")
        runs = source("chunks")
        if runs is None:
            # an empty but well-typed view, so queries work before the first chunk lands
            cols = ", ".join(
                [
                    "NULL::BIGINT AS run_id",
                    "NULL::BIGINT AS point",
                    "NULL::BIGINT AS replication",
                    "NULL::BIGINT AS seed",
                    "NULL::VARCHAR AS jusim_version",
                ]
                + [f'd."{f}" AS "{f}"' if has_design else f'NULL AS "{f}"' for f in factors]
                + [f'NULL::DOUBLE AS "{m}"' for m in metrics]
            )
            frm = "design d WHERE false" if has_design else "(SELECT 1) WHERE false"
            stmts.append(f"CREATE OR REPLACE VIEW runs AS SELECT {cols} FROM {frm}")
        else:
            stmts.append(
                f"CREATE OR REPLACE VIEW runs AS SELECT DISTINCT ON (run_id) * FROM {runs} "
                "ORDER BY run_id"
            )
        fcols = ", ".join(f'"{f}"' for f in factors)
        stmts.append(
            "CREATE OR REPLACE VIEW parameters AS SELECT run_id, point, replication, seed, "
            f"{fcols} FROM runs"
        )
        mcols = ", ".join(f'"{m}"' for m in metrics)
        stmts.append(
            "CREATE OR REPLACE VIEW metrics AS SELECT run_id, point, replication, metric, value "
            f"FROM (UNPIVOT (SELECT run_id, point, replication, {mcols} FROM runs) "
            f"ON {mcols} INTO NAME metric VALUE value)"
        )
        for kind in ("outcomes", "system"):
            src = source(kind)
            if src is not None:
                keys = "run_id, month, outcome" if kind == "outcomes" else "run_id, month"
                stmts.append(
                    f"CREATE OR REPLACE VIEW {kind} AS SELECT DISTINCT ON ({keys}) * FROM "
                    f"{src} ORDER BY {keys}"
                )
        return stmts

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


def _quote(path: Path) -> str:
    return "'" + path.as_posix().replace("'", "''") + "'"


def _readable(path: Path) -> bool:
    """A Parquet file that can be read."""
    try:
        pq.read_metadata(path)
        return True
    except Exception:  # any failure (missing, truncated, not Parquet) means not readable
        return False


def _db_state(db: Path) -> str | None:
    """None if ``results.duckdb`` opens; else "missing" or "unreadable (reason)"."""
    import duckdb

    if not db.exists():
        return "missing"
    try:
        duckdb.connect(str(db), read_only=True).close()
    except (duckdb.Error, OSError) as e:
        return f"unreadable ({str(e).splitlines()[0][:80]})"
    return None


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
