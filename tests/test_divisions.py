"""Divisions of an agency differ in openness; a corporate commitment makes them more alike."""

from __future__ import annotations

import numpy as np
import pytest

import jusim
from jusim.mechanisms import divisions
from jusim.model import JoinedUpModel
from jusim.scenario import ScenarioError


def test_staff_split_into_contiguous_near_equal_divisions():
    division, agency = divisions.assign(np.array([5, 3, 4]), np.array([2, 1, 3]))
    np.testing.assert_array_equal(agency, [0, 0, 1, 2, 2, 2])
    np.testing.assert_array_equal(division, [0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 5])


def test_division_openness_spread_and_alignment():
    base = divisions.base_openness(np.array([0.5, 0.9]), np.array([3, 2]), np.array([0.2, 0.3]))
    np.testing.assert_allclose(base, [0.3, 0.5, 0.7, 0.6, 1.0])  # clipped at 1
    agency = np.array([0, 0, 0, 1, 1])
    half = divisions.openness(base, np.array([0.5, 0.9]), agency, np.array([0.5, 0.0]))
    np.testing.assert_allclose(half, [0.4, 0.5, 0.6, 0.6, 1.0])


def test_keeping_in_touch_is_relative_to_the_agency():
    keep = divisions.keeping_in_touch(np.array([0.2, 0.4, 0.0]), np.array([0.4, 0.4, 0.0]))
    np.testing.assert_allclose(keep, [0.5, 1.0, 1.0])


def test_tie_quality_by_partner_and_division():
    home = np.array([0, 0, 1, 1])
    division = np.array([0, 0, 1, 2])
    q = divisions.tie_quality(
        home, division, np.array([0, 1, 0]), np.array([2, 2, 3]), np.array([0.2, 0.4, 0.9]), 2, 3
    )
    assert q[0, 1] == pytest.approx(0.3) and q[0, 2] == pytest.approx(0.9)
    assert np.isnan(q[0, 0]) and q[1, 0] == pytest.approx(0.5)


def _divided(world, spread=0.3, commit=None):
    s = world.with_overrides(
        {
            "agencies.local_authority.divisions": 4,
            "agencies.local_authority.division_spread": spread,
        }
    )
    return s.with_interventions([commit] if commit else [])


def test_no_divisions_by_default_and_one_division_changes_nothing(short_world):
    m = JoinedUpModel(short_world, 0)
    np.testing.assert_array_equal(m.division, m.roster.home)
    a = jusim.run(short_world, seed=4)
    b = jusim.run(
        _divided(short_world, spread=0.0).with_overrides({"agencies.local_authority.divisions": 1}),
        seed=4,
    )
    np.testing.assert_array_equal(a.series["need"], b.series["need"])
    m.release()


def test_divisions_change_staff_behaviour(short_world):
    a = jusim.run(short_world, seed=4)
    b = jusim.run(_divided(short_world), seed=4)
    assert not np.array_equal(a.series["tie_density"], b.series["tie_density"])


def test_corporate_commitment_sets_alignment(short_world, stepped):
    commit = {"type": "corporate_commitment", "agency": "local_authority", "strength": 0.7}
    m = stepped(_divided(short_world, commit=commit))
    m.step()
    la = m.world.agency_index["local_authority"]
    assert m.rules.alignment[la] == pytest.approx(0.7)
    assert m.rules.alignment.sum() == pytest.approx(0.7)


def test_corporate_commitment_unknown_agency(short_world):
    with pytest.raises(ScenarioError, match="agency"):
        short_world.with_interventions([{"type": "corporate_commitment", "agency": "nobody"}])
