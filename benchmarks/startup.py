"""Start-up of a command (issue 20, item 5): import, first run and whole commands, warm.

Each figure is the median of ``--repeat`` fresh processes; with several ``--tree`` folders the
trees take turns (tree A, tree B, tree A, ...) so that they share the machine's load, which is
printed beside the figures. Warm means numba's cache already holds the compiled kernels of each
tree (run ``python -c "import jusim.kernels as k; k.warm_up()"`` once per tree first).

    python benchmarks/startup.py --tree /work/wt/base --tree .
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from process_tree import timed

FIRST_RUN = """
import time
def now():
    return time.perf_counter(), time.process_time()
t0 = now(); import jusim
t1 = now(); jusim.run('silo', seed=1)
t2 = now(); jusim.run('silo', seed=1)
t3 = now()
for k in (0, 1):
    print(t1[k] - t0[k], t2[k] - t1[k], t3[k] - t2[k])
"""  # wall, then CPU: [import jusim, first run of silo, second run of silo]
WHAT = ("import jusim", "first run silo", "second run silo")
COMMANDS = {
    "jusim run default_world": ["run", "default_world"],
    "jusim compare": ["compare"],
}


# ``python -c`` puts its working folder first on sys.path: run where no jusim is
NEUTRAL = tempfile.gettempdir()


def _env(tree: Path, kernels: str | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    if kernels:
        env["JUSIM_KERNELS"] = kernels
    return env


def import_time(tree: Path) -> float:
    """Seconds ``python -X importtime -c "import jusim.cli"`` reports for jusim.cli, cumulative."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import jusim.cli"],
        env=_env(tree),
        cwd=NEUTRAL,
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    line = [ln for ln in out.splitlines() if re.search(r"\|\s*jusim\.cli$", ln)][-1]
    return int(line.split("|")[1]) / 1e6


def first_run(tree: Path, kernels: str | None) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of [import jusim, first run of silo, second run], a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", FIRST_RUN],
        env=_env(tree, kernels),
        cwd=NEUTRAL,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    wall, cpu = ([float(x) for x in line.split()] for line in out.splitlines())
    return wall, cpu


def command(tree: Path, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``jusim ARGS`` (the console script's code: ``jusim.cli:app``), CPU
    with every process it starts, its forkserver and workers too (``process_tree.py``)."""
    code = "import sys; from jusim.cli import app; sys.argv[0] = 'jusim'; app()"
    with tempfile.TemporaryDirectory() as cwd:  # for files a command writes
        return timed(
            [sys.executable, "-c", code, *args],
            env=_env(tree),
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", type=Path, default=[])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-commands", action="store_true")
    args = parser.parse_args()
    trees = [t.resolve() for t in args.tree] or [Path(__file__).resolve().parents[1]]
    print(f"load average before: {os.getloadavg()}")
    rows: dict[str, dict[Path, list[float]]] = {}

    def record(name: str, tree: Path, value: float) -> None:
        rows.setdefault(name, {}).setdefault(tree, []).append(value)

    for _ in range(args.repeat):
        for tree in trees:
            record("import jusim.cli (-X importtime)", tree, import_time(tree))
            for kernels in ("numpy", None):
                label = f"JUSIM_KERNELS={kernels or 'auto'}"
                for clock, times in zip(("wall", "CPU"), first_run(tree, kernels), strict=True):
                    for what, value in zip(WHAT, times, strict=True):
                        record(f"{what} ({label}): {clock}", tree, value)
            if not args.skip_commands:
                for name, argv in COMMANDS.items():
                    wall, cpu = command(tree, argv)
                    record(f"{name}: wall", tree, wall)
                    record(f"{name}: CPU", tree, cpu)
    width = max(len(name) for name in rows)
    print(f"{'':{width}}  " + "  ".join(f"{str(t)[-18:]:>18}" for t in trees))
    for name, by_tree in rows.items():
        cells = [f"{statistics.median(by_tree[t]):18.3f}" for t in trees]
        print(f"{name:{width}}  " + "  ".join(cells))
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
