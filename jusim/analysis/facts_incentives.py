"""Validation family: incentives, targets and capacity (catalogue §6 facts 1, 5, 8, 14, 15; I11, I24).

Each fact is a paired effect over replications (the same seeds in every arm), with at least one
control row that measures the same effect with the fact's mechanism switched off (``holds`` on a
control row means the fact is gone there, the check that it *can* fail).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jusim.analysis.claims import ATTAINMENT, RELATIVE, Origin, Sesoi, above, below, tenth
from jusim.scenario import Scenario

if TYPE_CHECKING:  # validation.py imports this module at its end to register the family
    from jusim.analysis.validation import Effect


def _effect(*args, **kwargs) -> Effect:
    from jusim.analysis.validation import _effect

    return _effect(*args, **kwargs)


_MEMO: dict[tuple, list] = {}  # runs shared between this family's facts, cleared by effects()


def _runs(scenario: Scenario, seeds):
    from jusim.analysis.validation import _runs, _seed_key

    key = (scenario.model_dump_json(), tuple(_seed_key(s) for s in seeds))
    if key not in _MEMO:
        _MEMO[key] = _runs(scenario, seeds)
    return _MEMO[key]


# Weight of a cross-cutting target on every outcome in fact 1's control: the value an agency
# sees in an outcome is its credit times its relative role, its reliance on partners and
# (1 - risk) (decision.py), so a shared target must weigh two to three own targets to compete;
# since youth offending and early years carry grounded costs and client take-up (facts_clients),
# about five.
CROSS_CUTTING_WEIGHT = 5.0


def every_outcome_shared(scenario: Scenario, weight: float = CROSS_CUTTING_WEIGHT) -> Scenario:
    """The scenario with a cross-cutting target on every outcome, shared by all contributors."""
    extra = [
        {"type": "shared_targets", "outcome": o, "weight": weight} for o in scenario.outcome_names
    ]
    return scenario.with_interventions([iv.to_dict() for iv in scenario.interventions] + extra)


NO_DEPARTMENTAL_CREDIT = {
    "parameters.accountability.own_weight": 0.0,
    "parameters.accountability.gap_weight": 0.0,
}


class _Summaries:
    """Each run's horizon summary, computed once."""

    def __init__(self) -> None:
        self._cache: dict[int, dict[str, float]] = {}

    def __call__(self, r, key: str) -> float:
        if id(r) not in self._cache:
            self._cache[id(r)] = r.summary()
        return self._cache[id(r)][key]


def fact_silo(seeds) -> list[Effect]:
    """Fact 1: under silo, shared-outcome attainment is below own-target attainment (outcome
    against outcome: need against target vs own output against own target)."""
    from jusim.analysis.draws import base_world

    s = _Summaries()
    silo_s = base_world("silo")
    silo = _runs(silo_s, seeds)
    shared = _runs(every_outcome_shared(silo_s), seeds)
    no_credit = _runs(silo_s.with_overrides(NO_DEPARTMENTAL_CREDIT), seeds)

    def gap(runs):
        return [s(r, "shared_attainment") - s(r, "own_attainment") for r in runs]

    return [
        _effect(
            "1",
            "silo: shared-outcome minus own-target attainment",
            gap(silo),
            below(ATTAINMENT),
        ),
        _effect(
            "1",
            f"cross-cutting targets (x{CROSS_CUTTING_WEIGHT:g}) on every outcome minus silo: "
            "own-target attainment",
            [
                s(a, "own_attainment") - s(b, "own_attainment")
                for a, b in zip(shared, silo, strict=True)
            ],
            below(ATTAINMENT),
        ),
        _effect(
            "1",
            f"control, cross-cutting targets (x{CROSS_CUTTING_WEIGHT:g}) on every outcome: "
            "shared minus own attainment",
            gap(shared),
            lambda lo, hi: hi >= 0,
            control=True,
        ),
        _effect(
            "1",
            "control, no departmental credit: shared minus own attainment",
            gap(no_credit),
            lambda lo, hi: hi >= 0,
            control=True,
        ),
    ]


SHOCK_AT = 24  # month of the leak in fact 14
SHOCK_BY = "local_authority"
SWITCH = 0.10  # a "switch" to defensive behaviour: contact with partners falls by over a tenth
SWITCHED = Sesoi(
    SWITCH, "a switch to defensive behaviour: contact falls by over a tenth (002 Fig 5)"
)
TRUST = tenth(0.47, "mean trust before the leak (shared-targets world, month 25)")


def with_leak(scenario: Scenario, at: int = SHOCK_AT, by: str = SHOCK_BY) -> Scenario:
    extra = {"type": "trust_shock", "by": by, "at": at}
    return scenario.with_interventions([iv.to_dict() for iv in scenario.interventions] + [extra])


def fact_trust_shock(seeds) -> list[Effect]:
    """Fact 14: a leak causes a discrete fall in trust and a switch to defensive behaviour (less
    sharing, less joint effort), with slow recovery. World: the shared-targets scenario (joint
    work worth defending); the local authority leaks in month 24; paired with no leak."""
    from jusim.analysis.draws import base_world

    world = base_world("shared_targets")
    calm, leak = _runs(world, seeds), _runs(with_leak(world), seeds)
    off_s = world.with_overrides({"parameters.defensive.jump": 0.0})
    calm_off, leak_off = _runs(off_s, seeds), _runs(with_leak(off_s), seeds)
    after = slice(SHOCK_AT + 1, SHOCK_AT + 13)  # the year after the leak
    k = calm[0].agencies.index(SHOCK_BY)
    injured = [i for i in range(len(calm[0].agencies)) if i != k]

    def trust_gap(month):
        return [
            b["mean_trust"][month] - a["mean_trust"][month] for a, b in zip(calm, leak, strict=True)
        ]

    def sharing(pairs):
        return [
            b["mean_contact"][after].mean() / a["mean_contact"][after].mean() - 1 for a, b in pairs
        ]

    def effort(pairs):
        return [
            b["joint_share"][after][:, injured].mean() / a["joint_share"][after][:, injured].mean()
            - 1
            for a, b in pairs
        ]

    on, off = list(zip(calm, leak, strict=True)), list(zip(calm_off, leak_off, strict=True))
    return [
        _effect(
            "14",
            f"leak minus none: mean trust, month {SHOCK_AT + 1}",
            trust_gap(SHOCK_AT + 1),
            below(TRUST),
        ),
        _effect(
            "14",
            f"leak minus none: partners' contact, year after, relative (switch: < -{SWITCH:g})",
            sharing(on),
            below(SWITCHED),
        ),
        _effect(
            "14",
            "leak minus none: injured parties' joint effort, year after, relative",
            effort(on),
            below(RELATIVE),
        ),
        _effect(
            "14",
            f"leak minus none: mean trust two years on (month {SHOCK_AT + 24})",
            trust_gap(SHOCK_AT + 24),
            below(TRUST),
        ),
        _effect(
            "14",
            "control, defensive mode off: partners' contact, year after, relative",
            sharing(off),
            lambda lo, hi: lo > -SWITCH,
            control=True,
        ),
    ]


NARROW_AGENCY = "education_department"  # schools judged on league tables (002 ¶16)
LANDS_IN = "youth_offending"  # where its exclusions land (the scenario's spillover channel)
LANDED = tenth(5970, "youth-offending need at the horizon under silo (cases)", "cases")
SHIFTED = tenth(658, "cost the narrow target shifts over the run (£k)", "£k")


def added(scenario: Scenario, *interventions: dict) -> Scenario:
    return scenario.with_interventions(
        [iv.to_dict() for iv in scenario.interventions] + list(interventions)
    )


def fact_cost_shifting(seeds) -> list[Effect]:
    """Fact 15: a narrow single-agency target raises the agency's measured attainment and shifts
    cases and costs onto others; a joint target on the outcome the cases land in, or a pooled
    budget for it, reduces the shifting. Control: with no spillover channel there is nowhere to
    push cases, and the narrow target shifts nothing."""
    from jusim.analysis.draws import base_world

    silo_s = base_world("silo")
    narrow = {"type": "narrow_target", "agency": NARROW_AGENCY}
    joint = {"type": "shared_targets", "outcome": LANDS_IN, "members": [NARROW_AGENCY]}
    pooled = {"type": "pooled_budget", "outcome": LANDS_IN, "share": 0.1}
    closed = silo_s.model_copy(update={"spillovers": []})
    arms = {
        "silo": silo_s,
        "narrow": added(silo_s, narrow),
        "narrow+joint": added(silo_s, narrow, joint),
        "narrow+pooled": added(silo_s, narrow, pooled),
        "closed": closed,
        "closed+narrow": added(closed, narrow),
    }
    runs = {k: _runs(v, seeds) for k, v in arms.items()}
    first = runs["silo"][0]
    a, o = first.agencies.index(NARROW_AGENCY), first.outcomes.index(LANDS_IN)

    def diff(arm, base, f):
        return [f(x) - f(y) for x, y in zip(runs[arm], runs[base], strict=True)]

    def own(r):
        return r["own_attainment"][-1, a]

    def need(r):
        return r["need"][-1, o]

    def shifted(r):  # £k charged to other agencies' budgets over the run
        return r["shifted_cost"].sum()

    return [
        _effect(
            "15",
            f"narrow target minus silo: {NARROW_AGENCY} measured own attainment",
            diff("narrow", "silo", own),
            above(ATTAINMENT),
        ),
        _effect(
            "15",
            f"narrow target minus silo: {LANDS_IN} need at the horizon (cases)",
            diff("narrow", "silo", need),
            above(LANDED),
        ),
        _effect(
            "15",
            f"joint target on {LANDS_IN} with the narrow one, minus narrow alone: cost shifted",
            diff("narrow+joint", "narrow", shifted),
            below(SHIFTED),
        ),
        _effect(
            "15",
            f"pooled budget for {LANDS_IN} with the narrow target, minus narrow alone: cost shifted",
            diff("narrow+pooled", "narrow", shifted),
            below(SHIFTED),
        ),
        _effect(
            "15",
            f"control, no spillover channel: narrow minus none, {LANDS_IN} need (cases)",
            diff("closed+narrow", "closed", need),
            lambda lo, hi: not lo > 0,
            control=True,
        ),
    ]


SMALL = "homelessness_charity"  # a small partner: 22 staff, admin capacity 0.3
PARTICIPATION = tenth(0.61, "the charity's participation with one seat")


def more_seats(scenario: Scenario, agency: str = SMALL) -> Scenario:
    """``agency`` also takes a seat for the voluntary sector on the other two outcomes'
    partnerships (cross-cutting targets), as representative bodies are invited to (001 ¶106)."""
    extra = []
    for out in scenario.outcomes:
        if agency not in out.contributors:
            members = [*out.contributors, agency]
            extra.append({"type": "shared_targets", "outcome": out.name, "members": members})
    return added(scenario, *extra)


def fact_overload(seeds) -> list[Effect]:
    """Fact 8: as a small partner's partnership seats grow from one to three, its participation
    and its core-service output fall, because demand exceeds its administrative capacity;
    capacity building and streamlined reporting soften it. Control: the same partner with ample
    capacity does not ration."""
    from jusim.analysis.draws import base_world

    one = base_world("pooled_budget")  # one seat: the rough-sleeping pot
    ample = one.with_overrides({f"agencies.{SMALL}.admin_capacity": 10.0})
    three = more_seats(one)
    arms = {
        "one": one,
        "three": three,
        "ample one": ample,
        "ample three": more_seats(ample),
        "built": added(three, {"type": "capacity_building", "agencies": [SMALL]}),
        "streamlined": added(three, {"type": "streamlined_reporting"}),
    }
    runs = {k: _runs(v, seeds) for k, v in arms.items()}
    c = runs["one"][0].agencies.index(SMALL)

    def diff(arm, base, f):
        return [f(x) - f(y) for x, y in zip(runs[arm], runs[base], strict=True)]

    def part(r):
        return r["participation"][1:, c].mean()

    def core(r):
        return r["own_attainment"][-1, c]

    overload = [
        a - b
        for a, b in zip(
            diff("three", "one", core), diff("ample three", "ample one", core), strict=True
        )
    ]
    return [
        _effect(
            "8",
            f"three seats minus one: {SMALL} participation",
            diff("three", "one", part),
            below(PARTICIPATION),
        ),
        _effect(
            "8",
            f"three seats minus one: {SMALL} core output (own attainment)",
            diff("three", "one", core),
            below(ATTAINMENT),
        ),
        _effect(
            "8",
            "the same, minus the fall with ample capacity (the overload part)",
            overload,
            lambda lo, hi: hi < 0,
        ),
        _effect(
            "8",
            "three seats, capacity building minus none: participation",
            diff("built", "three", part),
            above(PARTICIPATION),
        ),
        _effect(
            "8",
            "three seats, capacity building minus none: core output",
            diff("built", "three", core),
            lambda lo, hi: lo > 0,
        ),
        _effect(
            "8",
            "three seats, streamlined reporting minus none: participation",
            diff("streamlined", "three", part),
            above(PARTICIPATION),
        ),
        _effect(
            "8",
            f"control, ample capacity: three seats minus one, {SMALL} participation",
            diff("ample three", "ample one", part),
            lambda lo, hi: not hi < 0,
            control=True,
        ),
    ]


ATTRIBUTION_OUTCOME = "rough_sleeping"
INVESTOR = "housing_department"  # the department that would lead the investment
# Credit the outcome would carry as a cross-cutting target (x1, the weight of a PSA). The investor
# is credited ``share`` of it; the rest of the benefit accrues to other departments (health, the
# police, the local authority) and is credited to nobody (003 "Better together").
CREDITED = (1.0, 0.5, 0.25)
YEARS_3 = 36  # months over which investment is measured (runs stop there)
INVESTED = tenth(0.021, "the investor's joint share at full credit, months 1-36")
JOINT = tenth(0.027, "contributors' joint share under silo, months 1-36")


def credited(scenario: Scenario, share: float, weight: float = 1.0) -> Scenario:
    """The investor judged on ``share`` of the outcome's credit (a target on it at that weight)."""
    return added(
        scenario,
        {
            "type": "shared_targets",
            "outcome": ATTRIBUTION_OUTCOME,
            "members": [INVESTOR],
            "weight": share * weight,
        },
    )


def fact_attribution(seeds) -> list[Effect]:
    """Fact 5: when benefits accrue to other departments and credit is not shared, collaborative
    investment falls: the investor's joint investment falls with the share of the benefit
    credited to it; shared credit (a cross-cutting target for every contributor) raises the
    contributors' investment. Control: with no accountability pressure, credit earns nothing, and
    neither the dilution nor the shared target moves investment."""
    from jusim.analysis.draws import base_world

    silo_s = base_world("silo").with_overrides({"horizon": YEARS_3})  # months 1-36 measured
    shared = {"type": "shared_targets", "outcome": ATTRIBUTION_OUTCOME}
    nobody = silo_s.with_overrides(
        {f"agencies.{a}.accountability": 0.0 for a in silo_s.agency_names}
    )
    full, half, quarter = CREDITED
    arms = {
        "silo": silo_s,
        "shared": added(silo_s, shared),
        "nobody": nobody,
        "nobody+shared": added(nobody, shared),
        "full": credited(silo_s, full),
        "half": credited(silo_s, half),
        "quarter": credited(silo_s, quarter),
        "nobody+full": credited(nobody, full),
        "nobody+quarter": credited(nobody, quarter),
    }
    runs = {k: _runs(v, seeds) for k, v in arms.items()}
    first = runs["silo"][0]
    o = first.outcomes.index(ATTRIBUTION_OUTCOME)
    w = arms["silo"].outcomes[o].contributors
    cols = [first.agencies.index(n) for n in w]
    inv = first.agencies.index(INVESTOR)  # it works on this outcome only: its joint share is it

    def invest(r, who=cols):  # share of discretionary budget on joint work, months 1-36
        return r["joint_share"][1:37, who].mean()

    def diff(arm, base, who=cols):
        return [invest(x, who) - invest(y, who) for x, y in zip(runs[arm], runs[base], strict=True)]

    return [
        _effect(
            "5",
            f"{INVESTOR} credited {half:g} of the outcome minus {full:g}: its joint share",
            diff("half", "full", inv),
            below(INVESTED),
        ),
        _effect(
            "5",
            f"{INVESTOR} credited {quarter:g} of the outcome minus {half:g}: its joint share",
            diff("quarter", "half", inv),
            below(INVESTED),
        ),
        _effect(
            "5",
            f"shared credit (every contributor) minus {INVESTOR} credited {quarter:g}: "
            "contributors' joint share",
            diff("shared", "quarter"),
            above(JOINT),
        ),
        _effect(
            "5",
            "shared target minus silo: contributors' joint share",
            diff("shared", "silo"),
            above(JOINT),
        ),
        _effect(
            "5",
            f"control, no accountability pressure: credited {quarter:g} minus {full:g}, "
            f"{INVESTOR}'s joint share",
            diff("nobody+quarter", "nobody+full", inv),
            lambda lo, hi: not hi < 0,
            control=True,
        ),
        _effect(
            "5",
            "control, no accountability pressure: shared target minus none, joint share",
            diff("nobody+shared", "nobody"),
            lambda lo, hi: not lo > 0,
            control=True,
        ),
    ]


def reward_grant(seeds) -> list[Effect]:
    """I11: Kent's Performance Reward Grant (£26m and spending freedom if the county's agencies
    together met shared targets) raised the commitment of all of them (002 ¶24). Silo world, a
    `reward_grant` on rough sleeping (defaults: £26m, review at month 36) minus none: the
    contributors' joint share before the review. Control: with no accountability pressure the
    promised grant earns no credit, and commitment does not rise."""
    from jusim.analysis.draws import base_world

    silo_s = base_world("silo").with_overrides({"horizon": YEARS_3})
    nobody = silo_s.with_overrides(
        {f"agencies.{a}.accountability": 0.0 for a in silo_s.agency_names}
    )
    grant = {"type": "reward_grant", "outcome": ATTRIBUTION_OUTCOME}
    first_s = silo_s.outcomes[silo_s.outcome_names.index(ATTRIBUTION_OUTCOME)]
    cols = [silo_s.agency_names.index(n) for n in first_s.contributors]

    def diff(base: Scenario) -> list[float]:
        a, b = _runs(base, seeds), _runs(added(base, grant), seeds)
        return [
            float(y["joint_share"][1:, cols].mean() - x["joint_share"][1:, cols].mean())
            for x, y in zip(a, b, strict=True)
        ]

    return [
        _effect(
            "I11",
            f"reward grant minus none: contributors' joint share, months 1-{YEARS_3}",
            diff(silo_s),
            above(JOINT),
        ),
        _effect(
            "I11",
            "control, no accountability pressure: reward grant minus none, joint share",
            diff(nobody),
            lambda lo, hi: not lo > 0,
            control=True,
        ),
    ]


FEEDBACK_MONTHS = 24  # the first two years, while partners are still learning what works
FAILING = tenth(0.052, "contributors' joint share, shared-targets world, months 1-24")
SUCCEEDING = tenth(0.163, "contributors' joint share, unit package, months 1-24")


def performance_feedback(seeds) -> list[Effect]:
    """I24: regular measured feedback speeds course correction and learning (002 ¶15, ¶23,
    Annex; 004 Ch2 §2). Partners' experience follows the progress they see faster, so joint work
    is cut sooner where it is failing (the shared-targets world: rough sleeping far off its
    pace) and raised sooner where it succeeds (the rough-sleepers-unit package). Control: with
    no learning from progress (`decision.learning_rate = 0`) feedback changes nothing."""
    from jusim.analysis.draws import base_world

    short = {"horizon": FEEDBACK_MONTHS}
    failing = base_world("shared_targets").with_overrides(short)
    succeeding = base_world("rough_sleepers_unit").with_overrides(short)
    still = failing.with_overrides({"parameters.decision.learning_rate": 0.0})
    feedback = {"type": "performance_feedback", "outcome": ATTRIBUTION_OUTCOME}
    o = failing.outcome_names.index(ATTRIBUTION_OUTCOME)
    cols = [failing.agency_names.index(n) for n in failing.outcomes[o].contributors]

    def diff(base: Scenario) -> list[float]:
        a, b = _runs(base, seeds), _runs(added(base, feedback), seeds)
        return [
            float(y["joint_share"][1:, cols].mean() - x["joint_share"][1:, cols].mean())
            for x, y in zip(a, b, strict=True)
        ]

    months = f"months 1-{FEEDBACK_MONTHS}"
    return [
        _effect(
            "I24",
            f"failing joint work (shared targets): feedback minus none, joint share, {months}",
            diff(failing),
            below(FAILING),
        ),
        _effect(
            "I24",
            f"succeeding joint work (unit package): feedback minus none, joint share, {months}",
            diff(succeeding),
            above(SUCCEEDING),
        ),
        _effect(
            "I24",
            "control, no learning from progress: failing joint work, feedback minus none",
            diff(still),
            lambda lo, hi: not hi < 0,
            control=True,
        ),
    ]


def effects(seeds) -> list[Effect]:
    """Every fact of this family, with its controls."""
    try:
        return (
            fact_silo(seeds)
            + fact_trust_shock(seeds)
            + fact_cost_shifting(seeds)
            + fact_overload(seeds)
            + fact_attribution(seeds)
            + reward_grant(seeds)
            + performance_feedback(seeds)
        )
    finally:
        _MEMO.clear()


PATTERNS: dict[str, str] = {
    "1": "under silo, shared-outcome attainment is below own-target attainment, both outcomes "
    "against their targets; resources moved to joint work lower own attainment "
    "(002_5677c7bae92002df.txt ¶2, ¶9; 003_741bbb3ed11f1208.txt 'Better together')",
    "14": "a leak or public criticism causes a discrete fall in trust and a switch to defensive "
    "behaviour (less contact and sharing, less joint effort), with slow recovery "
    "(001_04a1019f119c8ec4.txt ¶104–105, ¶165)",
    "15": "a narrow single-agency target raises the agency's measured attainment and shifts "
    "cases and costs onto other agencies; joint targets and pooled budgets reduce it "
    "(002_5677c7bae92002df.txt ¶16)",
    "5": "when benefits accrue to other departments and credit is not shared, collaborative "
    "investment falls: an investor's joint investment falls with the share of the benefit "
    "credited to it; shared targets or shared credit raise it "
    "(003_741bbb3ed11f1208.txt 'Better together'; 002_5677c7bae92002df.txt ¶10)",
    "I11": "a performance reward grant for meeting shared targets (Kent: £26m plus spending "
    "freedom) raises the commitment of all the agencies (002_5677c7bae92002df.txt ¶24)",
    "I24": "regular measured feedback speeds course correction and learning: joint work that is "
    "failing is cut sooner, joint work that succeeds is raised sooner "
    "(002_5677c7bae92002df.txt ¶15, ¶23, Annex; 004_405daa82f731071c.txt Ch2 §2)",
    "8": "as partnerships multiply, a small partner's participation and core-service output "
    "fall because demand exceeds its administrative capacity; capacity building and "
    "streamlined reporting soften it (001_04a1019f119c8ec4.txt ¶106–107, ¶141; "
    "002_5677c7bae92002df.txt ¶22)",
}

ORIGINS: dict[str, Origin] = {
    "1": Origin(
        "assumed",
        "own_targets.py: an agency's own target is what its core budget buys at month 0 "
        "(agencies' own_target), so own attainment sits near 1 by construction, against the RSU's "
        "two-thirds cut; decision.py credits own business (accountability.own_weight)",
    ),
    "14": Origin(
        "assumed",
        "trust.py: a leak multiplies partners' trust in the leaker by 1 - trust.shock_size (x0.7); "
        "defensive.py: contact and joint effort fall by sharing_cut, effort_cut x defensiveness "
        "(jump 0.6, recovery 0.04 a month; 001 ¶104-105)",
    ),
    "15": Origin(
        "assumed",
        "spillover.py: a narrow target relabels pushed-out cases as own attainment and moves them "
        "to the channel's outcome; joint targets and pools raise the stake term (pressure x "
        "shared target + spillover.pool_weight), which is what removes the shifting (002 ¶16)",
    ),
    "8": Origin(
        "assumed",
        "capacity.py: demand beyond admin capacity lowers participation and draws "
        "capacity.stretch of the excess from core output (001 ¶106-107)",
    ),
    "5": Origin(
        "assumed",
        "decision.py: the value an agency sees in an outcome is its credit x role; crediting it "
        "a share of the target scales that credit (003 'Better together')",
    ),
    "I11": Origin(
        "assumed",
        "reward_grant.py: the grant makes the outcome a shared target of its members "
        "(reward_grant.weight): credit by rule (002 ¶24)",
    ),
    "I24": Origin(
        "assumed",
        "performance_feedback.py: members' experience follows observed progress 1 + boost times "
        "as fast (002 ¶15, ¶23)",
    ),
}
