"""What every local worker process needs, loaded once, in the process that forks the workers.

A local worker (:class:`~jusim.experiment.executors.LocalExecutor`) is forked from a *forkserver*
(``multiprocessing``'s ``forkserver`` start method), a process started once per command that
imports this module before it forks any worker. A spawned worker imported jusim itself and loaded
the compiled loops from numba's cache on its own (1.6 s CPU to start one on the shared 2-core
machine; loading the loops, ``jusim.kernels``, 1.26 s more in all in a comparison's profile,
issue 20): a forked one starts with them in memory, so the second worker of a command, and every
one that replaces a worker past ``max_tasks_per_child``, costs a fork.

Importing this module does the loading (the forkserver can only import modules): the modules a
chunk or a comparison's part runs, and, unless ``JUSIM_KERNELS=numpy``, each compiled loop's
versions in numba's cache (only those: ``compile`` finds them there and loads them, as a first call
would). Nothing else is compiled here: with a cold cache the workers start on the
numpy versions and ``jusim.kernels`` compiles in the background as it does in any process; which
version a worker uses is still ``jusim.kernels``'s choice, and the results are the same either way.
"""

from __future__ import annotations

import jusim.analysis.compare_parts  # a comparison's part
import jusim.batch  # what both run: a batch
import jusim.experiment.worker  # noqa: F401  (a sweep's chunk)
from jusim import kernels


def load_cached_kernels() -> int:
    """Load every compiled loop's versions that numba's cache holds for this machine, without
    compiling anything; the number loaded (0 with ``JUSIM_KERNELS=numpy``, without numba, or
    when the cache cannot be read)."""
    if kernels.mode() == "numpy":
        return 0
    try:
        from jusim.compiled import KERNELS
    except (ImportError, RuntimeError):  # no numba, or nowhere for it to cache
        return 0
    loaded = 0
    for kernel in KERNELS.values():
        try:  # numba's cache index: (signature, machine, ...) -> data file
            magic = kernel.targetctx.codegen().magic_tuple()
            index = kernel._cache._cache_file._load_index()
            for key in index:
                if key[1] == magic:  # in the cache for this source and machine: compile()
                    kernel.compile(key[0])  # loads it from there, as a first call would
                    loaded += 1
        except Exception:  # numba's cache works differently: the worker loads as it would
            continue
    return loaded


LOADED = load_cached_kernels()
