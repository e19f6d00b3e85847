"""``jusim network``: the staff tie network of a scenario at chosen months, as GraphML and
measures (registered on the main Typer app by ``register``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jusim.scenario import ScenarioError


def network_cmd(
    scenario: Annotated[str, typer.Argument(help="scenario file or shipped scenario name")],
    month: Annotated[
        list[int] | None,
        typer.Option("--month", "-m", help="month (0 = start); repeat for several"),
    ] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 0,
    out: Annotated[
        Path | None,
        typer.Option(help="GraphML file to write (several months: FILE-mMONTH.graphml)"),
    ] = None,
    betweenness: Annotated[
        bool,
        typer.Option(
            "--betweenness", help="also betweenness of secondees and boundary spanners (slower)"
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="overwrite existing GraphML files at --out")
    ] = False,
) -> None:
    """The staff tie network at chosen months: measures, and GraphML for Gephi or networkx."""
    import jusim
    from jusim.cli import console, fail
    from jusim.metrics import metric_info
    from jusim.network import (
        MEASURES,
        betweenness_by_role,
        graph_measures,
        networks_at,
        write_graphml,
    )
    from jusim.safety import claim_file
    from jusim.tables import Col, print_lines, show

    if out is not None and out.suffix.lower() != ".graphml":
        raise fail(f"--out {out}: give a file name ending in .graphml")
    try:
        sc = jusim.as_scenario(scenario)
        months = list(dict.fromkeys(month or [sc.horizon]))
        paths = {
            m: out if len(months) == 1 else out.with_name(f"{out.stem}-m{m}{out.suffix}")
            for m in months
            if out is not None
        }
        for path in paths.values():  # before any run: an existing file only with --force
            claim_file(path, force, "--out")
        graphs = networks_at(sc, months, seed)
    except ScenarioError as e:
        raise fail(str(e)) from None
    values: dict[int, dict[str, float]] = {}
    written = []
    for m, g in graphs.items():
        values[m] = {"ties": g.number_of_edges(), **graph_measures(g)}
        if betweenness:
            values[m].update(betweenness_by_role(g))
        if m in paths:
            written.append(write_graphml(g, paths[m]))
    names = ["ties", *MEASURES] + ([*_BETWEENNESS] if betweenness else [])
    rows = [[k, *[values[m][k] for m in graphs]] for k in names]
    cols = [Col("measure", kind="name"), *[Col(f"month {m}") for m in graphs]]
    show(console, f"{sc.name}: staff tie network (seed {seed})", cols, rows)
    for k in names:
        meaning = _BETWEENNESS.get(k) or metric_info(k).description if k != "ties" else ""
        unit = "cross-agency staff ties" if k == "ties" else metric_info(k).unit
        if k in _BETWEENNESS:
            unit = "share (0–1)" if "_share_" in k else "normalised betweenness (0–1)"
        if meaning or unit:
            print_lines(console, f"{k}: {meaning or 'count'} (unit: {unit})", "  ")
    for p in written:
        console.print(f"written: {p}", highlight=False, soft_wrap=True)


_BETWEENNESS = {
    "betweenness_secondee": "mean betweenness centrality of secondees",
    "betweenness_boundary_spanner": "mean betweenness of staff with ties into 2+ other agencies",
    "betweenness_staff": "mean betweenness centrality of other staff",
    "betweenness_share_secondee": "share of all betweenness held by secondees",
    "betweenness_share_boundary_spanner": "share of all betweenness held by boundary spanners",
    "betweenness_share_staff": "share of all betweenness held by other staff",
}


def register(app: typer.Typer) -> None:
    app.command("network")(network_cmd)
