"""The validation report's tables, rendered from the suite's results (importable: the paper and
``experiments/validation_report.py`` both call them).

Inputs are what the suite returns: ``effects`` (``validation.Effect`` rows: the main setting, the
second-setting designs, then the half-size area) and ``over`` (``validation.OverDraws`` rows: the
same rows, in the same order, over parameter draws x seeds; it may stop early or be empty).
:func:`facts_table` renders the headline rows of every fact; :func:`summarise` gives each fact's
verdicts and shares of draws per setting; :func:`report_body` is the report's body.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jusim.analysis import draws as draws_mod
from jusim.analysis.facts_settings import HALF_SIZE_REASONS, NARROWED, POSTERIOR_REASONS
from jusim.analysis.validation import ORIGINS, PATTERNS, Effect, OverDraws

BAR = 0.8  # a fact counts as holding over the draws when it holds in at least this share
GROUPS = ("main", "half-size", "designs")


def _num(x: float) -> str:
    return f"{x:.3g}" if abs(x) >= 100 else f"{x:.3f}"


def _ci(lo: float, hi: float) -> str:
    return f"[{_num(lo)}, {_num(hi)}]"


def _share(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _yes(x: bool | None) -> str:
    return "—" if x is None else ("yes" if x else "**no**")


def group_of(setting: str) -> str:
    """``main`` (the fact's own world), ``half-size`` (the transform) or ``designs`` (the second
    designs of ``facts_settings``: equal roles, other outcomes, two departments)."""
    if not setting:
        return "main"
    if setting.startswith(draws_mod.SETTINGS["half_size"].label):
        return "half-size"
    return "designs"


def paired(effects: list[Effect], over: list[OverDraws]) -> dict[int, OverDraws]:
    """Row ``i`` of ``effects`` -> its row over the draws (the first ``len(over)`` rows)."""
    out = {}
    for i, o in enumerate(over):
        e = effects[i]
        if (o.pattern, o.control, o.setting) != (e.pattern, e.control, e.setting):
            raise RuntimeError(f"row {i} differs between the suite and its draws")
        out[i] = o
    return out


@dataclass(frozen=True)
class FactStatus:
    """One fact's verdicts: at the default parameters (seeds only) and over the draws, per
    setting group; None where the fact has no headline row there (or no draws were run)."""

    key: str
    emergent: bool
    holds: dict[str, bool | None]  # group -> all headline rows hold (95% CI beyond the SESOI)
    share: dict[str, float | None]  # group -> share of draws in which all headline rows hold

    def over_bar(self, group: str) -> bool:
        return (self.share[group] or 0.0) >= BAR

    def fails(self, group: str) -> bool:
        """Fails at the default parameters or in fewer than BAR of the draws in ``group``."""
        share = self.share[group]
        return self.holds[group] is False or (share is not None and share < BAR)

    @property
    def failures(self) -> list[str]:
        """Where the fact fails: a group's default-parameter verdict or its share of draws."""
        out = [f"{g} (default parameters)" for g in GROUPS if self.holds[g] is False]
        out += [
            f"{g} ({_share(self.share[g])} of draws)"
            for g in GROUPS
            if self.share[g] is not None and not self.over_bar(g)
        ]
        return out


def headline(effects: list[Effect]) -> list[int]:
    return [i for i, e in enumerate(effects) if e.sesoi is not None and not e.control]


def summarise(effects: list[Effect], over: list[OverDraws]) -> dict[str, FactStatus]:
    """Every fact's :class:`FactStatus`, in the order of ``validation.PATTERNS``."""
    over_of = paired(effects, over)
    rows = headline(effects)
    out = {}
    for k in PATTERNS:
        holds: dict[str, bool | None] = {}
        share: dict[str, float | None] = {}
        for g in GROUPS:
            idx = [i for i in rows if effects[i].pattern == k and group_of(effects[i].setting) == g]
            holds[g] = all(effects[i].holds for i in idx) if idx else None
            if idx and all(i in over_of for i in idx):
                per_draw = np.array([over_of[i].holding for i in idx]).all(axis=0)
                share[g] = float(per_draw.mean())
            else:
                share[g] = None
        out[k] = FactStatus(k, not ORIGINS[k].assumed, holds, share)
    return out


def facts_table(effects: list[Effect], over: list[OverDraws]) -> list[str]:
    """Markdown lines: every headline row of every fact, in each setting, at the default
    parameters (seeds only) and over the draws x seeds."""
    over_of = paired(effects, over)
    out = [
        "| fact | assumed/emergent | setting | measure | default parameters: effect [95% CI] | "
        "SESOI (claim) | verdict | share of draws holding | over draws x seeds: mean "
        "[95% range] | range beyond SESOI |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows = headline(effects)
    for k in PATTERNS:
        for i in (i for i in rows if effects[i].pattern == k):
            e, o = effects[i], over_of.get(i)
            out.append(
                f"| ({k}) | {ORIGINS[k].kind} | {e.setting or 'main'} | {e.measure} | "
                f"{_num(e.mean)} {_ci(e.ci_low, e.ci_high)} | {e.claim} | "
                f"{'holds' if e.holds else '**does not hold**'} | "
                f"{_share(o.share if o else None)} | "
                f"{f'{_num(o.mean)} {_ci(o.low, o.high)}' if o else '—'} | "
                f"{_yes(o.range_holds) if o else '—'} |"
            )
    return out


def status_table(status: dict[str, FactStatus]) -> list[str]:
    """Markdown lines: per fact, its verdicts at the default parameters and its shares of draws
    in the main setting, the half-size area and the second designs."""
    out = [
        "| fact | assumed/emergent | holds: main | holds: half-size | holds: designs | "
        "share of draws: main | share of draws: half-size | share of draws: designs |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for k, s in status.items():
        out.append(
            f"| ({k}) | {ORIGINS[k].kind} | "
            + " | ".join(_yes(s.holds[g]) for g in GROUPS)
            + " | "
            + " | ".join(_share(s.share[g]) for g in GROUPS)
            + " |"
        )
    return out


def counts(status: dict[str, FactStatus]) -> dict[str, list[str]]:
    """The report's headline counts over the 19 catalogue facts (keys are digits)."""
    cat = {k: s for k, s in status.items() if k.isdigit()}
    emergent = [k for k, s in cat.items() if s.emergent]
    return {
        "emergent": emergent,
        "main": [k for k, s in cat.items() if s.holds["main"]],
        "main_and_half": [k for k, s in cat.items() if s.holds["main"] and s.holds["half-size"]],
        "main_and_every_second": [
            k
            for k, s in cat.items()
            if s.holds["main"] and False not in (s.holds["half-size"], s.holds["designs"])
        ],
        "emergent_draws_main": [k for k in emergent if cat[k].over_bar("main")],
        "emergent_draws_half": [k for k in emergent if cat[k].over_bar("half-size")],
        "draws_main": [k for k, s in cat.items() if s.over_bar("main")],
        "draws_half": [k for k, s in cat.items() if s.over_bar("half-size")],
        "emergent_draws_both": [
            k for k in emergent if cat[k].over_bar("main") and cat[k].over_bar("half-size")
        ],
    }


def _list(keys: list[str]) -> str:
    return f"**{len(keys)}** ({', '.join(keys) or 'none'})"


NO_REASON = "**no reason written yet.**"


def reasons(status: dict[str, FactStatus]) -> list[str]:
    """One bullet per fact that fails somewhere: where, and the reason written for it (the
    designs' narrowed claims, the half-size area's and the posterior's reasons)."""
    written = {"designs": NARROWED, "half-size": HALF_SIZE_REASONS, "main": POSTERIOR_REASONS}
    title = {"designs": "Second designs", "half-size": "Half-size area", "main": "Main setting"}
    out = []
    for k, s in status.items():
        if not s.failures:
            continue
        why = " ".join(
            f"*{title[g]}:* {written[g].get(k, NO_REASON)}"
            for g in ("main", "half-size", "designs")
            if s.fails(g)
        )
        out.append(f"- ({k}) {ORIGINS[k].kind}; fails in: {'; '.join(s.failures)}. {why}")
    return out


def sesoi_table(effects: list[Effect]) -> list[str]:
    """Markdown lines: each headline measure's claim and the argument for its size, once per
    setting where the SESOI differs from the main setting's (a count scaled to a smaller area)."""
    out = [
        "| fact | setting | measure | claim | why this size |",
        "|---|---|---|---|---|",
    ]
    main = {(e.pattern, e.measure) for e in effects if not e.setting}
    rows: dict[tuple[str, str], list[Effect]] = {}
    for i in headline(effects):
        e = effects[i]
        key = (e.pattern, e.measure)
        if key not in main:  # a design's own measure: its claim is the main row's
            continue
        shown = [r.sesoi for r in rows.get(key, [])]
        if (not e.setting and not shown) or (e.setting and e.sesoi not in shown):
            rows.setdefault(key, []).append(e)
    for e in (e for group in rows.values() for e in group):
        out.append(
            f"| ({e.pattern}) | {e.setting or 'main'} | {e.measure} | {e.claim} | "
            f"{e.sesoi_reason} |"
        )
    return out


def report_body(
    effects: list[Effect],
    over: list[OverDraws],
    sample: draws_mod.Sample | None,
    draw_replications: int,
) -> list[str]:
    """The summary, the fact tables, origins, SESOIs, reasons for failures and every row."""
    status = summarise(effects, over)
    c = counts(status)
    n_cat = sum(k.isdigit() for k in status)
    drawn = bool(over) and sample is not None
    which = (sample.label if sample else "no draws") if drawn else "no draws"
    draws_text = (
        f"{sample.describe()} Each draw runs on {draw_replications} seeds (the same seeds for "
        "every draw), in the main setting and in the half-size area; a draw applies to every "
        "experiment's base world, and an experiment's own arms (its settings) override it."
        if drawn and sample
        else "no parameter draws were run."
    )
    out = [
        "## Summary",
        "",
        f"- Of the {n_cat} stylized facts of the evidence catalogue, {_list(c['emergent'])} are "
        f"emergent and {n_cat - len(c['emergent'])} are *assumed*: a rule written from the same "
        "source states them, so their experiments check that the rule works, not that the model "
        "reproduces the evidence (reasons below).",
        f"- At the default parameters (seeds only), facts whose headline rows hold in the main "
        f"setting: {_list(c['main'])}; also in the half-size area: {_list(c['main_and_half'])}; "
        f"also in every second setting (half-size and the designs): "
        f"{_list(c['main_and_every_second'])}.",
        f"- Over the {which}: emergent facts holding in >= {BAR:.0%} of draws in the main "
        f"setting: {_list(c['emergent_draws_main'])}; in the half-size area: "
        f"{_list(c['emergent_draws_half'])}; in both: {_list(c['emergent_draws_both'])}. The "
        "issue's bar is ten: "
        + ("met." if len(c["emergent_draws_both"]) >= 10 else "**not met**.")
        + f" Counting assumed facts too, facts holding in >= {BAR:.0%} of draws: main setting "
        f"{_list(c['draws_main'])}; half-size area {_list(c['draws_half'])}.",
        f"- Parameter uncertainty: {draws_text}",
        "- A row *holds* at the default parameters only if its whole 95% interval lies beyond its "
        "smallest effect of interest (SESOI) in the claimed direction; an effect that common "
        "random numbers resolve but that is smaller does not hold. A *draw* holds if its mean "
        "effect over its seeds lies beyond the SESOI. A fact holds (or holds in a draw) when all "
        "its headline rows (those with a SESOI) in that setting do. *Range beyond SESOI* asks "
        "more: that the 95% range of single runs over draws x seeds lies beyond it. In the "
        "half-size area a SESOI that is a count or a sum of money (cases, £k, partnerships) is "
        "halved with the area; ratios, shares and per-head levels keep theirs.",
        "",
        "## Facts",
        "",
        "Per fact: whether its headline rows hold at the default parameters, and the share of "
        f"{which} in which they all hold, in the main setting, the half-size area and the second "
        "designs (— where the fact has no row there).",
        "",
        *status_table(status),
        "",
        "Headline rows of every fact, in each setting. *Share of draws* is the share of "
        "parameter draws in which the row holds (— where no draws were run in that setting); "
        "*over draws x seeds* is the mean and the 2.5-97.5 percentile range of the "
        "per-replication effect over all draws and seeds: the effect's spread once parameters "
        "are uncertain (a credible range; it does not shrink as draws are added).",
        "",
        *facts_table(effects, over),
        "",
        "## Where facts fail, and why",
        "",
        "Every fact that fails somewhere, at the default parameters or in fewer than "
        f"{BAR:.0%} of draws, with the reason: a mechanism's limit, a parameter the calibration "
        "data do not pin down, or a claim narrowed to what the evidence says. No mechanism or "
        "default was changed to make a fact pass.",
        "",
        *reasons(status),
        "",
        "## Assumed or emergent",
        "",
        "| fact | origin | the rule that states it, or the chain it emerges from |",
        "|---|---|---|",
        *[f"| ({k}) | {ORIGINS[k].kind} | {ORIGINS[k].reason} |" for k in PATTERNS],
        "",
        "## Smallest effects of interest",
        "",
        "Counts and sums of money (cases, £k, partnerships) are scaled with the area's size in "
        "the half-size area, so that they ask the same relative change there; ratios, shares and "
        "per-head levels are not.",
        "",
        *sesoi_table(effects),
    ]
    over_of = paired(effects, over)
    out += [
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
            f"{'yes' if e.holds else '**no**'} | {_share(o.share if o else None)} | "
            f"{_ci(o.low, o.high) if o else '—'} |"
        )
    out += [
        "",
        "Facts: " + "; ".join(f"({k}) {text}" for k, text in PATTERNS.items()) + ".",
    ]
    return out
