"""Facts 1, 5, 8, 14, 15 and interventions I11, I24 (incentives, targets, capacity, feedback) from 30
paired replications with 95% intervals, each with a control row showing the fact can fail
(jusim/analysis/facts_incentives.py).
"""

import numpy as np
import pytest

from jusim.analysis import facts_incentives, validation
from jusim.analysis.compare import replication_seeds
from jusim.analysis.validation import family_effects

# Rows resolved in the claimed direction but smaller than their smallest effect of interest
# (docs/validation.md): they do not hold. If one of them starts to hold, or another row stops, the
# model has changed and the docs must be regenerated and this list updated.
BELOW_SESOI = {
    "leak minus none: mean trust, month 25",
    "leak minus none: mean trust two years on (month 48)",
    "narrow target minus silo: youth_offending need at the horizon (cases)",
    "three seats, streamlined reporting minus none: participation",
    "failing joint work (shared targets): feedback minus none, joint share, months 1-24",
    "succeeding joint work (unit package): feedback minus none, joint share, months 1-24",
}


@pytest.fixture(scope="module")
def effects():
    return family_effects(facts_incentives.effects, replication_seeds(2026, 30))


def _by(effects, pattern, control=None):
    return [
        e for e in effects if e.pattern == pattern and (control is None or e.control == control)
    ]


def test_thirty_replications_and_finite_intervals(effects):
    for e in effects:
        assert e.n == 30
        assert np.isfinite([e.ci_low, e.ci_high]).all(), e.measure


@pytest.mark.parametrize("pattern", sorted(facts_incentives.PATTERNS))
def test_fact_holds_and_has_a_control(effects, pattern):
    facts, controls = _by(effects, pattern, False), _by(effects, pattern, True)
    assert facts and controls
    assert not validation.unexpected_verdicts(facts + controls, BELOW_SESOI)


def test_fact_1_compares_outcomes_that_move(effects):
    """Own attainment is an outcome: it falls when credit pulls resources into joint work, and
    the silo gap reverses when departmental credit is switched off."""
    silo_gap, own_drop, *controls = _by(effects, "1")
    assert silo_gap.ci_high < 0 and own_drop.ci_high < 0
    assert all(c.ci_low > 0 for c in controls)
