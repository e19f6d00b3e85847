"""Validation family: incentives, targets and capacity (catalogue §6 facts 1, 5, 8, 14, 15).

Each fact is a paired effect over replications (the same seeds in every arm), with at least one
control row that measures the same effect with the fact's mechanism switched off (``holds`` on a
control row means the fact is gone there, the check that it *can* fail).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jusim.scenario import Scenario

if TYPE_CHECKING:  # validation.py imports this module at its end to register the family
    from jusim.analysis.validation import Effect


def _effect(*args, **kwargs) -> Effect:
    from jusim.analysis.validation import _effect

    return _effect(*args, **kwargs)


def _runs(scenario: Scenario, seeds):
    from jusim.analysis.validation import _runs

    return _runs(scenario, seeds)


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
    from jusim import load_scenario

    s = _Summaries()
    silo_s = load_scenario("silo")
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
            lambda lo, hi: hi < 0,
        ),
        _effect(
            "1",
            f"cross-cutting targets (x{CROSS_CUTTING_WEIGHT:g}) on every outcome minus silo: "
            "own-target attainment",
            [
                s(a, "own_attainment") - s(b, "own_attainment")
                for a, b in zip(shared, silo, strict=True)
            ],
            lambda lo, hi: hi < 0,
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


def with_leak(scenario: Scenario, at: int = SHOCK_AT, by: str = SHOCK_BY) -> Scenario:
    extra = {"type": "trust_shock", "by": by, "at": at}
    return scenario.with_interventions([iv.to_dict() for iv in scenario.interventions] + [extra])


def fact_trust_shock(seeds) -> list[Effect]:
    """Fact 14: a leak causes a discrete fall in trust and a switch to defensive behaviour (less
    sharing, less joint effort), with slow recovery. World: the shared-targets scenario (joint
    work worth defending); the local authority leaks in month 24; paired with no leak."""
    from jusim import load_scenario

    world = load_scenario("shared_targets")
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
            lambda lo, hi: hi < 0,
        ),
        _effect(
            "14",
            f"leak minus none: partners' contact, year after, relative (switch: < -{SWITCH:g})",
            sharing(on),
            lambda lo, hi: hi < -SWITCH,
        ),
        _effect(
            "14",
            "leak minus none: injured parties' joint effort, year after, relative",
            effort(on),
            lambda lo, hi: hi < 0,
        ),
        _effect(
            "14",
            f"leak minus none: mean trust two years on (month {SHOCK_AT + 24})",
            trust_gap(SHOCK_AT + 24),
            lambda lo, hi: hi < 0,
        ),
        _effect(
            "14",
            "control, defensive mode off: partners' contact, year after, relative",
            sharing(off),
            lambda lo, hi: lo > -SWITCH,
            control=True,
        ),
    ]


def effects(seeds) -> list[Effect]:
    """Every fact of this family, with its controls."""
    return fact_silo(seeds) + fact_trust_shock(seeds)


PATTERNS: dict[str, str] = {
    "1": "under silo, shared-outcome attainment is below own-target attainment, both outcomes "
    "against their targets; resources moved to joint work lower own attainment "
    "(002_5677c7bae92002df.txt ¶2, ¶9; 003_741bbb3ed11f1208.txt 'Better together')",
    "14": "a leak or public criticism causes a discrete fall in trust and a switch to defensive "
    "behaviour (less contact and sharing, less joint effort), with slow recovery "
    "(001_04a1019f119c8ec4.txt ¶104–105, ¶165)",
}
