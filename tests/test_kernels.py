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
