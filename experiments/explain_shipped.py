"""Decompose every shipped scenario's difference from silo into mechanism groups.

    python experiments/explain_shipped.py [--replications 8] [--seed 0] [--out explain_out]

Writes ``OUT/explain_shipped.csv`` (tidy rows of ``Explanation.table``), ``OUT/explain_shipped.md``
(markdown tables) and one chart per scenario; runs share one cache, so the silo arm's coalitions
run once. Scenarios are written as they finish.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from jusim.analysis.explain import explain
from jusim.analysis.explain_view import explain_figure, markdown
from jusim.scenario import scenario_dir


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("explain_out"))
    ap.add_argument("scenarios", nargs="*")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    names = args.scenarios or [
        p.stem
        for p in sorted(scenario_dir().glob("*.toml"))
        if p.stem not in ("default_world", "silo")
    ]
    names.sort(key=lambda n: n != "rough_sleepers_unit")
    cache: dict = {}
    frames, texts = [], []
    for name in names:
        start = time.perf_counter()
        ex = explain(name, "silo", replications=args.replications, seed=args.seed, cache=cache)
        frames.append(ex.table())
        texts.append(
            markdown(ex) + f"\n_{ex.cost_note()}; wall {time.perf_counter() - start:.0f} s_\n"
        )
        pd.concat(frames).to_csv(args.out / "explain_shipped.csv", index=False)
        (args.out / "explain_shipped.md").write_text("\n".join(texts))
        fig = explain_figure(ex)
        fig.savefig(args.out / f"{name}.png", dpi=110)
        print(name, ex.cost_note(), flush=True)


if __name__ == "__main__":
    main()
