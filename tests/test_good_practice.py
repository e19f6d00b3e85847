"""good_practice: members' experience moves towards the best partner's."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.mechanisms.practice import spread

RS = "rough_sleeping"
YO = "youth_offending"


def test_spread_moves_towards_the_best_involved_experience():
    exp = np.array([[0.2, 0.8, 0.95], [0.4, 0.4, 0.1]])
    involved = np.array([[True, True, False], [True, True, True]])  # 0.95: no role, ignored
    out = spread(exp, np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.0]]), involved)
    np.testing.assert_allclose(out, [[0.5, 0.8, 0.95], [0.4, 0.6, 0.1]])
    np.testing.assert_array_equal(spread(exp, np.zeros((2, 3)), involved), exp)


def test_sets_uptake_for_members(short_world, stepped):
    m = stepped(short_world.with_interventions([{"type": "good_practice", "outcome": RS}]))
    m.step()
    o = m.world.outcome_index[RS]
    np.testing.assert_allclose(m.rules.good_practice[o, m.world.roles[o] > 0], 0.1)
    assert m.rules.good_practice.sum() == pytest.approx(0.1 * (m.world.roles[o] > 0).sum())


def test_lessons_of_a_successful_initiative_spread(default_world):
    """A pooled budget makes rough sleeping the best initiative; good practice on youth
    offending carries its experience over."""
    pooled = {"type": "pooled_budget", "outcome": RS, "share": 0.2}
    base = default_world.with_overrides({"horizon": 24}).with_interventions([pooled])
    arm = base.with_interventions([pooled, {"type": "good_practice", "outcome": YO}])
    from jusim.model import JoinedUpModel

    ma, mb = JoinedUpModel(base, 1), JoinedUpModel(arm, 1)
    for _ in range(24):
        ma.step()
        mb.step()
    o = ma.world.outcome_index[YO]
    inv = ma.world.roles[o] > 0
    assert (mb.experience[o, inv] > ma.experience[o, inv] + 0.05).all()
    ma.release()
    mb.release()
