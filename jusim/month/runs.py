"""Runs stepped together: the run axis of the month (docs/design-notes.md items 12-14, 16).

A phase's ``run(runs)`` takes a ``Runs``: the states and flows of R runs of one world, stepped
month by month in lockstep. ``jusim.run`` is a ``Runs`` of one (R = 1); ``jusim.run_batch`` hands
a chunk of runs at once. A phase written over the run axis reads what it needs as arrays whose
first axis is the run (``runs.stack("trust")`` is (R, A, A)), calls the mechanisms once for all R
runs and hands the results back (``runs.put("trust", x)``); a phase not yet written so steps its
runs one after another (``runs.each(run_one)``).

Storage (item 16): the (R, ...) array is the storage. Every array field of the runs' states,
rules and flows is one block (``state.Table``); each run's ``State``, ``Rules`` and ``Flows``
read and write their row of it, so per-run code (interventions through ``RunView``,
partnerships, the recorder, ``JoinedUpModel``) is unchanged. ``stack`` returns the block itself
(no copy, no per-run Python; read-only views when ``state.Table.checked``, as in the tests);
``put`` replaces it (no copy); each month the runs get new rules, one copy a field of their
blank rules for all runs (``renew_rules``). A world's arrays are gathered once, read-only.

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

from jusim.month.state import Flows, Rules, State, Table

_ALIGNED = frozenset({np.where, np.clip, np.minimum, np.maximum, np.select})


class PerRun(np.ndarray):
    """A parameter's values, one per run (shape (R,)). In a ufunc (and ``np.where``/``np.clip``)
    with arrays whose first axis is the run axis, it is reshaped to (R, 1, ..., 1), so that it
    lines up with that axis rather than with the last one."""

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if ufunc is np.power and method == "__call__" and len(inputs) == 2 and not kwargs:
            result = _power(*inputs)
            if result is not NotImplemented:
                return result
        args = _aligned(inputs)
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, PerRun) else o for o in out)
        result = getattr(ufunc, method)(*args, **kwargs)
        if all(isinstance(x, PerRun) or np.ndim(x) == 0 for x in inputs):
            return np.asarray(result).view(PerRun)  # still one value per run
        return result

    def __pow__(self, other: Any) -> Any:  # numpy would take np.square for ``** 2``
        result = _power(self, other)
        return super().__pow__(other) if result is NotImplemented else result

    def __rpow__(self, other: Any) -> Any:
        result = _power(other, self)
        return super().__rpow__(other) if result is NotImplemented else result

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


# numpy computes ``array ** number`` for these numbers without ``pow`` (whose last bit can differ)
_FAST_POWERS = ((2.0, np.square), (0.5, np.sqrt), (-1.0, np.reciprocal))


def _power(base: Any, exponent: Any) -> Any:
    """``base ** exponent`` with a ``PerRun`` operand, with each run's bits as a run alone gets
    them: a parameter's own arithmetic (``rho ** 2``) as Python numbers compute it (C ``pow``,
    where numpy's ``square`` can differ in the last bit), and an array to a per-run exponent as
    numpy computes ``array ** number`` (``square``, ``sqrt`` and ``reciprocal`` for 2, 0.5 and -1,
    ``pow`` otherwise). ``NotImplemented`` for other cases (the plain aligned ufunc is exact)."""
    if all(isinstance(x, PerRun) or np.ndim(x) == 0 for x in (base, exponent)):
        b, e = np.broadcast_arrays(np.asarray(base, dtype=float), np.asarray(exponent, dtype=float))
        values = [x**y for x, y in zip(b.tolist(), e.tolist(), strict=True)]
        return np.array(values, dtype=float).view(PerRun)
    if not isinstance(exponent, PerRun) or isinstance(base, PerRun) or np.ndim(base) == 0:
        return NotImplemented
    b = np.asarray(base)
    e = exponent.view(np.ndarray)
    e = e.reshape(e.shape[:1] + (1,) * (b.ndim - 1))
    out = np.power(b, e)
    for value, fast in _FAST_POWERS:
        hit = e == value
        if hit.any():
            with np.errstate(all="ignore"):  # runs with another exponent do not use it
                out = np.where(hit, fast(b), out)
    return out


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

    def __getattr__(self, name: str) -> Any:  # (first read only: then an attribute)
        if name.startswith("_"):
            raise AttributeError(name)
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
        self.__dict__[name] = value  # later reads skip __getattr__
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

    def __getattr__(self, name: str) -> _Group:  # (first read only: then an attribute)
        if name.startswith("_"):
            raise AttributeError(name)
        group = self.__dict__[name] = _Group([getattr(s.params, name) for s in self._states])
        return group


class _Worlds(dict):
    """The runs' world arrays by name, each (R, ...) and read-only, gathered on first lookup (a
    world does not change during a run)."""

    __slots__ = ("states",)

    def __init__(self, states: list[State]) -> None:
        super().__init__()
        self.states = states

    def __missing__(self, name: str) -> np.ndarray:
        out = np.stack([getattr(s.world, name) for s in self.states])
        out.flags.writeable = False
        self[name] = out
        return out


class _Together:
    """What the runs of a ``Runs`` keep from month to month: the tables of their states and rules
    (``state.Table``), their parameters, their worlds' arrays (read-only, gathered once:
    a world does not change during a run), their streams, and the phases' own ``cache``."""

    def __init__(self, states: list[State]) -> None:
        self.states = states
        self.state = Table.adopt(states)
        self.state.batch = self
        self.rules = Table.adopt([s.rules for s in states])
        self.params = _Params(states)
        self.worlds: dict[str, np.ndarray] = _Worlds(self.states)
        self.streams: dict[str, list[np.random.Generator]] = {}
        self.cache: dict[str, Any] = {}

    @classmethod
    def of(cls, states: list[State]) -> _Together:
        """The runs' shared storage: kept if these states, in this order, are already together."""
        table = states[0].__dict__.get("_t")
        kept = None if table is None else table.batch
        if kept is not None and kept.states == states:
            return kept
        return cls(list(states))


class Runs:
    """The states and this month's flows of R runs of one world, stepped together. Each array
    field of the states, the rules and the flows is one (R, ...) block (``state.Table``) that is
    the storage itself: each run's ``State``, ``Rules`` and ``Flows`` read and write its row."""

    def __init__(self, states: list[State], *, _last: Runs | None = None) -> None:
        together = _last._together if _last is not None else _Together.of(states)
        self._together = together
        self.states = together.states
        self._flows = Table(Flows, len(self.states))  # this month's own
        self.flows: list[Flows] = self._flows.bound()  # (last month's keep their values)
        self.params = together.params
        self.cache = together.cache  # kept from month to month for the same runs (phases' own)
        # The blocks' accessors, bound once: a phase calls them some 250 times a month, and for
        # a run alone going through this object's methods cost as much as the tables' own work.
        # (The methods below say what each does; ``renew_rules`` rebinds the rules' two.)
        self.stack = together.state.reader()
        self.put = together.state.put
        self.stack_rules = together.rules.reader()
        self.put_rules = together.rules.put
        self.stack_flow = self._flows.reader()
        self.put_flow = self._flows.put
        self.stack_world = together.worlds.__getitem__
        self.n = len(self.states)
        self.world = self.states[0].world  # (the first run's, for its sizes: one shape for all)

    @classmethod
    def of(cls, state: State) -> Runs:
        """A run alone (R = 1)."""
        return cls([state])

    def next_month(self) -> Runs:
        """The same runs with fresh flows for the next month (parameters gathered once)."""
        return Runs(self.states, _last=self)

    def __iter__(self) -> Iterator[tuple[State, Flows]]:
        return iter(zip(self.states, self.flows, strict=True))

    def each(self, run_one: Callable[[State, Flows], None]) -> None:
        """Step a phase not yet written over the run axis: one run after another."""
        for s, f in zip(self.states, self.flows, strict=True):
            run_one(s, f)

    # the (R, ...) blocks -------------------------------------------------------------------
    def stack(self, name: str) -> np.ndarray:
        """A state field of every run, (R, ...): the block itself (no copy; a run's change to its
        row is a change of it). Do not write it: compute new arrays and ``put`` them."""
        return self._together.state.stack(name)

    def put(self, name: str, values: np.ndarray) -> None:
        """Replace a state field of every run by (R, ...) ``values`` (each run's field is then its
        row). The array is taken as it is, not copied: do not change it afterwards."""
        self._together.state.put(name, values)

    def stack_world(self, name: str) -> np.ndarray:
        """A world array of every run (read-only, gathered once: a world does not change)."""
        return self._together.worlds[name]

    def stack_rules(self, name: str) -> np.ndarray:
        """A field of this month's rules of every run (the block, as ``stack``)."""
        return self._together.rules.stack(name)

    def put_rules(self, name: str, values: np.ndarray) -> None:
        self._together.rules.put(name, values)

    def renew_rules(self, blocks: dict[str, np.ndarray], lists: dict[str, list[Any]]) -> None:
        """New rules for every run (last month's ``Rules`` objects keep their values): each field
        a copy of its (R, ...) block in ``blocks`` (one copy a field for all runs), or of its
        per-run values in ``lists``, or its default."""
        table = Table(Rules, self.n)
        table.renew(blocks, lists)
        for s, rules in zip(self.states, table.bound(), strict=True):
            s.rules = rules
        self._together.rules = table
        self.stack_rules, self.put_rules = table.reader(), table.put

    def stack_flow(self, name: str) -> np.ndarray:
        """A flow of every run (the block, as ``stack``)."""
        return self._flows.stack(name)

    def put_flow(self, name: str, values: np.ndarray) -> None:
        """A flow of every run: (R, ...) values, or a list of R values (one per run)."""
        self._flows.put(name, values)

    def flow_values(self, name: str) -> list[Any]:
        """A flow of every run as a list of R values, one per run (a flow that is not an array,
        such as churn's count of leavers). Read it, do not change it."""
        return self._flows.values(name)

    def streams(self, name: str) -> list[np.random.Generator]:
        """Each run's own generator of a stream (draw run by run, then stack)."""
        out = self._together.streams.get(name)
        if out is None:
            out = self._together.streams[name] = [s.streams[name] for s in self.states]
        return out
