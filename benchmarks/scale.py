"""Time and peak memory of one run against the number of staff and of agencies (issue 20, item 5).

- **Staff**: the default world with every agency's staff scaled (``engine.scaled_world``) to about
  10k, 100k and 1M staff, 60 months; each size runs in a fresh process so that its peak resident
  memory (``ru_maxrss``) is its own.
- **Agencies**: k copies of the default world's area side by side (agencies and outcomes renamed,
  each copy's outcomes served by its own agencies), 10, 100 and 1,000 agencies, 60 months.

Each row: wall and CPU seconds of ``jusim.run`` (after one warm-up run of the same world with
another seed, in the same process) and the peak memory of its process, with the machine's load.

Usage::

    python benchmarks/scale.py [--staff 10000 100000 1000000] [--agencies 10 100 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def area_copies(k: int) -> Any:
    """The default world's area k times over: 10k agencies, 3k outcomes, no links between copies."""
    import jusim

    d = jusim.load_scenario("default_world").model_dump()
    agencies, outcomes = [], []
    for c in range(k):
        tag = "" if c == 0 else f"_{c}"
        for a in d["agencies"]:
            agencies.append({**a, "name": a["name"] + tag})
        for o in d["outcomes"]:
            contributors = {n + tag: w for n, w in o["contributors"].items()}
            outcomes.append({**o, "name": o["name"] + tag, "contributors": contributors})
    d.update(agencies=agencies, outcomes=outcomes, name=f"default_world_x{k}", spillovers=[])
    return jusim.Scenario.model_validate(d)


def peak_mb() -> float:
    """This process's peak resident memory (``VmHWM``: unlike ``ru_maxrss``, not inherited from a
    large parent across ``exec``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(kind: str, size: int) -> dict[str, Any]:
    """Time one run of the world of this kind and size in this process."""
    import jusim

    sys.path.insert(0, str(HERE))
    from engine import n_staff, scaled_world

    sc = scaled_world(size) if kind == "staff" else area_copies(size // 10)
    jusim.run(sc.with_overrides({"horizon": 2}), seed=1)  # compile and warm up
    t, c = time.perf_counter(), time.process_time()
    jusim.run(sc, seed=0)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    return {
        "kind": kind,
        "size": size,
        "staff": n_staff(sc),
        "agencies": len(sc.agencies),
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_mb": peak_mb(),
        "load": os.getloadavg()[0],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--staff", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--agencies", type=int, nargs="*", default=[10, 100, 1000])
    ap.add_argument("--one", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]))))
        return
    rows = []
    for kind, sizes in (("staff", args.staff), ("agencies", args.agencies)):
        for size in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--one", kind, str(size)],
                capture_output=True,
                text=True,
                check=True,
            )
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
            r = rows[-1]
            print(
                f"{kind:<9}{r['staff']:>10,} staff {r['agencies']:>6} agencies  "
                f"wall {r['wall_s']:7.2f} s  cpu {r['cpu_s']:7.2f} s  "
                f"peak {r['peak_mb']:8.0f} MB  load {r['load']:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
