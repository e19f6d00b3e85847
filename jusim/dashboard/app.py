"""The workshop page: ``solara run jusim.dashboard.app`` (or ``jusim dashboard``).

Per-tab state: the reactive variables below are module-level ``solara.reactive`` values, which
Solara stores per kernel — one kernel per browser tab — so one participant's levers never move
another's (tests/test_dashboard_app.py checks this in two kernel contexts, and the browser test in
two tabs). The models themselves live in a ``Session`` made once per page with ``use_memo``.

Nothing a participant does may kill the page: handlers run through ``guarded``, which turns a
``ScenarioError`` (impossible levers, bad files) into its message and any other exception into a
one-line message, never a stack trace.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import solara

from jusim.dashboard.commands import SCENARIO_ENV
from jusim.dashboard.levers import ContextLevers, InterventionLevers
from jusim.dashboard.state import (
    HEADLINES,
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
    levers_for,
    load_base,
    run_replications,
)
from jusim.dashboard.views import charts_png, figure_png, network_figure, outcome_figure
from jusim.scenario import ScenarioError, scenario_dir

PLAY_INTERVAL = 0.3  # seconds between months in play mode

# -- per-tab (per-kernel) UI state -------------------------------------------------------------
levers: solara.Reactive[Levers | None] = solara.reactive(None)
message = solara.reactive("")  # an error to show on the page ("" = none)
notice = solara.reactive("")  # an informational line
version = solara.reactive(0)  # bumped whenever the models or bands change
playing = solara.reactive(False)
show_staff = solara.reactive(False)
rep_job = solara.reactive(0)  # bumped to start a replication run
rep_progress: solara.Reactive[tuple[int, int] | None] = solara.reactive(None)
pinned: solara.Reactive[Levers | None] = solara.reactive(None)  # settings "A" to compare
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
        self.arms: Arms | None = None
        try:
            self.base = load_base(ref)
        except ScenarioError as e:  # the command checks the file; fall back all the same
            message.value = str(e)
            ref = "silo"
            self.base = load_base(ref)
        self.initial = levers_for(self.base, ref)
        self.rebuild(self.initial, month=0)

    def rebuild(self, lv: Levers, month: int | None = None) -> None:
        """New arms for these levers, run to ``month`` (default: the current month).

        Raises ScenarioError for impossible settings; the old arms then stay.
        """
        current, silo = build_arms(self.base, lv)
        with self.lock:
            month = self.arms.month if month is None and self.arms is not None else month or 0
            old, self.arms = self.arms, Arms(current, silo, seed=lv.seed)
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


# -- actions ----------------------------------------------------------------------------------
def set_levers(session: Session, lv: Levers) -> None:
    """Apply new levers: show them, and rebuild the arms or show why they are impossible."""
    levers.value = lv
    try:
        session.rebuild(lv)
    except ScenarioError as e:
        message.value = str(e)
        return
    message.value = ""
    version.value += 1


@guarded
def choose_scenario(session: Session, ref: str) -> None:
    """Load a scenario (shipped name or file path); keep the old one if it is bad."""
    base = load_base(ref)
    lv = levers.value or session.initial
    new = levers_for(base, ref, seed=lv.seed, replications=lv.replications)
    session.base = base
    playing.value = False
    repeated = extra_interventions(base)
    notice.value = f"Scenario '{base.name}' loaded." + (
        f" It has several {', '.join(repeated)}: the levers control the first." if repeated else ""
    )
    session.rebuild(new, month=0)
    levers.value = new
    message.value = ""
    version.value += 1


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
    version.value += 1


@guarded
def reset(session: Session) -> None:
    playing.value = False
    session.rebuild(levers.value or session.initial, month=0)
    version.value += 1


@guarded
def compare_with_pinned(session: Session) -> None:
    a, b = pinned.value, levers.value or session.initial
    if a is None:
        notice.value = "Pin a setting as A first."
        return
    session.comparison = compare_levers(session.base, a, b, replications=min(b.replications, 10))
    version.value += 1


# -- components -------------------------------------------------------------------------------
@solara.component
def Player(session: Session) -> None:
    """Play mode: step both arms every PLAY_INTERVAL seconds in a thread until paused."""

    def loop(cancel: threading.Event) -> None:
        while playing.value and not cancel.is_set():
            with session.lock:
                arms = session.arms
                if arms is None or arms.done:
                    playing.value = False
                    break
                arms.step()
            version.value += 1
            cancel.wait(PLAY_INTERVAL)

    solara.use_thread(loop, dependencies=[playing.value], intrusive_cancel=False)


@solara.component
def Replicator(session: Session) -> None:
    """Run N paired replications of both arms in a thread; progress and cancel on the page."""

    def work(cancel: threading.Event) -> None:
        if rep_job.value == 0:
            return
        lv = levers.value or session.initial
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
                progress=lambda done, n: rep_progress.set((done, n)),
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
            notice.value = f"Bands from {bands.n} of {bands.requested} replications" + (
                " (cancelled)." if bands.cancelled else "."
            )
        else:
            notice.value = "Replications cancelled."
        version.value += 1

    solara.use_thread(work, dependencies=[rep_job.value], intrusive_cancel=False)


def _fmt(x: float, digits: int) -> str:
    return "–" if x != x else f"{x:,.{digits}f}"  # NaN (nothing resolved yet) shows a dash


@solara.component
def Cards(current: dict[str, float], silo: dict[str, float]) -> None:
    """Headline cards: current levers against silo behaviour at this month."""
    short = {
        "attainment": "Attainment",
        "cost_per_outcome": "Cost per case £k",
        "trust": "Trust density",
        "tie_density": "Staff ties / head",
        "overhead": "Overhead £k",
    }
    with solara.Row(style={"flex-wrap": "wrap"}):
        for key, title in short.items():
            digits = 0 if key in ("cost_per_outcome", "overhead") else 2
            c, s = _fmt(current[key], digits), _fmt(silo[key], digits)
            with solara.Card(title, margin=1, classes=["jusim-card"], style={"min-width": "170px"}):
                solara.Markdown(f"**{c}** with levers  \nsilo {s}", style={"font-size": "1.05em"})
                solara.Text(HEADLINES[key], style={"font-size": "0.75em", "color": "#666"})


@solara.component
def Explanations() -> None:
    """Plain language: what each lever does and the evidence behind it."""
    with solara.Details("What the levers do, and the evidence", expand=False):
        solara.Markdown(
            "**churn scale** multiplies every agency's staff turnover: relationships are carried "
            "by people, so high churn erodes ties and trust.  \n"
            "**budget change** is the real-terms change in budgets per year; cuts squeeze the "
            "discretionary money agencies can put into joint work.  \n"
            "**silo** is the same world with no intervention: departmental budgets and credit."
        )
        for item in explanations():
            solara.Markdown(
                f"**{item['name'].replace('_', ' ')}** — {item['summary']}  \n"
                f"{item['explanation']}  \n*Evidence:* {item['evidence']}"
            )


@solara.component
def Sidebar(session: Session, lv: Levers) -> None:
    on_levers = guarded(lambda new: set_levers(session, new))
    solara.Markdown("### Scenario")
    names = shipped_scenarios()
    solara.Select(
        "shipped scenario",
        values=names,
        value=lv.scenario if lv.scenario in names else None,
        on_value=lambda ref: choose_scenario(session, ref),
    )
    with solara.Row():
        solara.InputText("or a scenario file path", value=path_text, dense=True)
        solara.Button(
            "Load",
            on_click=lambda: choose_scenario(session, path_text.value),
            outlined=True,
            classes=["jusim-load-file"],
        )
    solara.InputInt(
        "seed",
        value=lv.seed,
        on_value=lambda v: on_levers(lv.with_context(seed=int(v or 0))),
        dense=True,
    )
    solara.Markdown("### Uncertainties")
    ContextLevers(lv, on_levers)
    solara.Markdown("### Interventions")
    InterventionLevers(lv, on_levers, session.base)
    solara.Markdown("### Save and reload levers")
    solara.FileDownload(
        lambda: (levers.value or lv).to_json(), filename="levers.json", label="Save levers (JSON)"
    )
    solara.FileDrop(
        label="Drop a saved levers.json here to reload it",
        on_file=lambda f: load_levers_text(session, f["data"], f["name"]),
        lazy=False,
    )


@solara.component
def Controls(session: Session, lv: Levers, month: int) -> None:
    """Play / pause / step / reset; ``month`` is passed so the row re-renders as it moves."""
    arms = session.arms
    horizon = arms.horizon if arms else 0
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(
            "Pause" if playing.value else "Play",
            icon_name="mdi-pause" if playing.value else "mdi-play",
            on_click=lambda: playing.set(not playing.value),
            disabled=arms is None or arms.done,
            color="primary",
        )
        solara.Button("Step", icon_name="mdi-skip-next", on_click=lambda: step(session))
        solara.Button("+12 months", on_click=lambda: step(session, 12))
        solara.Button("Run to end", on_click=lambda: step(session, horizon))
        solara.Button("Reset", icon_name="mdi-restore", on_click=lambda: reset(session))
        solara.Text(f"month {month} of {horizon}", classes=["jusim-month"])
        solara.Switch(label="show staff ties", value=show_staff)


@solara.component
def Replications(session: Session, lv: Levers) -> None:
    on_levers = guarded(lambda new: set_levers(session, new))
    running = rep_progress.value is not None
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.InputInt(
            "replications N",
            value=lv.replications,
            on_value=lambda v: on_levers(
                lv.with_context(replications=max(2, min(int(v or 2), 500)))
            ),
            dense=True,
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


@solara.component
def Compare(session: Session, lv: Levers, generation: int) -> None:
    """Pin settings A, compare with the current ones; ``generation`` forces a re-render."""
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button("Pin these levers as A", on_click=lambda: pinned.set(lv), outlined=True)
        solara.Button(
            "Compare A with current levers (B)",
            on_click=lambda: compare_with_pinned(session),
            disabled=pinned.value is None,
            outlined=True,
        )
    if pinned.value is not None:
        on = [k for k, v in pinned.value.enabled.items() if v] or ["no intervention"]
        solara.Text(
            f"A: {', '.join(on)}; churn ×{pinned.value.churn_scale}, seed {pinned.value.seed}"
        )
    if session.comparison is not None:
        solara.Text(
            f"At the horizon, mean of {min(lv.replications, 10)} paired replications on A's seed:"
        )
        solara.DataFrame(session.comparison.round(3), items_per_page=10)


@solara.component
def Page() -> None:
    session = solara.use_memo(lambda: Session(os.environ.get(SCENARIO_ENV, "silo")), [])
    solara.use_effect(lambda: session.release, [])  # release the models when the tab closes
    lv = levers.value or session.initial
    _ = version.value  # re-render on every model change
    solara.Title("jusim workshop")
    Player(session)
    Replicator(session)
    with solara.Sidebar():
        Sidebar(session, lv)

    with session.lock:
        arms = session.arms
        cur, silo = arms.results() if arms else (None, None)
        net = network_figure(arms.current, show_staff.value) if arms else None
        bands = session.bands
        table = agency_frame(arms.current) if arms else None
        horizon = arms.horizon if arms else 0

    solara.Markdown(f"## jusim workshop — {session.base.name}: levers against silo behaviour")
    if message.value:
        solara.Error(message.value, classes=["jusim-error"])
    if notice.value:
        solara.Info(notice.value, dense=True)
    Controls(session, lv, session.arms.month if session.arms else 0)
    if cur is None or silo is None or net is None:
        return
    Cards(headline(cur), headline(silo))
    outcomes = outcome_figure(cur, silo, horizon, bands)
    solara.Image(figure_png(outcomes), classes=["jusim-outcomes"], width="100%")
    Replications(session, lv)
    with solara.Columns([1, 1]):
        solara.Image(figure_png(net), classes=["jusim-network"], width="100%")
        with solara.Column():
            solara.Markdown("### Agencies (current levers)")
            solara.DataFrame(table, items_per_page=12)
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.FileDownload(
            lambda: charts_png(net, outcomes),
            filename=f"jusim-charts-month{cur.months[-1]}.png",
            label="Export charts (PNG)",
            mime_type="image/png",
        )
        solara.FileDownload(
            lambda: data_csv(cur, silo), filename="jusim-outcomes.csv", label="Export data (CSV)"
        )
        solara.FileDownload(
            lambda: agencies_csv(cur, silo),
            filename="jusim-agencies.csv",
            label="Export agencies (CSV)",
        )
    solara.Markdown("### Compare two lever settings")
    Compare(session, lv, version.value)
    Explanations()
