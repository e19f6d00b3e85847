"""``jusim.seeding.Seeder`` makes the generator ``default_rng(SeedSequence(entropy,
spawn_key=(*key, k)))`` makes, bit for bit (state and draws), and ``Streams`` uses it."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest

from jusim.seeding import Seeder
from jusim.streams import STREAMS, Streams, child_streams


def _reference(entropy, key, k):
    return np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(*key, k)))


def _same(a: np.random.Generator, b: np.random.Generator) -> bool:
    return a.bit_generator.state == b.bit_generator.state and (
        a.random(4).tobytes() == b.random(4).tobytes()
        and a.integers(0, 2**62, 3).tolist() == b.integers(0, 2**62, 3).tolist()
    )


def _cases():
    rnd = random.Random(20)
    cases = [(0, ()), (1, ()), (2**32 - 1, ()), (2**32, ()), (2**128 - 1, (3,)), (7, (2**40,))]
    cases += [(np.int64(5), (np.uint32(3),)), (np.random.SeedSequence().entropy, ())]
    for _ in range(300):
        bits = rnd.choice([8, 31, 32, 33, 63, 64, 127, 128, 129, 200])
        key = tuple(
            rnd.getrandbits(rnd.choice([1, 8, 32, 33, 64])) for _ in range(rnd.randint(0, 3))
        )
        cases.append((rnd.getrandbits(bits), key))
    return cases


@pytest.mark.parametrize("k", [0, 1, 11, 2**33])
def test_seeder_gives_default_rngs_generator(k):
    for entropy, key in _cases():
        seeder = Seeder(entropy, key)
        assert seeder.usable
        assert _same(seeder.generator(k), _reference(entropy, key, k)), (entropy, key)


def test_streams_are_the_seed_sequences_children():
    for seed in [0, 3, 2**70, np.random.SeedSequence(9).spawn(3)[2]]:
        streams = child_streams(seed)
        ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        for k, name in enumerate(STREAMS):
            assert _same(streams[name], _reference(ss.entropy, ss.spawn_key, k))


def test_other_entropy_is_left_to_seed_sequence():
    for entropy in ([1, 2, 3], True):
        assert not Seeder(entropy, ()).usable
    streams = Streams(np.random.SeedSequence([1, 2, 3]))
    assert _same(streams["churn"], _reference([1, 2, 3], (), STREAMS.index("churn")))


def test_streams_pickle_with_their_generators():
    streams = child_streams(42)
    streams["ties"].random(5)
    again = pickle.loads(pickle.dumps(streams))
    assert _same(again["ties"], streams["ties"])
    assert _same(again["trust"], child_streams(42)["trust"])
