"""Frozen reference engine: ``JoinedUpModel`` as it was before the month became a pipeline of
phases (main at commit 0e0a2f4, ``jusim/model.py``), kept to dock the new engine against.

This is today's numpy formulation with its 306-line ``step`` written inline. It is not used by
jusim. ``tests/test_engine_docking.py`` runs it and the engine side by side on shipped scenarios
and several seeds and requires identical result tables; ``benchmarks/engine.py`` times the two
alternately. It imports jusim's mechanism modules; where the engine changed a function that this reference
calls (fast paths, precomputed indices), the version of commit 0e0a2f4 is copied below and used
instead, so that timing the two (``engine_vs_reference.py``) compares today's engine with the old
one, not with itself.

Do not edit it to follow model changes: a deliberate change of behaviour is docked by updating
this file in the same commit, with the reason in the commit message.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import mesa
import numpy as np

import jusim.mechanisms
from jusim.mechanisms import (
    accountability,
    churn,
    clients,
    contact,
    divisions,
    formality,
    mobility,
    overhead,
    own_targets,
    production,
    scrutiny,
    services,
    ties,
    trust,
    understanding,
)
from jusim.metrics import Recorder, RunResult
from jusim.model import child_streams
from jusim.network import MEASURES as NETWORK_MEASURES
from jusim.network import measures, possible_pairs
from jusim.partnership import Partnerships
from jusim.scenario import Scenario
from jusim.world import build_world, initial_roster


# ---- functions the engine has changed since, as they were (commit 0e0a2f4) ---------------------
def _platforms_operating_costs(
    standalone: np.ndarray,
    platform: np.ndarray,
    recharge: np.ndarray,
    params: platforms.PlatformParams,
    activity: np.ndarray | float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """What each agency (A,) pays this month for platforms, £k, and what it would pay on its own
    platform; ``platform[a]`` is the agency whose platform ``a`` uses (itself by default),
    ``recharge[a]`` the share of its saved fixed cost a user pays its host, ``activity[a]`` its
    volume of transactions relative to normal (its own business output last month)."""
    fixed = params.fixed_share * standalone
    volume = (standalone - fixed) * activity
    standalone = fixed + volume
    moved = platform != np.arange(standalone.size)
    paid = standalone.copy()
    user_pays = np.where(moved, (1 + params.integration) * volume + recharge * fixed, 0.0)
    paid[moved] = user_pays[moved]
    hosts = np.unique(platform[moved])
    for h in hosts:  # a loop over platforms (a handful), not over staff
        users = moved & (platform == h)
        cost = fixed[h] + volume[h] + (1 + params.integration) * volume[users].sum()
        if users.any():
            cost += params.integration * volume[h]
        paid[h] = cost - user_pays[users].sum()
    return paid, standalone


def _capacity_consultations(
    membership: np.ndarray,
    report_factor: np.ndarray,
    params: workload.CapacityParams,
    rng: np.random.Generator,
) -> np.ndarray:
    """(A,) admin-months a month of consultations and requests that arrive at random, in
    proportion to the seats each agency holds (one Poisson draw per agency a month)."""
    asked = rng.poisson(params.consultations * membership.sum(axis=0) * report_factor)
    return params.consultation * asked


def _mainstreaming_adopt(
    mainstreamed: np.ndarray,
    practice: np.ndarray,
    succession: np.ndarray,
    contact: np.ndarray,
    postings: np.ndarray,
    hazard: np.ndarray,
    params: mainstreaming.MainstreamingParams,
) -> np.ndarray:
    """Next month's adopted share (O, A), in [0, 1].

    practice: (O, A) exposure weight, > 0 for agencies practising the unit's ways this month.
    succession: (O, A) extra monthly adoption from a succession plan.
    contact: (A, A) contact this month. postings: (A, A) staff of row agency posted to column.
    hazard: (A,) monthly leaving hazard.
    """
    practising = (practice > 0).astype(np.float64)
    c = practising @ contact  # [o, a]: contact of a with practising agencies (zero diagonal)
    n = practising @ postings.T  # [o, a]: a's staff posted to practising agencies
    exposure = params.adoption * c / (c + params.contact_ref) + params.secondment * n / (
        n + params.secondee_ref
    )
    plan = np.where(practising.any(axis=1, keepdims=True), succession, 0.0)
    rate = np.clip(practice * exposure + plan, 0.0, 1.0)
    nxt = mainstreamed + rate * (1.0 - mainstreamed)
    nxt -= params.forgetting * hazard[None, :] * nxt
    return np.clip(nxt, 0.0, 1.0)


def _practice_spread(
    experience: np.ndarray, uptake: np.ndarray, involved: np.ndarray
) -> np.ndarray:
    """Experience (O, A) after a month of learning from the best experience of any initiative."""
    if not involved.any():
        return experience
    best = experience[involved].max()
    return experience + uptake * np.maximum(best - experience, 0.0)


def _defensive_update(
    defence: np.ndarray, leaks: np.ndarray, involved: np.ndarray, params: defensive.DefensiveParams
) -> np.ndarray:
    """Next month's defensiveness (A,): recovery, then a jump for everyone injured by a leak.

    leaks: (A,) share of trust each agency lost by leaking this month (> 0 = it leaked).
    involved: (O, A) bool, agency has a role in the outcome.
    """
    inv = involved.astype(np.float64)
    shares = (inv.T @ inv) > 0
    np.fill_diagonal(shares, False)
    injured = (shares & (leaks > 0)[None, :]).any(axis=1)
    nxt = defence * (1.0 - params.recovery)
    return np.where(injured, nxt + params.jump * (1.0 - nxt), nxt)


def _spillover_target_shifting(
    own_credit: np.ndarray,
    lift: np.ndarray,
    pressure: np.ndarray,
    shared_target: np.ndarray,
    pool_share: np.ndarray,
    cases: np.ndarray,
    params: spillover.SpilloverParams,
) -> np.ndarray:
    """(A,) share of hard cases each agency would push out this month."""
    total = cases.sum(axis=0)
    share = np.where(total > 0, cases / np.where(total > 0, total, 1.0), 0.0)
    stake = (
        share * (pressure[None, :] * shared_target + params.pool_weight * (pool_share > 0))
    ).sum(axis=0)
    x = (lift * (own_credit - stake) - params.reluctance) / params.spread
    s = 1.0 / (1.0 + np.exp(-np.clip(x, -50.0, 50.0)))
    return np.where((lift > 0) & (total > 0), s, 0.0)


def _pair_mean(matrix: np.ndarray, mask: np.ndarray) -> float:
    return float(matrix[mask].mean()) if mask.any() else float("nan")


class FrozenPartnerships(Partnerships):
    def begin_month(self) -> None:
        """Before the interventions act: nobody has convened anything yet this month, and the
        leads of intervention partnerships are appointed afresh (by ``accountable_lead``)."""
        self.mandated[:] = False
        self._latest = {}
        rows = self.by_intervention
        self.members[rows] = self.charter[rows]  # who joins this month is decided afresh
        self.formal[rows] = False  # set afresh by ``formal_agreement``
        self.engaging[rows] = False  # and by ``early_engagement``
        self.lead[self.by_intervention] = -1
        self.clout[self.by_intervention] = 0.0
        self.delivery[rows] = 1.0  # set afresh by ``strategic_forum``
        self.selection = None  # and by ``selective_collaboration``

    def end_interventions(self) -> None:
        """After the interventions act: their partnerships that nobody convened are wound up."""
        self.wind_up(self.live & self.by_intervention & ~self.mandated)

    def membership(self, n_outcomes: int) -> np.ndarray:
        """(O, A) bool: the agency sits on a live partnership on the outcome."""
        out = np.zeros((n_outcomes, self.n_agencies), bool)
        live = self.live
        np.logical_or.at(out, self.outcome[live], self.members[live])
        return out

    def by_outcome(self, values: np.ndarray, n_outcomes: int) -> np.ndarray:
        """(O, A) sum over live partnerships of a (P, A) quantity, by outcome."""
        out = np.zeros((n_outcomes, self.n_agencies))
        np.add.at(out, self.outcome[self.live], values[self.live])
        return out

    def age_one_month(self, drift: float) -> None:
        self.age = self.age + self.live
        self.relevance = np.where(self.live, self.relevance * (1.0 - drift), self.relevance)


class FrozenRecorder(Recorder):
    def _relations(self, model: ReferenceModel, m: int) -> None:
        if self._pairs is None:
            inv = model.world.involved.astype(float)
            self._pairs = (inv.T @ inv) > 0
            np.fill_diagonal(self._pairs, False)
        mask = self._pairs
        self.s["mean_trust"][m] = _pair_mean(model.trust, mask)
        self.s["mean_understanding"][m] = _pair_mean(model.understanding, mask)
        self.s["mean_contact"][m] = _pair_mean(model.contact, mask)
        self.s["shifting"][m] = model.shifting
        self.s["shifted_cost"][m] = model.shifted_cost
        self.s["participation"][m] = model.participation
        self.s["tie_density"][m] = model.roster.tie_density()
        if self._possible is None:
            self._possible = possible_pairs(model.roster)
        for k, v in zip(NETWORK_MEASURES, measures(model.roster, self._possible), strict=True):
            self.s[k][m] = v
        self.s["need"][m] = model.need
        self.s["client_need"][m] = model.client_need
        self.s["awareness"][m] = model.awareness
        self.s["operating_cost"][m] = model.operating_cost
        if m > 0:
            self.s["client_resolved"][m] = model.client_resolved
        self.s["own_attainment"][m] = model.own_att
        self.s["budget"][m] = model.budget
        self.s["defence"][m] = model.defence

    def record(self, model: ReferenceModel, **values: Any) -> None:
        m = model.month
        self._relations(model, m)
        for key in (
            "resolved",
            "spend",
            "kappa",
            "joint_share",
            "overhead",
            "leavers",
            "allocated",
            "spent",
        ):
            self.s[key][m] = values[key]
        self.s["unspent"][m] = values["allocated"] - values["spent"]
        pt = model.partnerships
        self.s["partnerships"][m] = pt.n_live()
        if pt.live.any():
            self.s["partnership_value"][m] = float(pt.value[pt.live].mean())
        self.s["partnerships_started"][m] = pt.count - int(pt.by_intervention.sum())
        self.s["failure_loss"][m] = model.scrutiny.lost()


def _decision_target_shares(
    own_credit: np.ndarray,
    joint_credit: np.ndarray,
    roles: np.ndarray,
    trust: np.ndarray,
    experience: np.ndarray,
    risk_aversion: np.ndarray,
    openness: np.ndarray,
    params: decision.DecisionParams,
) -> np.ndarray:
    """(A, O + 2) target shares: column 0 own targets, 1..O outcomes, last relationship work."""
    involved = roles > 0
    rel_role = roles / np.maximum(roles.max(axis=1, keepdims=True), 1e-12)
    risk = risk_aversion[None, :] * params.scrutiny * (1.0 - experience)
    joint = rel_role * joint_credit * decision.reliance(trust, roles) * (1.0 - risk)
    best = np.where(involved, joint, 0.0).max(axis=0)
    relationships = openness * params.relationship_value * best
    values = np.column_stack([own_credit, joint.T, relationships])
    allowed = np.column_stack([np.ones_like(own_credit, bool), involved.T, involved.any(axis=0)])
    z = np.where(allowed, values / params.temperature, -np.inf)
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _mainstreaming_practised_gain(
    last: np.ndarray, practice: np.ndarray, gain: np.ndarray
) -> np.ndarray:
    """(O,) integration gain of each outcome's partnerships in the last month a unit practised
    its ways of working there (``last`` where none practises this month)."""
    return np.where((practice > 0).any(axis=1), gain, last)


def _mainstreaming_methods_kept(
    last_gain: np.ndarray,
    mainstreamed: np.ndarray,
    roles: np.ndarray,
    params: mainstreaming.MainstreamingParams,
) -> np.ndarray:
    """(O,) integration gain the contributors' adopted methods keep: ``methods * m_bar * G``,
    with ``m_bar`` the role-weighted mean adopted share (roles: (O, A) weights)."""
    total = roles.sum(axis=1)
    m_bar = (roles * mainstreamed).sum(axis=1) / np.where(total > 0, total, 1.0)
    return params.methods * m_bar * last_gain


def _funding_pot_spending(
    pot: np.ndarray, funded: np.ndarray, roles: np.ndarray, params: funding.FundingParams
) -> np.ndarray:
    """(O, A) input each agency's role receives from each outcome's pot (£k/month).

    pot: (O,) money in each outcome's pot this month. funded: (O, A) bool, agencies the pot pays.
    roles: (O, A) role weights (0 where the agency has no role).
    """
    everyone = roles / np.maximum(roles.sum(axis=1, keepdims=True), 1e-12)
    paid = np.where(funded, roles, 0.0)
    total = paid.sum(axis=1, keepdims=True)
    tied = np.where(total > 0, paid / np.where(total > 0, total, 1.0), everyone)
    share = params.untied_share * everyone + (1.0 - params.untied_share) * tied
    return pot[:, None] * share


def _frozen(module: Any, **functions: Any) -> SimpleNamespace:
    """``module``'s contents with ``functions`` in place of the engine's current versions."""
    view = SimpleNamespace(**vars(module))
    vars(view).update(functions)
    return view


platforms = _frozen(jusim.mechanisms.platforms, operating_costs=_platforms_operating_costs)
workload = _frozen(jusim.mechanisms.capacity, consultations=_capacity_consultations)
mainstreaming = _frozen(
    jusim.mechanisms.mainstreaming,
    adopt=_mainstreaming_adopt,
    practised_gain=_mainstreaming_practised_gain,
    methods_kept=_mainstreaming_methods_kept,
)
practice = _frozen(jusim.mechanisms.practice, spread=_practice_spread)
defensive = _frozen(jusim.mechanisms.defensive, update=_defensive_update)
spillover = _frozen(jusim.mechanisms.spillover, target_shifting=_spillover_target_shifting)
decision = _frozen(jusim.mechanisms.decision, target_shares=_decision_target_shares)
funding = _frozen(jusim.mechanisms.funding, pot_spending=_funding_pot_spending)


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


class ReferenceModel(mesa.Model):
    """Agencies, staff and outcomes of one scenario, stepped month by month."""

    def __init__(self, scenario: Scenario, seed: int | np.random.SeedSequence = 0) -> None:
        self.streams = child_streams(seed)
        super().__init__(rng=self.streams["model"])
        self.scenario = scenario
        self.seed = seed
        self.params = scenario.parameters
        self.world = w = build_world(scenario)
        self.roster = initial_roster(w, scenario, self.streams["world"])
        a, o = w.n_agencies, w.n_outcomes
        self.month = 0
        self.rules = Rules.empty(o, a)
        self.budget = w.budget0.copy()
        self.trust = np.full((a, a), self.params.trust.initial)
        np.fill_diagonal(self.trust, 1.0)
        self.understanding = np.full((a, a), self.params.understanding.initial)
        np.fill_diagonal(self.understanding, 1.0)
        self.experience = np.full((o, a), self.params.decision.initial_experience)
        self.need = w.need0.copy()
        self.client_need = w.need0[:, None] * w.group_share  # (O, G) need by client group
        self.awareness = w.group_awareness.copy()  # (O, G)
        self.client_resolved = np.zeros_like(self.client_need)  # (O, G) last month
        self.operating_cost = w.platform_cost.copy()  # (A,) £k/month on platforms
        self.platform_params = platforms.realised(self.params.platforms, self.streams["platforms"])
        # steady effort before month 0 is unknown: start the pipeline empty
        self.pipeline = np.zeros((len(w.service_outcome), 2))  # per type of provision
        self.own_att = np.ones(a)
        self.own_z = np.zeros(a)  # log productivity of own business (own_targets.py)
        self.defence = np.zeros(a)  # defensiveness after leaks (defensive.py)
        self.spill_cases, self.spill_cost = spillover.channels(scenario, w)
        self.shifting = np.zeros(a)  # share of hard cases pushed out (spillover.py)
        self.shifted_cost = np.zeros(a)  # £k charged to each payer by others' shifting
        self.participation = np.ones(a)  # share of partnership demand met (capacity.py)
        self.shares: np.ndarray | None = None
        self.inputs = np.zeros((o, a))  # work in each outcome role last month, £k
        self.mainstreamed = np.zeros((o, a))  # adopted share of a unit's ways of working
        self.practised_gain = np.zeros(o)  # integration gain when a unit last practised there
        self.division, self.division_agency = divisions.assign(w.staff, w.divisions)
        self.division_base = divisions.base_openness(w.openness, w.divisions, w.division_spread)
        self.contact = np.zeros((a, a))
        self.relationship = ties.relationship_strength(self.roster, self.params.ties)
        self.partnerships = FrozenPartnerships(a)
        self.credit = np.zeros((o, a))  # last month's credit for each outcome (partnering)
        self.scrutiny = scrutiny.Record()  # own partnerships judged, failed, money spent
        self.interventions = list(scenario.interventions)
        self.intervention_state = [iv.setup(self) for iv in self.interventions]
        self.hazard = np.minimum(1.0, w.churn * scenario.context.churn_scale)  # monthly, per agency
        self.recorder = FrozenRecorder(scenario.horizon, o, a, w.group_share.shape[1])
        self.recorder.record_initial(self)

    # -- one month ----------------------------------------------------------------------------
    def step(self) -> None:
        w, p, m = self.world, self.params, self.month
        self.budget = w.budget0 * (1.0 + self.scenario.context.budget_change) ** (m / 12.0)
        extra_inflow, self.shifted_cost = spillover.flows(
            self.shifting, self.spill_cases, self.spill_cost
        )
        # others' cases, our bill: paid from the margin in (3) (session 26, money that flows)

        # (1) rules
        self.rules = Rules.empty(w.n_outcomes, w.n_agencies)
        self.rules.service_share = w.service_share.copy()
        self.rules.outreach = np.zeros_like(w.group_share)
        self.rules.publicity = np.zeros_like(w.group_share)
        self.rules.client_list = np.zeros(w.n_outcomes)
        self.rules.single_point = np.zeros(w.n_outcomes)
        pt = self.partnerships
        pt.begin_month()
        self.rules.platform = np.arange(w.n_agencies)
        self.rules.recharge = np.zeros(w.n_agencies)
        self.rules.migration = np.zeros(w.n_agencies)
        self.rules.training = np.zeros((w.n_agencies, w.n_agencies))
        self.rules.handover = w.handover.copy()
        self.rules.good_practice = np.zeros((w.n_outcomes, w.n_agencies))
        for iv, state in zip(self.interventions, self.intervention_state, strict=True):
            iv.apply(self, state)
        pt.end_interventions()
        pt.form_and_leave(
            self.month,
            self.credit,
            w.discretionary_share * self.budget,
            p.overhead.senior + p.overhead.admin / w.admin_capacity,  # price a seat is judged at
            self.understanding,
            w,
            p.partnership,
            self.streams["partnering"],
            scrutiny.expected_cost(self.scrutiny, self.rules.dispensation, p.scrutiny),
        )
        r = self.rules
        r.membership = pt.membership(w.n_outcomes)
        r.buy_in = pt.buy_in_by_outcome(w.n_outcomes)
        demand = pt.month_demand(self.understanding, p.partnership, p.formality)  # admin-months
        formal = pt.formal_pairs() if pt.formal.any() else None
        # platforms: what agencies no longer pay for a shared platform, less migration costs
        paid, own = platforms.operating_costs(
            w.platform_cost, r.platform, r.recharge, self.platform_params, self.own_att
        )
        self.operating_cost = paid + r.migration
        saving = own - self.operating_cost
        demand = demand * workload.reporting_scale(r.report_factor, p.capacity)[None, :]
        r.admin_demand += demand.sum(axis=0) + workload.consultations(
            r.membership, r.report_factor, p.capacity, self.streams["admin"]
        )

        # (2) churn
        leavers = churn.apply_churn(
            self.roster,
            np.minimum(1.0, self.hazard + r.extra_churn),
            r.handover,
            p.churn,
            self.streams["churn"],
            self.streams["handover"],
        )
        if p.mobility.share > 0:  # movers keep friendly contacts in their old agency
            mobility.move_staff(
                self.roster,
                np.flatnonzero(self.roster.tenure == 0),
                p.mobility,
                self.streams["mobility"],
            )

        # (3) resources: overhead first, then commitments the agency no longer controls
        # savings and bills land in the margin (session 26: mechanisms/funding.py margin)
        shock = saving - self.shifted_cost - r.budget_charge
        self.budget, disc = funding.margin(self.budget, w.discretionary_share, shock, p.funding)
        drawn, self.participation = workload.service(
            r.admin_demand,
            workload.capacity(w.admin_capacity, w.staff, r.capacity_boost, p.capacity),
            p.capacity,
        )
        seat_cost = overhead.overhead(demand, p.overhead)  # (P, A) £k of senior time
        ovh = pt.by_outcome(seat_cost, w.n_outcomes)
        ovh_total = ovh.sum(axis=0) + r.reorganisation
        pooled = r.pool_share * disc[None, :]
        focused = r.focused.copy()
        room = np.maximum(disc - ovh_total, 0.0)
        committed = (pooled + focused).sum(axis=0)
        fit = np.where(committed > room, room / np.maximum(committed, 1e-12), 1.0)
        pooled *= fit
        focused *= fit
        focused_input = r.focused_input * fit
        free = np.maximum(room - (pooled + focused).sum(axis=0), 0.0)  # no rounding below zero
        core = (
            self.budget - disc - np.minimum(np.maximum(ovh_total - disc, 0.0), self.budget - disc)
        )
        lost = np.minimum(overhead.core_loss(drawn, p.overhead), core)  # staff off the front line
        core = core - lost
        total = demand.sum(axis=0)
        lost_by = demand * np.where(total > 0, lost / np.where(total > 0, total, 1.0), 0.0)
        pt.cost = (seat_cost + lost_by).sum(axis=1)
        ovh = ovh + pt.by_outcome(lost_by, w.n_outcomes)
        ovh_paid = np.minimum(ovh_total, self.budget) + lost

        # (4) decision
        own_credit, joint_credit = accountability.credit(
            w.accountability,
            self.own_att,
            w.involved,
            mainstreaming.carried_target(r.shared_target, self.mainstreamed, p.mainstreaming),
            r.sponsor,
            p.accountability,
        )
        target_shift = spillover.target_shifting(
            own_credit,
            r.narrow_lift,
            w.accountability,
            r.shared_target,
            r.pool_share,
            self.spill_cases,
            p.spillover,
        )
        self.shifting = decision.adapt(self.shifting, target_shift, p.decision)
        openness = defensive.openness(w.openness, self.defence)
        # ownership: members engaged in their partnership value its outcome more (buy-in)
        joint_credit = joint_credit + p.partnership.ownership * r.buy_in * w.involved
        self.credit = joint_credit
        target = decision.target_shares(
            own_credit,
            joint_credit * defensive.effort_factor(self.defence, p.defensive)[None, :],
            w.roles,
            self.trust,
            mainstreaming.familiarity(self.experience, self.mainstreamed, p.mainstreaming),
            w.risk_aversion,
            openness,
            p.decision,
        )
        self.shares = (
            target if self.shares is None else decision.adapt(self.shares, target, p.decision)
        )
        own_in = core + self.shares[:, 0] * free
        joint = (self.shares[:, 1:-1] * free[:, None]).T
        rel = self.shares[:, -1] * free

        # (5) production
        pot = funding.pot_spending(pooled.sum(axis=1), r.funded, w.roles, p.funding)
        inputs = joint + focused_input + pot
        self.inputs = inputs  # (O, A) work in each role this month, £k (for analysis)
        effective = production.joint_input(inputs, w.roles, p.production.complementarity)
        kappa = production.coordination(
            self.trust, self.understanding, w.roles, p.production.coordination_floor
        )
        integration = pt.deliver(w.roles, w.admin_capacity, p.partnership)
        scrutiny.judge(  # what each own partnership delivered against what its seats cost
            self.scrutiny,
            pt,
            self.credit,
            (seat_cost + lost_by) / np.maximum(disc, 1e-9)[None, :],
            r.detection,
            p.partnership.cost_weight,
        )
        # adopted methods keep part of a wound-up unit's integration (mechanisms/mainstreaming.py)
        self.practised_gain = mainstreaming.practised_gain(
            self.practised_gain, r.practice, integration
        )
        integration = np.maximum(
            integration,
            mainstreaming.methods_kept(
                self.practised_gain, self.mainstreamed, w.roles, p.mainstreaming
            ),
        )
        capacity = services.capacity(
            kappa,
            effective * (1.0 + integration),
            w.service_outcome,
            r.service_share,
            w.service_cost,
            w.service_joined_up,
            inputs.sum(axis=1),
        )
        self.pipeline, arriving = services.advance(
            self.pipeline, capacity, w.service_lag, w.service_outcome, w.n_outcomes
        )
        before = self.need
        uptake = clients.take_up(
            self.awareness,
            w.group_fit,
            r.outreach,
            np.maximum(r.client_list, r.single_point),
            w.bounce,
        )
        group_need = self.client_need
        self.client_need, self.client_resolved = clients.update_need(
            group_need,
            uptake,
            w.group_share,
            w.inflow + extra_inflow,
            w.exit_rate,
            arriving,
            w.half_saturation,
        )
        self.awareness = clients.update_awareness(
            self.awareness,
            w.group_awareness,
            r.publicity,
            self.client_resolved,
            group_need,
            p.clients,
        )
        self.need, resolved = self.client_need.sum(axis=1), self.client_resolved.sum(axis=1)
        self.own_z = own_targets.productivity_step(self.own_z, p.own_targets, self.streams["own"])
        self.own_att = spillover.measured(
            own_targets.attainment(own_in, w.own_target, self.own_z, p.own_targets),
            r.narrow_lift,
            self.shifting,
        )

        # (6) relationships
        safe = np.where(disc > 0, disc, 1.0)
        effort = np.where(disc > 0, (joint + pooled + focused) / safe, 0.0)
        staff_share = np.where(disc > 0, (joint + focused) / safe, 0.0)
        roster = self.roster
        posted = roster.post != roster.home
        postings = np.bincount(
            roster.home[posted] * w.n_agencies + roster.post[posted],
            minlength=w.n_agencies**2,
        ).reshape(w.n_agencies, w.n_agencies)
        self.contact = contact.contact_intensity(
            staff_share,
            np.where(disc > 0, rel / safe, 0.0),
            w.involved,
            pt.members[pt.live] * self.participation[None, :],
            postings,
            p.contact,
        )
        self.contact = self.contact + r.training  # joint training (interventions/joint_training)
        self.contact = defensive.sharing(self.contact, self.defence, p.defensive)
        if formal is not None:  # a written agreement obliges members to meet and consult
            self.contact = self.contact + formality.obliged_contact(formal, p.formality)
        rng = self.streams["ties"]
        with roster.batch():  # referral acts on last month's ties; new ones merge at the end
            ties.form_by_contact(roster, self.contact, p.ties, rng)
            ties.form_by_posting(roster, p.ties, rng)
            own_open = divisions.staff_openness(
                openness,
                w.openness,
                self.division_base,
                self.division_agency,
                r.alignment,
                self.division,
                roster.home,
            )
            ties.form_by_referral(roster, openness, p.ties, rng, own_open)
        keep = divisions.keeping_in_touch(own_open, openness[roster.home])
        ties.maintain(roster, self.contact, p.ties, rng, keep)
        self.relationship = ties.relationship_strength(roster, p.ties)
        learned = trust.learn_trust(
            self.trust,
            effort,
            w.involved,
            self.contact,
            self.relationship,
            p.trust,
            self.streams["trust"],
        )
        leaks = np.maximum(trust.draw_leaks(w.n_agencies, p.trust, self.streams["trust"]), r.leak)
        self.trust = trust.apply_leaks(learned, leaks)
        self.defence = defensive.update(self.defence, leaks, w.involved, p.defensive)
        if formal is not None:  # informal trust above what the agreement secures erodes
            self.trust = formality.crowd_out(self.trust, formal, p.formality)
        self.understanding = understanding.update_understanding(
            self.understanding, self.contact, self.relationship, p.understanding
        )
        self.mainstreamed = mainstreaming.adopt(
            self.mainstreamed,
            r.practice,
            r.succession,
            self.contact,
            postings,
            self.hazard,
            p.mainstreaming,
        )

        # (7) learning: progress relative to the pace the target needs
        progress = (before - self.need) / np.maximum(before, 1e-9) / w.required_rate
        learned = decision.learn(self.experience, progress, w.involved, p.decision)
        step = (1.0 + r.learning_boost) * (learned - self.experience)  # feedback speeds it
        self.experience = np.clip(self.experience + step, 0.0, 1.0)
        self.experience = practice.spread(self.experience, r.good_practice, w.involved)

        pt.age_one_month(p.partnership.drift)

        # (8) record
        spend = joint.sum(axis=1) + focused.sum(axis=1) + pooled.sum(axis=1) + ovh.sum(axis=1)
        spent = (
            own_in.sum() + joint.sum() + rel.sum() + pooled.sum() + focused.sum() + ovh_paid.sum()
        )
        self.month += 1
        self.recorder.record(
            self,
            resolved=resolved,
            spend=spend,
            kappa=kappa,
            joint_share=np.where(disc > 0, effort.sum(axis=0), 0.0),
            overhead=ovh_paid,
            leavers=leavers,
            allocated=self.budget.sum(),
            spent=spent,
        )

    def run(self) -> RunResult:
        for _ in range(self.scenario.horizon - self.month):
            self.step()
        return self.result()

    def result(self) -> RunResult:
        return self.recorder.result(self)

    def release(self) -> None:
        """Drop Mesa 3.3.1's class-level references so a finished model can be freed."""
        mesa.Agent._ids.pop(self, None)
        self.remove_all_agents()


def run(scenario: Scenario, seed: int | np.random.SeedSequence = 0) -> RunResult:
    """One run of the reference engine, like ``jusim.run``."""
    model = ReferenceModel(scenario, seed)
    try:
        return model.run()
    finally:
        model.release()
