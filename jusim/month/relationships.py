"""Phase 6, relationships: contact, staff ties, trust and understanding (7.5-7.9, 7.16-7.18).

Contact intensity from this month's joint work, meetings, relationship work and postings, joint
training, defensive withholding and agreements' obligations (``mechanisms/contact.py``); tie
formation by contact, posting and referral, merged once (referral acts on last month's ties), then
maintenance and decay with divisions' openness (``mechanisms/ties.py``, ``divisions.py``);
relationship strength; trust learnt from effort and contact, leaks and defensiveness
(``mechanisms/trust.py``, ``defensive.py``), crowded out by agreements (``formality.py``);
understanding; adoption of a unit's ways of working (``mechanisms/mainstreaming.py``).
"""

from __future__ import annotations

import numpy as np

from jusim.mechanisms import (
    contact,
    defensive,
    divisions,
    formality,
    mainstreaming,
    ties,
    trust,
    understanding,
)
from jusim.month.runs import Runs
from jusim.month.state import Flows, State


def postings(s: State) -> np.ndarray:
    """(A, A) staff of each home agency working in each other agency."""
    roster, a = s.roster, s.world.n_agencies
    posted = roster.post != roster.home
    if not posted.any():
        return np.zeros((a, a), np.int64)
    return np.bincount(roster.home[posted] * a + roster.post[posted], minlength=a**2).reshape(a, a)


def month_contact(s: State, f: Flows, posts: np.ndarray) -> np.ndarray:
    """(A, A) contact intensity this month."""
    w, p, pt, disc = s.world, s.params, s.partnerships, f.disc
    safe = np.where(disc > 0, disc, 1.0)
    f.effort = np.where(disc > 0, (f.joint + f.pooled + f.focused) / safe, 0.0)
    staff_share = np.where(disc > 0, (f.joint + f.focused) / safe, 0.0)
    c = contact.contact_intensity(
        staff_share,
        np.where(disc > 0, f.rel / safe, 0.0),
        w.involved,
        pt.members[pt.live] * s.participation[None, :],
        posts,
        p.contact,
    )
    c = c + s.rules.training  # joint training (interventions/joint_training)
    c = defensive.sharing(c, s.defence, p.defensive)
    if f.formal is not None:  # a written agreement obliges members to meet and consult
        c = c + formality.obliged_contact(f.formal, p.formality)
    return c


def staff_ties(s: State, f: Flows) -> None:
    """Tie formation (merged once at the end of the batch), maintenance and relationship."""
    w, p, roster, rng, openness = s.world, s.params, s.roster, s.streams["ties"], f.openness
    with roster.batch():  # referral acts on last month's ties; new ones merge at the end
        ties.form_by_contact(roster, s.contact, p.ties, rng)
        ties.form_by_posting(roster, p.ties, rng)
        own_open = divisions.staff_openness(
            openness,
            w.openness,
            s.division_base,
            s.division_agency,
            s.rules.alignment,
            s.division,
            roster.home,
        )
        ties.form_by_referral(roster, openness, p.ties, rng, own_open)
    keep = divisions.keeping_in_touch(own_open, openness[roster.home])
    ties.maintain(roster, s.contact, p.ties, rng, keep)
    s.relationship = ties.relationship_strength(roster, p.ties)


def run_one(s: State, f: Flows) -> None:
    w, p, r = s.world, s.params, s.rules
    posts = postings(s)
    s.contact = month_contact(s, f, posts)
    staff_ties(s, f)
    learned = trust.learn_trust(
        s.trust, f.effort, w.involved, s.contact, s.relationship, p.trust, s.streams["trust"]
    )
    leaks = np.maximum(trust.draw_leaks(w.n_agencies, p.trust, s.streams["trust"]), r.leak)
    s.trust = trust.apply_leaks(learned, leaks)
    s.defence = defensive.update(s.defence, leaks, w.involved, p.defensive)
    if f.formal is not None:  # informal trust above what the agreement secures erodes
        s.trust = formality.crowd_out(s.trust, f.formal, p.formality)
    s.understanding = understanding.update_understanding(
        s.understanding, s.contact, s.relationship, p.understanding
    )
    s.mainstreamed = mainstreaming.adopt(
        s.mainstreamed, r.practice, r.succession, s.contact, posts, s.hazard, p.mainstreaming
    )


def run(runs: Runs) -> None:
    runs.each(run_one)
