"""One call from named parameters to scalar outcomes, for the analysts' own tools.

``jusim.evaluate(base, seed=0, **params) -> dict[str, float]`` runs ``base`` (a scenario object,
file or shipped name) with ``params`` applied and returns the run's summary metrics. It is the
function that EMA Workbench, SALib or a notebook loop calls (recipes in ``docs/sweeps.md``).

Parameter names are the override paths of the sweep files (``Scenario.with_overrides``), written
with dots or, to be valid Python identifiers, with double underscores::

    context.churn_scale                == context__churn_scale
    interventions.secondees.count      == interventions__secondees__count
    parameters.trust.gain              == parameters__trust__gain

An intervention the base scenario lacks is added when any of its fields is given
(``interventions__secondees__count=12, interventions__secondees__host="local_authority", ...``:
the fields it requires must be among them). ``interventions__TYPE=True``/``False`` switches an
intervention on (added with the fields given) or off (removed, with the fields given ignored).

Metric names come back identifier-safe: the dots of ``attainment.rough_sleeping`` become
``attainment__rough_sleeping`` (:func:`jusim.metrics.identifier`). With ``replications`` > 1 the
metrics are means over that many runs on seeds spawned from ``seed`` (the same seeds for every
parameter setting: common random numbers, as in ``jusim compare``).

``ensemble`` (default ``"none"``) runs each of ``draws`` parameter draws (default 10) of an
ensemble (``"default"``: the shipped posterior; or a file, see :mod:`jusim.ensemble`) on
``replications`` seeds each, and returns means over all draws x seeds; ``params`` are applied
first and win over the draw for the paths they set, and the draw's other paths apply to the
scenario as it then is. With ``distribution=True`` it returns the runs themselves instead: a
DataFrame with one row per (draw, replication) and one column per metric. The default stays
``"none"`` because samplers (EMA Workbench, SALib) set the parameters themselves: an ensemble
under them would mix the posterior's spread into every point of their design and change what
their indices mean. Seeds: run ``k = d * replications + s`` uses draw ``d`` and child ``k`` of
``SeedSequence(seed).spawn(draws * replications)``, as in ``jusim compare``; all runs are one
``jusim.run_batch``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from jusim.ensemble import Ensemble, design
from jusim.lazy import lazy
from jusim.metrics import identifier
from jusim.scenario import Scenario, ScenarioError

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy("pandas")  # only ``evaluate``'s table needs it; a batch imports this module

SOURCE = "jusim.evaluate"


def _path(name: str) -> str:
    return name.replace("__", ".")


def scenario_with(base: Scenario, params: dict[str, Any]) -> Scenario:
    """``base`` with ``params`` (override paths, dotted or with ``__``) applied; interventions
    named in the paths but absent from ``base`` are added. Errors name the parameter."""
    paths = {_path(k): v for k, v in params.items()}
    present = {iv.name for iv in base.interventions}
    switches: dict[str, bool] = {}
    new: dict[str, dict[str, Any]] = {}
    overrides: dict[str, Any] = {}
    for path, value in paths.items():
        parts = path.split(".")
        if parts[0] == "interventions" and len(parts) == 2:
            if not isinstance(value, bool | np.bool_):
                raise ScenarioError(
                    [(SOURCE, path, value, "True (add the intervention) or False (remove it)")]
                )
            switches[parts[1]] = bool(value)
        elif parts[0] == "interventions" and len(parts) >= 3 and parts[1] not in present:
            table = new.setdefault(parts[1], {"type": parts[1]})
            node = table
            for p in parts[2:-1]:
                node = node.setdefault(p, {})
            node[parts[-1]] = value.item() if isinstance(value, np.generic) else value
        else:
            overrides[path] = value.item() if isinstance(value, np.generic) else value
    scenario = base
    off = {t for t, on in switches.items() if not on}
    added = [t for name, t in new.items() if switches.get(name, True)]
    added += [{"type": t} for t, on in switches.items() if on and t not in new and t not in present]
    if off or added:
        kept = [iv.to_dict() for iv in base.interventions if iv.name not in off]
        try:
            scenario = base.model_copy(update={"source": SOURCE}).with_interventions(kept + added)
        except ScenarioError as e:
            raise ScenarioError(
                [(SOURCE, _param_of(fld, added, kept), v, a) for _, fld, v, a in e.problems]
            ) from None
        overrides = {
            k: v
            for k, v in overrides.items()
            if not (k.startswith("interventions.") and k.split(".")[1] in off)
        }
    if not overrides:
        return scenario
    try:
        return scenario.with_overrides(overrides, source=SOURCE)
    except ScenarioError:
        raise
    except (KeyError, IndexError, ValueError, TypeError) as e:
        raise ScenarioError(
            [(SOURCE, "(parameters)", list(overrides), f"dotted override paths ({e})")]
        ) from None


def _param_of(field: str, added: list[dict[str, Any]], kept: list[dict[str, Any]]) -> str:
    """Turn ``interventions[3](secondees).host`` into ``interventions.secondees.host``."""
    if field.startswith("interventions[") and "(" in field and ")" in field:
        kind = field[field.index("(") + 1 : field.index(")")]
        rest = field[field.index(")") + 1 :]
        return f"interventions.{kind}{rest}"
    return field


def evaluate(
    base: Scenario | str | Path,
    seed: int | np.random.SeedSequence = 0,
    replications: int = 1,
    ensemble: str | Path | Ensemble | None = "none",
    draws: int | None = None,
    distribution: bool = False,
    **params: Any,
) -> dict[str, float] | pd.DataFrame:
    """Run ``base`` with ``params`` applied; the summary metrics with identifier-safe names.

    See the module docstring for the parameter names and ``ensemble``. Bad names or values raise
    :class:`jusim.ScenarioError` naming the parameter, the value and what is allowed.
    """
    import jusim

    scenario = scenario_with(jusim.as_scenario(base), params)
    if replications < 1:
        raise ScenarioError([(SOURCE, "replications", replications, "a whole number >= 1")])
    ens, _, _ = design(ensemble, draws, replications)
    if ens is None and replications == 1 and not distribution:
        summary = jusim.run(scenario, seed=seed).summary()
        return {identifier(k): float(v) for k, v in summary.items()}
    if isinstance(seed, np.random.SeedSequence):  # a copy: spawning must not change the caller's
        root = np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key)
    else:
        root = np.random.SeedSequence(int(seed))
    n_draws = 1 if ens is None else len(ens)
    seeds = root.spawn(n_draws * replications) if (ens is not None or replications > 1) else [seed]
    keep = frozenset(_path(k) for k in params)
    arms = [scenario if ens is None else ens.apply(scenario, d, keep) for d in range(n_draws)]
    batch = jusim.run_batch([arms[k // replications] for k in range(len(seeds))], seeds)
    runs = [result.summary() for result in batch]
    rows = [(-1 if ens is None else int(ens.ids[k // replications]), k) for k in range(len(seeds))]
    if distribution:
        table = pd.DataFrame([{identifier(k): float(v) for k, v in r.items()} for r in runs])
        table.insert(0, "replication", [k for _, k in rows])
        if ens is not None:
            table.insert(0, "draw", [d for d, _ in rows])
        return table
    return {identifier(k): float(np.nanmean([r[k] for r in runs])) for k in runs[0]}
