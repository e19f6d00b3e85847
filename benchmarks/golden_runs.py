"""Fingerprints of the shipped scenarios' runs, to check that a rewrite of the engine changes no bit.

``tests/test_golden_runs.py`` compares today's runs with ``tests/data/golden_runs.json``, written by
this script. It was first written from the engine before the run axis (commit 3655315), and
re-frozen deliberately, and only, when a change was meant to change results (money that flows,
design-notes item 15; the commit that re-freezes says so):

    python benchmarks/golden_runs.py --write tests/data/golden_runs.json

Each run's fingerprint is the SHA-256 of every recorded series (name, dtype, shape, bytes). Bits
depend on the machine's numpy build (its ``exp``, ``log`` and ``pow`` may round the last bit
differently on another CPU), so the file keeps one set of fingerprints per machine, each with a
fingerprint of those functions on fixed inputs; the test uses the set whose arithmetic matches this
machine's, and says why it skips where none does. To add a machine, run on the commit that wrote
the file (or any whose results the other machines' sets confirm) the following; it keeps the other
machines' sets and adds or replaces this machine's, whereas ``--write`` keeps only this machine's
(a change meant to change results makes every other set stale):

    python benchmarks/golden_runs.py --add tests/data/golden_runs.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

import jusim
from jusim.scenario import scenario_dir

SEEDS = (0, 3)


def arithmetic() -> str:
    """A fingerprint of the machine's numpy rounding (transcendental functions, products, sums)."""
    x = np.random.default_rng(0).uniform(-3, 3, 4096)
    parts = [np.exp(x), np.log1p(np.abs(x)), np.abs(x) ** 0.37, np.sqrt(np.abs(x))]
    m = x[:100].reshape(10, 10)
    parts += [m @ m, np.cumsum(x), np.tanh(x), np.expm1(x / 3)]
    return hashlib.sha256(b"".join(p.tobytes() for p in parts)).hexdigest()


def fingerprint(result: jusim.RunResult) -> str:
    h = hashlib.sha256()
    for name in sorted(result.series):
        v = np.ascontiguousarray(result.series[name])
        h.update(f"{name}|{v.dtype}|{v.shape}|".encode())
        h.update(v.tobytes())
    return h.hexdigest()


def per_run_params() -> dict:
    sc = jusim.as_scenario("rough_sleepers_unit")
    tol, temp = sc.parameters.trust.tolerance, sc.parameters.decision.temperature
    return {
        "parameters.trust.tolerance": [0.5 * tol, tol, 1.5 * tol],
        "parameters.decision.temperature": [0.6 * temp, 1.4 * temp, temp],
    }


def runs() -> dict[str, str]:
    out = {}
    for path in sorted(scenario_dir().glob("*.toml")):
        sc = jusim.as_scenario(path.stem)
        for seed in SEEDS:
            out[f"{path.stem}/seed={seed}"] = fingerprint(jusim.run(sc, seed))
    batch = jusim.run_batch("rough_sleepers_unit", [5, 6, 7], params=per_run_params())
    for k, result in enumerate(batch):
        out[f"rough_sleepers_unit/batch of 3 with parameters per run/run {k}"] = fingerprint(result)
    return out


def machines(data: dict) -> list[dict]:
    """The sets of fingerprints in a golden file, one per machine (a file of one set, as first
    written, is a list of one)."""
    return data.get("machines", [data])


def for_this_machine(data: dict) -> dict | None:
    """The set of fingerprints made where numpy rounds as it does here, or ``None``."""
    here = arithmetic()
    return next((m for m in machines(data) if m["arithmetic"] == here), None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    how = ap.add_mutually_exclusive_group(required=True)
    how.add_argument("--write", type=Path, help="this machine's set only")
    how.add_argument("--add", type=Path, help="add (or replace) this machine's set")
    args = ap.parse_args()
    mine = {"arithmetic": arithmetic(), "numpy": np.__version__, "runs": runs()}
    path = args.write or args.add
    others = []
    if args.add is not None and path.exists():
        others = [
            m
            for m in machines(json.loads(path.read_text()))
            if m["arithmetic"] != mine["arithmetic"]
        ]
    path.write_text(json.dumps({"machines": [*others, mine]}, indent=1) + "\n")
    print(
        f"{len(mine['runs'])} runs of this machine written to {path} ({len(others)} other sets kept)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
