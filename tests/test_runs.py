"""The run axis (``jusim/month/runs.py``): parameters per run line up with the run axis, and the
gathered parameters are plain numbers when the runs agree."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

import jusim
from jusim.model import JoinedUpModel
from jusim.month.runs import PerRun, Runs
from jusim.month.state import Flows, Rules, State, Table, _columns, _Record
from jusim.scenario import scenario_dir

SHIPPED = sorted(p.stem for p in scenario_dir().glob("*.toml"))


@pytest.fixture
def checked():
    """``stack`` gives read-only views (a phase writing a block in place fails)."""
    Table.checked = True
    try:
        yield
    finally:
        Table.checked = False


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
        alone = Runs.of(a.state)  # a run taken alone again: its own table of one row
        assert np.shares_memory(alone.stack("trust"), a.state.trust)
        assert alone.stack("trust").shape == (1, *a.state.trust.shape)
    finally:
        for m in (a, b, c):
            m.release()


def test_the_block_is_the_storage_and_each_run_reads_and_writes_its_row(short_world, checked):
    """``put`` hands an (R, ...) array over as the runs' storage; ``stack`` gives it back (no
    copy; read-only when checked) and each run's field is its row, so a run's change is a change
    of the block, and of its row only."""
    models = [JoinedUpModel(short_world, seed) for seed in (0, 1, 2)]
    try:
        states = [m.state for m in models]
        runs = Runs(states)
        need = np.arange(3.0 * states[0].need.size).reshape(3, -1)
        runs.put("need", need)
        got = runs.stack("need")
        assert np.shares_memory(got, need) and not got.flags.writeable
        assert runs.next_month().stack("need") is got  # (the same view until the field changes)
        with pytest.raises(ValueError, match="read-only"):
            got[0, 0] = 1.0
        assert np.shares_memory(states[1].need, need) and states[1].need.flags.writeable
        assert states[1].need is states[1].need  # the same row while the block stays
        states[1].need[0] = -5.0  # a run's in-place change is a change of its row
        assert got[1, 0] == -5.0 and need[0, 0] == 0.0 and need[2, 0] == 6.0
        states[2].need = np.full(need.shape[1], 7.0)  # assigning copies into the run's row
        assert np.shares_memory(runs.stack("need"), need)
        np.testing.assert_array_equal(need[2], 7.0)
        np.testing.assert_array_equal(need[0], np.arange(need.shape[1]))
        models[0].trust = models[0].trust * 0.5  # the model's attributes are the state's rows
        np.testing.assert_array_equal(runs.stack("trust")[0], models[0].state.trust)
    finally:
        for m in models:
            m.release()


def test_a_read_only_array_put_is_copied_before_a_run_writes_it(short_world):
    """A world's array or a broadcast put as a field is read-only: a run assigning its row copies
    the block first (copy on write), so the write reaches no world and no other run; writing the
    read-only row in place fails."""
    a, b = JoinedUpModel(short_world, 0), JoinedUpModel(short_world, 1)
    try:
        runs = Runs([a.state, b.state])
        budget0 = runs.stack_world("budget0")
        runs.put("budget", budget0)
        runs.put("operating_cost", np.broadcast_to(budget0[0], budget0.shape))
        with pytest.raises(ValueError, match="read-only"):
            a.state.budget[0] = -1.0
        a.state.budget = np.full(budget0.shape[1], -1.0)
        a.state.operating_cost = np.full(budget0.shape[1], -2.0)
        assert budget0[0, 0] != -1.0 and a.state.world.budget0[0] != -1.0
        assert (b.state.operating_cost != -2.0).all() and (b.state.budget == budget0[1]).all()
        assert (a.state.budget == -1.0).all() and runs.stack("budget")[0, 0] == -1.0
        a.state.budget[1] = -3.0  # (now a row of the runs' own copy)
        assert runs.stack("budget")[0, 1] == -3.0
        assert runs.next_month().stack_world("roles") is runs.stack_world("roles")
        assert not runs.stack_world("roles").flags.writeable
        with pytest.raises(ValueError, match="run axis"):
            runs.put("budget", budget0[:1])
    finally:
        for m in (a, b):
            m.release()


def test_values_that_are_not_one_block_are_kept_per_run(short_world):
    """A run given a value that does not fit its row (another shape, another type, ``None``)
    keeps it as its own; ``stack`` makes a block again once the runs' arrays agree."""
    a, b = JoinedUpModel(short_world, 0), JoinedUpModel(short_world, 1)
    try:
        runs = Runs([a.state, b.state])
        n = a.state.shifting.size
        a.state.shifting = np.zeros(n + 1)
        assert a.state.shifting.shape == (n + 1,) and b.state.shifting.shape == (n,)
        a.state.shifting = np.ones(n, dtype=int)
        assert a.state.shifting.dtype == int
        a.state.shifting = np.full(n, 0.5)
        stacked = runs.stack("shifting")
        np.testing.assert_array_equal(stacked[0], 0.5)
        assert np.shares_memory(a.state.shifting, stacked)  # a block again, a's field its row
        runs.put_flow("demand", [np.zeros((2, n)), np.zeros((0, n))])  # partnerships per run
        assert [f.demand.shape for f in runs.flows] == [(2, n), (0, n)]
        assert runs.flows[0].formal is None  # a flow not yet made: its default
        runs.put_flow("resolved", np.ones((2, 3)))
        last = runs.flows[0]
        runs = runs.next_month()
        assert runs.flows[0].resolved is None  # flows are the month's own
        np.testing.assert_array_equal(last.resolved, 1.0)  # (last month's keep their values)
        runs.flows[1].need_before = b.state.need  # a run's own flow, then all runs' at once
        runs.flows[0].need_before = a.state.need
        np.testing.assert_array_equal(runs.stack_flow("need_before"), [a.state.need, b.state.need])
    finally:
        for m in (a, b):
            m.release()


def test_a_state_pickles_and_copies_as_its_own_values(short_world):
    import copy
    import pickle

    a, b = JoinedUpModel(short_world, 0), JoinedUpModel(short_world, 1)
    try:
        Runs([a.state, b.state])
        rules = a.state.rules.copy()
        rules.pool_share[0, 0] = 0.75
        assert a.state.rules.pool_share[0, 0] != 0.75
        flows = pickle.loads(pickle.dumps(Runs([a.state, b.state]).flows[1]))
        assert flows.resolved is None
        shallow = copy.copy(a.state.rules)
        np.testing.assert_array_equal(shallow.sponsor, a.state.rules.sponsor)
        assert shallow._t is not a.state.rules._t  # a table of its own
    finally:
        for m in (a, b):
            m.release()


@pytest.mark.parametrize("scenario", SHIPPED)
def test_no_phase_writes_a_block_in_place(scenario, checked):
    """Every phase, in every shipped scenario, in a batch and alone, computes new arrays and puts
    them: with ``stack`` giving read-only views, a phase that wrote a block in place would raise.
    (The checked runs are still each run's own: run 1 of the batch is run 1 alone.)"""
    sc = jusim.as_scenario(scenario)
    batch = jusim.run_batch(sc, [0, 1])
    alone = jusim.run(sc, 1)
    assert batch[1].series.keys() == alone.series.keys()
    for k, v in alone.series.items():
        np.testing.assert_array_equal(batch[1].series[k], v, err_msg=k)


def test_the_columns_are_derived_from_the_dataclasses():
    """Array fields (``np.ndarray``, ``np.ndarray | None``) are columns, other fields plain
    attributes; every field of ``Flows`` is a column. A field added to a dataclass needs nothing
    more."""
    assert {"trust", "shares", "hazard", "budget"} <= set(State._columns)
    assert not {"roster", "partnerships", "month", "rules", "params"} & set(State._columns)
    assert {"pool_share", "buy_in", "detection"} <= set(Rules._columns)
    assert "leavers" in Flows._columns

    @dataclass
    class Added(_Record):
        a: np.ndarray
        b: np.ndarray | None = None
        c: int = 0
        d: np.ndarray = field(default_factory=lambda: np.zeros(1))

    _columns(Added)
    assert Added._columns == ("a", "b", "d")
    x, y = Added(np.zeros(2)), Added(np.ones(2), c=3)
    table = Table.adopt([x, y])
    np.testing.assert_array_equal(table.stack("a"), [[0.0, 0.0], [1.0, 1.0]])
    assert y.c == 3 and x.b is None and "c" in vars(y)
    table.put("b", np.arange(4.0).reshape(2, 2))
    np.testing.assert_array_equal(y.b, [2.0, 3.0])
    flows = Table(Added, 2).bound()  # records made over a table, with no value given
    assert flows[0].b is None and flows[0].d is not flows[1].d
    with pytest.raises(AttributeError, match="has no value"):
        flows[0].a  # noqa: B018
