"""Phase 5, production: what joint work delivers, and what clients and own business get (7.4).

Joint input per outcome (pooled money spent by the pot, ``mechanisms/funding.py``; CES over roles,
``mechanisms/production.py``), coordination efficiency (last month's trust and understanding), the
partnerships' delivered integration (7.15); agencies' own partnerships are judged on what they
delivered against what they cost (``mechanisms/scrutiny.py``, 7.23); methods kept from a unit
(``mechanisms/mainstreaming.py``, 7.17); capacity per type of provision and its lag
(``mechanisms/services.py``, 7.4b); take-up, need and awareness by client group
(``mechanisms/clients.py``, 7.4c); own business and its measured attainment (7.4a, 7.21).
"""

from __future__ import annotations

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
from jusim.month.state import Flows, State


def joint_capacity(s: State, f: Flows) -> np.ndarray:
    """(S,) cases a month each type of provision can resolve from this month's joint input."""
    w, p, r, pt = s.world, s.params, s.rules, s.partnerships
    pot = funding.pot_spending(f.pooled.sum(axis=1), r.funded, w.roles, p.funding)
    inputs = f.joint + f.focused_input + pot
    s.inputs = inputs  # (O, A) work in each role this month, £k (for analysis)
    effective = producing.joint_input(inputs, w.roles, p.production.complementarity)
    f.kappa = producing.coordination(
        s.trust, s.understanding, w.roles, p.production.coordination_floor
    )
    integration = pt.deliver(w.roles, w.admin_capacity, p.partnership)
    scrutiny.judge(  # what each own partnership delivered against what its seats cost
        s.scrutiny,
        pt,
        s.credit,
        (f.seat_cost + f.lost_by) / np.maximum(f.disc, 1e-9)[None, :],
        r.detection,
        p.partnership.cost_weight,
    )
    # adopted methods keep part of a wound-up unit's integration (mechanisms/mainstreaming.py)
    s.practised_gain = mainstreaming.practised_gain(s.practised_gain, r.practice, integration)
    integration = np.maximum(
        integration,
        mainstreaming.methods_kept(s.practised_gain, s.mainstreamed, w.roles, p.mainstreaming),
    )
    return services.capacity(
        f.kappa,
        effective * (1.0 + integration),
        w.service_outcome,
        r.service_share,
        w.service_cost,
        w.service_joined_up,
        inputs.sum(axis=1),
    )


def serve_clients(s: State, f: Flows, arriving: np.ndarray) -> None:
    """Take-up, need and awareness by client group; need and cases resolved by outcome."""
    w, p, r = s.world, s.params, s.rules
    uptake = clients.take_up(
        s.awareness, w.group_fit, r.outreach, np.maximum(r.client_list, r.single_point), w.bounce
    )
    group_need = s.client_need
    s.client_need, s.client_resolved = clients.update_need(
        group_need,
        uptake,
        w.group_share,
        w.inflow + f.extra_inflow,
        w.exit_rate,
        arriving,
        w.half_saturation,
    )
    s.awareness = clients.update_awareness(
        s.awareness, w.group_awareness, r.publicity, s.client_resolved, group_need, p.clients
    )
    s.need, f.resolved = s.client_need.sum(axis=1), s.client_resolved.sum(axis=1)


def run_one(s: State, f: Flows) -> None:
    w, p = s.world, s.params
    capacity = joint_capacity(s, f)
    s.pipeline, arriving = services.advance(
        s.pipeline, capacity, w.service_lag, w.service_outcome, w.n_outcomes
    )
    f.need_before = s.need
    serve_clients(s, f, arriving)
    s.own_z = own_targets.productivity_step(s.own_z, p.own_targets, s.streams["own"])
    s.own_att = spillover.measured(
        own_targets.attainment(f.own_in, w.own_target, s.own_z, p.own_targets),
        s.rules.narrow_lift,
        s.shifting,
    )


def run(runs: Runs) -> None:
    runs.each(run_one)
