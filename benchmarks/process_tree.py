"""CPU time of a command with every process it starts, including those that outlive it.

``resource.getrusage(RUSAGE_CHILDREN)`` counts a descendant only once its own parent has waited
for it. A command's forkserver (``jusim.experiment.executors``) is waited for by nobody: it ends
just after the command, an orphan, and its workers' CPU time with it. So the benchmarks make
themselves a *subreaper* (Linux ``prctl(PR_SET_CHILD_SUBREAPER)``): orphans of their commands are
adopted by the benchmark, which waits for them after the command (``LINGER`` seconds at most, then
stops what is left, e.g. a background compile of a cold run, by its id) before reading the clock.
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import time
from typing import Any

import psutil

PR_SET_CHILD_SUBREAPER = 36
LINGER = 10.0
"""Seconds to wait for what a command leaves running (its forkserver ends within a second or two)."""


def become_subreaper() -> bool:
    """Adopt the orphans of this process's descendants (Linux); True if that worked."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _reap(linger: float) -> None:
    """Wait for every child of this process (adopted ones too); stop those left after
    ``linger`` seconds."""
    deadline = time.monotonic() + linger
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid:
            continue
        if time.monotonic() > deadline:
            for child in psutil.Process().children():
                child.kill()
        time.sleep(0.05)


def timed(cmd: list[str], linger: float = LINGER, **popen: Any) -> tuple[float, float]:
    """Wall seconds of ``cmd`` (until it ends) and CPU seconds (user + system) of it and every
    process it started (until they end)."""
    become_subreaper()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, **popen)
    code = proc.wait()
    wall = time.perf_counter() - t0
    _reap(linger)
    if code:
        raise subprocess.CalledProcessError(code, cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
