"""Finished models are freed: Mesa 3.3.1 keeps every model in ``mesa.Agent._ids`` unless released."""

from __future__ import annotations

import gc
import weakref

import mesa
import pytest

import jusim
from jusim.model import JoinedUpModel


@pytest.fixture(scope="module")
def tiny(short_world):
    return short_world.with_overrides({"horizon": 3})


def test_many_runs_do_not_grow_mesa_registry(tiny):
    gc.collect()
    before = len(mesa.Agent._ids)
    for seed in range(200):
        jusim.run(tiny, seed=seed)
    gc.collect()
    assert len(mesa.Agent._ids) == before


def test_compare_does_not_grow_mesa_registry(tiny):
    rsu = jusim.load_scenario("rough_sleepers_unit").with_overrides({"horizon": 3})
    gc.collect()
    before = len(mesa.Agent._ids)
    jusim.compare([rsu], baseline=tiny, replications=5, seed=0)
    gc.collect()
    assert len(mesa.Agent._ids) == before


def test_run_releases_even_when_the_run_fails(tiny, monkeypatch):
    gc.collect()
    before = len(mesa.Agent._ids)

    def boom(runs):
        raise RuntimeError("boom")

    monkeypatch.setattr(jusim.month, "step", boom)  # the month every run steps through
    with pytest.raises(RuntimeError):
        jusim.run(tiny, seed=0)
    gc.collect()
    assert len(mesa.Agent._ids) == before


def test_unreleased_model_is_kept_alive_by_mesa(tiny):
    """The leak the release() call exists for (checks that the weakref test can fail)."""
    m = JoinedUpModel(tiny, 0)
    m.step()
    ref = weakref.ref(m)
    del m
    gc.collect()
    try:
        assert ref() is not None
    finally:
        if ref() is not None:
            ref().release()
    gc.collect()
    assert ref() is None


def test_released_model_is_collected_and_result_survives(tiny):
    m = JoinedUpModel(tiny, 0)
    res = m.run()
    assert len(m.agents) == len(m.world.agency_names)
    ref = weakref.ref(m)
    m.release()
    del m
    gc.collect()
    assert ref() is None
    assert res.series["need"].shape[0] == tiny.horizon + 1  # the result owns its data
    assert res.outcome_table()["need"].notna().all()
