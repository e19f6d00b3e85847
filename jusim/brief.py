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
from typing import Any

import numpy as np

from jusim.tables import VERDICT_NOTE, Est, num, verdict

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
            rows, cols, figsize=(7.0, 1.8 * rows), squeeze=False, constrained_layout=True
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
                ax.set_ylabel("attainment (1 = target met)")
            ax.grid(alpha=0.2)
        for k in range(n, rows * cols):
            axes[k // cols, k % cols].axis("off")
        handles, labels = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 4))
        svg = _svg(fig)
        plt.close(fig)
    return svg


def _levers(scenario: Any) -> str:
    """Each intervention with its settings (what it does is in the evidence list below)."""
    if not scenario.interventions:
        return "no intervention"
    items = []
    for iv in scenario.interventions:
        d = iv.to_dict()
        kind = d.pop("type")
        settings = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in d.items())
        items.append(f"<b>{html.escape(kind.replace('_', ' '))}</b> ({html.escape(settings)})")
    return "; ".join(items)


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


def write_brief(
    comparison: Any,
    scenarios: Sequence[Any],
    path: str | Path,
    question: str | None = None,
) -> Path:
    """Write the brief for ``comparison`` (of ``scenarios``, the baseline among them)."""
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
    ens = getattr(comparison, "ensemble", None)
    c = INTERVALS[ens is not None]
    rows = []
    for outcome in outcomes:
        sub = comparison.table[comparison.table["outcome"] == outcome]
        first = True
        for r in sub.itertuples():
            is_base = r.scenario == base
            rows.append(
                "<tr>"
                + (f"<th rowspan={len(sub)}>{esc(outcome.replace('_', ' '))}</th>" if first else "")
                + f"<td>{esc(r.scenario.replace('_', ' '))}</td>"
                + f"<td>{_ci(r.mean, *_get(r, c['mean']))}</td>"
                + (
                    "<td>baseline</td><td></td>"
                    if is_base
                    else f"<td>{_ci(r.diff, *_get(r, c['diff']), signed=True)}{_seed(r, ens)}"
                    f"</td><td>{_verdict(r, ens is not None)}</td>"
                )
                + f"<td>{_ci(r.cost_per_outcome, *_get(r, c['cost']), 0)}</td>"
                + (
                    "<td></td>"
                    if is_base
                    else f"<td>{_ci(r.cost_diff, *_get(r, c['cost_diff']), 0, True)}</td>"
                )
                + "</tr>"
            )
            first = False
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
        f"<li><b>{esc(name)}</b>{f' ({esc(summary.rstrip(chr(46)))})' if summary else ''}: "
        f"{'; '.join(esc(t) for t in titles) or 'assumption (no source cited)'}</li>"
        for name, summary, titles in evidence
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
    horizon = len(next(iter(comparison.runs.values()))[0].months) - 1
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Brief: {esc(question)}</title>
<style>
@page {{ size: A4; margin: 11mm 12mm; }}
body {{ font: 9pt/1.3 "DejaVu Sans", Arial, sans-serif; color: #111; max-width: 186mm;
       margin: 0 auto; }}
h1 {{ font-size: 12.5pt; margin: 0 0 1mm; }}
h2 {{ font-size: 10pt; margin: 2.5mm 0 1mm; border-bottom: 1px solid #999; }}
p, ul {{ margin: 1mm 0; }}
ul {{ padding-left: 5mm; }}
.lev {{ color: #333; }}
table {{ border-collapse: collapse; width: 100%; font-size: 8pt; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.3mm 1.5mm; text-align: left;
          vertical-align: top; }}
td.num, .res td:nth-child(n+3) {{ text-align: right; white-space: nowrap; }}
.ci {{ color: #555; font-size: 8pt; }}
.fig svg {{ width: 100%; height: auto; }}
.small {{ font-size: 7.5pt; color: #333; }}
.ev {{ font-size: 7.5pt; columns: 2; column-gap: 6mm; padding-left: 4mm; }}
.ev li {{ break-inside: avoid; }}
@media print {{ body {{ zoom: 0.85; }} }}
</style></head><body>
<h1>{esc(question)}</h1>
<p class=small>jusim {esc(jusim.__version__)} · {_runs_line(comparison, n)} (seed
{comparison.seed}) · horizon {horizon} months · {date.today().isoformat()}</p>
<h2>Scenarios and their levers</h2>
<ul>{levers}</ul>
<h2>Outcomes over time (mean and 95% band)</h2>
<div class=fig>{trajectories_svg(comparison)}</div>
<h2>At the horizon: difference from {esc(base.replace("_", " "))} and cost per case</h2>
<table class=res><tr><th>outcome</th><th>scenario</th><th>attainment</th>
<th>difference</th><th>verdict</th><th>£k per case resolved</th><th>cost difference</th></tr>
{"".join(rows)}</table>
<p class=small>Attainment: progress against the outcome's target (1 = target met, 0 = no
progress). Cost per case resolved: cumulative spending on the outcome over cumulative cases
resolved (£k). Differences are paired: each replication of a scenario runs on the same random
numbers as the same replication of the baseline. The verdict follows the difference's interval:
{esc(VERDICT_NOTE.removeprefix("verdict: "))}</p>
<h2>What the intervals do and do not include</h2>
{_intervals_text(comparison, n)}
<h2>The evidence the interventions and mechanisms rest on</h2>
<ul class=ev>{ev_items}</ul>
<p class=small>Sources: {sources}. Mechanisms without a cited source are stated assumptions
(see the model's ODD+D description).</p>
</body></html>
"""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
