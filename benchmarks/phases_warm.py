"""CPU time of one call of each phase of the month, repeated on the same month (warm), per run.

Steps R default-world runs (seeds 0..R-1) together to month ``--month`` with
``jusim.month.step``, then calls each phase's ``run(runs)`` ``--calls`` times in a row (every
phase before it having run once this month) and keeps the fastest of ``--repeats`` such
loops: microseconds per run and call. On a shared, noisy machine the fastest loop moves much
less than ``benchmarks/phases.py``'s total over months (which also pays cold caches), so two
versions of a phase compare better so, alternately, in the same minutes. The record phase is
left out (it writes the month's row, once). Repeating a phase repeats its draws from the runs'
generators; the state it leaves is not a month of any run.

Usage::

    python benchmarks/phases_warm.py [--runs 1 100] [--month 12] [--calls 150] [--repeats 7]
"""

from __future__ import annotations

import argparse
import os
import time

import jusim
from jusim import month
from jusim.model import JoinedUpModel
from jusim.month.runs import Runs


def time_phases(r: int, at: int, calls: int, repeats: int) -> dict[str, float]:
    sc = jusim.as_scenario("default_world")
    models = [JoinedUpModel(sc, seed=i) for i in range(r)]
    runs = Runs([m.state for m in models])
    for _ in range(at):
        month.step(runs)
        runs = runs.next_month()
    spent = {}
    for phase in month.PHASES:
        name = phase.__name__.rsplit(".", 1)[1]
        if name == "record":
            continue
        best = float("inf")
        for _ in range(repeats):
            start = time.process_time()
            for _ in range(calls):
                phase.run(runs)
            best = min(best, time.process_time() - start)
        spent[name] = best / (calls * r) * 1e6
    for m in models:
        m.release()
    return spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, nargs="+", default=[1, 100])
    ap.add_argument("--month", type=int, default=12)
    ap.add_argument("--calls", type=int, default=150)
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    table = {
        r: time_phases(r, args.month, max(1, args.calls // r), args.repeats) for r in args.runs
    }
    print(f"default_world: CPU us per run and call, warm, load {os.getloadavg()[0]:.1f}")
    print(f"{'phase':<14}" + "".join(f"{'R=' + str(r):>10}" for r in args.runs))
    for phase in table[args.runs[0]]:
        print(f"{phase:<14}" + "".join(f"{table[r][phase]:>10.1f}" for r in args.runs))


if __name__ == "__main__":
    main()
