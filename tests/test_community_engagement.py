"""community_engagement: outreach adapts services to the targeted client groups only."""

from __future__ import annotations

import pytest

import jusim
from jusim.scenario import ScenarioError

EY = "early_years"


def test_targets_only_named_groups(short_world, stepped):
    s = short_world.with_interventions(
        [{"type": "community_engagement", "outcome": EY, "groups": ["little_english"]}]
    )
    m = stepped(s)
    m.step()
    o = m.world.outcome_index[EY]
    g = m.world.group_names[o].index("little_english")
    assert m.rules.outreach[o, g] == pytest.approx(0.6)
    assert m.rules.outreach[o].sum() == pytest.approx(0.6)
    assert m.rules.publicity[o, g] > 0 and m.rules.publicity[o, 0] == 0


def test_unknown_group_is_a_clear_error(short_world):
    with pytest.raises(ScenarioError) as info:
        short_world.with_interventions(
            [{"type": "community_engagement", "outcome": EY, "groups": ["martians"]}]
        )
    assert "martians" in str(info.value) and "little_english" in str(info.value)


def test_targeted_group_catches_up(default_world):
    base = default_world.with_overrides({"horizon": 36})
    arm = base.with_interventions(
        [{"type": "community_engagement", "outcome": EY, "groups": ["little_english"]}]
    )
    k = base.outcome_names.index(EY)

    def per_head(r):
        x = r["client_resolved"][1:, k].sum(0) / r["client_need"][:-1, k].mean(0)
        return x / x[0]

    a, b = per_head(jusim.run(base, seed=5)), per_head(jusim.run(arm, seed=5))
    assert b[2] > 2 * a[2]  # little English: much closer to typical
    assert b[1] == pytest.approx(a[1], rel=0.15)  # shift workers (not targeted): about as before
