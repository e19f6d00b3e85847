"""CPU time of ``jusim.compare`` over the shipped scenarios, and where the partnerships' and
interventions' per-run Python goes.

Runs ``jusim.compare`` of every shipped scenario but the default world against ``silo`` (270 runs
of 9 arms, stepped in chunks along the run axis) after a warm-up run, and prints its process CPU
time with the machine's load. ``--profile`` runs it under cProfile instead and prints the total
number of function calls and the calls and cumulative time of the functions of
``jusim/partnership.py``, ``jusim/interventions/``, ``jusim/month/rules.py`` and
``mechanisms/scrutiny.py`` (counts do not depend on the machine's load; times do).
``--alone`` also prints the function calls of ``jusim.run`` of each scenario (R = 1).

Compare two checkouts alternately, in the same minutes::

    for i in 1 2 3; do
        PYTHONPATH=/path/to/before python benchmarks/compare_shipped.py
        PYTHONPATH=$PWD python benchmarks/compare_shipped.py
    done
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time

import jusim
from jusim.analysis.compare import compare
from jusim.scenario import scenario_dir

MINE = ("partnership.py", "interventions/", "month/rules.py", "mechanisms/scrutiny.py")


def shipped() -> list[jusim.Scenario]:
    files = sorted(scenario_dir().glob("*.toml"))
    return [jusim.as_scenario(f) for f in files if f.stem != "default_world"]


def report(stats: pstats.Stats, top: int) -> None:
    print(f"function calls: {stats.total_calls:,}")
    rows = []
    for (path, line, name), (_, calls, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if any(part in path for part in MINE):
            rows.append((cumulative, calls, f"{path.split('jusim/')[-1]}:{line}({name})"))
    print(f"{'calls':>8} {'cum s':>7}  function")
    for cumulative, calls, where in sorted(rows, reverse=True)[:top]:
        print(f"{calls:8d} {cumulative:7.3f}  {where}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profile", action="store_true", help="call counts under cProfile")
    ap.add_argument("--alone", action="store_true", help="calls of jusim.run per scenario")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    scenarios = shipped()
    jusim.run(scenarios[0])  # warm: imports, compiled kernels
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        compare(scenarios, "silo")
        profile.disable()
        report(pstats.Stats(profile), args.top)
    else:
        t0 = time.process_time()
        compare(scenarios, "silo")
        spent = time.process_time() - t0
        print(
            f"jusim.compare, 9 shipped scenarios: {spent:.2f} s CPU, load {os.getloadavg()[0]:.1f}"
        )
    if args.alone:
        for scenario in scenarios:
            profile = cProfile.Profile()
            profile.enable()
            jusim.run(scenario, seed=1)
            profile.disable()
            print(f"jusim.run {scenario.name:22s} {pstats.Stats(profile).total_calls:8,d} calls")


if __name__ == "__main__":
    main()
