"""The recorder: whichever way a run's series are made (its own arrays, or columns of its batch's
shelf, made once for all runs with month 0's tie measures in one pass), it records the same
numbers, bit for bit; and the tie series of many runs in one call equal each run's alone, as
compiled loop and as numpy."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import jusim
from jusim import month, network
from jusim.model import JoinedUpModel
from jusim.month.runs import Runs
from jusim.staff import Rosters, StaffRoster

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from golden_runs import fingerprint


@pytest.fixture(scope="module")
def short() -> jusim.Scenario:
    return jusim.as_scenario("secondees").with_overrides({"horizon": 5})


def test_month_0_read_alone_equals_month_0_of_a_batch(short):
    """A recorder read before any month (its own arrays, month 0's ties measured alone) holds
    what a batch's shelf writes for month 0."""
    model = JoinedUpModel(short, seed=3)
    try:
        alone = model.recorder.result(model.state)  # type: ignore[union-attr]
    finally:
        model.release()
    stepped = jusim.run_batch(short, [1, 3])[1]
    assert alone.series.keys() == stepped.series.keys()
    for key, values in alone.series.items():
        np.testing.assert_array_equal(values[0], stepped.series[key][0], err_msg=key)


def test_recorders_read_before_their_shelf_record_the_same_runs(short):
    """Runs stepped together whose recorders have already made their own arrays (one read, one
    not) are put side by side from those arrays and record each run as it runs alone."""
    models = [JoinedUpModel(short, seed=s) for s in (0, 1, 2)]
    try:
        _ = models[1].recorder.s  # type: ignore[union-attr]
        runs = Runs([m.state for m in models])
        for _ in range(short.horizon):
            month.step(runs)
            runs = runs.next_month()
        got = [fingerprint(m.recorder.result(m.state)) for m in models]  # type: ignore[union-attr]
    finally:
        for m in models:
            m.release()
    assert got == [fingerprint(jusim.run(short, s)) for s in (0, 1, 2)]


def test_a_result_asked_twice_is_the_same_and_its_own(short):
    model = JoinedUpModel(short, seed=4)
    try:
        model.run()
        first = model.recorder.result(model.state)  # type: ignore[union-attr]
        again = model.recorder.result(model.state)  # type: ignore[union-attr]
    finally:
        model.release()
    assert fingerprint(first) == fingerprint(again)
    first.series["need"][:] = -1.0
    assert (again.series["need"] >= 0).all()


def _rosters(seed: int) -> list[StaffRoster]:
    """Rosters with random cross-agency ties, one without ties and one of a single agency."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(6):
        counts = rng.integers(1, 40, size=1 if k == 5 else int(rng.integers(2, 6)))
        r = StaffRoster.from_counts(counts)
        if k != 2:
            n = int(rng.integers(0, 3 * r.n_staff))
            r.add_ties(rng.integers(0, r.n_staff, n), rng.integers(0, r.n_staff, n), 1.0)
        out.append(r)
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tie_series_of_many_runs_equal_each_alone_compiled_and_numpy(seed):
    from jusim.compiled import _tie_measures as compiled

    rosters = _rosters(seed)
    batch = Rosters.of(rosters)
    possible = np.array([network.possible_pairs(r) for r in rosters])
    args = (batch.staff_off, batch.tie_off, batch.tie_i, batch.tie_j, possible)
    got = network._tie_measures(*args)
    np.testing.assert_array_equal(got, compiled(*args))
    for r, roster in enumerate(rosters):
        one = (np.array([0, roster.n_staff]), np.array([0, roster.n_ties]))
        alone = network._tie_measures(*one, roster.tie_i, roster.tie_j, possible[r : r + 1])
        np.testing.assert_array_equal(got[r], alone[0])
        np.testing.assert_array_equal(
            got[r], compiled(*one, roster.tie_i, roster.tie_j, possible[r : r + 1])[0]
        )
        assert got[r, 0] == roster.tie_density()
