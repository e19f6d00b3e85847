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
from jusim.staff import Rosters, offsets


def postings(runs: Runs) -> np.ndarray:
    """(R, A, A) staff of each home agency working in each other agency, for every run."""
    a, n = runs.world.n_agencies, runs.n
    rosters = Rosters.of([s.roster for s in runs.states])
    posted = rosters.post != rosters.home
    if not posted.any():
        return np.zeros((n, a, a), np.int64)
    cell = (rosters.staff_run * a + rosters.home) * a + rosters.post
    return np.bincount(cell[posted], minlength=n * a * a).reshape(n, a, a)


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


def staff_ties(runs: Runs, contact: np.ndarray, openness: np.ndarray) -> np.ndarray:
    """Tie formation (merged once at the end of the batch), maintenance and relationship, for all
    runs at once: ``contact`` (R, A, A) and agencies' ``openness`` (R, A) this month; returns
    (and stores) the (R, A, A) relationship strength."""
    p, rngs = runs.params.ties, runs.streams("ties")
    rosters = Rosters.of([s.roster for s in runs.states])
    base, agency, division, division_off, at_home, usual = _divisions(runs, rosters)
    own_open = divisions.staff_openness(
        openness,
        usual,
        base,
        agency,
        runs.stack_rules("alignment"),
        division,
        rosters.home,
        rosters.staff_off,
        division_off,
    )
    with rosters.batch():  # referral acts on last month's ties; new ones merge at the end
        ties.form_by_contact(rosters, contact, p, rngs)
        ties.form_by_posting(rosters, p, rngs)
        ties.form_by_referral(rosters, openness, p, rngs, own_open)
    keep = divisions.keeping_in_touch(own_open, openness.reshape(-1)[at_home])
    ties.maintain(rosters, contact, p, rngs, keep)
    rosters.scatter()
    relationship = ties.relationship_strength(rosters, p)
    runs.put("relationship", relationship)
    return relationship


def _divisions(runs: Runs, rosters: Rosters) -> tuple[np.ndarray, ...]:
    """The runs' divisions side by side (fixed from month 0, so gathered once per ``Rosters``):
    base openness, agency and offsets of the divisions, each person's division, each person's
    (run, home agency) as an index into (R, A) arrays, and agencies' usual openness."""
    if "divisions" not in rosters.cache:
        states = runs.states
        rosters.cache["divisions"] = (
            np.concatenate([s.division_base for s in states]),
            np.concatenate([s.division_agency for s in states]),
            np.concatenate([s.division for s in states]),
            offsets([s.division_base.size for s in states]),
            rosters.staff_run * runs.world.n_agencies + rosters.home,
            runs.stack_world("openness"),
        )
    return rosters.cache["divisions"]  # type: ignore[return-value]


def run_one(s: State, f: Flows, posts: np.ndarray) -> None:
    w, p, r = s.world, s.params, s.rules
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
    posts = postings(runs)
    for (s, f), p in zip(runs, posts, strict=True):
        s.contact = month_contact(s, f, p)
    staff_ties(runs, runs.stack("contact"), runs.stack_flow("openness"))
    for (s, f), p in zip(runs, posts, strict=True):
        run_one(s, f, p)
