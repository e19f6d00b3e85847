"""How much a run axis could save: a synthetic month of 900 small numpy calls, R runs at once.

Not the model: a chain of ``x * y``, ``np.maximum`` and a sum over the ten "agencies", the mix of
calls a month of the default world makes (about 900 calls on arrays of outcomes x agencies), on
arrays with a run axis first ``(R, O, A)`` or last ``(O, A, R)``. It measures the per-call
overhead that a batch amortises, to size the batch design of docs/design-notes.md item 12.

Usage::

    python benchmarks/run_axis_probe.py
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

CALLS = 900  # numpy calls in a month of the default world
OUTCOMES, AGENCIES = 3, 10


def month(x: np.ndarray, y: np.ndarray, axis: int) -> np.ndarray:
    z = x
    for _ in range(CALLS // 3):
        z = x * y
        z = np.maximum(z, 0.1)
        z = z.sum(axis=axis)
    return z


def per_run_month(runs: int, last: bool, repeats: int = 5) -> float:
    shape = (OUTCOMES, AGENCIES, runs) if last else (runs, OUTCOMES, AGENCIES)
    x = np.random.default_rng(0).random(shape)
    y = x.copy()
    axis = 1 if last else -1
    month(x, y, axis)
    best = np.inf
    for _ in range(repeats):
        t0 = time.process_time()
        month(x, y, axis)
        best = min(best, time.process_time() - t0)
    return best / runs


def main() -> int:
    print(f"load average {os.getloadavg()[0]:.2f}; CPU µs per run-month (best of 5)\n")
    print("| runs in the batch | run axis first (R, O, A) | run axis last (O, A, R) |")
    print("|---|---|---|")
    for runs in (1, 10, 100, 1000):
        first, last = per_run_month(runs, False), per_run_month(runs, True)
        print(f"| {runs} | {first * 1e6:.1f} | {last * 1e6:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
