"""The brief (jusim compare --brief): its bottom line equals the comparison's numbers, lever
settings read as words for every registered intervention, a better package far from its target
is flagged, and the "why" chart appears only when an explanation is passed."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import jusim
from jusim.analysis.stats import spread
from jusim.brief import (
    FAR_FROM_TARGET,
    _cases,
    bottom_line,
    bottom_line_html,
    describe_intervention,
    money_words,
    write_brief,
)
from jusim.ensemble import load_ensemble
from jusim.interventions import REGISTRY
from jusim.tables import verdict

FIXTURE = Path(__file__).parent / "data" / "ensemble_small.csv"
SHORT = 12


@pytest.fixture(scope="module")
def arms():
    names = ("silo", "rough_sleepers_unit", "secondees")
    return [jusim.load_scenario(n).with_overrides({"horizon": SHORT}) for n in names]


@pytest.fixture(scope="module")
def cmp(arms):
    ens = load_ensemble(FIXTURE)
    return jusim.compare(arms[1:], baseline=arms[0], replications=2, seed=3, ensemble=ens, draws=2)


@pytest.fixture(scope="module")
def line(cmp):
    return bottom_line(cmp)


def test_bottom_line_attainment_and_verdict_are_the_comparisons(cmp, line):
    fewer = line[line.measure == "fewer"]
    assert len(fewer) == 2 * 3  # two packages x three outcomes
    for r in fewer.itertuples():
        t = cmp.table[(cmp.table.scenario == r.scenario) & (cmp.table.outcome == r.outcome)]
        t = t.iloc[0]
        assert (r.diff, r.diff_low, r.diff_high) == (t["diff"], t["low"], t["high"])
        assert r.attainment == t["mean"]
        assert r.verdict == verdict(t["diff"], t["low"], t["high"]) != ""


def test_bottom_line_cases_money_and_relationships_equal_the_runs_tables(cmp, line):
    """Recomputed from the comparison's tidy tables (outcomes, system), paired by replication."""
    base = cmp.baseline
    out = cmp.trajectories()
    system = cmp._tables("system_table")
    last = out[out.month == SHORT]
    for r in line.itertuples():
        if r.measure == "fewer":
            sub = last[last.outcome == r.outcome]
            a = sub[sub.scenario == r.scenario].sort_values("replication").need.to_numpy()
            b = sub[sub.scenario == base].sort_values("replication").need.to_numpy()
            expected = spread(b - a)
            # cases and attainment are the same difference in two units
            spec = next(o for o in cmp.scenarios[base].outcomes if o.name == r.outcome)
            assert r.value == pytest.approx(r.diff * (spec.initial_need - spec.target))
        elif r.measure == "spend":
            tot = out.groupby(["scenario", "replication"]).spend.sum()
            expected = spread(tot[r.scenario].to_numpy() - tot[base].to_numpy())
        else:
            end = system[system.month == SHORT].set_index(["scenario", "replication"])[r.measure]
            expected = spread(end[r.scenario].to_numpy() - end[base].to_numpy())
        assert (r.value, r.low, r.high) == pytest.approx(expected, rel=1e-12), r


def test_the_brief_prints_the_bottom_line_numbers(cmp, arms, line, tmp_path):
    text = write_brief(cmp, arms, tmp_path / "b.html").read_text(encoding="utf-8")
    top = text[text.index("Bottom line") : text.index("Scenarios and their levers")]
    for r in line[line.measure == "fewer"].itertuples():
        if r.verdict != "negligible":
            more = "fewer" if r.value >= 0 else "more"
            assert f"{_cases(r.value)} {more}</b> cases of {r.outcome.replace('_', ' ')}" in top
            assert r.verdict in top
    for r in line[line.measure == "spend"].itertuples():
        assert money_words(r.value, signed=True) in top
    assert "trust" in top and "ties per member of staff" in top
    assert "Why it works" not in text  # no explanation passed: no chart, no runs


def test_a_better_package_far_from_its_target_is_flagged():
    def row(attainment: float, word: str) -> dict:
        return dict(
            scenario="secondees",
            measure="fewer",
            outcome="rough_sleeping",
            value=40.0,
            low=20.0,
            high=60.0,
            attainment=attainment,
            diff=0.02,
            verdict=word,
        )

    rest = [
        dict(scenario="secondees", measure=m, value=1.0, low=0.5, high=1.5, level=1, base_level=0)
        for m in ("spend", "mean_trust", "tie_density")
    ]
    far = bottom_line_html(pd.DataFrame([row(0.05, "better"), *rest]), 36)
    assert "still far from the target" in far and "attainment 0.05" in far
    near = bottom_line_html(pd.DataFrame([row(FAR_FROM_TARGET + 0.1, "better"), *rest]), 36)
    assert "still far" not in near
    worse = bottom_line_html(pd.DataFrame([row(0.05, "no clear difference"), *rest]), 36)
    assert "still far" not in worse


def _example(cls):
    """An instance with every required field filled (names are not checked against a world)."""
    data = {}
    for name, f in cls.model_fields.items():
        if f.is_required():
            data[name] = ["agency_a", "agency_b"] if "list" in str(f.annotation) else "an_agency"
    return cls(**data)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_lever_settings_in_words_for_every_intervention(name):
    cls = REGISTRY[name]
    iv = _example(cls)
    words = describe_intervention(iv)
    assert words.startswith(name.replace("_", " "))
    for field, value in iv.to_dict().items():
        if field == "type":
            continue
        assert not re.search(rf"\b{field}\b", words) or "_" not in field, (field, words)
        assert f"{field} {value}" not in words, (field, words)  # not "focus 3.0"
        assert cls.model_fields[field].description, f"{name}.{field} has no description"
    # every setting that is set is said: its value appears in words
    for field, value in iv.to_dict().items():
        default = cls.model_fields.get(field)
        if field in ("type", "outcome") or default is None or (not value and value is not None):
            continue
        shown = str(value).replace("_", " ") if isinstance(value, str) else None
        if shown:
            assert shown in words, (field, words)


def test_levers_of_a_shipped_scenario_read_as_words():
    iv = jusim.load_scenario("rough_sleepers_unit").interventions[0]
    words = describe_intervention(iv)
    assert "central unit on rough sleeping" in words
    assert "share of members' budgets pooled: 10%" in words
    assert "value of a focused month, in staff costs: 3" in words
    assert "pooled_share" not in words and "steer 0.5" not in words
    assert money_words(26_000) == "£26m" and money_words(-850, signed=True) == "−£850k"


def test_the_why_chart_when_an_explanation_is_passed(cmp, arms, tmp_path):
    from jusim.analysis.explain import explain

    ex = explain(arms[1], arms[0], replications=2, groups=["money", "credit"])
    text = write_brief(cmp, arms, tmp_path / "w.html", explanations=[ex]).read_text("utf-8")
    why = text[text.index("Why it works") :]
    assert "money and pooled budgets" in why and "runs asked" in why
    assert text.count("<svg") == 2  # trajectories and the one chart


def test_brief_explain_needs_a_brief_and_a_compared_scenario(tmp_path):
    from jusim.cli import app

    r = CliRunner().invoke(app, ["compare", "secondees", "--brief-explain", "secondees"])
    assert r.exit_code == 2 and "also give --brief" in r.output
    r = CliRunner().invoke(
        app,
        ["compare", "secondees", "--brief", str(tmp_path / "b.html"), "--brief-explain", "x"],
    )
    assert r.exit_code == 2 and "use one of the compared scenarios ['secondees']" in r.output
    assert not (tmp_path / "b.html").exists()


def test_bottom_line_without_an_ensemble_uses_the_tables_t_intervals(arms):
    plain = jusim.compare(arms[1:2], baseline=arms[0], replications=3, ensemble="none")
    line = bottom_line(plain)
    r = line[(line.measure == "fewer") & (line.outcome == "rough_sleeping")].iloc[0]
    t = plain.table[(plain.table.scenario == r.scenario) & (plain.table.outcome == r.outcome)]
    t = t.iloc[0]
    assert (r.diff_low, r.diff_high) == (t["diff_ci_low"], t["diff_ci_high"])
    assert np.isfinite(r.low) and r.low < r.value < r.high


def test_the_robust_packages_of_a_search_in_words(cmp, arms, tmp_path):
    """A search's Pareto set (its --out folder) is listed in the brief with its levers in words;
    a folder that holds no search is refused before any run."""
    from test_search import write

    from jusim.analysis.search import load_search, search
    from jusim.cli import app

    spec = load_search(write(tmp_path))
    found = search(spec, tmp_path / "found")
    text = write_brief(cmp, arms, tmp_path / "p.html", packages=tmp_path / "found").read_text(
        "utf-8"
    )
    section = text[text.index("Robust packages found by a search") :]
    section = section[: section.index("</p>")]
    assert section.count("<tr>") == len(found.pareto) + 1
    first = found.pareto.iloc[0]
    assert f"<td>{first.p10_attainment:.2f}</td>" in section
    assert first.package.split(" (")[0].replace("_", " ") in section  # the words, not the key
    r = CliRunner().invoke(
        app,
        ["compare", "secondees", "--brief", str(tmp_path / "b.html"), "--brief-packages", "."],
    )
    assert r.exit_code == 2 and "no pareto.csv there" in r.output
    assert not (tmp_path / "b.html").exists()
