"""The run's state at month 0 (docs/odd.md, section 5: initialization), and a new run: that state
with its interventions set up and month 0 recorded (``new_run``, what ``jusim.run_batch`` steps;
``jusim.model.JoinedUpModel`` wraps one in a Mesa model, which a batch never imports)."""

from __future__ import annotations

from typing import Any

import numpy as np

from jusim.mechanisms import platforms, scrutiny, spillover, ties
from jusim.metrics import Recorder
from jusim.month.state import Rules, State
from jusim.partnership import Partnerships
from jusim.scenario import Scenario
from jusim.streams import child_streams
from jusim.world import World, build_world, initial_roster


def initial_state(
    scenario: Scenario,
    seed: Any,
    streams: dict[str, np.random.Generator],
    world: World | None = None,
) -> State:
    """The state at month 0 (section 5 of docs/odd.md), before interventions set up; ``world``
    is ``build_world(scenario)``, given when runs of one scenario share it (read-only)."""
    p = scenario.parameters
    w = world if world is not None else build_world(scenario)
    roster = initial_roster(w, scenario, streams["world"])
    a, o = w.n_agencies, w.n_outcomes
    trust = np.full((a, a), p.trust.initial)
    np.fill_diagonal(trust, 1.0)
    understanding = np.full((a, a), p.understanding.initial)
    np.fill_diagonal(understanding, 1.0)
    client_need = w.need0[:, None] * w.group_share
    division, division_agency, division_base = w.staff_divisions
    spill_cases, spill_cost = spillover.channels(scenario, w)
    return State(
        scenario=scenario,
        seed=seed,
        streams=streams,
        world=w,
        roster=roster,
        params=p,
        rules=Rules.empty(o, a),
        month=0,
        budget=w.budget0.copy(),
        trust=trust,
        understanding=understanding,
        experience=np.full((o, a), p.decision.initial_experience),
        need=w.need0.copy(),
        client_need=client_need,
        awareness=w.group_awareness.copy(),
        client_resolved=np.zeros_like(client_need),
        operating_cost=w.platform_cost.copy(),
        platform_params=platforms.realised(p.platforms, streams["platforms"]),
        # steady effort before month 0 is unknown: start the pipeline empty
        pipeline=np.zeros((len(w.service_outcome), 2)),
        own_att=np.ones(a),
        own_z=np.zeros(a),
        defence=np.zeros(a),
        spill_cases=spill_cases,
        spill_cost=spill_cost,
        shifting=np.zeros(a),
        shifted_cost=np.zeros(a),
        participation=np.ones(a),
        shares=None,
        inputs=np.zeros((o, a)),
        mainstreamed=np.zeros((o, a)),
        practised_gain=np.zeros(o),
        division=division,
        division_agency=division_agency,
        division_base=division_base,
        contact=np.zeros((a, a)),
        relationship=ties.relationship_strength(roster, p.ties),
        partnerships=Partnerships(a),
        credit=np.zeros((o, a)),
        scrutiny=scrutiny.Record(),
        hazard=np.minimum(1.0, w.churn * scenario.context.churn_scale),
    )


def new_run(
    scenario: Scenario,
    seed: int | np.random.SeedSequence,
    streams: dict[str, np.random.Generator] | None = None,
    world: World | None = None,
) -> State:
    """A run's state at month 0, its interventions set up and month 0 recorded (no Mesa model:
    ``jusim.run_batch`` steps states; ``JoinedUpModel`` wraps one with its agents). ``world``:
    the scenario's world when runs share it (``jusim.world.world_for``), else built here."""
    streams = streams if streams is not None else child_streams(seed)
    s = initial_state(scenario, seed, streams, world)
    s.interventions = list(scenario.interventions)
    s.intervention_state = [iv.setup(s) for iv in s.interventions]
    s.recorder = Recorder(
        scenario.horizon, s.world.n_outcomes, s.world.n_agencies, s.world.group_share.shape[1]
    )
    s.recorder.record_initial(s)
    return s
