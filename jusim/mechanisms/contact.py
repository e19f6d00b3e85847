"""Contact between agencies: joint work, partnership meetings and relationship work.

Evidence: face-to-face contact is the most effective way to form a tie
(000_babc907a3220f36e.txt "Making connections"); keeping partners up to date and visible maintains
ties (000 "Staying connected"); behaviours and meeting "frequently but not too frequently" drive
dialogue and trust (001_04a1019f119c8ec4.txt ¶68–70).

Contact intensity ``C[a, b]`` (0 = none, about 1 = daily joint work) is the sum of
- joint work: for each outcome, the geometric mean of the shares of discretionary resources a and b
  put into it, scaled by ``joint_work``;
- partnership meetings: ``meetings`` for every partnership both belong to;
- relationship work: a's share spent on relationships, spread over partners a shares outcomes with;
- postings: ``posting`` for each member of staff of one agency working in the other.

| parameter | unit | default | bounds | meaning |
|---|---|---|---|---|
| joint_work | contact per unit share | 3.0 | 0–20 | contact created by joint work on one outcome |
| meetings | contact per partnership | 0.15 | 0–2 | contact created by sitting on one partnership |
| relationship_work | contact per unit share | 2.0 | 0–20 | contact created by networking and keeping in touch |
| posting | contact per secondee | 0.05 | 0–5 | contact between home and host created by each secondee |
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from pydantic import Field

from jusim.params import Params


class ContactParams(Params):
    joint_work: float = Field(3.0, ge=0, le=20, description="contact per unit joint-work share")
    meetings: float = Field(0.15, ge=0, le=2, description="contact per shared partnership")
    relationship_work: float = Field(
        2.0, ge=0, le=20, description="contact per unit relationship-work share"
    )
    posting: float = Field(0.05, ge=0, le=5, description="contact per secondee between agencies")


def contact_intensity(
    joint_share: np.ndarray,
    relationship_share: np.ndarray,
    involved: np.ndarray,
    membership: np.ndarray,
    postings: np.ndarray,
    params: ContactParams,
) -> np.ndarray:
    """Symmetric (A, A) contact matrix with a zero diagonal.

    joint_share: (O, A) share of each agency's discretionary resources on each outcome.
    relationship_share: (A,) share spent on relationship work.
    involved: (O, A) bool, agency has a role in the outcome.
    membership: (P, A) bool, members of each live partnership (one row per partnership).
    postings: (A, A) staff of agency a (row) working in agency b (column).
    Every array may carry leading run axes (R, ...); the result is then (R, A, A).
    """
    m = membership.astype(np.float64)
    return from_seats(
        joint_share, relationship_share, involved, m.swapaxes(-1, -2) @ m, postings, params
    )


def from_seats(
    joint_share: np.ndarray,
    relationship_share: np.ndarray,
    involved: np.ndarray,
    seats: np.ndarray,
    postings: np.ndarray,
    params: ContactParams,
) -> np.ndarray:
    """``contact_intensity`` given ``seats`` (A, A) = ``membership.T @ membership``, the
    partnerships each pair sits on together (so that runs with different numbers of partnerships
    can be stacked along a run axis)."""
    root = np.sqrt(joint_share)
    c = params.joint_work * (root.swapaxes(-1, -2) @ root)
    c += params.meetings * seats
    rel = params.relationship_work * relationship_share[..., :, None] * remembered(involved, _reach)
    c += rel + rel.swapaxes(-1, -2) + params.posting * (postings + postings.swapaxes(-1, -2))
    diagonal(c)[...] = 0.0
    return c


def diagonal(x: np.ndarray) -> np.ndarray:
    """A writable view of the diagonal of each (A, A) matrix of ``x`` (..., A, A): a strided
    view of a C-contiguous array (a fresh result of arithmetic), else ``einsum``'s (any layout;
    about twice the cost, and a run alone writes a diagonal four times a month)."""
    if x.flags.c_contiguous:
        n = x.shape[-1]
        return x.reshape(*x.shape[:-2], n * n)[..., :: n + 1]
    return np.einsum("...ii->...i", x)


def shared_outcomes(involved: np.ndarray) -> np.ndarray:
    """(..., A, A) number of outcomes each pair of agencies has a role in (the diagonal: each
    agency's own), from the (..., O, A) ``involved``; read-only (``remembered``)."""
    return remembered(involved, _shared_outcomes)


def _shared_outcomes(involved: np.ndarray) -> np.ndarray:
    inv = involved.astype(np.float64)
    return inv.swapaxes(-1, -2) @ inv


def _reach(involved: np.ndarray) -> np.ndarray:
    """(..., A, A) each partner's share of an agency's relationship work: spread evenly over
    the outcomes it shares with each (zero diagonal)."""
    overlap = shared_outcomes(involved).copy()
    diagonal(overlap)[...] = 0.0  # (of every run)
    return overlap / np.maximum(overlap.sum(axis=-1, keepdims=True), 1.0)


_REMEMBERED: dict[tuple[Any, ...], Any] = {}


def remembered(involved: np.ndarray, make: Callable[[np.ndarray], Any]) -> Any:
    """``make(involved)``, computed once for each content of ``involved`` (a world's roles, or
    the runs' side by side, which do not change during a run: each month's call is then a
    look-up instead of a product of matrices). Keyed by the array's bytes, so an equal array
    gives the same (read-only) result and a changed one a new result; a few are kept."""
    key = (make, involved.shape, involved.dtype.str, involved.tobytes())
    hit = _REMEMBERED.get(key)
    if hit is None:
        if len(_REMEMBERED) >= 32:  # (a long sweep over many worlds: start afresh)
            _REMEMBERED.clear()
        hit = make(involved)
        for x in hit if isinstance(hit, tuple) else (hit,):
            x.flags.writeable = False
        _REMEMBERED[key] = hit
    return hit
