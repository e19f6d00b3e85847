"""Write the shipped posterior ensemble, ``jusim/data/ensemble.csv`` and ``.json`` (issue 21).

Reads a finished calibration (``jusim calibrate experiments/calibration.toml``: its out folder's
``posterior.csv`` and ``summary.json``), takes ``--draws`` equal-weight draws from the final
generation's weighted particles by systematic resampling (seeded by the calibration's seed), and
writes one row per draw: ``draw``, ``weight`` (1/N), then one column per fitted override path
(every other parameter stays at its default). Provenance goes to the ``.json`` file.

    python experiments/make_ensemble.py [--calibration experiments/calibration.toml] [--draws 40]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from jusim.calibration import load_calibration, resample
from jusim.priors import prior_map

ROOT = Path(__file__).resolve().parent.parent


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibration", default=str(ROOT / "experiments" / "calibration.toml"))
    ap.add_argument("--draws", type=int, default=40)
    ap.add_argument("--out", default=str(ROOT / "jusim" / "data" / "ensemble.csv"))
    args = ap.parse_args()
    spec = load_calibration(args.calibration)
    folder = spec.folder
    summary = json.loads((folder / "summary.json").read_text())
    posterior = pd.read_csv(folder / "posterior.csv")
    paths = summary["fitted"]
    draws, idx = resample(
        posterior[paths], posterior["weight"].to_numpy(float), args.draws, spec.seed
    )
    priors = prior_map()
    for path in paths:  # whole-number parameters as the scenario takes them (pyabc draws reals)
        if priors[path].integer:
            draws[path] = draws[path].round().astype(int)
    draws.insert(0, "weight", 1.0 / args.draws)
    draws.insert(0, "draw", range(args.draws))
    out = Path(args.out)
    draws.to_csv(out, index=False, float_format="%.6g")
    cal = Path(args.calibration)
    provenance = {
        "calibration_file": str(cal.resolve().relative_to(ROOT))
        if cal.resolve().is_relative_to(ROOT)
        else str(cal),
        "calibration_sha256": hashlib.sha256(cal.read_bytes()).hexdigest(),
        "jusim_commit": _commit(),
        "pyabc_version": summary["pyabc"],
        "generations": summary["generations"],
        "final_epsilon": summary["final_epsilon"],
        "epsilons": summary["epsilons"],
        "population": summary["population"],
        "simulations": summary["simulations"],
        "seed": summary["seed"],
        "replications_per_particle": summary["replications"],
        "fitted": paths,
        "targets": summary["targets"],
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "sampling_wall_seconds": summary["sampling_seconds"],
        "draws": args.draws,
        "how_drawn": (
            f"{args.draws} equal-weight draws from the final generation's {len(posterior)} "
            "weighted particles by systematic resampling (jusim.calibration.resample, seeded by "
            f"the calibration seed {spec.seed}); particles drawn: {sorted(set(idx.tolist()))}"
        ),
    }
    out.with_suffix(".json").write_text(json.dumps(provenance, indent=2) + "\n")
    print(f"wrote {out} ({args.draws} draws of {len(paths)} parameters) and its .json")


if __name__ == "__main__":
    main()
