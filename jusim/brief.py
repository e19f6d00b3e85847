"""A one-page brief for a senior reader: ``jusim compare ... --brief brief.html``.

One self-contained HTML file (figures inline as SVG, styles inline, nothing fetched when it is
opened) laid out for A4: the question, the lever settings of each scenario, per-outcome
trajectories with 95% bands from the paired replications, the difference from the baseline with
intervals, the cost per case resolved, what the intervals do and do not include, and the evidence
each mechanism and intervention rests on, by report title.

Everything is read from the comparison, the scenarios, the intervention registry and the
mechanism modules' docstrings, so new outcomes, interventions and mechanisms appear with no code
here.
"""

from __future__ import annotations

import html
import importlib
import io
import pkgutil
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from jusim.tables import SMALLEST_EFFECT, VERDICT_NOTE, Est, num, sig, verdict

# The five source reports (evidence-catalogue §0): file prefix -> (short title, full reference)
REPORTS = {
    "000": (
        "Joined up working in the SE (2005)",
        "Milne, Scottish Executive Office of Chief Researcher, “Joined up working in the "
        "Scottish Executive”, research findings (2005)",
    ),
    "001": (
        "Partnership Working (2004)",
        "Scottish Executive Strategy Unit, “Partnership Working”, research report (2004)",
    ),
    "002": (
        "Joining Up to Improve Public Services (NAO 2002)",
        "National Audit Office, “Joining Up to Improve Public Services”, HC 383 2001–02",
    ),
    "003": (
        "Overcoming barriers to joint working (2015)",
        "Marrs, Civil Service World, “Overcoming barriers to joint working” (2015)",
    ),
    "004": (
        "Joined-Up Management (1998)",
        "Parston & Timmins, “Joined-Up Management”, Public Management Foundation (1998)",
    ),
}


def cited_reports(text: str) -> list[str]:
    """Report titles (with the places cited) for the source citations in ``text``."""
    text = " ".join(text.split())
    found: dict[str, list[str]] = {}
    for m in re.finditer(r"\b(00[0-4])_[0-9a-f]{16}\.txt", text):
        key = m.group(1)
        tail = text[m.end() : m.end() + 60]
        where = re.match(r"\s*((?:(?:¶\s?[\d–\-]+|\"[^\"]+\"|'[^']+'|“[^”]+”)[,\s]*)+)", tail)
        places = found.setdefault(key, [])
        if where:
            places.append(where.group(1).strip(" ,;"))
    return [
        REPORTS[k][0] + (f" {', '.join(dict.fromkeys(p for p in v if p))}" if any(v) else "")
        for k, v in sorted(found.items())
    ]


def mechanism_evidence() -> list[tuple[str, str, list[str]]]:
    """(mechanism, its one-line summary, report titles) for every module in jusim/mechanisms."""
    import jusim.mechanisms as pkg

    out = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        mod = importlib.import_module(f"jusim.mechanisms.{info.name}")
        doc = (mod.__doc__ or "").strip()
        if not doc:
            continue
        first = doc.split("\n\n")[0].replace("\n", " ")
        out.append((info.name.replace("_", " "), first, cited_reports(doc)))
    return out


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    text = buf.getvalue()
    return text[text.index("<svg") :]


def trajectories_svg(comparison: Any) -> str:
    """Mean attainment by month with 95% bands (t, over paired replications; over a parameter
    ensemble, the central 95% range of the runs), one panel per outcome, sized for the width of
    an A4 page."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from jusim.analysis.stats import band, range_band

    # over an ensemble: single runs' range over draws x seeds
    bands = band if getattr(comparison, "ensemble", None) is None else range_band

    runs = comparison.runs
    first = next(iter(runs.values()))[0]
    n = len(first.outcomes)
    cols = min(n, 3)
    rows = -(-n // cols)
    with plt.rc_context({"font.size": 8, "svg.fonttype": "none", "font.family": "sans-serif"}):
        fig, axes = plt.subplots(
            rows, cols, figsize=(7.0, 1.2 * rows + 0.3), squeeze=False, constrained_layout=True
        )
        for k, outcome in enumerate(first.outcomes):
            ax = axes[k // cols, k % cols]
            for name, arm in runs.items():
                att = np.stack([r.attainment[:, k] for r in arm])
                m, lo, hi = bands(att)
                months = np.arange(att.shape[1])
                style = "--" if name == comparison.baseline else "-"
                (line,) = ax.plot(months, m, style, lw=1.4, label=name.replace("_", " "))
                ax.fill_between(months, lo, hi, color=line.get_color(), alpha=0.25, lw=0)
            ax.axhline(1.0, color="grey", lw=0.6)
            ax.set_title(outcome.replace("_", " "), fontsize=9)
            ax.set_xlabel("month")
            if k % cols == 0:
                ax.set_ylabel("attainment")
            ax.grid(alpha=0.2)
        for k in range(n, rows * cols):
            axes[k // cols, k % cols].axis("off")
        handles, labels = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 6))
        svg = _svg(fig)
        plt.close(fig)
    return svg


def money_words(k: float, signed: bool = False) -> str:
    """An amount in £k as a reader says it: £850k, £12.3m, £1.20bn."""
    sign = ("+" if k > 0 else "−" if k < 0 else "") if signed else ("−" if k < 0 else "")
    a = abs(float(k))
    if a >= 1e6:
        return f"{sign}£{a / 1e6:.2f}bn"
    if a >= 1e3:
        return f"{sign}£{a / 1e3:.3g}m" if a < 1e5 else f"{sign}£{a / 1e3:,.0f}m"
    return f"{sign}£{a:.3g}k"


_ASIDE = re.compile(r"\s*\([^()]*(?:assumption|default|name|¶|§|\[\[|\d{3} )[^()]*\)")


def _lever_words(description: str, value: Any) -> str:
    """One setting in words from its field's description: asides (assumptions, defaults,
    citations) and explanations after a colon or semicolon are cut; a money description
    (``£k/month of X``) puts its unit on the value; a share between 0 and 1 reads as a
    percentage."""
    text = _ASIDE.sub("", description).strip()
    text = re.split(r"[:;]\s", text, maxsplit=1)[0].strip().rstrip(".")
    money = re.match(r"£k(/month)?\s+(?:of\s+)?(.*)", text)
    if isinstance(value, bool):
        shown = "yes" if value else "no"
    elif isinstance(value, list):
        shown = ", ".join(str(v).replace("_", " ") for v in value) or "none"
    elif isinstance(value, str):
        shown = value.replace("_", " ") or "none"
    elif money:
        text = money.group(2) or "cost"
        shown = money_words(value) + (" a month" if money.group(1) else "")
    elif text.startswith("share") and isinstance(value, float) and 0 <= value <= 1:
        shown = f"{sig(value * 100)}%"
    else:
        shown = f"{value:,}" if isinstance(value, int) else sig(value)
    return f"{text}: {shown}"


def describe_intervention(iv: Any) -> str:
    """What an intervention sets, in words: its registered name, then each setting as its
    field's description and value (fields left at an empty default such as month 0 or none are
    left out). One general rule for every registered intervention (field descriptions are in
    the intervention's class)."""
    fields = type(iv).model_fields
    parts = []
    data = iv.to_dict()
    head = iv.name.replace("_", " ")
    if isinstance(data.get("outcome"), str):  # the shared outcome field: "on rough sleeping"
        head += f" on {data.pop('outcome').replace('_', ' ')}"
    for key, value in data.items():
        if key == "type" or key not in fields:
            continue
        default = fields[key].default
        if not default and value == default and default is not None:
            continue  # month 0, no extra cost...: nothing set
        parts.append(_lever_words(fields[key].description or key.replace("_", " "), value))
    return head + (": " + "; ".join(parts) if parts else "")


def _levers(scenario: Any) -> str:
    """Each intervention with its settings in words."""
    if not scenario.interventions:
        return "no intervention"
    items = []
    for iv in scenario.interventions:
        head, _, rest = describe_intervention(iv).partition(": ")
        items.append(f"<b>{html.escape(head)}</b> ({html.escape(rest)})")
    return "; ".join(items)


FAR_FROM_TARGET = 0.5
"""Attainment below which a package that does better than the baseline is flagged as still far
from its target: less than halfway from the starting need to the target (a reading aid, not a
model parameter)."""

RELATIONSHIPS = ("mean_trust", "tie_density")
"""The relationships the README promises, at the horizon (``RunResult`` system series)."""


def _interval(d: np.ndarray, ensemble: bool) -> tuple[float, float, float]:
    """Mean and interval of paired differences, as the comparison's table has them: over an
    ensemble the central 95% range of the pairs, else the t interval of the mean."""
    from jusim.analysis.stats import mean_ci, spread

    return spread(d) if ensemble else mean_ci(d)


def bottom_line(comparison: Any) -> pd.DataFrame:
    """The brief's bottom line, one row per (scenario, measure), paired run by run against the
    baseline at the horizon (month ``horizon``):

    - ``fewer`` (one row per outcome): cases of need fewer than under the baseline (baseline
      need minus the scenario's), with ``verdict`` and the attainment difference (``diff``,
      ``diff_low``, ``diff_high``) of the comparison's table;
    - ``spend``: spending on all outcomes over the whole run, minus the baseline's (£k);
    - ``mean_trust``, ``tie_density``: trust between partners and cross-agency staff ties per
      member of staff, minus the baseline's.

    ``value``/``low``/``high``: the mean and the interval of the paired differences (over an
    ensemble their central 95% range over draws x seeds, else the t interval of the mean, the
    same as the table's); ``level`` and ``base_level``: the scenario's and the baseline's mean.
    """
    ens = getattr(comparison, "ensemble", None) is not None
    base = comparison.baseline
    runs = comparison.runs
    table = comparison.table.set_index(["scenario", "outcome"])
    low_col, high_col = INTERVALS[ens]["diff"]

    def series(name: str, arm: str, f) -> np.ndarray:
        return np.array([f(r.series[name]) for r in runs[arm]], dtype=float)

    rows = []
    for arm in runs:
        if arm == base:
            continue
        for k, outcome in enumerate(runs[arm][0].outcomes):
            a = series("need", arm, lambda x, k=k: x[-1, k])
            b = series("need", base, lambda x, k=k: x[-1, k])
            t = table.loc[(arm, outcome)]
            rows.append(
                dict(
                    scenario=arm,
                    measure="fewer",
                    outcome=outcome,
                    **dict(zip(("value", "low", "high"), _interval(b - a, ens), strict=True)),
                    level=float(a.mean()),
                    base_level=float(b.mean()),
                    attainment=float(t["mean"]),
                    diff=float(t["diff"]),
                    diff_low=float(t[low_col]),
                    diff_high=float(t[high_col]),
                    verdict=verdict(t["diff"], t[low_col], t[high_col]),
                )
            )
        measures = [("spend", lambda x: x.sum())] + [(m, lambda x: x[-1]) for m in RELATIONSHIPS]
        for name, f in measures:
            a, b = series(name, arm, f), series(name, base, f)
            rows.append(
                dict(
                    scenario=arm,
                    measure=name,
                    outcome="",
                    **dict(zip(("value", "low", "high"), _interval(a - b, ens), strict=True)),
                    level=float(a.mean()),
                    base_level=float(b.mean()),
                )
            )
    return pd.DataFrame(rows)


def _cases(x: float) -> str:
    return f"{abs(x):,.0f}" if abs(x) >= 10 else f"{abs(x):.2g}"


def _range(low: float, high: float, fmt) -> str:
    return f"<span class=ci>[{fmt(low)} to {fmt(high)}]</span>"


def _signed_cases(x: float) -> str:
    return ("−" if x < 0 else "") + _cases(x)


def bottom_line_html(line: pd.DataFrame, horizon: int) -> str:
    """Plain words per package: what it does to each outcome by the horizon (cases of need, with
    the verdict on attainment), what it spends in total, trust and ties; warnings where a better
    package is still far from its target."""
    esc = html.escape
    items, warnings = [], []
    for arm, sub in line.groupby("scenario", sort=False):
        name = arm.replace("_", " ")
        said, quiet = [], []
        for r in sub[sub.measure == "fewer"].itertuples():
            what = r.outcome.replace("_", " ")
            if r.verdict == "negligible":
                quiet.append(what)
                continue
            more = "fewer" if r.value >= 0 else "more"
            said.append(
                f"<b>{_cases(r.value)} {more}</b> cases of {esc(what)} "
                f"{_range(r.low, r.high, _signed_cases)} "
                f"(<i>{esc(r.verdict)}</i>, attainment {num(r.attainment)} vs "
                f"{num(r.attainment - r.diff)})"
            )
            if r.verdict.startswith("better") and r.attainment < FAR_FROM_TARGET:
                warnings.append(
                    f"<span class=warn>⚠&nbsp;{esc(r.verdict)} on {esc(what)}, but attainment "
                    f"{num(r.attainment)} is still far from the target (1) at month {horizon}"
                    "</span>"
                )
        if quiet:
            said.append(f"no change worth counting on {esc(', '.join(quiet))}")
        m = sub.set_index("measure")
        spend = m.loc["spend"]
        money = (
            f"spends <b>{money_words(spend.value, signed=True)}</b> in total "
            f"{_range(spend.low, spend.high, lambda x: money_words(x, signed=True))}"
        )
        rel = "; ".join(
            f"{label} {num(m.loc[k].level)} vs {num(m.loc[k].base_level)} "
            f"{_range(m.loc[k].low, m.loc[k].high, lambda x: num(x, signed=True))}"
            for k, label in (("mean_trust", "trust"), ("tie_density", "ties per member of staff"))
        )
        items.append(
            f"<li><b>{esc(name)}</b>: {'; '.join(said)}; {money}. "
            f"<span class=lev>Relationships: {rel}.</span> {'. '.join(warnings)}</li>"
        )
        warnings = []
    return f"<ul class=bl>{''.join(items)}</ul>"


def _ci(value: Any, lo: Any, hi: Any, digits: int = 2, signed: bool = False) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    v, ci = Est(value, lo, hi, digits, signed).texts()
    return v if ci is None else f"{v} <span class=ci>{ci}</span>"


def _verdict(r: Any, ensemble: bool = False) -> str:
    """The verdict words of ``jusim.tables.verdict`` (one rule for the brief and the tables),
    on the difference's interval (over an ensemble: the 95% range of the paired differences)."""
    if r.diff is None:
        return ""
    low, high = (r.low, r.high) if ensemble else (r.diff_ci_low, r.diff_ci_high)
    return verdict(r.diff, low, high)


# interval columns of a comparison row: t intervals of the mean, or 95% ranges over an ensemble
INTERVALS = {
    False: {
        "mean": ("ci_low", "ci_high"),
        "diff": ("diff_ci_low", "diff_ci_high"),
        "cost": ("cost_ci_low", "cost_ci_high"),
        "cost_diff": ("cost_diff_ci_low", "cost_diff_ci_high"),
    },
    True: {
        "mean": ("range_low", "range_high"),
        "diff": ("low", "high"),
        "cost": ("cost_range_low", "cost_range_high"),
        "cost_diff": ("cost_low", "cost_high"),
    },
}


def _get(r: Any, names: tuple[str, str]) -> tuple[Any, Any]:
    return getattr(r, names[0]), getattr(r, names[1])


def _seed(r: Any, ensemble: Any) -> str:
    """The chance-only half-width of a difference, shown over an ensemble."""
    if ensemble is None or r.seed_low is None or np.isnan(r.seed_low):
        return ""
    return f" <span class=ci>seed ±{num((r.seed_high - r.seed_low) / 2)}</span>"


def _runs_line(comparison: Any, n: int) -> str:
    if getattr(comparison, "ensemble", None) is None:
        return f"{n} paired replications per scenario"
    return (
        f"{comparison.draws} parameter draws × {comparison.seeds} paired seeds per scenario "
        f"({html.escape(comparison.ensemble.source)})"
    )


def _intervals_text(comparison: Any, n: int) -> str:
    """What the brackets mean: with or without a parameter ensemble."""
    rest = (
        "in the model's structure (whether these mechanisms are the right ones), or in the evidence "
        "itself. Model attainment is a comparison between scenarios, not a forecast."
    )
    ens = getattr(comparison, "ensemble", None)
    if ens is None:
        return (
            f"<p>The bracketed ranges are 95% confidence intervals over the {n} paired "
            "replications. They include the model's own chance variation (who leaves, which ties "
            "form, trust shocks) under these settings. They do <b>not</b> include uncertainty in "
            "the model's parameters (see <i>jusim sensitivity</i>), " + rest + " A narrow "
            "interval means the simulation is settled, not the world.</p>"
        )
    paths = ", ".join(p.split(".", 1)[1] for p in ens.paths)
    return (
        f"<p>The bracketed ranges are where 95% of single runs fall over {comparison.draws} "
        f"draws of the uncertain parameters ({html.escape(paths)}, from "
        f"{html.escape(ens.source)}) × {comparison.seeds} seeds each; a difference is "
        "paired (each run against the baseline's run on the same draw and seed). They include "
        "what the calibration leaves unknown about those parameters and the model's own chance "
        "variation (who leaves, which ties form, trust shocks); more runs make them no "
        "narrower. <i>seed ±</i> is the part from chance alone: the range a difference would "
        "have if the parameters were known. They do <b>not</b> include uncertainty in "
        "parameters outside the ensemble (they stay at their defaults), " + rest + "</p>"
    )


def _results_table(comparison: Any, outcomes: list[str]) -> str:
    """One row per scenario, one column per outcome: the attainment at the horizon or its
    difference from the baseline (interval, verdict, chance-only part over an ensemble), and the
    cost per case resolved (interval, difference)."""
    esc = html.escape
    base = comparison.baseline
    ens = getattr(comparison, "ensemble", None)
    c = INTERVALS[ens is not None]
    t = comparison.table.set_index(["scenario", "outcome"])
    head = "".join(f"<th>{esc(o.replace('_', ' '))}</th>" for o in outcomes)
    rows = []
    for arm in comparison.runs:
        cells = []
        for o in outcomes:
            r = SimpleNamespace(**t.loc[(arm, o)].to_dict())  # attributes, as a table row
            if arm == base:
                first = _ci(r.mean, *_get(r, c["mean"]))
                cost = (
                    f"<i>baseline</i> · £k/case {_ci(r.cost_per_outcome, *_get(r, c['cost']), 0)}"
                )
            else:
                word = _verdict(r, ens is not None)
                first = (
                    # within the smallest effect counted: the word says it (numbers in the CSV)
                    f"<span class=ci>within ±{SMALLEST_EFFECT:g}</span>"
                    if word == "negligible"
                    else f"{_ci(r.diff, *_get(r, c['diff']), signed=True)}{_seed(r, ens)}"
                )
                cost = (
                    f"<i>{word}</i> · £k/case {_ci(r.cost_per_outcome, *_get(r, c['cost']), 0)} "
                    f"({_ci(r.cost_diff, None, None, 0, True)})"
                )
            cells.append(f"<td>{first}<br><span class=cost>{cost}</span></td>")
        rows.append(f"<tr><th>{esc(arm.replace('_', ' '))}</th>{''.join(cells)}</tr>")
    return f"<table class=res><tr><th>scenario</th>{head}</tr>{''.join(rows)}</table>"


def why_html(explanations: Sequence[Any]) -> str:
    """The "why" charts of ``jusim explain`` results (one per explanation, first outcome), with
    what they cost; empty without any."""
    if not explanations:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from jusim.analysis.explain_view import explain_figure

    figs = []
    for ex in explanations:
        with plt.rc_context({"font.size": 7, "svg.fonttype": "none", "font.family": "sans-serif"}):
            fig = explain_figure(ex)
            fig.set_size_inches(4.6, 0.3 * (len(ex.groups) + 2) + 0.9)
            name = html.escape(ex.scenario.replace("_", " "))
            figs.append(f"<div><b>{name}</b>{_svg(fig)}</div>")
            plt.close(fig)
    costs = "; ".join(
        f"{html.escape(ex.scenario)}: {html.escape(ex.cost_note())}" for ex in explanations
    )
    return (
        "<h2>Why it works: shares of the difference by mechanism group</h2>"
        f"<div class=why>{''.join(figs)}</div>"
        "<p class=small>Shapley contributions (95% intervals over the paired replications, on "
        "the model's default parameters, not the ensemble): each "
        "group's average effect over every order of switching the groups on; with what is left "
        f"when every group is off they add up to the total. {costs}.</p>"
    )


def read_packages(folder: str | Path) -> list[dict[str, Any]]:
    """The Pareto set a ``jusim search`` wrote in ``folder`` (``pareto.csv`` and
    ``packages/ID.toml``): per package its objectives and its interventions in words. Raises
    ``ValueError`` naming the folder and what it lacks."""
    import jusim

    folder = Path(folder)
    table = folder / "pareto.csv"
    if not table.is_file():
        raise ValueError(
            f"--brief-packages {folder}: no pareto.csv there (give the --out folder of a "
            "finished `jusim search`)"
        )
    rows = pd.read_csv(table)
    wanted = {"id", "package", "p10_attainment", "cost_per_case", "extra_spend"}
    if not wanted <= set(rows.columns):
        raise ValueError(
            f"--brief-packages {folder}: pareto.csv lacks {', '.join(sorted(wanted - set(rows)))}"
        )
    out = []
    for row in rows.itertuples():
        file = folder / "packages" / f"{row.id}.toml"
        kinds = [part.split(" (")[0] for part in str(row.package).split(" + ")]
        words = str(row.package)
        if file.is_file():
            chosen = [iv for iv in jusim.load_scenario(file).interventions if iv.name in kinds]
            words = "; ".join(describe_intervention(iv) for iv in chosen) or words
        out.append({**row._asdict(), "words": words})
    return out


def packages_html(folder: str | Path | None) -> str:
    """The robust packages section: the Pareto set of a ``jusim search`` (empty without one)."""
    if folder is None:
        return ""
    esc = html.escape
    rows = "".join(
        f"<tr><td>{esc(p['words'])}</td><td>{p['p10_attainment']:.2f}</td>"
        f"<td>{p['cost_per_case']:.0f}</td><td>{money_words(p['extra_spend'] * 1000)}</td></tr>"
        for p in read_packages(folder)
    )
    return (
        "<h2>Robust packages found by a search</h2>"
        "<table class=pk><tr><th>package</th><th>attainment, worst 10% of runs</th>"
        f"<th>£k/case</th><th>extra spending</th></tr>{rows}</table>"
        f"<p class=small>The Pareto set of <code>jusim search</code> in {esc(str(folder))}: no "
        "other package evaluated beats one of these on every objective (attainment in the worst "
        "tenth of runs, cost per case, regret) within the search's cost limit; spending against "
        "its baseline over its horizon.</p>"
    )


def write_brief(
    comparison: Any,
    scenarios: Sequence[Any],
    path: str | Path,
    question: str | None = None,
    explanations: Sequence[Any] = (),
    packages: str | Path | None = None,
) -> Path:
    """Write the brief for ``comparison`` (of ``scenarios``, the baseline among them);
    ``explanations``: ``jusim explain`` results whose charts the brief shows; ``packages``: the
    ``--out`` folder of a ``jusim search`` whose robust packages the brief lists."""
    import jusim

    base = comparison.baseline
    others = [s for s in scenarios if s.name != base]
    n = int(comparison.table["n"].max())
    outcomes = list(dict.fromkeys(comparison.table["outcome"]))
    if question is None:
        names = ", ".join(s.name.replace("_", " ") for s in others) or base
        question = (
            f"Would {names} do better than {base.replace('_', ' ')} on "
            f"{', '.join(o.replace('_', ' ') for o in outcomes)}, and at what cost per case?"
        )
    esc = html.escape
    robust = packages_html(packages)  # first: a bad folder fails before anything is written
    horizon = len(next(iter(comparison.runs.values()))[0].months) - 1
    line = bottom_line(comparison)
    levers = "".join(
        f"<li><b>{esc(s.name.replace('_', ' '))}</b>{' (baseline)' if s.name == base else ''}: "
        f"{esc(s.description)} <span class=lev>Levers: {_levers(s)}.</span></li>"
        for s in scenarios
    )
    from jusim.interventions import REGISTRY

    used = sorted({iv.name for s in scenarios for iv in s.interventions})
    evidence = [
        (k.replace("_", " "), REGISTRY[k].summary, cited_reports(REGISTRY[k].evidence))
        for k in used
    ]
    ev_items = "".join(
        f"<li><b>{esc(name)}</b>: "
        f"{'; '.join(esc(t) for t in titles) or 'assumption (no source cited)'}</li>"
        for name, _, titles in evidence
    )
    # the mechanisms, one line per report (however many mechanisms there are)
    by_report: dict[str, list[str]] = {}
    for name, _, titles in mechanism_evidence():
        reports = {t[: t.index(")") + 1] if ")" in t else t for t in titles}  # no paragraphs
        for report in sorted(reports) or ["no source cited (stated assumptions)"]:
            by_report.setdefault(report, []).append(name.replace("_", " "))
    ev_items += "".join(
        f"<li><b>Mechanisms resting on {esc(title)}</b>: {esc(', '.join(names))}</li>"
        for title, names in by_report.items()
    )
    sources = "; ".join(esc(full) for _, full in REPORTS.values())
    rng = (
        "95% range over parameter draws × seeds"
        if getattr(comparison, "ensemble", None) is not None
        else "95% confidence interval"
    )
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Brief: {esc(question)}</title>
<style>
@page {{ size: A4; margin: 8mm 10mm; }}
body {{ font: 8pt/1.22 "DejaVu Sans", Arial, sans-serif; color: #111; max-width: 188mm;
       margin: 0 auto; }}
h1 {{ font-size: 12pt; margin: 0 0 1mm; }}
h2 {{ font-size: 9.5pt; margin: 2mm 0 0.8mm; border-bottom: 1px solid #999; }}
p, ul {{ margin: 0.8mm 0; }}
ul {{ padding-left: 4.5mm; }}
.lev, .cost {{ color: #333; }}
.bl {{ background: #f3f6fa; padding: 1mm 2mm 1mm 6mm; border-left: 2px solid #2b6ca3; }}
.bl li {{ margin: 0.4mm 0; }}
.warn {{ color: #8a3b00; font-weight: bold; }}
table {{ border-collapse: collapse; width: 100%; font-size: 7.5pt; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.3mm 1.2mm; text-align: left;
          vertical-align: top; }}
.res td {{ white-space: nowrap; }}
.ci {{ color: #555; font-size: 7.5pt; }}
.fig svg {{ width: 100%; height: auto; }}
.why {{ display: flex; flex-wrap: wrap; gap: 2mm; }}
.why div {{ flex: 0 1 32%; font-size: 7.5pt; }} .why svg {{ width: 100%; height: auto; }}
.small {{ font-size: 6.8pt; color: #333; }}
.pk {{ font-size: 6.8pt; line-height: 1.1; }} .pk td {{ padding: 0.1mm 1.2mm; }}
.levers {{ font-size: 7pt; columns: 2; column-gap: 5mm; }}
.levers li {{ break-inside: avoid; }}
@media print {{ body {{ zoom: 0.82; max-width: none; }} }}
.ev {{ font-size: 6.5pt; line-height: 1.15; columns: 3; column-gap: 4mm; padding-left: 3mm; }}
.ev li, tr {{ break-inside: avoid; }}
</style></head><body>
<h1>{esc(question)}</h1>
<p class=small>jusim {esc(jusim.__version__)} · {_runs_line(comparison, n)} (seed
{comparison.seed}) · horizon {horizon} months · {date.today().isoformat()}</p>
<h2>Bottom line at month {horizon}, against {esc(base.replace("_", " "))}</h2>
{bottom_line_html(line, horizon)}
<p class=small>Cases: need left at month {horizon} (people or cases not yet resolved),
baseline minus package. Spending: on all outcomes over {horizon} months, package minus baseline.
Trust (0–1) between agencies sharing an outcome; cross-agency staff ties per member of staff.
Brackets: the {rng}; the verdict is on attainment (below).</p>
<h2>Scenarios and their levers</h2>
<ul class=levers>{levers}</ul>
<h2>Outcomes over time: attainment (1 = target met), mean and 95% band</h2>
<div class=fig>{trajectories_svg(comparison)}</div>
<h2>At the horizon: attainment, difference from {esc(base.replace("_", " "))}, cost per case</h2>
{_results_table(comparison, outcomes)}
<p class=small>Attainment: progress against the outcome's target (1 = target met, 0 = no
progress); a difference is paired (each run against the baseline's run on the same random
numbers). £k/case: cumulative spending on the outcome over cumulative cases resolved, with its
difference from the baseline in brackets. The verdict follows the difference's interval:
{esc(VERDICT_NOTE.removeprefix("verdict: "))}</p>
{why_html(explanations)}
{robust}
<h2>What the intervals do and do not include</h2>
<div class=small>{_intervals_text(comparison, n)}</div>
<h2>The evidence the interventions and mechanisms rest on</h2>
<ul class=ev>{ev_items}</ul>
<p class=small>Sources: {sources}. Mechanisms without a cited source are stated
assumptions (see the model's ODD+D description).</p>
</body></html>
"""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
