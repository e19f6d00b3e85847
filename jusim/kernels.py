"""Compiled or numpy: which version of the rules over staff and ties a process uses.

The rules over staff and ties (churn, tie formation, referral and maintenance, the merge of new
ties, tie strength, divisions' openness, mobility, the network measures) are written twice, bit
for bit alike: in numpy next to each mechanism, and as numba loops in ``jusim/compiled.py``. Over
a batch of runs (tens of thousands of staff) one compiled loop is two to four times faster than a
chain of numpy calls, each of which writes a temporary; but numba takes about 9 s to compile the
loops, which the first command of a fresh install would spend before its first month.

Even from the cache, the compiled loops cost a process about a second before they save anything
(importing numba 0.34 s and loading each loop on its first call, about 60 ms each: CPU time on the
shared 2-core machine of session 27), while one default-world run spends 0.29 s in all with the
numpy versions against 0.20 s with the compiled ones. So a process starts with numpy and pays for
the compiled loops only once the numpy versions have taken ``RENT`` seconds (rent or buy; wall
time, which a busy machine stretches as it stretches the loading): a single run, whose numpy rules
take 0.1-0.25 s there, does not load numba; a comparison or a sweep loads it within its first
chunk. From then on it uses the compiled loops when numba's cache holds every one of them, and
otherwise numpy, while a background process (``jusim.kernels.main``, at low priority) compiles them
into the cache for the next command; it goes on after the command ends, unless the command is
killed (SIGKILL leaves no orphans, ``tests/test_sweep_orphans.py``). ``JUSIM_KERNELS`` chooses:
``auto`` (the default, as just said), ``numpy`` (never compile) or ``compiled`` (compile here if
need be, from the first call). Results are the same either way, and when a process changes version
between two calls (``tests/test_kernels.py``). The cache is numba's: ``__pycache__`` beside the
code when that is writable (a clone, an editable install, a virtual environment), else numba's
folder in the user's cache, or ``NUMBA_CACHE_DIR``.
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

MODES = ("auto", "numpy", "compiled")
RENT = 0.5  # seconds the numpy versions may take in ``auto`` before the compiled ones are loaded
_chosen: dict[str, Callable[..., Any]] | None = None  # decided: the compiled loops used ({}: none)
_rent_paid = 0.0  # seconds the numpy versions have taken while undecided
_called: set[str] = set()  # compiled loops called (so loaded) in this process
DETACHED = "the command ended normally"
_MAIN = "import sys, jusim.kernels as k; sys.exit(k.main(sys.argv[1:]))"


def mode() -> str:
    """``JUSIM_KERNELS`` (``auto`` when unset or not one of ``MODES``)."""
    chosen = os.environ.get("JUSIM_KERNELS", "auto")
    return chosen if chosen in MODES else "auto"


def pick(name: str, numpy_version: Callable[..., Any]) -> Callable[..., Any]:
    """The compiled loop ``name`` if this process uses them, else ``numpy_version`` (timed
    towards ``RENT`` while ``auto`` has not yet decided)."""
    global _chosen
    if _chosen is None:
        if mode() == "auto":
            return partial(_rented, numpy_version)
        _chosen = _choose()
    kernel = _chosen.get(name, None)
    if kernel is None:
        return numpy_version
    if name in _called:
        return kernel
    return partial(_first_call, name, kernel)


def _rented(numpy_version: Callable[..., Any], *args: Any) -> Any:
    """``numpy_version(*args)``, its time added to the rent; past ``RENT``, decide."""
    global _chosen, _rent_paid
    start = time.perf_counter()
    try:
        return numpy_version(*args)
    finally:
        _rent_paid += time.perf_counter() - start
        if _rent_paid > RENT and _chosen is None:
            _chosen = _choose()
            _freeze_what_loading_made()


def _first_call(name: str, kernel: Callable[..., Any], *args: Any) -> Any:
    """A compiled loop's first call in this process, which loads it from numba's cache."""
    try:
        return kernel(*args)
    finally:
        _called.add(name)
        _freeze_what_loading_made()


def _freeze_what_loading_made() -> None:
    """Inside a batch's chunk, which keeps the objects alive at its start out of the garbage
    collector's sight (``gc.freeze``, ``jusim.batch``), the objects that importing numba and
    loading a loop made join them: numba with ten loops loaded is some 90,000 objects, 0.12 s a
    full collection (shared machine, session 27), which every full collection the chunk's
    allocations trigger would otherwise pay (5-6 s of CPU a chunk while a batch still collected
    each month). The chunk's end unfreezes them with the rest. Outside such a chunk: nothing."""
    if gc.get_freeze_count():
        gc.freeze()


def _choose() -> dict[str, Callable[..., Any]]:
    chosen = mode()
    if chosen == "numpy":
        return {}
    try:
        from jusim.compiled import KERNELS
    except (ImportError, RuntimeError):  # no numba, or nowhere for it to cache: numpy
        if chosen == "compiled":
            raise
        return {}
    if chosen == "compiled" or cached(KERNELS.values()):
        return KERNELS
    compile_in_background()
    return {}


def cached(kernels: Iterable[Any]) -> bool:
    """Whether numba's cache holds a compiled version of every kernel for its current source."""
    try:
        return all(k._cache._cache_file._load_index() for k in kernels)
    except Exception:  # numba's cache works differently: compile here, as numba would
        return True


def _lock() -> Path:
    """A file that says a background compile of this copy of jusim is under way."""
    key = f"{Path(__file__).resolve().parent}|{os.environ.get('NUMBA_CACHE_DIR', '')}"
    return (
        Path(tempfile.gettempdir()) / f"jusim-compile-{hashlib.sha1(key.encode()).hexdigest()[:12]}"
    )


def compile_in_background() -> bool:
    """Start ``main`` in a Python process of its own (one at a time per copy of jusim and cache);
    True if started. It runs on after this process ends and writes only numba's cache."""
    lock = _lock()
    try:
        if time.time() - lock.stat().st_mtime < 600:
            return False  # another process is compiling (or failed in the last ten minutes)
        lock.unlink()
    except FileNotFoundError:
        pass
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except OSError:
        return False
    os.close(fd)
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "JUSIM_KERNELS": "compiled"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    try:
        subprocess.Popen(
            [sys.executable, "-c", _MAIN, str(lock), str(os.getpid())],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        lock.unlink(missing_ok=True)
        return False
    atexit.register(_detach, lock)
    return True


def _detach(lock: Path) -> None:
    """At this process's normal end: the background compile may go on without it."""
    if lock.exists():
        lock.write_text(DETACHED)


def _follow(parent: int, lock: Path, interval: float = 0.5) -> None:
    """In the background compile: once ``parent`` is gone, stop unless it ended normally
    (``_detach``); a parent killed with SIGKILL must leave nothing running."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        try:
            detached = lock.read_text() == DETACHED
        except OSError:
            detached = False
        if not detached:
            lock.unlink(missing_ok=True)
            os._exit(1)

    threading.Thread(target=watch, name="jusim-follow-parent", daemon=True).start()


def warm_up() -> None:
    """Compile every kernel into the cache by running them: a few months of a small world with
    secondees, movers and divisions, alone and as a batch of two (the two ways they are called)."""
    global _chosen
    import jusim
    from jusim.compiled import KERNELS

    _chosen = KERNELS
    world = jusim.as_scenario("secondees").with_overrides(
        {
            "horizon": 3,
            "agencies.local_authority.divisions": 2,
            "parameters.mobility.share": 0.5,
        }
    )
    jusim.run(world, seed=0)
    jusim.run_batch(world, [0, 1])


def main(argv: list[str]) -> int:
    """The background compile: ``argv`` = [lock file, the starting process's id]."""
    if hasattr(os, "nice"):
        os.nice(10)
    if len(argv) == 2:
        _follow(int(argv[1]), Path(argv[0]))
    warm_up()  # on failure the lock stays, so the next try is ten minutes on
    if argv:
        Path(argv[0]).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
