"""Partnerships and interventions over the run axis: each run's bits as alone.

The runs' partnerships are rows of shared (R, P, ...) blocks (``partnership.Shelf``) that
``Board`` reads without gathering, and the interventions that dominate the shipped scenarios act
for a group of runs at once (``Intervention.apply_runs``). Equality with a run alone is exact
(every recorded series and table, ``tests/test_engine_docking.assert_identical``).
"""

from __future__ import annotations

import copy
import pickle
import sys
from pathlib import Path

import numpy as np

from jusim.partnership import Board, Partnerships, Shelf

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_batch import batch_equals_alone


def _fields(pt: Partnerships) -> dict[str, np.ndarray]:
    return {name: getattr(pt, name).copy() for name in ("outcome", "members", "live", "gain")}


def test_the_shelf_keeps_each_runs_rows_and_board_reads_them_padded():
    pts = [Partnerships(4) for _ in range(3)]
    pts[0].create(0, np.array([0, 1]), month=0, setup=2)
    shelf = Shelf.adopt(pts)
    assert Shelf.adopt(pts) is shelf  # (already together: kept)
    for k in range(6):  # past the first capacity (4): the blocks grow, every run rebound
        pts[2].create(k % 2, np.array([1, 2, 3]), month=k, setup=1)
    pts[0].gain = np.array([0.25])  # assigning a field writes the run's rows
    board = Board(pts)
    assert board.sizes == [1, 0, 6] and board.n == 6
    gain, members = board.block("gain"), board.block("members")
    assert gain.shape == (3, 6) and gain[0, 0] == 0.25 and not gain[0, 1:].any()
    assert not members[1].any() and members[2, :, 1:].all() and not members[2, :, 0].any()
    np.testing.assert_array_equal(board.block("live"), [[1, 0, 0, 0, 0, 0], [0] * 6, [1] * 6])
    pts[2].wind_up(np.array([True, False, True, False, False, False]))
    assert list(board.block("live")[2]) == [False, True, False, True, True, True]  # (a view)


def test_a_copy_or_pickle_of_a_run_on_a_shelf_has_its_own_values():
    pts = [Partnerships(3) for _ in range(2)]
    Shelf.adopt(pts)
    pts[1].create(1, np.array([0, 2]), month=3, setup=1)
    for other in (copy.deepcopy(pts[1]), pickle.loads(pickle.dumps(pts[1]))):
        for name, value in _fields(pts[1]).items():
            np.testing.assert_array_equal(getattr(other, name), value)
        other.create(0, np.array([0, 1]), month=4, setup=1)
        other.live[0] = False
        assert other.count == 2 and pts[1].count == 1 and pts[1].live[0]


def test_interventions_for_a_group_of_runs_equal_each_run_alone(default_world):
    """A central unit (its secondees posted at ``start`` and home at ``end``, with a grantee),
    secondees for a term, a pooled budget with grants and a shared target that ends (its
    partnership wound up) in runs grouped by their interventions (two groups and a run without
    them), with the grant's terms and the staff's cost differing run by run."""
    world = default_world.with_overrides({"horizon": 16})
    interventions = [
        {
            "type": "central_unit",
            "outcome": "rough_sleeping",
            "start": 2,
            "end": 11,
            "staff": 6,
            "grants": ["homelessness_charity"],
        },
        {"type": "secondees", "outcome": "rough_sleeping", "host": "local_authority", "count": 4}
        | {"start": 1, "term": 6},
        {"type": "pooled_budget", "outcome": "youth_offending", "grants": ["youth_charity"]},
        {"type": "shared_targets", "outcome": "youth_offending", "end": 9},
        {"type": "sponsorship", "outcome": "early_years"},
    ]
    many = world.with_interventions(interventions)
    some = world.with_interventions(interventions[1:])
    scenarios = [many, some, many, world, some, many]
    params = {
        "parameters.funding.grant_conditions": np.array([0.5, 0.8, 0.2, 0.5, 0.4, 0.9]),
        "context.staff_cost": np.array([4.0, 5.5, 4.0, 4.0, 3.0, 6.0]),
    }
    got = batch_equals_alone(scenarios, [1, 2, 3, 4, 2, 1], params)
    assert got[0]["partnerships"][-1] != got[3]["partnerships"][-1]


def test_pair_sums_of_all_runs_equal_each_runs_own_einsum():
    """``pair_sums_runs`` (a cumulative sum along member pairs) has the bits of each run's own
    ``einsum`` on random worlds; with two agencies or an understanding in Fortran order, where
    ``einsum`` adds in another order, it declines (None) and the caller works run by run."""
    from jusim.partnership import _pair_sums, pair_sums_runs

    rng = np.random.default_rng(5)
    for trial in range(400):
        r, p, a = int(rng.integers(1, 5)), int(rng.integers(1, 13)), int(rng.integers(3, 25))
        members = rng.random((r, p, a)) < rng.random()
        understanding = rng.random((r, a, a)) ** (1 + trial % 5)
        got = pair_sums_runs(members, understanding)
        assert got is not None
        for run in range(r):
            want = _pair_sums(members[run], understanding[run])
            assert np.array_equal(got[run], want), (trial, run)
    members = np.ones((2, 3, 2), bool)
    assert pair_sums_runs(members, rng.random((2, 2, 2))) is None
    fortran = np.ascontiguousarray(rng.random((2, 5, 5)).swapaxes(-1, -2)).swapaxes(-1, -2)
    assert pair_sums_runs(np.ones((2, 3, 5), bool), fortran) is None


def test_a_service_mix_for_a_group_of_runs_equals_each_run_alone():
    """Sure Start's service mix (a central unit, a pooled budget and the mix, which starts and
    ends) for groups of runs, beside runs without it, with its share given to a service whose
    outcome's other services share the rest."""
    import jusim

    sure_start = jusim.as_scenario("sure_start").with_overrides({"horizon": 10})
    mix = next(iv for iv in sure_start.interventions if iv.name == "service_mix")
    timed = sure_start.with_interventions(
        [iv.to_dict() for iv in sure_start.interventions if iv is not mix]
        + [mix.to_dict() | {"start": 3, "end": 7, "share": 0.6}]
    )
    silo = jusim.as_scenario("silo").with_overrides({"horizon": 10})
    batch_equals_alone([sure_start, timed, silo, sure_start, timed], [1, 2, 3, 4, 5], {})


def test_shared_services_for_a_group_of_runs_equal_each_run_alone(default_world):
    """Shared services for groups of runs: migration paid by the host or by the members (in
    proportion to their platform costs, which differ run by run), then the switch with a
    recharge."""
    world = default_world.with_overrides({"horizon": 9})
    move = {
        "type": "shared_services",
        "host": "housing_department",
        "members": ["home_office", "health_department"],
        "start": 1,
        "transition": 4,
    }
    hosts = world.with_interventions([move])
    members = world.with_interventions([move | {"members_pay_migration": True, "recharge": 0.3}])
    params = {"agencies.home_office.platform_cost": np.array([0.1, 0.25, 0.4, 0.1, 0.8])}
    batch_equals_alone([members, hosts, members, world, members], [1, 2, 3, 4, 5], params)
