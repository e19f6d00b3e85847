"""The workshop page: ``jusim dashboard`` or ``solara run dashboards/workshop.py``.

One screen at 1280x720: levers on the left (hidden by the presenter switch); on the right the
title naming the lever set, Play and the month, one card per outcome, the outcome charts, and a
row of panels (network, replications, compare A vs B, save and export, agencies, evidence).

Live play is paced on rendered frames (``widgets.PlayClock``): the browser asks for the next month
only after it has drawn the last one, so a Pause or Step waits behind at most one month's work and
no horizon can pile up renders. Charts are drawn in the browser by ECharts (``charts.py``);
matplotlib is used only for the PNG export.

Per-tab state: the reactive variables below are module-level ``solara.reactive`` values, which
Solara stores per kernel — one kernel per browser tab — so one participant's levers never move
another's. The models live in a ``Session`` made once per page with ``use_memo``. Components read
only what they show, so a month of play re-renders the month, cards and charts, not the levers.

Nothing a participant does may kill the page: handlers run through ``guarded``, which turns a
``ScenarioError`` (impossible levers, bad files) into its message and any other exception into a
one-line message, never a stack trace. Nothing on the page is fetched from off the machine
(``offline.py``; no ``solara.Markdown``, which would load mermaid and KaTeX).
"""

from __future__ import annotations

import functools
import html
import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import solara

from jusim.dashboard.charts import network_option, nice_name, outcome_option
from jusim.dashboard.commands import SCENARIO_ENV
from jusim.dashboard.evidence import readable
from jusim.dashboard.levers import ContextLevers, InterventionLevers
from jusim.dashboard.offline import keep_offline
from jusim.dashboard.state import (
    Arms,
    Bands,
    Levers,
    agencies_csv,
    agency_frame,
    build_arms,
    compare_levers,
    data_csv,
    explanations,
    extra_interventions,
    headline,
    lever_message,
    lever_set_name,
    levers_for,
    load_base,
    outcome_numbers,
    run_replications,
)
from jusim.dashboard.views import charts_png, network_figure, outcome_figure
from jusim.dashboard.widgets import file_picker, play_clock
from jusim.scenario import ScenarioError, scenario_dir

keep_offline()  # before Solara's server starts its telemetry (it loads this module first)

# months a second -> the shortest time between frames (ms); "fastest": as fast as they are drawn
SPEEDS = {"1 / s": 1000, "2 / s": 500, "4 / s": 250, "8 / s": 125, "fastest": 0}
PANELS = ["Network", "Replications", "Compare A vs B", "Save & export", "Agencies", "Evidence"]

# -- per-tab (per-kernel) UI state -------------------------------------------------------------
levers: solara.Reactive[Levers | None] = solara.reactive(None)
message = solara.reactive("")  # an error to show on the page ("" = none)
notice = solara.reactive("")  # an informational line
version = solara.reactive(0)  # bumped whenever the models or bands change
playing = solara.reactive(False)
speed = solara.reactive("4 / s")
show_staff = solara.reactive(False)
presenter = solara.reactive(False)  # hide the levers: charts use the whole screen
panel = solara.reactive(PANELS[0])
rep_job = solara.reactive(0)  # bumped to start a replication run
rep_progress: solara.Reactive[tuple[int, int] | None] = solara.reactive(None)
compare_job = solara.reactive(0)  # bumped to start a comparison
compare_progress: solara.Reactive[tuple[int, int] | None] = solara.reactive(None)
pinned: solara.Reactive[Levers | None] = solara.reactive(None)  # settings "A" to compare
at_end = solara.reactive((False, 0))  # (the run has reached its horizon, the horizon)
path_text = solara.reactive("")

F = TypeVar("F", bound=Callable[..., Any])


def guarded(fn: F) -> F:
    """Run a handler; show ScenarioError text (or a short note of any other error) on the page."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ScenarioError as e:
            message.value = str(e)
        except Exception as e:  # the page must survive anything a participant does
            message.value = f"Something went wrong ({type(e).__name__}): {e}"
        return None

    return wrapper  # type: ignore[return-value]


class Session:
    """One tab's models: the base scenario, the two arms, bands and the last comparison."""

    def __init__(self, ref: str) -> None:
        self.lock = threading.RLock()
        self.cancel = threading.Event()
        self.bands: Bands | None = None
        self.comparison: Any = None
        self.compared: tuple[Levers, Levers] | None = None
        self.arms: Arms | None = None
        try:
            self.base = load_base(ref)
        except ScenarioError as e:  # the command checks the file; fall back all the same
            message.value = str(e)
            ref = "silo"
            self.base = load_base(ref)
        self.initial = levers_for(self.base, ref)
        self.rebuild(self.initial, month=0)
        at_end.value = (False, self.base.horizon)

    def rebuild(self, lv: Levers, month: int | None = None) -> None:
        """New arms for these levers, run to ``month`` (default: the current month).

        Raises ScenarioError for impossible settings; the old arms then stay.
        """
        current, silo = build_arms(self.base, lv)
        with self.lock:
            month = self.arms.month if month is None and self.arms is not None else month or 0
            # a lever change at the same month keeps the silo arm (it does not depend on them)
            same_month = self.arms is not None and self.arms.month == month
            keep = self.arms if same_month else None
            old, self.arms = self.arms, Arms(current, silo, seed=lv.seed, keep_silo=keep)
            self.arms.run_to(month)
            if old is not None:
                old.release()
            self.bands = None

    def release(self) -> None:
        with self.lock:
            if self.arms is not None:
                self.arms.release()
                self.arms = None


def shipped_scenarios() -> list[str]:
    return sorted(p.stem for p in scenario_dir().glob("*.toml"))


def current_levers(session: Session) -> Levers:
    return levers.value or session.initial


# -- actions ----------------------------------------------------------------------------------
def changed(session: Session) -> None:
    """The models moved: redraw what shows them (and the controls, if the end was reached)."""
    with session.lock:
        arms = session.arms
        at_end.value = (arms.done, arms.horizon) if arms is not None else (True, 0)
    version.value += 1


def set_levers(session: Session, lv: Levers) -> None:
    """Apply new levers: show them, and rebuild the arms or show why they are impossible."""
    levers.value = lv
    try:
        session.rebuild(lv)
    except ScenarioError as e:
        message.value = lever_message(e)
        return
    message.value = ""
    changed(session)


@guarded
def choose_scenario(session: Session, ref: str) -> None:
    """Load a scenario (shipped name or file path); keep the old one if it is bad."""
    base = load_base(ref)
    lv = current_levers(session)
    new = levers_for(base, ref, seed=lv.seed, replications=lv.replications)
    playing.value = False
    repeated = extra_interventions(base)
    with session.lock:
        session.base = base
        session.rebuild(new, month=0)
    notice.value = f"Scenario '{base.name}' loaded." + (
        f" It has several {', '.join(repeated)}: the levers control the first." if repeated else ""
    )
    levers.value = new
    message.value = ""
    changed(session)


@guarded
def load_levers_text(session: Session, text: str | bytes, source: str = "levers.json") -> None:
    """Reload saved levers (JSON); a bad file shows its problem and changes nothing."""
    lv = Levers.from_json(text, source)
    base = load_base(lv.scenario)
    build_arms(base, lv)  # check before changing anything
    session.base = base
    set_levers(session, lv)
    notice.value = f"Levers loaded from {source}."


@guarded
def step(session: Session, n: int = 1) -> None:
    with session.lock:
        if session.arms is not None:
            session.arms.step(n)
    changed(session)


@guarded
def reset(session: Session) -> None:
    playing.value = False
    session.rebuild(current_levers(session), month=0)
    changed(session)


@guarded
def play_tick(session: Session, frame: Any = None) -> None:
    """One month of live play: asked for by the browser once it has drawn the last month."""
    if not playing.value:
        return
    with session.lock:
        arms = session.arms
        if arms is None or arms.done:
            playing.value = False
            return
        arms.step()
        if arms.done:
            playing.value = False
    changed(session)


# -- background work (replications, comparison) --------------------------------------------------
def throttled(
    report: Callable[[int, int], None], every: float = 0.25
) -> Callable[[int, int], None]:
    """Pass on progress at most every ``every`` seconds (and always the last step)."""
    last = [0.0]

    def update(done: int, n: int) -> None:
        now = time.monotonic()
        if done == n or now - last[0] >= every:
            last[0] = now
            report(done, n)

    return update


@solara.component
def Replicator(session: Session) -> None:
    """Run N paired replications of both arms in a thread; progress and cancel on the page."""

    def work(cancel: threading.Event) -> None:
        if rep_job.value == 0:
            return
        lv = current_levers(session)
        with session.lock:
            if session.arms is None:
                return
            current, silo = session.arms.current_scenario, session.arms.silo_scenario
        session.cancel.clear()
        rep_progress.value = (0, lv.replications)
        try:
            bands = run_replications(
                current,
                silo,
                lv.replications,
                seed=lv.seed,
                progress=throttled(lambda done, n: rep_progress.set((done, n))),
                cancelled=lambda: cancel.is_set() or session.cancel.is_set(),
            )
        except Exception as e:
            message.value = f"Replications failed ({type(e).__name__}): {e}"
            bands = None
        finally:
            rep_progress.value = None
        if bands is not None:
            with session.lock:
                session.bands = bands
            notice.value = (
                f"Bands from {bands.n} of {bands.requested} replications"
                + (" (cancelled)." if bands.cancelled else ".")
                + (f" They run over parameter draws: {bands.ensemble}." if bands.ensemble else "")
            )
        else:
            notice.value = "Replications cancelled."
        changed(session)

    solara.use_thread(work, dependencies=[rep_job.value], intrusive_cancel=False)


@solara.component
def Comparer(session: Session) -> None:
    """Compare pinned settings A with the current levers B over paired replications."""

    def work(cancel: threading.Event) -> None:
        if compare_job.value == 0 or pinned.value is None:
            return
        a, b = pinned.value, current_levers(session)
        session.cancel.clear()
        compare_progress.value = (0, b.replications)
        try:
            table = compare_levers(
                session.base,
                a,
                b,
                replications=b.replications,
                progress=throttled(lambda done, n: compare_progress.set((done, n))),
                cancelled=lambda: cancel.is_set() or session.cancel.is_set(),
            )
            with session.lock:
                session.comparison, session.compared = table, (a, b)
        except ScenarioError as e:
            message.value = str(e)
        except Exception as e:
            message.value = f"Comparison failed ({type(e).__name__}): {e}"
        finally:
            compare_progress.value = None
        changed(session)

    solara.use_thread(work, dependencies=[compare_job.value], intrusive_cancel=False)


# -- formatting --------------------------------------------------------------------------------
def fmt(x: float, digits: int = 0, unit: str = "", suffix: str = "") -> str:
    """A number for a card; NaN (nothing to divide by) reads "n/a"."""
    if x != x:
        return "n/a"
    return f"{unit}{x:,.{digits}f}{suffix}"


def pct(x: float) -> str:
    return "n/a" if x != x else f"{100 * x:.0f}%"


def card_html(name: str, cur: dict[str, float], silo: dict[str, float], month: int) -> str:
    """One outcome's card: attainment against target, need now, cost per case resolved."""
    e = html.escape
    met = cur["need"] <= cur["target"]
    return (
        f'<div class="jusim-card-title">{e(nice_name(name))}</div>'
        f'<div class="jusim-card-big">{pct(cur["attainment"])} '
        f'<span class="jusim-card-small">of the way to target'
        f"{' (met)' if met else ''}; silo {pct(silo['attainment'])}</span></div>"
        f'<div class="jusim-card-line">Need now <b>{fmt(cur["need"])}</b> cases '
        f"(target {fmt(cur['target'])} by month {int(cur['deadline'])}); "
        f"silo {fmt(silo['need'])}</div>"
        f'<div class="jusim-card-line">Cost per case resolved '
        f"<b>{fmt(cur['cost_per_case'], 0, '£', 'k')}</b>; "
        f"silo {fmt(silo['cost_per_case'], 0, '£', 'k')}"
        f'<span class="jusim-card-small"> ({fmt(cur["resolved"])} vs {fmt(silo["resolved"])} '
        f"resolved by month {month})</span></div>"
    )


def system_card_html(cur: dict[str, float], silo: dict[str, float]) -> str:
    return (
        '<div class="jusim-card-title">Working together</div>'
        f'<div class="jusim-card-line">Trust between partners <b>{cur["trust"]:.2f}</b>; '
        f"silo {silo['trust']:.2f}</div>"
        f'<div class="jusim-card-line">Staff ties per head <b>{cur["tie_density"]:.2f}</b>; '
        f"silo {silo['tie_density']:.2f}</div>"
        f'<div class="jusim-card-line">Partnership overhead <b>£{cur["overhead"]:,.0f}k</b> '
        "so far</div>"
    )


# -- components -------------------------------------------------------------------------------
CSS = """
html, body { overflow-x: clip; }  /* clip, not hidden: the document scrolls, not the body */
.jusim-app { width: 100%; min-height: 100vh; flex-wrap: nowrap !important; align-items: stretch; }
.jusim-sidebar { flex: 0 0 320px; width: 320px; height: 100vh; overflow-y: auto; position: sticky;
  top: 0; padding: 6px 10px 40px 12px; border-right: 1px solid #ddd; background: #f7f7f7; }
.jusim-main { flex: 1 1 auto; min-width: 0; padding: 4px 12px 12px 12px; }
.jusim-sidebar h3, .jusim-section { font-size: 15px; font-weight: 700; margin: 10px 0 2px 0; }
.jusim-lever-label { font-size: 14px; line-height: 1.2; }
.jusim-summary { font-size: 13px; color: #555; line-height: 1.2; margin: 0 0 4px 0; }
.jusim-unit { font-size: 13px; color: #444; white-space: nowrap; }
.jusim-clamp { font-size: 13px; color: #b00020; }
.jusim-sidebar .v-input--switch { margin-top: 4px; }
.jusim-sidebar .v-input__slot { margin-bottom: 0 !important; }
.jusim-sidebar .v-messages, .jusim-sidebar .v-text-field__details { display: none; }
.jusim-sidebar .v-slider { margin: 0 !important; }
.jusim-sidebar .v-input { padding-top: 0 !important; margin-top: 0 !important; }
.jusim-sidebar .v-input input { font-size: 14px; }
.jusim-slider { margin-bottom: 4px; }
.jusim-sidebar .v-select, .jusim-sidebar .v-text-field { padding-top: 14px !important; }
.jusim-sidebar .v-text-field.jusim-number { padding-top: 0 !important; }
.jusim-number input { text-align: right; }
.jusim-title { font-size: 19px; font-weight: 600; line-height: 1.25; }
.jusim-title .jusim-levers-name { color: #1f77b4; }
.jusim-month { font-size: 20px; font-weight: 700; margin: 0 4px; white-space: nowrap; }
.jusim-speed .v-btn { min-width: 0 !important; padding: 0 8px !important; }
.jusim-cards { flex-wrap: nowrap !important; }
.jusim-card { flex: 1 1 0; min-width: 0; border: 1px solid #ddd; border-radius: 6px;
  padding: 5px 9px; background: #fff; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.jusim-card-title { font-size: 15px; font-weight: 700; }
.jusim-card-big { font-size: 20px; font-weight: 700; color: #1f77b4; line-height: 1.2; }
.jusim-card-line { font-size: 14px; line-height: 1.25; }
.jusim-card-small { font-size: 13px; font-weight: 400; color: #555; }
.jusim-charts { flex-wrap: nowrap !important; }
.jusim-charts > * { flex: 1 1 0; min-width: 0; }
.jusim-panel { font-size: 14px; }
.jusim-table { border-collapse: collapse; font-size: 14px; }
.jusim-table td, .jusim-table th { padding: 2px 8px; border-bottom: 1px solid #e5e5e5;
  text-align: right; }
.jusim-table td:first-child, .jusim-table th:first-child { text-align: left; }
.jusim-evidence p { margin: 0 0 8px 0; font-size: 14px; }
.jusim-busy { font-size: 14px; color: #444; }
.v-btn { text-transform: none !important; letter-spacing: normal !important; }
"""


@solara.component
def Layout(children: list[Any] = []) -> None:  # noqa: B006 (Solara's layout signature)
    """The page without Solara's app bar: all the height goes to the workshop."""
    solara.Column(children=children, gap="0px", style={"padding": "0", "width": "100%"})


class SessionLevers:
    """The lever controls' callbacks for one tab (``levers.LeverActions``): each applies a change
    to the levers as they are when it is called."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def apply(self, change: Callable[[Levers], Levers]) -> None:
        guarded(set_levers)(self.session, change(current_levers(self.session)))

    def enabled(self, kind: str, on: bool) -> None:
        self.apply(lambda lv: lv.with_enabled(kind, on))

    def param(self, kind: str, name: str, value: Any) -> None:
        self.apply(lambda lv: lv.with_param(kind, name, value))

    def context(self, **changes: Any) -> None:
        self.apply(lambda lv: lv.with_context(**changes))


@solara.component
def Sidebar(session: Session) -> None:
    lv = current_levers(session)
    on_levers = guarded(lambda new: set_levers(session, new))
    solara.Text("Scenario", classes=["jusim-section"])
    names = shipped_scenarios()
    solara.Select(
        "Shipped scenario",
        values=names,
        value=lv.scenario if lv.scenario in names else None,
        on_value=lambda ref: choose_scenario(session, ref),
        dense=True,
    )
    with solara.Row(gap="6px", style={"align-items": "center"}):
        solara.InputText("or a scenario file path", value=path_text, continuous_update=False)
        solara.Button(
            "Load",
            on_click=lambda: choose_scenario(session, path_text.value),
            outlined=True,
            small=True,
            classes=["jusim-load-file"],
        )
    solara.InputInt(
        "Random seed (the same seed replays the same run)",
        value=lv.seed,
        on_value=lambda v: on_levers(lv.with_context(seed=int(v or 0))),
    )
    solara.Text("What we cannot control", classes=["jusim-section"])
    actions = solara.use_memo(lambda: SessionLevers(session), [])
    ContextLevers(lv.churn_scale, lv.budget_change, actions)
    solara.Text("Interventions", classes=["jusim-section"])
    InterventionLevers(lv, session.base, actions)


@solara.component
def Header(session: Session) -> None:
    """The title names the scenario and the lever set; presenter mode hides the levers."""
    lv = current_levers(session)
    with solara.Row(style={"align-items": "center", "flex-wrap": "nowrap"}, gap="8px"):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=(
                f"{html.escape(nice_name(session.base.name))}: "
                f'<span class="jusim-levers-name">{html.escape(lever_set_name(lv))}</span>'
                + (" against silo behaviour" if any(lv.enabled.values()) else ": the silo baseline")
            ),
            classes=["jusim-title"],
            style={"flex": "1 1 auto"},
        )
        solara.Switch(label="Presenter view", value=presenter, classes=["jusim-presenter"])
    if message.value:
        solara.Error(message.value, classes=["jusim-error"], dense=True)
    elif notice.value:
        solara.Info(notice.value, dense=True, classes=["jusim-notice"])


@solara.component
def Busy() -> None:
    """What is running in the background, with its progress."""
    for label, progress in (("replications", rep_progress), ("comparison", compare_progress)):
        if progress.value is not None:
            done, n = progress.value
            with solara.Row(gap="6px", style={"align-items": "center"}, classes=["jusim-busy"]):
                solara.v.ProgressCircular(indeterminate=True, size=20, width=3, color="primary")
                solara.Text(f"{label} {done} of {n}")


@solara.component
def Controls(session: Session) -> None:
    """Play / Pause / Step / +12 / Run to end / Reset and the speed: re-rendered only when play
    starts or stops or the run reaches its end, not every month."""
    horizon = at_end.value[1]
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}, gap="6px"):
        Month(session)
        solara.Button(
            "Pause" if playing.value else "Play",
            icon_name="mdi-pause" if playing.value else "mdi-play",
            on_click=lambda: playing.set(not playing.value),
            disabled=at_end.value[0] and not playing.value,
            color="primary",
            classes=["jusim-play"],
        )
        solara.Button("Step", icon_name="mdi-skip-next", on_click=lambda: step(session))
        solara.Button("+12 months", on_click=lambda: step(session, 12))
        solara.Button("Run to end", on_click=lambda: step(session, horizon))
        solara.Button("Reset", icon_name="mdi-restore", on_click=lambda: reset(session))
        solara.ToggleButtonsSingle(
            value=speed, values=list(SPEEDS), dense=True, classes=["jusim-speed"]
        )
        Busy()


@solara.component
def Month(session: Session) -> None:
    """The month, and the clock that paces live play on drawn frames."""
    frame = version.value
    with session.lock:
        month, horizon = (session.arms.month, session.arms.horizon) if session.arms else (0, 0)
    solara.Text(
        f"month {month} of {horizon}", classes=["jusim-month"], style={"min-width": "150px"}
    )
    play_clock(playing.value, frame, SPEEDS.get(speed.value, 250), lambda f: play_tick(session, f))


@solara.component
def Live(session: Session) -> None:
    """Cards and outcome charts: what changes every month."""
    _ = version.value
    with session.lock:
        arms = session.arms
        if arms is None:
            return
        cur, silo = arms.results()
        horizon, month = arms.horizon, arms.month
        bands = session.bands
    cur_numbers, silo_numbers = outcome_numbers(cur), outcome_numbers(silo)
    with solara.Row(gap="8px", classes=["jusim-cards"], style={"margin": "6px 0"}):
        for name, c, s in zip(cur.outcomes, cur_numbers, silo_numbers, strict=True):
            solara.HTML(
                tag="div", unsafe_innerHTML=card_html(name, c, s, month), classes=["jusim-card"]
            )
        solara.HTML(
            tag="div",
            unsafe_innerHTML=system_card_html(headline(cur), headline(silo)),
            classes=["jusim-card"],
        )
    with solara.Row(gap="4px", classes=["jusim-charts"]):
        for k in range(len(cur.outcomes)):
            solara.FigureEcharts(
                outcome_option(cur, silo, k, horizon, bands),
                attributes={"style": "height: 250px; width: 100%", "class": "jusim-outcomes"},
                responsive=True,
            )


@solara.component
def NetworkPanel(session: Session) -> None:
    _ = version.value
    with session.lock:
        if session.arms is None:
            return
        option = network_option(session.arms.current, show_staff.value)
    solara.Switch(label="Show staff ties between agencies", value=show_staff)
    with solara.Div(classes=["jusim-network"]):
        solara.FigureEcharts(
            option, attributes={"style": "height: 430px; width: 100%"}, responsive=True
        )


@solara.component
def ReplicationsPanel(session: Session) -> None:
    lv = current_levers(session)
    on_levers = guarded(lambda new: set_levers(session, new))
    running = rep_progress.value is not None
    solara.Text(
        "Run the current levers and silo behaviour on N shared seeds: the charts then show the "
        "mean and 95% interval of need each month (bands), and the data export carries them."
    )
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.InputInt(
            "Replications N",
            value=lv.replications,
            on_value=lambda v: on_levers(
                lv.with_context(replications=max(2, min(int(v or 2), 500)))
            ),
            style={"max-width": "140px"},
        )
        solara.Button(
            f"Run {lv.replications} replications",
            on_click=lambda: rep_job.set(rep_job.value + 1),
            disabled=running,
            outlined=True,
        )
        if running:
            solara.Button("Cancel", on_click=session.cancel.set, color="error", outlined=True)
    if running:
        done, n = rep_progress.value or (0, 1)
        solara.ProgressLinear(100 * done / max(n, 1))
        solara.Text(f"{done} of {n} replications")


def _number(x: float, scale: float, sign: bool = False) -> str:
    """A table number with decimals suited to the measure's size (``scale``)."""
    if x != x:
        return "n/a"
    digits = 0 if scale >= 100 else 2 if scale >= 1 else 3
    return f"{x:{'+' if sign else ''},.{digits}f}"


def comparison_html(table: Any, a: Levers, b: Levers) -> str:
    e = html.escape
    rows = []
    for _, r in table.iterrows():
        scale = max(abs(r["A"]) if r["A"] == r["A"] else 0, abs(r["B"]) if r["B"] == r["B"] else 0)
        lo, hi = r["95% interval"], r["to"]
        interval = (
            "n/a" if lo != lo else f"{_number(lo, scale, True)} to {_number(hi, scale, True)}"
        )
        rows.append(
            f"<tr><td>{e(r['measure'])}</td><td>{_number(r['A'], scale)}</td>"
            f"<td>{_number(r['B'], scale)}</td><td><b>{_number(r['B − A'], scale, True)}</b></td>"
            f"<td>{interval}</td></tr>"
        )
    return (
        f"<p>A: {e(lever_set_name(a))}<br>B: {e(lever_set_name(b))}<br>At the horizon, over "
        f"{int(table['runs'].max()) if len(table) else 0} paired replications (the same seeds "
        "for A and B). The difference is B − A; an interval that excludes 0 is a difference "
        "the replications can tell apart.</p>"
        '<table class="jusim-table"><tr><th>measure</th><th>A</th><th>B</th><th>B − A</th>'
        f"<th>95% interval</th></tr>{''.join(rows)}</table>"
    )


@solara.component
def ComparePanel(session: Session) -> None:
    lv = current_levers(session)
    _ = version.value
    running = compare_progress.value is not None
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button("Pin these levers as A", on_click=lambda: pinned.set(lv), outlined=True)
        solara.Button(
            f"Compare A with the current levers (B), {lv.replications} replications",
            on_click=lambda: compare_job.set(compare_job.value + 1),
            disabled=pinned.value is None or running,
            outlined=True,
            classes=["jusim-compare"],
        )
    with session.lock:
        table, compared = session.comparison, session.compared
    if pinned.value is None:
        solara.Text("Pin a setting as A, change the levers, then compare.")
    elif compared is None or compared[0] != pinned.value:
        solara.Text(f"A: {lever_set_name(pinned.value)}")
    if running:
        done, n = compare_progress.value or (0, 1)
        solara.ProgressLinear(100 * done / max(n, 1))
    if table is not None and compared is not None:
        solara.HTML(
            tag="div", unsafe_innerHTML=comparison_html(table, *compared), classes=["jusim-panel"]
        )


def export_png(session: Session) -> bytes:
    """The network and outcome charts (matplotlib) captioned with the lever set and bands."""
    with session.lock:
        arms = session.arms
        if arms is None:
            return b""
        cur, silo = arms.results()
        net = network_figure(arms.current, show_staff.value)
        bands, horizon = session.bands, arms.horizon
    caption = f"{session.base.name}: {lever_set_name(current_levers(session))} vs silo"
    outcomes = outcome_figure(cur, silo, horizon, bands)
    outcomes.suptitle(
        caption + (f"; bands: mean and 95% interval, {bands.n} replications" if bands else ""),
        fontsize=9,
    )
    return charts_png(net, outcomes)


def export_csv(session: Session, agencies: bool = False) -> str:
    with session.lock:
        if session.arms is None:
            return ""
        cur, silo = session.arms.results()
        bands = session.bands
    lv = current_levers(session)
    return agencies_csv(cur, silo, lv) if agencies else data_csv(cur, silo, lv, bands)


@solara.component
def SaveExportPanel(session: Session) -> None:
    lv = current_levers(session)
    solara.Text(
        "Save the levers to reload them later (here or on another machine); exports carry the "
        "lever settings and, after replications, the bands."
    )
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
        solara.FileDownload(
            lambda: current_levers(session).to_json(),
            filename="levers.json",
            label="Save levers (JSON)",
        )
        file_picker("Load saved levers…", lambda f: load_levers_text(session, f["text"], f["name"]))
        solara.FileDownload(
            lambda: export_png(session),
            filename=f"jusim-charts-{lv.scenario}.png",
            label="Export charts (PNG)",
            mime_type="image/png",
        )
        solara.FileDownload(
            lambda: export_csv(session),
            filename="jusim-outcomes.csv",
            label="Export data (CSV)",
        )
        solara.FileDownload(
            lambda: export_csv(session, agencies=True),
            filename="jusim-agencies.csv",
            label="Export agencies (CSV)",
        )


@solara.component
def AgenciesPanel(session: Session) -> None:
    _ = version.value
    with session.lock:
        if session.arms is None:
            return
        table = agency_frame(session.arms.current)
    solara.Text("Each agency under the current levers at this month.")
    solara.HTML(
        tag="div",
        unsafe_innerHTML=table.to_html(index=False, classes="jusim-table", border=0),
        classes=["jusim-panel"],
    )


@solara.component
def EvidencePanel() -> None:
    """Plain language: what each lever does and the evidence behind it."""
    e = html.escape
    parts = [
        "<p><b>Staff turnover</b> multiplies every agency's usual turnover: relationships are "
        "carried by people, so high turnover erodes ties and trust.</p>",
        "<p><b>Budget change</b> is the real-terms change in budgets per year; cuts squeeze the "
        "discretionary money agencies can put into joint work.</p>",
        "<p><b>Silo behaviour</b> is the same world with no intervention: departmental budgets "
        "and credit.</p>",
    ]
    for item in explanations():
        parts.append(
            f"<p><b>{e(nice_name(item['name']))}</b>: {e(item['summary'])} "
            f"{e(item['explanation'])}<br><i>Evidence:</i> {e(readable(item['evidence']))}</p>"
        )
    solara.HTML(tag="div", unsafe_innerHTML="".join(parts), classes=["jusim-evidence"])


@solara.component
def Panels(session: Session) -> None:
    solara.ToggleButtonsSingle(value=panel, values=PANELS, classes=["jusim-panels"])
    with solara.Column(gap="6px", classes=["jusim-panel"], style={"padding-top": "6px"}):
        if panel.value == "Network":
            NetworkPanel(session)
        elif panel.value == "Replications":
            ReplicationsPanel(session)
        elif panel.value == "Compare A vs B":
            ComparePanel(session)
        elif panel.value == "Save & export":
            SaveExportPanel(session)
        elif panel.value == "Agencies":
            AgenciesPanel(session)
        else:
            EvidencePanel()


@solara.component
def Page() -> None:
    session = solara.use_memo(lambda: Session(os.environ.get(SCENARIO_ENV, "silo")), [])
    solara.use_effect(lambda: session.release, [])  # release the models when the tab closes
    with solara.Column(gap="0px", style={"padding": "0"}):  # no gaps above the page
        solara.Title("jusim workshop")
        solara.Style(CSS)
        Replicator(session)
        Comparer(session)
        with solara.Row(gap="0px", classes=["jusim-app"]):
            if not presenter.value:
                with solara.Column(gap="2px", classes=["jusim-sidebar"]):
                    Sidebar(session)
            with solara.Column(gap="2px", classes=["jusim-main"]):
                Header(session)
                Controls(session)
                Live(session)
                Panels(session)
