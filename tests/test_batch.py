"""The batch entry point: ``jusim.run_batch`` gives each run exactly what a run alone gives.

A run's result must not depend on the batch's size, on its position in the batch, or on the other
runs' seeds and parameters; a parameter given per run must act as the same value given alone.
Equality is exact (every recorded series and table), as in ``tests/test_engine_docking.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import jusim
from jusim.evaluation import scenario_with
from jusim.model import JoinedUpModel
from jusim.scenario import scenario_dir

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import reference_engine
from test_engine_docking import assert_identical

SHIPPED = sorted(p.stem for p in scenario_dir().glob("*.toml"))


def alone(scenario: jusim.Scenario, seed) -> jusim.RunResult:
    """One model stepped to its horizon on its own (no batch)."""
    model = JoinedUpModel(scenario, seed)
    try:
        return model.run()
    finally:
        model.release()


def batch_equals_alone(scenario, seeds: list, params: dict) -> list[jusim.RunResult]:
    """``run_batch`` with values per run (``params``: one value for all, or one per run), and
    each run checked identical to the same scenario, values and seed run alone."""
    got = jusim.run_batch(scenario, seeds, params=params)
    bases = scenario if isinstance(scenario, list) else [scenario] * len(seeds)
    for r, seed in enumerate(seeds):
        own = {k: v[r] if isinstance(v, np.ndarray | list) else v for k, v in params.items()}
        own = {k: v.item() if isinstance(v, np.generic) else v for k, v in own.items()}
        assert_identical(got[r], alone(scenario_with(bases[r], own), seed))
    return got


@pytest.fixture(scope="module")
def short(default_world) -> jusim.Scenario:
    return default_world.with_overrides({"horizon": 24})


def test_batch_of_one_is_a_run_alone(short):
    (got,) = jusim.run_batch(short, [5])
    assert_identical(got, alone(short, 5))
    assert_identical(jusim.run(short, 5), got)


def test_every_shipped_scenario_in_one_batch_docks_with_the_reference():
    """All shipped scenarios (different horizons and interventions) in one batch; each equals
    its run alone and the frozen reference engine."""
    scenarios = [jusim.load_scenario(n) for n in SHIPPED]
    got = jusim.run_batch(scenarios, [3] * len(scenarios), chunk=len(scenarios))
    for name, scenario, result in zip(SHIPPED, scenarios, got, strict=True):
        assert result.scenario == scenario.name, name
        assert_identical(result, reference_engine.run(scenario, 3))


def test_result_independent_of_batch_size_and_position(short):
    seeds = [11, 4, np.random.SeedSequence(9).spawn(3)[2], 0, 4, 27, 8]
    seven = jusim.run_batch(short, seeds)
    for k in (0, 2, 4, 6):
        assert_identical(seven[k], alone(short, seeds[k]))
    # the same run at another position, in batches of other sizes and chunks
    again = jusim.run_batch(short, [seeds[6], 1, seeds[2]], chunk=2)
    assert_identical(again[0], seven[6])
    assert_identical(again[2], seven[2])
    # the two runs on seed 4 are the same run
    assert_identical(seven[1], seven[4])


def test_parameters_along_the_run_axis_equal_separate_runs(short):
    scales = np.array([0.5, 1.0, 2.0, 1.0])
    counts = [4, 8, 12, 8]
    params = {
        "context.churn_scale": scales,
        "interventions__secondees__count": counts,
        "interventions.secondees.host": "police",
        "interventions.secondees.outcome": "youth_offending",
    }
    seeds = [1, 2, 3, 2]
    got = batch_equals_alone(short, seeds, params)
    assert_identical(got[1], got[3])  # same seed and values: the same run
    # the parameters did act: a different scale is a different run on the same seed
    other = jusim.run_batch(short, [2], params={"context.churn_scale": 2.0})[0]
    assert not np.array_equal(other["leavers"], got[1]["leavers"])


def test_churn_and_staff_ties_with_parameters_per_run(short):
    """The churn and tie phases take all runs' rosters in one call (``staff.Rosters``): with their
    parameters different in every run (R = 4: neither the 10 agencies nor the 3 outcomes), and
    secondees, divisions and movers on, each run is what it is alone."""
    divided = short.with_overrides(
        {
            "agencies.local_authority.divisions": 3,
            "agencies.local_authority.division_spread": 0.3,
        }
    )
    params = {
        "parameters.ties.referral": np.array([0.01, 0.05, 0.02, 0.05]),
        "parameters.ties.decay": np.array([0.03, 0.06, 0.1, 0.06]),
        "parameters.ties.posting": np.array([0.5, 1.5, 3.0, 1.5]),
        "parameters.churn.handover_strength": np.array([0.2, 0.5, 0.9, 0.5]),
        "parameters.mobility.share": np.array([0.0, 0.4, 0.3, 0.0]),
        "interventions__secondees__count": 6,
        "interventions.secondees.host": "police",
        "interventions.secondees.outcome": "youth_offending",
    }
    seeds = [5, 6, 5, 7]
    got = batch_equals_alone(divided, seeds, params)
    # the parameters did act: runs 0 and 2 share a seed but not their ties
    assert not np.array_equal(got[0]["tie_density"], got[2]["tie_density"])


def test_a_value_per_run_must_have_one_per_run(short):
    with pytest.raises(jusim.ScenarioError, match=r"context\.churn_scale.*one per run \(3\)"):
        jusim.run_batch(short, [1, 2, 3], params={"context.churn_scale": [1.0, 2.0]})
    with pytest.raises(jusim.ScenarioError, match="one per run"):
        jusim.run_batch([short, short], [1, 2, 3])


def test_budget_rules_resources_record_phases_with_values_per_run(short):
    """The phases budget, rules, resources and record over runs whose own partnerships differ in
    number (proposals at different rates), with seat prices, capacity, consultations and the
    chance of public failure per run; and platforms shared (from month 12) with a fixed share and
    a budget change per run. R = 5 runs (not the 10 agencies nor the 3 outcomes); each equals its run alone."""
    params = {
        "parameters.partnership.proposal_rate": np.array([0.0, 0.3, 0.6, 0.3, 0.9]),
        "parameters.scrutiny.visibility": np.array([0.0, 0.8, 0.5, 0.8, 0.2]),
        "parameters.overhead.senior": np.array([60.0, 20.0, 90.0, 20.0, 40.0]),
        "parameters.capacity.stretch": np.array([0.5, 0.9, 0.1, 0.9, 0.3]),
        "parameters.capacity.consultations": np.array([0.5, 2.0, 1.0, 2.0, 0.0]),
    }
    platforms = {
        "parameters.platforms.fixed_share": np.array([0.3, 0.5, 0.7, 0.5, 0.6]),
        "context.budget_change": np.array([0.0, -0.05, 0.02, -0.05, 0.1]),
    }
    shared = jusim.load_scenario("shared_services").with_overrides({"horizon": 15})  # moves at 12
    seeds = [1, 2, 3, 2, 5]
    for scenario, values in ((short.with_overrides({"horizon": 12}), params), (shared, platforms)):
        got = batch_equals_alone(scenario, seeds, values)
        assert_identical(got[1], got[3])
        assert len({g["budget"].sum() + g["overhead"].sum() for g in got}) == 4  # values act
    started = [g["partnerships_started"][-1] for g in jusim.run_batch(short, seeds, params=params)]
    assert started[0] == 0 and len(set(started)) >= 3  # runs with 0 and several partnerships


def test_numbers_per_run_make_the_same_scenarios_as_validating_each(short):
    """Per-run numbers take a fast path (each table validated alone): the scenarios equal those
    validated whole, and a bad value still names its field and what is allowed."""
    from jusim.batch import scenarios_for

    gains = [0.01, 0.02, 0.03]
    made = scenarios_for(short, 3, {"parameters.trust.gain": gains, "context.churn_scale": 1.5})
    for got, gain in zip(made, gains, strict=True):
        whole = scenario_with(short, {"parameters.trust.gain": gain, "context.churn_scale": 1.5})
        assert got.to_dict() == whole.to_dict()
    with pytest.raises(jusim.ScenarioError, match=r"parameters\.trust\.gain.*-5.*greater than"):
        scenarios_for(short, 2, {"parameters.trust.gain": [0.1, -5.0]})
    with pytest.raises(jusim.ScenarioError, match=r"parameters\.trust\.nosuch.*unknown key"):
        scenarios_for(short, 2, {"parameters.trust.nosuch": [0.1, 0.2]})


def test_decision_and_learning_parameters_along_the_run_axis(short):
    """The decision and learning phases with their parameters differing run by run (R = 5, not
    the number of agencies or outcomes), with cost shifting, good practice and mainstreaming at
    work: each run equals its run alone with its own values."""
    world = short.with_interventions(
        [
            {"type": "narrow_target", "agency": "education_department", "lift": 0.1},
            {"type": "good_practice", "outcome": "youth_offending"},
            {"type": "pooled_budget", "outcome": "rough_sleeping", "share": 0.2},
        ]
    )
    params = {
        "parameters.decision.temperature": np.array([0.15, 0.1, 0.3, 0.2, 0.15]),
        "parameters.decision.adaptation": np.array([0.2, 0.1, 0.4, 0.2, 0.3]),
        "parameters.decision.scrutiny": np.array([0.6, 0.3, 0.9, 0.6, 0.6]),
        "parameters.decision.learning_rate": np.array([0.08, 0.2, 0.02, 0.08, 0.08]),
        "parameters.accountability.intrinsic": np.array([1.0, 2.0, 0.5, 1.0, 1.0]),
        "parameters.accountability.gap_weight": np.array([2.0, 1.0, 4.0, 2.0, 2.0]),
        "parameters.mainstreaming.credit": np.array([1.0, 0.0, 0.5, 1.0, 1.0]),
        "parameters.spillover.reluctance": np.array([0.02, 0.0, 0.05, 0.02, 0.02]),
        "parameters.defensive.effort_cut": np.array([0.5, 0.2, 0.8, 0.5, 0.5]),
        "parameters.partnership.ownership": np.array([0.5, 0.0, 1.0, 0.5, 0.2]),
    }
    seeds = [3, 1, 2, 3, 3]
    got = batch_equals_alone(world, seeds, params)
    # the values did act: the same seed with other values is another run
    assert not np.array_equal(got[0]["joint_share"], got[4]["joint_share"])


def test_relationships_parameters_per_run_and_an_agreement_in_some_runs():
    """The relationships phase over the run axis: contact, trust, leaks, defensiveness,
    understanding, formality and adoption parameters that differ run by run, and a written
    agreement in two of the five runs (a unit that practises its ways, so adoption acts), each
    equal to its run alone."""
    unit = jusim.load_scenario("rough_sleepers_unit").with_overrides({"horizon": 18})
    agreement = {"type": "formal_agreement", "outcome": "rough_sleeping"}
    formal = unit.with_interventions([*unit.to_dict()["interventions"], agreement])
    scenarios = [unit, formal, unit, formal, unit]
    params = {
        "parameters.contact.meetings": np.array([0.15, 0.3, 0.05, 0.15, 1.0]),
        "parameters.trust.tolerance": np.array([0.8, 0.6, 1.1, 0.8, 0.9]),
        "parameters.trust.shock_rate": np.array([0.05, 0.0, 0.1, 0.05, 0.02]),
        "parameters.defensive.sharing_cut": np.array([0.5, 0.2, 0.8, 0.5, 0.4]),
        "parameters.understanding.gain": np.array([0.04, 0.1, 0.02, 0.04, 0.06]),
        "parameters.formality.crowd_out": np.array([0.05, 0.2, 0.0, 0.1, 0.05]),
        "parameters.mainstreaming.adoption": np.array([0.3, 0.1, 0.6, 0.3, 0.2]),
    }
    seeds = [6, 7, 8, 6, 9]
    got = batch_equals_alone(scenarios, seeds, params)
    # the values did act: runs 0 and 3 share a seed but differ in agreement and crowding out
    assert not np.array_equal(got[0]["mean_trust"], got[3]["mean_trust"])


def test_partnerships_and_record_with_parameters_per_run(short):
    """The runs' partnerships side by side (``partnership.Board``: leaving, forming (one run
    under selective collaboration), membership, buy-in, demand, delivery, ageing, the recorded
    count, value and failure loss): proposal rates and drift that differ run
    by run, so that runs form different numbers of partnerships (some none, some more than eight:
    padded blocks and the sums that must fall back to a run alone's order), each equal to its run
    alone; five runs (neither the number of agencies nor of outcomes)."""
    world = short.with_overrides({"horizon": 30})
    forum = {"type": "pooled_budget", "outcome": "rough_sleeping", "share": 0.05}
    selective = world.with_interventions([{"type": "selective_collaboration"}])
    scenarios = [world, world.with_interventions([forum]), world, selective, world]
    params = {
        "parameters.partnership.proposal_rate": np.array([0.0, 0.05, 0.3, 0.1, 0.3]),
        "parameters.partnership.drift": np.array([0.0, 0.02, 0.05, 0.0, 0.1]),
        "parameters.scrutiny.visibility": np.array([0.0, 0.5, 1.0, 0.2, 1.0]),
    }
    got = batch_equals_alone(scenarios, [1, 2, 3, 4, 3], params)
    formed = [r["partnerships_started"][-1] for r in got]
    assert formed[0] == 0 and max(formed) > 8, formed
    assert np.isnan(got[0]["partnership_value"]).all()
    assert any(r["failure_loss"][-1] > 0 for r in got)


def test_production_parameters_per_run_equal_separate_runs(short):
    """Production's parameters differing run by run (five runs: neither the number of agencies nor
    of outcomes), including exponents numpy computes without ``pow`` when alone (-1, 0.5, 2) and
    the geometric limit of the CES (0), each equal to its run alone."""
    params = {
        "parameters.production.complementarity": np.array([-1.0, -0.3, 0.0, -1.0, 1.0]),
        "parameters.production.coordination_floor": np.array([0.1, 0.3, 0.1, 0.1, 0.0]),
        "parameters.own_targets.returns": np.array([0.5, 0.7, 1.0, 0.5, 0.2]),
        "parameters.own_targets.persistence": np.array([0.8, 0.5, 0.9, 0.8, 0.3]),
        "parameters.clients.word_of_mouth": np.array([5.0, 2.0, 9.0, 5.0, 0.0]),
        "parameters.clients.awareness_gain": np.array([0.15, 0.3, 0.05, 0.15, 0.5]),
        "parameters.funding.untied_share": np.array([0.0, 0.2, 0.5, 0.0, 1.0]),
    }
    seeds = [1, 2, 3, 4, 5]
    got = batch_equals_alone(short, seeds, params)
    # the parameters did act: run 3's values on run 0's seed give another run
    other = {k: float(v[2]) for k, v in params.items()}
    again = alone(scenario_with(short, other), seeds[0])
    assert not np.array_equal(again["resolved"], got[0]["resolved"])


def test_production_with_world_values_per_run_equal_separate_runs(short):
    """Runs whose worlds differ in value (not shape) step together: production takes each run's
    own outcome, service and client-group values, each equal to its run alone."""
    params = {
        "outcomes.rough_sleeping.inflow": np.array([55.5, 80.0, 30.0, 55.5]),
        "outcomes.youth_offending.bounce": np.array([0.3, 0.0, 0.6, 0.3]),
        "outcomes.youth_offending.services.intensive_casework.lag": np.array([18.0, 3.0, 30.0, 9]),
        "outcomes.early_years.client_groups.shift_workers.fit": np.array([0.5, 0.9, 0.2, 0.7]),
    }
    seeds = [1, 2, 3, 4]
    batch_equals_alone(short, seeds, params)


def test_production_judges_the_runs_partnerships_in_one_call_as_alone(short):
    """Scrutiny's judgement over the run axis (production phase, ``scrutiny.judge`` on the
    ``partnership.Board``): the cost weight differing run by run and early detection in some runs
    only (``consensus_to_operate``), runs forming different numbers of partnerships (one none);
    each run's record (judged, failed, failing, detected, spent, wasted) and partnerships stepped
    together equal to the same run stepped alone; five runs (neither agencies nor outcomes)."""
    from jusim import month
    from jusim.month.runs import Runs

    world = short.with_overrides(
        {"parameters.partnership.drift": 0.05, "parameters.scrutiny.visibility": 0.5}
    )
    detect = world.with_interventions([{"type": "consensus_to_operate", "detection": 2}])
    bases = [world, detect, world, detect, world]
    own = [
        {"parameters.partnership.proposal_rate": rate, "parameters.partnership.cost_weight": w}
        for rate, w in ((0.0, 1.0), (0.3, 0.5), (0.2, 1.5), (0.3, 2.0), (0.1, 1.0))
    ]
    scenarios = [scenario_with(b, p) for b, p in zip(bases, own, strict=True)]
    together = [
        JoinedUpModel(sc, seed) for sc, seed in zip(scenarios, [1, 2, 3, 4, 3], strict=True)
    ]
    apart = [JoinedUpModel(sc, seed) for sc, seed in zip(scenarios, [1, 2, 3, 4, 3], strict=True)]
    runs = Runs([m.state for m in together])
    for _ in range(short.horizon):
        month.step(runs)
        runs = runs.next_month()
        for m in apart:
            m.step()
    fields = ("judged", "failed", "failing", "detected", "spent", "wasted")
    for a, b in zip(together, apart, strict=True):
        for name in fields:
            assert np.array_equal(getattr(a.scrutiny, name), getattr(b.scrutiny, name)), name
        assert np.array_equal(a.partnerships.live, b.partnerships.live)
        assert np.array_equal(a.partnerships.members, b.partnerships.members)
    counts = [m.partnerships.count for m in together]
    assert counts[0] == 0 and min(counts[1:]) > 0, counts
    assert any(m.scrutiny.detected.any() for m in together[1::2])  # detection acted
    assert any(m.scrutiny.failed.any() for m in together)
    for m in together + apart:
        m.release()


def test_rules_proposals_with_partnership_parameters_per_run(short):
    """Agencies' proposals over the run axis (rules phase, ``Board._propose``): every parameter a
    proposal weighs (reach, agreement, integration, seat, consultation, cost weight, symbolic
    seat) and the proposal rate and visibility differing run by run, one run under selective
    collaboration; each run equal to its run alone; six runs (neither agencies nor outcomes)."""
    selective = short.with_interventions([{"type": "selective_collaboration"}])
    scenarios = [short, selective, short, short, short, short]
    params = {
        "parameters.partnership.proposal_rate": np.array([0.2, 0.3, 0.0, 0.1, 0.3, 0.2]),
        "parameters.partnership.reach": np.array([2.5, 1.0, 4.0, 2.5, 5.0, 1.5]),
        "parameters.partnership.agreement": np.array([0.15, 0.5, 0.02, 0.15, 0.3, 0.1]),
        "parameters.partnership.integration": np.array([0.5, 0.9, 0.2, 0.5, 1.0, 0.3]),
        "parameters.partnership.seat": np.array([1.0, 0.5, 2.0, 1.0, 0.8, 0.6]),
        "parameters.partnership.consultation": np.array([0.1, 0.3, 0.05, 0.1, 0.2, 0.05]),
        "parameters.partnership.cost_weight": np.array([1.0, 0.5, 2.0, 1.0, 0.7, 0.8]),
        "parameters.partnership.symbolic_seat": np.array([0.05, 0.0, 0.2, 0.05, 0.1, 0.0]),
        "parameters.scrutiny.visibility": np.array([0.0, 0.8, 0.0, 0.5, 1.0, 0.3]),
    }
    got = batch_equals_alone(scenarios, [1, 2, 3, 4, 5, 6], params)
    formed = [r["partnerships_started"][-1] for r in got]
    assert formed[2] == 0 and min(formed[:2] + formed[3:]) > 0, formed
