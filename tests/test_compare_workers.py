"""A comparison in worker processes (issue 20, item 5): the same tables bit for bit whatever the
number of workers; parts that keep each shape class's runs together; Ctrl-C and SIGKILL leave no
worker behind. Real processes, so a few seconds each."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest
from test_sweep_orphans import alive, workers_among

import jusim
from jusim import as_scenario
from jusim.analysis.compare_parts import (
    MIN_PARTS,
    RUNS_PER_WORKER,
    _ctrl_c_in,
    default_workers,
    plan_parts,
    shape_class,
)

ROOT = Path(__file__).resolve().parents[1]
ARMS = ["secondees", "rough_sleepers_unit"]


def test_one_and_two_workers_give_identical_tables() -> None:
    one = jusim.compare(ARMS, replications=2, draws=2, seed=5, workers=1)
    two = jusim.compare(ARMS, replications=2, draws=2, seed=5, workers=2)
    pd.testing.assert_frame_equal(one.table, two.table, check_exact=True)
    pd.testing.assert_frame_equal(one.trajectories(), two.trajectories(), check_exact=True)
    for method in ("agency_table", "system_table"):
        pd.testing.assert_frame_equal(one._tables(method), two._tables(method), check_exact=True)


def test_parts_cover_every_run_once_larger_worlds_first() -> None:
    silo, rsu, secondees = (as_scenario(n) for n in ("silo", "rough_sleepers_unit", "secondees"))
    every = [silo] * 6 + [rsu] * 6 + [secondees] * 6  # three arms of six runs
    for workers, per_worker in [(1, 1), (2, 1), (2, 2), (2, 3), (3, 5), (40, 1)]:
        parts = plan_parts(every, 6, workers, per_worker)
        assert len(parts) == min(len(every), max(MIN_PARTS, workers * per_worker))
        assert max(map(len, parts)) - min(map(len, parts)) <= 1
        assert sorted(i for p in parts for i in p) == list(range(18))
        order = [i for p in parts for i in p]
        assert order[:6] == list(range(6, 12))  # the central unit adds an agency: first
        assert order[6:] == [*range(6), *range(12, 18)]  # then silo and secondees, as given
    assert shape_class(silo) == shape_class(secondees) != shape_class(rsu)


def test_small_comparisons_stay_in_this_process() -> None:
    assert default_workers(2 * RUNS_PER_WORKER - 1) == 1
    assert default_workers(10 * RUNS_PER_WORKER) == min(os.cpu_count() or 1, 10)


def test_ctrl_c_inside_a_compiled_loop_is_recognised() -> None:
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as e:
            raise SystemError("returned a result with an exception set") from e
    except SystemError as e:
        assert _ctrl_c_in(e)
    assert not _ctrl_c_in(SystemError("something else"))


def _workers_of(proc: psutil.Process, deadline: float) -> list[psutil.Process]:
    workers: list[psutil.Process] = []
    while time.monotonic() < deadline and proc.poll() is None:  # type: ignore[attr-defined]
        workers = workers_among(proc.children(recursive=True))
        if len(workers) >= 2:
            break
        time.sleep(0.2)
    return workers


@pytest.mark.skipif(sys.platform != "linux", reason="process groups and parent ids on Linux")
@pytest.mark.parametrize("how", ["ctrl-c", "sigkill"])
def test_interrupted_comparison_leaves_no_worker(how: str) -> None:
    cmd = [sys.executable, "-m", "jusim.cli", "compare", "--workers", "2", "--ensemble", "none"]
    proc = psutil.Popen(
        [*cmd, "--replications", "200"],  # 1,800 runs: the workers are busy when it is stopped
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    workers: list[psutil.Process] = []
    try:
        workers = _workers_of(proc, time.monotonic() + 120)
        assert len(workers) >= 2, "the comparison did not start two workers"
        time.sleep(1.0)  # let them start work
        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)  # a terminal sends it to the whole group
            _, err = proc.communicate(timeout=60)
            # 130, or ended by SIGINT after saying so (both are 130 to a shell): run as
            # `python -m jusim.cli` with forked workers, Python sometimes leaves by re-raising
            # SIGINT after the message (not seen with the `jusim` script; session 28's note)
            assert proc.returncode in (130, -signal.SIGINT)
            assert "interrupted" in err.decode()
            assert "Traceback" not in err.decode()
        else:
            proc.kill()
            proc.wait()
        stopped = time.monotonic()
        while alive(workers) and time.monotonic() - stopped < 10:
            time.sleep(0.2)
        left = alive(workers)
        assert not left, [(p.pid, p.cmdline()[-2:]) for p in left]
    finally:
        if proc.poll() is None:
            proc.kill()
        for p in alive(workers):
            p.kill()
