"""Claims with a smallest effect of interest, assumed/emergent origins, parameter draws and second
settings: the machinery of a validation that can fail (issue 21). Small and fast: the full suite
over draws runs in the report and in ``test_validation_draws.py`` (slow)."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.analysis import draws, validation
from jusim.analysis.claims import Claim, Sesoi, above, below

S = Sesoi(0.05, "test")


def test_an_effect_resolved_but_below_the_sesoi_does_not_hold():
    assert not above(S)(0.002, 0.009)  # resolved by common random numbers, but tiny
    assert above(S)(0.06, 0.09)
    assert not above(S)(0.04, 0.09)  # the interval must lie wholly beyond the SESOI
    assert below(S)(-0.09, -0.06) and not below(S)(-0.09, -0.01)
    assert below(Sesoi(0.5, "t"), at=1.0)(0.1, 0.4) and not below(Sesoi(0.5, "t"), at=1.0)(0.1, 0.6)
    assert Claim("within", S)(-0.01, 0.02) and not Claim("within", S)(-0.01, 0.06)
    assert Claim("under", Sesoi(5, "t"))(-2, 4.9) and not Claim("under", Sesoi(5, "t"))(1, 6)


def test_a_claim_row_records_its_sesoi_and_verdict():
    e = validation._effect("x", "m", [0.01, 0.012, 0.011, 0.013], above(S))
    assert e.ci_low > 0 and not e.holds and not e.mean_holds  # resolved, below the SESOI
    assert e.sesoi == 0.05 and e.claim == "> +0.05" and e.sesoi_reason == "test"
    assert len(e.values) == 4 and "values" not in e.as_dict()


def test_every_fact_is_labelled_assumed_or_emergent_with_its_rule():
    assert set(validation.ORIGINS) == set(validation.PATTERNS)
    for key, origin in validation.ORIGINS.items():
        assert origin.kind in ("assumed", "emergent"), key
        assert len(origin.reason) > 40, key
    catalogue = [k for k in validation.PATTERNS if k.isdigit()]
    assert sorted(catalogue, key=int) == [str(i) for i in range(1, 20)]
    # the named cases are rules, not validation
    for key in ("11", "14", "15", "18", "19", "16"):
        assert validation.ORIGINS[key].assumed, key


def test_prior_sample_is_seeded_and_within_its_ranges():
    a, b = draws.prior_sample(5, seed=3), draws.prior_sample(5, seed=3)
    assert a == b and a != draws.prior_sample(5, seed=4)
    assert len(a) == 5
    t = np.array([d["parameters.decision.temperature"] for d in a])
    assert ((t >= 0.075) & (t <= 0.225)).all() and np.ptp(t) > 0
    rs = np.array([d["outcomes.rough_sleeping.unit_cost"] for d in a])
    assert ((rs >= 20) & (rs <= 60)).all()


def test_a_draw_applies_only_to_what_the_world_has():
    from jusim import load_scenario

    silo = load_scenario("silo")
    draw = {
        "parameters.trust.initial": 0.3,
        "interventions.central_unit.pooled_share": 0.2,  # silo has no unit: skipped
        "outcomes.no_such_outcome.unit_cost": 5.0,  # skipped
    }
    got = draws.apply_draw(silo, draw)
    assert got.parameters.trust.initial == 0.3 and not got.interventions
    unit = draws.apply_draw(load_scenario("rough_sleepers_unit"), draw)
    assert next(iv for iv in unit.interventions if iv.name == "central_unit").pooled_share == 0.2
    with draws.using(draw):
        assert draws.base_world("silo").parameters.trust.initial == 0.3
    assert draws.base_world("silo").parameters.trust.initial == silo.parameters.trust.initial


def test_half_size_halves_staff_budgets_and_need():
    from jusim import load_scenario

    silo = load_scenario("silo")
    with draws.using(setting="half_size"):
        half = draws.base_world("silo")
        assert draws.current_setting().startswith("half-size")
    for a, b in zip(silo.agencies, half.agencies, strict=True):
        assert b.staff == max(1, round(a.staff / 2)) and b.budget == pytest.approx(a.budget / 2)
    for a, b in zip(silo.outcomes, half.outcomes, strict=True):
        assert b.initial_need == pytest.approx(a.initial_need / 2)
        assert b.unit_cost == a.unit_cost
    with pytest.raises(ValueError, match="setting"), draws.using(setting="no_such_setting"):
        pass


def _unit_cost_family(seeds) -> list[validation.Effect]:
    """Attainment over three months: it moves with a drawn unit cost."""
    from jusim import run

    s = draws.base_world("rough_sleepers_unit").with_overrides({"horizon": 3})
    values = [run(s, seed=x).attainment[-1, 0] for x in seeds]
    return [validation._effect("x", "attainment", values, above(Sesoi(0.005, "test")))]


def test_over_draws_reports_the_share_holding_and_the_range_over_draws(monkeypatch):
    monkeypatch.setattr(validation, "_CACHE", {})
    cheap, dear = (
        {"outcomes.rough_sleeping.unit_cost": 20.0},
        {"outcomes.rough_sleeping.unit_cost": 400.0},
    )
    fams = [_unit_cost_family]
    one = {
        name: validation.validate_over_draws([d], 3, seed=5, workers=1, families=fams)[0]
        for name, d in (("cheap", cheap), ("dear", dear))
    }
    both = validation.validate_over_draws([cheap, dear], 3, seed=5, workers=1, families=fams)[0]
    assert one["cheap"].median > one["dear"].median
    assert both.draws == 2 and both.seeds == 3
    assert one["cheap"].holding == (True,) and one["dear"].holding == (False,)
    assert both.holding == (True, False) and both.share == 0.5
    # the range over draws x seeds spans both draws: far wider than either draw's seed spread
    assert both.low <= one["dear"].median and both.high >= one["cheap"].median
    assert both.high - both.low > 10 * (one["cheap"].high - one["cheap"].low)
    with pytest.raises(ValueError, match="at least one draw"):
        validation.validate_over_draws([], 3, families=fams)


def test_a_count_sesoi_halves_in_the_half_size_area_and_a_relative_one_does_not():
    from jusim.analysis import validation_report as vr
    from jusim.analysis.claims import ATTAINMENT, RELATIVE, tenth

    count = tenth(21.7, "live partnerships", "partnerships")
    values = [1.5, 1.6, 1.7, 1.55]  # beyond half the count's SESOI (1.085), short of it (2.17)
    main = [
        validation._effect("12", "count", values, above(count)),
        validation._effect("12", "relative", values, above(RELATIVE)),
        validation._effect("12", "attainment", values, above(ATTAINMENT)),
    ]
    with draws.using({}, "half_size"):
        half = [
            validation._effect("12", "count", values, above(count)),
            validation._effect("12", "relative", values, above(RELATIVE)),
            validation._effect("12", "attainment", values, above(ATTAINMENT)),
        ]
    assert main[0].sesoi == 2.17 and not main[0].holds and main[0].claim == "> +2.17"
    assert half[0].sesoi == 1.085 and half[0].holds and half[0].claim == "> +1.08"
    assert "2.17 x 0.5 = 1.085" in half[0].sesoi_reason and "partnerships" in half[0].sesoi_reason
    assert half[0].rule is not None and half[0].rule.sesoi.value == 1.085  # judges draws' ranges
    for m, h in zip(main[1:], half[1:], strict=True):  # ratios and shares: unchanged
        assert (h.sesoi, h.sesoi_reason, h.claim) == (m.sesoi, m.sesoi_reason, m.claim)
    table = "\n".join(vr.sesoi_table(main + half))
    assert table.count("| (12) | main | count |") == 1
    assert table.count(f"| (12) | {draws.SETTINGS['half_size'].label} | count | > +1.08 |") == 1
    assert f"{draws.SETTINGS['half_size'].label} | relative" not in table  # shown once: main


def test_the_suites_counts_and_money_are_marked_to_scale():
    from jusim.analysis import facts_forums, facts_incentives, facts_partnerships, facts_scrutiny
    from jusim.analysis.claims import ATTAINMENT, COST_PER_CASE, RELATIVE

    counted = [
        facts_forums.COUNT_EARLY,
        facts_forums.COUNT_END,
        facts_partnerships.COUNT_MID,
        facts_partnerships.COUNT_END,
        facts_incentives.LANDED,
        facts_incentives.SHIFTED,
        facts_scrutiny.STARTS_LOW,
        facts_scrutiny.STARTS_HIGH,
        facts_scrutiny.LOST_HIGH,
    ]
    assert all(s.counts for s in counted)
    # a partner count in a fixed design of 2-10 partners, ratios and shares of a target: unscaled
    for s in (facts_partnerships.ONE_PARTNER, ATTAINMENT, COST_PER_CASE, RELATIVE):
        assert not s.counts and s.sized(0.5, "x") is s
