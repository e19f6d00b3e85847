"""The run axis (``jusim/month/runs.py``): parameters per run line up with the run axis, and the
gathered parameters are plain numbers when the runs agree."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.model import JoinedUpModel
from jusim.month.runs import PerRun, Runs


def test_per_run_values_line_up_with_the_leading_axis():
    v = np.array([1.0, 2.0, 3.0]).view(PerRun)
    x = np.arange(3 * 2 * 2, dtype=float).reshape(3, 2, 2)
    for got in (v * x, x * v, np.multiply(x, v)):
        assert type(got) is np.ndarray
        np.testing.assert_array_equal(got, x * np.array([1.0, 2.0, 3.0])[:, None, None])
    np.testing.assert_array_equal(
        np.where(x > 4, v, 0.0), np.where(x > 4, [[[1.0]], [[2.0]], [[3.0]]], 0.0)
    )
    np.testing.assert_array_equal(np.clip(x, 0.0, v), np.minimum(x, [[[1.0]], [[2.0]], [[3.0]]]))
    assert isinstance(np.exp(v), PerRun) and isinstance(v * 2.0, PerRun)
    with pytest.raises(TypeError, match="cannot decide an `if`"):
        bool(v > 1)


def test_powers_with_a_value_per_run_have_each_run_alone_bits():
    """``array ** number`` takes square, sqrt and reciprocal for 2, 0.5 and -1 where ``pow``
    differs in the last bit, and Python's ``rho ** 2`` can differ from numpy's square: a value per
    run must give each run the bits it gets alone."""
    rng = np.random.default_rng(0)
    e = np.array([2.0, 0.5, -1.0, -0.7, 1.0, 0.0])
    x = rng.random((6, 40, 50)) * 5.0
    got = x ** e.view(PerRun)
    assert type(got) is np.ndarray
    alone = np.stack([x[r] ** float(e[r]) for r in range(6)])
    np.testing.assert_array_equal(got, alone)
    rho = rng.random(2000)
    squared = rho.view(PerRun) ** 2
    assert isinstance(squared, PerRun)
    np.testing.assert_array_equal(squared, [v**2 for v in rho.tolist()])


def test_params_are_numbers_when_runs_agree_and_per_run_when_not(short_world):
    a = JoinedUpModel(short_world, 0)
    b = JoinedUpModel(short_world.with_overrides({"parameters.trust.tolerance": 0.123}), 1)
    c = JoinedUpModel(short_world, 2)
    try:
        runs = Runs([a.state, b.state, c.state])
        assert runs.params.decision.temperature == a.state.params.decision.temperature
        assert not isinstance(runs.params.decision.temperature, np.ndarray)
        tol = runs.params.trust.tolerance
        assert isinstance(tol, PerRun) and tol[1] == 0.123 and tol[0] == tol[2] != 0.123
        assert runs.stack("trust").shape == (3, *a.state.trust.shape)
        assert Runs.of(a.state).stack("trust").base is a.state.trust  # a run alone: no copy
    finally:
        for m in (a, b, c):
            m.release()


def test_a_field_scattered_by_put_is_gathered_again_without_a_copy(short_world):
    a, b = JoinedUpModel(short_world, 0), JoinedUpModel(short_world, 1)
    try:
        runs = Runs([a.state, b.state])
        shifting = np.array([[0.1] * a.state.shifting.size, [0.2] * a.state.shifting.size])
        runs.put("shifting", shifting)
        runs = runs.next_month()
        kept = runs.stack("shifting")
        assert np.shares_memory(kept, shifting) and not kept.flags.writeable
        a.state.shifting[0] = 0.5  # a run changing its row in place changes the gathered array
        assert runs.stack("shifting")[0, 0] == 0.5
        b.state.shifting = np.zeros(b.state.shifting.size)  # a run given a new array: gathered
        again = runs.stack("shifting")
        assert not np.shares_memory(again, shifting)
        np.testing.assert_array_equal(again, [a.state.shifting, b.state.shifting])
        # the worlds' arrays are gathered once, read-only
        roles = runs.stack_world("roles")
        assert runs.next_month().stack_world("roles") is roles and not roles.flags.writeable
        # a gathered array put back unchanged leaves each run a writeable row of its own
        runs.put("shifting", again)
        held = runs.stack("shifting")
        assert not held.flags.writeable
        runs.put("shifting", held)
        a.state.shifting[1] = 0.25
        assert again[0, 1] != 0.25 and runs.stack("shifting")[0, 1] == 0.25
    finally:
        for m in (a, b):
            m.release()


def test_stack_gives_back_what_put_scattered_while_the_rows_stay(short_world):
    """After ``put``, each run's field is a row of the array put; ``stack`` returns that array
    itself (read-only) while every run's field is still its row, and a new array otherwise."""
    models = [JoinedUpModel(short_world, seed) for seed in (0, 1, 2)]
    try:
        runs = Runs([m.state for m in models])
        need = np.arange(3.0 * models[0].state.need.size).reshape(3, -1)
        runs.put("need", need)
        got = runs.stack("need")
        assert np.shares_memory(got, need) and not got.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            got[0, 0] = 1.0
        models[1].state.need[0] = -5.0  # a run's in-place change is a change of its row
        assert runs.next_month().stack("need")[1, 0] == -5.0
        models[2].state.need = np.full(need.shape[1], 7.0)  # a run's field replaced: new array
        fresh = runs.stack("need")
        assert fresh.flags.writeable and not np.shares_memory(fresh, need)
        np.testing.assert_array_equal(fresh, [need[0], need[1], np.full(need.shape[1], 7.0)])
        runs.put_flow("resolved", need)
        assert np.shares_memory(runs.stack_flow("resolved"), need)
        assert runs.next_month().flows[0].resolved is None  # flows are the month's own
    finally:
        for m in models:
            m.release()
