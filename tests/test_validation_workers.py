"""``validate`` runs its families side by side in processes; the effects do not depend on how
many. Two small families (three-month runs) stand in for the real ones, which the validation
tests run at full size."""

from __future__ import annotations

import numpy as np

from jusim.analysis import validation


def _attainment(seeds, churn: float) -> np.ndarray:
    from jusim import load_scenario, run

    scenario = load_scenario("rough_sleepers_unit").with_overrides(
        {"horizon": 3, "context.churn_scale": churn}
    )
    return np.array([run(scenario, seed=s).attainment[-1, 0] for s in seeds])


def family_one(seeds) -> list[validation.Effect]:
    return [validation._effect("x", "attainment", _attainment(seeds, 1.0), lambda lo, hi: True)]


def family_two(seeds) -> list[validation.Effect]:
    diff = _attainment(seeds, 3.0) - _attainment(seeds, 1.0)
    return [validation._effect("y", "churn x3 minus x1", diff, lambda lo, hi: True)]


def test_effects_are_the_same_for_any_number_of_workers(monkeypatch) -> None:
    monkeypatch.setattr(validation, "FAMILIES", [family_one, family_two])
    got = {}
    for workers in (1, 2):
        monkeypatch.setattr(validation, "_CACHE", {})
        got[workers] = validation.validate(replications=4, seed=11, workers=workers)
    assert [e.as_dict() for e in got[1]] == [e.as_dict() for e in got[2]]
    assert [e.pattern for e in got[2]] == ["x", "y"]  # in the families' order
    assert got[2][1].ci_high > got[2][1].ci_low  # real variation, not a constant
