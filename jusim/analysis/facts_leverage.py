"""Validation family: money as leverage (fact 10), mainstreaming (13), divisions (4).

Each fact is a paired experiment (the same seeds in every arm) with 95% intervals, and a control
row that measures the same effect with the fact's mechanism switched off (``holds`` there means the
fact is gone). Nothing here or in the model writes the pattern in.

Fact 10, money as leverage (evidence-catalogue §6.10; 002_5677c7bae92002df.txt ¶9): a central unit
for rough sleeping whose members (housing department, homelessness charity, police) pool 10% of
their discretionary budgets. In one arm its pot also funds the local authority and the NHS trust
by grants; in the other it does not. The unit's influence on a partner is what the partner does on
rough sleeping with the unit minus what it does in the silo baseline, averaged over months 13–60:
its *priority* (share of its own free discretionary budget it chooses to spend on the outcome, the
RSU's complaint in ¶9) and its *work* (all input in its role, from its own budget and the pot).
The fact: influence on partners the unit does not fund is less than half that on partners it
funds (per replication, the ratio unfunded/funded, pooled over the two partners). Control: the
funding mechanism off (``funding.untied_share = 1``: the pot pays every role; ``grant_conditions =
0``: grants carry no terms; ``mainstreaming.credit = 0``: the unit's methods, which funded partners
practise and adopt, change no behaviour) — then the ratio is above one half.

Fact 13, sustainability (§6.13; 002 ¶14, ¶24): the rough-sleepers-unit package wound up at month
36, horizon 72. The unit's gain is its rough-sleeping attainment minus silo's; the share of the
gain at wind-up that is lost 36 months later measures the decay. The fact: the gain decays (share
lost above 0) and decays more slowly where partners have mainstreamed the unit's methods — with a
``succession`` plan over its last two years, minus without, the share lost is below 0. Control:
mainstreamed practice switched off (``mainstreaming.credit = 0`` and ``methods = 0``: adopted
methods change neither priorities nor how services are integrated) — then the plan does not slow
the decay (interval not below 0).

Fact 4, intra-organisational variance (§6.4; 001_04a1019f119c8ec4.txt ¶77, ¶81): in the
rough-sleepers-unit world the seven departments and public bodies have 4 divisions each, with
openness spread ±0.3 around the agency's. A partner's experience of a division is the mean
strength of its staff's ties with that division's staff at the horizon; its spread is the SD over
the divisions of one agency, averaged over partner-agency pairs that share an outcome, minus the
same SD over random groups of the same sizes (what chance alone gives; the groups are drawn from
a generator seeded by the replication). The fact: that excess spread is above 0; a
``corporate_commitment`` by each of the seven lowers it (paired difference below 0) but does not
remove it (still above 0). Control: divisions alike in openness (spread 0) — no excess spread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from jusim.analysis.claims import Origin, Sesoi, above, below, tenth
from jusim.scenario import Scenario

if TYPE_CHECKING:  # validation imports this module to register it
    from jusim.analysis.validation import Effect

OUTCOME = "rough_sleeping"
UNIT_MEMBERS = ["housing_department", "homelessness_charity", "police"]
PARTNERS = ["local_authority", "nhs_trust"]  # the partners 002 ¶9 names
MARKEDLY = 0.5  # "markedly weaker": less than half the influence on a funded partner
WEAKER = Sesoi(1 - MARKEDLY, "markedly weaker: less than half the influence (002 ¶9)")
# the channels by which funding sways a partner: the pot's money, the grant's terms, and the
# unit's ways of working that a funded partner practises and adopts (mainstreaming credit)
FUNDING_OFF = {
    "parameters.funding.untied_share": 1.0,
    "parameters.funding.grant_conditions": 0.0,
    "parameters.mainstreaming.credit": 0.0,
}


def _unit(base: Scenario, grants: list[str]) -> Scenario:
    unit = {
        "type": "central_unit",
        "unit": "rough_sleepers_unit",
        "outcome": OUTCOME,
        "pooled_share": 0.1,
        "members": UNIT_MEMBERS,
        "grants": grants,
    }
    return base.with_interventions([unit])


def _partner_track(scenario: Scenario, seed, partners: list[str], first: int = 12):
    """Mean (priority, work) of each partner on the outcome over months ``first``+1..horizon."""
    from jusim.model import JoinedUpModel

    m = JoinedUpModel(scenario, seed)
    o = m.world.outcome_index[OUTCOME]
    idx = [m.world.agency_index[p] for p in partners]
    priority, work = [], []
    for t in range(scenario.horizon):
        m.step()
        if t >= first:
            priority.append(m.shares[idx, o + 1])
            work.append(m.inputs[o, idx])
    m.release()
    return np.mean(priority, axis=0), np.mean(work, axis=0)


def _influence_ratios(base: Scenario, seeds) -> tuple[np.ndarray, np.ndarray]:
    """Per replication: influence on unfunded over influence on funded partners (priority, work)."""
    silo, unfunded, funded = (
        [_partner_track(s, seed, PARTNERS) for seed in seeds]
        for s in (base, _unit(base, []), _unit(base, PARTNERS))
    )
    out = []
    for k in (0, 1):  # priority, work
        u = np.array([r[k].sum() - b[k].sum() for r, b in zip(unfunded, silo, strict=True)])
        f = np.array([r[k].sum() - b[k].sum() for r, b in zip(funded, silo, strict=True)])
        out.append(u / np.where(f > 0, f, np.nan))
    return out[0], out[1]


def leverage_effects(seeds) -> list[Effect]:
    from jusim.analysis.draws import base_world
    from jusim.analysis.validation import _effect

    base = base_world("silo")
    effects = []
    for control, scenario in ((False, base), (True, base.with_overrides(FUNDING_OFF))):
        label = (
            " [funding off: pot pays every role, grants and methods carry no terms]"
            if control
            else ""
        )
        priority, work = _influence_ratios(scenario, seeds)
        for what, values in (("priority", priority), ("work in its role", work)):
            effects.append(
                _effect(
                    "10",
                    f"unit's influence on {what}: unfunded / funded partners{label}",
                    values,
                    (lambda lo, hi: lo > MARKEDLY) if control else below(WEAKER, at=1.0),
                    control=control,
                )
            )
    return effects


WIND_UP, LATER = 36, 72  # month the unit ends; month the decay is measured
GAIN = Sesoi(0.1, "a tenth of the unit's gain at wind-up (002 Fig 5: changes of about a tenth)")


def _wound_up(base: Scenario, succession: bool) -> Scenario:
    unit = {
        "type": "central_unit",
        "unit": "rough_sleepers_unit",
        "outcome": OUTCOME,
        "pooled_share": 0.1,
        "end": WIND_UP,
    }
    plan = {"type": "succession", "outcome": OUTCOME, "start": WIND_UP - 24, "end": WIND_UP}
    return base.with_interventions([unit, plan] if succession else [unit])


def _share_lost(runs, silo) -> np.ndarray:
    """Per replication: share of the unit's gain over silo at wind-up lost by month ``LATER``."""
    out = []
    for r, b in zip(runs, silo, strict=True):
        k = r.outcomes.index(OUTCOME)
        gain = r.attainment[:, k] - b.attainment[:, k]
        out.append(1.0 - gain[LATER] / gain[WIND_UP])
    return np.array(out)


def mainstreaming_effects(seeds) -> list[Effect]:
    from jusim.analysis.draws import base_world
    from jusim.analysis.validation import _effect, _runs

    base = base_world("silo").with_overrides({"horizon": LATER})
    silo = _runs(base, seeds)  # no unit, no practice to adopt: the same with mainstreaming off
    effects = []
    for control in (False, True):
        off = {"parameters.mainstreaming.credit": 0.0, "parameters.mainstreaming.methods": 0.0}
        s = base.with_overrides(off) if control else base
        none = _share_lost(_runs(_wound_up(s, False), seeds), silo)
        plan = _share_lost(_runs(_wound_up(s, True), seeds), silo)
        label = " [mainstreamed practice off]" if control else ""
        if not control:
            effects.append(
                _effect(
                    "13",
                    f"unit wound up at {WIND_UP}: share of its gain lost by month {LATER}",
                    none,
                    above(GAIN),
                )
            )
        effects.append(
            _effect(
                "13",
                f"succession plan minus none: share of the gain lost by month {LATER}{label}",
                plan - none,
                (lambda lo, hi: hi >= 0) if control else below(GAIN),
                control=control,
            )
        )
    return effects


DIVISIONS, SPREAD, DIVISIONS_HORIZON = 4, 0.3, 48
SPREAD_OF_INTEREST = tenth(0.52, "partners' mean tie quality with a division")


def _divided(spread: float, commitment: bool) -> Scenario:
    from jusim.analysis.draws import base_world

    s = base_world("rough_sleepers_unit")
    divided = [a.name for a in s.agencies if a.kind != "voluntary"]  # departments, public bodies
    overrides: dict = {"horizon": DIVISIONS_HORIZON}
    for a in divided:
        overrides[f"agencies.{a}.divisions"] = DIVISIONS
        overrides[f"agencies.{a}.division_spread"] = spread
    s = s.with_overrides(overrides)
    if not commitment:
        return s
    pledges = [{"type": "corporate_commitment", "agency": a} for a in divided]
    return s.with_interventions([iv.to_dict() for iv in s.interventions] + pledges)


def _excess_spread(scenario: Scenario, seed) -> float:
    """SD over an agency's divisions of partners' tie quality, minus the same over random groups."""
    from jusim.mechanisms.divisions import tie_quality
    from jusim.model import JoinedUpModel, seed_sequence

    m = JoinedUpModel(scenario, seed)
    m.run()
    w, r = m.world, m.roster
    inv = w.involved.astype(np.float64)
    partners = inv.T @ inv > 0
    np.fill_diagonal(partners, False)
    ss = seed_sequence(seed)
    rng = np.random.default_rng(np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, 4)))
    chance = m.division.copy()
    for b in range(w.n_agencies):
        rows = np.flatnonzero(r.home == b)
        chance[rows] = rng.permutation(m.division[rows])

    def spread(division: np.ndarray) -> float:
        q = tie_quality(
            r.home, division, r.tie_i, r.tie_j, r.tie_w, w.n_agencies, len(m.division_agency)
        )
        sds = []
        for b in range(w.n_agencies):
            ds = np.flatnonzero(m.division_agency == b)
            if ds.size > 1:
                rows = q[np.flatnonzero(partners[:, b])][:, ds]
                sds += [np.std(x[np.isfinite(x)]) for x in rows if np.isfinite(x).sum() > 1]
        return float(np.nanmean(sds))

    out = spread(m.division) - spread(chance)
    m.release()
    return out


def division_effects(seeds) -> list[Effect]:
    from jusim.analysis.validation import _effect

    divided = np.array([_excess_spread(_divided(SPREAD, False), s) for s in seeds])
    committed = np.array([_excess_spread(_divided(SPREAD, True), s) for s in seeds])
    alike = np.array([_excess_spread(_divided(0.0, False), s) for s in seeds])
    what = "SD of partners' tie quality across an agency's divisions, beyond chance"
    return [
        _effect("4", f"divisions differ in openness: {what}", divided, above(SPREAD_OF_INTEREST)),
        _effect(
            "4",
            f"corporate commitment minus none: {what}",
            committed - divided,
            below(SPREAD_OF_INTEREST),
        ),
        _effect("4", f"with corporate commitment: {what}", committed, lambda lo, hi: lo > 0),
        _effect(
            "4",
            f"divisions alike in openness: {what} [division openness off]",
            alike,
            lambda lo, hi: lo <= 0,
            control=True,
        ),
    ]


def effects(seeds) -> list[Effect]:
    """Every fact of this family, with its controls."""
    return leverage_effects(seeds) + mainstreaming_effects(seeds) + division_effects(seeds)


PATTERNS: dict[str, str] = {
    "10": "a central unit's influence on the partners it does not fund (their priority for the "
    "outcome and their work on it) is less than half its influence on those it funds "
    "(002_5677c7bae92002df.txt ¶9)",
    "13": "after a central unit is wound up its gains decay, more slowly where partners have "
    "mainstreamed its methods through a succession plan (002_5677c7bae92002df.txt ¶14, ¶24)",
    "4": "partners' experience of one agency differs across its divisions; a corporate commitment "
    "reduces the variation but does not remove it (001_04a1019f119c8ec4.txt ¶77, ¶81)",
}

ORIGINS: dict[str, Origin] = {
    "10": Origin(
        "assumed",
        "funding.py: a pot pays only the agencies it funds (funding.untied_share 0) and a grant "
        "carries the funder's target (funding.grant_conditions 1), written from 002 ¶9",
    ),
    "13": Origin(
        "assumed",
        "mainstreaming.py: adopted methods keep mainstreaming.methods x m of the integration gain "
        "and mainstreaming.credit x m of priority after wind-up; a succession plan adds adoption "
        "(002 ¶14, ¶24); the decay itself is the pot ending",
    ),
    "4": Origin(
        "assumed",
        "divisions.py: divisions' openness is spread by division_spread, and a corporate "
        "commitment moves it only part of the way back (alignment < 1), from 001 ¶77, ¶81",
    ),
}
