"""Calibration (issue 21): the calibration file's errors, the target statistics, the ABC distance,
and (slow) a tiny pyabc run that is resumed after being killed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jusim.analysis.targets import COST_CAP, TARGETS, months_to_target, nao_cost, param_seed
from jusim.calibration import (
    Distance,
    fitted_paths,
    load_calibration,
    parse_calibration,
    prepare_folder,
    resample,
)
from jusim.scenario import ScenarioError

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "experiments" / "calibration_tiny.toml"
GOOD = {
    "name": "t",
    "out": "out",
    "fit": ["parameters.trust.gain"],
    "targets": {"rs_change_36": {}},
}


@pytest.mark.parametrize(
    ("change", "field", "allowed"),
    [
        ({"populaton": 10}, "populaton", "unknown key"),
        ({"population": 1}, "population", "greater than or equal to 2"),
        ({"targets": {"rs_fall": {}}}, "targets", "is not one of"),
        ({"fit": ["parameters.trust.gian"]}, "fit[0]", "a prior in jusim/data/priors.toml"),
        ({"fit": "all"}, "fit", "screen"),
        ({"targets": {"rs_change_36": {"tolerance": 0}}}, "tolerance", "greater than 0"),
        ({"workers": 0}, "workers", "greater than or equal to 1"),
        ({"targets": {"rs_change_36": {"fit": False}}}, "targets", "at least one target"),
    ],
)
def test_bad_calibration_file_names_file_field_value(tmp_path, change, field, allowed):
    with pytest.raises(ScenarioError) as err:
        parse_calibration({**GOOD, **change}, str(tmp_path / "c.toml"))
    text = str(err.value)
    assert text.startswith(str(tmp_path / "c.toml") + ": field '")
    assert field in text and allowed in text


def test_shipped_calibration_files_parse():
    for name in ("calibration.toml", "calibration_tiny.toml"):
        spec = load_calibration(ROOT / "experiments" / name)
        assert set(spec.targets) <= set(TARGETS)


def test_fit_from_screen_needs_a_screen(tmp_path):
    spec = parse_calibration({**GOOD, "fit": "screen"}, str(tmp_path / "c.toml"))
    with pytest.raises(ScenarioError, match="a finished screen first"):
        fitted_paths(spec)
    prepare_folder(spec)
    pd.DataFrame(
        {"factor": ["parameters.trust.gain", "parameters.trust.loss"], "selected": [True, False]}
    ).to_csv(spec.folder / "screen.csv", index=False)
    assert fitted_paths(spec) == ["parameters.trust.gain"]


def test_out_folder_of_another_calibration_needs_force(tmp_path):
    spec = parse_calibration(GOOD, str(tmp_path / "c.toml"))
    out = prepare_folder(spec)
    (out / "posterior.csv").write_text("x\n")
    prepare_folder(spec)  # the same calibration: continued, kept
    assert (out / "posterior.csv").exists()
    other = parse_calibration({**GOOD, "seed": 5}, str(tmp_path / "c.toml"))
    with pytest.raises(ScenarioError, match="results of other settings"):
        prepare_folder(other)
    prepare_folder(other, force=True)
    assert not (out / "posterior.csv").exists()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ScenarioError, match=r"notes\.txt"):
        prepare_folder(other, force=True)


class _Run:
    def __init__(self, need, spend, target):
        self.series = {
            "need": np.asarray(need, float)[:, None],
            "spend": np.asarray(spend, float)[:, None],
        }
        self.target = np.array([target], float)

    def __getitem__(self, key):
        return self.series[key]


def test_nao_cost_is_spend_per_unit_fall_and_capped():
    need = np.r_[100.0, np.linspace(99, 60, 40)]
    spend = np.ones(41)
    run = _Run(need, spend, 10)
    fall = need[0] - need[36]
    assert nao_cost(run, 0) == pytest.approx(36 / fall)
    assert nao_cost(_Run(np.full(41, 100.0), spend, 10), 0) == COST_CAP


def test_months_to_target_counts_from_month_36_and_censors_at_the_horizon():
    need = np.r_[np.full(40, 100.0), np.full(9, 5.0)]  # months 0..48; reached at month 40
    assert months_to_target(_Run(need, need * 0, 10), 0) == 4
    assert months_to_target(_Run(np.full(49, 100.0), np.zeros(49), 10), 0) == 13


def test_distance_is_the_largest_gap_in_tolerances():
    d = Distance({"a": 5.0, "b": 10.0})
    assert d({"a": 1.0, "b": 30.0}, {"a": 0.0, "b": 0.0}) == pytest.approx(3.0)


def test_param_seed_depends_on_values_not_order():
    a = param_seed(3, {"x": 1.0, "y": 2.0}).generate_state(2)
    b = param_seed(3, {"y": 2.0, "x": 1.0}).generate_state(2)
    c = param_seed(3, {"x": 1.0, "y": 2.5}).generate_state(2)
    assert (a == b).all() and not (a == c).all()


def test_resample_follows_weights_and_is_seeded():
    frame = pd.DataFrame({"v": [0.0, 1.0, 2.0]})
    _draws, idx = resample(frame, np.array([0.0, 0.25, 0.75]), 8, seed=1)
    assert 0 not in idx and (idx == 2).sum() == 6
    assert (resample(frame, np.array([0.0, 0.25, 0.75]), 8, seed=1)[1] == idx).all()


def _tiny(tmp_path: Path) -> Path:
    text = TINY.read_text().replace(
        'out = "../results/calibration_tiny"', f'out = "{tmp_path / "out"}"'
    )
    path = tmp_path / "tiny.toml"
    path.write_text(text)
    return path


def _cli(path: Path, **kw):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "jusim.cli", "calibrate", str(path)]
    return subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw
    )


@pytest.mark.slow
def test_tiny_calibration_resumes_after_a_kill(tmp_path):
    import pyabc

    path = _tiny(tmp_path)
    out = tmp_path / "out"
    proc = _cli(path, start_new_session=True)
    db = out / "calibration.db"
    deadline = time.time() + 600
    while time.time() < deadline:  # kill once generation 0 is stored
        time.sleep(2)
        if db.exists():
            try:
                if pyabc.History(f"sqlite:///{db}", _id=1).max_t >= 0:
                    break
            except Exception:
                pass
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    first = pyabc.History(f"sqlite:///{db}", _id=1)
    assert first.max_t == 0
    gen0, _w0 = first.get_distribution(m=0, t=0)
    done = _cli(path)
    log = done.communicate(timeout=900)[0].decode()
    assert done.returncode == 0, log
    history = pyabc.History(f"sqlite:///{db}", _id=1)
    assert history.max_t == 1  # continued: one more generation, not two new ones
    again, _w = history.get_distribution(m=0, t=0)
    pd.testing.assert_frame_equal(gen0, again)
    posterior = pd.read_csv(out / "posterior.csv")
    assert len(posterior) == 10 and set(posterior["generation"]) == {1}
    assert posterior["weight"].sum() == pytest.approx(1.0)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["generations"] == 2 and summary["epsilons"][1] <= summary["epsilons"][0]
    ident = pd.read_csv(out / "identification.csv")
    assert set(ident["parameter"]) == set(summary["fitted"])
    pred = pd.read_csv(out / "predictive.csv")
    assert set(pred["target"]) == {"rs_change_36", "nao_cost_unit"}
    from jusim.calibration import report

    assert "Posterior predictive" in report(load_calibration(path))
    shutil.rmtree(out)


@pytest.mark.slow
def test_tiny_calibration_on_a_dask_cluster(tmp_path):
    from dask.distributed import LocalCluster

    from jusim.calibration import calibrate

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False) as cluster:
        text = _tiny(tmp_path).read_text()
        path = tmp_path / "dask.toml"
        top = f'scheduler = "{cluster.scheduler_address}"\n'
        path.write_text(text.replace("\n[targets.", f"\n{top}[targets.", 1))
        spec = load_calibration(path)
        assert spec.scheduler == cluster.scheduler_address
        summary = calibrate(spec)
    assert summary["generations"] == 2
    assert len(pd.read_csv(tmp_path / "out" / "posterior.csv")) == 10


def _two_factor_screen(tmp_path: Path, crn: bool):
    """A screen of one factor that moves rough sleeping and one that no target world has."""
    from jusim.calibration import screen, screened_priors

    used, unused = screened_priors()
    priors = [next(p for p in used if p.path == "outcomes.rough_sleeping.exit_rate"), unused[0]]
    spec = parse_calibration(
        {
            **GOOD,
            "seed": 1,
            "out": str(tmp_path / f"screen_{crn}"),
            "targets": {"rs_change_36": {}, "eydcp_place_cost": {}},
            "screen": {"trajectories": 2, "levels": 4, "top": 1, "crn": crn},
        },
        str(tmp_path / "c.toml"),
    )
    screen(spec, priors=priors)
    mu = pd.read_csv(spec.folder / "screen_indices.csv").query("index == 'mu_star'")
    return spec, priors, mu.pivot(index="factor", columns="target", values="value")


def test_a_screen_on_common_random_numbers_gives_an_unused_factor_mu_star_zero(tmp_path):
    spec, (used, unused), mu = _two_factor_screen(tmp_path, crn=True)
    assert (mu.loc[unused.path] == 0.0).all()  # paired runs: exactly no effect, every target
    assert mu.loc[used.path, "rs_change_36"] > 1.0  # the exit rate moves the count
    # resumable: a killed screen's stored runs are kept and the rest run on the same seeds
    runs_file = spec.folder / "screen_runs.csv"
    full = pd.read_csv(runs_file)
    full.iloc[:3].to_csv(runs_file, index=False)
    from jusim.calibration import screen

    screen(spec, priors=[used, unused])
    pd.testing.assert_frame_equal(pd.read_csv(runs_file), full)


def test_per_point_seeds_leave_seed_noise_on_an_unused_factor(tmp_path):
    _spec, (_used, unused), mu = _two_factor_screen(tmp_path, crn=False)
    assert mu.loc[unused.path, "rs_change_36"] > 0.0  # the floor common random numbers remove


def test_the_screens_seeding_is_part_of_its_settings(tmp_path):
    spec = parse_calibration({**GOOD, "screen": {"crn": False}}, str(tmp_path / "c.toml"))
    assert parse_calibration(GOOD, str(tmp_path / "c.toml")).screen.crn  # the default
    assert spec.digest("screen") != parse_calibration(GOOD, "x").digest("screen")
