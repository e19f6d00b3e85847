"""Cost of the per-month network measures (jusim/network.py) in a whole run.

Times ``jusim.run`` on the default world (and a world scaled to ~10k staff) with the measures on,
and with ``jusim.metrics.measures`` replaced by a stub that returns NaNs, alternating the two
in each repetition so that load on the machine hits both alike. Also times one call of
``measures`` on the final roster. Prints a markdown table.

    python benchmarks/network_measures.py [--repeats 40]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import med_iqr, scaled_world

import jusim
import jusim.metrics as metrics
from jusim.model import JoinedUpModel


def _stub(roster, pairs=None):
    return (np.nan, np.nan, np.nan)


def alternate(sc, repeats: int) -> tuple[np.ndarray, np.ndarray]:
    real = metrics.measures
    on, off = np.empty(repeats), np.empty(repeats)
    for k in range(-2, repeats):  # two warm-up rounds
        for flag in (True, False) if k % 2 else (False, True):
            metrics.measures = real if flag else _stub
            t0 = time.perf_counter()
            jusim.run(sc, seed=max(k, 0))
            dt = time.perf_counter() - t0
            if k >= 0:
                (on if flag else off)[k] = dt
    metrics.measures = real
    return on, off


def one_call(sc, repeats: int = 2000) -> float:
    model = JoinedUpModel(sc, seed=0)
    model.run()
    pairs = metrics.possible_pairs(model.roster)
    metrics.measures(model.roster, pairs)
    t0 = time.perf_counter()
    for _ in range(repeats):
        metrics.measures(model.roster, pairs)
    dt = (time.perf_counter() - t0) / repeats
    model.release()
    return dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=40)
    args = ap.parse_args()
    print(
        "| world | staff | run with measures, ms | without, ms | added (paired) "
        "| one call, µs | calls per run x one call, share of run |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, sc, reps in (
        ("default", jusim.load_scenario("default_world"), args.repeats),
        ("scaled x10", scaled_world(10_000), max(4, args.repeats // 8)),
    ):
        on, off = alternate(sc, reps)
        added = np.median(on - off) / np.median(off)
        staff = sum(a.staff for a in sc.agencies)
        call = one_call(sc)
        calls = (sc.horizon + 1) * call / np.median(off)
        print(
            f"| {label} | {staff} | {med_iqr(on)} | {med_iqr(off)} | {added:+.1%} | "
            f"{call * 1e6:.1f} | {calls:.1%} |"
        )


if __name__ == "__main__":
    main()
