"""Setting up a batch's runs: streams made on first use, one read-only world per scenario, and
the garbage collector's frozen objects restored after a chunk (docs/design-notes.md item 17)."""

from __future__ import annotations

import gc
import pickle

import numpy as np
import pytest

import jusim
from jusim import batch, world
from jusim.batch import scenarios_for
from jusim.mechanisms import divisions
from jusim.model import STREAMS, child_streams


@pytest.mark.parametrize("seed", [0, 12345, np.random.SeedSequence(7, spawn_key=(3, 1))])
def test_streams_made_late_give_the_numbers_made_at_once(seed):
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    eager = {
        name: np.random.default_rng(
            np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, k))
        )
        for k, name in enumerate(STREAMS)
    }
    lazy = child_streams(seed)
    assert dict.__len__(lazy) == 0  # nothing made until asked for
    for name in reversed(STREAMS):  # made in another order than the streams' own
        assert np.array_equal(lazy[name].random(8), eager[name].random(8)), name
    assert sorted(lazy) == sorted(STREAMS)
    with pytest.raises(KeyError):
        lazy["no such stream"]


def test_streams_list_all_and_survive_pickling():
    s = child_streams(3)
    first = s["churn"].random(4)
    copy = pickle.loads(pickle.dumps(s))
    assert dict.__len__(copy) == 1  # only what had been made travels, at its position
    assert np.array_equal(copy["churn"].random(4), s["churn"].random(4))
    assert not np.array_equal(first, child_streams(3)["ties"].random(4))
    assert len(copy) == len(STREAMS) and set(copy.keys()) == set(STREAMS)
    assert "world" in child_streams(3) and child_streams(3).get("nope") is None


def test_a_world_is_read_only():
    w = world.build_world(jusim.load_scenario("default_world"))
    with pytest.raises(ValueError, match="read-only"):
        w.budget0[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        w.roles *= 2
    division, agency, base = w.staff_divisions  # month 0's divisions, shared by the runs
    assert all(not x.flags.writeable for x in (division, agency, base))
    d, a = divisions.assign(w.staff, w.divisions)
    assert np.array_equal(d, division) and np.array_equal(a, agency)
    assert np.array_equal(base, divisions.base_openness(w.openness, w.divisions, w.division_spread))


def test_runs_of_one_scenario_share_one_world(monkeypatch):
    built = []
    real = world.build_world
    monkeypatch.setattr(world, "build_world", lambda sc: built.append(sc) or real(sc))
    draws = {"context.churn_scale": np.linspace(0.8, 1.2, 4)}
    scenarios = scenarios_for("default_world", 4, draws)
    worlds: dict = {}
    shared = {id(world.world_for(sc, worlds)) for sc in scenarios}
    assert len(shared) == 1 and len(built) == 1
    other = jusim.load_scenario("default_world").model_copy(deep=True)
    assert id(world.world_for(other, worlds)) not in shared and len(built) == 2

    short = jusim.load_scenario("default_world").model_copy(update={"horizon": 3})
    built.clear()
    jusim.run_batch(short, [1, 2, 3], params=draws | {"context.churn_scale": [0.9, 1.0, 1.1]})
    assert len(built) == 1


def test_the_collector_is_restored_after_a_batch_and_after_an_error(monkeypatch):
    short = jusim.load_scenario("default_world").model_copy(update={"horizon": 2})
    assert gc.get_freeze_count() == 0
    jusim.run_batch(short, [1, 2])
    assert gc.get_freeze_count() == 0 and gc.isenabled()

    def fails(states):
        assert gc.get_freeze_count() > 0  # frozen while the chunk steps
        raise RuntimeError("a phase failed")

    monkeypatch.setattr(batch, "_step", fails)
    with pytest.raises(RuntimeError, match="a phase failed"):
        jusim.run_batch(short, [1, 2])
    assert gc.get_freeze_count() == 0


def test_a_callers_frozen_objects_stay_frozen(monkeypatch):
    short = jusim.load_scenario("default_world").model_copy(update={"horizon": 2})
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        jusim.run_batch(short, [1])
        # neither unfrozen (0) nor the run's objects added (thousands); a frozen object that
        # reference counting freed meanwhile leaves the count
        assert frozen - 100 <= gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
