"""Table and figure: robust packages for rough sleeping (``jusim search`` on
``experiments/search.toml``)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt

from jusim.analysis.search import load_search, pareto_figure, search

PNG = {"Software": None}
SEARCH = Path(__file__).resolve().parents[1] / "search.toml"


def build(out: Path, size) -> tuple[str, list[Path]]:
    spec = load_search(SEARCH)
    changes = {
        "population": size.search_population,
        "generations": size.search_generations,
        "replications": size.search_replications,
        "horizon": size.horizon,
        "seed": size.seed,
    }
    spec = spec.model_copy(update={k: v for k, v in changes.items() if v is not None})
    result = search(spec, None)  # no checkpoint: the paper never resumes a search
    csv, png = out / "packages.csv", out / "packages.png"
    cols = [
        "package",
        "p10_attainment",
        "mean_attainment",
        "cost_per_case",
        "regret",
        "extra_spend",
    ]
    result.pareto[["id", *cols]].to_csv(csv, index=False, float_format="%.10g")
    fig = pareto_figure(result)
    fig.savefig(png, dpi=110, metadata=PNG)
    plt.close(fig)
    lines = [
        "## Robust packages",
        "",
        f"Pareto set of `experiments/search.toml` ({spec.population} packages a generation, "
        f"{spec.generations} generations, {spec.replications} seeds a package, cost limit "
        f"£{spec.cost_limit:g}m): {len(result.evaluations)} packages tried. Data: "
        "`paper/packages.csv`.",
        "",
        "![Pareto set](paper/packages.png)",
        "",
        "| package | attainment, 10th percentile | £k per case | regret | extra £m |",
        "|---|---|---|---|---|",
    ]
    for r in result.pareto.itertuples():
        lines.append(
            f"| {r.package} | {r.p10_attainment:.2f} | {r.cost_per_case:.0f} | {r.regret:.2f} | "
            f"{r.extra_spend:.0f} |"
        )
    return "\n".join(lines) + "\n", [csv, png]
