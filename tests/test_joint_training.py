"""joint_training: members' staff meet on courses, forming ties and shared understanding."""

from __future__ import annotations

import numpy as np
import pytest

import jusim

YO = "youth_offending"


def test_adds_contact_between_members_only(short_world, stepped):
    s = short_world.with_interventions(
        [{"type": "joint_training", "outcome": YO, "members": ["police", "youth_charity"]}]
    )
    m = stepped(s)
    m.step()
    i, j = m.world.agency_index["police"], m.world.agency_index["youth_charity"]
    t = m.rules.training
    assert t[i, j] == pytest.approx(0.05) and t[j, i] == pytest.approx(0.05)
    assert t.sum() == pytest.approx(0.1)
    o = m.world.outcome_index[YO]
    assert m.rules.focused[o].sum() == pytest.approx(20.0)


def test_training_builds_ties_and_understanding(default_world):
    base = default_world.with_overrides({"horizon": 24})
    arm = base.with_interventions([{"type": "joint_training", "outcome": YO, "contact": 0.2}])
    a, b = jusim.run(base, seed=2), jusim.run(arm, seed=2)
    assert b["tie_density"][-1] > a["tie_density"][-1]
    assert b["mean_understanding"][-1] > a["mean_understanding"][-1]
    assert not np.array_equal(a["need"], b["need"])
