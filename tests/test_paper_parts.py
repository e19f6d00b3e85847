"""The paper's scripts: the pieces that turn the shipped posterior into tables (fast checks)."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from jusim.ensemble import resolve_ensemble
from jusim.priors import prior_map

HERE = Path(__file__).resolve().parents[1] / "experiments" / "paper"


def script(name: str) -> SimpleNamespace:
    return SimpleNamespace(**runpy.run_path(str(HERE / f"{name}.py")))


@pytest.fixture(scope="module")
def ensemble():
    ens, note = resolve_ensemble("default")
    if ens is None:
        pytest.skip(note)
    return ens


def test_posterior_table_reads_every_fitted_parameter_against_its_prior(ensemble):
    post = script("fig_calibration").posterior_table(ensemble, prior_map())
    assert list(post.parameter) == list(ensemble.paths)
    for r in post.itertuples():
        x = ensemble.values[:, list(ensemble.paths).index(r.parameter)].astype(float)
        assert r.prior_low <= r.low90 <= r.median <= r.high90 <= r.prior_high
        assert r.sd_ratio == pytest.approx(x.std() / prior_map()[r.parameter].spread)
        expected = "pinned down" if r.sd_ratio < 0.5 else "narrowed"
        assert r.verdict == (expected if r.sd_ratio < 0.8 else "stays at prior")


def test_sensitivity_levels_are_the_posterior_5_95_range_and_whole_numbers_stay_whole(ensemble):
    levels = script("fig_sensitivity").levels(ensemble)
    assert set(levels) == set(ensemble.paths)
    for j, path in enumerate(ensemble.paths):
        lo, hi = levels[path]
        x = ensemble.values[:, j].astype(float)
        assert x.min() <= lo <= hi <= x.max()
        assert np.mean(x < lo) <= 0.05 + 1e-9 and np.mean(x > hi) <= 0.05 + 1e-9
    setup = levels["parameters.partnership.setup"]
    assert all(isinstance(v, int) for v in setup)


def test_a_swing_is_judged_against_the_sesoi_on_its_whole_interval():
    verdict = script("fig_sensitivity").verdict
    assert verdict(0.06, 0.2, 0.05) == "beyond the SESOI"
    assert verdict(-0.3, -0.06, 0.05) == "beyond the SESOI"
    assert verdict(-0.04, 0.04, 0.05) == "within the SESOI"
    assert verdict(0.01, 0.2, 0.05) == "not resolved"
