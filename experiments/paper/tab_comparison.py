"""Table: every shipped scenario against silo, attainment at the horizon and cost per case, with
paired 95% intervals (``jusim.compare``)."""

from __future__ import annotations

from pathlib import Path

import jusim
from jusim.scenario import scenario_dir
from jusim.tables import Est


def build(out: Path, size) -> tuple[str, list[Path]]:
    names = [p.stem for p in sorted(scenario_dir().glob("*.toml")) if p.stem != "default_world"]
    arms = [jusim.as_scenario(n) for n in names]
    if size.horizon:
        arms = [a.with_overrides({"horizon": size.horizon}) for a in arms]
    base = next(a for a in arms if a.name == "silo")
    cmp = jusim.compare(arms, baseline=base, replications=size.replications, seed=size.seed)
    t = cmp.table
    csv = out / "comparison.csv"
    t.to_csv(csv, index=False, float_format="%.10g")
    lines = [
        "## Scenarios against silo",
        "",
        f"Attainment at month {base.horizon} (1 = target met) and its paired difference from silo, "
        f"{size.replications} replications on shared seeds (master seed {size.seed}), 95% "
        "t intervals; cost per case resolved, £k. Data: `paper/comparison.csv`.",
        "",
    ]
    for outcome, sub in t.groupby("outcome", sort=False):
        lines += [
            f"**{outcome}**",
            "",
            "| scenario | attainment | vs silo | £k per case |",
            "|---|---|---|---|",
        ]
        for r in sub.itertuples():
            diff = (
                "baseline"
                if r.scenario == "silo"
                else Est(r.diff, r.diff_ci_low, r.diff_ci_high, signed=True).lines(False)[0]
            )
            att = Est(r.mean, r.ci_low, r.ci_high).lines(False)[0]
            cost = Est(r.cost_per_outcome, r.cost_ci_low, r.cost_ci_high, digits=0).lines(False)[0]
            lines.append(f"| {r.scenario} | {att} | {diff} | {cost} |")
        lines.append("")
    return "\n".join(lines), [csv]
