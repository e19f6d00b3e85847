"""Stylized facts from the evidence, from 30 paired replications with 95% intervals.

The assertions are on confidence intervals of effect sizes, which the model may or may not
produce: see jusim/analysis/validation.py for the experiments and docs/validation.md for results.
"""

import numpy as np
import pytest

from jusim.analysis.validation import validate


@pytest.fixture(scope="module")
def effects():
    return validate(replications=30, seed=2026)


def _by(effects, pattern):
    return [e for e in effects if e.pattern == pattern]


def test_every_effect_has_a_proper_interval(effects):
    """30 replications each, and real run-to-run variation: finite intervals of positive width."""
    for e in effects:
        assert e.n == 30
        assert np.isfinite([e.ci_low, e.ci_high]).all(), e.measure
        assert e.ci_high > e.ci_low, f"no variation across seeds: {e.measure}"


@pytest.mark.parametrize("pattern", ["b", "c", "d"])
def test_pattern_holds(effects, pattern):
    found = _by(effects, pattern)
    assert found
    for e in found:
        assert e.holds, f"({e.pattern}) {e.measure}: {e.mean:.3f} [{e.ci_low:.3f}, {e.ci_high:.3f}]"


def test_secondees_recover_churn_loss(effects):
    """Secondees recover a positive share of the attainment lost to churn."""
    loss = next(
        e
        for e in effects
        if e.pattern == "c" and "churn x" in e.measure and "attainment" in e.measure
    )
    gain = next(e for e in effects if "secondees" in e.measure)
    assert loss.mean < 0 < gain.mean
