"""CLI commands for sweeps: ``jusim sweep``, ``jusim results``, ``jusim sensitivity``,
``jusim discover`` (registered on the main Typer app by ``register``)."""

from __future__ import annotations

import math
import textwrap
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jusim.scenario import ScenarioError


def fail(message: str, code: int = 2) -> typer.Exit:
    """``jusim.cli.fail`` with rich markup escaped (messages contain ``[low, high]`` etc.)."""
    from rich.markup import escape

    from jusim.cli import fail as _fail

    return _fail(escape(message), code)


def _default_out(name: str) -> Path:
    return Path("sweeps") / name


def _fmt(v: object) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, float):
        return "–" if math.isnan(v) else f"{v:.3g}"
    return str(v)


def _plan(file: Path):
    from jusim.experiment.runner import plan_sweep

    try:
        return plan_sweep(file)
    except ScenarioError as e:
        raise fail(str(e)) from None


def _execute(
    plan,
    out: Path,
    workers: int | None,
    scheduler: str | None,
    chunk_size: int | None,
    force: bool = False,
):
    """Run (or resume) the sweep with a progress bar; print a summary; return the report."""
    from rich.markup import escape

    from jusim.cli import console, err_console, progress_bar
    from jusim.experiment.executors import SweepExecutorError, make_executor
    from jusim.experiment.runner import run_sweep

    if workers is not None and workers < 0:
        raise fail(f"--workers {workers}: use 0 (this process) or more")
    try:
        executor = make_executor(workers, scheduler)
    except SweepExecutorError as e:
        raise fail(str(e)) from None
    start = time.perf_counter()
    state: dict = {}

    def on_start(report) -> None:
        state["already"] = report.already
        bar.resume(task, report.already)  # not progress: neither the pace nor the time left
        if report.already:
            err_console.print(f"resuming {out}: {report.already} of {report.total} runs stored")

    def tick(n: int) -> None:
        done = bar.tasks[0].completed + n
        rate = (done - state.get("already", 0)) / max(time.perf_counter() - start, 1e-9)
        bar.update(task, completed=done, rate=f"{rate:.1f} runs/s")

    report = None
    try:
        with progress_bar(transient=False) as bar:
            task = bar.add_task("runs", total=plan.total_runs, rate="")
            report = run_sweep(
                plan,
                out,
                executor,
                chunk_size=chunk_size,
                progress=tick,
                on_start=on_start,
                force=force,
            )
    except ScenarioError as e:
        raise fail(str(e)) from None
    except OSError as e:  # the folder could not be prepared (a full disk, no permission)
        from jusim.safety import describe_os_error

        raise fail(f"could not prepare the output folder {out}: {describe_os_error(e)}") from None
    finally:
        executor.shutdown(cancel=report is None or report.interrupted or not report.complete)
    t = Table(title=f"sweep {plan.experiment.name}", title_justify="left", show_header=False)
    t.add_row("output", str(out))
    t.add_row("executor", report.executor)
    t.add_row("design", f"{plan.experiment.design.kind}, {plan.design.n_points} points")
    t.add_row("replications", str(plan.replications))
    t.add_row("runs stored", f"{report.already + report.done} of {report.total}")
    if report.done or report.failed:
        t.add_row("run now", f"{report.done} in {report.elapsed:.1f} s ({report.rate:.1f} runs/s)")
    else:
        t.add_row("run now", "nothing: every run was already stored")
    if report.failed:
        t.add_row("failed", f"{report.failed} runs")
    console.print(t)
    for msg in report.errors[:5]:
        err_console.print(f"[red]run error:[/] {escape(msg)}", highlight=False)
    _say_notes(report.notes)
    if report.write_error:
        err_console.print(
            f"[red]stopped:[/] {escape(report.write_error)}. {report.already + report.done} of "
            f"{report.total} runs are stored; make room and run the same command again to finish.",
            highlight=False,
        )
        raise typer.Exit(1)
    if report.interrupted:
        err_console.print(
            f"interrupted: {report.already + report.done} of {report.total} runs are stored. "
            "Run the same command again to finish."
        )
        raise typer.Exit(130)
    if not report.complete:
        err_console.print(
            "some runs did not finish; run the same command again to retry only those."
        )
        raise typer.Exit(1)
    console.print(f"query with: jusim results {out}")
    return report


def sweep_cmd(
    file: Annotated[Path, typer.Argument(help="experiment file (TOML)")],
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", "-w", help="local worker processes (default: all cores; 0: none)"
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786"),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="output folder (default: sweeps/NAME)")] = None,
    chunk_size: Annotated[
        int | None, typer.Option(min=1, help="runs per task and per Parquet chunk")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="start afresh a folder holding another sweep")
    ] = False,
) -> None:
    """Run an experiment file's sweep (resumes an interrupted one in the same folder)."""
    plan = _plan(file)
    out = out or _default_out(plan.experiment.name)
    _execute(plan, out, workers, scheduler, chunk_size, force)


def _open_store(folder: Path):
    from jusim.experiment.store import Store

    store = Store(folder)
    if store.damaged_manifest():
        _restore_manifest(store)
    if not store.exists():
        raise fail(
            f"{folder}: not a sweep output folder (no manifest.json); run 'jusim sweep' first"
        )
    try:
        store.manifest()
    except ScenarioError as e:
        raise fail(str(e)) from None
    return store


def _restore_manifest(store) -> None:
    """Rebuild a damaged manifest from the experiment and base scenario kept in the folder,
    if the stored design and runs agree with them; else a one-line error."""
    from jusim.experiment.runner import plan_from_folder

    origin = "experiment.toml and base_scenario.toml in the folder"
    try:
        plan = plan_from_folder(store.out)
    except ScenarioError as e:
        raise fail(
            f"{store.manifest_path}: missing or damaged ({store.manifest_state()}) and it cannot "
            f"be rebuilt from {origin} ({str(e).splitlines()[0][:160]}); run the same 'jusim "
            "sweep' command again to rebuild it"
        ) from None
    try:
        store.restore_manifest(plan.manifest(), plan.design_table(), origin)
    except ScenarioError as e:
        raise fail(str(e)) from None


def _print_df(df, title: str, limit: int, man: dict | None = None) -> None:
    from jusim.cli import console, err_console
    from jusim.tables import print_frame

    meanings: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    units: dict[str, str] = {}
    if man is not None:
        for f in man["factors"]:
            meanings[f] = man["labels"].get(f, "")
            prefixes[f] = "f"
        for m in man["metrics"]:
            info = man.get("metric_info", {}).get(m, {})
            meanings[m] = info.get("description", "")
            units[m] = info.get("unit", "")
            prefixes[m] = "m"
    print_frame(console, df, title, limit, meanings, prefixes, units, err_console)


def results_cmd(
    folder: Annotated[Path, typer.Argument(help="sweep output folder")],
    sql: Annotated[
        str | None,
        typer.Option(help='SQL over views runs, parameters, metrics, design (quote "a.b" names)'),
    ] = None,
    metric: Annotated[
        list[str] | None, typer.Option("--metric", "-m", help="metrics to summarise")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="rows to print")] = 50,
    csv: Annotated[Path | None, typer.Option(help="also write the table to this CSV file")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="overwrite an existing --csv file")
    ] = False,
    describe: Annotated[
        bool,
        typer.Option(
            "--describe", help="say what the folder holds: factors, metrics, units, files"
        ),
    ] = False,
) -> None:
    """Summary per design point (mean of each metric), or the result of an SQL query."""

    from jusim.safety import claim_file

    if csv is not None:
        claim_file(csv, force)
    store = _open_store(folder)
    man = store.manifest()
    store.heal()  # a damaged store: set aside unreadable chunks, rebuild results.duckdb
    said = _say_notes(store.notes)  # what was repaired, and what could not be
    if describe:
        from rich.markdown import Markdown

        from jusim.cli import console
        from jusim.describe import describe_manifest

        console.print(Markdown(describe_manifest(man, len(store.done_ids()))))
        return
    if sql is not None:
        try:
            df = store.query(sql)
        except Exception as e:  # duckdb errors: show the message, not a traceback
            _say_notes(store.notes[said:])
            raise fail(f"query failed: {e}") from None
        title = f"query: {sql}"
    else:
        metrics = metric or man["metrics"][:6]
        bad = [m for m in metrics if m not in man["metrics"]]
        if bad:
            raise fail(f"--metric {bad[0]}: not stored; stored metrics: {man['metrics']}")
        fcols = ", ".join(f'"{f}"' for f in man["factors"])
        mcols = ", ".join(f'avg("{m}") AS "{m}"' for m in metrics)
        df = store.query(
            f"SELECT point, {fcols}, count(*) AS runs, {mcols} FROM runs "
            f"GROUP BY point, {fcols} ORDER BY point"
        )
        stored = int(df["runs"].sum()) if len(df) else 0
        title = (
            f"{man['name']}: mean per design point ({stored} of {man['total_runs']} runs stored, "
            f"jusim {man['jusim_version']})"
        )
    _say_notes(store.notes[said:])  # e.g. answered from the chunks: the database was unwritable
    _print_df(df, title, limit, man)
    if csv is not None:
        df.to_csv(csv, index=False)


def _say_notes(notes: list[str]) -> int:
    """Print the store's notes on stderr; return how many."""
    from rich.markup import escape

    from jusim.cli import err_console

    width = min(err_console.width, 100)
    for note in notes:  # wrapped between words; a long path stays whole
        text = textwrap.fill(
            f"store: {note}",
            width,
            subsequent_indent="  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        err_console.print(escape(text), highlight=False)
    return len(notes)


def sensitivity_cmd(
    file: Annotated[
        Path, typer.Argument(help="experiment file (sobol or morris design) or folder")
    ],
    out: Annotated[Path | None, typer.Option(help="sweep folder (default: sweeps/NAME)")] = None,
    metric: Annotated[list[str] | None, typer.Option("--metric", "-m", help="metrics")] = None,
    workers: Annotated[int | None, typer.Option("--workers", "-w")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address")] = None,
    conf_level: Annotated[float, typer.Option(min=0.5, max=0.999)] = 0.95,
    force: Annotated[
        bool, typer.Option("--force", help="overwrite the sensitivity files of an earlier run")
    ] = False,
) -> None:
    """Sobol or Morris indices with confidence intervals, from stored runs (runs missing ones)."""
    from jusim.cli import console
    from jusim.experiment.sensitivity import SensitivityError, analyze_store, bar_chart
    from jusim.safety import claim_file

    if file.is_dir():
        folder = file
        kind = _open_store(folder).manifest()["design"]["kind"]
    else:
        plan = _plan(file)
        kind = plan.experiment.design.kind
        if kind not in ("sobol", "morris"):
            raise fail(
                f"{file}: field 'design.kind' = \"{kind}\" is not valid for sensitivity: "
                '"sobol" or "morris"'
            )
        folder = out or _default_out(plan.experiment.name)
    for suffix in ("csv", "png") if folder.is_dir() else ():  # earlier results: only with --force
        claim_file(folder / f"sensitivity-{kind}.{suffix}", force, "sensitivity")
    if not file.is_dir():
        from jusim.experiment.store import Store

        store = Store(folder)
        if not store.exists() or len(store.done_ids()) < plan.total_runs:
            _execute(plan, folder, workers, scheduler, None)
    store = _open_store(folder)
    man = store.manifest()
    try:
        table = analyze_store(folder, metric, conf_level)
    except SensitivityError as e:
        raise fail(str(e)) from None
    method = man["design"]["kind"]
    from jusim.experiment.sensitivity import resolution_advice
    from jusim.tables import print_sensitivity

    advice = resolution_advice(table, man)
    print_sensitivity(console, table, method, conf_level, man["labels"], advice)
    csv = folder / f"sensitivity-{method}.csv"
    table.to_csv(csv, index=False)
    png = bar_chart(table, folder / f"sensitivity-{method}.png", man["labels"])
    console.print(f"written: {csv}, {png}")


def discover_cmd(
    folder: Annotated[Path, typer.Argument(help="sweep output folder")],
    metric: Annotated[str, typer.Option("--metric", "-m", help="outcome metric")],
    threshold: Annotated[float, typer.Option("--threshold", "-t", help="success threshold")],
    below: Annotated[
        bool, typer.Option("--below", help="success is metric <= threshold (default >=)")
    ] = False,
    min_coverage: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="least share of successes the box must hold")
    ] = 0.5,
    alpha: Annotated[float, typer.Option(min=0.01, max=0.3, help="PRIM peeling fraction")] = 0.05,
) -> None:
    """Find where in factor space an outcome succeeds (PRIM boxes, in plain words)."""
    from jusim.cli import console
    from jusim.experiment.discovery import discover

    store = _open_store(folder)
    man = store.manifest()
    if metric not in man["metrics"]:
        raise fail(f"--metric {metric}: not stored; stored metrics: {man['metrics']}")
    runs = store.runs()
    if runs.empty:
        raise fail(f"{folder}: no runs stored yet")
    try:
        d = discover(
            runs,
            man["factors"],
            metric,
            threshold,
            below=below,
            labels=man["labels"],
            alpha=alpha,
            min_coverage=min_coverage,
        )
    except ValueError as e:
        raise fail(str(e)) from None
    op = "<=" if below else ">="
    console.print(
        f"Success: {metric} {op} {threshold:g}. Overall {d.success_rate:.0%} of {d.n_runs} runs "
        "succeed."
    )
    console.print(f"[bold]{d.text}[/]", highlight=False)
    from jusim.tables import print_discovery

    print_discovery(console, d.trajectory)
    if d.skipped:
        console.print(f"not searched (not numeric): {', '.join(d.skipped)}")


def register(app: typer.Typer) -> None:
    """Add the sweep commands to the ``jusim`` app."""
    app.command("sweep")(sweep_cmd)
    app.command("results")(results_cmd)
    app.command("sensitivity")(sensitivity_cmd)
    app.command("discover")(discover_cmd)
