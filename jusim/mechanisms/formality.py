"""Formality: what a written agreement (compact, concordat, memorandum) does to a partnership.

Evidence: formal agreements bring "significant benefits": they improve existing relationships,
help "forge new relations with Departments and Divisions that are not a normal point of contact",
and address inconsistencies of approach (001_04a1019f119c8ec4.txt ¶137–138: the STUC Memorandum of
Understanding "helped us build effective links to other Departments for the first time"); but
"formalising relationships which are currently informal but productive could destroy trust and
jeopardise current terms of engagement", agreements become tick-box exercises and cut partners'
autonomy (001 ¶143–144; evidence-catalogue M15); partners may lack the capacity to honour their
side (001 ¶141). Success depends on the quality of a partnership, not its form (001 ¶42, ¶78).

Two mechanisms, acting on the members of every live formal partnership:

- **New links.** The agreement obliges its members to meet and consult: contact between every pair
  of members rises by ``contact`` (so ties form where there were none and understanding grows);
- **Crowding out.** Where a member's trust in another exceeds what the agreement itself secures
  (``assured``), the agreement erodes it toward that level by ``crowd_out`` of the excess a month
  (informal trust replaced by contract); and every member spends ``compliance`` admin-months a
  month on tick-box reporting (drawn from ``Rules.admin_demand`` and paid as overhead).

Whether an agreement helps or hurts is not written anywhere: it follows from where trust starts.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| contact | contact per member pair | 0.3 | 0–5 | extra contact the agreement's obligations create between members |
| assured | 0–1 | 0.5 | 0–1 | trust an agreement secures by itself |
| crowd_out | share / month | 0.05 | 0–1 | erosion of trust above the assured level, per month |
| compliance | admin-months / month | 0.3 | 0–10 | tick-box reporting per member |
"""

from __future__ import annotations

import numpy as np
from pydantic import Field

from jusim.mechanisms.contact import diagonal
from jusim.params import Params


class FormalityParams(Params):
    contact: float = Field(
        0.3,
        ge=0,
        le=5,
        description="extra contact between each pair of members of a formal partnership "
        "(obligations to meet and consult; 001 ¶137–138; assumption 0.1–1)",
    )
    assured: float = Field(
        0.5,
        ge=0,
        le=1,
        description="trust a written agreement secures by itself; trust above it is crowded out "
        "(001 ¶143; assumption 0.3–0.7)",
    )
    crowd_out: float = Field(
        0.05,
        ge=0,
        le=1,
        description="monthly erosion of members' trust above the assured level (001 ¶143–144; "
        "assumption 0–0.2; 0 switches crowding out off)",
    )
    compliance: float = Field(
        0.3,
        ge=0,
        le=10,
        description="admin-months a month each member spends on tick-box reporting "
        "(001 ¶141, ¶143; assumption 0.1–1)",
    )


def formal_pairs(members: np.ndarray, formal: np.ndarray) -> np.ndarray:
    """(A, A) number of live formal partnerships each pair of agencies both sit on."""
    m = (members & formal[:, None]).astype(np.float64)
    pairs = m.T @ m
    np.fill_diagonal(pairs, 0.0)
    return pairs


def obliged_contact(pairs: np.ndarray, params: FormalityParams) -> np.ndarray:
    """(A, A) extra contact the agreements oblige."""
    return params.contact * pairs


def crowd_out(trust: np.ndarray, pairs: np.ndarray, params: FormalityParams) -> np.ndarray:
    """Trust after one month of formality: above ``assured``, eroded toward it between members
    (trust and pairs may carry leading run axes)."""
    excess = np.maximum(trust - params.assured, 0.0)
    out = trust - np.where(pairs > 0, params.crowd_out * excess, 0.0)
    diagonal(out)[...] = 1.0  # (of every run)
    return out


def compliance_demand(members: np.ndarray, formal: np.ndarray, params: FormalityParams):
    """(P, A) admin-months of tick-box reporting in each formal partnership ((R, P, A) over runs)."""
    return params.compliance * (members & formal[..., None])
