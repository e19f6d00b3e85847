"""The staff tie network: measures on the arrays agree with networkx, GraphML round trip matches
the run's tables, the command reads at 80 columns."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from typer.testing import CliRunner

import jusim
from jusim.cli import app
from jusim.metrics import tie_series
from jusim.model import JoinedUpModel
from jusim.network import (
    MEASURES,
    betweenness_by_role,
    graph,
    graph_measures,
    measures,
    network_at,
    possible_pairs,
    write_graphml,
)
from jusim.staff import Rosters, StaffRoster


def test_measures_by_hand():
    # agencies of 2, 2 and 16 staff (20: the top 5% is one person); ties 0-2, 0-3, 0-4, 5-6
    r = StaffRoster.from_counts(np.array([2, 2, 16]))
    r.add_ties(np.array([0, 0, 0, 2]), np.array([2, 3, 4, 5]), 1.0)
    density, share, comps = measures(r)
    pairs = (20 * 20 - (4 + 4 + 256)) / 2
    assert density == pytest.approx(4 / pairs)
    assert share == pytest.approx(3 / 8)  # staff 0 holds 3 of the 8 tie ends
    assert comps == 1  # 0-2-5 and 0-3, 0-4: one group
    r.keep_ties(np.array([True, False, False, False]))  # only 0-2 left... plus nothing else
    assert measures(r)[2] == 1
    empty = StaffRoster.from_counts(np.array([3, 3]))
    d, s, c = measures(empty)
    assert d == 0 and np.isnan(s) and c == 0


def test_tie_series_of_runs_side_by_side_equal_each_roster_alone():
    """``metrics.tie_series`` (all runs' rosters in one compiled pass, for the recorder of a batch)
    gives each run exactly ``tie_density`` and ``measures`` of its roster alone."""
    sc = jusim.load_scenario("default_world").with_overrides({"horizon": 6})
    models = [JoinedUpModel(sc, seed=s) for s in (0, 4, 9)]
    for m in models:
        m.run()
    models[1].roster.tie_i = models[1].roster.tie_j = np.empty(0, np.int64)  # a run without ties
    models[1].roster.tie_w = np.empty(0)
    rosters = [m.roster for m in models]
    possible = np.array([possible_pairs(r) for r in rosters])
    got = tie_series(Rosters.of(rosters), possible)
    assert got.shape == (3, 1 + len(MEASURES))
    for r, roster in enumerate(rosters):
        want = [roster.tie_density(), *measures(roster, possible[r])]
        np.testing.assert_array_equal(got[r], want)
    assert got[0, 0] > 0 and got[1, 0] == 0


@pytest.mark.parametrize("scenario", ["secondees", "rough_sleepers_unit"])
def test_array_measures_match_networkx(scenario):
    sc = jusim.load_scenario(scenario).with_overrides({"horizon": 30})
    model = JoinedUpModel(sc, seed=4)
    try:
        for month in (0, 6, 30):
            while model.month < month:
                model.step()
            g = graph(model)
            expected = graph_measures(g)
            got = dict(zip(MEASURES, measures(model.roster), strict=True))
            for k in MEASURES:
                assert got[k] == pytest.approx(expected[k]), (month, k)
            assert g.number_of_nodes() == model.roster.n_staff
    finally:
        model.release()


def test_graphml_round_trip_matches_the_runs_tables(tmp_path):
    sc = jusim.load_scenario("secondees").with_overrides({"horizon": 24})
    table = jusim.run(sc, seed=2).system_table().set_index("month")
    g = network_at(sc, 12, seed=2)
    path = write_graphml(g, tmp_path / "net.graphml")
    back = nx.read_graphml(path)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    node = back.nodes[next(iter(back.nodes))]
    assert {"agency", "kind", "role", "secondee", "post", "tenure"} <= set(node)
    assert sum(1 for _, s in back.nodes(data="secondee") if s) == 12  # twelve posted
    assert {r for _, r in back.nodes(data="role")} <= {"secondee", "boundary_spanner", "staff"}
    got = graph_measures(back)
    for k in MEASURES:
        assert got[k] == pytest.approx(table.loc[12, k]), k
    assert back.graph["month"] == 12


def test_secondees_broker_more_than_other_staff():
    g = network_at("secondees", 24, seed=1)
    b = betweenness_by_role(g)
    assert b["betweenness_secondee"] > b["betweenness_staff"]
    assert b["n_secondee"] == 12


def test_network_measures_are_sweep_metrics():
    s = jusim.run(jusim.load_scenario("silo").with_overrides({"horizon": 6}), seed=0).summary()
    for k in MEASURES:
        assert k in s and np.isfinite(s[k])


def test_network_command_at_80_columns(tmp_path):
    out = tmp_path / "net.graphml"
    result = CliRunner().invoke(
        app,
        ["network", "secondees", "--month", "6", "--month", "12", "--out", str(out)],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if not ln.startswith("written: ")]
    assert all(len(line) <= 80 for line in lines)  # (a long file path may not fit)
    assert "tie_components" in result.stdout and "month 12" in result.stdout
    assert nx.read_graphml(tmp_path / "net-m12.graphml").number_of_edges() > 0
    bad = CliRunner().invoke(app, ["network", "secondees", "--month", "999"])
    assert bad.exit_code == 2 and "999" in bad.stderr
