"""Executors for sweeps: local worker processes, a Dask distributed cluster, or in-process.

All three expose the same small interface: ``submit(fn, *args) -> future``,
``as_completed(futures)``, ``shutdown(cancel)``; futures have ``.result()``.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any


class SweepExecutorError(RuntimeError):
    """The executor could not be created (e.g. Dask missing or the scheduler unreachable)."""


PRELOAD = ["jusim.cli", "jusim.experiment.preload"]
"""What the forkserver imports before it forks any worker: :mod:`jusim.experiment.preload`, and
the ``jusim`` command's module, which each worker runs again (as ``__mp_main__``, as
multiprocessing does with the main module) and then finds its imports (typer, rich) done."""


def worker_context() -> multiprocessing.context.BaseContext:
    """How local workers start: forked from a *forkserver* that has imported jusim and loaded the
    compiled loops once (:mod:`jusim.experiment.preload`), where the platform has one (Linux,
    macOS); else spawned, each importing jusim itself. Not a plain fork of this process: it may
    hold threads (a progress bar's), and ``max_tasks_per_child`` refuses fork. Mesa no longer
    forces spawn: the batch path that workers run imports none of it."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # read once, when the server starts
    return context


def start_worker_server() -> None:
    """Start the forkserver now, if the workers are forked from one (else nothing): it imports
    jusim and loads the compiled loops while this process goes on (reading scenarios, planning),
    and the first worker waits only for what is left of that. Once started it serves every
    :class:`LocalExecutor` of this process and ends with it."""
    if worker_context().get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()  # only the main thread may set handlers
        return
    # started with Ctrl-C ignored, the server hands that to each worker from its first instruction
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


class LocalExecutor:
    """``ProcessPoolExecutor`` whose workers are forked from a forkserver that has loaded jusim
    (:func:`worker_context`); its workers ignore Ctrl-C, which this process acts on, and exit when
    this process is gone, even killed with SIGKILL (``worker.start_local_worker``)."""

    def __init__(self, workers: int, max_tasks_per_child: int | None = 200) -> None:
        self.workers = workers
        from jusim.experiment.worker import start_local_worker

        start_worker_server()
        self.pool = cf.ProcessPoolExecutor(
            max_workers=workers,
            mp_context=worker_context(),
            max_tasks_per_child=max_tasks_per_child,
            initializer=start_local_worker,  # workers exit when this process is killed
            initargs=(os.getpid(),),
        )
        self.description = f"{workers} local worker process{'es' if workers != 1 else ''}"

    def submit(self, fn: Callable, *args: Any) -> cf.Future:
        return self.pool.submit(fn, *args)

    def as_completed(self, futures: Iterable) -> Iterator:
        return cf.as_completed(list(futures))

    def shutdown(self, cancel: bool = False) -> None:
        procs = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=not cancel, cancel_futures=cancel)
        if cancel:
            # do not leave workers running a chunk nobody will store
            for p in procs:
                if p.is_alive():
                    p.terminate()


class InlineExecutor:
    """Runs tasks in this process, one at a time (``--workers 0``; handy for debugging)."""

    description = "this process (no workers)"
    workers = 1

    def submit(self, fn: Callable, *args: Any) -> cf.Future:
        fut: cf.Future = cf.Future()
        fut._jusim_call = (fn, args)  # type: ignore[attr-defined]
        return fut

    def as_completed(self, futures: Iterable) -> Iterator:
        for fut in futures:
            fn, args = fut._jusim_call
            try:
                fut.set_result(fn(*args))
            except Exception as e:
                fut.set_exception(e)
            yield fut

    def shutdown(self, cancel: bool = False) -> None:
        return None


class DaskExecutor:
    """A client of a Dask distributed scheduler (``tcp://host:port``) or a given ``Client``."""

    def __init__(self, address: str | Any) -> None:
        try:
            import distributed
        except ImportError:  # pragma: no cover - depends on the environment
            raise SweepExecutorError(
                "--scheduler needs Dask distributed: pip install -e '.[distributed]' in the "
                "jusim folder"
            ) from None
        self._distributed = distributed
        if isinstance(address, distributed.Client):
            self.client, self._own = address, False
        else:
            try:
                self.client = distributed.Client(address, timeout="20s")
            except (OSError, TimeoutError, ValueError) as e:  # ValueError: a malformed address
                raise SweepExecutorError(
                    f"cannot reach the Dask scheduler at {address!r}: {e}. Start one with "
                    "'dask scheduler' and workers with 'dask worker tcp://HOST:8786'"
                ) from None
            self._own = True
        n = len(self.client.scheduler_info().get("workers", {}))
        self.workers = max(n, 1)
        self.description = f"Dask cluster at {self.client.scheduler.address} ({n} workers)"

    def submit(self, fn: Callable, *args: Any):
        return self.client.submit(fn, *args, pure=False)

    def as_completed(self, futures: Iterable) -> Iterator:
        return iter(self._distributed.as_completed(list(futures)))

    def shutdown(self, cancel: bool = False) -> None:
        if self._own:
            self.client.close()


def make_executor(workers: int | None = None, scheduler: str | Any | None = None):
    """Choose an executor: Dask if ``scheduler`` is given, else ``workers`` local processes
    (default: the machine's cores; 0 = run in this process)."""
    if scheduler is not None:
        return DaskExecutor(scheduler)
    if workers is None:
        workers = os.cpu_count() or 1
    if workers == 0:
        return InlineExecutor()
    return LocalExecutor(workers)
