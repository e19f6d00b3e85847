"""Priors (issue 21): every mechanism parameter has one, every path is one jusim.evaluate takes,
every default is the value the code or the shipped world uses, and the docs table is current."""

from __future__ import annotations

import numpy as np
import pytest

from jusim import load_scenario
from jusim.evaluation import scenario_with
from jusim.interventions import REGISTRY
from jusim.priors import BEGIN, DOCS_FILE, END, PriorError, applicable, docs_table, load_priors
from jusim.scenario import Parameters, get_path

PRIORS = load_priors()
# what each intervention needs besides the prior's field, to add it to the default world
NEEDS = {
    "outcome": "rough_sleeping",
    "host": "police",
    "members": ["local_authority", "nhs_trust"],
    "agencies": ["local_authority", "nhs_trust"],
    "funder": "housing_department",
    "agency": "local_authority",
    "by": "local_authority",
    "lead": "local_authority",
    "service": "childcare_places",
}


def _with_intervention(kind: str, field: str, value):
    cls = REGISTRY[kind]
    required = [n for n, f in cls.model_fields.items() if f.is_required() and n != field]
    params = {f"interventions.{kind}.{n}": NEEDS[n] for n in required}
    if kind == "service_mix" or "service" in required:
        params[f"interventions.{kind}.outcome"] = "early_years"
    params[f"interventions.{kind}.{field}"] = value
    return scenario_with(load_scenario("silo"), params)


def test_every_mechanism_parameter_has_a_prior_with_its_code_default():
    by_path = {p.path: p for p in PRIORS}
    for mech, field in Parameters.model_fields.items():
        for row in field.annotation.table():
            path = f"parameters.{mech}.{row['name']}"
            assert path in by_path, f"no prior for {path}"
            assert by_path[path].default == pytest.approx(row["default"]), path


@pytest.mark.parametrize("prior", PRIORS, ids=[p.path for p in PRIORS])
def test_prior_path_is_accepted_at_both_ends_and_default_is_todays(prior):
    parts = prior.path.split(".")
    for x in (prior.low, prior.high):
        value = prior.value(x)
        if parts[0] == "interventions":
            s = _with_intervention(parts[1], ".".join(parts[2:]), value)
        else:
            s = scenario_with(load_scenario("silo"), {prior.path: value})
        assert get_path(s.to_dict(), prior.path) == pytest.approx(value)
    if parts[0] == "interventions":
        default = REGISTRY[parts[1]].model_fields[parts[2]].default
    else:
        default = get_path(load_scenario("silo").to_dict(), prior.path)
    assert prior.default == pytest.approx(default), prior.path


def test_sampling_stays_in_range_and_is_seeded():
    for p in PRIORS:
        a = p.sample(np.random.default_rng(1), 50)
        b = p.sample(np.random.default_rng(1), 50)
        assert np.array_equal(a, b)
        assert (a >= p.low).all() and (a <= p.high).all(), p.path
        assert p.ppf(0.0) == pytest.approx(p.low) and p.ppf(1.0) == pytest.approx(p.high)


def test_intervention_paths_never_add_the_intervention():
    silo = load_scenario("silo")
    params = {"interventions.central_unit.focus": 2.0, "parameters.trust.gain": 0.1}
    assert applicable(silo, params) == {"parameters.trust.gain": 0.1}
    unit = load_scenario("rough_sleepers_unit")
    assert applicable(unit, params) == params


def test_bad_prior_file_names_file_field_value(tmp_path):
    bad = tmp_path / "p.toml"
    bad.write_text('["parameters.trust.gain"]\ndist = "normal"\nlow = 0\nhigh = 1\n')
    with pytest.raises(PriorError, match=r"p.toml: field .*dist' = 'normal'.*one of"):
        load_priors(bad)
    bad.write_text(
        '["x"]\ndist = "uniform"\nlow = 1\nhigh = 0.5\ndefault = 1\nkind = "assumption"\n'
        'reason = "r"\n'
    )
    with pytest.raises(PriorError, match=r"high' = 0.5 .*above low"):
        load_priors(bad)


def test_docs_table_is_generated_from_the_file():
    text = DOCS_FILE.read_text(encoding="utf-8")
    assert text.split(BEGIN, 1)[1].split(END, 1)[0].strip() == docs_table().strip()


def test_paths_step_into_lists_by_name_or_position_with_clear_errors():
    from jusim.scenario import ScenarioError

    silo = load_scenario("silo")
    s = scenario_with(silo, {"outcomes.early_years.client_groups.little_english.fit": 0.5})
    assert get_path(s.to_dict(), "outcomes.early_years.client_groups.little_english.fit") == 0.5
    with pytest.raises(ScenarioError, match=r"client_groups.nobody.fit' = 0.5 .*'typical'"):
        scenario_with(silo, {"outcomes.early_years.client_groups.nobody.fit": 0.5})
    with pytest.raises(ScenarioError, match=r"spillovers.9.cases' = 1.0 .*from 0 to 1"):
        scenario_with(silo, {"spillovers.9.cases": 1.0})
