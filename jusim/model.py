"""JoinedUpModel: one step is one month, a fixed schedule of phases over the run's state.

The phases are modules of ``jusim/month/`` (docs/odd.md, section 3): (0) budget; (1) rules — each
intervention sets this month's rules; (2) churn; (3) resources — platforms, partnership demand,
overhead, pooled and seconded commitments; (4) decision — agencies split what is left;
(5) production — joint and own outputs, clients and need; (6) relationships — contact, ties,
trust, understanding; (7) learning; (8) record. The run's state is a ``jusim.month.State``
(``model.state``); the model shows its fields as attributes (``model.trust``).

Randomness: a ``numpy.random.SeedSequence`` from the seed gives one child for ``model.rng`` (Mesa's
generator) and one per mechanism stream (world, churn, ties, trust, events, handover; each made
on first use, ``Streams``), so runs of different scenarios with the same seed draw the same churn
and tie events wherever their states agree (common random numbers).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import mesa
import numpy as np

from jusim import month
from jusim.agency import Agency
from jusim.metrics import Recorder, RunResult
from jusim.month.initial import initial_state
from jusim.month.runs import Runs
from jusim.month.state import Rules, State
from jusim.scenario import Scenario
from jusim.world import World

__all__ = ["JoinedUpModel", "Rules", "Streams", "child_streams", "seed_sequence"]

_STATE_FIELDS = frozenset(f.name for f in fields(State))

STREAMS = (
    "model",
    "world",
    "churn",
    "ties",
    "trust",
    "events",
    "handover",
    "own",
    "partnering",
    "mobility",
    "admin",
    "platforms",
)


def seed_sequence(seed: int | np.random.SeedSequence) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    return np.random.SeedSequence(int(seed))


class Streams(dict[str, np.random.Generator]):
    """A run's generators by stream name, each made on first use.

    Stream ``k`` of ``STREAMS`` is always ``default_rng(SeedSequence(entropy, spawn_key=(*key,
    k)))`` of the run's seed, the same child whenever it is made, so a generator made late gives
    the same numbers as one made at once; only the construction (about 45 µs a stream) is deferred,
    and a batch never makes the streams it does not use (``model``: no Mesa model; ``events``
    without interventions that draw). Reading one by name (``streams["churn"]``) makes that one;
    anything that lists the streams (iteration, ``len``, ``items``, ``get``, ``in``) makes them all
    first, so it sees a plain dict of the twelve."""

    __slots__ = ("_entropy", "_key")

    def __init__(self, ss: np.random.SeedSequence) -> None:
        super().__init__()
        self._entropy, self._key = ss.entropy, tuple(ss.spawn_key)

    def __missing__(self, name: str) -> np.random.Generator:
        k = _STREAM_INDEX[name]  # KeyError for a name that is not a stream, as a dict
        rng = np.random.default_rng(
            np.random.SeedSequence(self._entropy, spawn_key=(*self._key, k))
        )
        self[name] = rng
        return rng

    def _all(self) -> Streams:
        for name in STREAMS:
            self[name]
        return self

    def __iter__(self) -> Iterator[str]:
        return dict.__iter__(self._all())

    def __len__(self) -> int:
        return dict.__len__(self._all())

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self._all(), name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_streams_of, (self._entropy, self._key, dict(self.made())))

    def made(self) -> dict[str, np.random.Generator]:
        """The generators made so far (a view of what the run has drawn from)."""
        return {name: dict.__getitem__(self, name) for name in dict.keys(self)}

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return dict.get(self._all(), name, default)

    def keys(self):  # type: ignore[override]
        return dict.keys(self._all())

    def values(self):  # type: ignore[override]
        return dict.values(self._all())

    def items(self):  # type: ignore[override]
        return dict.items(self._all())


def _streams_of(
    entropy: Any, key: tuple[int, ...], made: dict[str, np.random.Generator]
) -> Streams:
    s = Streams(np.random.SeedSequence(entropy, spawn_key=key))
    dict.update(s, made)
    return s


_STREAM_INDEX = {name: k for k, name in enumerate(STREAMS)}


def child_streams(seed: int | np.random.SeedSequence) -> Streams:
    """Independent generators per stream (``Streams``: each made on first use), derived without
    mutating the parent sequence."""
    return Streams(seed_sequence(seed))


def new_run(
    scenario: Scenario,
    seed: int | np.random.SeedSequence,
    streams: dict[str, np.random.Generator] | None = None,
    world: World | None = None,
) -> State:
    """A run's state at month 0, its interventions set up and month 0 recorded (no Mesa model:
    ``jusim.run_batch`` steps states; ``JoinedUpModel`` wraps one with its agents). ``world``:
    the scenario's world when runs share it (``jusim.world.world_for``), else built here."""
    streams = streams if streams is not None else child_streams(seed)
    s = initial_state(scenario, seed, streams, world)
    s.interventions = list(scenario.interventions)
    s.intervention_state = [iv.setup(s) for iv in s.interventions]
    s.recorder = Recorder(
        scenario.horizon, s.world.n_outcomes, s.world.n_agencies, s.world.group_share.shape[1]
    )
    s.recorder.record_initial(s)
    return s


class JoinedUpModel(mesa.Model):
    """Agencies, staff and outcomes of one scenario, stepped month by month."""

    def __init__(self, scenario: Scenario, seed: int | np.random.SeedSequence = 0) -> None:
        streams = child_streams(seed)
        super().__init__(rng=streams["model"])
        self.state = s = new_run(scenario, seed, streams)
        for k in range(s.world.n_agencies):
            Agency(self, k)

    def __getattr__(self, name: str) -> Any:
        """The run's state fields read as the model's own (``model.trust``, ``model.rules``)."""
        if name == "state":
            raise AttributeError(name)
        return getattr(self.state, name)

    def __setattr__(self, name: str, value: Any) -> None:
        """Writing a state field (``model.trust = ...``) writes the run's state, which the phases
        read; anything else is the model's own attribute."""
        if name in _STATE_FIELDS and "state" in self.__dict__:
            setattr(self.state, name, value)
        else:
            super().__setattr__(name, value)

    def step(self) -> None:
        """One month: the phases of docs/odd.md section 3, in order (``jusim.month.step``)."""
        month.step(Runs.of(self.state))

    def run(self) -> RunResult:
        for _ in range(self.scenario.horizon - self.month):
            self.step()
        return self.result()

    def result(self) -> RunResult:
        return self.recorder.result(self.state)

    def release(self) -> None:
        """Drop Mesa 3.3.1's class-level references so a finished model can be freed."""
        mesa.Agent._ids.pop(self, None)
        self.remove_all_agents()
