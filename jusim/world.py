"""The initial state built from a scenario: agency attributes, outcome roles, staff and ties.

Intervention-created agencies (such as a central unit) are appended after the scenario's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from jusim.scenario import AgencySpec, ClientGroupSpec, Scenario
from jusim.staff import StaffRoster


@dataclass(frozen=True)
class World:
    """Fixed attributes of agencies (A,) and outcomes (O,), and the role matrix (O, A)."""

    agency_names: list[str]
    kinds: list[str]
    outcome_names: list[str]
    staff: np.ndarray
    budget0: np.ndarray
    discretionary_share: np.ndarray
    own_target: np.ndarray  # £k/month of own-business spending the targets need
    accountability: np.ndarray
    risk_aversion: np.ndarray
    openness: np.ndarray
    admin_capacity: np.ndarray
    churn: np.ndarray
    handover: np.ndarray
    roles: np.ndarray  # (O, A) role weights, 0 where the agency has no role
    need0: np.ndarray
    inflow: np.ndarray
    exit_rate: np.ndarray
    unit_cost: np.ndarray
    lag: np.ndarray
    half_saturation: np.ndarray
    target: np.ndarray
    deadline: np.ndarray
    # types of provision (S,), see mechanisms/services.py
    service_names: list[str] = field(default_factory=list)
    service_outcome: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    service_share: np.ndarray = field(default_factory=lambda: np.empty(0))
    service_cost: np.ndarray = field(default_factory=lambda: np.empty(0))  # £k per case
    service_lag: np.ndarray = field(default_factory=lambda: np.empty(0))
    # divisions of each agency (A,) and the spread of their openness, see mechanisms/divisions.py
    divisions: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    division_spread: np.ndarray = field(default_factory=lambda: np.empty(0))
    # client groups (O, G), padded with zero-share groups; see mechanisms/clients.py
    group_names: list[list[str]] = field(default_factory=list)
    group_share: np.ndarray = field(default_factory=lambda: np.ones((0, 1)))
    group_fit: np.ndarray = field(default_factory=lambda: np.ones((0, 1)))
    group_awareness: np.ndarray = field(default_factory=lambda: np.ones((0, 1)))
    bounce: np.ndarray = field(default_factory=lambda: np.empty(0))
    platform_cost: np.ndarray = field(default_factory=lambda: np.empty(0))  # £k/month (A,)
    service_joined_up: np.ndarray = field(default_factory=lambda: np.empty(0))  # (S,) 0-1

    def __post_init__(self) -> None:
        """The arrays are read-only: one world is shared by the runs of a scenario
        (``jusim.batch``: ``world_for``), so no run may change another's by writing in place."""
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False

    @property
    def n_agencies(self) -> int:
        return len(self.agency_names)

    @property
    def n_outcomes(self) -> int:
        return len(self.outcome_names)

    @cached_property
    def involved(self) -> np.ndarray:
        return self.roles > 0

    @cached_property
    def role_shares(self) -> np.ndarray:
        """(O, A) role weights normalised to sum to one per outcome: how a pooled pot is spent."""
        return self.roles / self.roles.sum(axis=1, keepdims=True)

    @cached_property
    def agency_index(self) -> dict[str, int]:
        return {n: k for k, n in enumerate(self.agency_names)}

    @cached_property
    def outcome_index(self) -> dict[str, int]:
        return {n: k for k, n in enumerate(self.outcome_names)}

    @cached_property
    def required_rate(self) -> np.ndarray:
        """Monthly relative fall in need that reaches each target by its deadline."""
        ratio = np.maximum(self.target, 1e-9) / self.need0
        return 1.0 - ratio ** (1.0 / self.deadline)

    @cached_property
    def staff_divisions(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Month 0's divisions (``mechanisms/divisions.py``): the division of each member of
        staff (N,), the agency of each division (D,) and each division's base openness (D,).
        They do not depend on the seed, so a world's runs share them (read-only)."""
        from jusim.mechanisms import divisions

        division, agency = divisions.assign(self.staff, self.divisions)
        base = divisions.base_openness(self.openness, self.divisions, self.division_spread)
        for x in (division, agency, base):
            x.flags.writeable = False
        return division, agency, base


def all_agencies(scenario: Scenario) -> list[AgencySpec]:
    extra = [a for iv in scenario.interventions for a in iv.new_agencies(scenario)]
    return list(scenario.agencies) + extra


def build_world(scenario: Scenario) -> World:
    specs = all_agencies(scenario)
    index = {a.name: k for k, a in enumerate(specs)}
    roles = np.zeros((len(scenario.outcomes), len(specs)))
    for o, out in enumerate(scenario.outcomes):
        for name, w in out.contributors.items():
            roles[o, index[name]] = w

    def col(attr: str, items=specs) -> np.ndarray:
        return np.array([getattr(x, attr) for x in items], dtype=np.float64)

    budget0 = col("budget")
    outs = scenario.outcomes
    svc = [
        (o, f"{out.name}.{s.name}", s.share, out.unit_cost * s.relative_cost, s.lag, s.joined_up)
        for o, out in enumerate(outs)
        for s in out.services
    ] + [
        (o, out.name, 1.0, out.unit_cost, out.lag, 1.0)
        for o, out in enumerate(outs)
        if not out.services
    ]
    svc.sort(key=lambda x: x[0])
    groups = [o.client_groups or [ClientGroupSpec(name="everyone", share=1.0)] for o in outs]
    n_groups = max(len(g) for g in groups)

    def grid(attr: str, pad: float) -> np.ndarray:
        return np.array(
            [[getattr(x, attr) for x in g] + [pad] * (n_groups - len(g)) for g in groups]
        )

    return World(
        agency_names=[a.name for a in specs],
        kinds=[a.kind for a in specs],
        outcome_names=[o.name for o in outs],
        staff=np.array([a.staff for a in specs], dtype=np.int64),
        budget0=budget0,
        discretionary_share=col("discretionary_share"),
        own_target=col("own_target") * budget0,
        accountability=col("accountability"),
        risk_aversion=col("risk_aversion"),
        openness=col("openness"),
        admin_capacity=col("admin_capacity"),
        churn=col("churn"),
        handover=col("handover"),
        roles=roles,
        need0=col("initial_need", outs),
        inflow=col("inflow", outs),
        exit_rate=col("exit_rate", outs),
        unit_cost=col("unit_cost", outs),
        lag=col("lag", outs),
        half_saturation=col("half_saturation", outs),
        target=col("target", outs),
        deadline=col("deadline", outs),
        service_names=[x[1] for x in svc],
        service_outcome=np.array([x[0] for x in svc], dtype=np.int64),
        service_share=np.array([x[2] for x in svc]),
        service_cost=np.array([x[3] for x in svc]),
        service_lag=np.array([x[4] for x in svc]),
        divisions=np.array([a.divisions for a in specs], dtype=np.int64),
        division_spread=col("division_spread"),
        group_names=[[x.name for x in g] for g in groups],
        group_share=grid("share", 0.0),
        group_fit=grid("fit", 1.0),
        group_awareness=grid("awareness", 1.0),
        bounce=col("bounce", outs),
        platform_cost=col("platform_cost") * budget0,
        service_joined_up=np.array([x[5] for x in svc]),
    )


def world_key(scenario: Scenario) -> tuple[int, int, int]:
    """What ``build_world`` reads of a scenario, by identity: runs whose scenarios share these
    objects (the per-run parameter draws of a batch copy a scenario with new parameter and
    context tables only) have equal worlds, which are built once (``world_for``)."""
    return (id(scenario.agencies), id(scenario.outcomes), id(scenario.interventions))


def world_for(
    scenario: Scenario, worlds: dict[tuple[int, int, int], tuple[Scenario, World]]
) -> World:
    """The scenario's world, built once per ``world_key`` in ``worlds`` (which keeps the scenario
    it was built from, so the objects of the key stay alive and their ids unique)."""
    key = world_key(scenario)
    if key not in worlds:
        worlds[key] = (scenario, build_world(scenario))
    return worlds[key][1]


def initial_roster(world: World, scenario: Scenario, rng: np.random.Generator) -> StaffRoster:
    """Staff by agency, with existing cross-agency ties between agencies that share outcomes."""
    from jusim.mechanisms.ties import form_by_contact

    roster = StaffRoster.from_counts(world.staff)
    inv = world.involved.astype(np.float64)
    shared = (inv.T @ inv > 0).astype(np.float64)
    np.fill_diagonal(shared, 0.0)
    counts = np.maximum(world.staff, 1)
    # form_by_contact draws formation * contact * min(n_a, n_b) ties per pair
    contact = scenario.initial_ties * shared / np.minimum.outer(counts, counts)
    params = scenario.parameters.ties.model_copy(update={"formation": 1.0})
    form_by_contact(roster, contact, params, rng)
    roster.tie_w = rng.uniform(0.1, 0.6, size=roster.n_ties)
    roster.tenure = rng.integers(0, 120, size=roster.n_staff)
    return roster
