"""information_sharing: a shared client list stops clients being bounced between agencies."""

from __future__ import annotations

import numpy as np
import pytest

import jusim
from jusim.mechanisms import clients

YO = "youth_offending"


def test_client_list_share_follows_members_roles(short_world, stepped):
    s = short_world.with_interventions(
        [{"type": "information_sharing", "outcome": YO, "members": ["police", "local_authority"]}]
    )
    m = stepped(s)
    m.step()
    o = m.world.outcome_index[YO]
    roles = m.world.roles[o]
    ix = [m.world.agency_index["police"], m.world.agency_index["local_authority"]]
    assert m.rules.client_list[o] == pytest.approx(roles[ix].sum() / roles.sum())
    assert m.rules.membership[o, ix].all() and m.rules.membership[o].sum() == 2


def test_more_cases_resolved_where_clients_were_bounced(default_world):
    base = default_world.with_overrides({"horizon": 24})
    iv = {"type": "pooled_budget", "outcome": YO, "share": 0.1}
    arm = base.with_interventions([iv, {"type": "information_sharing", "outcome": YO}])
    k = base.outcome_names.index(YO)
    a = jusim.run(base.with_interventions([iv]), seed=6)
    b = jusim.run(arm, seed=6)
    assert b["resolved"][:, k].sum() > 1.1 * a["resolved"][:, k].sum()


def test_no_effect_where_nobody_is_bounced():
    """With bounce 0 (rough sleeping's default) a shared client list cannot raise take-up."""
    args = (np.array([[0.7, 0.4]]), np.array([[1.0, 0.5]]), np.zeros((1, 2)))
    alone = clients.take_up(*args, np.array([0.0]), np.array([0.0]))
    shared = clients.take_up(*args, np.array([1.0]), np.array([0.0]))
    np.testing.assert_array_equal(alone, shared)
