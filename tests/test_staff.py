"""StaffRoster: slots, headcount and the cross-agency tie list."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from jusim.staff import Rosters, StaffRoster


def roster(counts=(3, 2, 4)) -> StaffRoster:
    return StaffRoster.from_counts(np.array(counts))


def ties(r: StaffRoster) -> set[tuple[int, int]]:
    return set(zip(r.tie_i.tolist(), r.tie_j.tolist(), strict=True))


def test_from_counts_homes_posts_and_headcount():
    r = roster((3, 0, 2))
    assert r.n_staff == 5
    np.testing.assert_array_equal(r.home, [0, 0, 0, 2, 2])
    np.testing.assert_array_equal(r.post, r.home)
    np.testing.assert_array_equal(r.tenure, 0)
    np.testing.assert_array_equal(r.headcount(), [3, 0, 2])
    assert r.n_ties == 0


def test_post_does_not_change_headcount():
    r = roster()
    r.post[:2] = 2
    np.testing.assert_array_equal(r.headcount(), [3, 2, 4])


def test_add_ties_rejects_same_agency_and_self_pairs():
    r = roster()  # homes: 0 0 0 1 1 2 2 2 2
    r.add_ties(np.array([0, 0, 3, 5]), np.array([1, 0, 4, 8]), 0.3)
    assert r.n_ties == 0


def test_add_ties_orders_dedupes_and_keeps_max():
    r = roster()
    r.add_ties(np.array([3, 0, 5]), np.array([0, 3, 0]), np.array([0.2, 0.5, 0.4]))
    r.add_ties(np.array([0]), np.array([3]), 0.1)
    assert ties(r) == {(0, 3), (0, 5)}
    assert np.all(r.tie_i < r.tie_j)
    w = dict(zip(ties(r), r.tie_w, strict=True))
    got = {(int(i), int(j)): float(x) for i, j, x in zip(r.tie_i, r.tie_j, r.tie_w, strict=True)}
    assert got[(0, 3)] == pytest.approx(0.5)
    assert got[(0, 5)] == pytest.approx(0.4)
    assert len(w) == 2


def test_batch_defers_then_merges_once():
    r = roster()
    with r.batch():
        r.add_ties(np.array([0]), np.array([3]), 0.3)
        r.add_ties(np.array([3]), np.array([0]), 0.6)
        r.add_ties(np.array([1]), np.array([6]), 0.2)
        assert r.n_ties == 0  # not yet visible
    assert ties(r) == {(0, 3), (1, 6)}
    assert r.tie_w[(r.tie_i == 0) & (r.tie_j == 3)][0] == pytest.approx(0.6)


def test_merge_interleaves_with_existing_sorted_ties():
    r = roster()  # homes: 0 0 0 1 1 2 2 2 2
    r.add_ties(np.array([0, 2, 4]), np.array([3, 8, 8]), np.array([0.5, 0.5, 0.5]))
    r.add_ties(
        np.array([8, 1, 3, 0, 3]), np.array([4, 5, 0, 8, 0]), np.array([0.2, 0.3, 0.9, 0.1, 0.4])
    )
    key = r.tie_i * r.n_staff + r.tie_j
    assert np.all(np.diff(key) > 0)  # sorted, no pair twice
    got = {(int(i), int(j)): float(x) for i, j, x in zip(r.tie_i, r.tie_j, r.tie_w, strict=True)}
    assert got == {(0, 3): 0.9, (0, 8): 0.1, (1, 5): 0.3, (2, 8): 0.5, (4, 8): 0.5}


def test_keep_ties_and_agency_strength_symmetric():
    r = roster()
    r.add_ties(np.array([0, 1, 3]), np.array([3, 5, 5]), np.array([0.5, 0.25, 0.1]))
    s = r.agency_tie_strength()
    np.testing.assert_allclose(s, s.T)
    assert s[0, 1] == pytest.approx(0.5)
    assert s[0, 2] == pytest.approx(0.25)
    assert s[1, 2] == pytest.approx(0.1)
    np.testing.assert_array_equal(np.diag(s), 0.0)
    assert r.tie_density() == pytest.approx(2 * 3 / 9)
    r.keep_ties(r.tie_w > 0.2)
    assert r.n_ties == 2


def test_by_home_groups_every_member():
    r = StaffRoster.from_counts(np.array([2, 3]))
    r.home = r.home[::-1].copy()  # grouping must not assume sorted homes
    order, start, count = r.by_home()
    for a in range(2):
        members = order[start[a] : start[a] + count[a]]
        assert set(members.tolist()) == set(np.flatnonzero(r.home == a).tolist())


def _two_runs() -> tuple[list[StaffRoster], Rosters]:
    runs = [roster(), roster((2, 2))]
    runs[0].add_ties(np.array([0, 1]), np.array([3, 5]), np.array([0.4, 0.5]))
    runs[1].add_ties(np.array([0]), np.array([2]), np.array([0.7]))
    return runs, Rosters.of(runs)


def test_a_batch_scatter_reaches_each_roster_when_read():
    runs, b = _two_runs()
    b.add_ties(np.array([0, 1]), np.array([2, 1]), np.array([4, 3]), np.array([0.9, 0.6]))
    b.scatter()
    assert Rosters.of(runs) is b  # nothing changed since: the same batch, nothing gathered
    assert ties(runs[0]) == {(0, 3), (1, 5), (2, 4)} and ties(runs[1]) == {(0, 2), (1, 3)}
    np.testing.assert_array_equal(runs[1].tie_w, [0.7, 0.6])
    assert runs[0].tie_w.base is b.tie_w  # views of the batch's ties


def test_a_rosters_own_change_is_gathered_by_its_batch():
    runs, b = _two_runs()
    b.scatter()
    runs[1].add_ties(np.array([1]), np.array([3]), np.array([0.2]))  # (alone: merged and set)
    again = Rosters.of(runs)
    assert again is b and again.tie_off.tolist() == [0, 2, 4]
    runs[0].tenure = np.zeros(9, np.int64)  # an array replaced: the runs are gathered anew
    fresh = Rosters.of(runs)
    assert fresh is not b and fresh.tie_off.tolist() == [0, 2, 4]
    assert runs[0].tenure.base is fresh.tenure


def test_a_copied_roster_keeps_its_ties_and_leaves_the_batch():
    runs, b = _two_runs()
    b.add_ties(np.array([0]), np.array([2]), np.array([4]), np.array([0.9]))
    b.scatter()
    copied = pickle.loads(pickle.dumps(runs[0]))
    assert ties(copied) == {(0, 3), (1, 5), (2, 4)} and copied._batch is None


def test_the_runs_generators_as_the_compiled_loops_take_them_once_per_batch():
    import jusim.compiled  # noqa: F401  (the compiled loops loaded: a typed List)
    from jusim.staff import each_run

    _, b = _two_runs()
    rngs = [np.random.default_rng(1), np.random.default_rng(2)]
    typed = b.generators(rngs)
    assert b.generators(list(rngs)) is typed  # the same generators: made once per batch
    assert all(g is r for g, r in zip(each_run(typed), rngs, strict=True))
    other = [np.random.default_rng(1), rngs[1]]
    assert b.generators(other) is not typed and each_run(b.generators(other))[0] is other[0]
    assert each_run(rngs) is rngs
    with pytest.raises(ValueError, match="its own generator"):
        b.generators([rngs[0], rngs[0]])
