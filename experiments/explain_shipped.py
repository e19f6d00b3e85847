"""Decompose every shipped scenario's difference from silo into mechanism groups.

    python experiments/explain_shipped.py [--replications 8] [--seed 0] [--out explain_out]

Writes ``OUT/explain_shipped.csv`` (tidy rows of ``Explanation.table``), ``OUT/explain_shipped.md``
(markdown tables), ``OUT/explain_summary.md`` (one table: groups by scenario, attainment shares
with 95% intervals; the table in docs/user-guide.md) and one chart per scenario; runs share one
cache, so the silo arm's coalitions run once. Scenarios are written as they finish.
``--summary-only`` rewrites the summary from an existing CSV.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

import jusim
from jusim.analysis.explain import GROUP_KEYS, explain, players
from jusim.analysis.explain_view import explain_figure, markdown
from jusim.scenario import scenario_dir
from jusim.tables import SMALLEST_EFFECT, Est

NEAR_ZERO = SMALLEST_EFFECT / 2


def summary(csv: Path) -> str:
    """Groups (rows) by scenario (columns): attainment shares with 95% intervals; groups a
    scenario does not use (share exactly 0 by construction) are marked "not used", and shares whose
    whole interval lies within ±``NEAR_ZERO`` (half the smallest effect of interest,
    ``jusim.tables.SMALLEST_EFFECT``) print as "~0"."""
    t = pd.read_csv(csv)
    t = t[t.measure == "attainment"]
    labels = dict(zip(t.term, t.label, strict=False))
    silo = jusim.as_scenario("silo")
    cols = []
    for (scen, outcome), sub in t.groupby(["scenario", "outcome"], sort=False):
        used = {g.key for g in players(jusim.as_scenario(scen), silo)}
        cols.append((scen, outcome, sub.set_index("term"), used))
    lines = [
        "| mechanism group | " + " | ".join(f"{s}<br>{o}" for s, o, _, _ in cols) + " |",
        "|---|" + "---|" * len(cols),
    ]
    for term in [*GROUP_KEYS, "none", "total"]:
        cells = []
        for _, _, sub, used in cols:
            if term in GROUP_KEYS and term not in used:
                cells.append("not used")
                continue
            r = sub.loc[term]
            if r.ci_low > -NEAR_ZERO and r.ci_high < NEAR_ZERO:
                cells.append("~0")
                continue
            cells.append(Est(r["mean"], r.ci_low, r.ci_high, signed=True).lines(False)[0])
        label = "**total difference**" if term == "total" else labels[term]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("explain_out"))
    ap.add_argument("--summary-only", action="store_true")
    ap.add_argument("scenarios", nargs="*")
    args = ap.parse_args()
    if args.summary_only:
        (args.out / "explain_summary.md").write_text(summary(args.out / "explain_shipped.csv"))
        return
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
    (args.out / "explain_summary.md").write_text(summary(args.out / "explain_shipped.csv"))


if __name__ == "__main__":
    main()
