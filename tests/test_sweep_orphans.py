"""No orphans (issue 23, item 5): a sweep's parent killed with SIGKILL cannot stop its workers,
so the workers watch it (``jusim.experiment.worker.watch_parent``) and exit; the resource tracker
follows once they are gone. A real ``jusim sweep --workers 2`` in a subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]

LONG = """
name = "long"
base = "secondees"
seed = 1
replications = 20
horizon = 120
metrics = ["shared_attainment"]

[design]
kind = "grid"
levels = 2

[factors.churn]
kind = "uncertainty"
path = "context.churn_scale"
range = [0.5, 2.0]
"""


def workers_among(procs: list[psutil.Process]) -> list[psutil.Process]:
    """The worker processes among ``procs``: spawned ones, or forked by a forkserver (whose
    children carry its command line; the server itself is not a worker)."""
    out = []
    for p in procs:
        try:
            line = " ".join(p.cmdline())
            if "spawn_main" in line or (
                "forkserver" in line and "forkserver" in " ".join(p.parent().cmdline())
            ):
                out.append(p)
        except (psutil.NoSuchProcess, AttributeError):  # gone, or no parent any more
            pass
    return out


def alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


@pytest.mark.skipif(sys.platform != "linux", reason="parent-id polling is tested on Linux")
def test_sigkill_of_the_sweep_leaves_no_worker_alive(tmp_path) -> None:
    exp = tmp_path / "long.toml"
    exp.write_text(LONG)  # 40 runs of 10 years: the workers are busy when the parent dies
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "jusim.cli", "sweep", str(exp), "--workers", "2"]
    sweep = subprocess.Popen(
        [*cmd, "--out", str(tmp_path / "out")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: list[psutil.Process] = []
    try:
        parent = psutil.Process(sweep.pid)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and sweep.poll() is None:
            children = parent.children(recursive=True)
            workers = workers_among(children)
            if len(workers) >= 2:
                break
            time.sleep(0.2)
        assert len(workers) >= 2, "the sweep did not start two workers"
        time.sleep(1.0)  # let them start work
        os.kill(sweep.pid, signal.SIGKILL)
        sweep.wait()
        killed = time.monotonic()
        while alive(children) and time.monotonic() - killed < 10:
            time.sleep(0.2)
        left = alive(children)
        assert not left, [(p.pid, p.cmdline()[-2:]) for p in left]
    finally:
        if sweep.poll() is None:
            sweep.kill()
        for p in alive(children):
            p.kill()
