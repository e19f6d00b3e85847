"""Showing an explanation: an 80-column terminal table, a markdown table and a bar chart.

The chart (:func:`explain_figure`) is one horizontal bar per mechanism group (its Shapley
contribution with a 95% interval), then what is left with every group off, then the total; the
brief and the dashboard reuse it.
"""

from __future__ import annotations

from typing import Any

from jusim.analysis.explain import Explanation
from jusim.tables import Col, Est, num, print_lines, show

MEASURE_TITLE = {
    "attainment": "attainment at the horizon (1 = target met)",
    "cost_per_case": "cost per case resolved, £k",
}
DIGITS = {"attainment": 2, "cost_per_case": 0}


def bounds(ex: Explanation) -> tuple[str, str]:
    """The interval shown: with parameter draws the central 95% range over draws x seeds (what
    parameter uncertainty and chance allow, as ``jusim compare`` shows), else the t interval of
    the mean over the seeds."""
    return ("range_low", "range_high") if ex.draws else ("ci_low", "ci_high")


def interval_words(ex: Explanation) -> str:
    if ex.draws:
        return f"central 95% ranges over {ex.draws} draws x {ex.replications} seeds"
    return f"95% intervals over {ex.replications} paired samples"


def _shown(ex: Explanation):
    """The table without the groups neither arm uses (their contribution is exactly 0)."""
    t = ex.table()
    return t[~t.term.isin([g.key for g in ex.idle])]


def print_explanation(console: Any, ex: Explanation) -> None:
    """One table per outcome: rows are the groups, columns the contribution to attainment (with
    its interval), the group's effect alone, and the contribution to cost per case."""
    table = _shown(ex)
    lo, hi = bounds(ex)
    cols = [
        Col("mechanism group", kind="name"),
        Col("attainment", short="att", meaning="contribution to the attainment difference"),
        Col("alone", meaning="the group's effect on attainment switched on by itself"),
        Col("if off", meaning="change in the total when only this group is switched off"),
        Col("£k per case", short="£k/case", meaning="contribution to the cost-per-case difference"),
    ]
    for outcome in ex.outcomes:
        sub = table[table.outcome == outcome]
        att = sub[sub.measure == "attainment"].set_index("term")
        cost = sub[sub.measure == "cost_per_case"].set_index("term")
        rows = []
        for term in att.index:
            a, c = att.loc[term], cost.loc[term]
            rows.append(
                [
                    a.label,
                    Est(a["mean"], a[lo], a[hi], signed=True),
                    num(a.alone, 2, signed=True),
                    num(-a.lost, 2, signed=True),
                    Est(c["mean"], c[lo], c[hi], digits=0, signed=True),
                ]
            )
        show(
            console,
            f"{ex.scenario} minus {ex.baseline}, {outcome}, month {ex.horizon}: Shapley "
            f"contributions of mechanism groups ({interval_words(ex)})",
            cols,
            rows,
        )
        console.print()
    idle = ", ".join(g.label for g in ex.idle)
    notes = [
        "A group's contribution is its average marginal effect over every order of switching "
        "the groups on, in both arms alike; contributions plus 'with every group off' add up to "
        f"the total (largest gap over samples {ex.efficiency_gap():.1e}). 'alone' is the group "
        "switched on by itself (the rest of its contribution is its share of interactions); "
        "'if off' the change in the total when only this group is switched off.",
        ex.cost_note() + ".",
    ]
    if idle:
        notes.append(f"Not used by either arm (contribution exactly 0): {idle}.")
    for n in notes:
        print_lines(console, n)


def markdown(ex: Explanation) -> str:
    """A markdown table per outcome (for docs and the paper)."""
    table = _shown(ex)
    lo, hi = bounds(ex)
    what = "95% range" if ex.draws else "95% CI"
    out = []
    for outcome in ex.outcomes:
        sub = table[table.outcome == outcome]
        att = sub[sub.measure == "attainment"].set_index("term")
        cost = sub[sub.measure == "cost_per_case"].set_index("term")
        out.append(f"**{ex.scenario} − {ex.baseline}, {outcome}** (month {ex.horizon})\n")
        out.append(
            f"| mechanism group | attainment [{what}] | alone | if off | £k per case [{what}] |"
        )
        out.append("|---|---|---|---|---|")
        for term in att.index:
            a, c = att.loc[term], cost.loc[term]
            out.append(
                f"| {a.label} | {Est(a['mean'], a[lo], a[hi], signed=True).lines(False)[0]}"
                f" | {num(a.alone, 2, signed=True)} | {num(-a.lost, 2, signed=True)} | "
                f"{Est(c['mean'], c[lo], c[hi], digits=0, signed=True).lines(False)[0]} |"
            )
        out.append("")
    return "\n".join(out)


def explain_figure(ex: Explanation, outcome: str | None = None, measure: str = "attainment"):
    """Horizontal bars: each group's contribution (95% interval), every-group-off, total."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outcome = outcome or ex.outcomes[0]
    t = _shown(ex)
    sub = t[(t.outcome == outcome) & (t.measure == measure)].iloc[::-1]
    fig, ax = plt.subplots(figsize=(6.4, 0.42 * len(sub) + 1.2))
    y = range(len(sub))
    colours = [
        "#555555" if term == "total" else "#bbbbbb" if term == "none" else "#2b6ca3"
        for term in sub.term
    ]
    low, high = bounds(ex)
    lo = (sub["mean"] - sub[low]).fillna(0).clip(lower=0)
    hi = (sub[high] - sub["mean"]).fillna(0).clip(lower=0)
    ax.barh(list(y), sub["mean"], xerr=[lo, hi], color=colours, ecolor="black", capsize=2)
    ax.set_yticks(list(y), list(sub.label))
    ax.axvline(0, color="black", lw=0.8)
    unit = "attainment" if measure == "attainment" else "£k per case"
    ax.set_xlabel(f"contribution to {ex.scenario} − {ex.baseline} ({unit})")
    ax.set_title(f"Why it works: {outcome.replace('_', ' ')}, month {ex.horizon}", fontsize=10)
    fig.tight_layout()
    return fig
