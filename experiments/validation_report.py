"""Regenerate docs/validation.md and its figures from a clean clone, bit for bit.

    python experiments/validation_report.py [--replications 30] [--seed 2026] [--out docs]
        [--draws 8] [--draw-replications 3] [--ensemble FILE] [--workers N]

Runs the stylized-fact experiments (jusim.analysis.validation) in their main setting and in
second settings (a half-size area, and the designs of ``facts_settings``), then every row over an
ensemble of parameter draws — a posterior given with ``--ensemble`` (a JSON list of override
dicts, or a CSV whose columns are override paths), else a prior sample of the five parameters
the docs call assumptions (``jusim.analysis.draws.prior_sample``, labelled so) — and a paired
comparison of every shipped scenario with silo. Writes the report, the figures (PNG, no
timestamps) and a manifest (jusim version, seeds, and SHA-256 of every file written).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import platform
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import jusim
from jusim.analysis import draws as draws_mod
from jusim.analysis.compare import compare
from jusim.analysis.facts_settings import NARROWED
from jusim.analysis.plots import trajectory_figure
from jusim.analysis.validation import (
    FAMILIES,
    ORIGINS,
    PATTERNS,
    SECOND_FAMILIES,
    validate,
    validate_over_draws,
)
from jusim.scenario import scenario_dir

PNG = {"Software": None}  # no version or date in the files, so re-runs are identical


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_ensemble(path: Path, n: int, seed: int) -> list[dict]:
    """Posterior draws: a JSON list of override dicts, or a CSV whose columns are override paths
    (a ``weight`` column, if any, resamples ``n`` draws with a seeded Generator)."""
    if path.suffix == ".json":
        return list(json.loads(path.read_text()))
    import pandas as pd

    table = pd.read_csv(path)
    if "weight" in table:
        rng = np.random.default_rng(np.random.SeedSequence(seed))
        p = table["weight"].to_numpy(float)
        rows = rng.choice(len(table), size=n, p=p / p.sum())
        table = table.drop(columns="weight").iloc[rows]
    return [{k: float(v) for k, v in row.items()} for _, row in table.iterrows()]


def _num(x: float) -> str:
    return f"{x:.3g}" if abs(x) >= 100 else f"{x:.3f}"


def _ci(lo: float, hi: float) -> str:
    return f"[{_num(lo)}, {_num(hi)}]"


def report_body(effects, over, label: str, args) -> list[str]:
    """The summary, the fact table, origins, SESOIs, narrowed claims and every row."""
    over_of = {}
    for i, o in enumerate(over):  # over runs FAMILIES + SECOND_FAMILIES: the first rows
        e = effects[i]
        if (o.pattern, o.control, o.setting) != (e.pattern, e.control, e.setting):
            raise RuntimeError(f"row {i} differs between the suite and its draws")
        over_of[i] = o
    n_draws = over[0].draws if over else 0

    def share(idx: list[int]) -> float | None:
        if not idx or any(i not in over_of for i in idx):
            return None
        per_draw = np.array([over_of[i].holding for i in idx]).all(axis=0)
        return float(per_draw.mean())

    def fmt_share(x: float | None) -> str:
        return "—" if x is None else f"{x:.0%}"

    headline = [i for i, e in enumerate(effects) if e.sesoi is not None and not e.control]
    facts = list(PATTERNS)
    catalogue = [k for k in facts if k.isdigit()]
    verdict, fact_share, second_ok = {}, {}, {}
    for k in facts:
        main = [i for i in headline if effects[i].pattern == k and not effects[i].setting]
        other = [i for i in headline if effects[i].pattern == k and effects[i].setting]
        verdict[k] = bool(main) and all(effects[i].holds for i in main)
        fact_share[k] = share(main)
        second_ok[k] = bool(other) and all(effects[i].holds for i in other)

    def bar(keys, both: bool) -> list[str]:
        return [
            k
            for k in keys
            if not ORIGINS[k].assumed
            and verdict[k]
            and (fact_share[k] or 0) >= 0.8
            and (second_ok[k] or not both)
        ]

    emergent = [k for k in catalogue if not ORIGINS[k].assumed]
    all_emergent = [k for k in facts if not ORIGINS[k].assumed]
    draws_text = (
        f"{n_draws} parameter draws ({label}) x {args.draw_replications} seeds"
        if over
        else "no parameter draws"
    )
    out = [
        "## Summary",
        "",
        f"- Of the 19 stylized facts of the evidence catalogue, **{len(emergent)} are emergent** "
        f"({', '.join(emergent) or 'none'}) and {len(catalogue) - len(emergent)} are *assumed*: "
        "a rule written from the same source states them, so their experiments check that the "
        "rule works, not that the model reproduces the evidence (reasons below).",
        f"- Emergent facts that hold in their main setting and in >= 80% of draws: "
        f"**{len(bar(catalogue, False))}** ({', '.join(bar(catalogue, False)) or 'none'}); "
        f"that also hold in every second setting: **{len(bar(catalogue, True))}** "
        f"({', '.join(bar(catalogue, True)) or 'none'}). The issue's bar is ten: "
        + ("met." if len(bar(catalogue, True)) >= 10 else "**not met**."),
        f"- Counting the patterns (b)-(d) (parts of catalogue facts 2, 3 and 11) and the "
        f"intervention claims too ({len(facts)} claims): {len(all_emergent)} emergent "
        f"({', '.join(all_emergent)}); holding in their main setting and in >= 80% of draws: "
        f"{len(bar(facts, False))} ({', '.join(bar(facts, False)) or 'none'}); also in every "
        f"second setting: {len(bar(facts, True))} ({', '.join(bar(facts, True)) or 'none'}).",
        f"- Facts (of 19) whose headline rows hold in the main setting: "
        f"{sum(verdict[k] for k in catalogue)}; in every second setting too: "
        f"{sum(verdict[k] and second_ok[k] for k in catalogue)}.",
        f"- Parameter uncertainty: {draws_text}. "
        + (
            "The draws are a **prior sample, not the posterior**: each of "
            + ", ".join(f"`{p}`" for p in draws_mod.PRIOR_RANGES)
            + " moved by a factor uniform on [0.5, 1.5] (issue 21's ±50%), applied to every "
            "experiment's base world (an experiment's own settings override them)."
            if label == draws_mod.PRIOR_LABEL and over
            else ""
        ),
        "- A row *holds* only if its whole 95% interval lies beyond its smallest effect of "
        "interest (SESOI) in the claimed direction; an effect that common random numbers resolve "
        "but that is smaller does not hold. A draw *holds* if its mean effect over its seeds lies "
        "beyond the SESOI. A fact holds when all its headline rows (those with a SESOI) hold.",
        "",
        "## Facts",
        "",
        "Headline rows of every fact, in each setting. *Share of draws* is the share of "
        "parameter draws in which the row holds (— where no draws were run in that setting); "
        "*over draws x seeds* is the 2.5-97.5 percentile range of the per-replication effect over "
        "all draws and seeds: the effect's spread once parameters are uncertain.",
        "",
        "| fact | assumed/emergent | setting | measure | effect [95% interval] | SESOI (claim) | "
        "verdict | share of draws holding | over draws x seeds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for k in facts:
        for i in (i for i in headline if effects[i].pattern == k):
            e = effects[i]
            o = over_of.get(i)
            out.append(
                f"| ({k}) | {ORIGINS[k].kind} | {e.setting or 'main'} | {e.measure} | "
                f"{_num(e.mean)} {_ci(e.ci_low, e.ci_high)} | {e.claim} | "
                f"{'holds' if e.holds else '**does not hold**'} | "
                f"{fmt_share(o.share if o else None)} | "
                f"{_ci(o.low, o.high) if o else '—'} |"
            )
    out += [
        "",
        "Per fact, main setting: share of draws in which all its headline rows hold — "
        + "; ".join(f"({k}) {fmt_share(fact_share[k])}" for k in facts)
        + ".",
        "",
        "## Assumed or emergent",
        "",
        "| fact | origin | the rule that states it, or the chain it emerges from |",
        "|---|---|---|",
        *[f"| ({k}) | {ORIGINS[k].kind} | {ORIGINS[k].reason} |" for k in facts],
        "",
        "## Smallest effects of interest",
        "",
        "| fact | measure | claim | why this size |",
        "|---|---|---|---|",
    ]
    seen = set()
    for i in headline:
        e = effects[i]
        if e.setting or (e.pattern, e.measure) in seen:
            continue
        seen.add((e.pattern, e.measure))
        out.append(f"| ({e.pattern}) | {e.measure} | {e.claim} | {e.sesoi_reason} |")
    out += [
        "",
        "## Second settings that fail, and what the claim is narrowed to",
        "",
        *[f"- ({k}) {text}" for k, text in NARROWED.items()],
    ]
    failing = [
        f"({effects[i].pattern}) {effects[i].measure}"
        for i in headline
        if effects[i].setting.startswith(draws_mod.SETTINGS["half_size"].label)
        and not effects[i].holds
    ]
    out += [
        f"- In the {draws_mod.SETTINGS['half_size'].label}: "
        + (
            f"{len(failing)} headline rows do not hold: " + "; ".join(failing) + ". These are "
            "reported, not yet explained or narrowed one by one (several lie within their SESOI's "
            "margin at the setting's fewer replications); until they are, those claims stand "
            "only for an area of the default world's size."
            if failing
            else "every headline row holds."
        ),
        "",
        "## Every row",
        "",
        "A *control* row measures the same effect with the fact's mechanism switched off; "
        "there, *holds* means the fact goes away. For an assumed fact the control switches off "
        "the rule that states it, so it **checks the rule works** and is not validation.",
        "",
        "| fact | setting | measure | mean [95% CI] | claim | holds | share of draws | "
        "over draws x seeds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for i, e in enumerate(effects):
        o = over_of.get(i)
        kind = ""
        if e.control:
            kind = " control" + (" (checks the rule works)" if ORIGINS[e.pattern].assumed else "")
        out.append(
            f"| ({e.pattern}){kind} | {e.setting or 'main'} | {e.measure} | "
            f"{_num(e.mean)} {_ci(e.ci_low, e.ci_high)} | {e.claim or 'direction'} | "
            f"{'yes' if e.holds else '**no**'} | {fmt_share(o.share if o else None)} | "
            f"{_ci(o.low, o.high) if o else '—'} |"
        )
    out += [
        "",
        "Facts: " + "; ".join(f"({k}) {text}" for k, text in PATTERNS.items()) + ".",
    ]
    return out


def run_suite(args):
    """The suite in its main setting and second settings, then over the parameter draws."""
    w = args.workers
    effects = validate(args.replications, args.seed, w)
    for e in effects:  # progress: the main setting is what tests/test_validation*.py check
        print(
            f"({e.pattern}){' control' if e.control else ''} {e.measure}: {e.mean:.4g} "
            f"[{e.ci_low:.4g}, {e.ci_high:.4g}] {e.claim} {'holds' if e.holds else 'NO'}",
            flush=True,
        )
    effects += validate(args.replications, args.seed, w, families=SECOND_FAMILIES)
    n_half = args.setting_replications or args.replications
    effects += validate(n_half, args.seed, w, setting="half_size")
    if args.ensemble:
        ensemble, label = read_ensemble(args.ensemble, args.draws, args.seed), "posterior"
    else:
        ensemble = draws_mod.prior_sample(args.draws, args.seed) if args.draws else []
        label = draws_mod.PRIOR_LABEL
    over = []
    if ensemble:
        both = FAMILIES + SECOND_FAMILIES
        over = validate_over_draws(ensemble, args.draw_replications, args.seed, w, families=both)
    return effects, over, ensemble, label


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=30)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", type=Path, default=Path("docs"))
    ap.add_argument(
        "--setting-replications",
        type=int,
        default=None,
        help="in the half-size area (default: as main)",
    )
    ap.add_argument("--draws", type=int, default=8, help="parameter draws (0: none)")
    ap.add_argument("--draw-replications", type=int, default=3, help="seeds per draw")
    ap.add_argument("--ensemble", type=Path, help="posterior draws: JSON list or CSV of paths")
    ap.add_argument("--workers", type=int, default=None, help="processes (default: one per core)")
    ap.add_argument(
        "--results",
        type=Path,
        help="pickle of the suite's results: written after a run, read instead of running if it "
        "exists (re-render the report without re-running; delete it after a code change)",
    )
    args = ap.parse_args()
    img = args.out / "img"
    img.mkdir(parents=True, exist_ok=True)

    if args.results and args.results.exists():  # re-render a finished run of this script
        with args.results.open("rb") as f:
            effects, over, ensemble, label, cmp = pickle.load(f)
    else:
        effects, over, ensemble, label = run_suite(args)
        names = [p.stem for p in sorted(scenario_dir().glob("*.toml")) if p.stem != "default_world"]
        # seed-only, as the report was generated (the facts carry the parameter draws above);
        # the shipped ensemble is what `jusim compare` uses by default
        cmp = compare(
            names, baseline="silo", replications=args.replications, seed=args.seed, ensemble="none"
        )
        if args.results:
            with args.results.open("wb") as f:
                pickle.dump((effects, over, ensemble, label, cmp), f)

    fig = trajectory_figure(cmp.runs, baseline="silo")
    fig.savefig(img / "validation-trajectories.png", dpi=110, metadata=PNG)
    plt.close(fig)

    # J-curve: monthly extra cases and extra spend of the unit over silo (paired means)
    k = cmp.runs["silo"][0].outcomes.index("rough_sleeping")
    d_res = np.mean(
        [
            u["resolved"][:, k] - b["resolved"][:, k]
            for u, b in zip(cmp.runs["rough_sleepers_unit"], cmp.runs["silo"], strict=True)
        ],
        0,
    )
    d_sp = np.mean(
        [
            u["spend"][:, k] - b["spend"][:, k]
            for u, b in zip(cmp.runs["rough_sleepers_unit"], cmp.runs["silo"], strict=True)
        ],
        0,
    )
    price = np.mean([b.cost_per_outcome()[-1, k] for b in cmp.runs["silo"]])
    fig, ax = plt.subplots(figsize=(6, 3.5))
    months = np.arange(d_res.size)
    ax.plot(months, np.cumsum(d_res * price - d_sp) / 1000, color="C0")
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xlabel("month")
    ax.set_ylabel("cumulative net return, £m")
    ax.set_title(
        "Rough Sleepers Unit vs silo: extra cases valued at silo's cost per case, less extra spend",
        fontsize=8,
    )
    fig.tight_layout()
    fig.savefig(img / "validation-jcurve.png", dpi=110, metadata=PNG)
    plt.close(fig)

    command = (
        f"python experiments/validation_report.py --replications {args.replications} "
        f"--seed {args.seed} --draws {args.draws} --draw-replications {args.draw_replications}"
        + (
            f" --setting-replications {args.setting_replications}"
            if args.setting_replications
            else ""
        )
        + (f" --ensemble {args.ensemble}" if args.ensemble else "")
    )
    lines = [
        "# Validation: stylized facts from the evidence",
        "",
        f"Generated by `{command}` (do not edit by hand). Every arm runs on the same replication "
        "seeds (common random numbers); intervals are two-sided 95% t intervals over "
        f"{args.replications} paired replications ({args.setting_replications or args.replications}"
        " in the half-size area). The same experiments run as `tests/test_validation*.py` and "
        "`jusim validate` (main setting).",
        "",
        *report_body(effects, over, label, args),
        "",
        "## Scenario comparison",
        "",
        f"Attainment at month 60 (1 = target met), {args.replications} paired replications, "
        "difference from silo, and cost per case resolved (£k).",
        "",
        "| scenario | outcome | mean [95% CI] | vs silo [95% CI] | cost per case £k [95% CI] |",
        "|---|---|---|---|---|",
    ]
    for r in cmp.table.itertuples():
        diff = (
            "baseline"
            if r.scenario == "silo"
            else (f"{r.diff:+.3f} [{r.diff_ci_low:+.3f}, {r.diff_ci_high:+.3f}]")
        )
        lines.append(
            f"| {r.scenario} | {r.outcome} | {r.mean:.3f} [{r.ci_low:.3f}, "
            f"{r.ci_high:.3f}] | {diff} | {r.cost_per_outcome:.0f} "
            f"[{r.cost_ci_low:.0f}, {r.cost_ci_high:.0f}] |"
        )
    lines += [
        "",
        "![trajectories](img/validation-trajectories.png)",
        "",
        "![J-curve](img/validation-jcurve.png)",
        "",
        "## Reading these results",
        "",
        "- The interventions in the shipped scenarios target rough sleeping only, so youth offending "
        "and early years move little; their small differences come from agencies shifting effort "
        "between outcomes.",
        "- Shared targets alone raise joint *spending* far more than outcomes: departments put "
        "money in, but the small voluntary partner that does the outreach cannot match it, and with "
        "complementary roles the extra money is largely wasted (cost per case rises). This echoes "
        "the evidence that PSAs worked only with jointly designed delivery (002 ¶25(3)) and "
        "James & Nakamura's finding that shared targets changed discussion more than delivery. A "
        "pooled pot, which funds every role in balance, does not have this problem.",
        "- Run-to-run variation is small, so intervals are narrow: most randomness (churn, tie "
        "formation, noisy observation of partners, leaks) averages out over 1,000 staff and 60 "
        "months. Parameter uncertainty is much larger than seed noise: compare a row's 95% "
        "interval with its range over draws x seeds in the tables above.",
        "- Calibration is qualitative: the sources give directions and a few numbers (RSU −62% in "
        "three years, cost per case −42%), not rates for churn, trust or overheads. The defaults "
        "reproduce the direction and rough size of those numbers; see the evidence map.",
    ]
    report = args.out / "validation.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    written = [report, img / "validation-trajectories.png", img / "validation-jcurve.png"]
    manifest = {
        "command": command,
        "jusim": jusim.__version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "seed": args.seed,
        "replications": args.replications,
        "draws": len(ensemble),
        "draw_replications": args.draw_replications,
        "ensemble": label if ensemble else "none",
        "files": {str(p): sha256(p) for p in written},
    }
    (args.out / "validation-manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print("\n".join(str(p) for p in written))


if __name__ == "__main__":
    main()
