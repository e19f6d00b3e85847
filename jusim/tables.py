"""Terminal tables that read at any width, numbers without negative zero, and progress that
works piped.

A table is a list of :class:`Col` and rows of cells (a string, a number or an :class:`Est`, an
estimate with its interval). :func:`show` picks the first layout that fits the console's width:

1. *wide*: one line per row, ``0.06 [0.05, 0.06]``;
2. *stacked*: the interval on a second line under its estimate;
3. *short*: stacked, with the long headers replaced by short codes explained in a legend below;
4. *long*: one block per row, one ``header  value`` line per cell.

Numbers and names are never wrapped or cut; only free text (descriptions) wraps, at spaces. Titles
wrap at spaces too, never inside a name. Wide terminals keep the wide layout.

Piped (stderr not a terminal), :class:`LineProgress` writes a plain progress line to stderr every
few seconds instead of a bar, so stdout holds only the tables.
"""

from __future__ import annotations

import math
import textwrap
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich import box
from rich.console import Console
from rich.progress import Progress, TaskID
from rich.table import Table
from rich.text import Text

DASH = "–"  # a missing value


def num(x: Any, digits: int = 2, signed: bool = False) -> str:
    """``x`` with ``digits`` decimals; NaN/None as a dash; never ``-0.00``."""
    if x is None:
        return DASH
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(v):
        return DASH
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    text = f"{v:+.{digits}f}" if signed else f"{v:.{digits}f}"
    if float(text) == 0:  # rounds to zero: drop the sign (no "-0.00")
        text = f"{0:.{digits}f}"
    return text


def interval_digits(low: Any, high: Any, digits: int = 2) -> int:
    """Decimals to print an interval with: ``digits``, or more where ``digits`` would print a
    bound that matters as zero: for an interval that excludes zero, the bound nearer zero
    (-0.0006 [-0.00097, -0.00026], not ``0.00 [0.00, 0.00]``); for one that holds zero, the bound
    further from it. Then that bound shows two significant figures. An interval whose bounds
    differ but would print alike gets up to three more decimals (-0.010 [-0.011, -0.009], not
    ``-0.01 [-0.01, -0.01]``)."""
    try:
        lo, hi = float(low), float(high)
    except (TypeError, ValueError):
        return digits
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return digits
    bounds = sorted((abs(lo), abs(hi)))
    ref = bounds[0] if lo * hi > 0 else bounds[1]
    out = digits if ref == 0 or round(ref, digits) != 0 else 1 - math.floor(math.log10(ref))
    while lo != hi and f"{lo:.{out}f}" == f"{hi:.{out}f}" and out < digits + 3:
        out += 1
    return out


SMALLEST_EFFECT = 0.01
"""The smallest difference in attainment worth a verdict: 1% of the way from the initial need to
the target (assumption: below the precision any target is set or monitored with)."""


def verdict(diff: Any, low: Any, high: Any, smallest: float = SMALLEST_EFFECT) -> str:
    """Words for a paired difference with its interval, following the interval and ``smallest``:

    - *better* / *worse*: the whole interval beyond ``smallest`` (up or down);
    - *negligible*: the whole interval within ``±smallest`` (whether or not it excludes zero);
    - *better, size unclear* / *worse, size unclear*: the interval excludes zero but reaches
      into ``±smallest``;
    - *no clear difference*: the interval holds zero and reaches beyond ``±smallest``;
    - empty when there is no interval.
    """
    try:
        d, lo, hi = float(diff), float(low), float(high)
    except (TypeError, ValueError):
        return ""
    if not all(math.isfinite(x) for x in (d, lo, hi)):
        return ""
    if -smallest < lo and hi < smallest:
        return "negligible"
    if lo >= smallest:
        return "better"
    if hi <= -smallest:
        return "worse"
    if lo > 0:
        return "better, size unclear"
    if hi < 0:
        return "worse, size unclear"
    return "no clear difference"


VERDICT_NOTE = (
    f"verdict: better or worse when the whole 95% interval lies beyond ±{SMALLEST_EFFECT:g} "
    f"(the smallest difference counted), negligible when it lies within ±{SMALLEST_EFFECT:g}, "
    "'size unclear' when it excludes zero but reaches into that band, no clear difference "
    "otherwise."
)


def quantity(x: Any) -> str:
    """A single value: 3 decimals below 1, 2 below 100, none above or for a whole number; a
    value so small that 3 decimals would print zero in 3 significant figures (``6.77e-05``)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isfinite(v) and v != 0 and abs(v) < 0.0005:
        return sig(v, 3)
    a = abs(v) if math.isfinite(v) else 0.0
    whole = v == 0 or (a >= 1 and v.is_integer())  # a count or exactly zero: no decimals
    return num(v, 0 if whole or a >= 100 else 3 if a < 1 else 2)


def sig(x: Any, figures: int = 3) -> str:
    """``x`` to ``figures`` significant figures (booleans as on/off); never ``-0``."""
    if isinstance(x, bool):
        return "on" if x else "off"
    if isinstance(x, int):
        return str(x)
    if x is None:
        return DASH
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if math.isnan(v):
        return DASH
    text = f"{v:.{figures}g}"
    if float(text) == 0:
        text = "0"
    return text


@dataclass(frozen=True)
class Est:
    """An estimate with its interval, e.g. a mean and its 95% confidence interval."""

    value: float
    low: float
    high: float
    digits: int = 2
    signed: bool = False

    def texts(self) -> tuple[str, str | None]:
        """The estimate and its interval as text (``None``: no interval); decimals as
        :func:`interval_digits` says, so a resolved difference never prints as zero."""
        digits = interval_digits(self.low, self.high, self.digits)
        v = num(self.value, digits, self.signed)
        if self.low is None or (isinstance(self.low, float) and math.isnan(self.low)):
            return v, None
        return v, f"[{num(self.low, digits)}, {num(self.high, digits)}]"

    def lines(self, stacked: bool) -> list[str]:
        v, ci = self.texts()
        if ci is None:
            return [v]
        return [v, ci] if stacked else [f"{v} {ci}"]


@dataclass(frozen=True)
class Col:
    """A column: its header, a short code for narrow layouts (explained in the legend), what it
    means (legend text), its kind (``name`` and ``number`` cells never wrap, ``text`` wraps) and
    the unit of its numbers (shown in the legend, or in a units line under the table)."""

    header: str
    short: str | None = None
    meaning: str = ""
    kind: Literal["name", "number", "text"] = "number"
    unit: str = ""


Cell = str | int | float | bool | Est | None
Layout = Literal["wide", "stacked", "short", "long"]
TEXT_MIN = 24  # narrowest a wrapping text column gets


def _cell_lines(cell: Cell, stacked: bool) -> list[str]:
    if isinstance(cell, Est):
        return cell.lines(stacked)
    if isinstance(cell, str):
        return cell.split("\n")
    return [sig(cell)]


_OVERHEAD: dict[int, int] = {}


def _table(stacked: bool) -> Table:
    return Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, show_lines=stacked)


def _overhead(n: int) -> int:
    """Characters a table of ours with ``n`` columns spends on separators and padding."""
    if n not in _OVERHEAD:
        import io

        t = _table(False)
        for _ in range(n):
            t.add_column("x")
        t.add_row(*(["x"] * n))
        con = Console(file=io.StringIO(), width=10_000, force_terminal=False)  # no escape codes
        con.print(t)
        _OVERHEAD[n] = max(len(ln.rstrip()) for ln in con.file.getvalue().splitlines()) - n
    return _OVERHEAD[n]


def _widths(cols: Sequence[Col], rows: Sequence[Sequence[Cell]], layout: Layout) -> list[int]:
    stacked = layout != "wide"
    out = []
    for i, c in enumerate(cols):
        header = (c.short or c.header) if layout == "short" else c.header
        words = header.split() or [""]
        need = max(len(w) for w in words)  # headers may wrap at spaces, never inside a word
        for r in rows:
            lines = _cell_lines(r[i], stacked)
            if c.kind == "text":
                longest_word = max((len(w) for ln in lines for w in ln.split()), default=0)
                need = max(need, min(max(len(ln) for ln in lines), max(TEXT_MIN, longest_word)))
            else:
                need = max(need, *(len(ln) for ln in lines))
        out.append(need)
    return out


def choose_layout(cols: Sequence[Col], rows: Sequence[Sequence[Cell]], width: int) -> Layout:
    """The first layout (wide, stacked, short, long) whose table fits in ``width`` columns."""
    has_est = any(isinstance(c, Est) for r in rows for c in r)
    has_short = any(c.short for c in cols)
    candidates: list[Layout] = ["wide"]
    if has_est:
        candidates.append("stacked")
    if has_short:
        candidates.append("short")
    for layout in candidates:
        if sum(_widths(cols, rows, layout)) + _overhead(len(cols)) <= width:
            return layout
    return "long"


def print_title(console: Console, title: str) -> None:
    """A title wrapped at spaces (never inside a name), left-aligned."""
    for line in textwrap.wrap(
        title, width=max(console.width, 20), break_long_words=False, break_on_hyphens=False
    ) or [""]:
        console.print(Text(line, style="bold"), soft_wrap=True)


def print_lines(console: Console, text: str, indent: str = "") -> None:
    """Plain text wrapped at spaces to the console's width."""
    for line in textwrap.wrap(
        text,
        width=max(console.width, 20),
        initial_indent=indent,
        subsequent_indent=indent + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    ):
        console.print(Text(line), soft_wrap=True, highlight=False)


def show(
    console: Console,
    title: str,
    cols: Sequence[Col],
    rows: Sequence[Sequence[Cell]],
    notes: Sequence[str] = (),
    layout: Layout | None = None,
) -> Layout:
    """Print a table in the first layout that fits; then its legend and ``notes``. Returns the
    layout used."""
    rows = [list(r) for r in rows]
    layout = layout or choose_layout(cols, rows, console.width)
    if title:
        print_title(console, title)
    if layout == "long":
        _print_long(console, cols, rows)
    else:
        stacked = layout != "wide"
        widths = _widths(cols, rows, layout)
        t = _table(stacked and any(isinstance(c, Est) for r in rows for c in r))
        for c, w in zip(cols, widths, strict=True):
            header = (c.short or c.header) if layout == "short" else c.header
            t.add_column(
                header,
                justify="left" if c.kind != "number" else "right",
                # cells never wrap: every column is at least as wide as its longest line;
                # headers wrap at spaces
                width=w if c.kind != "text" else None,
                min_width=min(w, TEXT_MIN) if c.kind == "text" else None,
                overflow="fold",
            )
        for r in rows:
            t.add_row(*[Text("\n".join(_cell_lines(cell, stacked))) for cell in r])
        console.print(t)
    coded = [c for c in cols if layout == "short" and c.short]
    for c in coded:
        same = c.meaning.replace(" ", "_") == c.header or not c.meaning
        text = f"{c.short}: {c.header}" + ("" if same else f" — {c.meaning}")
        print_lines(console, text + (f" (unit: {c.unit})" if c.unit else ""), "  ")
    units = [f"{c.header}: {c.unit}" for c in cols if c.unit and c not in coded]
    if units:
        print_lines(console, "units: " + "; ".join(units), "  ")
    for n in notes:
        print_lines(console, n)
    return layout


def _print_long(console: Console, cols: Sequence[Col], rows: list[list[Cell]]) -> None:
    key_w = min(max((len(c.header) for c in cols[1:]), default=0), console.width // 2)
    for r in rows:
        console.print(Text(" ".join(_cell_lines(r[0], False)), style="bold"), soft_wrap=True)
        for c, cell in zip(cols[1:], r[1:], strict=True):
            value = " ".join(_cell_lines(cell, False))
            print_lines(console, f"{c.header.ljust(key_w)}  {value}", "  ")


# ---- progress ---------------------------------------------------------------------------------
class LineProgress(Progress):
    """A rich progress bar on a terminal; piped, a plain line on stderr every ``every`` seconds
    (and at the start and the end), so a log shows the run is alive.

    Piped lines give the count and, once a tenth of the work after the first report is done, an
    estimate of the time left from the pace since the first report (start-up such as starting
    worker processes is not taken for the pace); work done before (:meth:`resume`) counts
    neither for the pace nor for the bar's own estimate."""

    def __init__(
        self, *columns: Any, every: float = 5.0, estimate: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*columns, **kwargs)
        self.plain = self.disable
        self.every = every
        self.estimate = estimate
        self._line_lock = threading.Lock()
        self._last: dict[TaskID, float] = {}
        self._t0: dict[TaskID, float] = {}
        self._first: dict[TaskID, tuple[float, float]] = {}  # (time, completed) of 1st report
        self._reports: dict[TaskID, int] = {}  # reports of progress since the first

    def start(self) -> None:
        super().start()
        if self.plain:  # a line every ``every`` seconds even while no work finishes
            self._stop = threading.Event()
            self._beat = threading.Thread(target=self._beats, daemon=True)
            self._beat.start()

    def stop(self) -> None:
        if self.plain and getattr(self, "_beat", None) is not None:
            self._stop.set()
            self._beat.join()
            self._beat = None
        super().stop()

    def _beats(self) -> None:
        while not self._stop.wait(self.every / 5):
            for task_id in list(self._tasks):
                if not self._tasks[task_id].finished:
                    self._maybe_line(task_id)

    def add_task(self, description: str, *args: Any, **kwargs: Any) -> TaskID:
        task = super().add_task(description, *args, **kwargs)
        if self.plain:
            self._t0[task] = self._last[task] = time.perf_counter()
            self._line(task)
        return task

    def resume(self, task_id: TaskID, completed: float) -> None:
        """Set the work already done (an earlier run's) without counting it as progress."""
        with self._lock:
            t = self._tasks[task_id]
            t.completed = completed
            t._progress.clear()
        self._t0[task_id] = time.perf_counter()
        self._first.pop(task_id, None)
        self._reports.pop(task_id, None)

    def update(self, task_id: TaskID, *args: Any, **kwargs: Any) -> None:
        before = self._tasks[task_id].completed
        super().update(task_id, *args, **kwargs)
        self._report(task_id, self._tasks[task_id].completed - before)

    def advance(self, task_id: TaskID, advance: float = 1) -> None:
        super().advance(task_id, advance)
        self._report(task_id, advance)

    def _report(self, task_id: TaskID, progress: float) -> None:
        if progress > 0 and task_id not in self._first:
            self._first[task_id] = (time.perf_counter(), self._tasks[task_id].completed)
        elif progress > 0:
            self._reports[task_id] = self._reports.get(task_id, 0) + 1
        if self.plain:
            self._maybe_line(task_id)

    def _maybe_line(self, task_id: TaskID) -> None:
        with self._line_lock:  # the main thread and the beat may both ask
            t = self._tasks[task_id]
            now = time.perf_counter()
            if now - self._last.get(task_id, 0.0) >= self.every or (
                t.total is not None and t.completed >= t.total and not t.fields.get("_said_done")
            ):
                self._last[task_id] = now
                if t.total is not None and t.completed >= t.total:
                    t.fields["_said_done"] = True
                self._line(task_id)

    def seconds_left(self, task_id: TaskID) -> float | None:
        """Time left at the pace since the first report; None until a tenth of the work after
        the first report is done or five more reports are in (a pace over one or two early
        reports of a chunked sweep was off by 2x)."""
        t = self._tasks[task_id]
        if not self.estimate or task_id not in self._first or t.total is None:
            return None
        t1, done1 = self._first[task_id]
        now, done = time.perf_counter(), t.completed
        enough = done - done1 >= 0.1 * (t.total - done1) or self._reports.get(task_id, 0) >= 5
        if done <= done1 or not enough or now <= t1 or done >= t.total:
            return None
        return (t.total - done) * (now - t1) / (done - done1)

    def _line(self, task_id: TaskID) -> None:
        t = self._tasks[task_id]
        elapsed = time.perf_counter() - self._t0.get(task_id, time.perf_counter())
        total = int(t.total) if t.total is not None else None
        done = int(t.completed)
        text = f"{t.description}: {done}" + (f" of {total}" if total is not None else "")
        text += f" ({elapsed:.0f} s"
        if (left := self.seconds_left(task_id)) is not None:
            text += f", about {left:.0f} s left"
        text += ")"
        self.console.print(text, highlight=False, soft_wrap=True)


# ---- the commands' tables ---------------------------------------------------------------------
CI_NOTE = (
    "[low, high]: 95% confidence interval (t interval over the paired replications: every "
    "scenario runs on the same seeds)."
)


def print_comparison(console: Console, result: Any, replications: int, seed: int) -> None:
    """``jusim compare``: one table per outcome (attainment, difference from the baseline, cost)."""
    df = result.table
    base = result.baseline
    cols = [
        Col("scenario", kind="name"),
        Col(
            "attainment",
            short="att",
            meaning="mean attainment at the horizon (1 = target met)",
            unit="share of target",
        ),
        Col(
            f"difference from {base}",
            short="diff",
            meaning=f"paired mean difference from {base}",
            unit="share of target",
        ),
        Col("verdict", kind="name"),
        Col("cost per case £k", short="£k/case", meaning="cumulative spend per case resolved"),
    ]
    for outcome, sub in df.groupby("outcome", sort=False):
        rows = []
        for r in sub.itertuples():
            is_base = r.scenario == base
            rows.append(
                [
                    r.scenario,
                    Est(r.mean, r.ci_low, r.ci_high),
                    "baseline"
                    if is_base
                    else Est(r.diff, r.diff_ci_low, r.diff_ci_high, signed=True),
                    "" if is_base else verdict(r.diff, r.diff_ci_low, r.diff_ci_high),
                    Est(r.cost_per_outcome, r.cost_ci_low, r.cost_ci_high, digits=0),
                ]
            )
        show(
            console,
            f"{outcome}: attainment at the horizon (1 = target met), {replications} paired "
            f"replications, seed {seed}",
            cols,
            rows,
        )
        console.print()
    print_lines(console, CI_NOTE)
    print_lines(console, VERDICT_NOTE)


def range_note(draws: int, seeds: int, ensemble: str) -> str:
    """What the brackets and the seed column mean in a comparison over a parameter ensemble."""
    return (
        f"[low, high]: the central 95% range over {draws} parameter draws x {seeds} seeds "
        f"({ensemble}): where single runs (differences: paired runs, same draw and seed) fall "
        "when both the uncertain parameters and chance vary; more runs do not narrow it. "
        "seed ±: the part from chance alone, 1.96 pooled within-draw standard deviations of "
        "the paired differences (the range if the parameters were known)."
    )


def print_ensemble_comparison(console: Console, result: Any, seed: int) -> None:
    """``jusim compare`` over a parameter ensemble: attainment and cost with their 95% ranges,
    the paired difference with its full 95% range and its chance-only half-width."""
    df = result.table
    base = result.baseline
    cols = [
        Col("scenario", kind="name"),
        Col(
            "attainment",
            short="att",
            meaning="mean attainment at the horizon [95% range]",
            unit="share of target",
        ),
        Col(
            f"difference from {base}",
            short="diff",
            meaning=f"mean paired difference from {base} [95% range]",
            unit="share of target",
        ),
        Col(
            "seed ±",
            short="seed",
            meaning="half-width of the difference's chance-only range",
            unit="share of target",
        ),
        Col("verdict", kind="name"),
        Col("cost per case £k", short="£k/case", meaning="spend per case resolved [95% range]"),
    ]
    for outcome, sub in df.groupby("outcome", sort=False):
        rows = []
        for r in sub.itertuples():
            is_base = r.scenario == base
            half = (r.seed_high - r.seed_low) / 2 if not is_base else None
            rows.append(
                [
                    r.scenario,
                    Est(r.mean, r.range_low, r.range_high),
                    "baseline" if is_base else Est(r.effect, r.low, r.high, signed=True),
                    "" if is_base else f"±{num(half, interval_digits(half, half))}",
                    "" if is_base else verdict(r.effect, r.low, r.high),
                    Est(r.cost_per_outcome, r.cost_range_low, r.cost_range_high, digits=0),
                ]
            )
        show(
            console,
            f"{outcome}: attainment at the horizon (1 = target met), {result.draws} parameter "
            f"draws x {result.seeds} paired seeds, seed {seed}",
            cols,
            rows,
        )
        console.print()
    print_lines(console, range_note(result.draws, result.seeds, result.ensemble.label))
    print_lines(console, VERDICT_NOTE)


def print_validation(console: Console, effects: Sequence[Any], replications: int, seed: int):
    """``jusim validate``: one row per effect."""
    cols = [
        Col("pattern", kind="name"),
        Col("measure", kind="text"),
        Col("mean [95% CI]", short="mean", meaning="effect size with its 95% interval"),
        Col("claim", kind="name", meaning="where the interval must lie: beyond the SESOI"),
        Col("holds", kind="name"),
    ]
    rows = [
        [
            e.pattern + (" control" if e.control else ""),
            e.measure,
            Est(e.mean, e.ci_low, e.ci_high, digits=3),
            getattr(e, "claim", "") or "direction",
            "yes" if e.holds else "NO",
        ]
        for e in effects
    ]
    show(
        console,
        f"Stylized facts, {replications} paired replications, seed {seed}",
        cols,
        rows,
        notes=[
            "A control row measures the same effect with the fact's mechanism switched off; "
            "'holds' there means the fact goes away, as it should.",
            "A row with a claim holds only if its interval lies beyond its smallest effect of "
            "interest (SESOI); docs/validation.md gives each SESOI's reason.",
            CI_NOTE,
        ],
    )


def print_scenarios(console: Console, folder: Any, scenarios: Sequence[tuple[str, str]], ivs):
    """``jusim scenarios``: the shipped files and the registered interventions."""
    show(
        console,
        f"Scenarios in {folder}",
        [Col("name", kind="name"), Col("description", kind="text")],
        scenarios,
    )
    console.print()
    show(
        console,
        "Interventions",
        [Col("type", kind="name"), Col("what it does", kind="text")],
        ivs,
    )


def print_frame(
    console: Console,
    df: Any,
    title: str,
    limit: int,
    meanings: dict[str, str] | None = None,
    prefixes: dict[str, str] | None = None,
    units: dict[str, str] | None = None,
    err: Console | None = None,
) -> None:
    """A data frame (``jusim results``): long headers get short codes and a legend when the
    table is too wide; numbers to 3 significant figures; ``units`` of columns in the legend.
    ``prefixes`` maps a column to the letter of its code (e.g. ``m`` for metrics); others get
    ``c``.

    Piped (``console`` not a terminal, ``err`` given): CSV with a header row on ``console``, full
    precision, for other tools; the title, the units and the count of rows left out go to
    ``err``."""
    import pandas as pd

    if err is not None and not console.is_terminal:
        print_title(err, title)
        named = [f"{c}: {units[c]}" for c in df.columns if units and units.get(c)]
        if named:
            print_lines(err, "units: " + "; ".join(named), "  ")
        console.file.write(df.head(limit).to_csv(index=False))
        if len(df) > limit:
            err.print(f"... {len(df) - limit} more rows (use --limit)", highlight=False)
        return
    meanings = meanings or {}
    prefixes = prefixes or {}
    units = units or {}
    counts: dict[str, int] = {}
    cols = []
    for c in df.columns:
        name = str(c)
        is_num = pd.api.types.is_numeric_dtype(df[c]) and df[c].dtype != bool
        short = None
        if len(name) > 8:
            p = prefixes.get(name, "c")
            counts[p] = counts.get(p, 0) + 1
            short = f"{p}{counts[p]}"
        cols.append(
            Col(
                name,
                short=short,
                meaning=meanings.get(name, ""),
                kind="number" if is_num else "name",
                unit=units.get(name, ""),
            )
        )
    rows = [list(r) for r in df.head(limit).itertuples(index=False)]
    show(console, title, cols, rows)
    if len(df) > limit:
        console.print(f"... {len(df) - limit} more rows (use --limit)")


def print_sensitivity(
    console: Console,
    table: Any,
    method: str,
    conf_level: float,
    labels: dict[str, str],
    advice: dict[str, str],
) -> None:
    """``jusim sensitivity``: one table per metric, then what is not resolved and why."""
    for m, sub in table.groupby("metric", sort=False):
        indices = list(dict.fromkeys(sub["index"]))
        cols = [Col("factor", kind="name")] + [Col(k) for k in indices]
        rows = []
        for f, frows in sub.groupby("factor", sort=False):
            cells: list[Cell] = [labels.get(f, f)]
            for k in indices:
                r = frows[frows["index"] == k].iloc[0]
                cells.append(
                    num(r.value, 3)
                    if math.isnan(r.conf)
                    else f"{num(r.value, 3)} ± {num(r.conf, 3)}"
                )
            rows.append(cells)
        notes = [advice[m]] if m in advice else []
        show(
            console,
            f"{m}: {method} indices, {round(conf_level * 100)}% confidence intervals",
            cols,
            rows,
            notes=notes,
        )
        console.print()


def print_discovery(console: Console, trajectory: Sequence[Any]) -> None:
    """``jusim discover``: the PRIM peeling trajectory, about ten steps of it."""
    step = max(1, len(trajectory) // 10)
    rows = [
        [i, f"{b.coverage:.0%}", f"{b.density:.0%}", b.n, ", ".join(b.limits) or DASH]
        for i, b in list(enumerate(trajectory))[::step]
    ]
    show(
        console,
        "PRIM peeling trajectory (coverage vs density)",
        [
            Col("step"),
            Col("coverage", meaning="share of all successful runs inside the box"),
            Col("density", meaning="share of runs inside the box that succeed"),
            Col("runs"),
            Col("restricted factors", kind="text"),
        ],
        rows,
        notes=[
            "coverage: share of all successful runs inside the box; density: share of the "
            "box's runs that succeed."
        ],
    )
