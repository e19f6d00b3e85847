"""Regenerate docs/validation.md and its figures from a clean clone, bit for bit.

    python experiments/validation_report.py [--replications 30] [--seed 2026] [--out docs]
        [--draws 10] [--draw-replications 2] [--ensemble FILE | --prior-sample] [--workers N]

Runs the stylized-fact experiments (jusim.analysis.validation) in their main setting and in
second settings (a half-size area, and the designs of ``facts_settings``), then every row over
parameter draws x seeds, in the main setting and in the half-size area: by default draws of the
shipped posterior ``jusim/data/ensemble.csv`` (``--ensemble FILE``: another ensemble CSV in the
format of ``jusim.ensemble``), or with ``--prior-sample`` a prior sample of the five parameters
the docs call assumptions (``jusim.analysis.draws.prior_sample``, labelled so); and a paired
comparison of every shipped scenario with silo. Writes the report (its tables are rendered by
``jusim.analysis.validation_report``), the figures (PNG, no timestamps) and a manifest (jusim
version, seeds, the draws' provenance and SHA-256 of every file written).
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
from jusim.analysis.plots import trajectory_figure
from jusim.analysis.validation import FAMILIES, SECOND_FAMILIES, validate, validate_over_draws
from jusim.analysis.validation_report import report_body
from jusim.scenario import ScenarioError, scenario_dir

DRAWS = 10  # posterior draws and seeds per draw by default: the size docs/validation.md states
DRAW_SEEDS = 2
# Measured run times (one worker) of the sizes the report has been generated at, stated in it:
# (replications, setting replications, draws, seeds per draw) -> sentence.
MEASURED = {
    (12, 8, 10, 2): "At this size the run took 19.5 minutes on two workers (13.2 CPU minutes) "
    "while other work kept the two-core machine's load average at 4-5, and 37.7 minutes on one "
    "worker (15.0 CPU minutes) at a load of 6-7 (both 2026-12-02); a tiny run (2 + 2 seeds, 2 "
    "draws x 1 seed) took 2.1 CPU minutes.",
}
# CPU minutes per replication-unit (see ``expected_minutes``), from the two runs of MEASURED:
# 15.0 CPU minutes for 84 units and 2.1 for 12 (0.179 and 0.175 a unit).
CPU_MINUTES_PER_UNIT = 0.18
PNG = {"Software": None}  # no version or date in the files, so re-runs are identical


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    sample = draw_sample(args)
    over = []
    if sample is not None:
        r = args.draw_replications
        both = FAMILIES + SECOND_FAMILIES
        over = validate_over_draws(sample.draws, r, args.seed, w, families=both)
        over += validate_over_draws(
            sample.draws, r, args.seed, w, setting="half_size", families=FAMILIES
        )
    return effects, over, sample


def expected_minutes(args) -> tuple[float, float, int]:
    """The run's expected CPU minutes, its wall minutes on idle cores, and the processes used.

    A replication-unit is one replication of the whole main suite; the run makes three per
    ``--replications`` (the main suite, the second designs and the scenario comparison, about
    one each), one per ``--setting-replications`` (the half-size area) and two per draw x seed
    (the draws in the main setting with the designs, and in the half-size area). All but the
    comparison are shared among the worker processes."""
    import os

    half = args.setting_replications or args.replications
    shared = 2 * args.replications + half + 2 * args.draws * args.draw_replications
    serial = args.replications  # the comparison runs in this process
    cores = os.cpu_count() or 1
    procs = max(1, min(args.workers or cores, cores))
    cpu = (shared + serial) * CPU_MINUTES_PER_UNIT
    return cpu, (shared / procs + serial) * CPU_MINUTES_PER_UNIT, procs


def draw_sample(args) -> draws_mod.Sample | None:
    """The parameter draws: the posterior (``--ensemble``, default the shipped file) or, with
    ``--prior-sample``, the labelled prior sample; None with ``--draws 0``."""
    if not args.draws:
        return None
    if args.prior_sample:
        return draws_mod.prior_draws(args.draws, args.seed)
    return draws_mod.posterior_sample(args.ensemble, args.draws, args.seed)


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
    ap.add_argument("--draws", type=int, default=DRAWS, help="parameter draws (0: none)")
    ap.add_argument("--draw-replications", type=int, default=DRAW_SEEDS, help="seeds per draw")
    which = ap.add_mutually_exclusive_group()
    which.add_argument(
        "--ensemble",
        type=Path,
        default=None,
        help="posterior ensemble CSV (jusim.ensemble format; default: the shipped "
        "jusim/data/ensemble.csv)",
    )
    which.add_argument(
        "--prior-sample",
        action="store_true",
        help="draw from the prior ranges of draws.PRIOR_RANGES instead (labelled so)",
    )
    ap.add_argument("--workers", type=int, default=None, help="processes (default: one per core)")
    ap.add_argument(
        "--results",
        type=Path,
        help="pickle of the suite's results: written after a run, read instead of running if it "
        "exists (re-render the report without re-running; delete it after a code change)",
    )
    args = ap.parse_args()
    try:  # check the draws (a bad ensemble file is one line, before anything runs)
        draw_sample(args)
    except (ScenarioError, OSError) as e:
        raise SystemExit(f"validation_report: {e}") from None
    img = args.out / "img"
    img.mkdir(parents=True, exist_ok=True)
    if not (args.results and args.results.exists()):
        cpu, wall, procs = expected_minutes(args)
        print(
            f"validation_report: expected about {cpu:.0f} CPU minutes, {wall:.0f} minutes on "
            f"{procs} idle core(s) (longer on a busy machine: 2.5 times at a load of 6-7)",
            flush=True,
        )

    if args.results and args.results.exists():  # re-render a finished run of this script
        with args.results.open("rb") as f:
            effects, over, sample, cmp = pickle.load(f)
    else:
        effects, over, sample = run_suite(args)
        names = [p.stem for p in sorted(scenario_dir().glob("*.toml")) if p.stem != "default_world"]
        # seed-only, as the report was generated (the facts carry the parameter draws above);
        # the shipped ensemble is what `jusim compare` uses by default
        cmp = compare(
            names, baseline="silo", replications=args.replications, seed=args.seed, ensemble="none"
        )
        if args.results:
            with args.results.open("wb") as f:
                pickle.dump((effects, over, sample, cmp), f)

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
        + (" --prior-sample" if args.prior_sample else "")
    )  # no --workers: every run is a pure function of its seed, so the files are the same

    lines = [
        "# Validation: stylized facts from the evidence",
        "",
        f"Generated by `{command}` (do not edit by hand). Every arm runs on the same replication "
        "seeds (common random numbers); intervals are two-sided 95% t intervals over "
        f"{args.replications} paired replications ({args.setting_replications or args.replications}"
        " in the half-size area). The same experiments run as `tests/test_validation*.py` and "
        "`jusim validate` (main setting). Every file is the same for any `--workers` (checked: "
        "1 and 2 give identical tables and figures). "
        + MEASURED.get(
            (
                args.replications,
                args.setting_replications or args.replications,
                args.draws,
                args.draw_replications,
            ),
            "",
        ),
        "",
        *report_body(effects, over, sample, args.draw_replications),
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
        "- The sources give directions and a few numbers (RSU −62% in three years, cost per case "
        "£120k to £70k, EYDCP places at about the same cost, Sure Start slow to show), not rates "
        "for churn, trust or overheads. The shipped posterior is fitted to those numbers by "
        "ABC-SMC (docs/calibration.md); they pin down few parameters (the lag and a "
        "partnership's set-up time stay at their priors), which is why several facts hold at the "
        "defaults but not in every posterior draw. The verdicts at the default parameters and "
        "the scenario comparison above are seed-only; the shares of draws carry the parameter "
        "uncertainty.",
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
        "draws": len(sample.draws) if sample else 0,
        "draw_replications": args.draw_replications,
        "ensemble": sample.label if sample else "none",
        "draws_provenance": sample.provenance if sample else {},
        "files": {str(p): sha256(p) for p in written},
    }
    (args.out / "validation-manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print("\n".join(str(p) for p in written))


if __name__ == "__main__":
    main()
