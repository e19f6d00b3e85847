"""Strict, finite, bounded scenario input (issue 12): each bad file is refused with a message
naming the file, the field, the value and what is allowed; none gives a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import small_toml
from typer.testing import CliRunner

import jusim
from jusim.cli import app
from jusim.scenario import MAX_BASE_CHAIN, ScenarioError

AGENCY = """
[[agencies]]
name = "{name}"
kind = "local_authority"
staff = {staff}
budget = {budget}
"""
OUTCOME = """
[[outcomes]]
name = "need"
contributors = {{ a0 = 1.0, a1 = 1.0 }}
initial_need = {initial_need}
inflow = {inflow}
unit_cost = {unit_cost}
half_saturation = {half_saturation}
target = 10
"""
GOOD = dict(staff=50, budget=1000, initial_need=100, inflow=5, unit_cost=10, half_saturation=300)


def world(n_agencies: int = 2, **changes) -> str:
    v = {**GOOD, **changes}
    agencies = "".join(
        AGENCY.format(name=f"a{k}", staff=v["staff"], budget=v["budget"]) for k in range(n_agencies)
    )
    return 'name = "w"\nhorizon = 3\n' + agencies + OUTCOME.format(**v)


CENTRAL_UNIT = '\n[[interventions]]\ntype = "central_unit"\noutcome = "need"\n'

# (file text, field named, a word of what is allowed)
CASES = {
    "infinite budget": (world(budget="inf"), "budget", "finite"),
    "huge initial need": (world(initial_need="1e300"), "initial_need", "less than"),
    "huge inflow": (world(inflow="1e300"), "inflow", "less than"),
    "unit cost near float max": (world(unit_cost="1.7e308"), "unit_cost", "less than"),
    "unit cost beyond float max": (world(unit_cost="1.8e308"), "unit_cost", "finite"),
    "infinite unit cost": (world(unit_cost="inf"), "unit_cost", "finite"),
    "infinite half saturation": (world(half_saturation="inf"), "half_saturation", "finite"),
    "nan budget": (world(budget="nan"), "budget", "finite"),
    "true as a number": (world(budget="true"), "budget", "number"),
    "text as a number": (world(budget='"1e3"'), "budget", "number"),
    "fraction as headcount": (world(staff="10.5"), "staff", "integer"),
    "two central units, one name": (world() + CENTRAL_UNIT * 2, "interventions[1]", "not used"),
    "central unit named like an agency": (
        world() + CENTRAL_UNIT + 'unit = "a0"\n',
        "unit",
        "not already used",
    ),
    "repeated member": (
        world() + '\n[[interventions]]\ntype = "pooled_budget"\noutcome = "need"\n'
        'members = ["a0", "a0"]\n',
        "members",
        "distinct",
    ),
    "no members": (
        world() + '\n[[interventions]]\ntype = "pooled_budget"\noutcome = "need"\nmembers = []\n',
        "members",
        "at least one",
    ),
    "too many agencies": (world(n_agencies=3010), "agencies", "at most 1000"),
    "too many staff": (world(staff=600_000), "agencies.staff", "at most 1,000,000"),
    "deep nesting": (world() + "x = " + "[" * 2000 + "]" * 2000 + "\n", "<", "nesting"),
    "nested tables": (world() + "[context]\nx = " + "{a = " * 40 + "1" + "}" * 40, "<", "nesting"),
    "base with a NUL": ('base = "a\\u0000b"\n' + world(), "base", "scenario file"),
    "very long base": (f'base = "{"x" * 5000}"\n' + world(), "base", "scenario file"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_scenario_refused(case: str, tmp_path: Path) -> None:
    text, field, allowed = CASES[case]
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as info:
        jusim.load_scenario(path)
    message = str(info.value)
    assert str(path) in message and field in message and allowed in message, message
    result = CliRunner().invoke(app, ["run", str(path)])
    assert result.exit_code == 2, result.output
    assert str(path) in result.output.replace("\n", "")
    assert isinstance(result.exception, SystemExit)


def test_good_world_runs(tmp_path: Path) -> None:
    path = tmp_path / "good.toml"
    path.write_text(world() + CENTRAL_UNIT)
    assert jusim.run(path, seed=1).summary()


def test_base_chain_is_limited(tmp_path: Path) -> None:
    prev = small_toml(tmp_path, "f0")
    for k in range(1, MAX_BASE_CHAIN + 3):
        path = tmp_path / f"f{k}.toml"
        path.write_text(f'base = "{prev.name}"\nname = "f{k}"\n')
        prev = path
    with pytest.raises(ScenarioError, match=f"at most {MAX_BASE_CHAIN}"):
        jusim.load_scenario(prev)
    # a chain within the limit loads
    jusim.load_scenario(tmp_path / f"f{MAX_BASE_CHAIN - 1}.toml")
