"""Phase 5, production: what joint work delivers, and what clients and own business get (7.4).

Joint input per outcome (pooled money spent by the pot, ``mechanisms/funding.py``; CES over roles,
``mechanisms/production.py``), coordination efficiency (last month's trust and understanding), the
partnerships' delivered integration (7.15); agencies' own partnerships are judged on what they
delivered against what they cost (``mechanisms/scrutiny.py``, 7.23); methods kept from a unit
(``mechanisms/mainstreaming.py``, 7.17); capacity per type of provision and its lag
(``mechanisms/services.py``, 7.4b); take-up, need and awareness by client group
(``mechanisms/clients.py``, 7.4c); own business and its measured attainment (7.4a, 7.21).

Written over the run axis (``jusim/month/runs.py``): the arithmetic of all R runs is one call per
mechanism on arrays whose first axis is the run, the partnerships' delivery too (the runs'
partnerships side by side, ``partnership.Board``) and their judgement (``scrutiny.judge``, one
call on the board's blocks); only the draws of each run's own productivity shocks go run by run.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from jusim.mechanisms import (
    clients,
    funding,
    mainstreaming,
    own_targets,
    scrutiny,
    services,
    spillover,
)
from jusim.mechanisms import production as producing
from jusim.month.runs import Runs
from jusim.partnership import Board

# the world arrays this phase reads (a run's world is fixed once built)
_WORLD = (
    "roles",
    "service_outcome",
    "service_lag",
    "service_cost",
    "service_joined_up",
    "group_fit",
    "bounce",
    "group_share",
    "group_awareness",
    "inflow",
    "exit_rate",
    "half_saturation",
    "own_target",
)
_worlds: weakref.WeakKeyDictionary[Any, tuple[list[weakref.ref], dict[str, np.ndarray]]] = (
    weakref.WeakKeyDictionary()
)


def world_arrays(runs: Runs) -> dict[str, np.ndarray]:
    """The world arrays of ``_WORLD`` with a leading run axis: of length 1 when every run's world
    holds the same values (the runs of one scenario), otherwise R. Gathered once for the same
    runs (kept while their first state lives) rather than every month."""
    states = runs.states
    kept = _worlds.get(states[0])
    same = kept is not None and len(kept[0]) == len(states)  # the same runs as last month?
    if same and all(ref() is s for ref, s in zip(kept[0], states, strict=True)):
        return kept[1]
    worlds = [s.world for s in states]
    arrays = {}
    for name in _WORLD:
        first = getattr(worlds[0], name)
        if all(np.array_equal(getattr(w, name), first) for w in worlds[1:]):
            arrays[name] = first[None]
        else:
            arrays[name] = np.stack([getattr(w, name) for w in worlds])
    if arrays["service_outcome"].shape[0] == 1:
        arrays["service_outcome"] = arrays["service_outcome"][0]  # one index for every run
    _worlds[states[0]] = ([weakref.ref(s) for s in states], arrays)
    return arrays


def partnerships_deliver(runs: Runs) -> np.ndarray:
    """(R, O) integration the runs' partnerships deliver this month; then each agency's own
    partnerships are judged on what they delivered against what their seats cost (one call for
    all runs on the board's padded blocks; each run's record its own; a run alone on its own
    arrays). A run that has never formed a partnership has nothing to deliver or judge."""
    board = Board([s.partnerships for s in runs.states])
    integration = board.deliver(runs)
    if board.alone is not None and not board.empty:  # a run alone: its own arrays
        s, f = runs.states[0], runs.flows[0]
        scrutiny.judge(
            s.scrutiny,
            s.partnerships,
            s.credit,
            (f.seat_cost + f.lost_by) / np.maximum(f.disc, 1e-9)[None, :],
            s.rules.detection,
            s.params.partnership.cost_weight,
        )
    elif not board.empty:
        seats = board.gather(runs.flow_values("seat_cost")) + board.gather(
            runs.flow_values("lost_by")
        )
        scrutiny.judge(  # what each own partnership delivered against what its seats cost
            [s.scrutiny for s in runs.states],
            board,
            runs.stack("credit"),
            seats / np.maximum(runs.stack_flow("disc"), 1e-9)[:, None, :],
            runs.stack_rules("detection"),
            runs.params.partnership.cost_weight,
        )
    return integration


def joint_capacity(runs: Runs, w: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(R, S) cases a month each type of provision can resolve from this month's joint input, and
    (R, O) coordination efficiency."""
    p = runs.params
    roles = w["roles"]
    pooled = runs.stack_flow("pooled")
    pot = funding.pot_spending(pooled.sum(axis=-1), runs.stack_rules("funded"), roles, p.funding)
    inputs = runs.stack_flow("joint") + runs.stack_flow("focused_input") + pot
    runs.put("inputs", inputs)  # (O, A) work in each role this month, £k (for analysis)
    effective = producing.joint_input(inputs, roles, p.production.complementarity)
    kappa = producing.coordination(
        runs.stack("trust"), runs.stack("understanding"), roles, p.production.coordination_floor
    )
    integration = partnerships_deliver(runs)
    # adopted methods keep part of a wound-up unit's integration (mechanisms/mainstreaming.py)
    gain = mainstreaming.practised_gain(
        runs.stack("practised_gain"), runs.stack_rules("practice"), integration
    )
    runs.put("practised_gain", gain)
    integration = np.maximum(
        integration,
        mainstreaming.methods_kept(gain, runs.stack("mainstreamed"), roles, p.mainstreaming),
    )
    capacity = services.capacity(
        kappa,
        effective * (1.0 + integration),
        w["service_outcome"],
        runs.stack_rules("service_share"),
        w["service_cost"],
        w["service_joined_up"],
        inputs.sum(axis=-1),
    )
    return capacity, kappa


def serve_clients(runs: Runs, w: dict[str, np.ndarray], arriving: np.ndarray) -> None:
    """Take-up, need and awareness by client group; need and cases resolved by outcome."""
    awareness = runs.stack("awareness")
    uptake = clients.take_up(
        awareness,
        w["group_fit"],
        runs.stack_rules("outreach"),
        np.maximum(runs.stack_rules("client_list"), runs.stack_rules("single_point")),
        w["bounce"],
    )
    group_need = runs.stack("client_need")
    need, resolved = clients.update_need(
        group_need,
        uptake,
        w["group_share"],
        w["inflow"] + runs.stack_flow("extra_inflow"),
        w["exit_rate"],
        arriving,
        w["half_saturation"],
    )
    awareness = clients.update_awareness(
        awareness,
        w["group_awareness"],
        runs.stack_rules("publicity"),
        resolved,
        group_need,
        runs.params.clients,
    )
    runs.put("client_need", need)
    runs.put("client_resolved", resolved)
    runs.put("awareness", awareness)
    runs.put("need", need.sum(axis=-1))
    runs.put_flow("resolved", resolved.sum(axis=-1))


def run(runs: Runs) -> None:
    w = world_arrays(runs)
    capacity, kappa = joint_capacity(runs, w)
    runs.put_flow("kappa", kappa)
    pipeline, arriving = services.advance(
        runs.stack("pipeline"),
        capacity,
        w["service_lag"],
        w["service_outcome"],
        runs.world.n_outcomes,
    )
    runs.put("pipeline", pipeline)
    runs.put_flow("need_before", runs.stack("need"))  # (serve_clients puts a new need block)
    serve_clients(runs, w, arriving)
    p = runs.params.own_targets
    own_z = own_targets.productivity_step(runs.stack("own_z"), p, runs.streams("own"))
    runs.put("own_z", own_z)
    attained = own_targets.attainment(runs.stack_flow("own_in"), w["own_target"], own_z, p)
    runs.put(
        "own_att",
        spillover.measured(attained, runs.stack_rules("narrow_lift"), runs.stack("shifting")),
    )
