"""A run's stream generators, seeded as ``numpy.random.SeedSequence`` seeds them, for less.

Stream ``k`` of a run is ``default_rng(SeedSequence(entropy, spawn_key=(*key, k)))``
(``jusim.model.Streams``). Making one that way costs about 45 µs (a run makes about nine): the
sequence hashes the run's entropy and its whole spawn key into a pool of four words (NumPy's
``SeedSequence.mix_entropy``), then draws the generator's four seed words from the pool
(``generate_state``, under an ``np.errstate``). The streams of one run differ only in the last
word of the key, which is mixed in last, so ``Seeder`` mixes the rest once per run and, for each
stream, only that word and the draw, in Python integers with the same 32-bit arithmetic; the
words seed ``PCG64`` through NumPy's own seeding (``PCG64(seed_words)``, which calls
``generate_state(4, np.uint64)`` of any ``ISeedSequence``), so the generator is the one
``default_rng`` makes, bit for bit (``tests/test_seeding.py`` compares them, and their draws,
for many seeds and keys).

Only entropy and keys of non-negative Python or NumPy integers take this path (a seed as an int
or a ``SeedSequence`` spawned from one: every seed jusim makes); anything else (a list of
entropy words, strings) is left to ``SeedSequence`` itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.random.bit_generator import ISeedSequence

# NumPy's SeedSequence constants (numpy/random/bit_generator.pyx; fixed: its streams are stable)
POOL_SIZE = 4
INIT_A, MULT_A = 0x43B0D7E5, 0x931E8875
INIT_B, MULT_B = 0x8B51F9DD, 0x58F38DED
MIX_MULT_L, MIX_MULT_R = 0xCA01F9DD, 0x4973F715
MASK32 = 0xFFFFFFFF
XSHIFT = 16


def _words(n: int) -> list[int]:
    """A non-negative integer as 32-bit words, lowest first (``_coerce_to_uint32_array``)."""
    if n == 0:
        return [0]
    out = []
    while n > 0:
        out.append(n & MASK32)
        n >>= 32
    return out


def _mix(x: int, y: int) -> int:
    r = (MIX_MULT_L * x - MIX_MULT_R * y) & MASK32
    return r ^ (r >> XSHIFT)


def _mix_in(pool: list[int], const: int, words: list[int]) -> int:
    """Mix ``words`` into every word of ``pool`` (in place), each word hashed afresh for each
    pool word (``hashmix`` with the running multiplier ``const``, returned as it ends)."""
    for word in words:
        for dst in range(POOL_SIZE):
            value = word ^ const
            const = (const * MULT_A) & MASK32
            value = (value * const) & MASK32
            pool[dst] = _mix(pool[dst], value ^ (value >> XSHIFT))
    return const


class _Words(ISeedSequence):
    """Seed words already drawn, handed to ``PCG64`` as a seed sequence would hand them."""

    __slots__ = ("words",)

    def __init__(self, words: np.ndarray) -> None:
        self.words = words

    def generate_state(self, n_words: int, dtype: Any = np.uint64) -> np.ndarray:
        if n_words != 4 or np.dtype(dtype) != np.uint64:  # (what PCG64 asks for)
            raise ValueError("only PCG64's seed: 4 words of 64 bits")
        return self.words


class Seeder:
    """The generators ``default_rng(SeedSequence(entropy, spawn_key=(*key, k)))`` for any k,
    with the mixing of the entropy and of ``key`` done once (``None`` when the entropy or the
    key is not made of non-negative integers: then ``usable`` is false)."""

    __slots__ = ("hash_const", "pool", "usable")

    def __init__(self, entropy: Any, key: tuple[Any, ...]) -> None:
        self.usable = _integer(entropy) and all(_integer(k) for k in key)
        if not self.usable:
            return
        run = _words(int(entropy))
        run += [0] * (POOL_SIZE - len(run))  # (padded, as a spawned sequence's entropy is)
        spawned = [w for k in key for w in _words(int(k))]
        const = INIT_A
        pool = []
        for word in run[:POOL_SIZE]:  # (hashmix of each of the first words)
            value = word ^ const
            const = (const * MULT_A) & MASK32
            value = (value * const) & MASK32
            pool.append(value ^ (value >> XSHIFT))
        for src in range(POOL_SIZE):  # every pool word into every other
            for dst in range(POOL_SIZE):
                if src != dst:
                    value = pool[src] ^ const
                    const = (const * MULT_A) & MASK32
                    value = (value * const) & MASK32
                    pool[dst] = _mix(pool[dst], value ^ (value >> XSHIFT))
        self.hash_const = _mix_in(pool, const, run[POOL_SIZE:] + spawned)
        self.pool = pool

    def generator(self, k: int) -> np.random.Generator:
        """Stream ``k``'s generator (a non-negative int ``k``)."""
        pool = list(self.pool)
        _mix_in(pool, self.hash_const, _words(k))
        const = INIT_B
        out = []
        for i in range(2 * POOL_SIZE):  # generate_state(4, uint64): 8 words from the pool
            value = pool[i % POOL_SIZE] ^ const
            const = (const * MULT_B) & MASK32
            value = (value * const) & MASK32
            out.append(value ^ (value >> XSHIFT))
        words = np.array([out[j] | (out[j + 1] << 32) for j in range(0, 8, 2)], dtype=np.uint64)
        return np.random.Generator(np.random.PCG64(_Words(words)))


def _integer(x: Any) -> bool:
    return isinstance(x, int | np.integer) and not isinstance(x, bool) and x >= 0
