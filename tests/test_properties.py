"""Invariants of whole runs over random scenario overrides, interventions and seeds (hypothesis).

Each example steps a JoinedUpModel month by month and checks, every month: trust and
understanding within [0, 1]; need stocks never negative; staff per agency (by home) equal to the
scenario's counts whatever churn and secondment do; ties only between different home agencies,
with strengths in (0, 1]. At the end the money ledger: allocated == spent + unspent, with no
overspending, and allocated equal to the agencies' budgets.
"""

from __future__ import annotations

import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jusim
from jusim.model import JoinedUpModel

OUTCOMES = ["rough_sleeping", "youth_offending", "early_years"]
AGENCIES = [
    "housing_department",
    "home_office",
    "health_department",
    "education_department",
    "local_authority",
    "nhs_trust",
    "police",
    "homelessness_charity",
    "youth_charity",
    "early_years_group",
]
SETTINGS = settings(
    max_examples=int(os.environ.get("JUSIM_HYPOTHESIS_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=False,
)

_BASE = jusim.load_scenario("default_world")

unit = st.floats(0.0, 1.0, allow_nan=False)
timing = st.fixed_dictionaries({"start": st.integers(0, 8)}, optional={"end": st.integers(9, 30)})


def _iv(kind: str, extra: dict) -> st.SearchStrategy:
    return st.builds(
        lambda outcome, t, e: {"type": kind, "outcome": outcome, **t, **e},
        st.sampled_from(OUTCOMES),
        timing,
        st.fixed_dictionaries(extra),
    )


interventions = st.lists(
    st.one_of(
        _iv("pooled_budget", {"share": unit}),
        _iv(
            "secondees",
            {
                "host": st.sampled_from(AGENCIES),
                "count": st.integers(0, 300),
                "term": st.integers(1, 30),
                "focus": st.floats(0, 50),
            },
        ),
        _iv("shared_targets", {"weight": st.floats(0, 5)}),
        _iv(
            "sponsorship",
            {
                "strength": st.floats(0, 5),
                "reshuffle_rate": unit,
                "lost_at": st.none() | st.integers(0, 30),
            },
        ),
    ),
    max_size=3,
)

central_unit = st.none() | st.builds(
    lambda outcome, share, staff, weight: {
        "type": "central_unit",
        "outcome": outcome,
        "pooled_share": share,
        "staff": staff,
        "target_weight": weight,
    },
    st.sampled_from(OUTCOMES),
    unit,
    st.integers(0, 200),
    st.floats(0, 5),
)

overrides = st.fixed_dictionaries(
    {
        "horizon": st.integers(12, 24),
        "context.churn_scale": st.floats(0.0, 20.0),
        "context.budget_change": st.floats(-0.5, 0.5),
        "context.staff_cost": st.floats(0.5, 200.0),
    },
    optional={
        "parameters.trust.gain": unit,
        "parameters.trust.loss": unit,
        "parameters.trust.noise": st.floats(0.0, 5.0),
        "parameters.trust.shock_rate": unit,
        "parameters.understanding.gain": unit,
        "parameters.understanding.decay": unit,
        "parameters.ties.formation": unit,
        "parameters.ties.referral": unit,
        "parameters.ties.decay": unit,
        "parameters.churn.handover_strength": unit,
        "parameters.overhead.senior": st.floats(0.0, 10_000.0),
        "parameters.overhead.admin": st.floats(0.0, 10_000.0),
        "parameters.production.complementarity": st.floats(-20.0, 1.0),
        "parameters.decision.temperature": st.floats(0.01, 10.0),
        "agencies.homelessness_charity.churn": unit,
        "agencies.police.handover": unit,
        "agencies.local_authority.discretionary_share": unit,
        "initial_ties": st.floats(0.0, 50.0),
    },
)

seeds = st.integers(0, 2**32 - 1)


@st.composite
def scenarios(draw) -> jusim.Scenario:
    ivs = draw(interventions)
    cu = draw(central_unit)
    if cu is not None:
        ivs = [*ivs, cu]
    return _BASE.with_overrides(draw(overrides)).with_interventions(ivs)


def check_month(m: JoinedUpModel, staff: np.ndarray) -> None:
    month = m.month
    assert np.all((m.trust >= 0) & (m.trust <= 1)), f"trust out of [0,1] at month {month}"
    assert np.all((m.understanding >= 0) & (m.understanding <= 1)), f"understanding, {month}"
    assert np.all(m.need >= 0), f"negative need at month {month}: {m.need}"
    assert np.all(np.isfinite(m.need))
    np.testing.assert_array_equal(m.roster.headcount(), staff, err_msg=f"month {month}")
    r = m.roster
    assert r.home.size == staff.sum()
    assert np.all(r.home[r.tie_i] != r.home[r.tie_j]), f"same-agency tie at month {month}"
    assert np.all(r.tie_i != r.tie_j)
    assert np.all((r.tie_w > 0) & (r.tie_w <= 1)), f"tie strength outside (0, 1], {month}"


def step(m: JoinedUpModel) -> None:
    m.step()


def run(scenario: jusim.Scenario, seed: int):
    m = JoinedUpModel(scenario, seed)
    try:
        for _ in range(scenario.horizon):
            step(m)
        return m.result()
    finally:
        m.release()


OVERCOMMITTED = [
    {"type": "pooled_budget", "outcome": "rough_sleeping", "share": 0.5},
    {"type": "pooled_budget", "outcome": "youth_offending", "share": 1.0},
]


def test_overcommitted_budget_does_not_crash():
    """Members pooling more than their free discretionary budget: commitments are scaled down,
    the run completes and no input is negative."""
    s = _BASE.with_overrides(
        {"horizon": 3, "context.churn_scale": 0.0, "context.staff_cost": 1.0}
    ).with_interventions(OVERCOMMITTED)
    res = jusim.run(s, 0)
    assert np.all(res.series["spend"] >= 0)
    assert np.all(np.isfinite(res.series["mean_trust"]))


@SETTINGS
@given(scenario=scenarios(), seed=seeds)
def test_invariants_every_month(scenario, seed):
    m = JoinedUpModel(scenario, seed)
    try:
        # staff per agency as the scenario declares them (a central unit employs nobody)
        declared = {a.name: a.staff for a in scenario.agencies}
        staff = np.array([declared.get(n, 0) for n in m.world.agency_names])
        check_month(m, staff)
        for _ in range(scenario.horizon):
            step(m)
            check_month(m, staff)
        res = m.result()
    finally:
        m.release()
    s = res.series
    allocated, spent, unspent = s["allocated"][1:], s["spent"][1:], s["unspent"][1:]
    scale = np.maximum(allocated, 1.0)
    np.testing.assert_allclose(allocated, spent + unspent, rtol=1e-12, atol=1e-9)
    assert np.all(unspent >= -1e-6 * scale), f"overspent: {unspent.min()}"
    assert np.all(spent >= 0)
    np.testing.assert_allclose(allocated, s["budget"][1:].sum(axis=1), rtol=1e-9)
    assert np.all(np.isfinite(res.attainment))


@SETTINGS
@given(scenario=scenarios(), seed=seeds)
def test_tables_are_tidy_and_complete(scenario, seed):
    res = run(scenario, seed)
    months = scenario.horizon + 1
    o, a = len(res.outcomes), len(res.agencies)
    assert len(res.outcome_table()) == months * o
    assert len(res.agency_table()) == months * a
    assert len(res.system_table()) == months
    ot = res.outcome_table()
    assert ot.groupby("month").size().eq(o).all()
    assert set(ot["outcome"]) == set(scenario.outcome_names)
    assert (ot["need"] >= 0).all()
    co = ot.loc[ot["month"] > 0, "coordination"]
    floor = scenario.parameters.production.coordination_floor
    assert ((co >= floor - 1e-12) & (co <= 1 + 1e-12)).all()


# ------------------------------------------------------------------------ roster dynamics
@st.composite
def rosters(draw):
    from jusim.staff import StaffRoster

    counts = draw(st.lists(st.integers(0, 12), min_size=2, max_size=5))
    r = StaffRoster.from_counts(np.array(counts, dtype=np.int64))
    n = r.n_staff
    if n >= 2:
        k = draw(st.integers(0, 60))
        g = np.random.default_rng(draw(seeds))
        r.add_ties(g.integers(0, n, k), g.integers(0, n, k), g.uniform(0.05, 1.0, k))
        posted = g.random(n) < 0.2
        r.post[posted] = g.integers(0, len(counts), posted.sum())
    return r


def check_roster(r, counts) -> None:
    np.testing.assert_array_equal(r.headcount(), counts)
    assert np.all(r.home[r.tie_i] != r.home[r.tie_j])
    assert np.all(r.tie_i < r.tie_j)
    key = r.tie_i * max(r.n_staff, 1) + r.tie_j
    assert np.unique(key).size == key.size, "duplicate tie"
    assert np.all((r.tie_w > 0) & (r.tie_w <= 1))
    assert np.all(r.tenure >= 0)


@settings(max_examples=40, deadline=None)
@given(r=rosters(), seed=seeds, hazard=unit, handover=unit, contact_level=st.floats(0, 20))
def test_roster_dynamics_keep_invariants(r, seed, hazard, handover, contact_level):
    from jusim.mechanisms import churn, ties

    g = np.random.default_rng(seed)
    a = r.n_agencies
    counts = r.headcount().copy()
    c = np.full((a, a), contact_level)
    np.fill_diagonal(c, 0.0)
    p = ties.TieParams(formation=0.5, referral=0.5, posting=3.0)
    for _ in range(6):
        churn.apply_churn(r, np.full(a, hazard), np.full(a, handover), churn.ChurnParams(), g)
        check_roster(r, counts)
        with r.batch():
            ties.form_by_contact(r, c, p, g)
            ties.form_by_posting(r, p, g)
            ties.form_by_referral(r, np.ones(a), p, g)
        check_roster(r, counts)
        ties.maintain(r, c, p, g)
        check_roster(r, counts)
        assert np.all(r.tie_w >= p.min_strength)
