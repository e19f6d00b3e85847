"""jusim explain: Shapley values over mechanism groups (jusim/analysis/explain.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from typer.testing import CliRunner

import jusim
from jusim.analysis.explain import (
    GROUPS,
    exact_shapley,
    explain,
    group,
    shapley_weights,
    switched,
)
from jusim.scenario import ScenarioError, scenario_dir

H = 12  # short runs keep the default test time small


def short(name: str):
    return jusim.as_scenario(name).with_overrides({"horizon": H})


def test_exact_shapley_of_a_known_game():
    # v(S) = 1*[0 in S] + 2*[1 in S] + 4*[0,1 in S] + 0.5*[2 in S]: phi = (3, 4, 0.5)
    v = np.zeros(8)
    for m in range(8):
        a, b, c = m & 1, m >> 1 & 1, m >> 2 & 1
        v[m] = a + 2 * b + 4 * a * b + 0.5 * c
    phi = exact_shapley(v)
    np.testing.assert_allclose(phi, [3.0, 4.0, 0.5])
    assert math.isclose(phi.sum(), v[7] - v[0])
    assert math.isclose(
        shapley_weights(3).sum() * 0 + sum(shapley_weights(3)), 1 / 3 + 1 / 6 + 1 / 3
    )


def test_switches_are_disjoint_and_valid_on_every_shipped_scenario():
    seen: dict = {}
    for g in GROUPS:
        for key in [*g.params, *[(t, f) for t, fs in g.fields.items() for f in fs]]:
            assert key not in seen, f"{key} in {g.key} and {seen[key]}"
            seen[key] = g.key
    for path in sorted(scenario_dir().glob("*.toml")):
        sc = jusim.as_scenario(path)
        off = switched(sc, GROUPS)  # validated: every path exists and every value is allowed
        assert off.to_dict() != sc.to_dict()


def test_switches_turn_their_mechanism_off():
    sc = short("rough_sleepers_unit")
    r = jusim.run(switched(sc, [group("trust")]), seed=1)
    assert np.all(r["mean_trust"] == sc.parameters.trust.initial)
    r = jusim.run(switched(sc, [group("ties")]), seed=1)
    assert np.all(r["tie_density"] == r["tie_density"][0])
    assert r["leavers"].sum() == 0


def test_contributions_add_up_and_total_matches_compare():
    scen, base = short("rough_sleepers_unit"), short("silo")
    cache: dict = {}
    ex = explain(
        scen, base, replications=3, seed=5, groups=["money", "credit", "trust"], cache=cache
    )
    assert [g.key for g in ex.groups] == ["money", "credit", "trust"]
    assert ex.coalitions == 8 and ex.method == "exact"
    # efficiency, replication by replication
    np.testing.assert_allclose(ex.shapley.sum(axis=1) + ex.none, ex.total, atol=1e-9)
    assert ex.efficiency_gap() < 1e-9
    t = ex.table()
    att = t[(t.measure == "attainment")].set_index("term")
    assert math.isclose(
        att.loc[["money", "credit", "trust", "none"], "mean"].sum(), att.loc["total", "mean"]
    )
    # alone + interaction = contribution
    for g in ("money", "credit", "trust"):
        assert math.isclose(att.loc[g, "alone"] + att.loc[g, "interaction"], att.loc[g, "mean"])
    # 'lost': the total minus the game with only the pot switched off
    only_money = explain(scen, base, replications=3, seed=5, groups=["money"], cache=cache)
    assert only_money.runs == 0  # every run is in the cache
    np.testing.assert_allclose(ex.lost[:, 0], ex.total - only_money.none)
    # the total is the paired comparison's difference on the same seeds
    cmp = jusim.compare([scen], baseline=base, replications=3, seed=5, ensemble="none").table
    row = cmp[(cmp.scenario == scen.name) & (cmp.outcome == "rough_sleeping")].iloc[0]
    assert math.isclose(att.loc["total", "mean"], row["diff"], rel_tol=1e-12)
    # the pot is most of the unit's gain (more than the credit or trust channels)
    assert att.loc["money", "mean"] > max(att.loc["credit", "mean"], att.loc["trust", "mean"])


def test_sampled_permutations_keep_efficiency():
    scen, base = short("rough_sleepers_unit"), short("silo")
    kw = dict(replications=2, seed=1, groups=["money", "credit"])
    exact = explain(scen, base, **kw)
    sampled = explain(scen, base, exact_max=1, permutations=7, **kw)
    assert sampled.method.startswith("sampled")
    np.testing.assert_allclose(sampled.shapley.sum(axis=1) + sampled.none, sampled.total, atol=1e-9)
    np.testing.assert_allclose(sampled.total, exact.total)
    # with two players a sampled value lies between the two marginal contributions
    alone = exact.alone[:, 0]
    last = exact.total - exact.alone[:, 1] - exact.none
    lo, hi = np.minimum(alone, last), np.maximum(alone, last)
    assert np.all(sampled.shapley[:, 0] >= lo - 1e-9) and np.all(sampled.shapley[:, 0] <= hi + 1e-9)


def test_unused_groups_are_exact_zero_and_cached_runs_are_reused():
    cache: dict = {}
    base = short("silo")
    ex = explain(
        short("shared_targets"), base, replications=2, groups=["money", "credit"], cache=cache
    )
    assert [g.key for g in ex.idle] == ["money"]
    t = ex.table().set_index(["measure", "term"])
    assert t.loc[("attainment", "money"), "mean"] == 0.0
    again = explain(short("shared_targets"), base, replications=2, groups=["credit"], cache=cache)
    assert again.runs == 0
    np.testing.assert_array_equal(again.total, ex.total)


def test_draws_are_samples_applied_to_both_arms():
    scen, base = short("pooled_budget"), short("silo")
    draws = [{"parameters.trust.gain": 0.05}, {"parameters.trust.gain": 0.12}]
    ex = explain(scen, base, replications=2, groups=["money"], draws=draws)
    assert ex.total.shape[0] == 4 and ex.draws == 2
    assert not np.allclose(ex.total[:2], ex.total[2:])


def test_bad_input_names_the_field():
    with pytest.raises(ScenarioError, match="outcome"):
        explain("silo", outcomes=["nope"], replications=2)
    with pytest.raises(ScenarioError, match="groups"):
        explain("silo", groups=["nope"], replications=2)
    from jusim.cli import app

    res = CliRunner().invoke(app, ["explain", "silo", "--group", "nope"])
    assert res.exit_code == 2 and "--group nope" in res.output


def test_cli_table_fits_80_columns(tmp_path):
    from jusim.cli import app

    path = tmp_path / "rsu.toml"
    path.write_text(
        'base = "{}"\nname = "rsu"\nhorizon = 12\n'.format(
            scenario_dir() / "rough_sleepers_unit.toml"
        )
    )
    base = tmp_path / "silo.toml"
    base.write_text(
        'base = "{}"\nname = "silo"\nhorizon = 12\n'.format(scenario_dir() / "silo.toml")
    )
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app,
        [
            "explain",
            str(path),
            "--baseline",
            str(base),
            "-g",
            "money",
            "-g",
            "trust",
            "--replications",
            "2",
            "--out",
            str(out),
        ],
        env={"COLUMNS": "80"},
    )
    assert res.exit_code == 0, res.output
    assert "money and pooled budgets" in res.output and "total difference" in res.output
    lines = [x for x in res.output.splitlines() if not x.startswith("written:")]
    assert max(len(x) for x in lines) <= 80, res.output
    assert all(x.count("[") == x.count("]") for x in lines)
    assert (out / "explain.csv").is_file() and (out / "explain.png").is_file()


def test_the_cache_serves_another_outcome():
    cache: dict = {}
    scen, base = short("pooled_budget"), short("silo")
    explain(scen, base, replications=2, groups=["money"], cache=cache)
    other = explain(
        scen, base, outcomes=["early_years"], replications=2, groups=["money"], cache=cache
    )
    assert other.runs == 0 and other.outcomes == ["early_years"]


def ensemble_file(tmp_path):
    path = tmp_path / "ens.csv"
    path.write_text(
        "draw,weight,parameters.trust.gain,outcomes.rough_sleeping.unit_cost\n"
        "0,1,0.05,30\n1,1,0.12,60\n"
    )
    return path


def test_over_an_ensemble_the_total_is_the_comparisons_paired_difference(tmp_path):
    from jusim.analysis.compare import compare

    scen, base, path = short("pooled_budget"), short("silo"), ensemble_file(tmp_path)
    ex = explain(scen, base, replications=2, groups=["money"], ensemble=path, draws=2)
    assert ex.draws == 2 and ex.replications == 2 and ex.total.shape[0] == 4
    cmp = compare([scen], baseline=base, replications=2, ensemble=path, draws=2)
    k = scen.outcome_names.index("rough_sleeping")
    paired = [
        a.attainment[-1, k] - b.attainment[-1, k]
        for a, b in zip(cmp.runs[scen.name], cmp.runs[base.name], strict=True)
    ]
    m = ex.metrics.index(("rough_sleeping", "attainment"))
    np.testing.assert_allclose(ex.total[:, m], paired)  # same draws and seeds, run for run
    assert ex.efficiency_gap() < 1e-9
    t = ex.table()
    row = t[(t.term == "total") & (t.outcome == "rough_sleeping") & (t.measure == "attainment")]
    lo, hi = np.percentile(paired, [2.5, 97.5])
    assert row.range_low.item() == pytest.approx(lo) and row.range_high.item() == pytest.approx(hi)


def test_explain_cli_runs_over_an_ensemble_and_says_so(tmp_path):
    from jusim.cli import app

    path = ensemble_file(tmp_path)
    scen = tmp_path / "pb.toml"
    scen.write_text(
        f'base = "{scenario_dir() / "pooled_budget.toml"}"\nname = "pb"\nhorizon = 12\n'
    )
    base = tmp_path / "silo.toml"
    base.write_text(f'base = "{scenario_dir() / "silo.toml"}"\nname = "silo"\nhorizon = 12\n')
    args = ["explain", str(scen), "--baseline", str(base), "-g", "money"]
    res = CliRunner().invoke(
        app, [*args, "--ensemble", str(path), "--draws", "2", "--replications", "1"]
    )
    assert res.exit_code == 0, res.output
    assert "2 draws of" in res.output and "x 1 seeds" in res.output
    res = CliRunner().invoke(app, [*args, "--draws", "2"])  # no ensemble: draws make no sense
    assert res.exit_code == 2 and "draws" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(app, [*args, "--ensemble", str(tmp_path / "nope.csv")])
    assert res.exit_code == 2 and "nope.csv" in res.output
