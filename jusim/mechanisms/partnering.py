"""Partnering: what a partnership costs its members and what it adds to joint production.

Two opposing mechanisms, each a function of who sits on the partnership, never of a head count:

- **Coordination cost grows with membership.** Every member consults and seeks agreement with
  the others: meetings, consultations, papers to clear (002_5677c7bae92002df.txt ¶23–24: "the
  additional complexity arising from the number of players"; "avoiding the practical difficulties
  of organising and motivating large numbers of partners"; Annex "decision-making in joint working
  initiatives may be slow because of the need ... to secure commitment and agreement from a range
  of organisations"; 001_04a1019f119c8ec4.txt ¶160: large multilateral mechanisms struggle to
  justify their cost; 003_741bbb3ed11f1208.txt "A joined-up future?": make everybody
  collaborative "and you'll end up with a mess"). Without a lead, agreement is sought between
  every pair of members, so each member keeps ``n - 1`` consultation links. A lead with clout
  brokers agreement (the "glue", 002 ¶23; a "project leader, with sufficient clout",
  004_405daa82f731071c.txt Ch2 §6): a share ``clout`` of each member's links is replaced by one
  link to the lead, who keeps ``n - 1``. Links cost administrative time (``admin_demand``, in
  months of partnership administration at capacity 1, and the money to pay for it) and slow the
  partnership's decisions in proportion to the members' load relative to their administrative
  capacity (uncoordinated consultations raise overload and response time, 001 ¶90, ¶106), eased by
  a shared understanding of the partnership's aims (002 ¶23 "clearly defined, mutually valued,
  shared goals").
- **Joint-production gains from each added role saturate.** Clients have several needs; each
  partner can meet those of its role. Integrated services reach more of a client's needs per pound
  (more integrated health and social support cut the cost per rough sleeper helped,
  002 ¶18; whole-person action, 004 "Achieving Results" box). Each member covers a share
  ``1 - exp(-reach * w_a)`` of the needs its role weight ``w_a`` (normalised over the outcome's
  contributors) touches, overlapping with the others', so the needs covered,
  ``1 - exp(-reach * sum of members' w)``, saturate as roles are added.

**Forming, staying and going stale.** Agencies propose partnerships and join them when they expect
a tangible benefit for their own constituency (001_04a1019f119c8ec4.txt ¶43, ¶50–51: "we have to
believe that participation will achieve tangible benefits"): an invitee joins if the credit it
puts on the outcome times the gain the new partnership would add (after what partnerships already
on the outcome deliver) is at least ``cost_weight`` times the share of its discretionary budget
its seat and consultation would cost. Once seated, members stay as long as that benefit plus the
value of a symbolic seat at the table covers the cost ("posturing", 001 ¶56; "paper
partnerships", ¶54), so partnerships that no longer deliver live on. Their relevance falls by
``drift`` a month as priorities and client groups change and returns diminish (002 Annex; "past
their sell-by date", "a bit of furniture", 001 ¶56, ¶118), and new partnerships are proposed on
top of the old: without review the count accumulates ("clutter", 001 ¶157) and the average value
per partnership falls. ``proposal_rate`` 0 (the default) switches formation off: partnerships then
form only by intervention.

A partnership delivers nothing until it has been set up (``setup`` months: forming, bidding for
funds, employing staff, premises; 002 Annex "set realistic timescales"). Its delivered gain is
``integration * coverage * efficiency * relevance`` (a share, below ``integration``); several
partnerships on one outcome overlap: the outcome's gain is ``1 - prod(1 - gain_p)``, and capacity
to resolve cases is multiplied by ``1 + gain``. A partnership's value is what it adds that the
others on its outcome do not: ``gain_p * prod_{q != p}(1 - gain_q)``. The hump of outcome against partner count is not written anywhere:
it is what these two mechanisms, the decision rule and the money ledger produce together.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| integration | share | 0.5 | 0–1 | extra cases per £ when a partnership integrates all the clients' needs at full efficiency |
| reach | per unit role share | 2.5 | 0–50 | how fast needs covered saturate as role weight is added |
| seat | admin-months / month | 1.0 | 0–10 | administration per seat (the overhead module prices it) |
| consultation | admin-months / month / link | 0.1 | 0–10 | administration per consultation link |
| agreement | per link at capacity 1 | 0.15 | 0–10 | slowing of decisions per consultation link |
| setup | months | 6 | 0–120 | months from formation before a partnership delivers |
| proposal_rate | per agency-month | 0 | 0–1 | chance an agency proposes a partnership (0: none form by themselves) |
| drift | share / month | 0 | 0–0.2 | loss of a partnership's relevance each month |
| cost_weight | credit | 1.0 | 0–100 | credit an agency puts on its whole discretionary budget, weighing running costs |
| symbolic_seat | credit | 0.05 | 0–10 | credit an agency puts on keeping a seat at the table |
| ownership | credit per unit buy-in | 0.3 | 0–10 | credit a member adds to the outcome for its buy-in |
| late_share | share | 0.3 | 0–1 | buy-in gained when engaged only after set-up |
| engagement | admin-months / month | 0.5 | 0–10 | cost of engaging each member during set-up |
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.params import Params


class PartnershipParams(Params):
    integration: float = Field(
        0.5,
        ge=0,
        le=1,
        description="extra cases per £ at full integration and efficiency (share); the RSU's "
        "cost per case fell 42% (002 ¶18), i.e. +71% cases per £, part of it from pooling and "
        "targets: assumption 0.2–1",
    )
    reach: float = Field(
        2.5,
        ge=0,
        le=50,
        description="saturation of needs covered per unit of members' role share; 2.5 covers "
        "92% of needs with all roles: assumption 1–5",
    )
    seat: float = Field(
        1.0, ge=0, le=10, description="admin-months a month per seat (unit of admin_demand)"
    )
    consultation: float = Field(
        0.1,
        ge=0,
        le=10,
        description="admin-months a month per consultation link (a tenth of a seat: "
        "assumption 0.05–0.5; sources give no number, evidence-catalogue §7 gaps)",
    )
    agreement: float = Field(
        0.15,
        ge=0,
        le=10,
        description="slowing of decisions per consultation link at admin capacity 1 "
        "(002 Annex; assumption 0.02–0.5)",
    )
    setup: int = Field(
        6,
        ge=0,
        le=120,
        description="months before a new partnership delivers (002 Annex 'realistic "
        "timescales'; assumption 3–24)",
    )
    proposal_rate: float = Field(
        0.0,
        ge=0,
        le=1,
        description="monthly chance that an agency proposes a partnership on one of its outcomes "
        "(001 ¶43, ¶50–51; 0 = partnerships form only by intervention; assumption 0.01–0.1)",
    )
    drift: float = Field(
        0.0,
        ge=0,
        le=0.2,
        description="monthly loss of a partnership's relevance as priorities and client groups "
        "change (002 Annex; 001 ¶56, ¶118; 0 = never; assumption 0.005–0.03)",
    )
    cost_weight: float = Field(
        1.0,
        ge=0,
        le=100,
        description="credit an agency puts on its whole discretionary budget when weighing a "
        "seat's running cost against the expected benefit (assumption 0.5–3)",
    )
    symbolic_seat: float = Field(
        0.05,
        ge=0,
        le=10,
        description="credit an agency puts on keeping a seat at the table whatever the "
        "partnership delivers ('posturing', 001 ¶56; assumption 0–0.2)",
    )
    ownership: float = Field(
        0.3,
        ge=0,
        le=10,
        description="credit a member adds to the outcome per unit of buy-in (ownership raises "
        "effort: 000 'Making connections', 001 ¶83; assumption 0.1–1)",
    )
    late_share: float = Field(
        0.3,
        ge=0,
        le=1,
        description="share of buy-in a member engaged only after set-up gains (changes 'round "
        "the margin', 001 ¶83; assumption 0.1–0.5)",
    )
    engagement: float = Field(
        0.5,
        ge=0,
        le=10,
        description="admin-months a month engaging costs each member during set-up "
        "(engagement takes time at the start; assumption 0.2–1)",
    )


def consultation_links(members: np.ndarray, lead: np.ndarray, clout: np.ndarray) -> np.ndarray:
    """(P, A) consultation links each member keeps in each partnership.

    members: (P, A) bool; lead: (P,) agency index or -1; clout: (P,) in [0, 1].
    Without a lead every member consults the ``n - 1`` others; a lead with clout ``c`` replaces a
    share ``c`` of each other member's links by a single link to the lead.
    Every array may carry leading run axes (members (R, P, A), lead and clout (R, P)).
    """
    m = members.astype(np.float64)
    n = m.sum(axis=-1, keepdims=True)
    others = np.maximum(n - 1.0, 0.0)
    c = np.where(lead >= 0, clout, 0.0)[..., None]
    links = np.where(n > 1, (1.0 - c) * others + c, 0.0) * m
    rows = np.nonzero(lead >= 0)  # (partnership index, with its run's)
    at = (*rows, lead[rows])
    links[at] = others[rows][..., 0] * m[at]
    return links


def needs_covered(members: np.ndarray, outcome: np.ndarray, roles: np.ndarray, reach: float):
    """(P,) share of clients' needs the members' roles cover together, saturating in role weight.
    Leading run axes allowed (members (R, P, A), outcome (R, P), roles (R, O, A))."""
    w = roles / np.maximum(roles.sum(axis=-1, keepdims=True), 1e-12)
    covered = (members * _by_outcome(w, outcome)).sum(axis=-1)
    return 1.0 - np.exp(-reach * covered)


def agreement_efficiency(
    links: np.ndarray,
    members: np.ndarray,
    admin_capacity: np.ndarray,
    aims: np.ndarray,
    agreement: float,
) -> np.ndarray:
    """(P,) efficiency of decisions: ``1 / (1 + agreement * (1 - aims) * load)`` with ``load`` the
    members' mean consultation links over their administrative capacity. Leading run axes
    allowed (links and members (R, P, A), admin_capacity (R, A), aims (R, P))."""
    n = np.maximum(members.sum(axis=-1), 1)
    load = (links / admin_capacity[..., None, :]).sum(axis=-1) / n
    return 1.0 / (1.0 + agreement * (1.0 - aims) * load)


def delivered_gain(
    coverage: np.ndarray,
    efficiency: np.ndarray,
    delivering: np.ndarray,
    params: PartnershipParams,
    relevance: np.ndarray | float = 1.0,
) -> np.ndarray:
    """(P,) each partnership's gain in cases per £ (a share), zero until it delivers."""
    return np.where(delivering, params.integration * coverage * efficiency * relevance, 0.0)


def outcome_gain(gain: np.ndarray, outcome: np.ndarray, n_outcomes: int) -> np.ndarray:
    """(O,) combined gain of overlapping partnerships on each outcome: ``1 - prod(1 - g)``.
    Over runs, gain and outcome (R, P) give (R, O) (each run's partnerships in its own order)."""
    keep = np.ones((*gain.shape[:-1], n_outcomes))
    if gain.ndim == 1:
        np.multiply.at(keep, outcome, 1.0 - np.minimum(gain, 1.0))
    else:
        flat = keep.reshape(-1, n_outcomes)
        run = np.repeat(np.arange(flat.shape[0]), gain.shape[-1])
        np.multiply.at(flat, (run, outcome.ravel()), (1.0 - np.minimum(gain, 1.0)).ravel())
    return 1.0 - keep


def marginal_value(gain: np.ndarray, outcome: np.ndarray, n_outcomes: int) -> np.ndarray:
    """(P,) what each partnership adds that the others on its outcome do not ((R, P) over runs)."""
    total = _by_outcome(outcome_gain(gain, outcome, n_outcomes), outcome)
    g = np.minimum(gain, 1.0)
    others = np.where(g < 1.0, (1.0 - total) / np.maximum(1.0 - g, 1e-12), 0.0)
    return g * others


def worth_a_seat(
    credit: np.ndarray,
    gain: np.ndarray,
    cost_share: np.ndarray,
    seated: bool,
    params,
    risk: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Whether an agency takes (or keeps) a seat: the credit it puts on the outcome times the gain
    the partnership adds, plus the symbolic seat if already seated, less the reputational cost it
    expects from a public failure (``risk``, credit; ``mechanisms/scrutiny.py``), covers
    ``cost_weight`` times the share of its discretionary budget the seat costs. Any shapes that
    broadcast."""
    symbolic = params.symbolic_seat if seated else 0.0
    return credit * gain + symbolic - risk >= params.cost_weight * cost_share


def admin_demand(members: np.ndarray, links: np.ndarray, params: PartnershipParams):
    """(P, A) admin-months a month each member spends on each partnership: seat plus links."""
    return params.seat * members + params.consultation * links


def _by_outcome(values: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """Each partnership's row of an (O, ...) array, ``values[outcome]``; over runs, run r's
    partnerships' rows of its own (R, O, ...) block."""
    if outcome.ndim == 1:
        return values[outcome]
    return values[np.arange(outcome.shape[0])[:, None], outcome]
