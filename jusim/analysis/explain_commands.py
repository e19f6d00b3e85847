"""``jusim explain``: why a scenario beats its baseline, by mechanism group (registered on the
main Typer app by ``register``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from jusim.scenario import ScenarioError

EXPLAIN_FILES = ("explain.csv", "explain.png")


def explain_cmd(
    scenario: Annotated[str, typer.Argument(help="scenario file or shipped scenario name")],
    baseline: Annotated[str, typer.Option(help="baseline scenario")] = "silo",
    outcome: Annotated[
        list[str] | None,
        typer.Option(
            "--outcome",
            "-o",
            help="outcome to explain; repeat for several (default: the "
            "outcomes the scenario's interventions name)",
        ),
    ] = None,
    replications: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="paired seeds per coalition, arm and parameter draw (default: 10 without an "
            "ensemble, 3 with one)",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(min=0, help="master seed")] = 0,
    group: Annotated[
        list[str] | None,
        typer.Option(
            "--group",
            "-g",
            help="mechanism group to put in play; repeat (default: all; the others stay on)",
        ),
    ] = None,
    permutations: Annotated[
        int, typer.Option(min=1, help="random orders sampled when more than 8 groups are in play")
    ] = 64,
    ensemble: Annotated[
        str,
        typer.Option(
            help="parameter draws: none (one parameter set, chance only), default (the shipped "
            "posterior ensemble) or an ensemble CSV file; each draw multiplies the runs",
        ),
    ] = "none",
    draws: Annotated[
        int | None, typer.Option(min=1, help="ensemble draws to run (default: 10)")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="folder for the table (CSV) and a chart")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON records")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="overwrite the files of an earlier explain in --out")
    ] = False,
) -> None:
    """Why does SCENARIO beat the baseline? Shapley contributions of mechanism groups."""
    import jusim
    from jusim.analysis.explain import EXACT_MAX, GROUP_KEYS, explain, players
    from jusim.analysis.explain_view import explain_figure, print_explanation
    from jusim.analysis.samples import samples
    from jusim.cli import console, err_console, fail, progress_bar
    from jusim.safety import claim_folder

    for g in group or []:
        if g not in GROUP_KEYS:
            raise fail(f"--group {g}: use one of {', '.join(GROUP_KEYS)}")
    if out is not None:
        claim_folder(out, EXPLAIN_FILES, force)
    try:
        k = len(players(jusim.as_scenario(scenario), jusim.as_scenario(baseline), group))
        design = samples(seed, replications, ensemble, draws, source="jusim explain")
    except ScenarioError as e:
        raise fail(str(e)) from None
    if design.size < 2:
        raise fail(f"--replications {design.seeds_per_draw}: need >= 2 samples (draws x seeds)")
    if design.note:
        err_console.print(f"note: {design.note}", highlight=False)
    combos = 2**k if k <= EXACT_MAX else f"up to {permutations * k + 1}"
    err_console.print(
        f"{k} groups in play: {combos} combinations x 2 arms x {design.label()}",
        highlight=False,
    )
    with progress_bar() as bar:
        task = bar.add_task("runs", total=None, rate="")

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            ex = explain(
                scenario,
                baseline,
                outcomes=outcome,
                replications=design.seeds_per_draw,
                seed=seed,
                groups=group,
                ensemble=design.ensemble,
                permutations=permutations,
                progress=tick,
            )
        except ScenarioError as e:
            raise fail(str(e)) from None
    if as_json:
        json.dump(ex.records(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_explanation(console, ex)
    if out is not None:
        import matplotlib.pyplot as plt

        ex.table().to_csv(out / EXPLAIN_FILES[0], index=False)
        fig = explain_figure(ex)
        fig.savefig(out / EXPLAIN_FILES[1], dpi=120, bbox_inches="tight")
        plt.close(fig)
        (err_console if as_json else console).print(
            f"written: {out / EXPLAIN_FILES[0]}, {out / EXPLAIN_FILES[1]}", soft_wrap=True
        )


def register(app: typer.Typer) -> None:
    app.command("explain")(explain_cmd)
