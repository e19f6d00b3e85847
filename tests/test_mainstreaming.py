"""Mainstreaming: partners adopt a unit's ways of working, which outlast it; succession plans."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.mechanisms.mainstreaming import (
    MainstreamingParams,
    adopt,
    carried_target,
    familiarity,
)

RS = "rough_sleeping"


def _adopt(practice, succession=0.0, contact=1.0, posted=0, hazard=0.0, m=0.0, **kw):
    a = 3
    c = np.full((a, a), contact)
    np.fill_diagonal(c, 0.0)
    postings = np.zeros((a, a))
    postings[0, 2] = posted
    return adopt(
        np.full((1, a), m),
        np.array([practice], dtype=float),
        np.full((1, a), succession),
        c,
        postings,
        np.full(a, hazard),
        MainstreamingParams(**kw),
    )


def test_adoption_rises_with_contact_secondments_and_a_plan():
    low = _adopt([1, 1, 1], contact=0.1)[0, 0]
    high = _adopt([1, 1, 1], contact=2.0)[0, 0]
    seconded = _adopt([1, 1, 1], contact=2.0, posted=6)[0, 0]
    planned = _adopt([1, 1, 1], contact=2.0, posted=6, succession=0.05)[0, 0]
    assert 0 < low < high < seconded < planned <= 1


def test_no_practice_no_adoption_and_a_plan_needs_a_practice():
    assert _adopt([0, 0, 0], succession=0.5).max() == 0.0
    out = _adopt([0, 1, 1], succession=0.2)
    assert out[0, 0] == pytest.approx(0.2)  # non-practising member of a plan adopts by the plan


def test_adopted_practice_erodes_with_churn():
    kept = _adopt([0, 0, 0], m=0.8, hazard=0.02)
    np.testing.assert_allclose(kept, 0.8 * (1 - 0.5 * 0.02))


def test_mainstreamed_outcome_is_carried_in_accountability_and_familiarity():
    p = MainstreamingParams()
    st, m = np.array([[1.0, 0.0, 0.0]]), np.array([[0.3, 0.6, 0.0]])
    np.testing.assert_allclose(carried_target(st, m, p), [[1.0, 0.6, 0.0]])
    np.testing.assert_allclose(familiarity(np.full((1, 3), 0.4), m, p), [[0.4, 0.6, 0.4]])
    off = MainstreamingParams(credit=0.0)
    np.testing.assert_allclose(carried_target(st, m, off), st)
    np.testing.assert_allclose(familiarity(np.full((1, 3), 0.4), m, off), 0.4)


def _unit(world, plan=None, end=6):
    ivs = [{"type": "central_unit", "outcome": RS, "end": end}]
    return world.with_interventions(ivs + ([plan] if plan else []))


def test_unit_members_adopt_and_a_succession_plan_adds(short_world, stepped):
    plain, planned = (
        stepped(_unit(short_world)),
        stepped(_unit(short_world, {"type": "succession", "outcome": RS, "end": 6, "rate": 0.1})),
    )
    for _ in range(6):
        plain.step()
        planned.step()
    o = plain.world.outcome_index[RS]
    inv = plain.world.involved[o]
    assert (plain.mainstreamed[o, inv] > 0).all()
    assert (planned.mainstreamed[o, inv] > plain.mainstreamed[o, inv] + 0.3).all()
    others = [k for k in range(plain.world.n_outcomes) if k != o]
    assert plain.mainstreamed[others].max() == 0.0


def test_succession_sets_rate_and_charges_its_cost(short_world, stepped):
    plan = {"type": "succession", "outcome": RS, "start": 2, "end": 4, "rate": 0.07, "cost": 20.0}
    m = stepped(_unit(short_world, plan))
    seen = []
    for _ in range(5):
        m.step()
        seen.append(m.rules)
    o = m.world.outcome_index[RS]
    inv = m.world.involved[o]
    assert seen[1].succession.max() == 0.0 and seen[4].succession.max() == 0.0
    assert np.allclose(seen[2].succession[o, inv], 0.07)
    base = stepped(_unit(short_world))
    for _ in range(3):
        base.step()
    np.testing.assert_allclose(seen[2].focused[o, inv] - base.rules.focused[o, inv], 20.0)
