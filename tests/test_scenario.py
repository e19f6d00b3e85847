"""Scenario schema: shipped files load; bad files fail with errors naming file, field, value and
what is allowed; overrides, base chains and round trips."""

from __future__ import annotations

from pathlib import Path

import pydantic
import pytest

import jusim
from jusim.interventions import REGISTRY
from jusim.mechanisms.trust import TrustParams
from jusim.scenario import ScenarioError, load_scenario, parse_scenario, scenario_dir

MINI = """
name = "mini"
horizon = 12

[[agencies]]
name = "alpha"
kind = "local_authority"
staff = 20
budget = {budget}

[[agencies]]
name = "beta"
kind = "voluntary"
staff = 10
budget = 500
churn = {churn}

[[outcomes]]
name = "homes"
initial_need = 100
inflow = 3
unit_cost = 10
target = 40
[outcomes.contributors]
alpha = 0.6
{contributor} = 0.4
"""


def mini(budget="1000", churn="0.02", contributor="beta", extra="") -> str:
    return MINI.format(budget=budget, churn=churn, contributor=contributor) + extra


def load_bad(tmp_path: Path, text: str, name: str = "bad.toml", files=None) -> ScenarioError:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    files = files or [path]
    assert err.problems, "a ScenarioError must list its problems"
    for file, _field, _value, allowed in err.problems:
        assert file in [str(f) for f in files]
        assert allowed
        assert file in str(err)
    return err


def problem(err: ScenarioError, field_part: str) -> tuple:
    hits = [p for p in err.problems if field_part in p[1]]
    assert hits, f"no problem mentions field {field_part!r}: {err.problems}"
    return hits[0]


def check_message(err: ScenarioError, field: str, value, allowed_part: str) -> None:
    file, fld, val, allowed = problem(err, field)
    assert val == value
    assert allowed_part.lower() in allowed.lower(), allowed
    line = next(x for x in str(err).splitlines() if f"'{fld}'" in x)
    assert line.startswith(f"{file}: field '{fld}' = {val!r}")
    assert allowed in line


# ------------------------------------------------------------------------ good files
@pytest.mark.parametrize("path", sorted(scenario_dir().glob("*.toml")), ids=lambda p: p.stem)
def test_every_shipped_scenario_loads(path):
    s = load_scenario(path)
    assert s.name == path.stem
    assert len(s.agencies) >= 2 and s.outcomes
    assert load_scenario(path.stem) == s  # by shipped name too


def test_mini_file_loads_and_runs(tmp_path):
    path = tmp_path / "mini.toml"
    path.write_text(mini(), encoding="utf-8")
    s = load_scenario(path)
    assert s.agency_names == ["alpha", "beta"]
    res = jusim.run(path, seed=0)
    assert res.series["need"].shape == (13, 1)


def test_round_trip_through_plain_data(default_world):
    s = jusim.load_scenario("rough_sleepers_unit")
    again = parse_scenario(s.to_dict(), s.source)
    assert again.to_dict() == s.to_dict()
    assert [iv.name for iv in again.interventions] == ["central_unit"]


def test_with_overrides_is_a_validated_copy(default_world):
    s = default_world.with_overrides(
        {
            "context.churn_scale": 1.5,
            "parameters.trust.gain": 0.1,
            "agencies.police.churn": 0.02,
            "outcomes.early_years.lag": 3,
            "horizon": 24,
        }
    )
    assert s.context.churn_scale == 1.5
    assert s.parameters.trust.gain == 0.1
    assert next(a for a in s.agencies if a.name == "police").churn == 0.02
    assert next(o for o in s.outcomes if o.name == "early_years").lag == 3
    assert s.horizon == 24
    assert default_world.horizon == 60 and default_world.context.churn_scale == 1.0
    with pytest.raises(pydantic.ValidationError):
        s.horizon = 3  # frozen


def test_intervention_overrides():
    s = jusim.load_scenario("pooled_budget")
    a = s.with_overrides({"interventions.pooled_budget.share": 0.3})
    b = s.with_overrides({"interventions[0].share": 0.25})
    assert a.interventions[0].share == 0.3
    assert b.interventions[0].share == 0.25


@pytest.mark.parametrize(
    "override, field, allowed",
    [
        ({"context.churn_scale": -1}, "context.churn_scale", "greater than or equal"),
        ({"parameters.trust.gain": 2}, "parameters.trust.gain", "less than or equal"),
        ({"parameters.trust.gian": 0.1}, "parameters.trust.gian", "unknown key"),
        ({"agencies.nobody.churn": 0.1}, "agencies.nobody.churn", "police"),
        ({"horizon": "long"}, "horizon", "integer"),
    ],
)
def test_bad_overrides_name_the_field(default_world, override, field, allowed):
    with pytest.raises(ScenarioError) as info:
        default_world.with_overrides(override)
    (value,) = override.values()
    check_message(info.value, field, value, allowed)


def test_override_of_missing_intervention_index(default_world):
    with pytest.raises(ScenarioError):
        default_world.with_overrides({"interventions[3].count": 5})


def test_override_of_missing_intervention_type(default_world):
    with pytest.raises(ScenarioError) as info:
        default_world.with_overrides({"interventions.secondees.count": 5})
    assert "interventions.secondees.count" in str(info.value)


def test_with_interventions_validates(default_world):
    with pytest.raises(ScenarioError) as info:
        default_world.with_interventions([{"type": "pooled_budget", "outcome": "nope"}])
    check_message(info.value, "outcome", "nope", "rough_sleeping")


def test_base_chain_merges_and_accumulates_interventions(tmp_path):
    (tmp_path / "one.toml").write_text(
        'base = "pooled_budget"\nname = "one"\n[context]\nchurn_scale = 2.0\n', encoding="utf-8"
    )
    (tmp_path / "two.toml").write_text(
        'base = "one.toml"\nname = "two"\nhorizon = 12\n'
        '[[interventions]]\ntype = "shared_targets"\noutcome = "early_years"\n',
        encoding="utf-8",
    )
    s = load_scenario(tmp_path / "two.toml")
    assert s.name == "two" and s.horizon == 12
    assert s.context.churn_scale == 2.0
    assert s.context.staff_cost == 5.0  # merged key by key, not replaced
    assert [iv.name for iv in s.interventions] == ["pooled_budget", "shared_targets"]
    assert len(s.agencies) == 10


def test_params_table_rows():
    rows = TrustParams.table()
    names = [r["name"] for r in rows]
    assert names == list(TrustParams.model_fields)
    gain = next(r for r in rows if r["name"] == "gain")
    assert gain["min"] == 0 and gain["max"] == 1 and gain["description"]


def test_registry_metadata():
    assert set(REGISTRY) >= {
        "pooled_budget",
        "secondees",
        "shared_targets",
        "sponsorship",
        "central_unit",
    }
    for name, cls in REGISTRY.items():
        assert cls.name == name
        assert cls.summary and "\n" not in cls.summary
        assert cls.evidence and cls.explanation
        for fname, f in cls.model_fields.items():
            assert f.description, f"{name}.{fname} has no description"


# ------------------------------------------------------------------------ bad files
def test_unknown_top_level_key(tmp_path):
    err = load_bad(tmp_path, 'colour = "red"\n' + mini())
    check_message(err, "colour", "red", "unknown key")


def test_unknown_nested_key(tmp_path):
    err = load_bad(tmp_path, 'base = "default_world"\n[context]\nchurn_scael = 1.2\n')
    check_message(err, "context.churn_scael", 1.2, "unknown key")


def test_wrong_type(tmp_path):
    err = load_bad(tmp_path, mini().replace("horizon = 12", 'horizon = "long"'))
    check_message(err, "horizon", "long", "integer")


def test_negative_budget(tmp_path):
    err = load_bad(tmp_path, mini(budget="-5"))
    check_message(err, "budget", -5, "greater than or equal to 0")
    assert "alpha" in problem(err, "budget")[1]  # the field names the agency


def test_churn_above_one(tmp_path):
    err = load_bad(tmp_path, mini(churn="1.5"))
    check_message(err, "churn", 1.5, "less than or equal to 1")
    assert "beta" in problem(err, "churn")[1]


def test_several_problems_reported_together(tmp_path):
    err = load_bad(tmp_path, mini(budget="-5", churn="1.5"))
    assert len(err.problems) >= 2
    problem(err, "budget")
    problem(err, "churn")


def test_contributor_names_missing_agency(tmp_path):
    err = load_bad(tmp_path, mini(contributor="ghost"))
    check_message(err, "contributors", "ghost", "alpha")
    assert "beta" in problem(err, "contributors")[3]


def test_missing_required_field(tmp_path):
    err = load_bad(tmp_path, mini().replace("unit_cost = 10\n", ""))
    _, _, val, allowed = problem(err, "unit_cost")
    assert val == "<missing>" and "missing" in allowed


def test_target_above_initial_need(tmp_path):
    err = load_bad(tmp_path, mini().replace("target = 40", "target = 400"))
    check_message(err, "target", 400, "below initial_need")


IV = '\n[[interventions]]\ntype = "{type}"\noutcome = "{outcome}"\n{more}'


def iv(type="pooled_budget", outcome="homes", more="") -> str:
    return IV.format(type=type, outcome=outcome, more=more)


def test_intervention_unknown_type(tmp_path):
    err = load_bad(tmp_path, mini(extra=iv(type="magic")))
    check_message(err, "interventions[0].type", "magic", "pooled_budget")
    for name in REGISTRY:
        assert name in problem(err, "type")[3]


def test_intervention_without_type(tmp_path):
    err = load_bad(tmp_path, mini(extra='\n[[interventions]]\noutcome = "homes"\n'))
    _, _, val, allowed = problem(err, "interventions[0].type")
    assert val == "<missing>" and "pooled_budget" in allowed


def test_intervention_unknown_outcome(tmp_path):
    err = load_bad(tmp_path, mini(extra=iv(outcome="castles")))
    check_message(err, "interventions[0](pooled_budget).outcome", "castles", "homes")


def test_intervention_unknown_member(tmp_path):
    err = load_bad(tmp_path, mini(extra=iv(more='members = ["alpha", "gamma"]\n')))
    check_message(err, "members", "gamma", "alpha")


def test_intervention_unknown_host(tmp_path):
    err = load_bad(tmp_path, mini(extra=iv(type="secondees", more='host = "gamma"\n')))
    check_message(err, "interventions[0](secondees).host", "gamma", "alpha")


def test_intervention_bad_value_and_unknown_name_both_reported(tmp_path):
    err = load_bad(tmp_path, mini(extra=iv(outcome="castles", more="share = 2.0\n")))
    check_message(err, "share", 2.0, "less than or equal to 1")
    check_message(err, "outcome", "castles", "homes")


def test_intervention_unknown_key(tmp_path):
    err = load_bad(tmp_path, mini(extra=iv(more="shaer = 0.2\n")))
    check_message(err, "interventions[0](pooled_budget).shaer", 0.2, "unknown key")


def test_intervention_end_before_start(tmp_path):
    err = load_bad(tmp_path, mini(extra=iv(more="start = 10\nend = 5\n")))
    check_message(err, "end", 5, "after start")


def test_interventions_not_a_list(tmp_path):
    err = load_bad(tmp_path, mini(extra='\n[interventions]\ntype = "pooled_budget"\n'))
    problem(err, "interventions")


def test_duplicate_agency_names(tmp_path):
    err = load_bad(tmp_path, mini().replace('name = "beta"', 'name = "alpha"'))
    check_message(err, "name", "alpha", "unique")


def test_toml_syntax_error(tmp_path):
    err = load_bad(tmp_path, mini().replace("horizon = 12", "horizon = = 12"))
    _, fld, val, allowed = err.problems[0]
    assert fld == "<syntax>" and "TOML" in allowed
    assert "line" in val  # tomllib says where


def test_base_missing(tmp_path):
    err = load_bad(tmp_path, 'base = "no_such_world.toml"\nname = "x"\n')
    check_message(err, "base", "no_such_world.toml", "scenario file")


def test_base_cycle(tmp_path):
    (tmp_path / "a.toml").write_text('base = "b.toml"\n', encoding="utf-8")
    err = load_bad(
        tmp_path,
        'base = "a.toml"\n',
        name="b.toml",
        files=[tmp_path / "a.toml", tmp_path / "b.toml"],
    )
    _, _, val, allowed = problem(err, "base")
    assert val in ("a.toml", "b.toml") and "include itself" in allowed


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "nowhere.toml")
    assert "nowhere.toml" in str(info.value)


def test_intervention_type_not_a_string(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(mini(extra="\n[[interventions]]\ntype = [1]\n"), encoding="utf-8")
    with pytest.raises(ScenarioError):
        load_scenario(path)


def test_non_utf8_file(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_bytes(b"\xff\xfe name = 1")
    with pytest.raises(ScenarioError):
        load_scenario(path)


def test_directory_instead_of_file(tmp_path):
    with pytest.raises(ScenarioError):
        load_scenario(tmp_path)
