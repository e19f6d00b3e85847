"""Why a package works: Shapley values of mechanism groups for its difference from a baseline.

``explain(scenario, baseline="silo")`` splits the scenario-minus-baseline difference in each
outcome's attainment at the horizon, and in its cost per case, into the contributions of named
**mechanism groups** (money, seconded staff's work, overhead, trust and learning, staff ties and
churn, credit, clients and take-up, partnerships' life cycle; :data:`GROUPS`).

A group is switched *off* by a fixed set of changes to a scenario (mechanism parameters, the
intervention fields that carry the mechanism, or the world's client groups), listed in its
:class:`Group`. The switches are those the validation controls use (``jusim/analysis/facts_*``)
where one exists. Whatever is switched is switched identically in both arms: for a coalition
``S`` (the groups in ``S`` on, the others off) the game's value is

    v(S) = outcome(scenario with the groups outside S off) - outcome(baseline, the same switches)

on the same seeds (common random numbers), so ``v(all)`` is the total effect the comparison
reports and ``v(none)`` is what is left of it with every named group off. The Shapley value of a
group is its average marginal contribution over all orders of switching groups on; by construction
(efficiency) the contributions plus ``v(none)`` add up to the total, replication by replication.
Each contribution is further split into the group's effect *alone* (``v({g}) - v(none)``) and its
share of the *interactions* (the rest); the table also gives the *loss if it alone is switched
off* (``v(all) - v(all but g)``), the one-at-a-time measure of the validation controls.

Groups whose switches change neither arm (a lever the scenario does not use) are dummy players:
their Shapley value is exactly 0 and they are left out of the game, which does not change the
others' values. With up to ``exact_max`` (8) groups in play every coalition is run (``2^k``
coalitions x 2 arms x replications, identical scenarios run once); with more, ``permutations``
random orders of the groups are sampled and only their prefixes are run.

The samples are seeds, or parameter draws x seeds over an ensemble (``ensemble``: ``"default"``,
a file or an :class:`~jusim.ensemble.Ensemble`, ``draws`` of it), or over a list of override dicts
given as ``draws`` (``jusim.evaluation.scenario_with``); each draw is applied to both arms before
the switches, and the seeds are those of ``jusim.compare`` (``jusim.analysis.samples``: sample
``d * seeds + s`` runs draw ``d`` on child ``d * seeds + s`` of the master seed, in both arms).
Every term has a two-sided 95% t interval of its mean over the samples (``ci_low``/``ci_high``:
how precisely the runs pin the average) and the central 95% range of its per-sample values
(``range_low``/``range_high``: with draws, what parameter uncertainty and chance together allow;
the interval shown with draws, as ``jusim compare`` shows it).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jusim.analysis.stats import mean_ci
from jusim.ensemble import Ensemble
from jusim.scenario import Scenario, ScenarioError, parse_scenario

MEASURES = {
    "attainment": "attainment",  # summary metric prefix -> measure name
    "cost_per_outcome": "cost_per_case",
}
EXACT_MAX = 8


@dataclass(frozen=True)
class Group:
    """A named group of mechanisms and the switch that turns it off.

    ``params``: dotted paths under ``parameters``/``context`` and the value that switches the
    mechanism off; ``fields``: per intervention type, fields and their off values (every
    intervention of that type); ``clients``: the world's client groups made fully aware and fitted,
    nobody lost between agencies (the clients mechanism then reduces to plain production, ODD
    7.4c).
    """

    key: str
    label: str
    off: str  # what "off" means, in words
    params: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    clients: bool = False

    def apply(self, data: dict[str, Any]) -> None:
        """Switch the group off in plain scenario data (in place)."""
        for path, value in self.params.items():
            node = data
            *parents, last = path.split(".")
            for p in parents:
                node = node.setdefault(p, {})
            node[last] = value
        for iv in data.get("interventions", []):
            for name, value in self.fields.get(iv.get("type"), {}).items():
                iv[name] = value
        if self.clients:
            for outcome in data.get("outcomes", []):
                outcome["bounce"] = 0.0
                for g in outcome.get("client_groups") or []:
                    g["fit"] = 1.0
                    g["awareness"] = 1.0


GROUPS: tuple[Group, ...] = (
    Group(
        "money",
        "money and pooled budgets",
        "no money is pooled or granted: pots and reward grants are 0 (ODD 7.1, 7.14)",
        fields={
            "pooled_budget": {"share": 0.0},
            "central_unit": {"pooled_share": 0.0},
            "reward_grant": {"amount": 0.0},
        },
    ),
    Group(
        "staff_time",
        "seconded staff's work",
        "secondees and unit staff are posted and paid, but their time adds no input to the "
        "outcome (focus 0; ODD 7.1, 7.12)",
        fields={"secondees": {"focus": 0.0}, "central_unit": {"focus": 0.0}},
    ),
    Group(
        "overhead",
        "overhead and admin time",
        "partnerships and levers cost no senior or admin time and no running costs: seats, "
        "consultations, set-up engagement, reporting, slow agreement and lever costs are 0 "
        "(ODD 7.11, 7.15, 7.20)",
        params={
            "parameters.overhead.senior": 0.0,
            "parameters.overhead.admin": 0.0,
            "parameters.partnership.seat": 0.0,
            "parameters.partnership.consultation": 0.0,
            "parameters.partnership.engagement": 0.0,
            "parameters.partnership.agreement": 0.0,
            "parameters.formality.compliance": 0.0,
        },
        fields={
            "community_engagement": {"cost": 0.0},
            "good_practice": {"cost": 0.0},
            "information_sharing": {"cost": 0.0},
            "joint_training": {"cost": 0.0},
            "succession": {"cost": 0.0},
            "single_point_of_service": {"running_cost": 0.0},
            "shared_services": {"migration_cost": 0.0},
            "merger": {"reorganisation": 0.0},
        },
    ),
    Group(
        "trust",
        "trust and learning",
        "trust, shared understanding and experience stay at their starting levels: no gain, "
        "loss, drift, leaks, defensive mode or crowding out; no learning from results "
        "(ODD 7.8, 7.9, 7.10, 7.16)",
        params={
            "parameters.trust.gain": 0.0,
            "parameters.trust.loss": 0.0,
            "parameters.trust.drift": 0.0,
            "parameters.trust.shock_rate": 0.0,
            "parameters.defensive.jump": 0.0,
            "parameters.formality.crowd_out": 0.0,
            "parameters.understanding.gain": 0.0,
            "parameters.understanding.decay": 0.0,
            "parameters.decision.learning_rate": 0.0,
        },
        fields={"trust_shock": {"size": 0.0}},
    ),
    Group(
        "ties",
        "staff ties and churn",
        "the staff network stays as at month 0: no tie forms, strengthens or decays, nobody "
        "leaves or moves (ODD 7.6, 7.7, 7.7a)",
        params={
            "parameters.ties.formation": 0.0,
            "parameters.ties.posting": 0.0,
            "parameters.ties.referral": 0.0,
            "parameters.ties.refresh": 0.0,
            "parameters.ties.decay": 0.0,
            "parameters.mobility.share": 0.0,
            "context.churn_scale": 0.0,
        },
        fields={"merger": {"extra_churn": 0.0}},
    ),
    Group(
        "credit",
        "credit and accountability",
        "levers give no credit for the outcome: shared-target and grant weights, sponsors and "
        "steer, grant terms, mainstreamed credit and ownership are 0; departmental credit stays "
        "(ODD 7.2, 7.14, 7.17)",
        params={
            "parameters.accountability.sponsor_weight": 0.0,
            "parameters.funding.grant_conditions": 0.0,
            "parameters.mainstreaming.credit": 0.0,
            "parameters.partnership.ownership": 0.0,
        },
        fields={
            "shared_targets": {"weight": 0.0},
            "central_unit": {"target_weight": 0.0},
            "pooled_budget": {"grant_weight": 0.0},
            "reward_grant": {"weight": 0.0},
            "narrow_target": {"lift": 0.0},
        },
    ),
    Group(
        "clients",
        "clients and take-up",
        "every client group is fully aware and fitted and nobody is lost between agencies "
        "(ODD 7.4c)",
        clients=True,
    ),
    Group(
        "partnerships",
        "partnerships' life cycle",
        "partnerships add no integration gain and no meeting contact, and pass on no ways of "
        "working: integration, meetings, obliged contact, adoption and kept methods are 0 "
        "(ODD 7.5, 7.15, 7.17)",
        params={
            "parameters.partnership.integration": 0.0,
            "parameters.contact.meetings": 0.0,
            "parameters.formality.contact": 0.0,
            "parameters.mainstreaming.adoption": 0.0,
            "parameters.mainstreaming.secondment": 0.0,
            "parameters.mainstreaming.methods": 0.0,
        },
        fields={"succession": {"rate": 0.0}},
    ),
)
GROUP_KEYS = tuple(g.key for g in GROUPS)


def group(key: str) -> Group:
    for g in GROUPS:
        if g.key == key:
            return g
    raise ScenarioError([("jusim explain", "groups", key, f"one of {', '.join(GROUP_KEYS)}")])


def switched(scenario: Scenario, off: Sequence[Group]) -> Scenario:
    """``scenario`` with the groups in ``off`` switched off (validated)."""
    if not off:
        return scenario
    data = scenario.to_dict()
    for g in off:
        g.apply(data)
    return parse_scenario(data, scenario.source)


def _key(scenario: Scenario) -> str:
    return json.dumps(scenario.to_dict(), sort_keys=True, default=str)


def _touches(g: Group, scenario: Scenario) -> bool:
    data = scenario.to_dict()
    before = json.dumps(data, sort_keys=True, default=str)
    g.apply(data)
    return json.dumps(data, sort_keys=True, default=str) != before


def players(
    scenario: Scenario, baseline: Scenario, groups: Sequence[str] | None = None
) -> list[Group]:
    """The groups in play: those whose switches change at least one arm."""
    in_play = [group(k) for k in dict.fromkeys(groups)] if groups else list(GROUPS)
    return [g for g in in_play if _touches(g, scenario) or _touches(g, baseline)]


def shapley_weights(k: int) -> np.ndarray:
    """``w[s]``: weight of a coalition of size ``s`` (not containing the player) in a game of k."""
    return np.array(
        [math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) for s in range(k)]
    )


def exact_shapley(v: np.ndarray) -> np.ndarray:
    """Shapley values from ``v[mask, ...]`` over all ``2^k`` coalitions (bit i = player i on).

    Returns ``phi[i, ...]``; ``phi.sum(0) == v[full] - v[0]`` up to rounding."""
    n = v.shape[0]
    k = n.bit_length() - 1
    if 1 << k != n:
        raise ValueError(f"v has {n} rows; need 2^k")
    w = shapley_weights(k)
    sizes = np.array([bin(m).count("1") for m in range(n)])
    phi = np.zeros((k, *v.shape[1:]))
    for i in range(k):
        bit = 1 << i
        without = np.array([m for m in range(n) if not m & bit])
        phi[i] = np.tensordot(w[sizes[without]], v[without | bit] - v[without], axes=1)
    return phi


@dataclass
class Explanation:
    """Shapley decomposition of ``scenario - baseline`` over mechanism groups.

    Arrays are over samples (replications x draws) and metrics (``metrics``: (outcome, measure)):
    ``total`` and ``none`` (n, M), ``shapley``, ``alone`` and ``lost`` (loss when only that group
    is off) (n, k, M) for the groups in ``groups``.
    """

    scenario: str
    baseline: str
    metrics: list[tuple[str, str]]
    groups: list[Group]
    idle: list[Group]  # groups whose switches change neither arm: contribution exactly 0
    method: str  # "exact" or "sampled (P permutations)"
    coalitions: int
    runs: int
    seconds: float
    replications: int  # seeds per draw
    draws: int  # parameter draws (0: none)
    seed: int
    horizon: int
    total: np.ndarray
    none: np.ndarray
    shapley: np.ndarray
    alone: np.ndarray
    lost: np.ndarray

    @property
    def outcomes(self) -> list[str]:
        return list(dict.fromkeys(o for o, _ in self.metrics))

    def efficiency_gap(self) -> float:
        """Largest |contributions + every-group-off - total| over samples and metrics."""
        gap = self.shapley.sum(axis=1) + self.none - self.total
        gap = gap[np.isfinite(gap)]
        return float(np.abs(gap).max()) if gap.size else 0.0

    def table(self) -> pd.DataFrame:
        """Tidy rows: one per (outcome, measure, term); terms are the groups, ``none`` (what is
        left with every group off) and ``total``. ``mean``/``ci_low``/``ci_high`` are the
        contribution; ``alone*`` the group's effect alone; ``interaction`` the rest; ``lost`` the
        loss of the total when only this group is switched off."""
        rows = []
        n = self.total.shape[0]
        for m, (outcome, measure) in enumerate(self.metrics):
            terms = [
                (g.key, g.label, self.shapley[:, i, m], self.alone[:, i, m], self.lost[:, i, m])
                for i, g in enumerate(self.groups)
            ]
            terms += [(g.key, g.label, np.zeros(n), np.zeros(n), np.zeros(n)) for g in self.idle]
            terms += [("none", "with every group off", self.none[:, m], None, None)]
            terms += [("total", "total difference", self.total[:, m], None, None)]
            for term, label, x, alone, lost in terms:
                rows.append(
                    {
                        "scenario": self.scenario,
                        "baseline": self.baseline,
                        "outcome": outcome,
                        "measure": measure,
                        "term": term,
                        "label": label,
                        **_estimates(x, alone),
                        "lost": float(np.nanmean(lost)) if lost is not None else float("nan"),
                    }
                )
        return pd.DataFrame(rows)

    def records(self) -> list[dict[str, Any]]:
        return json.loads(self.table().to_json(orient="records"))

    def cost_note(self) -> str:
        samples = self.replications * max(self.draws, 1)
        what = f"{self.replications} replications" + (
            f" x {self.draws} draws" if self.draws else ""
        )
        return (
            f"{self.method}: {len(self.groups)} groups in play, {self.coalitions} coalitions x "
            f"2 arms x {what} = {self.coalitions * 2 * samples:,} runs asked, "
            f"{self.runs:,} run (identical scenarios once), {self.seconds:.0f} s"
        )


def _estimates(x: np.ndarray, alone: np.ndarray | None) -> dict[str, Any]:
    """Mean and interval of a contribution; of its part alone; the interaction share."""
    mean, lo, hi = mean_ci(x)
    finite = x[np.isfinite(x)]
    r_lo, r_hi = np.percentile(finite, [2.5, 97.5]) if finite.size else (np.nan, np.nan)
    row = {"mean": mean, "ci_low": lo, "ci_high": hi, "n": int(finite.size)}
    row.update(range_low=float(r_lo), range_high=float(r_hi))
    nan = float("nan")
    row.update(alone=nan, alone_low=nan, alone_high=nan, interaction=nan)
    if alone is not None:
        a, alo, ahi = mean_ci(alone)
        keep = np.isfinite(x) & np.isfinite(alone)
        inter = float(np.mean(x[keep] - alone[keep])) if keep.any() else nan
        row.update(alone=a, alone_low=alo, alone_high=ahi, interaction=inter)
    return row


def _seed_key(s: np.random.SeedSequence) -> tuple:
    return (repr(s.entropy), tuple(s.spawn_key))


def _summary_metrics(summary: dict[str, float], metrics: list[tuple[str, str]]) -> np.ndarray:
    inverse = {v: k for k, v in MEASURES.items()}
    return np.array([summary[f"{inverse[measure]}.{o}"] for o, measure in metrics], dtype=float)


def _default_outcomes(scenario: Scenario) -> list[str]:
    named = [getattr(iv, "outcome", None) for iv in scenario.interventions]
    named = [o for o in dict.fromkeys(named) if o in scenario.outcome_names]
    return named or list(scenario.outcome_names)


def explain(
    scenario: Scenario | str | Path,
    baseline: Scenario | str | Path = "silo",
    outcomes: Sequence[str] | None = None,
    replications: int | None = None,
    seed: int = 0,
    groups: Sequence[str] | None = None,
    draws: int | list[dict[str, Any]] | None = None,
    permutations: int = 64,
    exact_max: int = EXACT_MAX,
    progress: Callable[[int, int], None] | None = None,
    run: Callable[[Scenario, np.random.SeedSequence], dict[str, float]] | None = None,
    cache: dict[Any, list[dict[str, float]]] | None = None,
    ensemble: str | Path | Ensemble | None = None,
) -> Explanation:
    """Shapley decomposition of ``scenario - baseline`` over mechanism groups (module docstring).

    ``outcomes``: default the outcomes the scenario's interventions name (else all).
    ``groups``: keys of :data:`GROUPS` to put in play (default all); the others stay on.
    ``progress(done, total)`` is called after each run. ``run(scenario, seed) -> summary`` lets a
    faster engine take over (default :func:`jusim.run` and ``RunResult.summary``). ``cache``: a
    dict shared between calls (for example several scenarios against one baseline), so that
    identical runs (same scenario and seeds) are not repeated. ``ensemble`` and ``draws``: the
    parameter draws (module docstring); ``replications``: seeds per draw (default 10 without
    draws, 3 with an ensemble, as ``jusim compare``).
    """
    import jusim
    from jusim.analysis.samples import samples

    src = "jusim explain"
    design = samples(seed, replications, ensemble, draws, source=src)
    if design.seeds_per_draw < 1 or design.size < 2:
        what = "a whole number >= 1, and >= 2 samples (draws x seeds) in all"
        raise ScenarioError([(src, "replications", design.seeds_per_draw, what)])
    if permutations < 1:
        raise ScenarioError([(src, "permutations", permutations, "a whole number >= 1")])
    scen, base = jusim.as_scenario(scenario), jusim.as_scenario(baseline)
    if scen.outcome_names != base.outcome_names:
        raise ScenarioError(
            [(src, "baseline", base.name, f"a scenario with the outcomes {scen.outcome_names}")]
        )
    chosen = list(outcomes) if outcomes else _default_outcomes(scen)
    for o in chosen:
        if o not in scen.outcome_names:
            raise ScenarioError([(src, "outcome", o, f"one of {', '.join(scen.outcome_names)}")])
    metrics = [(o, m) for o in chosen for m in MEASURES.values()]
    in_play = [group(k) for k in dict.fromkeys(groups)] if groups else list(GROUPS)
    arms = list(zip(design.arms(scen), design.arms(base), strict=True))
    players = [g for g in in_play if any(_touches(g, a) for pair in arms for a in pair)]
    idle = [g for g in in_play if g not in players]
    k = len(players)
    full = (1 << k) - 1

    if k <= exact_max:
        masks = list(range(1 << k))
        orders = None
        method = "exact"
    else:
        rng = np.random.default_rng(np.random.SeedSequence([int(seed), 22]))
        orders = [rng.permutation(k) for _ in range(permutations)]
        needed = {0, full} | {1 << i for i in range(k)} | {full ^ 1 << i for i in range(k)}
        for order in orders:
            mask = 0
            for i in order:
                mask |= 1 << int(i)
                needed.add(mask)
        masks = sorted(needed)
        method = f"sampled ({permutations} permutations)"

    seeds = design.seeds()  # per draw
    # the unique (scenario, seeds) to run; the cache may already hold some
    results: dict[Any, list[dict[str, float]]] = {} if cache is None else cache
    jobs: dict[Any, Scenario] = {}
    plan: dict[tuple[int, int, int], Any] = {}  # (draw, mask, arm) -> job key
    for d, pair in enumerate(arms):
        for mask in masks:
            off = [players[i] for i in range(k) if not mask >> i & 1]
            for a, arm in enumerate(pair):
                s = switched(arm, off)
                key = (tuple(_seed_key(x) for x in seeds[d]), _key(s))
                if key not in results:
                    jobs.setdefault(key, (s, seeds[d]))
                plan[d, mask, a] = key
    total_runs = len(jobs) * design.seeds_per_draw
    start = time.perf_counter()
    if run is None:  # every run in one batch (jusim.run_batch), in chunks for the progress line
        flat = [(key, s, ss) for key, (s, draw_seeds) in jobs.items() for ss in draw_seeds]
        chunk = max(1, min(100, total_runs // 20))
        for at in range(0, len(flat), chunk):  # summaries kept, whole runs let go chunk by chunk
            part = flat[at : at + chunk]
            out = jusim.run_batch([s for _, s, _ in part], [ss for _, _, ss in part])
            for (key, _, _), result in zip(part, out, strict=True):
                results.setdefault(key, []).append(result.summary())
            if progress:
                progress(at + len(part), total_runs)
    else:
        done = 0
        for key, (s, draw_seeds) in jobs.items():
            summaries = []
            for ss in draw_seeds:
                summaries.append(run(s, ss))
                done += 1
                if progress:
                    progress(done, total_runs)
            results[key] = summaries  # every metric kept: another outcome can reuse the runs
    seconds = time.perf_counter() - start

    def values(key: Any) -> np.ndarray:  # (seeds, M)
        return np.stack([_summary_metrics(r, metrics) for r in results[key]])

    n = design.size
    v = {}
    for mask in masks:
        per_draw = [values(plan[d, mask, 0]) - values(plan[d, mask, 1]) for d in range(len(arms))]
        v[mask] = np.concatenate(per_draw)  # (n, M)
    M = len(metrics)
    if orders is None:
        table = np.stack([v[m] for m in masks])  # (2^k, n, M)
        shapley = exact_shapley(table).transpose(1, 0, 2) if k else np.zeros((n, 0, M))
    else:
        shapley = np.zeros((n, k, M))
        for order in orders:
            mask = 0
            for i in order:
                nxt = mask | 1 << int(i)
                shapley[:, int(i)] += v[nxt] - v[mask]
                mask = nxt
        shapley /= len(orders)
    alone = np.stack([v[1 << i] - v[0] for i in range(k)], axis=1) if k else np.zeros((n, 0, M))
    lost = np.stack([v[full] - v[full ^ 1 << i] for i in range(k)], axis=1) if k else alone
    return Explanation(
        scenario=scen.name,
        baseline=base.name,
        metrics=metrics,
        groups=players,
        idle=idle,
        method=method,
        coalitions=len(masks),
        runs=total_runs,
        seconds=seconds,
        replications=design.seeds_per_draw,
        draws=design.draws,
        seed=seed,
        horizon=scen.horizon,
        total=v[full],
        none=v[0],
        shapley=shapley,
        alone=alone,
        lost=lost,
    )
