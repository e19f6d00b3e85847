"""Dashboard logic without a browser: levers from the registry, scenarios, arms, export."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pydantic import Field

import jusim
from jusim.dashboard.state import (
    BATCH,
    HEADLINES,
    Arms,
    Levers,
    agencies_csv,
    agency_frame,
    build_arms,
    compare_levers,
    data_csv,
    explanations,
    field_specs,
    headline,
    lever_set_name,
    levers_for,
    load_base,
    outcome_numbers,
    run_replications,
)
from jusim.interventions import REGISTRY
from jusim.interventions.base import OutcomePartnership
from jusim.scenario import ScenarioError


@pytest.fixture(scope="module")
def base():
    return load_base("silo")


def test_field_specs_follow_pydantic_fields():
    for cls in REGISTRY.values():
        specs = {s.name: s for s in field_specs(cls)}
        assert list(specs) == list(cls.model_fields)
        for name, info in cls.model_fields.items():
            bounded_above = any(hasattr(m, "le") or hasattr(m, "lt") for m in info.metadata)
            assert (specs[name].high is not None) == bounded_above, name
            assert specs[name].description == (info.description or name)
        if "outcome" in specs:  # events such as trust_shock act on an agency, not an outcome
            assert specs["outcome"].kind == "outcome"
    assert {s.name: s.kind for s in field_specs(REGISTRY["trust_shock"])}["by"] == "agency"
    assert {s.name: s.kind for s in field_specs(REGISTRY["sponsorship"])}["lost_at"] == (
        "optional_int"
    )
    assert {s.name: s.kind for s in field_specs(REGISTRY["secondees"])}["host"] == "agency"
    kinds = {s.name: s.kind for s in field_specs(REGISTRY["shared_services"])}
    assert kinds["members_pay_migration"] == "bool"
    assert {s.name: s.kind for s in field_specs(REGISTRY["service_mix"])}["service"] == "service"


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_switching_an_intervention_on_starts_from_valid_settings(base, kind):
    from jusim.dashboard.state import default_params

    cls = REGISTRY[kind]
    assert cls(**default_params(kind, base)).check(base) == []


def test_a_service_is_chosen_from_the_scenarios_services(base):
    import ipyvuetify as v
    import solara

    from jusim.dashboard.levers import FieldControl
    from jusim.dashboard.state import default_params

    cls = REGISTRY["service_mix"]
    params = default_params("service_mix", base)
    with_services = next(o for o in base.outcomes if o.services)
    assert (params["outcome"], params["service"]) == (
        with_services.name,
        with_services.services[0].name,
    )
    assert cls(**params).check(base) == []  # valid as it stands
    spec = {s.name: s for s in field_specs(cls)}["service"]
    _, rc = solara.render(FieldControl(cls, spec, params["service"], print, base))
    items = rc.find(v.Select).widget.items
    assert [svc.name for o in base.outcomes for svc in o.services] == items


def test_a_true_or_false_field_is_a_checkbox_that_sets_a_valid_value(base):
    import ipyvuetify as v
    import solara

    from jusim.dashboard.levers import FieldControl

    cls = REGISTRY["shared_services"]
    spec = {s.name: s for s in field_specs(cls)}["members_pay_migration"]
    got: list[Any] = []
    _, rc = solara.render(FieldControl(cls, spec, False, got.append, base), handle_error=False)
    rc.find(v.Checkbox).widget.v_model = True
    assert got == [True]
    params = {"host": base.agency_names[0], "members": base.agency_names[1:3]}
    assert cls(**params, members_pay_migration=got[0]).members_pay_migration is True


def test_new_intervention_gets_levers_without_dashboard_code(base):
    class Mentoring(OutcomePartnership):
        name = "test_mentoring"
        summary = "test only"
        explanation = "test only"
        evidence = "none"
        pairs: int = Field(3, ge=0, le=40, description="mentoring pairs")

        def apply(self, model: Any, state: dict[str, Any]) -> None:
            pass

    REGISTRY[Mentoring.name] = Mentoring
    try:
        lv = levers_for(base, "silo")
        assert lv.enabled["test_mentoring"] is False
        assert lv.params["test_mentoring"]["pairs"] == 3
        assert "pairs" in [s.name for s in field_specs(Mentoring)]
        on = lv.with_enabled("test_mentoring", True).with_param("test_mentoring", "pairs", 7)
        current, silo = build_arms(base, on)
        assert [iv.name for iv in current.interventions] == ["test_mentoring"]
        assert current.interventions[0].pairs == 7
        assert silo.interventions == []
        assert "test_mentoring" in [e["name"] for e in explanations()]
    finally:
        del REGISTRY[Mentoring.name]


@pytest.mark.parametrize("name", ["rough_sleepers_unit", "pooled_budget", "sponsorship"])
def test_levers_reproduce_a_shipped_scenario(name):
    scenario = load_base(name)
    current, silo = build_arms(scenario, levers_for(scenario, name))
    assert [iv.to_dict() for iv in current.interventions] == [
        iv.to_dict() for iv in scenario.interventions
    ]
    assert silo.interventions == []
    assert silo.agency_names == scenario.agency_names


def test_workshop_package_and_context(base):
    lv = (
        levers_for(base, "silo")
        .with_enabled("pooled_budget", True)
        .with_param("pooled_budget", "share", 0.2)
        .with_enabled("secondees", True)
        .with_param("secondees", "count", 5)
        .with_enabled("shared_targets", True)
        .with_enabled("sponsorship", True)
        .with_param("sponsorship", "lost_at", 18)
        .with_context(churn_scale=1.5, budget_change=-0.1)
    )
    current, silo = build_arms(base, lv)
    kinds = {iv.name: iv for iv in current.interventions}
    assert set(kinds) == {"pooled_budget", "secondees", "shared_targets", "sponsorship"}
    assert kinds["pooled_budget"].share == 0.2
    assert kinds["secondees"].count == 5
    assert kinds["sponsorship"].lost_at == 18
    for sc in (current, silo):
        assert sc.context.churn_scale == 1.5
        assert sc.context.budget_change == -0.1


@pytest.mark.parametrize(
    ("kind", "param", "value", "field"),
    [
        ("pooled_budget", "share", 1.5, "share"),
        ("sponsorship", "end", 0, "end"),
        ("secondees", "host", "nobody", "host"),
    ],
)
def test_impossible_levers_raise_readable_errors(base, kind, param, value, field):
    lv = levers_for(base, "silo").with_enabled(kind, True).with_param(kind, param, value)
    with pytest.raises(ScenarioError) as err:
        build_arms(base, lv)
    assert field in str(err.value)


def test_end_before_start_is_impossible(base):
    lv = (
        levers_for(base, "silo")
        .with_enabled("shared_targets", True)
        .with_param("shared_targets", "start", 20)
        .with_param("shared_targets", "end", 10)
    )
    with pytest.raises(ScenarioError, match="end"):
        build_arms(base, lv)


def test_context_out_of_bounds(base):
    with pytest.raises(ScenarioError, match="budget_change"):
        build_arms(base, levers_for(base, "silo").with_context(budget_change=-0.9))


def test_bad_scenario_files(tmp_path):
    with pytest.raises(ScenarioError):
        load_base(str(tmp_path / "missing.toml"))
    bad = tmp_path / "bad.toml"
    bad.write_text("name = [unclosed", encoding="utf-8")
    with pytest.raises(ScenarioError, match="TOML"):
        load_base(str(bad))
    with pytest.raises(ScenarioError):
        load_base(str(tmp_path))  # a directory
    with pytest.raises(ScenarioError):
        load_base("  ")


def test_levers_json_round_trip_and_bad_files(base):
    lv = levers_for(base, "silo", seed=7).with_enabled("secondees", True)
    assert Levers.from_json(lv.to_json()) == lv
    with pytest.raises(ScenarioError, match="JSON"):
        Levers.from_json("{not json")
    with pytest.raises(ScenarioError, match="jusim_levers"):
        Levers.from_json('{"seed": 1}')
    with pytest.raises(ScenarioError, match="seed"):
        Levers.from_json('{"jusim_levers": 1, "seed": "x"}')
    with pytest.raises(ScenarioError, match="colour"):
        Levers.from_json('{"jusim_levers": 1, "colour": 1}')
    with pytest.raises(ScenarioError, match="nonsense"):
        Levers.from_json('{"jusim_levers": 1, "enabled": {"nonsense": true}}')


def test_arms_step_together_and_match_a_plain_run(base):
    lv = levers_for(base, "silo", seed=3).with_enabled("pooled_budget", True)
    current, silo = build_arms(base, lv)
    arms = Arms(current, silo, seed=3)
    try:
        arms.step(5)
        assert arms.current.month == arms.silo.month == 5
        arms.run_to(arms.horizon + 10)  # never beyond the horizon
        assert arms.done and arms.month == arms.horizon
        cur, sil = arms.results()
        plain = jusim.run(silo, seed=3)
        np.testing.assert_allclose(sil.series["need"], plain.series["need"])
        assert set(headline(cur)) == set(HEADLINES)
        table = agency_frame(arms.current)
        assert list(table["agency"]) == current.agency_names
    finally:
        arms.release()


def test_replications_progress_and_cancel(base):
    current, silo = build_arms(base, levers_for(base, "silo").with_enabled("shared_targets", True))
    seen: list[tuple[int, int]] = []
    n = 3 * BATCH
    bands = run_replications(
        current,
        silo,
        n,
        seed=1,
        progress=lambda d, n: seen.append((d, n)),
        cancelled=lambda: len(seen) >= 2,  # cancelled between batches of replications
    )
    assert bands is not None and bands.n == 2 * BATCH and bands.cancelled
    assert seen == [(BATCH, n), (2 * BATCH, n)]
    mean, lo, hi = bands.need["current"]
    assert mean.shape == (current.horizon + 1, len(current.outcomes))
    assert np.all(lo <= mean + 1e-9) and np.all(mean <= hi + 1e-9)
    assert run_replications(current, silo, 3, cancelled=lambda: True) is None


def test_exports_carry_levers_and_bands(base):
    lv = levers_for(base, "silo").with_enabled("pooled_budget", True)
    current, silo = build_arms(base, lv)
    arms = Arms(current, silo)
    try:
        arms.run_to(12)
        cur, sil = arms.results()
        text = data_csv(cur, sil, lv)
        assert text.startswith("# jusim dashboard export; lever set: pooled budget")
        saved = next(line for line in text.splitlines() if line.startswith("# levers: "))
        assert Levers.from_json(saved.removeprefix("# levers: ")) == lv
        df = pd.read_csv(io.StringIO(text), comment="#")
        assert set(df["arm"]) == {"current", "silo"}
        assert len(df) == 2 * 13 * len(current.outcomes)
        bands = run_replications(current, silo, 3, seed=2)
        with_bands = pd.read_csv(io.StringIO(data_csv(cur, sil, lv, bands)), comment="#")
        assert {"need_mean_3_runs", "need_95_low", "need_95_high"} <= set(with_bands.columns)
        assert (with_bands["need_95_low"] <= with_bands["need_95_high"] + 1e-9).all()
        agencies = agencies_csv(cur, sil, lv)
        assert agencies.startswith("# jusim dashboard export")
        from jusim.dashboard.views import charts_png, network_figure, outcome_figure

        png = charts_png(network_figure(arms.current, True), outcome_figure(cur, sil, 60, bands))
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        arms.release()


def test_compare_two_settings_with_paired_intervals(base):
    a = levers_for(base, "silo")
    same = compare_levers(base, a, a, replications=3)
    # identical settings on the same seeds: every paired difference is exactly zero
    finite = same.dropna(subset=["B − A"])
    assert len(finite) and (finite["B − A"] == 0).all()
    b = a.with_enabled("pooled_budget", True).with_param("pooled_budget", "share", 0.3)
    table = compare_levers(base, a, b, replications=4)
    assert list(table.columns) == ["measure", "A", "B", "B − A", "95% interval", "to", "runs"]
    assert any(m.startswith("rough sleeping: attainment") for m in table["measure"])
    row = table.set_index("measure").loc["partnership overhead (£k)"]
    assert row["A"] == 0 and row["B"] > 0  # no intervention has no partnership overhead
    assert row["95% interval"] <= row["B − A"] <= row["to"]


def test_outcome_cards_say_na_when_nothing_resolved(base):
    current, silo = build_arms(base, levers_for(base, "silo"))
    arms = Arms(current, silo)
    try:
        cur, _ = arms.results()  # month 0: nothing resolved yet
        numbers = outcome_numbers(cur)
        assert len(numbers) == len(cur.outcomes)
        assert all(np.isnan(n["cost_per_case"]) for n in numbers)
        arms.run_to(12)
        cur, _ = arms.results()
        for k, n in enumerate(outcome_numbers(cur)):
            assert n["need"] == pytest.approx(cur.series["need"][-1, k])
            assert n["attainment"] == pytest.approx(cur.attainment[-1, k])
            assert n["resolved"] >= 1 and n["cost_per_case"] == pytest.approx(
                n["spend"] / n["resolved"]
            )
    finally:
        arms.release()


def test_lever_set_name():
    lv = Levers(enabled={"pooled_budget": True, "secondees": True, "sponsorship": False})
    assert lever_set_name(lv) == "pooled budget + secondees"
    assert lever_set_name(Levers()) == "no intervention"
    assert lever_set_name(Levers(churn_scale=1.5, budget_change=-0.1)) == (
        "no intervention (churn ×1.5, budgets -10% a year)"
    )


def test_a_lever_change_keeps_the_silo_arm_only_when_it_is_the_same(base):
    lv = levers_for(base, "silo", seed=4)
    arms = Arms(*build_arms(base, lv), seed=4)
    arms.run_to(6)
    silo_model = arms.silo
    on = lv.with_enabled("pooled_budget", True)
    kept = Arms(*build_arms(base, on), seed=4, keep_silo=arms)
    kept.run_to(6)
    other = Arms(*build_arms(base, on.with_context(churn_scale=2.0)), seed=4, keep_silo=kept)
    other.run_to(6)
    try:
        assert kept.silo is silo_model and kept.current.month == 6
        assert other.silo is not silo_model  # the silo world changed with the churn
        fresh = jusim.run(build_arms(base, on)[0].with_overrides({"horizon": 6}), seed=4)
        np.testing.assert_allclose(kept.results()[0].series["need"], fresh.series["need"])
    finally:
        for x in (arms, kept, other):
            x.release()


def test_an_impossible_lever_is_explained_in_the_levers_words(base):
    from jusim.dashboard.state import lever_message
    from jusim.scenario import ScenarioError

    with pytest.raises(ScenarioError) as caught:
        base.with_interventions(
            [{"type": "pooled_budget", "outcome": "rough_sleeping", "share": 2}]
        )
    text = lever_message(caught.value)
    description = REGISTRY["pooled_budget"].model_fields["share"].description
    assert text.startswith(f"Pooled budget, {description}: 2 is not possible (")
    assert "interventions[" not in text  # not the schema's path
