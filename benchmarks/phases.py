"""CPU time of each phase of the month per run-month, with R runs stepped together.

Steps R default-world runs (seeds 0..R-1) together for ``--months`` months with
``jusim.month.step`` over one ``Runs`` and times every phase's ``run(runs)`` (process CPU time),
for each R given; prints microseconds per run-month by phase, and the machine's load.
A phase written over the run axis costs less per run as R grows; one that steps its runs one after
another (``runs.each``) costs the same at every R.

Usage::

    python benchmarks/phases.py [--runs 1 10 100] [--months 24] [--scenario default_world]
"""

from __future__ import annotations

import argparse
import os
import time

import jusim
from jusim import month
from jusim.model import JoinedUpModel
from jusim.month.runs import Runs


def time_phases(scenario: str, r: int, months: int) -> dict[str, float]:
    sc = jusim.as_scenario(scenario)
    models = [JoinedUpModel(sc, seed=i) for i in range(r)]
    spent = {p.__name__.rsplit(".", 1)[1]: 0.0 for p in month.PHASES}
    runs = Runs([m.state for m in models])
    for _ in range(months):
        for phase in month.PHASES:
            t = time.process_time()
            phase.run(runs)
            spent[phase.__name__.rsplit(".", 1)[1]] += time.process_time() - t
        runs = runs.next_month()
    for m in models:
        m.release()
    return {k: v / (r * months) * 1e6 for k, v in spent.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, nargs="+", default=[1, 10, 100])
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--scenario", default="default_world")
    args = ap.parse_args()
    # warm up: a run alone, then batches long enough that jusim.kernels (``auto``) has decided
    # and loaded the compiled loops, so their loading lands in no measured phase
    time_phases(args.scenario, 1, 2)
    for _ in range(2):
        time_phases(args.scenario, 100, 6)
    table = {r: time_phases(args.scenario, r, args.months) for r in args.runs}
    print(f"{args.scenario}: CPU us per run-month, load {os.getloadavg()[0]:.1f}")
    print(f"{'phase':<14}" + "".join(f"{'R=' + str(r):>10}" for r in args.runs))
    for phase in table[args.runs[0]]:
        print(f"{phase:<14}" + "".join(f"{table[r][phase]:>10.1f}" for r in args.runs))
    print(f"{'month':<14}" + "".join(f"{sum(table[r].values()):>10.1f}" for r in args.runs))


if __name__ == "__main__":
    main()
