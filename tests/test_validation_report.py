"""The validation report over the posterior (issue 21): posterior draws read from the ensemble
file (its ``draw``/``weight`` columns handled, rows chosen by a seeded Generator, provenance
kept), the suite over draws in both settings, and the importable tables. Small and fast: the
families here are tiny stand-ins; the real suite runs in the report and the slow tests."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from jusim.analysis import draws, validation
from jusim.analysis import validation_report as vr
from jusim.analysis.claims import Sesoi, above
from jusim.ensemble import SHIPPED, load_ensemble
from jusim.scenario import ScenarioError

ROOT = Path(__file__).resolve().parents[1]
TEMP = "parameters.decision.temperature"


def test_posterior_draws_are_the_files_rows_without_draw_or_weight():
    ens = load_ensemble(SHIPPED)
    s = draws.posterior_sample(None, 5, seed=3)
    assert s.posterior and s.label == draws.POSTERIOR_LABEL and len(s.draws) == 5
    rows = {int(i): k for k, i in enumerate(ens.ids)}
    for drawn, d in zip(s.provenance["drawn"], s.draws, strict=True):
        assert "draw" not in d and "weight" not in d and set(d) == set(ens.paths)
        assert list(d.values()) == list(ens.values[rows[drawn]])  # ints stay ints
    assert len(set(s.provenance["drawn"])) == 5  # equal weights: without replacement
    assert s.provenance["sha256"] == hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
    assert s.provenance["made_by"]["calibration_file"] == ens.info["calibration_file"]
    text = s.describe()
    assert "posterior draws" in text and s.provenance["sha256"][:16] in text
    assert "prior" not in text


def test_posterior_draws_are_seeded_and_all_rows_at_full_size():
    a, b, c = (draws.posterior_sample(None, 6, seed=k) for k in (1, 1, 2))
    assert a.draws == b.draws and a.provenance == b.provenance
    assert a.provenance["drawn"] != c.provenance["drawn"]
    total = load_ensemble(SHIPPED).total
    assert draws.posterior_sample(None, total).provenance["drawn"] == list(range(total))
    with pytest.raises(ScenarioError, match="at most the"):
        draws.posterior_sample(None, total + 1)
    with pytest.raises(ScenarioError, match="draws"):
        draws.posterior_sample(None, 0)


def test_unequal_weights_draw_in_proportion_to_weight(tmp_path):
    f = tmp_path / "e.csv"
    f.write_text(f"draw,weight,{TEMP}\n0,0,0.1\n1,0,0.2\n2,3,0.3\n")
    s = draws.posterior_sample(f, 4, seed=9)
    assert [d[TEMP] for d in s.draws] == [0.3] * 4 and "proportional" in s.provenance["how"]
    assert "no provenance file" in s.describe()
    f.write_text(f"draw,{TEMP}\n0,0.1\n")
    with pytest.raises(ScenarioError, match=r"e\.csv.*draw,weight"):
        draws.posterior_sample(f, 1)


def _script():
    """experiments/validation_report.py as a module."""
    spec = importlib.util.spec_from_file_location(
        "vr_script", ROOT / "experiments/validation_report.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def test_the_report_script_rejects_a_bad_ensemble_in_one_line(tmp_path, monkeypatch):
    script = _script()
    bad = tmp_path / "bad.csv"
    bad.write_text(f"draw,weight,{TEMP}\n0,1,warm\n")
    out = tmp_path / "o"
    argv = ["validation_report.py", "--ensemble", str(bad), "--out", str(out)]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as stop:
        script.main()
    message = str(stop.value.code)
    assert "\n" not in message and "bad.csv" in message and "warm" in message
    assert "a number" in message and not out.exists()  # nothing run, nothing written


def _temperature_family(seeds):
    """A stand-in family: an effect equal to the draw's decision temperature (plus seed noise),
    claimed above 0.15, in whatever setting the suite runs it."""
    t = draws.base_world("silo").parameters.decision.temperature
    noise = [0.001 * k for k in range(len(seeds))]
    claim = above(Sesoi(0.15, "test"))
    return [
        validation._effect("7", "temperature", [t + x for x in noise], claim),
        validation._effect("7", "temperature", [t + x for x in noise], claim, control=True),
        validation._effect("12", "not a claim", [1.0 + x for x in noise], lambda lo, hi: lo > 0),
    ]


def test_the_suite_over_draws_in_both_settings_gives_shares_per_setting(monkeypatch):
    monkeypatch.setattr(validation, "_CACHE", {})
    fams = [_temperature_family]
    sample = [{TEMP: 0.1}, {TEMP: 0.2}, {TEMP: 0.3}, {TEMP: 0.4}]
    effects = validation.validate(2, 5, workers=1, families=fams)
    effects += validation.validate(2, 5, workers=1, setting="half_size", families=fams)
    over = validation.validate_over_draws(sample, 2, 5, workers=1, families=fams)
    over += validation.validate_over_draws(
        sample, 2, 5, workers=1, setting="half_size", families=fams
    )
    assert [o.setting for o in over] == [e.setting for e in effects]
    head = over[0]
    assert head.holding == (False, True, True, True) and head.share == 0.75
    assert head.range_holds is False and over[2].range_holds is None  # 0.1 is in the range
    assert np.isclose(head.mean, 0.2505)
    narrow = validation.validate_over_draws(sample[2:], 2, 5, workers=1, families=fams)[0]
    assert narrow.range_holds is True  # every run's effect beyond 0.15

    status = vr.summarise(effects, over)
    s7 = status["7"]
    assert s7.share == {"main": 0.75, "half-size": 0.75, "designs": None}
    assert s7.holds["designs"] is None and s7.fails("main") and not s7.fails("designs")
    assert not vr.counts(status)["emergent_draws_both"]  # 75% < 80%
    table = "\n".join(vr.facts_table(effects, over))
    assert table.count("| (7) |") == 2 and "75%" in table and "| (12) |" not in table
    assert "half-size area" in table
    # a mismatch between the suite's rows and the rows over draws is an error, not a silent misfit
    with pytest.raises(RuntimeError, match="differs"):
        vr.paired(effects[3:], over)


def test_the_report_labels_posterior_and_prior_draws_and_gives_a_reason_slot(monkeypatch):
    monkeypatch.setattr(validation, "_CACHE", {})
    fams = [_temperature_family]
    post = draws.posterior_sample(None, 2, seed=4)
    effects = validation.validate(2, 5, workers=1, families=fams)
    over = validation.validate_over_draws(post.draws, 1, 5, workers=1, families=fams)
    body = "\n".join(vr.report_body(effects, over, post, 1))
    assert "posterior draws" in body and post.provenance["sha256"][:16] in body
    assert "prior sample" not in body
    assert "(7) " in body and "fails in" in body  # every failure listed, with a reason or a flag
    prior = draws.prior_draws(2, seed=4)
    body = "\n".join(vr.report_body(effects, over, prior, 1))
    assert "prior sample, not posterior" in body


def test_every_written_reason_names_a_fact_and_says_why():
    from jusim.analysis.facts_settings import HALF_SIZE_REASONS, NARROWED, POSTERIOR_REASONS

    for table in (NARROWED, HALF_SIZE_REASONS, POSTERIOR_REASONS):
        for key, text in table.items():
            assert key in validation.PATTERNS, key
            assert len(text) > 60, key


def test_the_report_scripts_expected_duration_matches_its_measured_runs():
    script = _script()
    import argparse

    def minutes(r, half, n, seeds, workers=1):
        args = argparse.Namespace(
            replications=r,
            setting_replications=half,
            draws=n,
            draw_replications=seeds,
            workers=workers,
        )
        return script.expected_minutes(args)

    big, tiny = minutes(12, 8, 10, 2), minutes(2, 2, 2, 1)
    assert big[0] == pytest.approx(15.0, rel=0.05) and tiny[0] == pytest.approx(2.1, rel=0.05)
    assert "15.0 CPU minutes" in script.MEASURED[(12, 8, 10, 2)]  # the runs the rate is from
    assert big[1] == big[0] and big[2] == 1  # one worker: wall = CPU on an idle core
