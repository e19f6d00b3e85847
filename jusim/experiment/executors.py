"""Executors for sweeps: local worker processes, a Dask distributed cluster, or in-process.

All three expose the same small interface: ``submit(fn, *args) -> future``,
``as_completed(futures)``, ``shutdown(cancel)``; futures have ``.result()``.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any


class SweepExecutorError(RuntimeError):
    """The executor could not be created (e.g. Dask missing or the scheduler unreachable)."""


class LocalExecutor:
    """``ProcessPoolExecutor`` with the spawn start method (Mesa forces spawn); its workers exit
    when this process is gone, even killed with SIGKILL (``worker.watch_parent``)."""

    def __init__(self, workers: int, max_tasks_per_child: int | None = 200) -> None:
        self.workers = workers
        from jusim.experiment.worker import watch_parent

        self.pool = cf.ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            max_tasks_per_child=max_tasks_per_child,
            initializer=watch_parent,  # workers exit when this process is killed
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
