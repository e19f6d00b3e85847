"""Last month's rules and flows hold no reference cycle (``state.Table``, docs/design-notes.md
item 16): reference counting frees their tables and blocks, with no collection, so a batch need
not collect after each month."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

import jusim
from jusim import month
from jusim.model import new_run
from jusim.month.runs import Runs
from jusim.month.state import Flows, Rules, State, Table
from jusim.world import world_for


@pytest.fixture
def no_collection():
    """The collector off (and frozen objects out of its sight) while a test steps."""
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@pytest.mark.parametrize("n", [1, 3])
def test_last_months_tables_are_freed_without_a_collection(n, no_collection):
    sc = jusim.load_scenario("sure_start")
    worlds: dict = {}
    runs = Runs([new_run(sc, seed, world=world_for(sc, worlds)) for seed in range(n)])
    month.step(runs)
    flows = weakref.ref(runs._flows)
    rules = weakref.ref(runs._together.rules)
    block = weakref.ref(runs._together.rules.blocks["shared_target"])
    runs = runs.next_month()
    month.step(runs)  # (new rules: last month's are dropped)
    assert flows() is None and rules() is None and block() is None


def test_a_month_leaves_no_garbage_of_tables(no_collection):
    sc = jusim.load_scenario("default_world")
    runs = Runs([new_run(sc, seed) for seed in range(3)])
    gc.collect()
    for _ in range(3):
        month.step(runs)
        runs = runs.next_month()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        kinds = {type(x) for x in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert not kinds & {Table, Rules, Flows, State}


def test_flows_and_rules_keep_no_records_but_states_do():
    table = Table(Flows, 2)
    records = table.bound()
    assert table.records == [] and all(f._t is table for f in records)
    states = Table.adopt([Rules.empty(1, 2), Rules.empty(1, 2)])
    assert states.records == []
    assert State._plain and not Rules._plain and not Flows._plain


def test_a_record_outlives_its_table_holders():
    """A record keeps its table (and so its values) alive, with nothing else holding it."""
    flows = Table(Flows, 2).bound()
    flows[0].disc = np.arange(3.0)
    assert flows[0].disc.tolist() == [0.0, 1.0, 2.0]
    table = flows[1]._t
    table.put("disc", np.ones((2, 3)))
    del table
    gc.collect()
    assert flows[1].disc.tolist() == [1.0, 1.0, 1.0]
    assert flows[1]._t.blocks["disc"].shape == (2, 3)  # (the weak back reference still holds)


def test_put_of_a_name_that_is_no_field():
    with pytest.raises(AttributeError, match="no field"):
        Table(Flows, 2).put("nothing", [1, 2])
