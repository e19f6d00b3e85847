"""``jusim screen`` and ``jusim calibrate``: Morris screening and ABC-SMC calibration (issue 21).

Both take a calibration file (``experiments/calibration.toml``; schema in ``jusim.calibration``)
and write into its ``out`` folder; rerunning the same command continues a killed run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jusim.scenario import ScenarioError

FORCE = typer.Option("--force", help="replace another calibration's results in the out folder")


def screen_cmd(
    calibration: Annotated[Path, typer.Argument(help="calibration file (TOML)")],
    force: Annotated[bool, FORCE] = False,
) -> None:
    """Morris screening of every prior on the calibration targets; ranks the factors."""
    from jusim.calibration import load_calibration, screen
    from jusim.cli import console, fail, progress_bar

    try:
        spec = load_calibration(calibration)
        with progress_bar() as bar:
            task = bar.add_task("screening", total=None, rate="")
            ranked = screen(spec, force, progress=lambda: bar.advance(task))
    except ScenarioError as e:
        raise fail(str(e)) from None
    top = ranked[ranked["selected"]]
    seeds = "the same seeds at every point" if spec.screen.crn else "each point's own seed"
    console.print(
        f"screened {len(ranked)} factors on {seeds}; the top {len(top)} (fitted by calibrate):"
    )
    for _, r in top.iterrows():
        console.print(
            f"  {r['rank']:>2}. {r['factor']}  mu*/tolerance {r['max_mu_star_per_tolerance']:.2f}"
            f"  (most on {r['target_most_moved']})"
        )
    console.print(f"tables in {spec.folder}")


def calibrate_cmd(
    calibration: Annotated[Path, typer.Argument(help="calibration file (TOML)")],
    force: Annotated[bool, FORCE] = False,
    report: Annotated[
        bool, typer.Option("--report", help="print the finished results as markdown; run nothing")
    ] = False,
) -> None:
    """ABC-SMC calibration (pyabc) of the fitted parameters to the targets; resumable."""
    from jusim.calibration import calibrate, load_calibration
    from jusim.calibration import report as markdown
    from jusim.cli import console, fail

    try:
        spec = load_calibration(calibration)
        if report:
            print(markdown(spec))
            return
        summary = calibrate(spec, force)
    except ScenarioError as e:
        raise fail(str(e)) from None
    console.print(
        f"{summary['generations']} generations, final epsilon {summary['final_epsilon']:.3g} "
        f"(1 = every target within its tolerance), {summary['simulations']} particles simulated"
    )
    console.print(f"posterior, predictive and identification tables in {spec.folder}")


def register(app: typer.Typer) -> None:
    """Add the calibration commands to the ``jusim`` app."""
    app.command("screen")(screen_cmd)
    app.command("calibrate")(calibrate_cmd)
