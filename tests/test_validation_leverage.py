"""Facts 4, 10 and 13 (leverage, mainstreaming, divisions) from 30 paired replications.

The assertions are on 95% intervals of effect sizes, which the model may or may not produce; each
fact also has a control row (its mechanism switched off), which must show the fact gone.
"""

import numpy as np
import pytest

from jusim.analysis import facts_leverage, validation
from jusim.analysis.compare import replication_seeds
from jusim.analysis.validation import family_effects

# Rows resolved in the claimed direction but smaller than their smallest effect of interest
# (docs/validation.md): they do not hold. If one of them starts to hold, or another row stops, the
# model has changed and the docs must be regenerated and this list updated.
BELOW_SESOI = {
    "succession plan minus none: share of the gain lost by month 72",
    "divisions differ in openness: SD of partners' tie quality across an agency's divisions, beyond chance",
    "corporate commitment minus none: SD of partners' tie quality across an agency's divisions, beyond chance",
}


@pytest.fixture(scope="module")
def effects():
    return family_effects(facts_leverage.effects, replication_seeds(2026, 30))


def _by(effects, pattern, control):
    return [e for e in effects if e.pattern == pattern and e.control == control]


@pytest.mark.parametrize("pattern", sorted(facts_leverage.PATTERNS))
def test_fact_holds_and_its_control_shows_it_gone(effects, pattern):
    for control in (False, True):
        found = _by(effects, pattern, control)
        assert found, f"fact {pattern}: no {'control' if control else 'fact'} row"
        for e in found:
            assert e.n == 30
            assert np.isfinite([e.ci_low, e.ci_high]).all() and e.ci_high > e.ci_low, e.measure
        assert not validation.unexpected_verdicts(found, BELOW_SESOI)


def test_patterns_registered_in_the_validation_suite():
    assert facts_leverage.effects in validation.FAMILIES
    for key in facts_leverage.PATTERNS:
        assert key in validation.PATTERNS
