"""A run's random streams: one generator per stream of the run's seed, each made on first use.

Randomness: a ``numpy.random.SeedSequence`` from the seed gives one child for ``model.rng`` (Mesa's
generator) and one per mechanism stream (world, churn, ties, trust, events, handover; each made
on first use, ``Streams``), so runs of different scenarios with the same seed draw the same churn
and tie events wherever their states agree (common random numbers). Kept apart from
``jusim.model``, like ``jusim.month.initial.new_run``, so that a batch, which makes no Mesa model,
does not import Mesa: 1.3-1.5 s of CPU on the shared machine of session 27, more than a run (Mesa
3 imports scipy, networkx and tqdm, and its logging decorator inspects the stack).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from jusim.seeding import Seeder

__all__ = ["STREAMS", "Streams", "child_streams", "seed_sequence"]

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
    the same numbers as one made at once; only the construction is deferred, and a batch never
    makes the streams it does not use (``model``: no Mesa model; ``events`` without interventions
    that draw). Each is made by ``seeding.Seeder`` (the run's entropy mixed once for all its
    streams: about half the 45 µs a stream of ``default_rng``), the same generator bit for bit. Reading one by name (``streams["churn"]``) makes that one;
    anything that lists the streams (iteration, ``len``, ``items``, ``get``, ``in``) makes them all
    first, so it sees a plain dict of the twelve."""

    __slots__ = ("_entropy", "_key", "_seeder")

    def __init__(self, ss: np.random.SeedSequence) -> None:
        super().__init__()
        self._entropy, self._key = ss.entropy, tuple(ss.spawn_key)
        self._seeder: Seeder | None = None  # the run's entropy mixed once (jusim/seeding.py)

    def __missing__(self, name: str) -> np.random.Generator:
        k = _STREAM_INDEX[name]  # KeyError for a name that is not a stream, as a dict
        seeder = self._seeder
        if seeder is None:
            seeder = self._seeder = Seeder(self._entropy, self._key)
        if seeder.usable:  # the same generator as below, bit for bit, for less
            rng = seeder.generator(k)
        else:
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
