"""Many runs of one world in one call: ``jusim.run_batch(scenario, seeds, params=None)``.

``run_batch`` makes R runs of one world in one call and returns one ``RunResult`` per run, in
order. The runs may differ in seed and in parameter values:

- ``seeds``: R seeds (ints or ``numpy.random.SeedSequence``); run ``r`` draws only from its own
  generators, made from ``seeds[r]`` by ``jusim.model.child_streams`` exactly as ``jusim.run``
  makes them, so its result does not depend on the batch's size or on its position in it.
- ``params``: override paths (``context.churn_scale`` or ``context__churn_scale``, as in
  ``jusim.evaluate``) to values. A scalar (a number, string or bool, or a 0-d array) applies to
  every run; a value per run is a numpy array whose first axis has length R, or a list or tuple
  of length R (a parameter that is itself a list is given per run, as a list of R lists). Each
  run's scenario is ``jusim.evaluation.scenario_with(scenario, its values)``, validated as for
  ``jusim.evaluate``; equal values are validated once.
- ``scenario``: a scenario (object, file or shipped name), or a sequence of R scenarios (one per
  run, e.g. the points of a sweep chunk or the draws of an ensemble), to which ``params`` apply.

One engine: ``jusim.run(scenario, seed)`` is ``run_batch(scenario, [seed])[0]``; a batch steps
``chunk`` runs at a time (default 100) month by month together, the phases taking all of them at
once along a run axis (``step_chunk``; ``jusim/month/runs.py``; docs/design-notes.md items 13-14).
``progress(n)`` is called after each chunk with its n runs. Setting up: runs whose scenarios share
agencies, outcomes and interventions share one read-only world, each run's generators are made on
first use, and the garbage collector leaves the objects alive at a chunk's start alone while it
steps (docs/design-notes.md item 17).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from jusim.metrics import RunResult
from jusim.scenario import Scenario, ScenarioError

SOURCE = "jusim.run_batch"
CHUNK = 100  # runs a chunk hands to step_chunk (docs/design-notes.md item 13)

ScenarioLike = Scenario | str | Path


def _per_run(name: str, value: Any, runs: int) -> list[Any] | None:
    """The parameter's values run by run, or None when one value applies to every run."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return None
        values = list(value)
    elif isinstance(value, list | tuple):
        values = list(value)
    else:
        return None
    if len(values) != runs:
        raise ScenarioError(
            [
                (
                    SOURCE,
                    f"params.{name}",
                    f"{len(values)} values",
                    f"one value for all runs, or one per run ({runs})",
                )
            ]
        )
    return [v.item() if isinstance(v, np.generic) else v for v in values]


def _key(value: Any) -> Any:
    """A hashable stand-in for a parameter value (lists and dicts nest)."""
    if isinstance(value, list | tuple):
        return tuple(_key(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _key(v)) for k, v in value.items()))
    if isinstance(value, np.ndarray):
        return ("array", value.shape, value.tobytes())
    return (type(value).__name__, value)


def scenarios_for(
    scenario: ScenarioLike | Sequence[ScenarioLike],
    runs: int,
    params: Mapping[str, Any] | None = None,
) -> list[Scenario]:
    """Each run's scenario: ``scenario`` (one, or one per run) with its values of ``params``."""
    from jusim import as_scenario
    from jusim.evaluation import scenario_with

    if isinstance(scenario, Scenario | str | Path):
        bases = [as_scenario(scenario)] * runs
    else:
        bases = [as_scenario(s) for s in scenario]
        if len(bases) != runs:
            raise ScenarioError(
                [(SOURCE, "scenario", f"{len(bases)} scenarios", f"one, or one per run ({runs})")]
            )
    if not params:
        return bases
    shared = {k: v for k, v in params.items() if _per_run(k, v, runs) is None}
    varying = {k: _per_run(k, v, runs) for k, v in params.items() if k not in shared}
    fast = all(_numeric_path(k) for k in varying) and all(
        isinstance(x, int | float) and not isinstance(x, bool) for v in varying.values() for x in v
    )
    made: dict[Any, Scenario] = {}
    with_shared: dict[int, Scenario] = {}
    out = []
    for r, base in enumerate(bases):
        values = {k: v[r] for k, v in varying.items()}
        if fast:  # shared values validated once per base, numbers per run field by field
            if id(base) not in with_shared:
                with_shared[id(base)] = scenario_with(base, shared) if shared else base
            key = (id(base), tuple((k, _key(v)) for k, v in values.items()))
            if key not in made:
                made[key] = _with_numbers(with_shared[id(base)], values)
        else:
            values = {**shared, **values}
            key = (id(base), tuple((k, _key(v)) for k, v in values.items()))
            if key not in made:
                made[key] = scenario_with(base, values)
        out.append(made[key])
    return out


def _numeric_path(name: str) -> bool:
    """A path to one number of a mechanism's parameters or of the context."""
    parts = name.replace("__", ".").split(".")
    return (len(parts) == 3 and parts[0] == "parameters") or (
        len(parts) == 2 and parts[0] == "context"
    )


def _with_numbers(base: Scenario, values: Mapping[str, float]) -> Scenario:
    """``base`` with numbers set in its parameter and context tables, each table validated
    alone (about 10 µs, against a millisecond for a whole scenario: per-run draws of a calibration
    or an ensemble). These tables have no rule that involves the rest of the scenario; a value a
    table refuses is re-checked through ``scenario_with`` for its usual message."""
    from jusim.evaluation import scenario_with

    tables: dict[tuple[str, ...], dict[str, Any]] = {}
    for name, value in values.items():
        *where, field_name = name.replace("__", ".").split(".")
        tables.setdefault(tuple(where), {})[field_name] = value
    parameters, context = base.parameters, base.context
    try:
        for where, changes in tables.items():
            if where[0] == "context":
                context = type(context).model_validate({**context.model_dump(), **changes})
            else:
                group = getattr(parameters, where[1], None)
                if group is None:
                    raise ValueError(where[1])
                new = type(group).model_validate({**group.model_dump(), **changes})
                parameters = parameters.model_copy(update={where[1]: new})
    except ValueError:  # pydantic's ValidationError is one: the usual message, from the file
        return scenario_with(base, dict(values))
    return base.model_copy(update={"parameters": parameters, "context": context})


def run_batch(
    scenario: ScenarioLike | Sequence[ScenarioLike],
    seeds: Sequence[int | np.random.SeedSequence],
    params: Mapping[str, Any] | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> list[RunResult]:
    """R runs of one world (R = ``len(seeds)``), one ``RunResult`` per run in order; see the
    module docstring for ``seeds``, ``params`` and ``scenario``. Bad parameters raise
    :class:`jusim.ScenarioError` naming the parameter, the value and what is allowed."""
    seeds = list(seeds)
    if chunk < 1:
        raise ScenarioError([(SOURCE, "chunk", chunk, "a whole number >= 1")])
    scenarios = scenarios_for(scenario, len(seeds), params)
    results: list[RunResult] = []
    worlds: dict[Any, Any] = {}  # one world per scenario's agencies, outcomes and interventions
    for start in range(0, len(seeds), chunk):
        stop = min(start + chunk, len(seeds))
        results += step_chunk(scenarios[start:stop], seeds[start:stop], worlds)
        if progress:
            progress(stop - start)
    return results


def _shape_key(s: Any) -> tuple[Any, ...]:
    """Runs with equal keys can be stepped together along a run axis: one horizon, the same
    shapes of world, and the same value of every parameter that is a table rather than a number
    (``jusim/month/runs.py``); numbers may differ run by run."""
    tables = []
    for group, values in s.params:
        for name, value in values:
            if not isinstance(value, int | float | bool):
                tables.append((group, name, _key(value)))
    shapes = tuple(
        (name, value.shape)
        for name, value in vars(s.world).items()
        if isinstance(value, np.ndarray)
    )
    return (s.scenario.horizon - s.month, shapes, tuple(tables))


@contextmanager
def _frozen_gc() -> Iterator[Callable[[], None]]:
    """Objects alive now (the imports, the scenarios) moved out of the garbage collector's sight
    for the chunk (``gc.freeze``), and back on exit, also on error (``gc.unfreeze``): a full
    collection of a process with numba, pydantic and the runs' states loaded scans all of them,
    0.1-0.35 s each, a few per 1,000 runs, though none of them is garbage of the chunk. Yields
    ``gc.freeze`` to add the chunk's states once built. A caller that froze objects itself (a
    worker, a nested call) keeps its own: then nothing is frozen or unfrozen here. Reference
    counting frees what a chunk drops as before; only cycles wait for the unfreeze."""
    if gc.get_freeze_count():
        yield lambda: None
        return
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def step_chunk(
    scenarios: Sequence[Scenario],
    seeds: Sequence[int | np.random.SeedSequence],
    worlds: dict[Any, Any] | None = None,
) -> list[RunResult]:
    """The runs of one chunk, stepped to their horizon month by month together (``jusim.month.step``
    over a ``Runs``, docs/design-notes.md item 14), in groups whose shapes and parameter tables
    agree; each run's result is what it is alone. Runs whose scenarios share agencies, outcomes
    and interventions share one (read-only) world (``jusim.world.world_for``; ``worlds`` carries
    them from chunk to chunk)."""
    from jusim.month.initial import new_run
    from jusim.world import world_for

    worlds = {} if worlds is None else worlds
    with _frozen_gc() as freeze:
        states = [
            new_run(sc, seed, world=world_for(sc, worlds))
            for sc, seed in zip(scenarios, seeds, strict=True)
        ]
        freeze()  # the chunk's states too: its full collections scan only what a month makes
        return _step(states)


def _step(states: list[Any]) -> list[RunResult]:
    from jusim import month
    from jusim.month.runs import Runs

    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, state in enumerate(states):
        groups.setdefault(_shape_key(state), []).append(i)
    results: list[RunResult | None] = [None] * len(states)
    for (months, *_), members in groups.items():
        runs = Runs([states[i] for i in members])
        for _ in range(months):
            month.step(runs)
            # (last month's rules and flows hold no reference cycle, ``state.Table``: reference
            # counting frees their blocks here, with no collection; docs/design-notes.md item 16)
            runs = runs.next_month()
        for i in members:
            results[i] = states[i].recorder.result(states[i])
    return results  # type: ignore[return-value]
