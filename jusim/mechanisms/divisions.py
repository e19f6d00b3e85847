"""Divisions: an agency's staff sit in divisions that differ in openness toward partners.

Evidence: partners report "variations in relationships with Divisions and individuals": more
openness among staff, but "not ... universal", with "'old style'" closed behaviour alongside
(001_04a1019f119c8ec4.txt ¶77); some officials contribute to meetings and others do not
(001 ¶102–103); such inconsistency damages trust and respect (¶77). "An overall strategic
commitment to partnership within an organisation was felt to help limit inconsistencies", but
many partners were unaware of it (¶81) — so a commitment reaches only part of the organisation.

An agency with ``divisions`` k > 1 splits its staff (in roster order) into k divisions of near-equal
size, with openness spread evenly around the agency's own: ``openness + division_spread *
linspace(-1, 1, k)`` (clipped to [0, 1]). Openness acts on people: each member of staff refers
contacts (``ties.form_by_referral``) at their own division's openness, so partners build stronger
relationships with open divisions than with closed ones; and each person keeps in touch with
their contacts (``ties.maintain``) at their division's openness relative to the agency's, so ties
to closed divisions lapse sooner. A partner's experience of one agency
depends on which division it deals with. A corporate commitment (``Rules.alignment``, set by
``corporate_commitment``) moves each division's openness part of the way toward the agency's own
level: ``o_d + alignment * (openness - o_d)``. With one division (the default), staff act at the
agency's openness, exactly as without divisions.

No parameters of its own: ``divisions`` and ``division_spread`` are agency attributes in the
scenario (assumptions: the sources give no numbers of divisions or the size of the differences).
"""

from __future__ import annotations

import numpy as np

from jusim import kernels
from jusim.staff import cell, rows, run_of


def assign(staff: np.ndarray, divisions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(division of each member of staff (N,), agency of each division (D,)).

    Staff are in home-agency order (``StaffRoster.from_counts``); an agency's k divisions are
    numbered consecutively and take near-equal contiguous blocks of its staff.
    """
    divisions = np.maximum(np.asarray(divisions, dtype=np.int64), 1)
    first = np.concatenate([[0], np.cumsum(divisions)[:-1]])
    home = np.repeat(np.arange(staff.size), staff)
    rank = np.arange(home.size) - np.repeat(np.cumsum(staff) - staff, staff)
    local = (rank * divisions[home]) // np.maximum(staff[home], 1)
    return first[home] + local, np.repeat(np.arange(staff.size), divisions)


def base_openness(openness: np.ndarray, divisions: np.ndarray, spread: np.ndarray) -> np.ndarray:
    """(D,) openness of each division, spread evenly around its agency's openness."""
    parts = [
        np.full(1, o) if k <= 1 else o + s * np.linspace(-1.0, 1.0, int(k))
        for o, k, s in zip(openness, divisions, spread, strict=True)
    ]
    return np.clip(np.concatenate(parts), 0.0, 1.0)


def openness(
    base: np.ndarray,
    agency_openness: np.ndarray,
    division_agency: np.ndarray,
    alignment: np.ndarray,
) -> np.ndarray:
    """(D,) this month's division openness: a commitment pulls divisions toward the agency's."""
    return _pulled(base, agency_openness[division_agency], alignment[division_agency])


def _pulled(base, agency_openness, pull):
    """A division's openness pulled the share ``pull`` of the way to its agency's."""
    return base + pull * (agency_openness - base)


def staff_openness(
    agency_now: np.ndarray,
    agency_base: np.ndarray,
    base: np.ndarray,
    division_agency: np.ndarray,
    alignment: np.ndarray,
    division: np.ndarray,
    home: np.ndarray,
    staff_off: np.ndarray | None = None,
    division_off: np.ndarray | None = None,
) -> np.ndarray:
    """(N,) each person's openness this month: the agency's current openness (``agency_now``,
    which defensiveness may lower) plus their division's offset from the agency's usual level
    (``agency_base``), narrowed by any commitment; exactly the agency's without divisions.

    R runs at once: the agency arrays are (R, A); divisions (``base``, ``division_agency``) and
    staff (``division``, ``home``) are concatenated run after run, indices each run's own, with
    ``division_off`` and ``staff_off`` (R + 1,) where each run's begin."""
    return openness_and_keeping(
        agency_now,
        agency_base,
        base,
        division_agency,
        alignment,
        division,
        home,
        staff_off,
        division_off,
    )[0]


def openness_and_keeping(
    agency_now: np.ndarray,
    agency_base: np.ndarray,
    base: np.ndarray,
    division_agency: np.ndarray,
    alignment: np.ndarray,
    division: np.ndarray,
    home: np.ndarray,
    staff_off: np.ndarray | None = None,
    division_off: np.ndarray | None = None,
    out: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(N,) ``staff_openness`` and (N,) ``keeping_in_touch`` of it relative to the agency's
    current openness, in one pass over the staff (written into ``out``, two (N,) arrays, if
    given: a batch reuses the same memory month after month)."""
    if staff_off is None or division_off is None:
        staff_off, division_off = np.array([0, home.size]), np.array([0, base.size])
    n = staff_off.size - 1
    own, keep = (np.empty(home.size), np.empty(home.size)) if out is None else out
    kernels.pick("openness_and_keeping", _openness_and_keeping)(
        staff_off,
        home,
        division,
        division_off,
        division_agency,
        base,
        rows(agency_now, n),
        rows(agency_base, n),
        rows(alignment, n),
        own,
        keep,
    )
    return own, keep


def _openness_and_keeping(
    staff_off, home, division, division_off, division_agency, base, now, usual, alignment, own, keep
):
    """``own`` = clip(now[r, home] + offset[division], 0, 1) for each person of each run r, where
    a division's offset is its ``openness`` less its agency's usual openness; ``keep`` = ``own``
    over ``now[r, home]`` (1 where that is 0)."""
    d_run = run_of(division_off)
    u = usual[d_run, division_agency]
    offset = _pulled(base, u, alignment[d_run, division_agency]) - u
    width = now.shape[1]
    at_home = cell(staff_off, home, width)  # (run, home agency) of each member of staff
    agency = now.ravel()[at_home]
    np.clip(agency + offset[division_off[at_home // width] + division], 0.0, 1.0, out=own)
    keep[...] = _keeping_in_touch(own, agency)


def keeping_in_touch(staff_openness: np.ndarray, agency_openness: np.ndarray) -> np.ndarray:
    """(N,) each person's chance of keeping in touch relative to their agency's norm: their
    division's openness over the agency's (1 for everyone in an agency without divisions)."""
    own = np.asarray(staff_openness, np.float64)
    return _keeping_in_touch(own, np.asarray(agency_openness, np.float64))


def _keeping_in_touch(own, agency):
    some = agency > 0
    return np.where(some, own / np.where(some, agency, 1.0), 1.0)


def tie_quality(
    home: np.ndarray,
    division: np.ndarray,
    tie_i: np.ndarray,
    tie_j: np.ndarray,
    tie_w: np.ndarray,
    n_agencies: int,
    n_divisions: int,
) -> np.ndarray:
    """(A, D) mean strength of the ties between agency a's staff and division d's staff: how well
    kept a partner's relationships with that division are (NaN where they have no ties)."""
    a, d = n_agencies, n_divisions
    keys = (home[tie_i] * d + division[tie_j], home[tie_j] * d + division[tie_i])
    strength = sum(np.bincount(k, weights=tie_w, minlength=a * d) for k in keys)
    count = sum(np.bincount(k, minlength=a * d) for k in keys)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (strength / count).reshape(a, d)
