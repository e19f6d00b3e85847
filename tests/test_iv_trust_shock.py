"""trust_shock: a scheduled leak cuts trust in the leaker and turns its partners defensive."""

from __future__ import annotations

import numpy as np
import pytest

import jusim


def test_scheduled_leak_at_its_month_only(short_world, stepped):
    s = short_world.with_interventions([{"type": "trust_shock", "by": "police", "at": 3}])
    m = stepped(s)
    police = m.world.agency_index["police"]
    seen = []
    for _ in range(6):
        m.step()
        seen.append(m.rules.leak[police])
    assert seen == [0, 0, 0, 0.3, 0, 0]


def test_leak_drops_trust_and_switches_partners_to_defence(short_world):
    quiet = short_world.with_overrides({"parameters.trust.shock_rate": 0.0})
    shocked = quiet.with_interventions([{"type": "trust_shock", "by": "police", "at": 4}])
    a, b = jusim.run(quiet, seed=1), jusim.run(shocked, seed=1)
    k = a.agencies.index("police")
    partners = [a.agencies.index(n) for n in ("home_office", "local_authority")]
    assert (a["defence"] == 0).all()
    assert (b["defence"][5, partners] > 0.5).all() and b["defence"][5, k] == 0
    assert b["mean_trust"][5] < a["mean_trust"][5]
    np.testing.assert_array_equal(a["mean_trust"][:5], b["mean_trust"][:5])


def test_unknown_agency_is_a_clear_error(short_world):
    with pytest.raises(jusim.ScenarioError, match="by"):
        short_world.with_interventions([{"type": "trust_shock", "by": "nobody"}])
