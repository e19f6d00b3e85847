"""Merger: one management for two agencies (shared accountability, meetings) after a disruption."""

from __future__ import annotations

import numpy as np
import pytest

import jusim
from jusim.scenario import ScenarioError

PAIR = ["local_authority", "nhs_trust"]


def _merged(world, **kw):
    return world.with_interventions([{"type": "merger", "agencies": PAIR, **kw}])


def test_merger_rules_during_and_after_disruption(short_world, stepped):
    m = stepped(_merged(short_world, start=1, disruption=2, weight=0.8))
    seen = []
    for _ in range(4):
        m.step()
        seen.append(m.rules)
    w = m.world
    pair = [w.agency_index[a] for a in PAIR]
    common = w.involved[:, pair].all(axis=1)
    assert common.any() and not common.all()
    assert seen[0].shared_target.max() == 0.0 and seen[0].reorganisation.max() == 0.0
    for month in (1, 2, 3):
        r = seen[month]
        assert np.allclose(r.shared_target[np.ix_(common, pair)], 0.8)
        assert r.membership[np.ix_(common, pair)].all()
        assert r.shared_target[~common].max() == 0.0
    for month, disrupted in ((1, True), (2, True), (3, False)):
        r = seen[month]
        assert (r.reorganisation[pair] > 0).all() == disrupted
        assert (r.extra_churn[pair] > 0).all() == disrupted
        others = np.setdiff1d(np.arange(w.n_agencies), pair)
        assert r.reorganisation[others].max() == 0.0 and r.extra_churn[others].max() == 0.0


def test_disruption_costs_staff_and_money(short_world):
    calm = jusim.run(_merged(short_world, disruption=0), seed=2)
    rough = jusim.run(_merged(short_world, disruption=12, extra_churn=0.05), seed=2)
    assert rough["leavers"].sum() > calm["leavers"].sum()
    assert rough["overhead"].sum() > calm["overhead"].sum()


@pytest.mark.parametrize("agencies", [["local_authority", "nobody"], PAIR[:1] * 2])
def test_merger_needs_two_different_agencies(short_world, agencies):
    with pytest.raises(ScenarioError, match="agencies"):
        short_world.with_interventions([{"type": "merger", "agencies": agencies}])
