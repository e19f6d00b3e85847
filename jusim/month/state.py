"""The state a run carries from month to month, the rules of one month, and the month's flows.

- ``State``: everything a run holds between months (agency, pair, outcome and client arrays, the
  staff roster, the partnerships, the scrutiny record, the rules in force); the phases of
  ``jusim/month/`` read and write it, and nothing else does. ``JoinedUpModel`` owns one and shows
  its fields as its own attributes (``model.trust`` is ``model.state.trust``).
- ``Rules``: this month's rules of the game, set afresh by the interventions every month.
- ``Flows``: money and work of the month being stepped (budgets after charges, overhead, committed
  money and the fit that scales it, the split of free resources, production), made by one phase
  and read by later ones; a new one each month.
- ``RunView``: what an intervention may read and write (world, parameters, rules, partnerships,
  roster, month, streams, budget, need). Interventions are typed against it, so they do not import
  the model class; ``State`` is one.

This module imports only numpy at run time (the rest for type hints); ``jusim/month/initial.py``
builds the state at month 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from jusim.mechanisms import platforms, scrutiny
    from jusim.partnership import Partnerships
    from jusim.scenario import Parameters, Scenario
    from jusim.staff import StaffRoster
    from jusim.world import World


@dataclass
class Rules:
    """This month's rules of the game, set afresh by the interventions every month."""

    shared_target: np.ndarray  # (O, A) weight of the outcome in the agency's accountability
    sponsor: np.ndarray  # (O, A) sponsor priority felt by each agency
    pool_share: np.ndarray  # (O, A) share of discretionary budget pooled for the outcome
    membership: np.ndarray  # (O, A) bool: sits on the outcome's partnership
    focused: np.ndarray  # (O, A) £k/month of seconded staff salaries spent on the outcome
    focused_input: np.ndarray  # (O, A) what that seconded time is worth as input (focus x)
    funded: np.ndarray  # (O, A) bool: the outcome's pot pays for this agency's work
    practice: np.ndarray  # (O, A) exposure to a unit's ways of working (it practises them)
    succession: np.ndarray  # (O, A) monthly adoption added by a succession plan
    alignment: np.ndarray  # (A,) pull of divisions' openness toward the agency's (commitment)
    reorganisation: np.ndarray  # (A,) £k/month spent reorganising (merger), paid like overhead
    extra_churn: np.ndarray  # (A,) extra monthly leaving hazard (merger disruption)
    service_share: np.ndarray | None = None  # (S,) share of joint input per type of provision
    # clients (mechanisms/clients.py), set to zeros by the model each month:
    outreach: np.ndarray | None = None  # (O, G) outreach adapting services to each client group
    publicity: np.ndarray | None = None  # (O, G) visibility of the service to each group
    client_list: np.ndarray | None = None  # (O,) 0-1: agencies share a client list
    single_point: np.ndarray | None = None  # (O,) 0-1: one point of access for clients
    # (A,) senior/administrative time demanded this month by partnership seats, meetings,
    # consultations and reports, in months of partnership administration at admin capacity 1
    admin_demand: np.ndarray | None = None
    # platforms (mechanisms/platforms.py), set by the model each month:
    platform: np.ndarray | None = None  # (A,) whose platform each agency's transactions use
    recharge: np.ndarray | None = None  # (A,) share of saved fixed cost a user pays its host
    migration: np.ndarray | None = None  # (A,) £k/month of migration cost charged this month
    training: np.ndarray | None = None  # (A, A) extra contact from joint training
    handover: np.ndarray | None = None  # (A,) handover quality (world value unless raised)
    good_practice: np.ndarray | None = None  # (O, A) share of the gap to the best partner learnt
    buy_in: np.ndarray | None = None  # (O, A) members' ownership of their partnership (0–1)
    leak: np.ndarray | None = None  # (A,) share of partners' trust lost by a scheduled leak
    narrow_lift: np.ndarray | None = None  # (A,) rise in measured own attainment per case shifted
    capacity_boost: np.ndarray | None = None  # (A,) admin-months a month added (capacity building)
    report_factor: np.ndarray | None = None  # (A,) reporting demand relative to normal (1)
    budget_charge: np.ndarray | None = None  # (A,) £k charged to (< 0: granted to) each budget
    learning_boost: np.ndarray | None = None  # (O, A) extra speed of learning (feedback)
    # scrutiny (mechanisms/scrutiny.py), set by consensus_to_operate:
    dispensation: np.ndarray | None = None  # (O, A) share of the penalty for failure waived
    detection: np.ndarray | None = None  # (O,) months failing before wind-up (inf: never)

    @classmethod
    def empty(cls, n_outcomes: int, n_agencies: int) -> Rules:
        z = np.zeros((n_outcomes, n_agencies))
        rules = cls(
            *(z.copy(), z.copy(), z.copy(), z.astype(bool), z.copy(), z.copy()),
            funded=z.astype(bool),
            practice=z.copy(),
            succession=z.copy(),
            alignment=np.zeros(n_agencies),
            reorganisation=np.zeros(n_agencies),
            extra_churn=np.zeros(n_agencies),
        )
        rules.admin_demand = np.zeros(n_agencies)
        rules.leak = np.zeros(n_agencies)
        rules.narrow_lift = np.zeros(n_agencies)
        rules.capacity_boost = np.zeros(n_agencies)
        rules.report_factor = np.ones(n_agencies)
        rules.budget_charge = np.zeros(n_agencies)
        rules.learning_boost = z.copy()
        rules.dispensation = z.copy()
        rules.detection = np.full(n_outcomes, np.inf)
        return rules

    def copy(self) -> Rules:
        """An independent copy: every array copied, so later changes to either leave the other."""
        new = object.__new__(Rules)
        fields = self.__dict__.copy()
        for name, value in fields.items():
            if type(value) is np.ndarray:
                fields[name] = value.copy()
        new.__dict__ = fields
        return new


class RunView(Protocol):
    """What an intervention's ``setup`` and ``apply`` see of a run (``State`` is one)."""

    scenario: Scenario
    seed: Any
    params: Parameters
    world: World
    streams: dict[str, np.random.Generator]
    roster: StaffRoster
    partnerships: Partnerships
    rules: Rules
    month: int
    budget: np.ndarray
    need: np.ndarray


class Recording(Protocol):
    """Where the record phase writes each month (``jusim.metrics.Recorder``)."""

    def record(self, model: Any, **values: Any) -> None: ...


@dataclass(eq=False)
class State:
    """Everything one run carries from month to month (shapes: A agencies, O outcomes, G client
    groups, S types of provision, N staff). Built by ``initial.initial_state``; changed only by the phases."""

    scenario: Scenario
    seed: Any
    streams: dict[str, np.random.Generator]
    world: World
    roster: StaffRoster
    params: Parameters
    rules: Rules
    month: int
    budget: np.ndarray  # (A,) £k/month after this month's changes, charges and platforms
    trust: np.ndarray  # (A, A)
    understanding: np.ndarray  # (A, A)
    experience: np.ndarray  # (O, A)
    need: np.ndarray  # (O,) cases
    client_need: np.ndarray  # (O, G) need by client group
    awareness: np.ndarray  # (O, G)
    client_resolved: np.ndarray  # (O, G) resolved last month
    operating_cost: np.ndarray  # (A,) £k/month on platforms
    platform_params: platforms.PlatformParams  # this run's realised platform parameters
    pipeline: np.ndarray  # (S, 2) lagged capacity per type of provision
    own_att: np.ndarray  # (A,) own-target attainment last month
    own_z: np.ndarray  # (A,) log productivity of own business (own_targets.py)
    defence: np.ndarray  # (A,) defensiveness after leaks (defensive.py)
    spill_cases: np.ndarray  # spillover channels (spillover.py)
    spill_cost: np.ndarray
    shifting: np.ndarray  # (A,) share of hard cases pushed out (spillover.py)
    shifted_cost: np.ndarray  # (A,) £k charged to each payer by others' shifting
    participation: np.ndarray  # (A,) share of partnership demand met (capacity.py)
    shares: np.ndarray | None  # (A, O+2) split of free resources (None before month 0)
    inputs: np.ndarray  # (O, A) work in each outcome role last month, £k
    mainstreamed: np.ndarray  # (O, A) adopted share of a unit's ways of working
    practised_gain: np.ndarray  # (O,) integration gain when a unit last practised there
    division: np.ndarray  # (N,) division of each member of staff
    division_agency: np.ndarray  # agency of each division
    division_base: np.ndarray  # base openness of each division
    contact: np.ndarray  # (A, A) contact intensity this month
    relationship: np.ndarray  # (A, A) staff relationship strength
    partnerships: Partnerships
    credit: np.ndarray  # (O, A) last month's credit for each outcome (partnering)
    scrutiny: scrutiny.Record  # own partnerships judged, failed, money spent
    hazard: np.ndarray  # (A,) monthly leaving hazard
    interventions: list = field(default_factory=list)
    intervention_state: list[dict[str, Any]] = field(default_factory=list)
    blank_rules: Any = None  # the rules before any intervention acts (rules.Blank, copied monthly)
    recorder: Recording | None = None  # a jusim.metrics.Recorder, set by the model


@dataclass
class Flows:
    """Money and work of the month being stepped; each phase fills the fields it owns."""

    # budget
    extra_inflow: np.ndarray | None = None  # (O,) cases pushed onto outcomes by shifting
    # rules / resources
    demand: np.ndarray | None = None  # (P, A) admin-months each partnership asks of each agency
    formal: np.ndarray | None = None  # (A, A) pairs bound by a written agreement (None: none)
    disc: np.ndarray | None = None  # (A,) discretionary budget, £k
    seat_cost: np.ndarray | None = None  # (P, A) £k of senior time on partnership seats
    lost_by: np.ndarray | None = None  # (P, A) £k of core service drawn into partnership work
    overhead: np.ndarray | None = None  # (O, A) £k of partnership overhead by outcome
    overhead_paid: np.ndarray | None = None  # (A,) £k of overhead actually paid
    pooled: np.ndarray | None = None  # (O, A) £k pooled, after the fit to what is left
    focused: np.ndarray | None = None  # (O, A) £k of seconded salaries, after the fit
    focused_input: np.ndarray | None = None  # (O, A) their worth as input, after the fit
    free: np.ndarray | None = None  # (A,) £k of discretionary money left to decide on
    core: np.ndarray | None = None  # (A,) £k of core business
    # churn
    leavers: int = 0
    # decision
    openness: np.ndarray | None = None  # (A,) openness after defensiveness
    own_in: np.ndarray | None = None  # (A,) £k on own targets
    joint: np.ndarray | None = None  # (O, A) £k of free money on each outcome
    rel: np.ndarray | None = None  # (A,) £k on relationship work
    # production
    kappa: np.ndarray | None = None  # (O,) coordination efficiency
    need_before: np.ndarray | None = None  # (O,) need at the start of the month
    resolved: np.ndarray | None = None  # (O,) cases resolved this month
    # relationships
    effort: np.ndarray | None = None  # (O, A) share of discretionary budget on joint work
