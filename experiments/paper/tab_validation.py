"""Table: the validation suite's stylized facts (``jusim.analysis.validation``) in their main
setting, with 95% intervals over paired seeds, and over draws of the shipped posterior ensemble.

Calls the suite and formats its headline rows; ``docs/validation.md``
(``experiments/validation_report.py``) is the full report, with the second settings and every
supporting and control row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from jusim.analysis.validation import FAMILIES, ORIGINS, validate, validate_over_draws
from jusim.ensemble import resolve_ensemble


def _num(x: float) -> str:
    return f"{x:.3g}" if abs(x) >= 100 else f"{x:.3f}"


def posterior_draws(n: int) -> tuple[list[dict], str]:
    """``n`` draws of the shipped ensemble as override dicts (the suite's draw format)."""
    ens, note = resolve_ensemble("default")
    if ens is None:
        raise SystemExit(f"the paper's validation table needs the shipped ensemble: {note}")
    chosen = ens.select(min(n, ens.total))
    draws = [dict(zip(chosen.paths, chosen.values[i], strict=True)) for i in range(len(chosen))]
    return draws, chosen.label


def build(out: Path, size) -> tuple[str, list[Path]]:
    families = FAMILIES[: size.validation_families] if size.validation_families else FAMILIES
    effects = validate(size.validation_replications, size.seed, 1, families=families)
    draws, label = posterior_draws(size.validation_draws)
    over = validate_over_draws(
        draws, size.validation_draw_replications, size.seed, 1, families=families
    )
    rows = []
    for e, o in zip(effects, over, strict=True):
        if (e.pattern, e.control) != (o.pattern, o.control):  # a measure may name a level
            raise RuntimeError(f"({e.pattern}) {e.measure}: rows differ between the runs")
        if e.sesoi is None or e.control:
            continue  # headline rows only: those with a claim
        rows.append(
            {
                "fact": e.pattern,
                "origin": ORIGINS[e.pattern].kind,
                "measure": e.measure,
                "mean": e.mean,
                "ci_low": e.ci_low,
                "ci_high": e.ci_high,
                "replications": e.n,
                "claim": e.claim,
                "holds": e.holds,
                "share_of_draws_holding": o.share,
                "draws_low": o.low,
                "draws_high": o.high,
            }
        )
    table = pd.DataFrame(rows)
    csv = out / "validation.csv"
    table.to_csv(csv, index=False, float_format="%.10g")
    per_fact = table.groupby("fact", sort=False).agg(
        origin=("origin", "first"), holds=("holds", "all")
    )
    emergent = per_fact[per_fact.origin == "emergent"]
    lines = [
        "## Validation: stylized facts",
        "",
        f"The headline rows (those with a smallest effect of interest) of {len(per_fact)} facts "
        f"of the validation suite ({len(families)} of its {len(FAMILIES)} families), main "
        f"setting: mean effect and 95% t interval over {size.validation_replications} paired "
        f"seeds (master seed {size.seed}); a row *holds* if its whole interval lies beyond its "
        "SESOI in the claimed direction. *Share of draws* is the share of "
        f"{len(draws)} posterior draws ({label}; {size.validation_draw_replications} seeds each) "
        "whose mean effect lies beyond the SESOI; *over draws x seeds* the 2.5-97.5 percentile "
        "range of the effect over all of them. An *assumed* fact is stated by a rule written "
        "from the same source: its row checks that the rule works and is not validation. "
        f"Facts whose headline rows all hold: {int(per_fact.holds.sum())} of {len(per_fact)}; "
        f"emergent ones among them: {int(emergent.holds.sum())} of {len(emergent)}. Second settings, "
        "controls and the reasons for each SESOI: `docs/validation.md`. Data: "
        "`paper/validation.csv`.",
        "",
        "| fact | origin | measure | effect [95% CI] | claim | verdict | share of draws | "
        "over draws x seeds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in table.itertuples():
        lines.append(
            f"| ({r.fact}) | {r.origin} | {r.measure} | {_num(r.mean)} "
            f"[{_num(r.ci_low)}, {_num(r.ci_high)}] | {r.claim} | "
            f"{'holds' if r.holds else '**does not hold**'} | {r.share_of_draws_holding:.0%} | "
            f"[{_num(r.draws_low)}, {_num(r.draws_high)}] |"
        )
    return "\n".join(lines) + "\n", [csv]
