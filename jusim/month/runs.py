"""Runs stepped together: the run axis of the month (docs/design-notes.md items 12-14).

A phase's ``run(runs)`` takes a ``Runs``: the states and flows of R runs of one world, stepped
month by month in lockstep. ``jusim.run`` is a ``Runs`` of one (R = 1); ``jusim.run_batch`` hands
a chunk of runs at once. A phase written over the run axis gathers what it needs as arrays whose
first axis is the run (``runs.stack("trust")`` is (R, A, A)), calls the mechanisms once for all R
runs and scatters the results back (``runs.put("trust", x)``); a phase not yet written so steps
its runs one after another (``runs.each(run_one)``).

Why this keeps every run's result exactly what it is alone: each run draws only from its own
generators, and the arithmetic over the run axis is elementwise, or reduces along a non-run axis
in the same order as a single run does (numpy sums a contiguous last axis pairwise, any other
axis in sequence, per run either way), so a run's bits do not depend on the batch
(``tests/test_batch.py``, ``tests/test_engine_docking.py``).

Parameters: ``runs.params.trust.tolerance`` is a plain number when every run has the same value
(the common case: seeds of one draw) and otherwise a ``PerRun`` array of R values, which lines up
with the run axis of whatever array it meets (``PerRun`` (R,) times an (R, A, A) array multiplies
run r's matrix by run r's value). A parameter that is itself a table and differs between runs
cannot be lined up so; ``jusim.batch`` groups runs so that such tables agree within a ``Runs``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from jusim.month.state import Flows, State

_ALIGNED = frozenset({np.where, np.clip, np.minimum, np.maximum, np.select})


class PerRun(np.ndarray):
    """A parameter's values, one per run (shape (R,)). In a ufunc (and ``np.where``/``np.clip``)
    with arrays whose first axis is the run axis, it is reshaped to (R, 1, ..., 1), so that it
    lines up with that axis rather than with the last one."""

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        args = _aligned(inputs)
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, PerRun) else o for o in out)
        result = getattr(ufunc, method)(*args, **kwargs)
        if all(isinstance(x, PerRun) or np.ndim(x) == 0 for x in inputs):
            return np.asarray(result).view(PerRun)  # still one value per run
        return result

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        if func in _ALIGNED:
            plain = _aligned(args)
            return func(*plain, **kwargs)
        plain = tuple(a.view(np.ndarray) if isinstance(a, PerRun) else a for a in args)
        return func(*plain, **kwargs)

    def __bool__(self) -> bool:
        raise TypeError(
            "a parameter that differs between the runs of a batch cannot decide an `if`; "
            "write the rule with np.where (or let jusim.batch group such runs)"
        )


def _aligned(inputs: tuple[Any, ...]) -> list[Any]:
    """``PerRun`` operands reshaped to (R, 1, ..., 1) for the largest rank among the operands."""
    nd = max((np.ndim(x) for x in inputs), default=0)
    out = []
    for x in inputs:
        if isinstance(x, PerRun):
            x = x.view(np.ndarray)
            x = x.reshape(x.shape[:1] + (1,) * (nd - 1)) if nd > 1 else x
        out.append(x)
    return out


class _Group:
    """One parameter group (``runs.params.trust``) over the runs: a value per name, gathered once."""

    def __init__(self, groups: list[Any]) -> None:
        self._groups = groups
        self._cache: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._cache[name]
        except KeyError:
            pass
        values = [getattr(g, name) for g in self._groups]
        first = values[0]
        if all(_same(v, first) for v in values[1:]):
            value = first
        elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            value = np.array(values, dtype=float).view(PerRun)
        elif all(isinstance(v, bool | np.bool_) for v in values):
            value = np.array(values, dtype=bool).view(PerRun)
        else:
            raise TypeError(
                f"parameter {name!r} is a table that differs between the runs of one batch; "
                "jusim.batch groups runs so that this does not happen"
            )
        self._cache[name] = value
        return value


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return bool(np.array_equal(a, b))
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


class _Params:
    """``runs.params.<group>``: the runs' parameter groups side by side."""

    def __init__(self, states: list[State]) -> None:
        self._states = states
        self._cache: dict[str, _Group] = {}

    def __getattr__(self, name: str) -> _Group:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._cache:
            self._cache[name] = _Group([getattr(s.params, name) for s in self._states])
        return self._cache[name]


class Runs:
    """The states and this month's flows of R runs of one world, stepped together."""

    def __init__(
        self,
        states: list[State],
        params: _Params | None = None,
        rows: dict[tuple[str, str], tuple[np.ndarray, list[Any]]] | None = None,
    ) -> None:
        self.states = states
        self.flows = [Flows() for _ in states]
        self.params = params if params is not None else _Params(states)
        # (kind, name) -> an (R, ...) array and the objects its runs hold (rows of it after
        # ``put``; the world's own arrays for ``stack_world``): while every run still holds the
        # same object, gathering returns the array itself, as a run alone gets its own array
        self._rows = rows if rows is not None else {}

    @classmethod
    def of(cls, state: State) -> Runs:
        """A run alone (R = 1)."""
        return cls([state])

    def next_month(self) -> Runs:
        """The same runs with fresh flows for the next month (parameters gathered once)."""
        return Runs(self.states, self.params, self._rows)

    @property
    def n(self) -> int:
        return len(self.states)

    @property
    def world(self) -> Any:
        """The first run's world, for its sizes (every run of a ``Runs`` has the same shapes)."""
        return self.states[0].world

    def __iter__(self) -> Iterator[tuple[State, Flows]]:
        return iter(zip(self.states, self.flows, strict=True))

    def each(self, run_one: Callable[[State, Flows], None]) -> None:
        """Step a phase not yet written over the run axis: one run after another."""
        for s, f in zip(self.states, self.flows, strict=True):
            run_one(s, f)

    # gathering and scattering ------------------------------------------------------------
    def _stack(self, values: list[Any]) -> np.ndarray:
        if len(values) == 1:
            return np.asarray(values[0])[None]
        try:
            shapes = {v.shape for v in values}
        except AttributeError:  # not arrays
            return np.stack(values)
        if len(shapes) != 1 or not values[0].ndim:
            return np.stack(values)  # (its error names the shapes that differ)
        # np.concatenate and a reshape: the same array as np.stack, in a third of the time
        return np.concatenate(values).reshape((len(values), *values[0].shape))

    def _gather(self, kind: str, holders: list[Any], name: str) -> np.ndarray:
        values = [getattr(h, name) for h in holders]
        kept = self._rows.get((kind, name))
        if kept is not None and all(a is b for a, b in zip(values, kept[1], strict=True)):
            return kept[0]
        stacked = self._stack(values)
        if kind in ("world", "fixed"):  # never changed: the same stack every month
            self._rows[kind, name] = (stacked, values)
        return stacked

    def _put(self, kind: str, holders: list[Any], name: str, values: np.ndarray) -> None:
        rows = [values[0]] if len(holders) == 1 else list(values)
        for h, v in zip(holders, rows, strict=True):
            setattr(h, name, v)
        if isinstance(values, np.ndarray) and len(rows) > 1:
            self._rows[kind, name] = (values, rows)

    def stack(self, name: str) -> np.ndarray:
        """A state field of every run, stacked along a leading run axis. Like a run alone's own
        array (R = 1), the result may be the array whose rows the runs hold (after ``put``):
        change it in place only to change the runs' fields."""
        return self._gather("state", self.states, name)

    def stack_fixed(self, name: str) -> np.ndarray:
        """A state field that no phase changes after month 0 (the spillover channels), stacked
        once and then the same array every month."""
        return self._gather("fixed", self.states, name)

    def stack_world(self, name: str) -> np.ndarray:
        return self._gather("world", [s.world for s in self.states], name)

    def stack_rules(self, name: str) -> np.ndarray:
        return self._gather("rules", [s.rules for s in self.states], name)

    def stack_flow(self, name: str) -> np.ndarray:
        return self._gather("flow", self.flows, name)

    def put(self, name: str, values: np.ndarray) -> None:
        """Scatter (R, ...) values back into a state field of each run (each holds its row)."""
        self._put("state", self.states, name, values)

    def put_rules(self, name: str, values: np.ndarray) -> None:
        self._put("rules", [s.rules for s in self.states], name, values)

    def put_flow(self, name: str, values: np.ndarray) -> None:
        self._put("flow", self.flows, name, values)

    def streams(self, name: str) -> list[np.random.Generator]:
        """Each run's own generator of a stream (draw run by run, then stack)."""
        return [s.streams[name] for s in self.states]
