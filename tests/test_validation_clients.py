"""Validation family: clients, Sure Start, costs per case, shared services, mobility (facts 2, 3, 11,
18, 19)."""

from __future__ import annotations

import pytest

from jusim.analysis import facts_clients
from jusim.analysis.compare import replication_seeds
from jusim.analysis.validation import family_effects


@pytest.fixture(scope="module")
def effects():
    return family_effects(facts_clients.effects, replication_seeds(2026, 30))


@pytest.mark.parametrize("pattern", sorted(facts_clients.PATTERNS))
def test_fact_holds_and_has_a_control(effects, pattern):
    rows = [e for e in effects if e.pattern == pattern]
    facts = [e for e in rows if not e.control]
    controls = [e for e in rows if e.control]
    assert facts and controls
    for e in rows:
        assert e.n >= 30
        assert e.holds, f"({e.pattern}) {e.measure}: {e.mean:.3f} [{e.ci_low:.3f}, {e.ci_high:.3f}]"


def test_registered_in_the_suite():
    from jusim.analysis import validation

    assert facts_clients.effects in validation.FAMILIES
    assert set(facts_clients.PATTERNS) <= set(validation.PATTERNS)
