"""Validation family: public scrutiny and freedom to fail (evidence-catalogue §6 fact 6, I13).

Fact 6 (003_741bbb3ed11f1208.txt "Collaboration and control"; 004_405daa82f731071c.txt Ch2 §5,
§7): higher visibility of, and penalties for, failure lower the rate at which collaborations
start; a "freedom to fail" regime with early detection of failure (``consensus_to_operate``)
raises innovation without large losses.

World (``scrutiny_world``): silo, with agencies proposing partnerships of their own
(``proposal_rate`` 0.03 a month) whose relevance drifts away at 2% a month, over ten years — the
world of fact 12, where some partnerships go on to deliver less than they cost. A public failure
costs an agency ``PENALTY`` credit (``parameters.scrutiny.penalty``). Arms, all on the same seeds:
low scrutiny (``visibility`` 0.2), high scrutiny (0.8), high scrutiny with a
``consensus_to_operate`` for every agency and outcome, the same consensus without early
detection, and no scrutiny (``penalty`` 0: a failure costs nothing however visible it is).

Measures, per replication, over the horizon: *starts*, the partnerships agencies formed; *money
lost*, £m spent on agencies' own partnerships in the months they were failing (delivering less
than they cost their members; ``mechanisms/scrutiny.py``); and the mean attainment of all
outcomes at the horizon.

- (a) high minus low scrutiny: starts (below 0);
- (b) high scrutiny, consensus minus none: starts (above 0: more innovation);
- (c) "without large losses". *Large* is stated as: more money lost on failing partnerships than
  the same world loses without the consensus. The consensus holds it to that when the 95% interval
  of consensus minus none, under high scrutiny, lies below 0 — and, more demanding, also of
  consensus under high scrutiny minus no scrutiny at all (where agencies start freely and failing
  partnerships live on). Outcomes are not sacrificed either: high scrutiny, consensus minus none,
  mean attainment (above 0).

Controls: the penalty switched off (``penalty`` 0 in both the high and the low arm): the starts gap
goes away (the runs are identical: visibility alone costs nothing). Early detection switched off
(``detection`` 0): the consensus's losses are no longer below those without it, and
they rise above those with detection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from jusim.analysis.claims import Origin, above, below, tenth
from jusim.scenario import Scenario

if TYPE_CHECKING:  # validation.py imports this module at its end to register the family
    from jusim.analysis.validation import Effect


def _effect(*args, **kwargs) -> Effect:
    from jusim.analysis.validation import _effect as effect

    return effect(*args, **kwargs)


FORMATION = {
    "horizon": 120,
    "parameters.partnership.proposal_rate": 0.03,
    "parameters.partnership.drift": 0.02,
}
PENALTY = 0.1
LOW, HIGH = 0.2, 0.8
CONSENSUS = {"type": "consensus_to_operate"}
NO_DETECTION = {**CONSENSUS, "detection": 0}


def scrutiny_world(visibility: float, penalty: float = PENALTY) -> Scenario:
    """Silo with agencies forming partnerships of their own, under public scrutiny."""
    from jusim.analysis.draws import base_world

    return base_world("silo").with_overrides(
        {
            **FORMATION,
            "parameters.scrutiny.visibility": visibility,
            "parameters.scrutiny.penalty": penalty,
        }
    )


def outcomes_of(scenario: Scenario, seeds) -> np.ndarray:
    """(replications, 3): partnerships started, £m lost on failing ones, mean attainment."""
    from jusim import run_batch

    out = []
    for r in run_batch(scenario, list(seeds)):
        out.append(
            (
                r["partnerships_started"][-1],
                r["failure_loss"][-1] / 1000.0,
                float(r.attainment[-1].mean()),
            )
        )
    return np.array(out, float)


STARTS, LOST, ATTAINMENT = 0, 1, 2
STARTS_LOW = tenth(17.3, "partnerships started in 10 years at low visibility", "partnerships")
STARTS_HIGH = tenth(11.7, "partnerships started in 10 years at high visibility", "partnerships")
LOST_HIGH = tenth(70.5, "£m lost on failing partnerships at high visibility", "£m")


def effects(seeds) -> list[Effect]:
    low = outcomes_of(scrutiny_world(LOW), seeds)
    high_world = scrutiny_world(HIGH)
    high = outcomes_of(high_world, seeds)
    consensus = outcomes_of(high_world.with_interventions([CONSENSUS]), seeds)
    undetected = outcomes_of(high_world.with_interventions([NO_DETECTION]), seeds)
    free_low = outcomes_of(scrutiny_world(LOW, penalty=0.0), seeds)
    free_high = outcomes_of(scrutiny_world(HIGH, penalty=0.0), seeds)  # no scrutiny
    return [
        _effect(
            "6",
            f"high ({HIGH}) minus low ({LOW}) visibility: partnerships started in 10 years",
            high[:, STARTS] - low[:, STARTS],
            below(STARTS_LOW),
        ),
        _effect(
            "6",
            "high scrutiny, consensus to operate minus none: partnerships started",
            consensus[:, STARTS] - high[:, STARTS],
            above(STARTS_HIGH),
        ),
        _effect(
            "6",
            "high scrutiny, consensus minus none: £m lost on failing partnerships",
            consensus[:, LOST] - high[:, LOST],
            below(LOST_HIGH),
        ),
        _effect(
            "6",
            "consensus under high scrutiny minus no scrutiny: £m lost on failing partnerships",
            consensus[:, LOST] - free_high[:, LOST],
            lambda lo, hi: hi < 0,
        ),
        _effect(
            "6",
            "high scrutiny, consensus minus none: mean attainment of all outcomes",
            consensus[:, ATTAINMENT] - high[:, ATTAINMENT],
            lambda lo, hi: lo > 0,
        ),
        _effect(
            "6",
            "control, no penalty: high minus low visibility, partnerships started",
            free_high[:, STARTS] - free_low[:, STARTS],
            lambda lo, hi: not hi < 0,
            control=True,
        ),
        _effect(
            "6",
            "control, no early detection: high scrutiny, consensus minus none, £m lost",
            undetected[:, LOST] - high[:, LOST],
            lambda lo, hi: not hi < 0,
            control=True,
        ),
        _effect(
            "6",
            "control, no early detection minus with: consensus's £m lost (losses rise)",
            undetected[:, LOST] - consensus[:, LOST],
            lambda lo, hi: lo > 0,
            control=True,
        ),
    ]


PATTERNS: dict[str, str] = {
    "6": "higher visibility of, and penalties for, failure lower the rate at which "
    "collaborations start; a consensus to operate (freedom to fail with early detection) raises "
    "starts without large losses (003_741bbb3ed11f1208.txt 'Collaboration and control'; "
    "004_405daa82f731071c.txt Ch2 §5, §7)",
}

ORIGINS: dict[str, Origin] = {
    "6": Origin(
        "assumed",
        "scrutiny.py: the expected penalty (scrutiny.visibility x penalty) is subtracted from "
        "the benefit of proposing a partnership, and consensus_to_operate waives it and winds "
        "failing ones up after its detection months (003 'Collaboration and control')",
    ),
}
