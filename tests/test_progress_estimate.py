"""The plain progress line's time left ignores the first item's one-off cost (compiling)."""

from __future__ import annotations

import io
import re

from rich.console import Console

import jusim.tables as tables


def test_time_left_is_paced_from_the_first_finished_item(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(tables.time, "perf_counter", lambda: clock[0])
    out = io.StringIO()
    bar = tables.LineProgress(console=Console(file=out, width=100), disable=True, every=0.0)
    task = bar.add_task("runs", total=270)
    clock[0] = 100.0  # the first run also compiles the kernels
    bar.advance(task)
    assert "left" not in out.getvalue().splitlines()[-1]  # one item: no pace yet
    for _ in range(9):  # then one second a run
        clock[0] += 1.0
        bar.advance(task)
    last = out.getvalue().splitlines()[-1]
    assert "10 of 270" in last
    left = float(re.search(r"about (\d+) s left", last).group(1))
    assert left == 260.0  # 260 runs at 1 s, not at the 10.9 s the start-based pace gives
