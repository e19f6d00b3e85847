"""The rules over staff and ties give the same runs, bit for bit, as compiled loops
(``jusim/compiled.py``) and as numpy (next to each mechanism); ``jusim/kernels.py`` chooses."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import jusim
from jusim import kernels

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from golden_runs import fingerprint  # noqa: E402


def _world() -> jusim.Scenario:
    """Secondees, movers, divisions and many referrals: every rule has work to do."""
    return jusim.as_scenario("secondees").with_overrides(
        {
            "horizon": 18,
            "agencies.local_authority.divisions": 3,
            "agencies.local_authority.division_spread": 0.3,
            "parameters.mobility.share": 0.5,
            "parameters.ties.referral": 0.2,
        }
    )


def _runs() -> list[str]:
    world = _world()
    batch = jusim.run_batch(world, [4, 5, 6], params={"parameters.mobility.share": [0.0, 0.3, 0.8]})
    return [fingerprint(jusim.run(world, 3)), *(fingerprint(r) for r in batch)]


def test_compiled_and_numpy_rules_give_identical_runs(monkeypatch):
    from jusim.compiled import KERNELS

    calls = dict.fromkeys(KERNELS, 0)

    def counted(name, kernel):
        def call(*args):
            calls[name] += 1
            return kernel(*args)

        return call

    monkeypatch.setattr(kernels, "_chosen", {})
    numpy_runs = _runs()
    assert not any(calls.values())
    monkeypatch.setattr(kernels, "_chosen", {k: counted(k, v) for k, v in KERNELS.items()})
    compiled_runs = _runs()
    assert all(calls.values()), f"kernels never called: {[k for k, n in calls.items() if not n]}"
    assert numpy_runs == compiled_runs


class _Alternating(dict):
    """The compiled loops on odd calls and numpy on even ones: the version changes between any
    two calls, as it does once in a process whose numpy versions have paid ``kernels.RENT``."""

    def __init__(self, compiled: dict) -> None:
        super().__init__(compiled)
        self.calls = 0

    def get(self, name, default=None):
        self.calls += 1
        return super().get(name, default) if self.calls % 2 else default


def test_changing_version_between_calls_gives_identical_runs(monkeypatch):
    from jusim.compiled import KERNELS

    monkeypatch.setattr(kernels, "_chosen", {})
    numpy_runs = _runs()
    alternating = _Alternating(KERNELS)
    monkeypatch.setattr(kernels, "_chosen", alternating)
    assert _runs() == numpy_runs
    assert alternating.calls > 100


def test_auto_loads_the_compiled_loops_once_numpy_has_paid_the_rent(monkeypatch):
    from jusim.compiled import KERNELS

    monkeypatch.setattr(kernels, "_chosen", {})
    numpy_runs = _runs()
    monkeypatch.setenv("JUSIM_KERNELS", "auto")
    decided = []
    monkeypatch.setattr(kernels, "_choose", lambda: decided.append(1) or dict(KERNELS))
    monkeypatch.setattr(kernels, "_chosen", None)
    monkeypatch.setattr(kernels, "_rent_paid", 0.0)
    monkeypatch.setattr(kernels, "RENT", float("inf"))  # a small job: numpy throughout
    assert _runs() == numpy_runs
    assert not decided and kernels._chosen is None and kernels._rent_paid > 0
    monkeypatch.setattr(kernels, "RENT", 0.0)  # paid by the first call: compiled from the second
    assert _runs() == numpy_runs
    assert decided == [1] and kernels._chosen == KERNELS


def test_mode_and_numpy_fallback(monkeypatch):
    monkeypatch.setenv("JUSIM_KERNELS", "numpy")
    assert kernels.mode() == "numpy" and kernels._choose() == {}
    monkeypatch.setenv("JUSIM_KERNELS", "nonsense")
    assert kernels.mode() == "auto"
    monkeypatch.setattr(kernels, "_chosen", {})
    assert kernels.pick("churn", len) is len


def test_one_background_compile_at_a_time(monkeypatch, tmp_path):
    lock = tmp_path / "lock"
    monkeypatch.setattr(kernels, "_lock", lambda: lock)
    lock.touch()  # a compile under way
    assert not kernels.compile_in_background()
    assert lock.exists()
    old = time.time() - 3600  # a lock left by a compile that died long ago is taken over
    os.utime(lock, (old, old))
    started = []
    monkeypatch.setattr(kernels.subprocess, "Popen", lambda *a, **k: started.append(a[0]))
    assert kernels.compile_in_background()
    assert started and started[0][-2:] == [str(lock), str(os.getpid())] and lock.exists()


def test_loading_inside_a_chunk_joins_its_frozen_objects(monkeypatch):
    import gc

    monkeypatch.setattr(kernels, "_called", set())
    assert gc.get_freeze_count() == 0
    made = kernels._first_call("outside", lambda: [[] for _ in range(1000)])
    assert gc.get_freeze_count() == 0 and "outside" in kernels._called  # no chunk: nothing
    gc.freeze()  # as a batch's chunk does (jusim.batch._frozen_gc)
    try:
        frozen = gc.get_freeze_count()
        kept = kernels._first_call("inside", lambda: [[] for _ in range(1000)])
        assert gc.get_freeze_count() >= frozen + len(kept)
    finally:
        gc.unfreeze()
    assert len(made) == len(kept)


# ---- the loops that draw: numpy and compiled draw the same numbers from the same generators ----


def _staff_and_ties(seed: int, n_runs: int = 4):
    """Rosters of ``n_runs`` runs of different sizes (one without ties, one with secondees), and
    what the rules over them take."""
    import numpy as np

    from jusim.staff import Rosters, StaffRoster

    rng = np.random.default_rng(seed)
    rosters = []
    for r in range(n_runs):
        roster = StaffRoster.from_counts(rng.integers(1, 40, size=3))
        n = roster.n_staff
        if r != 1:  # run 1 has no ties
            m = int(rng.integers(1, 4 * n))
            roster.add_ties(rng.integers(0, n, m), rng.integers(0, n, m), rng.random(m))
        if r == 2:  # secondees
            moved = rng.random(n) < 0.2
            roster.post = np.where(moved, (roster.home + 1) % 3, roster.home)
        rosters.append(roster)
    return Rosters.of(rosters)


def _both(kernel: str, numpy_version, args_of, seed: int) -> None:
    """The compiled loop ``kernel`` and its numpy version, each given fresh generators of the same
    seeds, two per run (``args_of(first, second)`` makes the arguments, with fresh copies of any
    array a rule changes in place, which it returns after the result): the same results, bit for
    bit, and every generator left in the same state."""
    import numpy as np

    from jusim import compiled

    out = []
    for version in (numpy_version, compiled.KERNELS[kernel]):
        rngs = [np.random.default_rng([seed, r]) for r in range(8)]
        args, changed = args_of(compiled.generators(rngs[:4]), compiled.generators(rngs[4:]))
        result = (*version(*args), *changed)
        out.append((result, [g.random() for g in rngs]))
    (a, after_a), (b, after_b) = out
    assert after_a == after_b
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert x.dtype == y.dtype and np.array_equal(x, y)


def test_the_loops_that_draw_agree_with_numpy_draw_for_draw():
    for seed in range(6):
        _draws_agree(seed)


def _draws_agree(seed: int) -> None:
    import numpy as np

    from jusim.mechanisms import churn, ties

    b = _staff_and_ties(seed)
    t = (b.tie_off, b.tie_i, b.tie_j, b.tie_w)
    values = np.tile(np.array([0.5, 1.5, 0.3, 0.3, 0.1, 0.5, 0.3, 0.06, 0.05]), (b.n, 1))
    values[:, ties.FORMATION] = [0.0, 0.02, 0.5, 3.0]  # no ties, few, many (Poisson >= 10)
    values[:, ties.REFERRAL] = [0.0, 0.2, 0.9, 1.0]
    contact = np.random.default_rng(seed).random((b.n, 3, 3))
    order, start, counts = b.by_home()
    a_idx, b_idx = np.triu_indices(3, k=1)
    own = np.random.default_rng(seed + 1).random(b.home.size)
    hazard = np.random.default_rng(seed + 2).random((b.n, 3)) * 0.5
    handover = np.random.default_rng(seed + 3).random((b.n, 3))
    strength = np.full((b.n, 1), 0.5)
    tied = (b.staff_off, b.home, b.post, values, 3)
    _both(
        "contact_ties",
        ties._contact_ties,
        lambda g, _: ((g, contact, counts, a_idx, b_idx, values, b.staff_off, order, start), ()),
        seed,
    )
    _both("posting_ties", ties._posting_ties, lambda g, _: ((g, *tied), ()), seed)
    _both("referrals", ties._referrals, lambda g, _: ((g, b.staff_off, *t, own, values), ()), seed)
    _both(
        "maintain",
        ties._maintain,
        lambda g, _: ((g, b.staff_off, *t, b.home, b.post, contact, values, own), ()),
        seed,
    )
    for same in (True, False):  # one generator for leaving and handover (a run alone may)

        def churned(g, h, same=same):
            tenure = b.tenure.copy()
            args = (b.staff_off, b.home, tenure, *t, hazard, handover, strength)
            return (*args, g, g if same else h), (tenure,)

        _both("churn", churn._churn, churned, seed)
