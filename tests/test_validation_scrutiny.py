"""Fact 6 (scrutiny and freedom to fail) from 30 paired replications with 95% intervals, and its
controls. The assertions are on confidence intervals of effect sizes, which the model may or may
not produce: see jusim/analysis/facts_scrutiny.py for the experiments."""

import numpy as np
import pytest

from jusim.analysis.compare import replication_seeds
from jusim.analysis.facts_scrutiny import PATTERNS, effects
from jusim.analysis.validation import family_effects


@pytest.fixture(scope="module")
def found():
    return family_effects(effects, replication_seeds(2026, 30))


def test_every_effect_has_30_replications_and_a_proper_interval(found):
    for e in found:
        assert e.n == 30
        assert np.isfinite([e.ci_low, e.ci_high]).all(), e.measure
        if e.control and e.ci_low == e.ci_high == 0:
            continue  # no penalty: visibility alone leaves the runs exactly unchanged
        assert e.ci_high > e.ci_low, f"no variation across seeds: {e.measure}"


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_fact_holds_and_its_controls_remove_it(found, pattern):
    rows = [e for e in found if e.pattern == pattern]
    assert any(not e.control for e in rows) and sum(e.control for e in rows) >= 2
    for e in rows:
        assert e.holds, f"({e.pattern}) {e.measure}: {e.mean:.4f} [{e.ci_low:.4f}, {e.ci_high:.4f}]"


def test_scrutiny_cuts_starts_and_the_consensus_restores_them(found):
    rows = {e.measure: e for e in found if not e.control}
    cut = next(e for m, e in rows.items() if m.startswith("high (0.8) minus low"))
    restored = next(e for m, e in rows.items() if "consensus to operate minus none" in m)
    assert cut.ci_high < 0 and restored.ci_low > 0
