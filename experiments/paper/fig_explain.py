"""Figure and table: why the Rough Sleepers Unit beats silo, Shapley shares of the mechanism
groups (``jusim.explain``)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

import jusim
from jusim.analysis.explain_view import explain_figure, markdown

PNG = {"Software": None}


def build(out: Path, size) -> tuple[str, list[Path]]:
    scen, base = jusim.as_scenario("rough_sleepers_unit"), jusim.as_scenario("silo")
    if size.horizon:
        scen = scen.with_overrides({"horizon": size.horizon})
        base = base.with_overrides({"horizon": size.horizon})
    ex = jusim.explain(
        scen,
        base,
        outcomes=["rough_sleeping"],
        replications=size.explain_replications,
        seed=size.seed,
        groups=list(size.explain_groups) if size.explain_groups else None,
    )
    csv, png = out / "explain_rsu.csv", out / "explain_rsu.png"
    ex.table().to_csv(csv, index=False, float_format="%.10g")
    fig = explain_figure(ex)
    fig.savefig(png, dpi=110, metadata=PNG)
    plt.close(fig)
    text = "\n".join(
        [
            "## Why the central unit works",
            "",
            "Shapley shares of the mechanism groups in the Rough Sleepers Unit's difference from "
            f"silo ({ex.method}; {ex.replications} paired replications, seed {size.seed}). "
            "Data: `paper/explain_rsu.csv`.",
            "",
            "![Shapley shares](paper/explain_rsu.png)",
            "",
            markdown(ex),
        ]
    )
    return text, [csv, png]
