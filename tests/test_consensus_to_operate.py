"""consensus_to_operate (I13): dispensation from the penalty for failure, with early detection."""

from __future__ import annotations

import numpy as np
import pytest

from jusim.scenario import ScenarioError

FORMING = {
    "horizon": 60,
    "parameters.partnership.proposal_rate": 0.05,
    "parameters.partnership.drift": 0.02,
    "parameters.scrutiny.visibility": 0.8,
    "parameters.scrutiny.penalty": 0.1,
}


def test_it_sets_dispensation_and_detection_for_its_scope_only(default_world, stepped):
    iv = {
        "type": "consensus_to_operate",
        "outcome": "rough_sleeping",
        "agencies": ["local_authority", "police"],
        "dispensation": 0.6,
        "detection": 4,
        "start": 2,
    }
    m = stepped(default_world.with_interventions([iv]))
    w = m.world
    o = w.outcome_index["rough_sleeping"]
    m.step()
    assert not m.rules.dispensation.any() and np.isinf(m.rules.detection).all()  # not yet
    m.step()
    m.step()
    r = m.rules
    covered = [w.agency_index["local_authority"], w.agency_index["police"]]
    assert (r.dispensation[o, covered] == 0.6).all()
    assert r.dispensation.sum() == pytest.approx(1.2)
    assert r.detection[o] == 4 and np.isinf(np.delete(r.detection, o)).all()


def test_without_early_detection_only_the_dispensation_is_set(default_world, stepped):
    iv = {"type": "consensus_to_operate", "detection": 0}
    m = stepped(default_world.with_interventions([iv]))
    m.step()
    assert (m.rules.dispensation == 0.8).all() and np.isinf(m.rules.detection).all()


def test_failing_partnerships_are_wound_up_and_lose_little(default_world, stepped):
    s = default_world.with_overrides(FORMING)
    free = s.with_interventions([{"type": "consensus_to_operate"}])
    blind = s.with_interventions([{"type": "consensus_to_operate", "detection": 0}])
    lost, detected = {}, {}
    for name, world in (("free", free), ("blind", blind)):
        m = stepped(world, 4)
        m.run()
        lost[name], detected[name] = m.scrutiny.lost(), int(m.scrutiny.detected.sum())
        # every detected failure was wound up within its detection lag
        assert not (m.partnerships.live[: m.scrutiny.detected.size] & m.scrutiny.detected).any()
    assert detected["free"] > 0 and detected["blind"] == 0
    assert lost["free"] < lost["blind"]


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"outcome": "nowhere"}, "outcome"),
        ({"agencies": ["nobody"]}, "agencies"),
        ({"agencies": []}, "agencies"),
        ({"dispensation": 1.5}, "dispensation"),
        ({"detection": -1}, "detection"),
        ({"start": 10, "end": 5}, "end"),
    ],
)
def test_bad_fields_are_named(default_world, bad, field):
    with pytest.raises(ScenarioError, match=field):
        default_world.with_interventions([{"type": "consensus_to_operate", **bad}])


def test_it_is_registered_with_evidence_and_described_fields():
    from jusim.interventions import REGISTRY

    cls = REGISTRY["consensus_to_operate"]
    assert "004_405daa82f731071c.txt Ch2 §5, §7" in cls.evidence
    for name, field in cls.model_fields.items():
        assert field.description, name
