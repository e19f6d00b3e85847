"""Issue 23, items 1-3 and 9: no meaningless number, nothing accepted and then ignored, one
``--force`` rule, and numbers that keep their meaning when printed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_fuzz_input import base_world

import jusim
from jusim.scenario import ScenarioError, parse_scenario


def world(**outcome) -> dict:
    """The fuzz suite's small world (three agencies of 20 staff, one outcome), six months."""
    doc = {**base_world(), "horizon": 6}
    doc["outcomes"][0].update(outcome)
    return doc


def refused(doc: dict, *fragments: str) -> str:
    with pytest.raises(ScenarioError) as err:
        parse_scenario(doc, "f.toml")
    text = str(err.value)
    for f in ("f.toml", *fragments):
        assert f in text, text
    return text


# ---- item 1: every number finite and meaningful -----------------------------------------------
@pytest.mark.parametrize("need, target", [(1e-9, 0.0), (0.5, 0.0), (200.0, 199.5)])
def test_a_target_less_than_one_case_below_the_start_is_refused(need, target):
    """Attainment divides by (initial need - target): a gap of a fraction of a case made
    attainments of -10^15."""
    refused(world(initial_need=need, target=target), "outcomes[0](need).target", "at least 1 case")


def test_a_target_one_case_below_the_start_is_accepted_and_finite():
    s = parse_scenario(world(initial_need=1.0, target=0.0))
    summary = jusim.run(s, seed=0).summary()
    assert math.isfinite(summary["attainment.need"])
    assert abs(summary["attainment.need"]) < 1e3


@pytest.mark.parametrize("budget", [0.0, 1e-9])
def test_cost_per_case_is_undefined_until_a_whole_case_is_resolved(budget):
    """An agency with no budget resolved 10^-10 cases and printed costs of 10^11 £k per case;
    cost per case is now undefined (NaN, printed as a dash) until one case is resolved."""
    doc = world()
    doc["agencies"][0]["budget"] = budget
    r = jusim.run(parse_scenario(doc), seed=0)
    resolved = np.cumsum(r.series["resolved"], axis=0)[:, 0]
    cost = r.cost_per_outcome()[:, 0]
    assert resolved[-1] < 1  # the case this test is about
    assert np.isnan(cost).all()
    assert math.isnan(r.summary()["cost_per_outcome.need"])


def test_cost_per_case_is_defined_once_cases_are_resolved():
    r = jusim.run("silo", seed=0)
    cost = r.cost_per_outcome()
    resolved = np.cumsum(r.series["resolved"], axis=0)
    assert np.isfinite(cost[resolved >= 1]).all()
    assert np.isnan(cost[resolved < 1]).all()


# ---- item 2: nothing accepted and then ignored ------------------------------------------------
@pytest.mark.parametrize(
    "iv, field",
    [
        ({"type": "handover", "agencies": []}, "(handover).agencies"),
        ({"type": "streamlined_reporting", "agencies": []}, "(streamlined_reporting).agencies"),
        ({"type": "capacity_building", "agencies": []}, "(capacity_building).agencies"),
        ({"type": "community_engagement", "outcome": "need", "groups": []}, ".groups"),
        ({"type": "secondees", "outcome": "need", "host": "a0", "members": []}, ".members"),
    ],
)
def test_an_empty_list_of_names_is_refused(iv, field):
    text = refused({**world(), "interventions": [iv]}, field, "at least one name")
    assert "Value error" not in text


def test_no_grants_may_be_said_with_an_empty_list():
    """``grants`` left out means none, so ``grants = []`` says the same and is accepted."""
    iv = {"type": "pooled_budget", "outcome": "need", "grants": []}
    assert parse_scenario({**world(), "interventions": [iv]}).interventions[0].grants == []


@pytest.mark.parametrize(
    "iv",
    [
        {"type": "handover", "agencies": ["a0", "a0"]},
        {"type": "merger", "agencies": ["a1", "a1"]},
        {"type": "pooled_budget", "outcome": "need", "grants": ["a1", "a1"]},
    ],
)
def test_a_repeated_name_is_refused(iv):
    refused({**world(), "interventions": [iv]}, "distinct names")


@pytest.mark.parametrize(
    "iv, field, most",
    [
        ({"type": "secondees", "outcome": "need", "host": "a0", "count": 100_000}, "count", 40),
        ({"type": "secondees", "outcome": "need", "host": "a0", "count": 41}, "count", 40),
        ({"type": "central_unit", "outcome": "need", "staff": 61}, "staff", 60),
    ],
)
def test_more_secondees_than_the_senders_employ_are_refused(iv, field, most):
    refused({**world(), "interventions": [iv]}, f".{field}' = {iv[field]}", f"at most {most}")


def test_a_small_sender_sends_all_it_has_and_the_others_make_up_the_rest():
    """Round-robin used to cap a small sender's share silently: 30 asked, fewer posted."""
    doc = world()
    doc["agencies"][1]["staff"] = 3
    doc["interventions"] = [{"type": "secondees", "outcome": "need", "host": "a0", "count": 23}]
    from jusim.model import JoinedUpModel

    m = JoinedUpModel(parse_scenario(doc), seed=0)
    m.step()
    posted = np.flatnonzero(m.roster.post != m.roster.home)
    assert posted.size == 23
    assert np.bincount(m.roster.home[posted], minlength=3).tolist() == [0, 3, 20]


def test_an_over_long_unit_name_names_the_field_and_the_limit():
    iv = {"type": "central_unit", "outcome": "need", "unit": "u" * 65}
    refused({**world(), "interventions": [iv]}, "(central_unit).unit", "at most 64 characters")


@pytest.mark.parametrize("values", [[1, 1.0], [0, -0.0], [0.5, 0.50], [2, 3, 2.0]])
def test_factor_values_equal_as_numbers_are_refused(values):
    """[1, 1.0] ran two identical design points."""
    from jusim.experiment.schema import parse_experiment

    doc = {
        "name": "x",
        "base": "silo",
        "design": {"kind": "grid"},
        "factors": {"f": {"kind": "lever", "path": "context.churn_scale", "values": values}},
    }
    with pytest.raises(ScenarioError, match=r"e.toml: field 'factors.f.values' .* distinct"):
        parse_experiment(doc, "e.toml")


@pytest.mark.parametrize("key", ["source", "base", "base.x"])
def test_an_override_of_what_is_not_a_setting_is_refused(key):
    """``overrides = {source = "x"}`` was accepted and ignored."""
    with pytest.raises(ScenarioError, match=rf"e.toml: field '{key}' = 'x' .*not its 'base'"):
        jusim.load_scenario("silo").with_overrides({key: "x"}, "e.toml")


def test_a_scenario_file_cannot_set_its_own_source():
    refused({**world(), "source": "elsewhere.toml"}, "field 'source' = 'elsewhere.toml'")


# ---- item 3: one --force rule for every command that writes a file ----------------------------
def test_network_out_overwrites_an_existing_file_only_with_force(tmp_path):
    from typer.testing import CliRunner

    from jusim.cli import app

    mine = tmp_path / "net.graphml"
    mine.write_text("mine")
    args = ["network", "silo", "--month", "0", "--out", str(mine)]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2
    assert "exists; add --force to overwrite it" in refused.output
    assert mine.read_text() == "mine"
    assert CliRunner().invoke(app, [*args, "--force"]).exit_code == 0
    assert mine.read_text().startswith("<?xml")
    # several months: every file checked before any run
    (tmp_path / "net-m1.graphml").write_text("mine")
    args = ["network", "silo", "-m", "0", "-m", "1", "--out", str(mine)]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2 and "net-m1.graphml: exists" in refused.output
    assert not (tmp_path / "net-m0.graphml").exists()


# ---- item 9: numbers keep their meaning -------------------------------------------------------
def test_a_resolved_difference_never_prints_as_zero():
    from jusim.tables import Est

    assert Est(-0.0006, -0.00097, -0.00026, signed=True).lines(False) == [
        "-0.00060 [-0.00097, -0.00026]"
    ]
    assert Est(0.3, 0.25, 0.35).lines(False) == ["0.30 [0.25, 0.35]"]  # nothing to add
    assert Est(1.35, 1.28, 1.41, signed=True).lines(False) == ["+1.35 [1.28, 1.41]"]


def test_an_interval_never_prints_as_one_number():
    from jusim.tables import Est

    # bounds that differ but round alike get decimals until they differ (at most three more)
    assert Est(-0.0098, -0.0104, -0.0093, signed=True).lines(False) == ["-0.010 [-0.010, -0.009]"]
    assert Est(0.5, 0.5, 0.5).lines(False) == ["0.50 [0.50, 0.50]"]  # a degenerate interval


@pytest.mark.parametrize(
    "diff, low, high, words",
    [
        (-0.0006, -0.00097, -0.00026, "negligible"),  # the brief said "tiny" for this one
        (0.0001, -0.004, 0.004, "negligible"),  # ... and "no clear difference" for this one
        (0.2, 0.15, 0.25, "better"),
        (-0.2, -0.25, -0.15, "worse"),
        (0.02, 0.005, 0.035, "better, size unclear"),
        (-0.02, -0.035, -0.001, "worse, size unclear"),
        (0.0, -0.05, 0.05, "no clear difference"),
        (0.1, float("nan"), float("nan"), ""),
    ],
)
def test_verdicts_follow_the_interval_and_the_smallest_effect(diff, low, high, words):
    from jusim.tables import verdict

    assert verdict(diff, low, high) == words


def test_the_brief_and_the_compare_table_use_one_verdict_rule():
    import inspect

    import jusim.brief
    import jusim.tables

    assert "verdict(" in inspect.getsource(jusim.brief._verdict)
    assert "verdict(" in inspect.getsource(jusim.tables.print_comparison)


def test_run_prints_a_unit_for_every_quantity():
    from typer.testing import CliRunner

    from jusim.cli import app
    from jusim.metrics import UNKNOWN, metric_info

    result = CliRunner().invoke(app, ["run", "silo"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    rows = {ln.split()[0]: ln for ln in result.stdout.splitlines()[3:] if ln.strip()}
    summary = jusim.run("silo", seed=0).summary()
    assert set(rows) == set(summary)
    for name, line in rows.items():
        unit = metric_info(name).unit
        assert unit and unit != UNKNOWN.unit and line.rstrip().endswith(unit), line
    assert ".000 " not in rows["overhead"] and "£k" in rows["overhead"]


def test_the_first_sweep_example_asks_a_question_with_a_positive_answer():
    """experiments/churn_x_secondees.toml: no cell reached 0.067 of the target; now the most
    secondees meet it even at the highest churn, and none do not (two seeds at the corners)."""
    from pathlib import Path

    from jusim.experiment.schema import base_scenario, build_scenario, load_experiment

    exp = load_experiment(Path(__file__).parent.parent / "experiments/churn_x_secondees.toml")
    base = base_scenario(exp)
    churn = exp.factors["churn_scale"].range[1]
    fewest, most = exp.factors["secondees"].range

    def attainment(secondees: float) -> float:
        s = build_scenario(exp, base, {"churn_scale": churn, "secondees": int(secondees)})
        runs = [jusim.run(s, seed=k).summary()["attainment.rough_sleeping"] for k in range(2)]
        return float(np.mean(runs))

    assert attainment(most) >= 1.0
    assert attainment(fewest) < 0.9


def test_a_refusal_raised_in_a_worker_process_crosses_intact():
    """A ScenarioError pickled by a process pool came back as a crash of the pool."""
    import pickle

    err = ScenarioError([("f.toml", "field", 3, "allowed")])
    back = pickle.loads(pickle.dumps(err))
    assert isinstance(back, ScenarioError) and back.problems == err.problems
    assert str(back) == str(err)
