"""Phase 6, relationships: contact, staff ties, trust and understanding (7.5-7.9, 7.16-7.18).

Contact intensity from this month's joint work, meetings, relationship work and postings, joint
training, defensive withholding and agreements' obligations (``mechanisms/contact.py``); tie
formation by contact, posting and referral, merged once (referral acts on last month's ties), then
maintenance and decay with divisions' openness (``mechanisms/ties.py``, ``divisions.py``);
relationship strength; trust learnt from effort and contact, leaks and defensiveness
(``mechanisms/trust.py``, ``defensive.py``), crowded out by agreements (``formality.py``);
understanding; adoption of a unit's ways of working (``mechanisms/mainstreaming.py``).

Over the run axis (``jusim/month/runs.py``): every mechanism is called once for all runs on
(R, ...) arrays, the staff ties on the runs' rosters side by side (``staff.Rosters``), the
partnerships' seats on the runs' partnerships side by side (``partnership.Board``); the random
draws (trust noise, leaks, ties) come run by run from each run's own generator, in the order a run
alone draws them.
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
from jusim.partnership import Board
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


def month_contact(
    runs: Runs,
    posts: np.ndarray,
    involved: np.ndarray,
    defence: np.ndarray,
    formal: tuple[np.ndarray, np.ndarray] | None,
) -> tuple[np.ndarray, np.ndarray]:
    """(R, A, A) contact intensity this month of every run, and (R, O, A) effort (the share of
    discretionary budget on joint work, also set as each run's ``effort``)."""
    p = runs.params
    disc = runs.stack_flow("disc")  # (R, A)
    joint, focused = runs.stack_flow("joint"), runs.stack_flow("focused")
    spends = disc > 0
    per = spends[..., None, :]
    safe = np.where(spends, disc, 1.0)
    per_safe = safe[..., None, :]
    effort = np.where(per, (joint + runs.stack_flow("pooled") + focused) / per_safe, 0.0)
    runs.put_flow("effort", effort)
    c = contact.from_seats(
        np.where(per, (joint + focused) / per_safe, 0.0),
        np.where(spends, runs.stack_flow("rel") / safe, 0.0),
        involved,
        _seats(runs),
        posts,
        p.contact,
    )
    c = c + runs.stack_rules("training")  # joint training (interventions/joint_training)
    c = defensive.sharing(c, defence, p.defensive)
    if formal is not None:  # a written agreement obliges members to meet and consult
        bound, pairs = formal
        c = np.where(bound, c + formality.obliged_contact(pairs, p.formality), c)
    return c, effort


def _seats(runs: Runs) -> np.ndarray:
    """(R, A, A) ``m.T @ m`` of each run's live partnerships' members weighted by participation
    (``contact.from_seats``): zeros when no run has formed a partnership; one stacked product
    when the runs have the same partnerships live (the common case: runs of one scenario), else
    one product per run."""
    board = Board([s.partnerships for s in runs.states])
    a = runs.world.n_agencies
    if board.empty:  # (the product over no partnerships)
        return np.zeros((runs.n, a, a))
    members, live = board.block("members"), board.block("live")
    if all(size == board.n for size in board.sizes) and (live == live[0]).all():
        part = runs.stack("participation")
        return _gram(members[:, live[0]] * part[:, None, :])
    return _gather(
        [_gram(s.partnerships.members[s.partnerships.live] * s.participation) for s in runs.states]
    )


def _gram(m: np.ndarray) -> np.ndarray:
    """``m.T @ m`` over the last two axes, as ``contact.contact_intensity`` computes it."""
    m = m.astype(np.float64)
    return m.swapaxes(-1, -2) @ m


def _formal(runs: Runs) -> tuple[np.ndarray, np.ndarray] | None:
    """Which runs have a written agreement ((R, 1, 1) bool) and their (R, A, A) formal pairs (zero
    where none), or None when no run has one."""
    if all(f.formal is None for f in runs.flows):
        return None
    bound = np.array([f.formal is not None for f in runs.flows])
    a = runs.world.n_agencies
    pairs = _gather([np.zeros((a, a)) if f.formal is None else f.formal for f in runs.flows])
    return bound[:, None, None], pairs


def _gather(values: list[np.ndarray]) -> np.ndarray:
    """Arrays of one shape, one per run, stacked along a leading run axis."""
    return values[0][None] if len(values) == 1 else np.array(values)


def staff_ties(runs: Runs, contact: np.ndarray, openness: np.ndarray) -> np.ndarray:
    """Tie formation (merged once at the end of the batch), maintenance and relationship, for all
    runs at once: ``contact`` (R, A, A) and agencies' ``openness`` (R, A) this month; returns
    (and stores) the (R, A, A) relationship strength."""
    p, rngs = runs.params.ties, runs.streams("ties")
    rosters = Rosters.of([s.roster for s in runs.states])
    base, agency, division, division_off, usual = _divisions(runs, rosters)
    n = rosters.home.size  # each person's openness and keeping in touch, in the same memory
    own_open, keep = divisions.openness_and_keeping(
        openness,
        usual,
        base,
        agency,
        runs.stack_rules("alignment"),
        division,
        rosters.home,
        rosters.staff_off,
        division_off,
        out=(rosters.scratch("own_openness", n), rosters.scratch("keeping_in_touch", n)),
    )
    with rosters.batch():  # referral acts on last month's ties; new ones merge at the end
        ties.form_by_contact(rosters, contact, p, rngs)
        ties.form_by_posting(rosters, p, rngs)
        ties.form_by_referral(rosters, openness, p, rngs, own_open)
    summed = ties.maintain(rosters, contact, p, rngs, keep)
    rosters.scatter()
    relationship = ties.relationship_strength(rosters, p, summed)
    runs.put("relationship", relationship)
    return relationship


def _divisions(runs: Runs, rosters: Rosters) -> tuple[np.ndarray, ...]:
    """The runs' divisions side by side (fixed from month 0, so gathered once per ``Rosters``):
    base openness, agency and offsets of the divisions, each person's division, and agencies'
    usual openness."""
    if "divisions" not in rosters.cache:
        states = runs.states
        rosters.cache["divisions"] = (
            np.concatenate([s.division_base for s in states]),
            np.concatenate([s.division_agency for s in states]),
            np.concatenate([s.division for s in states]),
            offsets([s.division_base.size for s in states]),
            runs.stack_world("openness"),
        )
    return rosters.cache["divisions"]  # type: ignore[return-value]


def run(runs: Runs) -> None:
    p = runs.params
    posts = postings(runs)
    involved, defence = runs.stack_world("involved"), runs.stack("defence")
    formal = _formal(runs)
    c, effort = month_contact(runs, posts, involved, defence, formal)
    runs.put("contact", c)
    relationship = staff_ties(runs, c, runs.stack_flow("openness"))
    streams = runs.streams("trust")  # each run's normals, then its uniforms
    learned = trust.learn_trust(
        runs.stack("trust"), effort, involved, c, relationship, p.trust, streams
    )
    leaks = np.maximum(
        trust.draw_leaks(runs.world.n_agencies, p.trust, streams), runs.stack_rules("leak")
    )
    new_trust = trust.apply_leaks(learned, leaks)
    runs.put("defence", defensive.update(defence, leaks, involved, p.defensive))
    if formal is not None:  # informal trust above what the agreement secures erodes
        bound, pairs = formal
        new_trust = np.where(bound, formality.crowd_out(new_trust, pairs, p.formality), new_trust)
    runs.put("trust", new_trust)
    runs.put(
        "understanding",
        understanding.update_understanding(
            runs.stack("understanding"), c, relationship, p.understanding
        ),
    )
    runs.put(
        "mainstreamed",
        mainstreaming.adopt(
            runs.stack("mainstreamed"),
            runs.stack_rules("practice"),
            runs.stack_rules("succession"),
            c,
            posts,
            runs.stack("hazard"),
            p.mainstreaming,
        ),
    )
