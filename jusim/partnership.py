"""Partnerships as entities: members, lead, age, set-up, shared aims, running costs, value.

A partnership is a standing body of agencies working on one cross-cutting outcome: a Sure Start
local partnership, a youth offending team, a rough-sleeping task force (002_5677c7bae92002df.txt
¶4, ¶9, Fig 1; 001_04a1019f119c8ec4.txt ¶54–56). Interventions convene partnerships (a pooled
budget, a shared target and a central unit each sit on one) and agencies may propose and join
them; ``Rules.membership`` is derived from the live ones every month.

Every partnership is a row in arrays over partnerships (P), kept here; what a partnership costs
and adds is computed by array functions in ``mechanisms/partnering.py``:

- ``outcome`` (P,) the outcome it works on; ``members`` (P, A) who sits on it;
- ``lead`` (P,) the accountable lead agency (-1: none) and ``clout`` (P,) its standing, 0–1
  (004_405daa82f731071c.txt Ch2 §6; 002 ¶23 "glue");
- ``founded`` (P,) month formed, ``age`` (P,) months since, ``setup`` (P,) months before it
  delivers (002 Annex "realistic timescales");
- ``aims`` (P,) its members' shared understanding of its aims (mean pairwise understanding
  between members, 0–1; 002 ¶23);
- ``cost`` (P,) running cost last month (£k: seats and consultation), ``promise`` (P,) the gain
  its founders expected, ``gain`` (P,) what it
  delivered last month (extra cases per £, a share), ``value`` (P,) the part of that gain no
  other partnership on its outcome provides, ``relevance`` (P,) 1 when formed or relaunched,
  falling by ``drift`` a month;
- ``formal`` (P,) bound by a written agreement (``mechanisms/formality.py``);
- ``buy_in`` (P, A) each member's ownership of it, 0–1: gained when engaged, fully only while it
  is being designed (000 "Making connections"; 001 ¶83–84);
- ``live`` (P,) not wound up; ``mandated`` (P,) convened by an intervention (which keeps it live
  while the intervention is active and winds it up when it ends); ``charter`` (P, A) the members
  the convening intervention named (others, such as grantees, may join it month by month).
- ``delivery`` (P,) the share of joint production it achieves (1; a ``strategic_forum`` sets agendas
  and delivers little); ``selected`` (P,) formed under ``selective_collaboration``, which screens
  partners, starts small and grows once it delivers (``mechanisms/selection.py``; the month's rule
  is ``selection``, None when off).

Agencies propose, join and leave partnerships of their own (``form_and_leave``; switched on by
``parameters.partnership.proposal_rate``), and a ``review`` winds up or relaunches them.

Rows are never removed (a wound-up partnership keeps its history), so indices are stable.

Runs stepped together (``jusim/month/runs.py``) keep one ``Partnerships`` each, and their arrays
are rows of shared (R, P, ...) blocks (``Shelf``, as ``month/state.Table`` keeps the states':
docs/design-notes.md item 16), so ``Board`` reads every run's partnerships side by side without
gathering them, and the phases take every run's demand, delivery, judgement
(``mechanisms/scrutiny.judge``), forming and leaving, proposals, membership, ageing and record
in one call (a run alone calls its own methods).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from jusim.mechanisms import formality, partnering, selection


class Shelf:
    """The partnerships of R runs, field by field: an (R, capacity, ...) block per array field of
    ``Partnerships``, whose run ``r``'s first ``counts[r]`` rows are its partnerships and the rest
    zeros (never written). Each run's ``Partnerships`` holds views of its rows as its fields and
    writes through them (assigning a field copies into the rows), so the blocks are always the
    runs' own values; ``Board`` reads them as they are. A run made alone has a shelf of its own;
    runs stepped together are moved onto one shelf (``adopt``) the first time they are. Rows are
    added one at a time (``add``); the capacity doubles when a run's rows fill it.

    Why: before, each run's partnerships were arrays of their own, grown one row at a time, and
    ``Board`` gathered every field it read into a padded (R, P, ...) block, several times a
    month: the top function of a batch of the shipped scenarios (cProfile of ``jusim.compare``:
    20,160 calls, 1.5 s of 20)."""

    __slots__ = ("blocks", "capacity", "counts", "pts")

    def __init__(self, pts: list[Partnerships], capacity: int) -> None:
        a, r = pts[0].n_agencies, len(pts)
        self.pts = pts
        self.capacity = capacity
        self.counts = [0] * r
        self.blocks = {
            name: np.zeros((r, capacity, *((a,) if wide else ())), dtype)
            for name, (dtype, wide) in _FIELDS.items()
        }

    @classmethod
    def adopt(cls, pts: list[Partnerships]) -> Shelf:
        """One shelf for ``pts`` (kept if they are already on one, in this order), each run's
        values copied into it."""
        shelf = pts[0].__dict__.get("_shelf")
        if (
            shelf is not None
            and len(shelf.pts) == len(pts)
            and all(map(operator.is_, shelf.pts, pts))
        ):
            return shelf
        sizes = [pt.count for pt in pts]
        new = cls(list(pts), max(4, *sizes))
        for r, (pt, size) in enumerate(zip(pts, sizes, strict=True)):
            values = {name: pt.__dict__[name] for name in _FIELDS}
            new.counts[r] = size
            pt.__dict__.update(_shelf=new, _r=r)
            new.bind(r)
            for name, v in values.items():
                new.blocks[name][r, :size] = v
        return new

    def bind(self, r: int) -> None:
        """Run ``r``'s fields: views of its rows."""
        size, fields = self.counts[r], self.pts[r].__dict__
        for name, block in self.blocks.items():
            fields[name] = block[r, :size]

    def add(self, r: int) -> int:
        """A new row for run ``r`` (zeros); its index."""
        k = self.counts[r]
        if k == self.capacity:  # full: double, every run's rows copied and bound anew
            self.capacity *= 2
            for name, block in self.blocks.items():
                grown = np.zeros((block.shape[0], self.capacity, *block.shape[2:]), block.dtype)
                grown[:, :k] = block
                self.blocks[name] = grown
            self.counts[r] = k + 1
            for other in range(len(self.pts)):
                self.bind(other)
            return k
        self.counts[r] = k + 1
        self.bind(r)
        return k

    def write(self, name: str, block: np.ndarray) -> None:
        """Every run's rows of a field at once, from a padded (R, P, ...) block whose rows past a
        run's own are zeros (as ``Board`` computes them)."""
        self.blocks[name][:, : block.shape[1]] = block


_FIELDS: dict[str, tuple[type, bool]] = {  # array fields: dtype, and whether (P, A) (or (P,))
    "outcome": (np.int64, False),
    "members": (bool, True),
    "charter": (bool, True),
    "lead": (np.int64, False),
    "clout": (np.float64, False),
    "founded": (np.int64, False),
    "age": (np.int64, False),
    "setup": (np.int64, False),
    "aims": (np.float64, False),
    "cost": (np.float64, False),
    "gain": (np.float64, False),
    "value": (np.float64, False),
    "relevance": (np.float64, False),
    "promise": (np.float64, False),
    "formal": (bool, False),
    "buy_in": (np.float64, True),
    "engaging": (bool, False),
    "live": (bool, False),
    "by_intervention": (bool, False),
    "mandated": (bool, False),
    "links_now": (np.float64, True),
    "selected": (bool, False),
    "delivery": (np.float64, False),
}


def _pair_sums(members: np.ndarray, understanding: np.ndarray) -> np.ndarray:
    """(P,) each partnership's understanding summed over ordered pairs of its members, the
    diagonal (1s) included: a product that numpy sums in an order that depends on the shapes
    (over a run axis, ``einsum`` can differ in the last bit), so always one run's own."""
    m = members.astype(np.float64)
    return np.einsum("pa,ab,pb->p", m, understanding, m)


PAIR_SUMS_CELLS = 4_000_000  # largest (R, P, A, A) product ``pair_sums_runs`` makes at once


def pair_sums_runs(members: np.ndarray, understanding: np.ndarray) -> np.ndarray | None:
    """(R, P) ``_pair_sums`` of every run at once (members (R, P, A), understanding (R, A, A)),
    with the bits of each run's own ``einsum``; None where that is not known to hold (fewer than
    three agencies, an understanding not in C order, or a product too large), for the caller to
    work run by run.

    Why it can be exact: a member's weight is 0 or 1, so each term is a cell of understanding or
    a zero, and numpy's ``einsum("pa,ab,pb->p")`` (C-ordered operands, at least three agencies)
    adds the terms of each partnership one at a time, pairs in row order, from zero: a
    cumulative sum along the pairs does the same. Checked against ``einsum`` run by run on
    242,515 partnerships of random worlds (3-40 agencies, 1-40 partnerships, several shapes of
    understanding): no difference; with two agencies, or an understanding in Fortran order,
    ``einsum`` adds in another order (``tests/test_partnership_runs.py``)."""
    r, p, a = members.shape
    if a < 3 or not understanding.flags.c_contiguous or r * p * a * a > PAIR_SUMS_CELLS:
        return None
    m = members.astype(np.float64)
    terms = (m[..., :, None] * understanding[:, None]) * m[..., None, :]
    return np.cumsum(terms.reshape(r, p, a * a), axis=-1)[..., -1]


def shared_aims(pair_sums: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Shared understanding of aims: the mean understanding between members (``pair_sums`` from
    ``_pair_sums``, ``n`` members; elementwise, so any leading run axis)."""
    pair_sum = pair_sums - n  # drop the diagonal (1s)
    pairs = n * (n - 1.0)
    return np.where(pairs > 0, pair_sum / np.maximum(pairs, 1.0), 0.0)


class Terms(NamedTuple):
    """What an agency weighs a seat against this month (``form_and_leave``): (O, A) credit on
    each outcome, (A,) discretionary budgets and price of an admin-month, (A, A) understanding,
    the world and the partnership parameters."""

    credit: np.ndarray
    budget: np.ndarray
    price: np.ndarray
    understanding: np.ndarray
    world: Any
    params: Any


@dataclass
class Partnerships:
    """All partnerships of a run, live or wound up, as arrays over partnerships."""

    n_agencies: int
    outcome: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    members: np.ndarray = field(default=None)  # type: ignore[assignment]
    charter: np.ndarray = field(default=None)  # type: ignore[assignment]
    lead: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    clout: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))
    founded: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    age: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    setup: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    aims: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))
    cost: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))
    gain: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))
    value: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))
    relevance: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))
    promise: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))
    formal: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    buy_in: np.ndarray = field(default=None)  # type: ignore[assignment]
    engaging: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    live: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    by_intervention: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    mandated: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    links_now: np.ndarray = field(default=None)  # type: ignore[assignment]  # (P, A) this month
    # formed under ``selective_collaboration`` (grows only once it delivers; mechanisms/selection)
    selected: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    # share of the joint production a delivery partnership achieves (a strategic forum's is small)
    delivery: np.ndarray = field(default_factory=lambda: np.empty(0, np.float64))

    def __post_init__(self) -> None:
        if self.members is None:
            self.members = np.zeros((0, self.n_agencies), bool)
        if self.charter is None:
            self.charter = self.members.copy()
        if self.buy_in is None:
            self.buy_in = np.zeros(self.members.shape)
        if self.links_now is None:
            self.links_now = np.zeros(self.members.shape)
        self._latest: dict[int, int] = {}  # outcome -> partnership convened last this month
        self._convened: dict[tuple[int, bytes], int] = {}  # (outcome, members) -> its partnership
        self.selection: selection.Selection | None = None  # set by selective_collaboration
        Shelf.adopt([self])  # a shelf of its own until it is stepped with other runs

    def __setattr__(self, name: str, value: Any) -> None:
        """A field is a view of the run's rows on its shelf: assigning it copies into them."""
        fields = self.__dict__
        if name in _FIELDS and "_shelf" in fields:
            fields[name][...] = value
        else:
            object.__setattr__(self, name, value)

    def __getstate__(self) -> dict[str, Any]:  # (pickle and copy: the run's own values)
        state = {k: v for k, v in self.__dict__.items() if k not in ("_shelf", "_r")}
        for name in _FIELDS:
            state[name] = state[name].copy()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        Shelf.adopt([self])

    @property
    def count(self) -> int:
        """Partnerships ever formed (live or not)."""
        return int(self.outcome.size)

    def n_live(self) -> int:
        return int(self.live.sum())

    # -- forming and ending ----------------------------------------------------------------
    def create(
        self,
        outcome: int,
        members: np.ndarray,
        month: int,
        setup: int,
        by_intervention: bool = False,
    ) -> int:
        """Form a partnership of ``members`` (agency indices) on ``outcome``; return its index."""
        k = self._shelf.add(self._r)  # (a row of zeros: every field set below)
        row = np.zeros(self.n_agencies, bool)
        row[np.asarray(members, dtype=np.int64)] = True
        self.outcome[k] = outcome
        self.members[k] = row
        self.charter[k] = row
        self.lead[k] = -1
        self.clout[k] = 0.0
        self.founded[k] = month
        self.age[k] = 0
        self.setup[k] = setup
        self.aims[k] = 0.0
        self.cost[k] = 0.0
        self.gain[k] = 0.0
        self.value[k] = 0.0
        self.relevance[k] = 1.0
        self.promise[k] = 0.0
        self.formal[k] = False
        self.buy_in[k] = 0.0
        self.engaging[k] = False
        self.links_now[k] = 0.0
        self.live[k] = True
        self.by_intervention[k] = by_intervention
        self.mandated[k] = by_intervention
        self.selected[k] = self.selection is not None and not by_intervention
        self.delivery[k] = 1.0
        return k

    def convene(self, outcome: int, members: np.ndarray, month: int, setup: int) -> int:
        """The live intervention partnership on ``outcome`` with exactly these members (formed if
        there is none), marked as mandated this month. Interventions with the same outcome and
        members (a pooled budget and a shared target, a central unit) share one partnership.
        Found once, then remembered by the members as given: at most one is live at a time (a
        new one is formed only when none is, and a wound-up one never lives again)."""
        members = np.asarray(members, dtype=np.int64)
        key = (int(outcome), members.tobytes())
        k = self._convened.get(key)
        if k is None or not self.live[k]:
            row = np.zeros(self.n_agencies, bool)
            row[members] = True
            named = row.tobytes()
            candidates = np.flatnonzero(
                self.live & self.by_intervention & (self.outcome == outcome)
            )
            hit = [j for j in candidates.tolist() if self.charter[j].tobytes() == named]  # (0/1)
            k = hit[0] if hit else self.create(outcome, members, month, setup, True)
            self._convened[key] = k
        self.mandated[k] = True
        self._latest[int(outcome)] = k
        return k

    def join(self, outcome: int, agencies: np.ndarray) -> int | None:
        """Add ``agencies`` this month to the partnership last convened on ``outcome`` (for
        example grantees reporting to a pooled budget's partnership); None if there is none."""
        k = self._latest.get(int(outcome))
        if k is not None:
            self.members[k, np.asarray(agencies, dtype=np.int64)] = True
        return k

    def begin_month(self) -> None:
        """Before the interventions act: nobody has convened anything yet this month, and the
        leads of intervention partnerships are appointed afresh (by ``accountable_lead``)."""
        self.__dict__.update(_latest={}, selection=None)  # (selection: set afresh by the rule)
        if not self.count:  # none formed yet: nothing to reset
            return
        self.mandated.fill(False)
        rows = self.by_intervention
        if rows.all():  # (the common case, intervention partnerships only: whole arrays)
            np.copyto(self.members, self.charter)
            for values, blank in self._afresh():
                values.fill(blank)
        elif rows.any():
            self.members[rows] = self.charter[rows]
            for values, blank in self._afresh():
                values[rows] = blank

    def _afresh(self) -> tuple[tuple[np.ndarray, Any], ...]:
        """What the interventions set afresh each month on their partnerships, with its value
        before they act: who joins (above), the written agreement (``formal_agreement``),
        engagement (``early_engagement``), the lead and its clout (``accountable_lead``) and
        the share delivered (``strategic_forum``)."""
        return (
            (self.formal, False),
            (self.engaging, False),
            (self.lead, -1),
            (self.clout, 0.0),
            (self.delivery, 1.0),
        )

    def wind_up(self, rows) -> None:
        self.live[rows] = False

    def end_interventions(self) -> None:
        """After the interventions act: their partnerships that nobody convened are wound up."""
        if self.count:
            self.wind_up(self.live & self.by_intervention & ~self.mandated)

    # -- what the live ones mean this month --------------------------------------------------
    def membership(self, n_outcomes: int) -> np.ndarray:
        """(O, A) bool: the agency sits on a live partnership on the outcome."""
        out = np.zeros((n_outcomes, self.n_agencies), bool)
        if self.count:
            live = self.live
            np.logical_or.at(out, self.outcome[live], self.members[live])
        return out

    def by_outcome(self, values: np.ndarray, n_outcomes: int) -> np.ndarray:
        """(O, A) sum over live partnerships of a (P, A) quantity, by outcome."""
        out = np.zeros((n_outcomes, self.n_agencies))
        if self.count:
            np.add.at(out, self.outcome[self.live], values[self.live])
        return out

    def links(self) -> np.ndarray:
        """(P, A) consultation links of each member (zero for wound-up partnerships)."""
        links = partnering.consultation_links(self.members, self.lead, self.clout)
        return links * self.live[:, None]

    def update_aims(self, understanding: np.ndarray) -> None:
        """Shared understanding of aims: the mean understanding between each one's members."""
        n = self.members.sum(axis=1, dtype=np.float64)
        self.aims = shared_aims(_pair_sums(self.members, understanding), n)

    def engage(self, k: int, agencies, buy_in: float, params: partnering.PartnershipParams):
        """Engage ``agencies`` in partnership ``k`` this month: full ``buy_in`` while it is being
        set up (design), ``late_share`` of it afterwards; buy-in never falls by engaging."""
        gained = buy_in if self.age[k] < self.setup[k] else params.late_share * buy_in
        self.buy_in[k, agencies] = np.maximum(self.buy_in[k, agencies], gained)
        self.engaging[k] = True

    def buy_in_by_outcome(self, n_outcomes: int) -> np.ndarray:
        """(O, A) each agency's highest buy-in among its live partnerships on each outcome."""
        out = np.zeros((n_outcomes, self.n_agencies))
        live = self.live
        if live.any():
            np.maximum.at(out, self.outcome[live], self.buy_in[live] * self.members[live])
        return out

    def formal_pairs(self) -> np.ndarray:
        """(A, A) live formal partnerships each pair of agencies sits on together."""
        return formality.formal_pairs(self.members & self.live[:, None], self.formal)

    def month_demand(
        self,
        understanding: np.ndarray,
        params: partnering.PartnershipParams,
        formal: formality.FormalityParams | None = None,
    ) -> np.ndarray:
        """Shared aims, consultation links (kept in ``self.links_now``) and the (P, A) admin
        demand of this month's live partnerships."""
        if not self.live.any():  # nothing to compute (the common silo case: keep it cheap)
            self.links_now = np.zeros(self.members.shape)
            return self.links_now
        self.update_aims(understanding)
        self.links_now = self.links()
        seated = self.members & self.live[:, None]
        demand = partnering.admin_demand(seated, self.links_now, params)
        if formal is not None and self.formal.any():
            demand = demand + formality.compliance_demand(seated, self.formal, formal)
        designing = self.engaging & (self.age < self.setup)
        if designing.any():
            demand = demand + params.engagement * (seated & designing[:, None])
        return demand

    def deliver(
        self,
        roles: np.ndarray,
        admin_capacity: np.ndarray,
        params: partnering.PartnershipParams,
    ) -> np.ndarray:
        """(O,) combined integration gain of each outcome's partnerships this month; each
        partnership's own gain is kept in ``gain``."""
        if not self.live.any():
            self.gain = np.zeros(self.count)
            self.value = np.zeros(self.count)
            return np.zeros(roles.shape[0])
        self.gain = partnering.delivered_gain(
            partnering.needs_covered(self.members, self.outcome, roles, params.reach),
            partnering.agreement_efficiency(
                self.links_now, self.members, admin_capacity, self.aims, params.agreement
            ),
            self.live & (self.age >= self.setup),
            params,
            self.relevance * self.delivery,
        )
        self.value = partnering.marginal_value(self.gain, self.outcome, roles.shape[0])
        return partnering.outcome_gain(self.gain, self.outcome, roles.shape[0])

    # -- agencies' own partnerships -----------------------------------------------------------
    def form_and_leave(
        self,
        month: int,
        credit: np.ndarray,
        discretionary: np.ndarray,
        price: np.ndarray,
        understanding: np.ndarray,
        world,
        params: partnering.PartnershipParams,
        rng: np.random.Generator,
        risk: np.ndarray | None = None,
    ) -> None:
        """Members of agencies' own partnerships stay only while a seat is worth it to them (with
        its symbolic value); then each agency, with chance ``proposal_rate``, proposes a
        partnership on one of its outcomes (drawn in proportion to the credit it puts on them) to
        every contributor, and those for whom a seat is worth it join.

        credit: (O, A) last month's credit each agency puts on each outcome; discretionary: (A,)
        budgets; price: (A,) £k per admin-month (senior time plus administration at its capacity);
        risk: (O, A) credit each agency expects to lose by joining a new partnership on each
        outcome, should it fail in public (``mechanisms/scrutiny.py``; None: none).
        """
        a = self.n_agencies
        budget = np.maximum(discretionary, 1e-9)
        own = self.live & ~self.by_intervention if self.count else None
        terms = Terms(credit, budget, price, understanding, world, params)
        if own is not None and own.any():
            demand = partnering.admin_demand(self.members, self.links(), params)
            share = demand * price[None, :] / budget[None, :]
            # while it is being set up, members judge it by what it promised when it formed
            basis = np.where(self.age <= self.setup, self.promise, self.value)
            stay = partnering.worth_a_seat(
                credit[self.outcome], basis[:, None], share, True, params
            )
            self.leave(own, stay, terms)
        u = rng.random(a)  # one draw per agency every month: the same draws in every arm
        if params.proposal_rate <= 0:
            return
        self.propose(u, rng.random(a), month, terms, risk)

    def leave(self, own: np.ndarray, stay: np.ndarray, terms: Terms) -> None:
        """Members of agencies' own partnerships (``own``) keep their seats where ``stay``; those
        left with fewer than two members are wound up; partnerships formed under selection grow."""
        self.members[own] &= stay[own]
        self.wind_up(own & (self.members.sum(axis=1) < 2))
        if self.selection is not None and self.selected.any():
            self.grow_selected(own, terms)

    def grow_selected(self, own: np.ndarray, terms: Terms) -> None:
        """Agencies' own partnerships formed under selection offer a seat once they deliver
        (``mechanisms/selection.grow``)."""
        rule = self.selection
        if rule is None:
            return
        credit, budget, price, understanding, world, params = terms
        selection.grow(
            self,
            self.selected & own,
            credit,
            budget,
            price,
            understanding,
            world.involved,
            rule,
            params,
        )

    def propose(
        self,
        u: np.ndarray,
        pick: np.ndarray,
        month: int,
        terms: Terms,
        risk: np.ndarray | None = None,
    ) -> None:
        """Each agency with ``u`` below ``proposal_rate`` proposes a partnership on one of its
        outcomes (``pick``: where it falls among them by credit) to every contributor; those for
        whom a seat is worth it join (``form_and_leave``)."""
        credit, budget, price, understanding, world, params = terms
        proposers = np.flatnonzero(u < params.proposal_rate)
        if proposers.size == 0:
            return
        gain_now = partnering.outcome_gain(self.gain, self.outcome, world.n_outcomes)
        for p in proposers:
            weights = np.where(world.involved[:, p], credit[:, p], 0.0)
            if weights.sum() <= 0:
                continue
            o = int(np.searchsorted(np.cumsum(weights) / weights.sum(), pick[p]))
            invited = world.involved[o]
            if self.selection is not None:  # screen partners and start small
                invited = selection.invitees(invited, p, understanding, self.selection)
            n = invited.sum()
            row = invited[None, :]
            links = partnering.consultation_links(row, np.array([-1]), np.zeros(1))
            m = row.astype(np.float64)
            aims = (m @ understanding @ m.T - n)[0, 0] / max(n * (n - 1.0), 1.0)
            new = partnering.delivered_gain(
                partnering.needs_covered(row, np.array([o]), world.roles, params.reach),
                partnering.agreement_efficiency(
                    links, row, world.admin_capacity, np.array([aims]), params.agreement
                ),
                np.array([True]),
                params,
            )[0] * (1.0 - gain_now[o])
            if self.selection is not None and new < self.selection.min_gain:
                continue  # screened out: unlikely to deliver
            share = partnering.admin_demand(row, links, params)[0] * price / budget
            at_risk = 0.0 if risk is None else risk[o]
            join = invited & partnering.worth_a_seat(credit[o], new, share, False, params, at_risk)
            if join[p] and join.sum() >= 2:
                k = self.create(o, np.flatnonzero(join), month, params.setup)
                self.promise[k] = new

    def review(self, threshold: float, relaunch: int) -> None:
        """Periodic review (002 ¶24, ¶25(1); 001 ¶118, ¶186): every live partnership that is
        delivering is evaluated; agencies' own ones adding less than ``threshold`` are wound up,
        the rest are relaunched (relevance restored, ``relaunch`` months before they deliver
        again). Those still being set up are left alone."""
        due = self.live & (self.age >= self.setup)
        close = due & ~self.by_intervention & (self.value < threshold)
        self.wind_up(close)
        again = due & ~close
        self.relevance[again] = 1.0
        self.setup[again] = self.age[again] + relaunch

    def age_one_month(self, drift: float) -> None:
        if not self.count:
            return
        self.age = self.age + self.live
        self.relevance = np.where(self.live, self.relevance * (1.0 - drift), self.relevance)


class Convening:
    """The intervention partnerships a group of runs convenes on one outcome (each run's own, with
    each run's own members), remembered from month to month (``interventions/base.RunGroup``).

    ``Partnerships.convene`` finds a run's partnership by its members and checks that it is still
    live, run by run; while every run's remembered one is live, ``again`` does what those calls
    would do (mark it mandated and last convened on its outcome) in one write on the runs' shelf.
    Why: convening was the top per-run Python of the scenarios with a central unit or a pooled
    budget (two or three calls a run a month)."""

    __slots__ = ("held", "pts", "rows", "shelf")

    def __init__(self, pts: list[Partnerships]) -> None:
        self.pts = pts
        self.held: np.ndarray | None = None  # each run's partnership (None: not yet known)
        self.shelf: Shelf | None = None
        self.rows = np.zeros(0, np.int64)

    def remember(self, held: list[int]) -> None:
        """Each run's partnership as ``Partnerships.convene`` returned it this month."""
        self.held = np.array(held, dtype=np.int64)
        self.shelf = self.pts[0].__dict__.get("_shelf")
        self.rows = np.array([pt.__dict__.get("_r", -1) for pt in self.pts], dtype=np.int64)

    def again(self, outcome: int) -> bool:
        """``Partnerships.convene`` of every run with the members it was first given, if each
        run's remembered partnership is still live on the same shelf; False (nothing done)
        otherwise."""
        held, shelf = self.held, self.shelf
        if held is None or shelf is None:
            return False
        if not all(pt.__dict__.get("_shelf") is shelf for pt in self.pts):
            return False
        if not shelf.blocks["live"][self.rows, held].all():
            return False
        shelf.blocks["mandated"][self.rows, held] = True
        o = int(outcome)
        for pt, k in zip(self.pts, held.tolist(), strict=True):
            pt._latest[o] = k
        return True


def join_runs(pts: list[Partnerships], outcome: int, agencies: np.ndarray) -> list[int]:
    """``Partnerships.join`` of every run of ``pts`` (the same ``agencies`` in each); the
    positions of the runs that have convened nothing on ``outcome`` this month (nothing done)."""
    o, agencies = int(outcome), np.asarray(agencies, dtype=np.int64)
    missing = []
    for g, pt in enumerate(pts):
        k = pt._latest.get(o)
        if k is None:
            missing.append(g)
        elif agencies.size:
            pt.members[k, agencies] = True
    return missing


class Board:
    """The partnerships of R runs side by side, for the phases that step runs together.

    Each run keeps its own ``Partnerships`` (interventions convene, join and engage them run by
    run, and their rows grow one by one), whose arrays are rows of the runs' ``Shelf``; a
    ``Board`` reads its padded (R, P, ...) blocks (views: no copy), row ``p`` of run ``r`` its
    partnership ``p`` and the rows past a run's own ``count`` zero (not live), and writes results
    back into them for every run at once.

    Why padded blocks (as ``month/resources.Seats``) rather than the runs' tables end to end
    with a run index (as ``staff.Rosters`` does for staff): a run has a handful of partnerships
    and the runs of one scenario mostly the same number (the interventions convene them), so
    padding costs little; the array functions of ``mechanisms/partnering.py`` over (P, A) take a
    leading run axis unchanged; and a reduction over partnerships adds a run's own rows in its
    own order and then zeros, which gives a run alone's bits without segmented reductions (a sum
    along the last axis only while the padded length keeps numpy's pairwise order: ``sums``).
    When no run has formed a partnership (the silo and the default world) every answer is known
    without reading anything; a run alone (R = 1) calls its own ``Partnerships`` methods.
    """

    __slots__ = ("_blocks", "alone", "empty", "n", "pts", "shelf", "sizes")

    def __init__(self, pts: list[Partnerships]) -> None:
        self.pts = pts
        self._blocks: dict[str, np.ndarray] = {}
        if len(pts) == 1:  # a run alone: its own methods (R = 1)
            self.alone: Partnerships | None = pts[0]
            self.shelf: Shelf | None = None
            self.n = pts[0].outcome.size
            self.sizes = [self.n]
        else:
            self.alone = None
            self.shelf = Shelf.adopt(pts)
            self.sizes = list(self.shelf.counts)
            self.n = max(self.sizes)  # rows of every block
        self.empty = self.n == 0

    @property
    def counts(self) -> np.ndarray:
        """(R,) partnerships each run has formed (live or not)."""
        return np.array(self.sizes)

    def gather(self, values: list[np.ndarray]) -> np.ndarray:
        """The runs' (P_r, ...) arrays (each its own length) as one (R, P, ...) block padded with
        zeros after each run's rows."""
        if len(values) == 1 and len(values[0]) == self.n:  # a run alone: a view
            return values[0][None]
        if all(len(v) == self.n for v in values):  # (np.stack without its checks)
            return np.concatenate(values).reshape(len(values), *values[0].shape)
        first = values[0]
        out = np.zeros((len(values), self.n, *first.shape[1:]), dtype=first.dtype)
        for row, v in zip(out, values, strict=True):
            row[: len(v)] = v
        return out

    def block(self, name: str) -> np.ndarray:
        """(R, P, ...) a field of every run's partnerships: the shelf's block (a view: it shows
        the runs' writes), for a run alone its own array."""
        out = self._blocks.get(name)
        if out is None:
            if self.shelf is None:
                out = getattr(self.pts[0], name)[None]
            else:
                out = self.shelf.blocks[name][:, : self.n]
            self._blocks[name] = out
        return out

    def begin_month(self) -> None:
        """``Partnerships.begin_month`` of every run."""
        if self.shelf is None or self.empty:
            for pt in self.pts:
                pt.begin_month()
            return
        for pt in self.pts:
            pt.__dict__.update(_latest={}, selection=None)  # (as ``Partnerships.begin_month``)
        rows = self.block("by_intervention")
        self.block("mandated").fill(False)
        np.copyto(self.block("members"), self.block("charter"), where=rows[..., None])
        for name, blank in (
            ("formal", False),
            ("engaging", False),
            ("lead", -1),
            ("clout", 0.0),
            ("delivery", 1.0),
        ):
            np.copyto(self.block(name), blank, where=rows)

    def end_interventions(self) -> None:
        """``Partnerships.end_interventions`` of every run."""
        if self.shelf is None or self.empty:
            for pt in self.pts:
                pt.end_interventions()
            return
        live = self.block("live")
        live &= ~(self.block("by_intervention") & ~self.block("mandated"))

    def sums(self, block: np.ndarray, sizes: list[int] | None = None) -> np.ndarray:
        """(R,) each run's sum of the first ``sizes[r]`` values of its row of a (R, P) block
        (zeros after them; by default its partnerships), with the bits of the run's own
        ``values.sum()``: numpy's pairwise sum is a plain loop below eight values, so trailing
        zeros change nothing while ``P < 8`` or a run's row is full; the other runs are summed
        on their own."""
        sizes = self.sizes if sizes is None else sizes
        out = block.sum(axis=-1)
        if block.shape[-1] >= 8:
            for r, size in enumerate(sizes):
                if size != block.shape[-1]:
                    out[r] = block[r, :size].sum()
        return out

    def membership(self, n_outcomes: int) -> np.ndarray:
        """(R, O, A) bool: ``Partnerships.membership`` of every run."""
        if self.alone is not None and not self.empty:
            return self.alone.membership(n_outcomes)[None]
        out = np.zeros((len(self.pts), n_outcomes, self.pts[0].n_agencies), bool)
        if not self.empty:
            run, row = np.nonzero(self.block("live"))
            outcome = self.block("outcome")[run, row]
            np.logical_or.at(out, (run, outcome), self.block("members")[run, row])
        return out

    def buy_in_by_outcome(self, n_outcomes: int) -> np.ndarray:
        """(R, O, A): ``Partnerships.buy_in_by_outcome`` of every run."""
        if self.alone is not None and not self.empty:
            return self.alone.buy_in_by_outcome(n_outcomes)[None]
        out = np.zeros((len(self.pts), n_outcomes, self.pts[0].n_agencies))
        if not self.empty:
            run, row = np.nonzero(self.block("live"))
            seated = self.block("buy_in")[run, row] * self.block("members")[run, row]
            np.maximum.at(out, (run, self.block("outcome")[run, row]), seated)
        return out

    def age_one_month(self, drift: Any) -> None:
        """``Partnerships.age_one_month`` of every run (``drift`` a number or one per run)."""
        if self.alone is not None:
            self.alone.age_one_month(drift)
            return
        if self.empty:
            return
        live = self.block("live")
        age = self.block("age") + live
        relevance = self.block("relevance")
        relevance = np.where(live, relevance * (1.0 - drift), relevance)
        self.shelf.write("age", age)  # (rows past a run's own: 0 + 0 and 0)
        self.shelf.write("relevance", relevance)

    def form_and_leave(
        self, runs: Any, discretionary: np.ndarray, price: np.ndarray, risk: np.ndarray
    ) -> None:
        """``Partnerships.form_and_leave`` of every run of ``runs`` (a ``month.runs.Runs``: each
        run's month, credit, understanding, world, parameters and ``partnering`` stream), the
        other arguments along a leading run axis. Whether members stay on agencies' own
        partnerships is weighed for all runs at once; then each run makes its monthly draws from
        its own generator, the same numbers in the same order as alone, and the agencies of all
        runs propose together (``_propose``)."""
        a = self.pts[0].n_agencies
        states = runs.states
        if self.alone is not None:
            s = states[0]
            self.alone.form_and_leave(
                s.month,
                s.credit,
                discretionary[0],
                price[0],
                s.understanding,
                s.world,
                s.params.partnership,
                s.streams["partnering"],
                risk[0],
            )
            return
        credit, understanding = runs.stack("credit"), runs.stack("understanding")
        budget = np.maximum(discretionary, 1e-9)
        if not self.empty:
            self._leave(states, credit, understanding, budget, price, runs.params.partnership)
        u, pick = np.empty((len(states), a)), np.zeros((len(states), a))
        rate = runs.params.partnership.proposal_rate  # (a number, or one per run)
        proposing = np.broadcast_to(np.asarray(rate) > 0, (len(states),)).tolist()
        for r, (rng, picks) in enumerate(zip(runs.streams("partnering"), proposing, strict=True)):
            rng.random(out=u[r])  # one draw per agency every month: the same draws in every arm
            if picks:  # (otherwise none proposes: u >= 0)
                rng.random(out=pick[r])
        self._propose(runs, u, pick, credit, understanding, budget, price, risk)

    def _propose(
        self,
        runs: Any,
        u: np.ndarray,
        pick: np.ndarray,
        credit: np.ndarray,
        understanding: np.ndarray,
        budget: np.ndarray,
        price: np.ndarray,
        risk: np.ndarray,
    ) -> None:
        """``Partnerships.propose`` of every run at once: the proposals of all runs (K of them,
        run by run, each run's proposers in order) as arrays over proposals, each with its run's
        parameters, world, credit and understanding; the forming itself run by run, in order.

        What stays per proposal: the proposed members' shared aims (a product over agency pairs
        whose bits numpy's stacked product does not always reproduce), the screening of
        ``selective_collaboration`` (a run's own ``Selection``) and the forming."""
        params = runs.params.partnership
        rate = np.broadcast_to(np.asarray(params.proposal_rate, dtype=float), (u.shape[0],))
        run, proposer = np.nonzero(u < rate[:, None])  # (run by run, proposers in order)
        if run.size == 0:
            return
        involved = runs.stack_world("involved")
        weights = np.where(involved[run, :, proposer], credit[run, :, proposer], 0.0)  # (K, O)
        total = weights.sum(axis=-1)
        ok = ~(total <= 0)
        with np.errstate(divide="ignore", invalid="ignore"):  # (rows not ok are dropped)
            cdf = np.cumsum(weights, axis=-1) / total[:, None]
        # where ``pick`` falls among the outcomes (``np.searchsorted``'s left side: a count)
        o = (cdf < pick[run, proposer][:, None]).sum(axis=-1)
        run, proposer, o = run[ok], proposer[ok], o[ok]
        if run.size == 0:
            return
        invited = involved[run, o]  # (K, A)
        for k in range(run.size):
            rule = self.pts[run[k]].selection
            if rule is not None:  # screen partners and start small
                invited[k] = selection.invitees(
                    invited[k], proposer[k], understanding[run[k]], rule
                )
        n = invited.sum(axis=-1)
        rows = invited[:, None, :]  # each proposal a partnership of its own (K, 1, A)
        links = partnering.consultation_links(
            rows, np.full((run.size, 1), -1), np.zeros((run.size, 1))
        )
        m = invited.astype(np.float64)
        aims = np.array(
            [
                (m[k : k + 1] @ understanding[run[k]] @ m[k : k + 1].T - n[k])[0, 0]
                / max(n[k] * (n[k] - 1.0), 1.0)
                for k in range(run.size)
            ]
        )
        each = _Each(params, run)
        gain_now = partnering.outcome_gain(
            self.block("gain"), self.block("outcome"), involved.shape[-2]
        )
        new = partnering.delivered_gain(
            partnering.needs_covered(rows, o[:, None], runs.stack_world("roles")[run], each.reach),
            partnering.agreement_efficiency(
                links,
                rows,
                runs.stack_world("admin_capacity")[run],
                aims[:, None],
                each.agreement,
            ),
            np.array([True]),
            each,
        )[:, 0] * (1.0 - gain_now[run, o])
        share = partnering.admin_demand(rows, links, each)[:, 0] * price[run] / budget[run]
        join = invited & partnering.worth_a_seat(
            credit[run, o], new[:, None], share, False, each, risk[run, o]
        )
        forms = join[np.arange(run.size), proposer] & (join.sum(axis=-1) >= 2)
        states = runs.states
        for k in np.flatnonzero(forms).tolist():
            pt, s = self.pts[run[k]], states[run[k]]
            if pt.selection is not None and new[k] < pt.selection.min_gain:
                continue  # screened out: unlikely to deliver
            row = pt.create(int(o[k]), np.flatnonzero(join[k]), s.month, s.params.partnership.setup)
            pt.promise[row] = new[k]

    def _leave(
        self,
        states: list[Any],
        credit: np.ndarray,
        understanding: np.ndarray,
        budget: np.ndarray,
        price: np.ndarray,
        params: Any,
    ) -> None:
        """Whether each member of agencies' own partnerships keeps its seat, for all runs at once
        (``Partnerships.form_and_leave``'s first step); then each run that has one leaves."""
        live = self.block("live")
        own = live & ~self.block("by_intervention")
        leaving = np.flatnonzero(own.any(axis=-1))
        if leaving.size == 0:
            return
        members = self.block("members")
        links = partnering.consultation_links(members, self.block("lead"), self.block("clout"))
        demand = partnering.admin_demand(members, links * live[..., None], params)
        share = demand * price[:, None, :] / budget[:, None, :]
        # while it is being set up, members judge it by what it promised when it formed
        basis = np.where(
            self.block("age") <= self.block("setup"), self.block("promise"), self.block("value")
        )
        on = np.take_along_axis(credit, self.block("outcome")[..., None], axis=-2)
        stay = partnering.worth_a_seat(on, basis[..., None], share, True, params)
        # ``Partnerships.leave`` of every run: seats kept, and those left with fewer than two
        # members wound up; partnerships formed under selection grow run by run
        kept = members & (stay | ~own[..., None])
        wound = own & (kept.sum(axis=-1) < 2)
        ending = wound.any(axis=-1)
        for r in leaving.tolist():
            pt, size = self.pts[r], self.sizes[r]
            pt.members = kept[r, :size]
            if ending[r]:
                pt.wind_up(wound[r, :size])
            if pt.selection is not None and pt.selected.any():
                s = states[r]
                terms = Terms(
                    credit[r], budget[r], price[r], understanding[r], s.world, s.params.partnership
                )
                pt.grow_selected(own[r, :size], terms)

    def rows(self, block: np.ndarray) -> list[np.ndarray]:
        """Each run's own rows (P_r, ...) of a (R, P, ...) block."""
        return [b[:size] for b, size in zip(block, self.sizes, strict=True)]

    def month_demand(self, runs: Any) -> np.ndarray:
        """``Partnerships.month_demand`` of every run of ``runs`` at once: (R, P, A) admin demand
        (zero rows past a run's own), each run's shared aims and consultation links
        (``links_now``) set. The shared aims are a product over agency pairs that numpy sums in
        an order that depends on the shapes, so they are worked out run by run, for the runs
        with a live partnership."""
        a = self.pts[0].n_agencies
        if self.alone is not None:
            s = runs.states[0]
            pt = self.alone
            return pt.month_demand(s.understanding, s.params.partnership, s.params.formality)[None]
        if self.empty:
            return np.zeros((len(self.pts), 0, a))
        understanding = runs.stack("understanding")
        params, formal = runs.params.partnership, runs.params.formality
        live = self.block("live")
        members = self.block("members")
        aiming = live.any(axis=-1)  # (the runs with a live partnership: the others keep theirs)
        if aiming.any():
            pair_sums = pair_sums_runs(members, understanding)
            if pair_sums is None:  # (run by run)
                pair_sums = np.zeros(live.shape)
                for r in np.flatnonzero(aiming).tolist():
                    pair_sums[r, : self.sizes[r]] = _pair_sums(
                        self.pts[r].members, understanding[r]
                    )
            aims = shared_aims(pair_sums, members.sum(axis=-1, dtype=np.float64))
            self.block("aims")[aiming] = aims[aiming]
        links = partnering.consultation_links(members, self.block("lead"), self.block("clout"))
        links = links * live[..., None]
        seated = members & live[..., None]
        demand = partnering.admin_demand(seated, links, params)
        formal_rows = self.block("formal")
        if formal is not None and formal_rows.any():
            demand = demand + formality.compliance_demand(seated, formal_rows, formal)
        designing = self.block("engaging") & (self.block("age") < self.block("setup"))
        if designing.any():
            demand = demand + params.engagement * (seated & designing[..., None])
        self.shelf.write("links_now", links)  # (rows past a run's own: no members, zeros)
        return demand

    def deliver(self, runs: Any) -> np.ndarray:
        """``Partnerships.deliver`` of every run of ``runs`` at once: (R, O) combined integration
        gain of each outcome's partnerships (zero for a run that has formed none), each run's
        ``gain`` and ``value`` set."""
        world = runs.states[0].world
        if self.empty:
            return np.zeros((len(self.pts), world.n_outcomes))
        if self.alone is not None:
            s = runs.states[0]
            params = s.params.partnership
            return self.alone.deliver(world.roles, world.admin_capacity, params)[None]
        roles, params = runs.stack_world("roles"), runs.params.partnership
        admin_capacity = runs.stack_world("admin_capacity")
        n_outcomes = world.n_outcomes
        members, outcome = self.block("members"), self.block("outcome")
        aims = self.block("aims")  # (set this month)
        links = self.block("links_now")
        live = self.block("live")
        gain = partnering.delivered_gain(
            partnering.needs_covered(members, outcome, roles, params.reach),
            partnering.agreement_efficiency(links, members, admin_capacity, aims, params.agreement),
            live & (self.block("age") >= self.block("setup")),
            params,
            self.block("relevance") * self.block("delivery"),
        )
        value = partnering.marginal_value(gain, outcome, n_outcomes)
        self.shelf.write("gain", gain)  # (rows past a run's own: not live, zeros)
        self.shelf.write("value", value)
        return partnering.outcome_gain(gain, outcome, n_outcomes)

    def cost(self, block: np.ndarray) -> None:
        """Each run's ``cost`` this month from its rows of a padded (R, P) block, for all runs
        in one write (the rows past a run's own left as they are: zeros)."""
        if self.shelf is None:
            self.pts[0].cost = block[0]
            return
        mine = np.arange(self.n) < np.array(self.sizes)[:, None]
        np.copyto(self.shelf.blocks["cost"][:, : self.n], block, where=mine)

    def formal_pairs(self) -> list[np.ndarray | None]:
        """Each run's ``Partnerships.formal_pairs`` where it has a formal partnership, else None
        (numbers of shared agreements: whole numbers, exact in any order of summation)."""
        if self.alone is not None:
            return [self.alone.formal_pairs() if self.alone.formal.any() else None]
        if self.empty:
            return [None] * len(self.pts)
        formal = self.block("formal")
        bound = formal.any(axis=-1)
        if not bound.any():
            return [None] * len(self.pts)
        seated = self.block("members") & self.block("live")[..., None]
        m = (seated & formal[..., None]).astype(np.float64)
        pairs = m.swapaxes(-1, -2) @ m
        np.einsum("...ii->...i", pairs)[...] = 0.0  # the diagonal (of every run)
        return [p if b else None for p, b in zip(pairs, bound.tolist(), strict=True)]


class _Each:
    """The partnership parameters of each of K proposals (``Board._propose``): a parameter the
    runs share as it is, one that differs between runs as its proposal's run's value (K,), lined
    up with the proposals' axis."""

    def __init__(self, params: Any, run: np.ndarray) -> None:
        self._params, self._run = params, run

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self._params, name)
        if np.ndim(value):  # (a ``PerRun``: one per proposal, still lined up with the first axis)
            value = value.view(np.ndarray)[self._run].view(type(value))
        self.__dict__[name] = value
        return value
