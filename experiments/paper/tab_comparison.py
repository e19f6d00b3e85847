"""Table: every shipped scenario against silo, attainment at the horizon and cost per case, over
the shipped posterior ensemble (``jusim.compare``): 95% ranges over parameter draws x seeds, with
the chance-only part beside each difference."""

from __future__ import annotations

from pathlib import Path

import jusim
from jusim.scenario import scenario_dir
from jusim.tables import Est, num


def build(out: Path, size) -> tuple[str, list[Path]]:
    names = [p.stem for p in sorted(scenario_dir().glob("*.toml")) if p.stem != "default_world"]
    arms = [jusim.as_scenario(n) for n in names]
    if size.horizon:
        arms = [a.with_overrides({"horizon": size.horizon}) for a in arms]
    base = next(a for a in arms if a.name == "silo")
    cmp = jusim.compare(
        arms, baseline=base, replications=size.replications, seed=size.seed, draws=size.draws
    )
    if cmp.ensemble is None:
        raise SystemExit("the paper's comparison needs the shipped ensemble (jusim/data/)")
    t = cmp.table
    csv = out / "comparison.csv"
    t.to_csv(csv, index=False, float_format="%.10g")
    lines = [
        "## Scenarios against silo",
        "",
        f"Attainment at month {base.horizon} (1 = target met) and its paired difference from silo "
        f"over {cmp.draws} draws of the calibrated posterior x {cmp.seeds} seeds (master seed "
        f"{size.seed}; every arm on the same draw and seed): mean and central 95% range over the "
        "runs (differences: over the paired runs), which includes parameter uncertainty; "
        "'seed ±' is the chance-only half-width. Cost per case resolved, £k. "
        "Data: `paper/comparison.csv`.",
        "",
    ]
    for outcome, sub in t.groupby("outcome", sort=False):
        lines += [
            f"**{outcome}**",
            "",
            "| scenario | attainment | vs silo | seed ± | £k per case |",
            "|---|---|---|---|---|",
        ]
        for r in sub.itertuples():
            is_base = r.scenario == "silo"
            diff = (
                "baseline" if is_base else Est(r.effect, r.low, r.high, signed=True).lines(False)[0]
            )
            half = "" if is_base else num((r.seed_high - r.seed_low) / 2, 3)
            att = Est(r.mean, r.range_low, r.range_high).lines(False)[0]
            cost = Est(r.cost_per_outcome, r.cost_range_low, r.cost_range_high, digits=0)
            lines.append(f"| {r.scenario} | {att} | {diff} | {half} | {cost.lines(False)[0]} |")
        lines.append("")
    return "\n".join(lines), [csv]
