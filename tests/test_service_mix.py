"""service_mix: steer an outcome's joint effort to one type of provision."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.scenario import ScenarioError

EY = "early_years"


def test_sets_share_while_active(short_world, stepped):
    s = short_world.with_interventions(
        [
            {
                "type": "service_mix",
                "outcome": EY,
                "service": "family_support",
                "share": 0.9,
                "start": 2,
                "end": 4,
            }
        ]
    )
    m = stepped(s)
    k = m.world.service_names.index(f"{EY}.family_support")
    seen = []
    for _ in range(6):
        m.step()
        seen.append(m.rules.service_share[k])
    assert seen == pytest.approx([0.5, 0.5, 0.9, 0.9, 0.5, 0.5])
    o = m.world.outcome_index[EY]
    assert m.rules.service_share[m.world.service_outcome == o].sum() == pytest.approx(1.0)


def test_unknown_service_is_a_clear_error(short_world):
    with pytest.raises(ScenarioError) as info:
        short_world.with_interventions([{"type": "service_mix", "outcome": EY, "service": "detox"}])
    text = str(info.value)
    assert "service" in text and "detox" in text and "family_support" in text


def test_outcome_without_services_is_rejected(short_world):
    with pytest.raises(ScenarioError, match="services"):
        short_world.with_interventions(
            [{"type": "service_mix", "outcome": "rough_sleeping", "service": "detox"}]
        )


def test_does_not_change_world_shares(short_world, stepped):
    s = short_world.with_interventions(
        [{"type": "service_mix", "outcome": EY, "service": "family_support", "share": 1.0}]
    )
    m = stepped(s)
    before = m.world.service_share.copy()
    m.step()
    np.testing.assert_array_equal(m.world.service_share, before)
