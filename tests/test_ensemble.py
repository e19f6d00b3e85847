"""Parameter ensembles: strict loading, draws applied only where they fit, comparisons paired by
(draw, seed), intervals that do not shrink with more draws, and ``none`` = the numbers of before.

The ensemble used here is a fixture (tests/data/ensemble_small.csv: 4 draws of 3 parameters), not
a calibrated posterior."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import jusim
from jusim import ensemble as ens_mod
from jusim.analysis.compare import replication_seeds
from jusim.analysis.stats import mean_ci, paired_diff_ci, paired_effect
from jusim.cli import app
from jusim.ensemble import Ensemble, check_path, design, load_ensemble, resolve_ensemble
from jusim.scenario import ScenarioError

FIXTURE = Path(__file__).parent / "data" / "ensemble_small.csv"
HEADER = "draw,weight,parameters.decision.temperature,interventions.central_unit.staff\n"
SHORT = 12


@pytest.fixture(scope="module")
def ens() -> Ensemble:
    return load_ensemble(FIXTURE)


@pytest.fixture(scope="module")
def silo():
    return jusim.load_scenario("silo").with_overrides({"horizon": SHORT})


@pytest.fixture(scope="module")
def rsu():
    return jusim.load_scenario("rough_sleepers_unit").with_overrides({"horizon": SHORT})


# ------------------------------------------------------------------------ loading and applying
def test_fixture_loads(ens):
    assert len(ens) == ens.total == 4
    assert ens.paths == (
        "parameters.decision.temperature",
        "parameters.trust.initial",
        "interventions.central_unit.staff",
    )
    assert list(ens.ids) == [0, 1, 2, 3]
    assert ens.weights.sum() == pytest.approx(1.0)


def test_draw_applies_parameters_and_only_present_interventions(ens, silo, rsu):
    s = ens.apply(silo, 0)
    assert s.parameters.decision.temperature == 0.10
    assert s.parameters.trust.initial == 0.40
    assert not s.interventions  # the central unit's staff never adds a central unit
    r = ens.apply(rsu, 0)
    assert r.interventions[0].staff == 10 and isinstance(r.interventions[0].staff, int)  # "10.0"
    assert r.parameters.decision.temperature == 0.10
    assert ens.apply(rsu, 3).interventions[0].staff == 8
    assert r.name == rsu.name and r.source == rsu.source


def test_callers_paths_are_kept(ens, rsu):
    kept = ens.apply(rsu, 0, keep=frozenset({"parameters.decision.temperature"}))
    assert kept.parameters.decision.temperature == rsu.parameters.decision.temperature
    assert kept.parameters.trust.initial == 0.40


@pytest.mark.parametrize(
    ("path", "whole"),
    [
        ("parameters.decision.temperature", False),
        ("interventions.central_unit.staff", True),
        ("outcomes.rough_sleeping.deadline", True),
        ("outcomes.early_years.client_groups.shift_workers.fit", False),
        ("outcomes.early_years.services.childcare_places.share", False),
        ("spillovers.0.cases", False),
        ("agencies.police.churn", False),
        ("initial_ties", False),
    ],
)
def test_paths_are_checked_against_the_schema(path, whole):
    assert check_path("f.csv", path) is whole


def test_a_path_into_an_entry_the_scenario_lacks_is_skipped(tmp_path, silo, rsu):
    path = tmp_path / "entries.csv"
    path.write_text(
        "draw,weight,outcomes.early_years.services.nowhere.share,agencies.nobody.churn,"
        "interventions.secondees.count,parameters.trust.initial\n0,1,0.5,0.1,9,0.45\n",
        encoding="utf-8",
    )
    e = load_ensemble(path)
    for scenario in (silo, rsu):
        assert e.overrides(scenario, 0) == {"parameters.trust.initial": 0.45}


def test_select_is_systematic_on_the_weights(ens, tmp_path):
    assert list(ens.select(4).ids) == [0, 1, 2, 3]
    assert list(ens.select(2).ids) == [0, 2]
    heavy = tmp_path / "heavy.csv"
    heavy.write_text(HEADER + "0,1,0.1,10\n1,7,0.2,12\n2,0,0.3,14\n", encoding="utf-8")
    picked = load_ensemble(heavy).select(3)
    # points 1/6, 1/2, 5/6 on the cumulative weights: draw 0 holds [0, 1/8], draw 1 (1/8, 1],
    # draw 2 (weight 0) nothing
    assert list(picked.ids) == [1, 1, 1]
    assert list(load_ensemble(heavy).select(2).ids) == [1, 1]
    assert picked.weights == pytest.approx([1 / 3] * 3)
    with pytest.raises(ScenarioError, match="at most the 4 draws"):
        ens.select(5)


def test_resolve_default_none_and_path(monkeypatch, tmp_path):
    assert resolve_ensemble("none") == (None, "")
    assert resolve_ensemble(None) == (None, "")
    monkeypatch.setattr(ens_mod, "SHIPPED", tmp_path / "absent.csv")
    e, note = resolve_ensemble("default")
    assert e is None and "no shipped parameter ensemble" in note
    monkeypatch.setattr(ens_mod, "SHIPPED", FIXTURE)
    e, note = resolve_ensemble("default")
    assert e is not None and len(e) == 4 and note == ""
    assert len(resolve_ensemble(str(FIXTURE))[0]) == 4


def test_design_defaults(monkeypatch, tmp_path):
    monkeypatch.setattr(ens_mod, "SHIPPED", tmp_path / "absent.csv")
    assert design("default")[:2] == (None, 30)
    e, seeds, _ = design(FIXTURE)
    assert (len(e), seeds) == (4, 3)  # min(10 draws, the file's 4) x 3 seeds
    with pytest.raises(ScenarioError, match="draws only with an ensemble"):
        design("none", draws=3)


BAD = [
    ("", "(header)", "a header line"),
    ("draw,w,parameters.decision.temperature\n0,1,0.1\n", "(header)", "first columns"),
    ("draw,weight,decision.temperature\n0,1,0.1\n", "'decision.temperature'", "a setting of"),
    ("draw,weight,parameters.nope.x\n0,1,0.1\n", "= 'nope'", "a setting of parameters"),
    ("draw,weight,parameters.trust.nope\n0,1,0.1\n", "parameters.trust.nope", "a setting of"),
    ("draw,weight,parameters.trust\n0,1,0.1\n", "'parameters.trust'", "one setting inside"),
    ("draw,weight,interventions.magic.x\n0,1,1\n", "interventions.magic.x", "TYPE one of"),
    ("draw,weight,interventions.central_unit.nope\n0,1,1\n", "= 'nope'", "central_unit"),
    ("draw,weight,context.nope\n0,1,1\n", "context.nope", "a setting of context"),
    ("draw,weight,horizon\n0,1,24\n", "'horizon'", "a setting of a scenario"),
    ("draw,weight,outcomes.early_years.services.x.nope\n0,1,1\n", "'nope'", "of services"),
    ("draw,weight,context.churn_scale,context.churn_scale\n0,1,1,1\n", "churn", "each path once"),
    ("draw,weight,context.churn_scale\n", "(rows)", "at least one draw"),
    ("draw,weight,context.churn_scale\n1,1,1\n", "row 2, column draw", "numbered 0..N-1"),
    ("draw,weight,context.churn_scale\n0,1,1\n0,1,1\n", "row 3, column draw", "0..N-1"),
    ("draw,weight,context.churn_scale\n0,1,high\n", "row 2, column context.churn_scale", "number"),
    ("draw,weight,context.churn_scale\n0,1,nan\n", "row 2, column context.churn_scale", "finite"),
    ("draw,weight,context.churn_scale\n0,-1,1\n", "row 2, column weight", ">= 0"),
    ("draw,weight,context.churn_scale\n0,0,1\n", "weight", "not all 0"),
    ("draw,weight,context.churn_scale\n0,1\n", "row 2", "one per column"),
    (HEADER + "0,1,0.2,10.5\n", "column interventions.central_unit.staff", "a whole number"),
]


@pytest.mark.parametrize(("text", "where", "allowed"), BAD)
def test_bad_ensemble_file_names_file_place_and_what_is_allowed(tmp_path, text, where, allowed):
    path = tmp_path / "posterior.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        load_ensemble(path)
    message = str(e.value)
    assert str(path) in message and where in message and allowed in message, message
    assert "\n" not in message


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ScenarioError, match="an existing ensemble CSV file"):
        load_ensemble(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("row", "field", "allowed"),
    [
        ("0,1,-0.5,10", "'parameters.decision.temperature'", "greater than"),
        ("0,1,0.2,-3", "'interventions.central_unit.staff'", "greater than"),
    ],
)
def test_bad_value_names_file_draw_and_field_when_applied(tmp_path, rsu, row, field, allowed):
    path = tmp_path / "posterior.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        load_ensemble(path).apply(rsu, 0)
    message = str(e.value)
    assert f"{path} (draw 0" in message and field in message and allowed in message, message


# ------------------------------------------------------------------------ intervals
def test_paired_effect_by_hand():
    arm = np.array([[1.0, 2.0], [3.0, 5.0]])
    base = np.zeros((2, 2))
    out = paired_effect(arm, base)
    assert out["effect"] == pytest.approx(2.75)
    assert out["low"] == pytest.approx(np.quantile([1, 2, 3, 5], 0.025))
    assert out["high"] == pytest.approx(np.quantile([1, 2, 3, 5], 0.975))
    pooled_sd = np.sqrt((0.5 + 2.0) / 2)  # within-draw variances 0.5 and 2, one dof each
    assert out["seed_high"] - out["effect"] == pytest.approx(1.959964 * pooled_sd, rel=1e-5)
    assert np.isnan(paired_effect(np.ones((3, 1)), np.zeros((3, 1)))["seed_low"])  # one seed


@settings(max_examples=25, deadline=None)
@given(
    mu=st.floats(-1, 1),
    sd_param=st.floats(0.05, 1.0),
    sd_seed=st.floats(0.01, 0.5),
    seed=st.integers(0, 2**32 - 1),
)
def test_interval_does_not_shrink_as_draws_are_added(mu, sd_param, sd_seed, seed):
    """Toy paired differences: a draw effect (parameter uncertainty) plus seed noise. The 95%
    range approaches the spread of single differences as draws are added, while the interval
    of the mean (what jusim reported before ensembles) shrinks towards zero width."""
    rng = np.random.default_rng(seed)

    def toy(draws: int, seeds: int = 3) -> np.ndarray:
        return (
            mu
            + sd_param * rng.standard_normal((draws, 1))
            + sd_seed * rng.standard_normal((draws, seeds))
        )

    true_width = 2 * 1.959964 * np.hypot(sd_param, sd_seed)
    few, many = paired_effect(toy(40), 0), paired_effect(toy(4000), 0)
    width_few, width_many = few["high"] - few["low"], many["high"] - many["low"]
    assert width_many == pytest.approx(true_width, rel=0.1)
    assert width_many > 0.6 * width_few
    assert many["seed_high"] - many["effect"] == pytest.approx(1.959964 * sd_seed, rel=0.1)
    _, lo, hi = mean_ci(toy(4000).ravel())
    assert hi - lo < 0.1 * width_many  # the mean's interval is not the effect's range


# ------------------------------------------------------------------------ comparisons
@pytest.fixture(scope="module")
def cmp(ens, silo, rsu):
    """Two draws (file draws 0 and 2) x two seeds, master seed 4."""
    return jusim.compare([rsu], baseline=silo, replications=2, seed=4, ensemble=ens, draws=2)


def test_compare_pairs_runs_by_draw_and_seed(cmp, ens, silo, rsu):
    assert (cmp.draws, cmp.seeds) == (2, 2)
    assert cmp.draw_ids == [0, 0, 2, 2]
    seeds = replication_seeds(4, 4)
    for k, d in enumerate([0, 0, 1, 1]):  # rows of the two draws selected: file draws 0 and 2
        row = ens.select(2)
        for arm, name in ((silo, "silo"), (rsu, "rough_sleepers_unit")):
            again = jusim.run(row.apply(arm, d), seed=seeds[k])
            np.testing.assert_array_equal(cmp.runs[name][k].attainment, again.attainment)
    out = cmp.table.set_index(["scenario", "outcome"])
    r = out.loc[("rough_sleepers_unit", "rough_sleeping")]
    diffs = np.array(
        [
            a.attainment[-1, 0] - b.attainment[-1, 0]
            for a, b in zip(cmp.runs["rough_sleepers_unit"], cmp.runs["silo"], strict=True)
        ]
    )
    assert r["effect"] == pytest.approx(diffs.mean())
    assert r["low"] == pytest.approx(np.quantile(diffs, 0.025))
    assert (r["draws"], r["seeds"], r["n"]) == (2, 2, 4)
    assert r["low"] <= r["effect"] <= r["high"] and r["seed_low"] <= r["effect"] <= r["seed_high"]


def test_none_reproduces_the_comparison_of_before(silo, rsu, monkeypatch, tmp_path):
    """``ensemble="none"`` (and ``default`` while no ensemble ships) give the numbers of the
    seed-only comparison: runs on ``replication_seeds``, t intervals of means and differences."""
    cmp = jusim.compare([rsu], baseline=silo, replications=3, seed=2, ensemble="none")
    seeds = replication_seeds(2, 3)
    runs = {n: [jusim.run(s, seed=ss) for ss in seeds] for n, s in (("silo", silo), ("r", rsu))}
    att = {n: np.array([r.attainment[-1] for r in v]) for n, v in runs.items()}
    cost = {n: np.array([r.cost_per_outcome()[-1] for r in v]) for n, v in runs.items()}
    t = cmp.table
    for k, outcome in enumerate(runs["r"][0].outcomes):
        row = t[(t.scenario == "rough_sleepers_unit") & (t.outcome == outcome)].iloc[0]
        assert tuple(row[["mean", "ci_low", "ci_high"]]) == mean_ci(att["r"][:, k])
        assert tuple(row[["diff", "diff_ci_low", "diff_ci_high"]]) == paired_diff_ci(
            att["r"][:, k], att["silo"][:, k]
        )
        got = tuple(row[["cost_diff", "cost_diff_ci_low", "cost_diff_ci_high"]])
        assert got == paired_diff_ci(cost["r"][:, k], cost["silo"][:, k])
        assert (row["draws"], row["seeds"]) == (1, 3)
    monkeypatch.setattr(ens_mod, "SHIPPED", tmp_path / "absent.csv")
    fallback = jusim.compare([rsu], baseline=silo, replications=3, seed=2)
    pd.testing.assert_frame_equal(fallback.table, t)
    assert "no shipped parameter ensemble" in fallback.note


# ------------------------------------------------------------------------ command and outputs
@pytest.fixture
def files(small_file) -> tuple[str, str]:
    """A 12-month silo file and one with a central unit (names small_silo, small_rsu)."""
    silo = small_file("small_silo")
    rsu = small_file(
        "small_rsu",
        '[[interventions]]\ntype = "central_unit"\noutcome = "rough_sleeping"\n'
        'unit = "rsu"\npooled_share = 0.1\nstaff = 6\n',
    )
    return str(silo), str(rsu)


def test_cli_outputs_carry_both_interval_kinds(tmp_path, files):
    base, arm = files
    common = ["compare", arm, "--baseline", base, "--ensemble", str(FIXTURE)]
    common += ["--draws", "2", "--replications", "2"]
    runner = CliRunner()
    result = runner.invoke(app, [*common, "--json"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    keys = {"effect", "low", "high", "seed_low", "seed_high", "draws", "seeds", "diff_ci_low"}
    assert all(keys <= set(r) for r in records)
    r = next(r for r in records if r["scenario"] == "small_rsu")
    assert (r["draws"], r["seeds"]) == (2, 2)
    assert r["low"] <= r["effect"] <= r["high"]
    out = tmp_path / "out"
    result = runner.invoke(app, [*common, "--out", str(out)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "seed ±" in text and "2 parameter draws x 2 paired seeds" in text
    assert "central 95% range" in text
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    table = pd.read_parquet(out / "comparison.parquet")
    assert {"effect", "low", "high", "seed_low", "seed_high", "ci_low"} <= set(table.columns)
    runs = pd.read_parquet(out / "outcomes.parquet")
    assert set(runs["draw"]) == {0, 2} and set(runs["replication"]) == {0, 1, 2, 3}


def test_cli_bad_ensemble_is_a_clean_error(tmp_path, files):
    base, arm = files
    bad = tmp_path / "bad.csv"
    bad.write_text("draw,weight,parameters.trust.nope\n0,1,0.1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", arm, "--baseline", base, "--ensemble", str(bad)])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "parameters.trust.nope" in result.stderr and str(bad) in result.stderr


# ------------------------------------------------------------------------ evaluate, dashboard
def test_evaluate_over_an_ensemble(ens, rsu):
    plain = jusim.evaluate(rsu, seed=1)
    assert jusim.evaluate(rsu, seed=1, ensemble="none") == plain  # the default: unchanged
    runs = jusim.evaluate(rsu, seed=1, ensemble=ens, draws=2, replications=2, distribution=True)
    assert list(runs["draw"]) == [0, 0, 2, 2] and list(runs["replication"]) == [0, 1, 2, 3]
    means = jusim.evaluate(rsu, seed=1, ensemble=ens, draws=2, replications=2)
    assert means["attainment__rough_sleeping"] == pytest.approx(
        runs["attainment__rough_sleeping"].mean()
    )
    fixed = jusim.evaluate(
        rsu,
        seed=1,
        ensemble=ens,
        draws=2,
        replications=2,
        distribution=True,
        parameters__decision__temperature=0.10,  # the caller's value wins over the draws'
    )
    np.testing.assert_array_equal(
        fixed["attainment__rough_sleeping"][:2], runs["attainment__rough_sleeping"][:2]
    )
    assert not np.array_equal(
        fixed["attainment__rough_sleeping"][2:], runs["attainment__rough_sleeping"][2:]
    )


def test_dashboard_replications_use_the_ensemble(ens, silo, rsu):
    from jusim.dashboard.state import run_replications

    bands = run_replications(rsu, silo, 4, seed=0, ensemble=ens)
    assert bands.ensemble == ens.select(4).label and bands.n == 4
    plain = run_replications(rsu, silo, 4, seed=0, ensemble="none")
    assert plain.ensemble == ""
    assert not np.array_equal(bands.need["current"][0], plain.need["current"][0])


def test_brief_over_an_ensemble_says_what_its_ranges_include(cmp, silo, rsu, tmp_path):
    from jusim.brief import write_brief
    from jusim.tables import num

    text = write_brief(cmp, [silo, rsu], tmp_path / "brief.html").read_text(encoding="utf-8")
    assert "2 parameter draws × 2 paired seeds" in text and "seed ±" in text
    assert "decision.temperature" in text and "more runs make them no narrower" in text
    row = cmp.table[(cmp.table.scenario == rsu.name) & (cmp.table.outcome == "rough_sleeping")]
    low = num(row["low"].iloc[0])
    assert f"[{low}," in text  # the difference's range over draws x seeds, not the t interval


def test_brief_without_an_ensemble_keeps_its_confidence_intervals(silo, rsu, tmp_path):
    from jusim.brief import write_brief

    plain = jusim.compare([rsu], baseline=silo, replications=2, ensemble="none")
    text = write_brief(plain, [silo, rsu], tmp_path / "b.html").read_text(encoding="utf-8")
    assert "95% confidence intervals over the 2 paired replications" in text
    assert "seed ±" not in text and "parameter draws" not in text
