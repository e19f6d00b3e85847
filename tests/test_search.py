"""jusim search: robust package search with pymoo (jusim/analysis/search.py)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import jusim
from jusim.analysis.search import load_search, parse_search, search
from jusim.cli import app
from jusim.scenario import ScenarioError

SMALL = """
name = "tiny"
outcome = "rough_sleeping"
horizon = 12
replications = 2
cost_limit = 30.0
population = 4
generations = 2

[[levers]]
intervention = "pooled_budget"
fixed = { outcome = "rough_sleeping" }
settings = { share = [0.02, 0.2] }

[[levers]]
intervention = "secondees"
fixed = { outcome = "rough_sleeping", host = "local_authority" }
settings = { count = [2, 12] }
"""


def write(tmp_path, text: str = SMALL):
    p = tmp_path / "search.toml"
    p.write_text(text)
    return p


@pytest.mark.parametrize(
    "change, field, words",
    [
        (("population = 4", "populaton = 4"), "populaton", "unknown field"),
        (('intervention = "pooled_budget"', 'intervention = "pot"'), "levers.0", "one of"),
        (("share = [0.02, 0.2]", "share = [0.3, 0.2]"), "levers.0", "low <= high"),
        (("share = [0.02, 0.2]", "colour = [0, 1]"), "levers.0", "a numeric field"),
    ],
)
def test_schema_errors_name_the_field(tmp_path, change, field, words):
    p = write(tmp_path, SMALL.replace(*change))
    with pytest.raises(ScenarioError) as e:
        load_search(p)
    assert field in str(e.value) and words in str(e.value) and str(p) in str(e.value)


def test_levers_are_checked_against_the_scenario(tmp_path):
    p = write(tmp_path, SMALL.replace('host = "local_authority"', 'host = "nobody"'))
    with pytest.raises(ScenarioError, match=r"levers\[1\]"):
        load_search(p)
    p = write(
        tmp_path, SMALL.replace('outcome = "rough_sleeping"\nhorizon', 'outcome = "x"\nhorizon')
    )
    with pytest.raises(ScenarioError, match="outcome"):
        load_search(p)
    with pytest.raises(ScenarioError, match="objectives"):
        parse_search({"objectives": ["speed"]}, "x.toml")


def test_search_resumes_to_the_same_pareto_set_and_writes_packages(tmp_path):
    spec = load_search(write(tmp_path))
    whole = search(spec, tmp_path / "whole")

    class Stop(Exception):
        pass

    def stop_after_first(gen, total):
        if gen == 1:
            raise Stop

    with pytest.raises(Stop):
        search(spec, tmp_path / "cut", progress=stop_after_first)
    resumed = search(spec, tmp_path / "cut")
    assert resumed.resumed_from == 1
    cols = ["package", "p10_attainment", "cost_per_case", "regret", "extra_spend"]
    assert whole.pareto[cols].equals(resumed.pareto[cols])
    assert (whole.pareto.extra_spend <= spec.cost_limit).all()
    # every package file is a scenario that runs and is the package evaluated
    files = sorted((tmp_path / "whole" / "packages").glob("*.toml"))
    assert len(files) == len(whole.pareto) >= 1
    first = jusim.load_scenario(files[0])
    kinds = sorted(iv.name for iv in first.interventions)
    assert kinds == sorted(p.split(" (")[0] for p in whole.pareto.package[0].split(" + "))
    assert (tmp_path / "whole" / "pareto.png").is_file()


def test_cli_refuses_a_foreign_folder_and_a_changed_file(tmp_path):
    p = write(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    res = CliRunner().invoke(app, ["search", str(p), "--out", str(tmp_path / "mine")])
    assert res.exit_code == 2 and "did not write" in res.output
    out = tmp_path / "s"
    assert CliRunner().invoke(app, ["search", str(p), "--out", str(out)]).exit_code == 0
    p.write_text(SMALL.replace("cost_limit = 30.0", "cost_limit = 40.0"))
    res = CliRunner().invoke(app, ["search", str(p), "--out", str(out)])
    assert res.exit_code == 2 and "--force" in res.output
    assert CliRunner().invoke(app, ["search", str(p), "--out", str(out), "--force"]).exit_code == 0


def test_search_over_an_ensemble_pairs_draws_and_seeds_and_keeps_them_in_the_checkpoint(tmp_path):
    from jusim.analysis.compare import compare

    ens = tmp_path / "ens.csv"
    ens.write_text("draw,weight,outcomes.rough_sleeping.exit_rate\n0,1,0.02\n1,1,0.045\n")
    spec = load_search(write(tmp_path, SMALL.replace("generations = 2", "generations = 1")))
    out = tmp_path / "over"
    result = search(spec, out, ensemble=ens, draws=2)
    assert "2 draws of" in result.samples and "x 2 seeds" in result.samples
    # every package and the baseline: 2 draws x 2 seeds
    assert result.runs == (len(result.evaluations) + 1) * 4
    # the baseline's samples are jusim compare's runs on the same draws and seeds
    from jusim.analysis.samples import samples
    from jusim.analysis.search import Evaluator, scenarios

    ev = Evaluator(spec, samples(spec.seed, spec.replications, ens, 2))
    base = scenarios(spec)[1]
    got = ev._samples(base)["attainment"]
    cmp = compare([base], baseline=base, replications=2, seed=spec.seed, ensemble=ens, draws=2)
    k = base.outcome_names.index("rough_sleeping")
    assert got.tolist() == [r.attainment[-1, k] for r in cmp.runs[base.name]]
    assert len(set(got.round(12))) == 4  # distinct draws and seeds
    # a checkpoint made over the ensemble is not resumed without it
    with pytest.raises(ScenarioError, match="checkpoint"):
        search(spec, out)


def test_search_cli_takes_an_ensemble_and_refuses_draws_without_one(tmp_path):
    p = write(tmp_path, SMALL.replace("generations = 2", "generations = 1"))
    ens = tmp_path / "ens.csv"
    ens.write_text("draw,weight,outcomes.rough_sleeping.exit_rate\n0,1,0.02\n1,1,0.045\n")
    out = tmp_path / "s"
    res = CliRunner().invoke(
        app, ["search", str(p), "--out", str(out), "--ensemble", str(ens), "--draws", "2"]
    )
    assert res.exit_code == 0, res.output
    assert "2 draws of" in res.output
    res = CliRunner().invoke(app, ["search", str(p), "--out", str(tmp_path / "t"), "--draws", "2"])
    assert res.exit_code == 2 and "draws" in res.output and "Traceback" not in res.output


def test_search_on_a_dask_cluster_finds_the_same_pareto_set(tmp_path, dask_client):
    """A generation's packages run side by side on a Dask cluster (two worker processes): the
    same evaluations and Pareto set as in one process."""
    from jusim.experiment.executors import DaskExecutor

    spec = load_search(write(tmp_path))
    alone = search(spec, tmp_path / "alone")
    executor = DaskExecutor(dask_client)
    submitted = []
    submit = executor.submit
    executor.submit = lambda fn, *args: submitted.append(fn) or submit(fn, *args)
    spread = search(spec, tmp_path / "dask", executor=executor)
    assert len(submitted) >= 2  # the packages did go to the cluster
    cols = ["package", "p10_attainment", "cost_per_case", "regret", "extra_spend"]
    assert spread.pareto[cols].equals(alone.pareto[cols])
    assert spread.evaluations.drop(columns="key").equals(alone.evaluations.drop(columns="key"))
    assert spread.runs == alone.runs
