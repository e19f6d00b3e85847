"""The ``jusim`` command: run, compare and list scenarios.

Other doors plug their commands in through a ``register(app)`` function: the sweep commands
(``jusim.experiment.commands``) and the dashboard (``jusim.dashboard.commands``).
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from jusim.safety import COMPARE_FILES, RUN_FILES, SafeGroup, claim_folder
from jusim.scenario import ScenarioError

app = typer.Typer(
    cls=SafeGroup,  # no traceback for a user's mistake (jusim/safety.py)
    help="jusim: simulate joined-up government and compare policy scenarios with silo behaviour.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)


def _flags_without_type() -> None:
    """Typer >= 0.2x prints ``--json <bool>`` for on/off flags; show flags as flags."""
    from typer.core import TyperOption

    show_type = TyperOption.display_type_rich
    if getattr(show_type, "_jusim", False):
        return

    def display_type_rich(self, ctx):  # type: ignore[no-untyped-def]
        return None if self.is_flag else show_type(self, ctx)

    display_type_rich._jusim = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_without_type()


def _print_version(value: bool) -> None:
    if value:
        import jusim

        console.print(f"jusim {jusim.__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print jusim's version."
        ),
    ] = False,
) -> None:
    """jusim: simulate joined-up government and compare policy scenarios with silo behaviour."""


def fail(message: str, code: int = 2) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


def progress_bar(transient: bool = True, estimate: bool = True) -> Progress:
    """A bar on a terminal; piped, a plain line on stderr every few seconds. ``estimate``:
    show the time left (for work in units of about equal size)."""
    from rich.progress import TimeElapsedColumn

    from jusim.tables import LineProgress

    return LineProgress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn() if estimate else TimeElapsedColumn(),
        console=err_console,
        transient=transient,
        disable=not err_console.is_terminal,
        estimate=estimate,
    )


@app.command("run")
def run_cmd(
    file: Annotated[str, typer.Argument(help="scenario file or shipped scenario name")],
    seed: Annotated[int, typer.Option(min=0, help="random seed")] = 0,
    out: Annotated[Path | None, typer.Option(help="folder for tidy tables (Parquet)")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="overwrite the tables of an earlier run in --out")
    ] = False,
) -> None:
    """Run one scenario once and print its summary at the horizon."""
    import jusim

    if out is not None:
        claim_folder(out, RUN_FILES, force)
    try:
        result = jusim.run(file, seed=seed)
    except ScenarioError as e:
        raise fail(str(e)) from None
    from jusim.metrics import metric_info
    from jusim.tables import Col, quantity, show

    show(
        console,
        f"{result.scenario} (seed {seed}), at the horizon (month {result.months[-1]})",
        [Col("metric", kind="name"), Col("value"), Col("unit", kind="text")],
        [(k, quantity(v), metric_info(k).unit) for k, v in result.summary().items()],
    )
    if out is not None:
        from jusim.describe import write_parquet  # fields carry unit and description

        write_parquet(result.outcome_table(), out / "outcomes.parquet")
        write_parquet(result.agency_table(), out / "agencies.parquet")
        write_parquet(result.system_table(), out / "system.parquet")
        console.print(f"tables written to {out}/")


@app.command("compare")
def compare_cmd(
    files: Annotated[
        list[str] | None,
        typer.Argument(help="scenario files or names (default: every shipped scenario)"),
    ] = None,
    baseline: Annotated[str, typer.Option(help="baseline scenario")] = "silo",
    replications: Annotated[
        int | None,
        typer.Option(
            min=2, help="paired seeds per parameter draw (default: 3 with an ensemble, 30 without)"
        ),
    ] = None,
    seed: Annotated[int, typer.Option(min=0, help="master seed")] = 0,
    ensemble: Annotated[
        str,
        typer.Option(
            help="parameter draws: default (the shipped posterior ensemble), none (one parameter "
            "set, chance only) or an ensemble CSV file"
        ),
    ] = "default",
    draws: Annotated[
        int | None, typer.Option(min=1, help="ensemble draws to run (default: 10)")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="folder for tables and a figure")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON records")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="overwrite the files of an earlier comparison in --out")
    ] = False,
    brief: Annotated[
        Path | None, typer.Option(help="also write a one-page brief (self-contained HTML)")
    ] = None,
    question: Annotated[
        str | None, typer.Option(help="the question the brief answers (default: generated)")
    ] = None,
    brief_explain: Annotated[
        list[str] | None,
        typer.Option(
            "--brief-explain",
            help="a compared scenario whose 'why' chart the brief shows (jusim explain against "
            "the baseline; repeat for several). Costly: up to 2^8 x 2 x --explain-replications "
            "runs each",
        ),
    ] = None,
    explain_replications: Annotated[
        int, typer.Option(min=2, help="paired replications per coalition for --brief-explain")
    ] = 3,
    brief_packages: Annotated[
        Path | None,
        typer.Option(
            "--brief-packages",
            help="the --out folder of a finished `jusim search`: the brief lists its robust "
            "packages",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            min=1,
            help="processes (default: one per core, for 100 runs or more each; 1: this process)",
        ),
    ] = None,
) -> None:
    """Compare scenarios with the baseline on the same parameter draws and seeds: attainment,
    difference, cost."""
    import time

    from jusim.analysis.compare import compare
    from jusim.ensemble import design
    from jusim.scenario import scenario_dir

    if out is not None:
        claim_folder(out, COMPARE_FILES, force)
    if brief is not None:
        from jusim.safety import claim_file

        claim_file(brief, force, "--brief")
    if not files:
        files = [
            str(p)
            for p in sorted(scenario_dir().glob("*.toml"))
            if p.stem not in ("default_world",)
        ]
    try:
        from jusim import as_scenario

        arms = [as_scenario(f) for f in files]
        base = as_scenario(baseline)
        ens, replications, note = design(ensemble, draws, replications)
    except ScenarioError as e:
        raise fail(str(e)) from None
    names = [a.name for a in arms if a.name != base.name]
    if brief_packages is not None:
        from jusim.brief import read_packages

        if brief is None:
            raise fail("--brief-packages: also give --brief FILE.html (the list is for the brief)")
        try:
            read_packages(brief_packages)  # before the runs: a bad folder fails at once
        except (ValueError, ScenarioError) as e:
            raise fail(str(e)) from None
    for name in brief_explain or []:
        if brief is None:
            raise fail("--brief-explain: also give --brief FILE.html (the chart is for the brief)")
        if name not in names:
            raise fail(f"--brief-explain {name}: use one of the compared scenarios {names}")
    n_draws = 1 if ens is None else len(ens)
    total = n_draws * replications * (1 + sum(a.name != base.name for a in arms))
    if workers is None:
        from jusim.analysis.compare_parts import default_workers

        workers = default_workers(total)
    if workers > 1:
        from jusim.experiment.executors import start_worker_server

        start_worker_server()  # it loads jusim while this process prepares the runs
    first: list[tuple[float, float]] = []  # (time, runs done) at the end of each first part
    # parts that run side by side end in bunches, so a time left would swing from far too short
    # to far too long: with workers, the elapsed time and the pace instead
    with progress_bar(estimate=workers == 1) as bar:
        task = bar.add_task("runs", total=total, rate="")

        def tick(n: int) -> None:
            # the pace from the end of the first part of each worker on: start-up (imports,
            # building the worlds, compiling, starting the workers) is not run time
            now, done = time.perf_counter(), bar.tasks[0].completed + n
            if len(first) < workers:
                first.append((now, done))
                bar.update(task, advance=n)
                return
            rate = (done - first[-1][1]) / max(now - first[-1][0], 1e-9)
            bar.update(task, advance=n, rate=f"{rate:.0f} runs/s")

        try:
            result = compare(
                arms,
                baseline=base,
                replications=replications,
                seed=seed,
                progress=tick,
                ensemble=ens,
                workers=workers,
            )
        except ValueError as e:
            raise fail(str(e)) from None
    result.note = result.note or note
    if as_json:
        json.dump(result.records(), sys.stdout, indent=2)
        sys.stdout.write("\n")
        if result.note:
            err_console.print(f"note: {escape(result.note)}", highlight=False)
    else:
        _print_comparison(result, replications, seed)
    if out is not None:
        paths = result.write(out)
        (console if not as_json else err_console).print(
            "written: " + ", ".join(str(p) for p in paths)
        )
    if brief is not None:
        from jusim.brief import write_brief

        shown = [base, *[a for a in arms if a.name != base.name]]
        explanations = _brief_explanations(
            [a for a in shown if a.name in (brief_explain or [])], base, explain_replications, seed
        )
        path = write_brief(result, shown, brief, question, explanations, brief_packages)
        (console if not as_json else err_console).print(f"brief: {path}", soft_wrap=True)


def _brief_explanations(scenarios: list, base, replications: int, seed: int) -> list:
    """``jusim explain`` of each scenario against the baseline (one seed, no ensemble draws),
    for the brief's "why" charts; runs shared between scenarios are run once."""
    from jusim.analysis.explain import explain

    out: list = []
    cache: dict = {}
    for scenario in scenarios:
        with progress_bar() as bar:
            task = bar.add_task(f"why: {scenario.name}", total=None, rate="")

            def tick(done: int, total: int, task=task, bar=bar) -> None:
                bar.update(task, completed=done, total=total)

            ex = explain(
                scenario, base, replications=replications, seed=seed, progress=tick, cache=cache
            )
        err_console.print(f"why {scenario.name}: {ex.cost_note()}", highlight=False)
        out.append(ex)
    return out


def _print_comparison(result, replications: int, seed: int) -> None:
    from jusim.tables import print_comparison, print_ensemble_comparison, print_lines

    if result.ensemble is not None:
        print_ensemble_comparison(console, result, seed)
    else:
        print_comparison(console, result, replications, seed)
    if result.note:
        print_lines(console, f"Note: {result.note}.")


@app.command("scenarios")
def scenarios_cmd() -> None:
    """List the shipped scenario files and the registered interventions."""
    from jusim.interventions import REGISTRY
    from jusim.scenario import read_toml, scenario_dir
    from jusim.tables import print_scenarios

    rows = []
    for p in sorted(scenario_dir().glob("*.toml")):
        try:
            desc = read_toml(p).get("description", "")
        except ScenarioError as e:
            desc = f"invalid: {e}"
        rows.append((p.stem, desc))
    ivs = [(name, cls.summary) for name, cls in sorted(REGISTRY.items())]
    print_scenarios(console, scenario_dir(), rows, ivs)


@app.command("validate")
def validate_cmd(
    replications: Annotated[int, typer.Option(min=3, help="paired replications")] = 30,
    seed: Annotated[int, typer.Option(help="master seed")] = 2026,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON records")] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, help="processes (default: one per core)"),
    ] = None,
) -> None:
    """Check the stylized facts from the evidence: effect sizes with 95% intervals."""
    from jusim.analysis.validation import FAMILIES, validate

    # families differ in size (a few runs to hundreds), so no time estimate: counts and elapsed
    with progress_bar(transient=True, estimate=False) as bar:
        task = bar.add_task(
            f"families of experiments ({replications} replications)", total=len(FAMILIES), rate=""
        )
        effects = validate(
            replications=replications,
            seed=seed,
            workers=workers,
            progress=lambda n: bar.advance(task, n),
        )
    if as_json:
        json.dump([e.as_dict() for e in effects], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    from jusim.tables import print_validation

    print_validation(console, effects, replications, seed)


def _register_plugins() -> None:
    for module in (
        "jusim.experiment.commands",
        "jusim.dashboard.commands",
        "jusim.network_commands",
        # --- issue 22: jusim explain (and later jusim search) --------------------------------
        "jusim.analysis.explain_commands",
        "jusim.analysis.search_commands",
        # --- end issue 22 ---------------------------------------------------------------------
        # --- issue 21, calibration helper: jusim screen / jusim calibrate ---
        "jusim.calibration_commands",
        # --- end issue 21 calibration ---
    ):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name and module.startswith(e.name):
                continue
            raise
        mod.register(app)


_register_plugins()

if __name__ == "__main__":  # pragma: no cover
    app()
