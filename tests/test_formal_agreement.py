"""Formal agreements: obliged contact between members, crowding out of high trust, compliance."""

from __future__ import annotations

import numpy as np

from jusim.mechanisms import formality
from jusim.mechanisms.formality import FormalityParams

RS = "rough_sleeping"


def test_only_pairs_of_members_of_live_formal_partnerships_count():
    members = np.array([[1, 1, 0, 0], [0, 1, 1, 1]], bool)
    pairs = formality.formal_pairs(members, np.array([True, False]))
    expected = np.zeros((4, 4))
    expected[0, 1] = expected[1, 0] = 1
    np.testing.assert_array_equal(pairs, expected)


def test_crowding_out_erodes_only_trust_above_the_assured_level_between_members():
    p = FormalityParams(assured=0.5, crowd_out=0.1)
    trust = np.array([[1.0, 0.9, 0.9], [0.3, 1.0, 0.9], [0.9, 0.9, 1.0]])
    pairs = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]], float)
    out = formality.crowd_out(trust, pairs, p)
    assert out[0, 1] == np.float64(0.9 - 0.1 * 0.4)
    assert out[1, 0] == 0.3  # low trust is not raised by the rule itself
    assert out[0, 2] == 0.9 and out[2, 1] == 0.9  # non-members untouched
    np.testing.assert_array_equal(np.diag(out), 1.0)


def test_formal_agreement_marks_the_shared_partnership_and_adds_contact_and_reporting(
    short_world, stepped
):
    base = [{"type": "shared_targets", "outcome": RS}]
    plain = stepped(short_world.with_interventions(base))
    formal = stepped(
        short_world.with_interventions([*base, {"type": "formal_agreement", "outcome": RS}])
    )
    for m in (plain, formal):
        m.step()
    assert formal.partnerships.count == 1 and formal.partnerships.formal[0]
    assert not plain.partnerships.formal.any()
    o = formal.world.outcome_index[RS]
    members = np.flatnonzero(formal.world.involved[o])
    extra = formal.params.formality.compliance
    np.testing.assert_allclose(
        formal.rules.admin_demand[members] - plain.rules.admin_demand[members], extra
    )
    a, b = members[:2]
    assert formal.contact[a, b] > plain.contact[a, b]


def test_formality_ends_with_the_agreement(short_world, stepped):
    m = stepped(
        short_world.with_interventions(
            [
                {"type": "shared_targets", "outcome": RS},
                {"type": "formal_agreement", "outcome": RS, "end": 2},
            ]
        )
    )
    for _ in range(3):
        m.step()
    assert m.partnerships.n_live() == 1 and not m.partnerships.formal.any()
