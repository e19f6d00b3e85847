"""``jusim search``: robust package search with pymoo (registered on the main Typer app by
``register``)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from jusim.scenario import ScenarioError


def search_cmd(
    file: Annotated[Path, typer.Argument(help="search file (SEARCH.toml)")],
    out: Annotated[
        Path | None,
        typer.Option(help="folder for the Pareto set and the checkpoint (default searches/NAME)"),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="start over in --out, deleting an earlier search there")
    ] = False,
    ensemble: Annotated[
        str,
        typer.Option(
            help="parameter draws every package runs on: none (the file's seeds only), default "
            "(the shipped posterior ensemble) or an ensemble CSV file; each draw runs the file's "
            "replications seeds",
        ),
    ] = "none",
    draws: Annotated[
        int | None, typer.Option(min=1, help="ensemble draws to run (default: 10)")
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=0, help="processes running a generation's packages side by side (0: this one)"
        ),
    ] = 0,
    scheduler: Annotated[
        str | None,
        typer.Option(help="a Dask scheduler's address (host:port) to run the packages on instead"),
    ] = None,
) -> None:
    """Search packages of interventions for robust attainment within a cost limit (NSGA-II).

    Resumes from the checkpoint in --out when run again with the same file."""
    from jusim.analysis.samples import samples
    from jusim.analysis.search import SEARCH_FILES, load_search, search
    from jusim.cli import console, err_console, fail
    from jusim.tables import Col, Est, show

    try:
        spec = load_search(file)
        design = samples(spec.seed, spec.replications, ensemble, draws, source="jusim search")
    except ScenarioError as e:
        raise fail(str(e)) from None
    if design.note:
        err_console.print(f"note: {design.note}", highlight=False)
    out = out or Path("searches") / spec.name
    if out.exists() and not out.is_dir():
        raise fail(f"--out {out}: is a file; give a folder")
    if out.is_dir():
        present = sorted(p.name for p in out.iterdir())
        foreign = [n for n in present if n not in SEARCH_FILES and not n.endswith(".tmp")]
        if foreign:
            raise fail(
                f"--out {out}: holds files jusim search did not write ({', '.join(foreign[:3])}); "
                "give a new or empty folder"
            )
        if force:
            for name in present:
                p = out / name
                shutil.rmtree(p) if p.is_dir() else p.unlink()
        elif present and "checkpoint.pkl" not in present:
            raise fail(f"--out {out}: holds an earlier search's files; add --force to start over")

    def tick(gen: int, total: int) -> None:
        err_console.print(f"generation {gen} of {total}", highlight=False)

    from jusim.experiment.executors import make_executor

    try:
        executor = make_executor(workers, scheduler) if (workers or scheduler) else None
    except Exception as e:  # an unreachable scheduler, a missing dask
        raise fail(f"--scheduler {scheduler}: {e}") from None
    try:
        result = search(spec, out, progress=tick, ensemble=design.ensemble, executor=executor)
    except ScenarioError as e:
        raise fail(str(e)) from None
    finally:
        if executor is not None:
            executor.shutdown()
    rows = [
        [
            r.id.rsplit("_", 1)[-1],
            r.package,
            Est(r.p10_attainment, float("nan"), float("nan")),
            Est(r.cost_per_case, float("nan"), float("nan"), digits=0),
            Est(r.regret, float("nan"), float("nan")),
            Est(r.extra_spend, float("nan"), float("nan"), digits=0),
        ]
        for r in result.pareto.itertuples()
    ]
    cols = [
        Col("#", kind="name"),
        Col("package", kind="text"),
        Col("p10 attainment", short="p10", meaning="10th percentile of attainment over samples"),
        Col("£k per case", short="£k/case", meaning="mean cost per case resolved"),
        Col("regret", meaning="90th percentile shortfall from the best package per sample"),
        Col("extra £m", short="£m", meaning="mean extra spend on the outcome over the run"),
    ]
    show(
        console,
        f"{spec.name}: Pareto set for {spec.outcome} at month {result.horizon} "
        f"(cost limit £{spec.cost_limit:g}m; {result.samples} per package)",
        cols,
        rows,
        notes=[
            f"{len(result.evaluations)} packages evaluated, {result.runs:,} runs in this call, "
            f"{result.generations} generations"
            + (f" (resumed after {result.resumed_from})" if result.resumed_from else "")
            + f", {result.seconds:.0f} s. Written to {out}/: pareto.csv, pareto.png, "
            "evaluations.csv, packages/*.toml."
        ],
    )


def register(app: typer.Typer) -> None:
    app.command("search")(search_cmd)
