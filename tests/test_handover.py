"""handover: leavers' ties pass to successors more often."""

from __future__ import annotations

import pytest

import jusim
from jusim.scenario import ScenarioError


def test_raises_quality_of_named_agencies(short_world, stepped):
    s = short_world.with_interventions(
        [{"type": "handover", "agencies": ["police"], "quality": 0.9, "start": 1}]
    )
    m = stepped(s)
    m.step()
    k = m.world.agency_index["police"]
    assert m.rules.handover[k] == pytest.approx(m.world.handover[k])
    m.step()
    assert m.rules.handover[k] == 0.9
    others = [i for i in range(m.world.n_agencies) if i != k]
    assert (m.rules.handover[others] == m.world.handover[others]).all()


def test_never_lowers_handover(short_world, stepped):
    m = stepped(short_world.with_interventions([{"type": "handover", "quality": 0.0}]))
    m.step()
    assert (m.rules.handover == m.world.handover).all()


def test_keeps_more_ties_under_churn(default_world):
    base = default_world.with_overrides({"horizon": 36, "context.churn_scale": 3.0})
    arm = base.with_interventions([{"type": "handover", "quality": 1.0}])
    a, b = jusim.run(base, seed=4), jusim.run(arm, seed=4)
    assert b["tie_density"][-1] > a["tie_density"][-1]


def test_unknown_agency_is_a_clear_error(short_world):
    with pytest.raises(ScenarioError, match="nobody"):
        short_world.with_interventions([{"type": "handover", "agencies": ["nobody"]}])
