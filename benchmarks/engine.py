"""Engine benchmark: time one run of the default world and of scaled worlds (a benchmark, not a test).

Measures, on this machine:

1. ``jusim.run`` on the default world (warm-up first; median and IQR of repeated runs timed with
   ``time.perf_counter``; a different seed each run);
2. ``jusim.run`` on worlds with about 1k, 10k and 100k staff, built from the default world by
   scaling every agency's ``staff`` (and ``initial_ties``, so the month-0 ties per member of staff
   stay as in the default world) by the same factor; budgets are kept;
3. the staff/tie/churn phase alone (60 months with a fixed contact matrix) in the vectorised engine
   and in the per-agent reference of ``benchmarks/per_agent_reference.py`` (one ``mesa.Agent`` per
   member of staff), at about 1k and 10k staff;
4. where the time of one run goes: exclusive time per mechanism function, measured by wrapping the
   engine's mechanism functions with timers for one run (the engine code is not changed), and the
   top functions of a cProfile of one run.

Targets (issue): default world <= 50 ms per run; >= 20x faster than the per-agent reference at
1,000 staff; about linear growth with staff (100k staff x 60 months <= 10 s).

Usage::

    python benchmarks/engine.py              # print the markdown report
    python benchmarks/engine.py --quick      # fewer repeats
    python benchmarks/engine.py --write      # also replace the "## Engine" section of
                                             # docs/performance.md
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import importlib
import inspect
import os
import pkgutil
import platform
import pstats
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import mesa
import numpy as np

import jusim
from jusim.scenario import Scenario

sys.path.insert(0, str(Path(__file__).resolve().parent))
from per_agent_reference import (
    PerAgentStaffModel,
    StaffInputs,
    docking_check,
    make_inputs,
    starting_roster,
    vectorised_month,
)

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
TARGET_DEFAULT_MS = 50.0
TARGET_SPEEDUP = 20.0
TARGET_100K_S = 10.0


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def scaled_world(staff: int, base: str = "default_world") -> Scenario:
    """The default world with every agency's staff (and ``initial_ties``) scaled to ~``staff``."""
    sc = jusim.load_scenario(base)
    total = sum(a.staff for a in sc.agencies)
    f = staff / total
    overrides: dict[str, Any] = {
        f"agencies.{a.name}.staff": max(1, round(a.staff * f)) for a in sc.agencies
    }
    overrides["initial_ties"] = sc.initial_ties * f
    return sc.with_overrides(overrides)


def n_staff(sc: Scenario) -> int:
    return sum(a.staff for a in sc.agencies)


def seconds(fn: Callable[[int], object], seed: int) -> float:
    """Wall time of ``fn(seed)``, or what it returns if that is a float (its own timing)."""
    t0 = time.perf_counter()
    got = fn(seed)
    return got if isinstance(got, float) else time.perf_counter() - t0


def timings(fn: Callable[[int], object], repeats: int, warmup: int = 1) -> np.ndarray:
    """Seconds per call of ``fn(seed)`` for seeds 0..repeats-1, after ``warmup`` calls.

    See :func:`seconds` for what is recorded.
    """
    for k in range(warmup):
        fn(10_000 + k)
    out = np.empty(repeats)
    for k in range(repeats):
        out[k] = seconds(fn, k)
    return out


def med_iqr(t: np.ndarray, unit: float = 1e3) -> str:
    q1, med, q3 = np.percentile(t * unit, [25, 50, 75])
    return f"{med:.3g} (IQR {q1:.3g}–{q3:.3g})"


# --------------------------------------------------------------------------------------------
# 1-2: whole runs
# --------------------------------------------------------------------------------------------
def bench_runs(sizes: list[int], repeats: dict[int, int]) -> list[dict[str, Any]]:
    """Time ``jusim.run`` on the default world and on worlds scaled to each of ``sizes``.

    ``repeats`` maps each size to the number of timed runs (the default world uses the smallest).
    """
    rows = []
    worlds = [("default world", jusim.load_scenario("default_world"), repeats[min(sizes)])]
    worlds += [(f"~{s:,} staff", scaled_world(s), repeats[s]) for s in sizes]
    for label, sc, reps in worlds:
        n = n_staff(sc)
        t = timings(lambda seed, sc=sc: jusim.run(sc, seed), reps, warmup=1 if n > 20_000 else 3)
        rows.append({"world": label, "staff": n, "months": sc.horizon, "repeats": reps, "times": t})
        print(f"  run {label}: {med_iqr(t)} ms", file=sys.stderr)
    return rows


# --------------------------------------------------------------------------------------------
# 3: staff/tie/churn phase, vectorised vs per agent
# --------------------------------------------------------------------------------------------
def vector_phase(inputs: StaffInputs, months: int) -> Callable[[int], None]:
    def go(seed: int) -> float:
        roster = starting_roster(inputs, seed)
        rng = np.random.default_rng([seed, 2])
        t0 = time.perf_counter()
        for _ in range(months):
            vectorised_month(roster, inputs, rng)
        return time.perf_counter() - t0

    return go


def per_agent_phase(inputs: StaffInputs, months: int) -> Callable[[int], None]:
    def go(seed: int) -> float:
        model = PerAgentStaffModel(starting_roster(inputs, seed), inputs, seed=seed)
        try:
            t0 = time.perf_counter()
            for _ in range(months):
                model.step()
            return time.perf_counter() - t0
        finally:
            model.release()

    return go


def per_agent_setup(inputs: StaffInputs) -> Callable[[int], None]:
    def go(seed: int) -> float:
        roster = starting_roster(inputs, seed)
        t0 = time.perf_counter()
        model = PerAgentStaffModel(roster, inputs, seed=seed)
        elapsed = time.perf_counter() - t0
        model.release()
        return elapsed

    return go


def interleaved(
    fa: Callable[[int], object], na: int, fb: Callable[[int], object], nb: int
) -> tuple[np.ndarray, np.ndarray]:
    """Like :func:`timings` for two functions, alternating their calls seed by seed.

    The machine is shared: alternating means a burst of other work slows both about equally,
    so their ratio is steadier than if one were timed entirely before the other.
    """
    fa(10_000), fa(10_001), fb(10_000)  # warm-up
    ta, tb = np.empty(na), np.empty(nb)
    for k in range(max(na, nb)):
        for f, out, n in ((fa, ta, na), (fb, tb, nb)):
            if k < n:
                out[k] = seconds(f, k)
    return ta, tb


def bench_phase(sizes: list[int], repeats: dict[int, tuple[int, int]]) -> list[dict[str, Any]]:
    """Time 60 months of the staff/tie/churn rules in both implementations."""
    rows = []
    for s in sizes:
        sc = scaled_world(s) if s != 1_000 else jusim.load_scenario("default_world")
        inputs = make_inputs(sc)
        months = sc.horizon
        rv, rp = repeats[s]
        tv, tp = interleaved(vector_phase(inputs, months), rv, per_agent_phase(inputs, months), rp)
        ts = timings(per_agent_setup(inputs), rp, warmup=0)
        full = timings(lambda seed, sc=sc: jusim.run(sc, seed), rv, warmup=1)
        rows.append(
            {
                "staff": n_staff(sc),
                "months": months,
                "vector": tv,
                "per_agent": tp,
                "per_agent_setup": ts,
                "full_run": full,
            }
        )
        print(
            f"  phase {n_staff(sc)}: vectorised {med_iqr(tv)} ms, per-agent {med_iqr(tp)} ms",
            file=sys.stderr,
        )
    return rows


# --------------------------------------------------------------------------------------------
# 4: where the time goes
# --------------------------------------------------------------------------------------------
class PhaseTimer:
    """Exclusive wall time per wrapped function (time in nested wrapped calls is not counted)."""

    def __init__(self) -> None:
        self.total: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[list[float]] = []

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame = [time.perf_counter(), 0.0]
            self._stack.append(frame)
            try:
                return fn(*args, **kwargs)
            finally:
                self._stack.pop()
                elapsed = time.perf_counter() - frame[0]
                self.total[label] += elapsed - frame[1]
                self.calls[label] += 1
                if self._stack:
                    self._stack[-1][1] += elapsed

        return timed


@contextmanager
def instrumented(timer: PhaseTimer) -> Iterator[None]:
    """Temporarily wrap the engine's mechanism functions and bookkeeping with ``timer``."""
    import jusim.metrics
    import jusim.model
    import jusim.month
    import jusim.month.initial
    import jusim.partnership
    import jusim.staff
    from jusim import mechanisms
    from jusim.interventions import REGISTRY

    patches: list[tuple[object, str, object]] = []

    def patch(owner: object, attr: str, label: str) -> None:
        original = getattr(owner, attr)
        patches.append((owner, attr, original))
        setattr(owner, attr, timer.wrap(label, original))

    for info in pkgutil.iter_modules(mechanisms.__path__):  # every mechanism module
        mod = importlib.import_module(f"{mechanisms.__name__}.{info.name}")
        for name, fn in inspect.getmembers(mod, inspect.isfunction):
            if fn.__module__ == mod.__name__ and not name.startswith("_"):
                patch(mod, name, f"{info.name}.{name}")
    for name, _fn in inspect.getmembers(jusim.partnership.Partnerships, inspect.isfunction):
        if not name.startswith("_"):
            patch(jusim.partnership.Partnerships, name, f"partnerships.{name}")
    for kind, cls in REGISTRY.items():
        if "apply" in vars(cls):
            patch(cls, "apply", f"interventions: {kind}.apply")
    for module in jusim.month.PHASES:  # what is left inside a phase is its own arithmetic
        patch(module, "run", f"phase {module.__name__.rsplit('.', 1)[1]}: own arithmetic")
    patch(jusim.staff.StaffRoster, "_merge", "ties: merge new ties (StaffRoster._merge)")
    patch(jusim.month.initial, "build_world", "set-up: build_world")
    patch(jusim.month.initial, "initial_roster", "set-up: initial_roster")
    patch(jusim.model.JoinedUpModel, "__init__", "set-up: JoinedUpModel.__init__ (rest)")
    patch(jusim.model.JoinedUpModel, "release", "release")
    patch(jusim.metrics.Recorder, "record", "record (Recorder.record)")
    patch(jusim.metrics.Recorder, "record_initial", "record (Recorder.record_initial)")
    patch(jusim.metrics.Recorder, "result", "result (Recorder.result)")
    try:
        yield
    finally:
        for owner, attr, original in reversed(patches):
            setattr(owner, attr, original)


def phase_split(sc: Scenario, repeats: int) -> tuple[float, dict[str, float]]:
    """Mean seconds per run and mean exclusive seconds per function over ``repeats`` runs."""
    jusim.run(sc, 99)
    timer = PhaseTimer()
    total = 0.0
    with instrumented(timer):
        jusim.run(sc, 98)  # warm the wrappers
        timer.total.clear()
        for k in range(repeats):
            t0 = time.perf_counter()
            jusim.run(sc, k)
            total += time.perf_counter() - t0
    split = {k: v / repeats for k, v in timer.total.items()}
    split["model.step: other code (outside the phases)"] = total / repeats - sum(split.values())
    return total / repeats, split


def cprofile_top(fn: Callable[[], object], n: int = 12) -> str:
    """The ``n`` functions with most internal time in a cProfile of one call of ``fn``."""
    fn()
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    st = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    rows = sorted(st.items(), key=lambda kv: -kv[1][2])[:n]
    out = []
    for (file, line, func), (_, ncalls, tottime, _, _) in rows:
        where = re.sub(r"^.*?(site-packages|jusim)/", r"\1/", file)
        name = func if file == "~" else f"{where}:{line}({func})"
        out.append(f"| `{name}` | {ncalls} | {tottime * 1e3:.2f} |")
    head = "| function | calls | internal time (ms) |\n|---|---|---|\n"
    return head + "\n".join(out)


# --------------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------------
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for ln in Path("/proc/cpuinfo").read_text().splitlines():
            if ln.startswith("model name"):
                cpu = ln.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}); Python {platform.python_version()}; "
        f"numpy {np.__version__}; Mesa {mesa.__version__}; {platform.system()} "
        f"{platform.release()}; measured {dt.date.today().isoformat()}; load average at start "
        f"{os.getloadavg()[0]:.2f} (the machine is shared, so other work can inflate times)"
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def report(
    runs: list[dict[str, Any]],
    phase: list[dict[str, Any]],
    split_default: tuple[float, dict[str, float]],
    split_big: tuple[int, float, dict[str, float]] | None,
    top: str,
    top_phase: str,
) -> str:
    out = [f"Machine: {machine()}.", "", "Reproduce: `python benchmarks/engine.py --write`.", ""]

    # runs
    out += [
        "### One run (`jusim.run`, 60 months)",
        "",
        "Median and inter-quartile range of repeated runs after warm-up, a different seed each "
        "run. Scaled worlds multiply every agency's `staff` and `initial_ties` by the same "
        "factor and keep budgets.",
        "",
        "| world | staff | runs | time per run (ms) | µs per staff-month |",
        "|---|---|---|---|---|",
    ]
    for r in runs:
        med = float(np.median(r["times"]))
        per = med / (r["staff"] * r["months"]) * 1e6
        out.append(
            f"| {r['world']} | {r['staff']:,} | {r['repeats']} | {med_iqr(r['times'])} "
            f"| {per:.3g} |"
        )
    default_ms = float(np.median(runs[0]["times"])) * 1e3
    big = max(runs, key=lambda r: r["staff"])
    big_s = float(np.median(big["times"]))
    sized = sorted(runs[1:], key=lambda r: r["staff"])
    slope = ""
    if len(sized) >= 2:
        x = np.log([r["staff"] for r in sized])
        y = np.log([float(np.median(r["times"])) for r in sized])
        slope = (
            f" Log-log slope of time against staff: {np.polyfit(x, y, 1)[0]:.2f} over "
            f"{sized[0]['staff']:,}–{sized[-1]['staff']:,} staff; "
            f"{(y[-1] - y[-2]) / (x[-1] - x[-2]):.2f} between the two largest (1 = linear)."
        )
    if len(sized) >= 2:
        n_arr = np.array([r["staff"] for r in sized], dtype=float)
        t_arr = np.array([float(np.median(r["times"])) for r in sized])
        b, a = np.polyfit(n_arr, t_arr, 1)
        resid = np.max(np.abs(t_arr - (a + b * n_arr)) / t_arr)
        slope += (
            f" A straight line time = a + b x staff fits within {resid:.0%}: a = {a * 1e3:.0f} ms "
            f"(fixed cost of 60 months of agency-level arithmetic), b = {b * 1e6:.2f} µs per "
            f"member of staff per run ({b / 60 * 1e9:.0f} ns per staff-month), so the cost "
            "that depends on staff grows linearly."
        )
    out += ["", slope.strip(), ""]

    # phase
    out += [
        "### Staff, ties and churn: vectorised engine vs per-agent reference",
        "",
        "60 months of the churn and tie rules with a fixed contact matrix (that of a run of the "
        "same world at month 12), from the model's own month-0 roster. *Vectorised*: the engine's "
        "functions (`churn.apply_churn`, `ties.form_by_*`, `ties.maintain`) as "
        "`JoinedUpModel.step` calls them. *Per agent*: `benchmarks/per_agent_reference.py`, one "
        "`mesa.Agent` per member of staff with a dict of ties, looping over agents each month "
        "(setting up the agents is timed separately and not included). The two are timed "
        "alternately, seed by seed, so that other work on the machine slows both alike.",
        "",
        "| staff | vectorised phase (ms) | per-agent phase (ms) | per-agent set-up (ms) "
        "| speed-up, phase vs phase | full `jusim.run` (ms) | speed-up, full run vs "
        "per-agent phase |",
        "|---|---|---|---|---|---|---|",
    ]
    speedup_1k = None
    for r in phase:
        v, p, f = (float(np.median(r[k])) for k in ("vector", "per_agent", "full_run"))
        out.append(
            f"| {r['staff']:,} | {med_iqr(r['vector'])} | {med_iqr(r['per_agent'])} "
            f"| {med_iqr(r['per_agent_setup'])} | {p / v:.1f}x | {med_iqr(r['full_run'])} "
            f"| {p / f:.1f}x |"
        )
        if speedup_1k is None:
            speedup_1k = (p / v, p / f)
    out.append("")

    # targets
    out += [
        "### Targets",
        "",
        "| target | measured | verdict |",
        "|---|---|---|",
        f"| default world <= {TARGET_DEFAULT_MS:.0f} ms per run | {default_ms:.1f} ms "
        f"| {verdict(default_ms <= TARGET_DEFAULT_MS)} |",
    ]
    if speedup_1k is not None:
        out.append(
            f"| >= {TARGET_SPEEDUP:.0f}x faster than the per-agent reference at ~1,000 staff "
            f"| {speedup_1k[0]:.1f}x (staff/tie/churn phase vs the same phase); "
            f"{speedup_1k[1]:.1f}x (whole run vs the per-agent phase alone) "
            f"| {verdict(speedup_1k[0] >= TARGET_SPEEDUP)} |"
        )
    out += [
        f"| {big['staff']:,} staff x 60 months <= {TARGET_100K_S:.0f} s | {big_s:.2f} s "
        f"| {verdict(big_s <= TARGET_100K_S)} |",
        "",
    ]
    if phase:
        r0 = phase[0]
        v0, p0 = float(np.median(r0["vector"])), float(np.median(r0["per_agent"]))
        per_month = v0 / r0["months"] * 1e6
        if p0 / v0 >= TARGET_SPEEDUP:
            text = (
                f"Reading the speed-up: at ~{r0['staff']:,} staff the default world has only "
                "about 0.2 cross-agency ties per member of staff (a hundred or two ties), so the "
                "per-agent loop has little to do per agent. The vectorised phase costs "
                f"{per_month:.0f} µs per month: the rules over ties (merge, churn and handover, "
                "formation, referral, maintenance) run as small compiled numba kernels, and what "
                "remains is mostly the numpy random draws that feed them (one uniform per member "
                "of staff for leaving, one per tie for handover and maintenance). Without the "
                "kernels (plain numpy, up to commit f5847e8) the phase cost about 150 µs a month, "
                "almost all of it fixed per-call overhead, and the speed-up was 7-11x."
            )
        else:
            text = (
                f"Reading the speed-up: at ~{r0['staff']:,} staff the default world has only "
                "about 0.2 cross-agency ties per member of staff, so the per-agent loop has little "
                f"to do per agent, while the vectorised phase costs {per_month:.0f} µs per month. "
                f"Reaching {TARGET_SPEEDUP:.0f}x at this size needs the phase at "
                f"<= {p0 / TARGET_SPEEDUP * 1e3:.1f} ms per 60 months "
                f"({p0 / TARGET_SPEEDUP / r0['months'] * 1e6:.0f} µs per month), i.e. "
                f"{v0 / (p0 / TARGET_SPEEDUP):.1f}x less than now."
            )
        if len(phase) > 1:
            r1 = phase[-1]
            v1, p1 = float(np.median(r1["vector"])), float(np.median(r1["per_agent"]))
            text += (
                f" With {r1['staff'] / r0['staff']:.0f}x the staff the vectorised phase takes "
                f"only {v1 / v0:.1f}x as long, whereas the per-agent one takes {p1 / p0:.1f}x, "
                f"so the speed-up grows with size ({p1 / v1:.0f}x at {r1['staff']:,} staff)."
            )
        out += [text, ""]

    # split
    def split_table(total: float, split: dict[str, float]) -> list[str]:
        rows = ["| function | ms per run | share |", "|---|---|---|"]
        for k, v in sorted(split.items(), key=lambda kv: -kv[1]):
            if v / total < 0.005:
                continue
            rows.append(f"| {k} | {v * 1e3:.2f} | {v / total:.0%} |")
        rows.append(f"| **total** | {total * 1e3:.2f} | 100% |")
        return rows

    total, split = split_default
    out += [
        "### Where the time of one run goes",
        "",
        "Exclusive wall time per engine function (the mechanism functions, the tie merge, set-up "
        "and recording wrapped with timers for the measurement; a phase's own arithmetic is the "
        "time inside `jusim/month/<phase>.run` outside those functions). Functions under 0.5% are "
        "left out. Default "
        "world, mean of repeated runs:",
        "",
        *split_table(total, split),
        "",
    ]
    if split_big is not None:
        n, total_b, split_b = split_big
        out += [f"World with {n:,} staff, one run:", "", *split_table(total_b, split_b), ""]
    out += ["cProfile of one default-world run, top functions by internal time:", "", top, ""]
    out += [
        "cProfile of the vectorised staff/tie/churn phase alone (default world, 60 months), "
        "top functions by internal time:",
        "",
        top_phase,
        "",
    ]
    return "\n".join(out)


def docking_section(reports: list[str]) -> str:
    """The docking-check reports of ``per_agent_reference.docking_check`` under one heading."""
    intro = (
        "### Docking: same statistics from both implementations\n\n"
        "`python benchmarks/per_agent_reference.py --check` runs the vectorised phase and the "
        "per-agent reference from the same month-0 roster and fixed contact matrix per seed "
        "(different random draws) and compares distributions across seeds (Axtell et al. "
        "1996): Welch 95% CI of the difference of means and a two-sided Mann-Whitney U test. "
        "Three settings: the default world as is; contact x 5 (more ties, so referral and "
        "maintenance matter more); and 30 staff seconded at month 0 (formation by posting and "
        "contact through a shared post, which the default world does not exercise).\n"
    )
    return intro + "\n" + "\n\n".join(reports) + "\n"


def write_section(body: str, doc: Path = DOC) -> None:
    """Replace the text under "## Engine" (up to the next "## " heading) with ``body``."""
    text = doc.read_text()
    m = re.search(r"^## Engine[ \t]*\n", text, flags=re.M)
    if m is None:
        raise SystemExit(f"{doc}: no '## Engine' heading")
    nxt = re.search(r"^## ", text[m.end() :], flags=re.M)
    end = m.end() + nxt.start() if nxt else len(text)
    doc.write_text(text[: m.end()] + "\n" + body.strip() + "\n\n" + text[end:])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--write", action="store_true", help="update docs/performance.md")
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    ap.add_argument("--no-10k-reference", action="store_true", help="skip the 10k per-agent run")
    ap.add_argument("--no-docking", action="store_true", help="skip the docking checks")
    args = ap.parse_args(argv)

    q = args.quick
    run_repeats = {1_000: 5 if q else 20, 10_000: 3 if q else 10, 100_000: 1 if q else 3}
    print("timing whole runs ...", file=sys.stderr)
    runs = bench_runs([1_000, 10_000, 100_000], run_repeats)
    phase_sizes = [1_000] if args.no_10k_reference else [1_000, 10_000]
    print("timing staff/tie/churn phase ...", file=sys.stderr)
    phase = bench_phase(
        phase_sizes, {1_000: (5, 2) if q else (20, 5), 10_000: (2, 1) if q else (5, 2)}
    )
    print("phase split ...", file=sys.stderr)
    split_default = phase_split(jusim.load_scenario("default_world"), 3 if q else 20)
    big = scaled_world(100_000)
    total_b, split_b = phase_split(big, 1)
    default = jusim.load_scenario("default_world")
    top = cprofile_top(lambda: jusim.run(default, 0))
    phase_1k = vector_phase(make_inputs(default), default.horizon)
    top_phase = cprofile_top(lambda: phase_1k(0), 15)
    docking = []
    if not args.no_docking:
        print("docking checks ...", file=sys.stderr)
        for kw in ({}, {"contact_scale": 5.0}, {"secondees": 30}):
            docking.append(docking_check(seeds=10 if q else 30, **kw)[0])
    text = report(runs, phase, split_default, (n_staff(big), total_b, split_b), top, top_phase)
    if docking:
        text += "\n" + docking_section(docking)
    print(text)
    if args.write:
        write_section(text)
        print(f"wrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
