"""Dashboard state without UI: levers, scenarios built from them, the two arms, replications.

Levers are plain data (``Levers``): the scenario file, the seed, the main uncertainties and, for
every registered intervention, whether it is on and its parameters. The intervention controls
are described by ``field_specs`` from each class's pydantic fields (type, bounds, description), so
a newly registered intervention gets controls without dashboard code.

The two arms — the current levers and silo behaviour (the same world and context with no
intervention) — are stepped side by side on the same seed (``Arms``); ``run_replications`` draws
interval bands on shared replication seeds and, when a parameter ensemble is given (by default the
shipped one, if the package has one), on its draws. Everything that can go wrong with a lever setting or a
file raises ``jusim.ScenarioError`` with a readable message.
"""

from __future__ import annotations

import copy
import io
import json
import re
import typing
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

import numpy as np
import pandas as pd
from annotated_types import Ge, Gt, Le, Lt

from jusim.analysis.compare import replication_seeds
from jusim.analysis.stats import band, paired_diff_ci, range_band
from jusim.interventions import REGISTRY
from jusim.metrics import RunResult
from jusim.scenario import Scenario, ScenarioError, load_scenario

LEVERS_SOURCE = "levers"
FieldKind = Literal["float", "int", "optional_int", "bool", "outcome", "agency", "agencies", "text"]


# -- intervention fields -> control descriptions ---------------------------------------------
@dataclass(frozen=True)
class FieldSpec:
    """How to show one intervention parameter: kind of control, default, bounds, help text."""

    name: str
    kind: FieldKind
    default: Any
    low: float | None
    high: float | None
    description: str
    required: bool


def _bounds(metadata: list[Any]) -> tuple[float | None, float | None]:
    low = high = None
    for m in metadata:
        if isinstance(m, Ge):
            low = m.ge
        elif isinstance(m, Gt):
            low = m.gt
        elif isinstance(m, Le):
            high = m.le
        elif isinstance(m, Lt):
            high = m.lt
    return low, high


def _kind(name: str, annotation: Any, description: str) -> FieldKind:
    args = typing.get_args(annotation)
    optional = type(None) in args
    inner = [a for a in args if a is not type(None)] if optional else [annotation]
    base = inner[0] if len(inner) == 1 else annotation
    if typing.get_origin(base) is list:
        return "agencies"
    if base is bool:
        return "bool"
    if base is int:
        return "optional_int" if optional else "int"
    if base is float:
        return "float"
    if name == "service":  # a type of provision of an outcome ([[outcomes.services]])
        return "service"
    if name == "outcome" or "outcome" in description.split()[:3]:
        return "outcome"
    if "agency" in description.lower() and "name" not in description.lower():
        return "agency"
    return "text"


def field_specs(cls: type) -> list[FieldSpec]:
    """Control descriptions for every field of an intervention class, in declaration order."""
    out = []
    for name, info in cls.model_fields.items():
        low, high = _bounds(info.metadata)
        description = info.description or name
        required = info.is_required()
        out.append(
            FieldSpec(
                name=name,
                kind=_kind(name, info.annotation, description),
                default=None if required else copy.deepcopy(info.default),
                low=low,
                high=high,
                description=description,
                required=required,
            )
        )
    return out


def default_params(kind: str, scenario: Scenario) -> dict[str, Any]:
    """Parameters of intervention ``kind`` with its defaults, required names filled sensibly."""
    params: dict[str, Any] = {}
    specs = field_specs(REGISTRY[kind])
    outcome = scenario.outcomes[0]
    if any(spec.kind == "service" for spec in specs):  # an outcome that has services
        outcome = next((o for o in scenario.outcomes if o.services), outcome)
    for spec in specs:
        if not spec.required:
            params[spec.name] = spec.default
        elif spec.kind == "outcome":
            params[spec.name] = outcome.name
        elif spec.kind == "agency":  # the contributor with the largest role in the outcome
            params[spec.name] = max(outcome.contributors, key=outcome.contributors.get)
        elif spec.kind == "agencies":  # a required list: every other agency of the outcome
            taken = {v for v in params.values() if isinstance(v, str)}
            meta = REGISTRY[kind].model_fields[spec.name].metadata
            most = next((m.max_length for m in meta if hasattr(m, "max_length")), None)
            params[spec.name] = [a for a in outcome.contributors if a not in taken][:most]
        elif spec.kind == "service":  # the outcome's first type of provision
            params[spec.name] = outcome.services[0].name if outcome.services else ""
        elif spec.kind in ("float", "int"):
            params[spec.name] = spec.low if spec.low is not None else 0
        else:
            params[spec.name] = ""
    return params


# -- levers ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Levers:
    """Everything a workshop participant can set; JSON round-trips through ``to_json``."""

    scenario: str = "silo"
    seed: int = 0
    churn_scale: float = 1.0
    budget_change: float = 0.0
    replications: int = 10
    enabled: dict[str, bool] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)

    def with_context(self, **changes: Any) -> Levers:
        """A copy with top-level settings changed (seed, churn_scale, budget_change, ...)."""
        return Levers(**{**self._plain(), **changes})

    def with_enabled(self, kind: str, on: bool) -> Levers:
        return self.with_context(enabled={**self.enabled, kind: bool(on)})

    def with_param(self, kind: str, name: str, value: Any) -> Levers:
        params = copy.deepcopy(self.params)
        params.setdefault(kind, {})[name] = value
        return self.with_context(params=params)

    def interventions(self) -> list[dict[str, Any]]:
        """The enabled interventions as scenario tables (``{"type": ..., **params}``)."""
        out = []
        for kind, on in self.enabled.items():
            if on:
                body = {k: v for k, v in self.params.get(kind, {}).items() if v is not None}
                if body.get("members") == []:
                    body.pop("members")
                out.append({"type": kind, **body})
        return out

    def _plain(self) -> dict[str, Any]:
        return {f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self)}

    def to_json(self) -> str:
        return json.dumps({"jusim_levers": 1, **asdict(self)}, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes, source: str = "levers.json") -> Levers:
        """Parse saved levers; a bad file raises ScenarioError naming the field."""
        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError) as e:
            raise ScenarioError([(source, "<syntax>", str(e)[:80], "valid JSON")]) from None
        if not isinstance(data, dict) or data.pop("jusim_levers", None) != 1:
            raise ScenarioError(
                [(source, "jusim_levers", "<missing>", "a file saved by the dashboard (= 1)")]
            )
        known = {f.name: f for f in fields(cls)}
        problems = []
        for key, value in data.items():
            if key not in known:
                problems.append((source, key, value, f"one of {sorted(known)}"))
        checks: dict[str, tuple[type | tuple[type, ...], str]] = {
            "scenario": (str, "a scenario name or path"),
            "seed": (int, "an integer"),
            "churn_scale": ((int, float), "a number"),
            "budget_change": ((int, float), "a number"),
            "replications": (int, "an integer"),
            "enabled": (dict, "a table of intervention -> true/false"),
            "params": (dict, "a table of intervention -> parameters"),
        }
        for key, (types_, allowed) in checks.items():
            value = data.get(key)
            if key in data and (not isinstance(value, types_) or isinstance(value, bool)):
                problems.append((source, key, data[key], allowed))
        for key in ("enabled", "params"):
            for kind in data.get(key, {}) if isinstance(data.get(key), dict) else []:
                if kind not in REGISTRY:
                    problems.append((source, f"{key}.{kind}", kind, f"one of {sorted(REGISTRY)}"))
        if problems:
            raise ScenarioError(problems)
        return cls(**data)


def levers_for(scenario: Scenario, ref: str, seed: int = 0, replications: int = 10) -> Levers:
    """Levers matching a scenario: its context, and its interventions switched on.

    A scenario with several interventions of one type: the levers control the first.
    """
    enabled = {kind: False for kind in REGISTRY}
    params = {kind: default_params(kind, scenario) for kind in REGISTRY}
    for iv in scenario.interventions:
        if not enabled[iv.name]:
            enabled[iv.name] = True
            params[iv.name] = {**params[iv.name], **iv.model_dump()}
    return Levers(
        scenario=ref,
        seed=seed,
        churn_scale=scenario.context.churn_scale,
        budget_change=scenario.context.budget_change,
        replications=replications,
        enabled=enabled,
        params=params,
    )


def extra_interventions(scenario: Scenario) -> list[str]:
    """Intervention types the scenario holds more than once (levers control only the first)."""
    names = [iv.name for iv in scenario.interventions]
    return sorted({n for n in names if names.count(n) > 1})


def build_arms(base: Scenario, levers: Levers) -> tuple[Scenario, Scenario]:
    """(current, silo): the base world with the levers' context; current adds the interventions.

    Raises ScenarioError for impossible settings (the message names the field).
    """
    context = {
        "context.churn_scale": levers.churn_scale,
        "context.budget_change": levers.budget_change,
    }
    world = base.with_interventions([]).with_overrides(context, source=LEVERS_SOURCE)
    silo = world.model_copy(update={"name": "silo"})
    current = world.with_interventions(levers.interventions())
    return current.model_copy(update={"name": "current"}), silo


def load_base(ref: str) -> Scenario:
    """A scenario by shipped name or path; bad files raise ScenarioError."""
    ref = ref.strip()
    if not ref:
        raise ScenarioError([("<scenario>", "scenario", ref, "a shipped name or a file path")])
    try:
        return load_scenario(ref)
    except ScenarioError:
        raise
    except (OSError, ValueError) as e:  # e.g. a directory, unreadable or binary file
        raise ScenarioError(
            [(ref, "<file>", ref, f"a readable TOML scenario file ({e})")]
        ) from None


# -- the two arms stepped side by side ---------------------------------------------------------
class Arms:
    """Current levers and silo behaviour, stepped month by month on the same seed."""

    def __init__(
        self, current: Scenario, silo: Scenario, seed: int = 0, keep_silo: Arms | None = None
    ) -> None:
        """``keep_silo``: arms whose silo arm is this one (same scenario and seed) — it is taken
        over as it is, at its month, so a lever change re-runs only the current arm."""
        from jusim.model import JoinedUpModel

        self.current_scenario, self.silo_scenario, self.seed = current, silo, seed
        self.current = JoinedUpModel(current, seed=seed)
        if keep_silo is not None and keep_silo.can_lend_silo(silo, seed):
            self.silo, keep_silo.silo = keep_silo.silo, None
        else:
            self.silo = JoinedUpModel(silo, seed=seed)

    def can_lend_silo(self, silo: Scenario, seed: int) -> bool:
        return self.silo is not None and self.seed == seed and self.silo_scenario == silo

    @property
    def month(self) -> int:
        return self.current.month

    @property
    def horizon(self) -> int:
        return self.current_scenario.horizon

    @property
    def done(self) -> bool:
        return self.month >= self.horizon

    def step(self, n: int = 1) -> None:
        for _ in range(max(0, min(n, self.horizon - self.month))):
            self.current.step()
            if self.silo.month < self.current.month:
                self.silo.step()

    def run_to(self, month: int) -> None:
        self.step(month - self.month)

    def results(self) -> tuple[RunResult, RunResult]:
        return self.current.result(), self.silo.result()

    def release(self) -> None:
        self.current.release()
        if self.silo is not None:
            self.silo.release()


# -- headline numbers --------------------------------------------------------------------------
HEADLINES = {
    "attainment": "Attainment (mean over outcomes; 1 = target met)",
    "cost_per_outcome": "Cost per case resolved (£k)",
    "trust": "Trust between partners (mean)",
    "tie_density": "Cross-agency staff ties per member of staff",
    "overhead": "Partnership overhead so far (£k)",
}

# fewer cases than this resolved so far: a cost per case would divide by (almost) nothing
MIN_RESOLVED = 1.0


def headline(result: RunResult) -> dict[str, float]:
    """Headline numbers at the result's last month (used for replication means)."""
    s = result.series
    spend, resolved = s["spend"].sum(), s["resolved"].sum()
    return {
        "attainment": float(result.attainment[-1].mean()),
        "cost_per_outcome": float(spend / resolved) if resolved >= MIN_RESOLVED else float("nan"),
        "trust": float(s["mean_trust"][-1]),
        "tie_density": float(s["tie_density"][-1]),
        "overhead": float(s["overhead"].sum()),
    }


def outcome_numbers(result: RunResult) -> list[dict[str, float]]:
    """Per outcome at the last month: attainment, need now, target, cases resolved, cost per case.

    Cost per case resolved is NaN ("n/a" on the page) while fewer than ``MIN_RESOLVED`` cases
    have been resolved: a cost per case of almost nothing resolved would flatter doing nothing.
    """
    s = result.series
    out = []
    for k in range(len(result.outcomes)):
        spend, resolved = float(s["spend"][:, k].sum()), float(s["resolved"][:, k].sum())
        out.append(
            {
                "attainment": float(result.attainment[-1, k]),
                "need": float(s["need"][-1, k]),
                "target": float(result.target[k]),
                "deadline": float(result.deadline[k]),
                "resolved": resolved,
                "spend": spend,
                "cost_per_case": spend / resolved if resolved >= MIN_RESOLVED else float("nan"),
            }
        )
    return out


_IV_FIELD = re.compile(r"^interventions\[\d+\]\((?P<kind>\w+)\)\.(?P<field>\w+)")


def lever_message(error: ScenarioError) -> str:
    """An impossible lever setting in the words of the levers: the intervention, the control's
    label, the value and what is allowed (one line per problem)."""
    lines = []
    for _file, fld, value, allowed in error.problems:
        m = _IV_FIELD.match(fld)
        if m and m["kind"] in REGISTRY and m["field"] in REGISTRY[m["kind"]].model_fields:
            info = REGISTRY[m["kind"]].model_fields[m["field"]]
            what = f"{m['kind'].replace('_', ' ').capitalize()}, {info.description or m['field']}"
        else:
            what = fld.replace("context.", "").replace("_", " ")
        lines.append(f"{what}: {value!r} is not possible ({allowed})")
    return "\n".join(lines)


def lever_set_name(levers: Levers) -> str:
    """The interventions switched on, in words ("pooled budget + secondees"), or "no intervention"."""
    on = [kind.replace("_", " ") for kind, enabled in levers.enabled.items() if enabled]
    context = []
    if levers.churn_scale != 1.0:
        context.append(f"churn ×{levers.churn_scale:g}")
    if levers.budget_change != 0.0:
        context.append(f"budgets {levers.budget_change:+.0%} a year")
    name = " + ".join(on) if on else "no intervention"
    return name + (f" ({', '.join(context)})" if context else "")


def agency_frame(model: Any) -> pd.DataFrame:
    """Per-agency table for a model at its current month."""
    res = model.result()
    s, w, roster = res.series, model.world, model.roster
    staff = np.bincount(roster.home, minlength=w.n_agencies)
    posted_in = np.bincount(roster.post[roster.post != roster.home], minlength=w.n_agencies)
    return pd.DataFrame(
        {
            "agency": w.agency_names,
            "kind": w.kinds,
            "budget £k/month": np.round(model.budget, 0),
            "staff": staff,
            "posted in": posted_in,
            "joint share": np.round(s["joint_share"][-1], 3),
            "own attainment": np.round(s["own_attainment"][-1], 3),
            "overhead £k": np.round(s["overhead"].sum(axis=0), 0),
        }
    )


# -- replications ------------------------------------------------------------------------------
@dataclass
class Bands:
    """Mean and 95% interval of need per month, per arm and outcome, over paired replications.

    Without an ensemble the interval is the t interval of the mean; with one (``ensemble`` names
    it) it is the central 95% range of single runs over the parameter draws and seeds."""

    n: int
    requested: int
    outcomes: list[str]
    need: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]  # arm -> (mean, lo, hi), (T, O)
    headlines: dict[str, dict[str, float]]  # arm -> mean headline numbers at the horizon
    ensemble: str = ""  # the ensemble's label; empty: one parameter set

    @property
    def cancelled(self) -> bool:
        return self.n < self.requested


BATCH = 5
"""Replications run in one batch (both arms stepped together); cancelling takes effect between
batches, so a batch is kept small (a few tenths of a second)."""


def run_replications(
    current: Scenario,
    silo: Scenario,
    n: int,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    ensemble: Any = "default",
) -> Bands | None:
    """Run both arms on ``n`` shared replication seeds; stop early if ``cancelled()``.

    ``ensemble`` (see ``jusim.ensemble.resolve_ensemble``; "none" for seeds only): replication
    ``k`` of both arms runs draw ``k mod D`` of ``D = min(n, 10, draws in the file)`` draws and
    seed ``k``, so the arms stay paired by (draw, seed). Returns None if cancelled before any
    replication finished.
    """
    import jusim
    from jusim.ensemble import DEFAULT_DRAWS, resolve_ensemble

    ens, _ = resolve_ensemble(ensemble)
    if ens is not None:
        ens = ens.select(min(n, DEFAULT_DRAWS, ens.total))
    runs: dict[str, list[RunResult]] = {"current": [], "silo": []}
    seeds = replication_seeds(seed, n)
    for start in range(0, n, BATCH):  # both arms of a few replications in one batch
        if cancelled is not None and cancelled():
            break
        ks = range(start, min(start + BATCH, n))
        cur = [current if ens is None else ens.apply(current, k % len(ens)) for k in ks]
        sil = [silo if ens is None else ens.apply(silo, k % len(ens)) for k in ks]
        both = jusim.run_batch(cur + sil, [seeds[k] for k in ks] * 2)
        runs["current"] += both[: len(ks)]
        runs["silo"] += both[len(ks) :]
        if progress is not None:
            progress(ks[-1] + 1, n)
    done = len(runs["silo"])
    if done == 0:
        return None
    need = {}
    heads = {}
    for arm, results in runs.items():
        stack = np.stack([r.series["need"] for r in results])  # (n, T, O)
        mean, lo, hi = (band if ens is None else range_band)(stack.reshape(done, -1))
        shape = stack.shape[1:]
        need[arm] = (mean.reshape(shape), lo.reshape(shape), hi.reshape(shape))
        hs = [headline(r) for r in results]
        heads[arm] = {k: float(np.nanmean([h[k] for h in hs])) for k in HEADLINES}
    label = "" if ens is None else ens.label
    return Bands(done, n, list(runs["silo"][0].outcomes), need, heads, label)


def comparison_measures(result: RunResult) -> dict[str, float]:
    """What compare A vs B reports at the horizon: per outcome attainment and cost per case,
    then trust between partners and partnership overhead."""
    out = {}
    for name, numbers in zip(result.outcomes, outcome_numbers(result), strict=True):
        label = name.replace("_", " ")
        out[f"{label}: attainment (1 = target met)"] = numbers["attainment"]
        out[f"{label}: cost per case resolved (£k)"] = numbers["cost_per_case"]
    h = headline(result)
    out["trust between partners"] = h["trust"]
    out["partnership overhead (£k)"] = h["overhead"]
    return out


def compare_levers(
    base: Scenario,
    a: Levers,
    b: Levers,
    replications: int = 10,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> pd.DataFrame:
    """Settings A and B at the horizon over paired replications (the same seeds for both).

    Columns: measure, mean under A, mean under B, mean paired difference B − A and its 95% t
    interval. A measure with no value in some replication (cost per case with nothing resolved)
    is compared over the replications where both have one. Raises ScenarioError if either
    setting is impossible.
    """
    import jusim

    cur_a, _ = build_arms(base, a)
    cur_b, _ = build_arms(base, b)
    rows: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
    seeds = replication_seeds(a.seed, max(2, replications))
    for start in range(0, len(seeds), BATCH):  # A and B of a few replications in one batch
        if cancelled is not None and cancelled():
            break
        some = seeds[start : start + BATCH]
        both = jusim.run_batch([cur_a] * len(some) + [cur_b] * len(some), some * 2)
        rows["A"] += [comparison_measures(r) for r in both[: len(some)]]
        rows["B"] += [comparison_measures(r) for r in both[len(some) :]]
        if progress is not None:
            progress(start + len(some), len(seeds))
    table = []
    for key in rows["A"][0] if rows["A"] else []:
        xa = np.array([r[key] for r in rows["A"]])
        xb = np.array([r[key] for r in rows["B"]])
        both = np.isfinite(xa) & np.isfinite(xb)
        diff, lo, hi = paired_diff_ci(xb[both], xa[both])
        table.append(
            {
                "measure": key,
                "A": float(np.nanmean(xa)) if np.isfinite(xa).any() else float("nan"),
                "B": float(np.nanmean(xb)) if np.isfinite(xb).any() else float("nan"),
                "B − A": diff,
                "95% interval": lo,
                "to": hi,
                "runs": int(both.sum()),
            }
        )
    return pd.DataFrame(table)


# -- export ------------------------------------------------------------------------------------
def settings_header(levers: Levers | None) -> str:
    """Comment lines naming the lever settings an export was made with (read back with
    ``pandas.read_csv(..., comment="#")``; the JSON after "levers:" loads as saved levers)."""
    if levers is None:
        return ""
    return f"# jusim dashboard export; lever set: {lever_set_name(levers)}\n" + "".join(
        f"# levers: {line}\n" for line in [json.dumps({"jusim_levers": 1, **asdict(levers)})]
    )


def data_csv(
    current: RunResult,
    silo: RunResult,
    levers: Levers | None = None,
    bands: Bands | None = None,
) -> str:
    """Both arms' outcome trajectories and system measures, one row per arm × month × outcome.

    With ``levers``, the settings head the file as comment lines; with ``bands``, each row also
    carries the replication mean and 95% interval of need for its arm, month and outcome.
    """
    frames = []
    for arm, res in (("current", current), ("silo", silo)):
        out = res.outcome_table().drop(columns=["scenario"])
        system = res.system_table().drop(columns=["scenario", "seed"])
        out = out.merge(system, on="month", how="left")
        out.insert(0, "arm", arm)
        if bands is not None:
            mean, lo, hi = bands.need[arm]
            months = np.arange(mean.shape[0])
            band_rows = pd.DataFrame(
                {
                    "month": np.repeat(months, len(bands.outcomes)),
                    "outcome": np.tile(bands.outcomes, len(months)),
                    f"need_mean_{bands.n}_runs": mean.ravel(),
                    "need_95_low": lo.ravel(),
                    "need_95_high": hi.ravel(),
                }
            )
            out = out.merge(band_rows, on=["month", "outcome"], how="left")
        frames.append(out)
    buf = io.StringIO()
    buf.write(settings_header(levers))
    pd.concat(frames, ignore_index=True).to_csv(buf, index=False)
    return buf.getvalue()


def agencies_csv(current: RunResult, silo: RunResult, levers: Levers | None = None) -> str:
    """Both arms' per-agency trajectories, one row per arm × month × agency."""
    frames = []
    for arm, res in (("current", current), ("silo", silo)):
        t = res.agency_table().drop(columns=["scenario"])
        t.insert(0, "arm", arm)
        frames.append(t)
    buf = io.StringIO()
    buf.write(settings_header(levers))
    pd.concat(frames, ignore_index=True).to_csv(buf, index=False)
    return buf.getvalue()


def explanations() -> list[dict[str, str]]:
    """Plain-language text for every registered intervention (for the explanation panel)."""
    return [
        {
            "name": name,
            "summary": cls.summary,
            "explanation": cls.explanation,
            "evidence": cls.evidence,
        }
        for name, cls in sorted(REGISTRY.items())
    ]
