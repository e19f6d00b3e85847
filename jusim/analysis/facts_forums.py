"""Validation family: who sits at which table — selective collaboration (I20), a strategic forum
(I23) and local versus central join-up (evidence-catalogue §6 fact 9).

Each claim is a paired experiment (the same replication seeds in every arm) reported as an effect
with a 95% t interval, plus a control row: the same effect with its mechanism switched off, whose
``holds`` is True when the effect goes away there.

I20, selective collaboration (003_741bbb3ed11f1208.txt "A joined-up future?": a "coalition of the
willing", "rigorous assessment of potential partnerships", "small steps"; claimed: higher success
rate, slower to scale). World: silo with agencies proposing partnerships of their own
(``proposal_rate`` 0.03 a month) whose relevance drifts away at 2% a month, over ten years (fact
12's ``formation_world``). Arms: none, and ``selective_collaboration`` with its defaults. Measures,
selective minus none: the success rate — the share of partnerships formed by month
``END - setup`` that are live and add at least ``WORTH`` (the review's default threshold for worth
keeping) at month ``END`` (above 0); the mean value added per live partnership at ``END`` (above
0); live partnerships at month ``EARLY`` and at ``END`` (slower to scale: below 0). Control: the
same intervention with its screens switched off (``screen`` 0, ``min_gain`` 0, no size limit at
the start): the higher success rate goes away. (Most of the slower scaling goes too, but not all:
partnerships formed under the intervention still offer seats once they deliver, so a few new
ones are no longer worth proposing; at 30 replications the count at month 120 falls by 0.13
[-0.26, -0.004] against 6.2 with the screens on, so that row has no control.)

I23, strategic forum (001_04a1019f119c8ec4.txt ¶148–160, ¶187–188: advocates expect relationships
and a shared agenda; critics: "clutter", "largely symbolic"). World: silo (default world, five
years). Arms: none; a ``strategic_forum`` of all ten agencies on rough sleeping; a plain delivery
``partnership`` of rough sleeping's contributors. Measures: forum minus none on partnership
overhead over the run (clutter: above 0) and on mean understanding between agencies that share an
outcome at the horizon (relationships: above 0); and, per replication, the delivery partnership's
gain in rough-sleeping attainment minus the size of the forum's change (mostly symbolic: above 0,
the forum moves the outcome less than a delivery partnership does, either way). Control: meeting
contact off (``contact.meetings`` 0): the forum no longer builds understanding.

Fact 9, local versus central (002_5677c7bae92002df.txt ¶10: joint working "much better locally",
departments "needed to work together more centrally ... particularly so where there was no
dedicated central unit"). World: silo (no central unit), five years. Measures at the horizon,
mean over pairs of local statutory partners (local authority, NHS trust, police) minus mean over
pairs of central departments: contact (joint work, meetings, relationship work), shared
understanding, and summed staff tie strength per member of staff of the smaller agency (all above
0). Nothing reads an agency's ``kind``: the gap comes from three differences in the default world
acting through contact, ties and understanding — local partners share clients (every pair shares
an outcome; two of six department pairs do), so they work jointly and start with ties; departments
answer to their own targets more (``accountability`` 0.8–0.85 against 0.7–0.75: less joint work,
002 ¶2, ¶9); and departments lose staff faster (``churn`` 0.018 against 0.010–0.012 a month: ties
and the relationships they carry are lost). Control (``placed_like_local``): central departments
given a role (0.1) in every outcome they had none in, the local authority's accountability and
churn: no gap on any of the three measures. (Equalising the shared clients alone leaves about
half the understanding gap; adding accountability leaves a gap in understanding through churn.)
Not shown: that a central unit closes the gap. Exploring it (10 replications, not part of the
suite), the ``rough_sleepers_unit`` package widens the gap (understanding +0.31 [0.28, 0.34] over
silo's gap): its pot, target and secondees draw the local bodies together, and only one
department sits on it; the ``sure_start`` unit leaves it about where it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from jusim.analysis.claims import ATTAINMENT, Origin, above, below, tenth
from jusim.analysis.facts_partnerships import formation_world
from jusim.scenario import Scenario

if TYPE_CHECKING:  # validation.py imports this module at its end to register the family
    from jusim.analysis.validation import Effect


def _effect(*args, **kwargs) -> Effect:
    from jusim.analysis.validation import _effect as effect

    return effect(*args, **kwargs)


def _check(sign: int, control: bool, sesoi=None):
    """holds: the effect is shown in direction ``sign`` (a fact row) or is not (a control); a
    fact row with a ``sesoi`` must lie beyond it."""
    if sesoi is not None and not control:
        return above(sesoi) if sign > 0 else below(sesoi)

    def holds(lo: float, hi: float) -> bool:
        shown = lo > 0 if sign > 0 else hi < 0
        return shown != control

    return holds


# -- I20: selective collaboration ---------------------------------------------------------------
SELECTIVE = {"type": "selective_collaboration"}
SCREENS_OFF = {**SELECTIVE, "screen": 0.0, "min_gain": 0.0, "first_members": 100}
WORTH = 0.02  # value added worth keeping (the review intervention's default threshold)
EARLY, END = 36, 120
SUCCESS = tenth(0.81, "share of partnerships adding >= 0.02 at month 120 without screening")
VALUE = tenth(0.053, "mean value added per partnership at month 120 without screening")
COUNT_EARLY = tenth(8.0, "live partnerships at month 36 without screening", "partnerships")
COUNT_END = tenth(21.7, "live partnerships at month 120 without screening", "partnerships")


def _formation_runs(scenario: Scenario, seeds) -> np.ndarray:
    """(replications, 4): success rate, mean value per live partnership at ``END``, live
    partnerships at ``EARLY`` and at ``END``."""
    from jusim.model import JoinedUpModel

    out = []
    for seed in seeds:
        m = JoinedUpModel(scenario, seed)
        try:
            r = m.run()
            pt = m.partnerships
            formed = pt.founded <= END - scenario.parameters.partnership.setup
            worth = pt.live & (pt.value >= WORTH)
            rate = worth[formed].mean() if formed.any() else np.nan
            count = r["partnerships"]
            out.append((rate, r["partnership_value"][END], count[EARLY], count[END]))
        finally:
            m.release()
    return np.array(out)


def selective_effects(seeds) -> list[Effect]:
    world = formation_world()
    none = _formation_runs(world, seeds)
    rows: list[Effect] = []
    for control, iv in ((False, SELECTIVE), (True, SCREENS_OFF)):
        d = _formation_runs(world.with_interventions([iv]), seeds) - none
        label = "control, screens off: " if control else ""
        rows.append(
            _effect(
                "I20",
                f"{label}selective minus none: share of partnerships adding >= {WORTH} "
                f"at month {END}",
                d[:, 0],
                _check(+1, control, SUCCESS),
                control,
            )
        )
        if not control:
            rows += [
                _effect(
                    "I20",
                    f"selective minus none: mean value added per partnership, month {END}",
                    d[:, 1],
                    _check(+1, False, VALUE),
                ),
                _effect(
                    "I20",
                    f"selective minus none: live partnerships at month {EARLY}",
                    d[:, 2],
                    _check(-1, False, COUNT_EARLY),
                ),
                _effect(
                    "I20",
                    f"selective minus none: live partnerships at month {END}",
                    d[:, 3],
                    _check(-1, False, COUNT_END),
                ),
            ]
    return rows


# -- I23: strategic forum -----------------------------------------------------------------------
AGENDA = "rough_sleeping"
FORUM = {"type": "strategic_forum", "outcome": AGENDA}
DELIVERY = {"type": "partnership", "outcome": AGENDA}
NO_MEETINGS = {"parameters.contact.meetings": 0.0}
UNDERSTANDING = tenth(0.316, "mean understanding between partners under silo")


def _forum_runs(scenario: Scenario, seeds) -> np.ndarray:
    """(replications, 3): overhead over the run, understanding at the horizon, attainment."""
    from jusim import run_batch

    k = scenario.outcome_names.index(AGENDA)
    out = []
    for r in run_batch(scenario, list(seeds)):
        out.append((r["overhead"].sum(), r["mean_understanding"][-1], r.attainment[-1, k]))
    return np.array(out)


def forum_effects(seeds) -> list[Effect]:
    from jusim.analysis.draws import base_world

    silo = base_world("silo")
    none = _forum_runs(silo, seeds)
    forum = _forum_runs(silo.with_interventions([FORUM]), seeds) - none
    delivery = _forum_runs(silo.with_interventions([DELIVERY]), seeds) - none
    quiet = silo.with_overrides(NO_MEETINGS)
    off = _forum_runs(quiet.with_interventions([FORUM]), seeds) - _forum_runs(quiet, seeds)
    return [
        _effect(
            "I23",
            "forum minus none: partnership overhead over the run (£k)",
            forum[:, 0],
            _check(+1, False),
        ),
        _effect(
            "I23",
            "forum minus none: mean understanding between partners",
            forum[:, 1],
            _check(+1, False, UNDERSTANDING),
        ),
        _effect(
            "I23",
            f"delivery partnership's gain minus the forum's |change|: {AGENDA} attainment",
            delivery[:, 2] - np.abs(forum[:, 2]),
            _check(+1, False, ATTAINMENT),
        ),
        _effect(
            "I23",
            "control, no meeting contact: forum minus none, mean understanding",
            off[:, 1],
            _check(+1, True),
            control=True,
        ),
    ]


# -- fact 9: local versus central join-up --------------------------------------------------------
CENTRAL = ("central_department",)
LOCAL = ("local_authority", "health_body", "police")  # the local statutory partners
SHARED_ROLE = 0.1  # role given to a public body in an outcome it had none in (control world)
LOCAL_LEVELS = (  # SESOIs: a tenth of the local pairs' level under silo
    tenth(0.052, "contact between local partners"),
    tenth(0.42, "understanding between local partners"),
    tenth(0.019, "tie strength per member of staff between local partners"),
)


def placed_like_local(scenario: Scenario) -> Scenario:
    """Control world: central departments share clients with each other as local partners do
    (every public body has a role in every outcome, ``SHARED_ROLE`` where it had none), answer to
    their own targets no more than the local authority does, and keep their staff as long."""
    from jusim.scenario import parse_scenario

    data = scenario.to_dict()
    local = next(a for a in data["agencies"] if a["kind"] == "local_authority")
    public = [a["name"] for a in data["agencies"] if a["kind"] in CENTRAL + LOCAL]
    for a in data["agencies"]:
        if a["kind"] in CENTRAL:
            a["accountability"], a["churn"] = local["accountability"], local["churn"]
    for out in data["outcomes"]:
        for name in public:
            out["contributors"].setdefault(name, SHARED_ROLE)
    data["name"] = f"{scenario.name}_central_placed_like_local"
    return parse_scenario(data, "<placed_like_local>")


def _join_up_gaps(scenario: Scenario, seeds) -> np.ndarray:
    """(replications, 3) local pairs minus central pairs at the horizon: contact, understanding,
    and summed staff tie strength per member of staff of the smaller agency."""
    from jusim.model import JoinedUpModel

    out = []
    for seed in seeds:
        m = JoinedUpModel(scenario, seed)
        try:
            m.run()
            kinds = np.asarray(m.world.kinds)
            staff = m.world.staff.astype(np.float64)
            ties = m.roster.agency_tie_strength() / np.maximum(np.minimum.outer(staff, staff), 1)

            def gap(x: np.ndarray, kinds=kinds) -> float:
                means = []
                for group in (LOCAL, CENTRAL):
                    g = np.isin(kinds, group)
                    pairs = np.outer(g, g) & ~np.eye(g.size, dtype=bool)
                    means.append(x[pairs].mean())
                return means[0] - means[1]

            out.append((gap(m.contact), gap(m.understanding), gap(ties)))
        finally:
            m.release()
    return np.array(out)


def local_central_effects(seeds) -> list[Effect]:
    from jusim.analysis.draws import base_world

    silo = base_world("silo")
    fact = _join_up_gaps(silo, seeds)
    off = _join_up_gaps(placed_like_local(silo), seeds)
    names = ("contact", "shared understanding", "staff tie strength per member of staff")
    rows = [
        _effect(
            "9", f"silo: local pairs minus central pairs, {n}", fact[:, k], _check(+1, False, x)
        )
        for k, (n, x) in enumerate(zip(names, LOCAL_LEVELS, strict=True))
    ]
    rows += [
        _effect(
            "9",
            f"control, central placed like local: local minus central pairs, {n}",
            off[:, k],
            _check(+1, True),
            control=True,
        )
        for k, n in enumerate(names)
    ]
    return rows


def effects(seeds) -> list[Effect]:
    return selective_effects(seeds) + forum_effects(seeds) + local_central_effects(seeds)


PATTERNS: dict[str, str] = {
    "I20": "selective, small-start collaboration (screened partners, small first steps) raises "
    "the share of partnerships that deliver and their value, and is slower to scale "
    "(003_741bbb3ed11f1208.txt 'A joined-up future?')",
    "9": "where there is no central unit, join-up between local partners exceeds join-up between "
    "central departments (002_5677c7bae92002df.txt ¶10)",
    "I23": "a strategic forum of every agency builds relationships but adds clutter (overhead) "
    "and moves outcomes less than a delivery partnership: mostly symbolic "
    "(001_04a1019f119c8ec4.txt ¶148–160, ¶187–188)",
}

ORIGINS: dict[str, Origin] = {
    "I20": Origin(
        "emergent",
        "selection.py screens on promised gain at formation (selective_collaboration.min_gain) "
        "and starts small (first_members); no rule sets the success rate or value at month "
        "120, after drift and re-joining",
    ),
    "I23": Origin(
        "assumed",
        "strategic_forum.py: seats cost as in any partnership, meetings add contact, and it "
        "delivers only strategic_forum.delivery of a delivery partnership's joint production "
        "(001 ¶156-159)",
    ),
    "9": Origin(
        "emergent",
        "nothing reads an agency's kind: the gap comes from the default world's shared clients, "
        "accountability and churn acting through contact, ties and understanding",
    ),
}
