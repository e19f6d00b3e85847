"""Validation family: partnerships as living institutions (evidence-catalogue §6 facts 7, ...).

Each fact is a paired experiment (the same replication seeds in every arm) reported as an effect
with a 95% t interval, plus a control row: the same effect with the fact's mechanism switched off,
whose ``holds`` is True when the fact goes away there.

Fact 7, partner count (002_5677c7bae92002df.txt ¶23–24; 003_741bbb3ed11f1208.txt "A joined-up
future?"; 001_04a1019f119c8ec4.txt ¶160). World: the default world with every one of its ten
agencies given a role in rough sleeping (``partner_count_world``). Arms: a shared target on rough
sleeping held by the first ``N`` agencies of ``PARTNER_ORDER`` (2 to 10), who sit on one
partnership; and the same with an accountable lead (the local authority, clout 0.8). Measures:
attainment at the peak of the mean curve minus attainment at 2 and at 10 partners (a hump has
both above zero; the peak is read off the mean curve, so the first difference carries a small
selection bias), and the peak position per replication, with minus without the lead. Control:
partnership running costs switched off (``seat``, ``consultation`` and ``agreement`` set to 0):
coordination cost no longer grows with membership, and attainment at the no-lead peak is no longer
above attainment at 10 partners.

Fact 12, sell-by date (001_04a1019f119c8ec4.txt ¶56, ¶118, ¶157, ¶186; 002 ¶24). World: silo
with agencies proposing partnerships of their own (``proposal_rate`` 0.03 a month) whose relevance
drifts away at 2% a month, over ten years (``formation_world``). Arms: no review, and a ``review``
every 24 months. Measures: without review, the number of live partnerships at month 120 minus at
month 60 (it keeps accumulating: above 0) and their mean value added (extra cases per £ that no
other partnership on the outcome provides) at 120 minus at 60 (falling: below 0); review minus
none at month 120 on the count (below 0) and on the mean value (above 0). Control: posturing off
(``symbolic_seat`` 0: members leave partnerships that are not worth their seat): the count no
longer accumulates and review no longer cuts it or raises the value.

Fact 17, formalisation (001_04a1019f119c8ec4.txt ¶137–144). Worlds: the default world with trust
between agencies starting (and settling, without contact) at 0.2 or at 0.8. Arms: a shared target
on rough sleeping for its contributors, with and without a ``formal_agreement`` among the same
members. Measures: rough-sleeping attainment at the horizon, agreement minus none, in the
low-trust world (above 0) and in the high-trust world (below 0). Control: crowding out off
(``formality.crowd_out`` and ``compliance`` 0): in the high-trust world the agreement no longer
hurts.

Fact 16, timing (000_babc907a3220f36e.txt "Making connections"; 001_04a1019f119c8ec4.txt ¶83).
World: the default world with a partnership on rough sleeping from month 0. Arms: its members
engaged at design (``early_engagement`` from month 0, during set-up) and engaged late (from month
12, after set-up). Measures, early minus late: rough-sleeping attainment at the horizon (above
0), and members' satisfaction — the experience of progress on the outcome they have come to see
(``decision.learn``) at the horizon (above 0). Control: ownership off (``partnership.ownership``
0, buy-in no longer adds to the credit members put on the outcome): early engagement no longer
raises attainment (it only costs engagement time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from jusim.analysis.claims import ATTAINMENT, Origin, Sesoi, above, below, tenth
from jusim.scenario import Scenario, parse_scenario

if TYPE_CHECKING:  # validation.py imports this module at its end to register the family
    from jusim.analysis.validation import Effect


def _effect(*args, **kwargs) -> Effect:
    from jusim.analysis.validation import _effect as effect

    return effect(*args, **kwargs)


OUTCOME = "rough_sleeping"
# the order partners join: the biggest roles in rough sleeping first, then the rest
PARTNER_ORDER = (
    "local_authority",
    "homelessness_charity",
    "nhs_trust",
    "housing_department",
    "police",
    "health_department",
    "home_office",
    "youth_charity",
    "education_department",
    "early_years_group",
)
PARTNER_ROLES = (0.2, 0.2, 0.12, 0.12, 0.08, 0.06, 0.06, 0.06, 0.05, 0.05)
SIZES = tuple(range(2, len(PARTNER_ORDER) + 1))
ONE_PARTNER = Sesoi(1.0, "one partner: the smallest change in membership a lead could make")
LEAD = "local_authority"
LEAD_CLOUT = 0.8
NO_COORDINATION_COST = {
    "parameters.partnership.seat": 0.0,
    "parameters.partnership.consultation": 0.0,
    "parameters.partnership.agreement": 0.0,
}


def partner_count_world(roles: tuple[float, ...] = PARTNER_ROLES) -> Scenario:
    """The default world with all ten agencies contributing to rough sleeping (``roles`` in the
    order of ``PARTNER_ORDER``)."""
    from jusim.analysis.draws import base_world

    data = base_world("default_world").to_dict()
    for out in data["outcomes"]:
        if out["name"] == OUTCOME:
            out["contributors"] = dict(zip(PARTNER_ORDER, roles, strict=True))
    data["name"] = "partner_count"
    return parse_scenario(data, "<partner_count_world>")


def partnership_of(world: Scenario, n: int, lead: bool) -> Scenario:
    """A shared target held by the first ``n`` partners, with or without an accountable lead."""
    members = list(PARTNER_ORDER[:n])
    ivs = [{"type": "shared_targets", "outcome": OUTCOME, "members": members}]
    if lead:
        ivs.append(
            {
                "type": "accountable_lead",
                "outcome": OUTCOME,
                "members": members,
                "lead": LEAD,
                "clout": LEAD_CLOUT,
            }
        )
    return world.with_interventions(ivs)


def _attainment(scenario: Scenario, seeds) -> np.ndarray:
    from jusim import run_batch

    k = scenario.outcome_names.index(OUTCOME)
    return np.array([r.attainment[-1, k] for r in run_batch(scenario, list(seeds))])


def size_curve(world: Scenario, seeds, lead: bool) -> np.ndarray:
    """(replications, sizes) attainment of rough sleeping at the horizon by partner count."""
    return np.column_stack([_attainment(partnership_of(world, n, lead), seeds) for n in SIZES])


def _hump(curve: np.ndarray, label: str) -> tuple[int, list[Effect]]:
    """The peak of the mean curve, and its attainment minus that at 2 and at 10 partners."""
    peak = int(np.argmax(curve.mean(axis=0)))
    rows = [
        _effect(
            "7",
            f"{label}: attainment at the peak ({SIZES[peak]} partners) minus at {SIZES[k]}",
            curve[:, peak] - curve[:, k],
            above(ATTAINMENT),
        )
        for k in (0, -1)
    ]
    return peak, rows


def partner_count_effects(
    seeds, roles: tuple[float, ...] = PARTNER_ROLES, label: str = ""
) -> list[Effect]:
    """Fact 7's rows; with a ``label`` (a second setting: other ``roles``) without the control."""
    world = partner_count_world(roles)
    none, lead = size_curve(world, seeds, False), size_curve(world, seeds, True)
    peak, rows = _hump(none, f"{label}no lead")
    rows += _hump(lead, f"{label}lead")[1]
    sizes = np.asarray(SIZES)
    rows.append(
        _effect(
            "7",
            f"{label}peak position (partners per replication), lead minus none",
            sizes[lead.argmax(axis=1)] - sizes[none.argmax(axis=1)],
            above(ONE_PARTNER),
        )
    )
    if label:
        return rows
    off = size_curve(world.with_overrides(NO_COORDINATION_COST), seeds, False)
    rows.append(
        _effect(
            "7",
            f"control, no coordination cost: attainment at {SIZES[peak]} partners minus at 10",
            off[:, peak] - off[:, -1],
            lambda lo, hi: not lo > 0,
            control=True,
        )
    )
    return rows


_CACHE: dict[tuple, list[Effect]] = {}


FORMATION = {
    "horizon": 120,
    "parameters.partnership.proposal_rate": 0.03,
    "parameters.partnership.drift": 0.02,
}
REVIEW = {"type": "review", "interval": 24}
NO_POSTURING = {"parameters.partnership.symbolic_seat": 0.0}
MID, END = 60, 120
COUNT_MID = tenth(12.3, "live partnerships at month 60 without review", "partnerships")
COUNT_END = tenth(21.7, "live partnerships at month 120 without review", "partnerships")
VALUE_MID = tenth(0.098, "mean value added per partnership at month 60")
VALUE_END = tenth(0.053, "mean value added per partnership at month 120 without review")


def formation_world(overrides: dict | None = None) -> Scenario:
    """Silo, with agencies forming partnerships of their own that go stale, over ten years."""
    from jusim.analysis.draws import base_world

    return base_world("silo").with_overrides({**FORMATION, **(overrides or {})})


def _partnership_series(scenario: Scenario, seeds) -> tuple[np.ndarray, np.ndarray]:
    """(replications, months) live partnerships and their mean value added."""
    from jusim import run_batch

    runs = run_batch(scenario, list(seeds))
    return (
        np.array([r["partnerships"] for r in runs]),
        np.array([r["partnership_value"] for r in runs]),
    )


def sell_by_effects(seeds) -> list[Effect]:
    rows: list[Effect] = []
    for control, over in ((False, {}), (True, NO_POSTURING)):
        world = formation_world(over)
        count, value = _partnership_series(world, seeds)
        r_count, r_value = _partnership_series(world.with_interventions([REVIEW]), seeds)
        label = "control, no posturing: " if control else ""

        def check(sign, control=control, sesoi=None):
            if sesoi is not None and not control:
                return above(sesoi) if sign > 0 else below(sesoi)

            def holds(lo, hi):
                shown = lo > 0 if sign > 0 else hi < 0
                return shown != control

            return holds

        rows += [
            _effect(
                "12",
                f"{label}no review: live partnerships at month {END} minus {MID}",
                count[:, END] - count[:, MID],
                check(+1, sesoi=COUNT_MID),
                control,
            ),
            _effect(
                "12",
                f"{label}review minus none: live partnerships at month {END}",
                r_count[:, END] - count[:, END],
                check(-1, sesoi=COUNT_END),
                control,
            ),
            _effect(
                "12",
                f"{label}review minus none: mean value added per partnership, month {END}",
                r_value[:, END] - value[:, END],
                check(+1, sesoi=VALUE_END),
                control,
            ),
        ]
        if not control:
            rows.insert(
                1,
                _effect(
                    "12",
                    f"no review: mean value added per partnership, month {END} minus {MID}",
                    value[:, END] - value[:, MID],
                    check(-1, sesoi=VALUE_MID),
                ),
            )
    return rows


TRUST_WORLDS = {"low": 0.2, "high": 0.8}
NO_CROWDING_OUT = {"parameters.formality.crowd_out": 0.0, "parameters.formality.compliance": 0.0}


def trust_world(level: float, overrides: dict | None = None) -> Scenario:
    """The default world with trust starting, and settling without contact, at ``level``."""
    from jusim.analysis.draws import base_world

    over = {"parameters.trust.initial": level, "parameters.trust.baseline": level}
    return base_world("default_world").with_overrides({**over, **(overrides or {})})


def _agreement_effect(world: Scenario, seeds) -> np.ndarray:
    target = {"type": "shared_targets", "outcome": OUTCOME}
    formal = {"type": "formal_agreement", "outcome": OUTCOME}
    plain = _attainment(world.with_interventions([target]), seeds)
    return _attainment(world.with_interventions([target, formal]), seeds) - plain


def formalisation_effects(seeds) -> list[Effect]:
    low = _agreement_effect(trust_world(TRUST_WORLDS["low"]), seeds)
    high = _agreement_effect(trust_world(TRUST_WORLDS["high"]), seeds)
    off = _agreement_effect(trust_world(TRUST_WORLDS["high"], NO_CROWDING_OUT), seeds)
    return [
        _effect(
            "17",
            f"low trust ({TRUST_WORLDS['low']}): agreement minus none, {OUTCOME} attainment",
            low,
            above(ATTAINMENT),
        ),
        _effect(
            "17",
            f"high trust ({TRUST_WORLDS['high']}): agreement minus none, {OUTCOME} attainment",
            high,
            below(ATTAINMENT),
        ),
        _effect(
            "17",
            "control, no crowding out: high trust, agreement minus none, attainment",
            off,
            lambda lo, hi: not hi < 0,
            control=True,
        ),
    ]


ENGAGED_LATE = 12  # months: after the partnership's set-up
SATISFACTION = tenth(0.0175, "members' satisfaction (experience) when engaged late")
NO_OWNERSHIP = {"parameters.partnership.ownership": 0.0}


def _engagement_runs(world: Scenario, start: int, seeds) -> np.ndarray:
    """(replications, 2) attainment of rough sleeping and members' satisfaction at the horizon."""
    from jusim.model import JoinedUpModel

    s = world.with_interventions(
        [
            {"type": "partnership", "outcome": OUTCOME},
            {"type": "early_engagement", "outcome": OUTCOME, "start": start},
        ]
    )
    out = []
    for seed in seeds:
        m = JoinedUpModel(s, seed)
        try:
            r = m.run()
            o = m.world.outcome_index[OUTCOME]
            out.append((r.attainment[-1, o], m.experience[o, m.world.involved[o]].mean()))
        finally:
            m.release()
    return np.array(out)


def timing_effects(seeds) -> list[Effect]:
    from jusim.analysis.draws import base_world

    world = base_world("default_world")
    early = _engagement_runs(world, 0, seeds)
    late = _engagement_runs(world, ENGAGED_LATE, seeds)
    off = world.with_overrides(NO_OWNERSHIP)
    off_diff = _engagement_runs(off, 0, seeds) - _engagement_runs(off, ENGAGED_LATE, seeds)
    return [
        _effect(
            "16",
            f"engaged at design minus at month {ENGAGED_LATE}: {OUTCOME} attainment",
            early[:, 0] - late[:, 0],
            above(ATTAINMENT),
        ),
        _effect(
            "16",
            f"engaged at design minus at month {ENGAGED_LATE}: members' satisfaction",
            early[:, 1] - late[:, 1],
            above(SATISFACTION),
        ),
        _effect(
            "16",
            "control, no ownership: engaged early minus late, attainment",
            off_diff[:, 0],
            lambda lo, hi: not lo > 0,
            control=True,
        ),
    ]


def effects(seeds) -> list[Effect]:
    """Every fact of the family. Runs are deterministic in the seeds, so a repeated call with
    the same seeds in one process (the suite's own test and ``validate``) reuses the result."""
    from jusim.analysis.draws import state_key

    key = (
        tuple((getattr(s, "entropy", s), tuple(getattr(s, "spawn_key", ()))) for s in seeds),
        state_key(),
    )
    if key not in _CACHE:
        _CACHE[key] = (
            partner_count_effects(seeds)
            + sell_by_effects(seeds)
            + formalisation_effects(seeds)
            + timing_effects(seeds)
        )
    return list(_CACHE[key])


PATTERNS: dict[str, str] = {
    "7": "outcome against number of partners is hump-shaped because coordination cost grows "
    "with membership, and a lead with clout moves the peak to more partners "
    "(002_5677c7bae92002df.txt ¶23–24; 003 'A joined-up future?'; 001 ¶160)",
    "12": "without periodic review partnerships accumulate ('clutter') and their average value "
    "falls; review and wind-up cut the count and raise the average value "
    "(001_04a1019f119c8ec4.txt ¶56, ¶118, ¶157, ¶186; 002 ¶24)",
    "17": "formal agreements help where relationships are weak and hurt where informal trust is "
    "already high (001_04a1019f119c8ec4.txt ¶137–144)",
    "16": "partners engaged early have higher buy-in, work harder and are more satisfied than "
    "those engaged late (000 'Making connections'; 001_04a1019f119c8ec4.txt ¶83)",
}

ORIGINS: dict[str, Origin] = {
    "7": Origin(
        "emergent",
        "no rule names a peak: partnering.py's coordination links grow as n - 1 per member while "
        "coverage 1 - exp(-reach x roles) saturates; the peak is where they cross, and a lead's "
        "clout trades links for one link to it",
    ),
    "12": Origin(
        "emergent",
        "no rule sets the number of partnerships: proposals, joining and posturing "
        "(partnering.py worth_a_seat, partnership.symbolic_seat) accumulate them; their falling "
        "value follows partnership.drift, and review winds up by rule",
    ),
    "17": Origin(
        "assumed",
        "formality.py: an agreement adds formality.contact between members and erodes trust only "
        "above formality.assured (crowd_out): helping weak and hurting strong relationships is "
        "the rule's two arms, from 001 ¶137-144",
    ),
    "16": Origin(
        "assumed",
        "early_engagement.py: members engaged during set-up get buy_in, late ones "
        "partnership.late_share of it, and buy-in adds partnership.ownership x buy-in to their "
        "credit (000 'Making connections')",
    ),
}
