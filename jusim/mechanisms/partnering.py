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

A partnership delivers nothing until it has been set up (``setup`` months: forming, bidding for
funds, employing staff, premises; 002 Annex "set realistic timescales"). Its delivered gain is
``integration * coverage * efficiency`` (a share, below ``integration``); several partnerships on
one outcome overlap: the outcome's gain is ``1 - prod(1 - gain_p)``, and capacity to resolve cases
is multiplied by ``1 + gain``. The hump of outcome against partner count is not written anywhere:
it is what these two mechanisms, the decision rule and the money ledger produce together.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| integration | share | 0.5 | 0–1 | extra cases per £ when a partnership integrates all the clients' needs at full efficiency |
| reach | per unit role share | 2.5 | 0–50 | how fast needs covered saturate as role weight is added |
| seat | admin-months / month | 1.0 | 0–10 | administration per seat (the overhead module prices it) |
| consultation | admin-months / month / link | 0.1 | 0–10 | administration per consultation link |
| agreement | per link at capacity 1 | 0.15 | 0–10 | slowing of decisions per consultation link |
| setup | months | 6 | 0–120 | months from formation before a partnership delivers |
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


def consultation_links(members: np.ndarray, lead: np.ndarray, clout: np.ndarray) -> np.ndarray:
    """(P, A) consultation links each member keeps in each partnership.

    members: (P, A) bool; lead: (P,) agency index or -1; clout: (P,) in [0, 1].
    Without a lead every member consults the ``n - 1`` others; a lead with clout ``c`` replaces a
    share ``c`` of each other member's links by a single link to the lead.
    """
    m = members.astype(np.float64)
    n = m.sum(axis=1, keepdims=True)
    others = np.maximum(n - 1.0, 0.0)
    c = np.where(lead >= 0, clout, 0.0)[:, None]
    links = np.where(n > 1, (1.0 - c) * others + c, 0.0) * m
    has = lead >= 0
    rows = np.flatnonzero(has)
    links[rows, lead[rows]] = others[rows, 0] * m[rows, lead[rows]]
    return links


def needs_covered(members: np.ndarray, outcome: np.ndarray, roles: np.ndarray, reach: float):
    """(P,) share of clients' needs the members' roles cover together, saturating in role weight."""
    w = roles / np.maximum(roles.sum(axis=1, keepdims=True), 1e-12)
    covered = (members * w[outcome]).sum(axis=1)
    return 1.0 - np.exp(-reach * covered)


def agreement_efficiency(
    links: np.ndarray,
    members: np.ndarray,
    admin_capacity: np.ndarray,
    aims: np.ndarray,
    agreement: float,
) -> np.ndarray:
    """(P,) efficiency of decisions: ``1 / (1 + agreement * (1 - aims) * load)`` with ``load`` the
    members' mean consultation links over their administrative capacity."""
    n = np.maximum(members.sum(axis=1), 1)
    load = (links / admin_capacity[None, :]).sum(axis=1) / n
    return 1.0 / (1.0 + agreement * (1.0 - aims) * load)


def delivered_gain(
    coverage: np.ndarray,
    efficiency: np.ndarray,
    delivering: np.ndarray,
    params: PartnershipParams,
) -> np.ndarray:
    """(P,) each partnership's gain in cases per £ (a share), zero until it delivers."""
    return np.where(delivering, params.integration * coverage * efficiency, 0.0)


def outcome_gain(gain: np.ndarray, outcome: np.ndarray, n_outcomes: int) -> np.ndarray:
    """(O,) combined gain of overlapping partnerships on each outcome: ``1 - prod(1 - g)``."""
    keep = np.ones(n_outcomes)
    np.multiply.at(keep, outcome, 1.0 - np.minimum(gain, 1.0))
    return 1.0 - keep


def admin_demand(members: np.ndarray, links: np.ndarray, params: PartnershipParams):
    """(P, A) admin-months a month each member spends on each partnership: seat plus links."""
    return params.seat * members + params.consultation * links
