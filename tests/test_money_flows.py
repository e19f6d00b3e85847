"""Money that flows (issue 21, item 5): others' shifted cases arrive as a bill, and a shared
platform's saving as money, in the discretionary budget an agency decides about; so they move
its free money, its own and joint work. ``funding.margin_share = 0`` (all of a shock to core
business) is the control: the money the decision rule splits no longer moves."""

from __future__ import annotations

import numpy as np
import pytest

import jusim
from jusim import month
from jusim.mechanisms.funding import FundingParams, margin
from jusim.model import JoinedUpModel
from jusim.month.runs import Runs

NARROW = [
    {"type": "narrow_target", "agency": "education_department", "lift": 0.1},
    {"type": "narrow_target", "agency": "nhs_trust", "lift": 0.1},
]
SHARED = {
    "type": "shared_services",
    "host": "housing_department",
    "members": ["home_office", "health_department"],
    "start": 1,
    "transition": 2,
}
OFF = {"parameters.funding.margin_share": 0.0}


def flows(scenario: jusim.Scenario, months: int) -> list[dict[str, np.ndarray]]:
    """Each month's money by agency (A,): discretionary, free, core, own work, joint work, bill."""
    model = JoinedUpModel(scenario, 0)
    out = []
    for _ in range(months):
        runs = Runs.of(model.state)
        month.step(runs)
        f = {k: runs.stack_flow(k)[0].copy() for k in ("disc", "free", "core", "own_in")}
        f["joint"] = runs.stack_flow("joint")[0].sum(axis=0)
        f["bill"] = model.state.shifted_cost.copy()
        out.append(f)
    return out


def test_margin_takes_the_shock_and_stays_within_the_budget():
    budget, share = np.array([1000.0, 1000.0, 1000.0]), np.array([0.2, 0.2, 0.2])
    shock = np.array([-50.0, 30.0, -1500.0])
    total, disc = margin(budget, share, shock, FundingParams())
    np.testing.assert_allclose(total, [950.0, 1030.0, 0.0])
    np.testing.assert_allclose(disc, [150.0, 230.0, 0.0])  # the whole shock, floored at 0
    total, disc = margin(budget, share, shock, FundingParams(margin_share=0.0))
    np.testing.assert_allclose(disc, [200.0, 200.0, 0.0])  # core takes it (within the budget)
    total, disc = margin(budget, share, np.array([-900.0, 0, 0]), FundingParams())
    assert disc[0] == 0.0 and total[0] == 100.0  # a bill beyond the margin comes out of core


@pytest.fixture(scope="module")
def shifting(default_world):
    world = default_world.with_overrides({"horizon": 6})
    arms = {
        "base": world,
        "on": world.with_interventions(NARROW),
        "off": world.with_interventions(NARROW).with_overrides(OFF),
    }
    return {k: flows(s, 4) for k, s in arms.items()}, world


def test_a_bill_cuts_the_receivers_free_money_and_its_work(shifting):
    runs, world = shifting
    la = [a.name for a in world.agencies].index("local_authority")
    m = 2  # month 3: shifting chosen in month 1 (and 2) is billed the month after
    base, on = runs["base"][m], runs["on"][m]
    bill = on["bill"][la]
    assert bill > 0 and base["bill"][la] == 0
    # the whole bill comes off the money the authority decides about, not a fifth of it
    assert base["disc"][la] - on["disc"][la] == pytest.approx(bill, rel=0.05)
    assert base["free"][la] - on["free"][la] == pytest.approx(bill, rel=0.05)
    assert on["core"][la] == pytest.approx(base["core"][la], rel=1e-9)
    # and so less own (service) work and less joint work
    assert on["own_in"][la] < base["own_in"][la]
    assert on["joint"][la] < base["joint"][la]


def test_control_a_bill_off_the_margin_leaves_the_free_money(shifting):
    runs, world = shifting
    la = [a.name for a in world.agencies].index("local_authority")
    base, off = runs["base"][2], runs["off"][2]
    assert off["bill"][la] > 0
    moved = abs(base["free"][la] - off["free"][la])
    assert moved < 0.01 * off["bill"][la]  # the effect on free money is gone
    assert base["core"][la] - off["core"][la] == pytest.approx(off["bill"][la], rel=0.05)


@pytest.fixture(scope="module")
def platform(default_world):
    world = default_world.with_overrides({"horizon": 8})
    arms = {
        "base": world,
        "on": world.with_interventions([SHARED]),
        "off": world.with_interventions([SHARED]).with_overrides(OFF),
    }
    return {k: flows(s, 6) for k, s in arms.items()}, world


def test_a_platform_saving_raises_members_free_money_and_joint_work(platform):
    runs, world = platform
    names = [a.name for a in world.agencies]
    members = [names.index(n) for n in SHARED["members"]]
    base, on = runs["base"][5], runs["on"][5]  # month 6: on the host's platform since month 4
    gain = on["free"][members] - base["free"][members]
    assert (gain > 0.02 * base["free"][members]).all()  # a saving of a few % of their budgets
    assert (on["joint"][members] > base["joint"][members]).all()
    assert on["core"][members] == pytest.approx(base["core"][members], rel=1e-6)


def test_control_a_platform_saving_off_the_margin_leaves_the_free_money(platform):
    runs, world = platform
    names = [a.name for a in world.agencies]
    members = [names.index(n) for n in SHARED["members"]]
    base, on, off = runs["base"][5], runs["on"][5], runs["off"][5]
    saved = on["free"][members] - base["free"][members]
    moved = np.abs(off["free"][members] - base["free"][members])
    assert (moved < 0.01 * saved).all()  # the effect on the money decided about is gone
    assert (off["core"][members] > base["core"][members]).all()  # the saving is in core


def test_margin_share_per_run_in_a_batch_equals_each_run_alone(default_world):
    """The margin over the run axis: a batch whose runs differ in ``margin_share`` (a shared
    platform and a narrow target, so both savings and bills flow) gives each run's result alone."""
    from test_batch import batch_equals_alone  # (tests/ is on the path, as for test_batch)

    world = default_world.with_overrides({"horizon": 8})
    scenario = world.with_interventions([SHARED, *NARROW])
    params = {"parameters.funding.margin_share": np.array([1.0, 0.0, 0.6])}
    got = batch_equals_alone(scenario, [1, 2, 1], params)
    assert not np.array_equal(got[0]["own_attainment"], got[2]["own_attainment"])
