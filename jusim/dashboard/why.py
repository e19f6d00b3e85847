"""The dashboard's "Why" panel: ``jusim explain`` for the current levers against silo.

Runs on demand in a thread (it costs up to ``2^k x 2 x N`` runs for ``k`` mechanism groups in
play, stated on the button), with progress and cancel, and shows each group's contribution to the
attainment difference at the horizon as a table with 95% intervals. The numbers are those of
``jusim.explain`` on the same scenarios and seeds.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from typing import Any

import solara

from jusim.analysis.explain import Explanation, explain, players

REPLICATIONS = 5  # per coalition and arm: enough for an interval, quick enough for a workshop

why_job = solara.reactive(0)  # bumped to start an explanation
why_progress: solara.Reactive[tuple[int, int] | None] = solara.reactive(None)
why_result: solara.Reactive[Explanation | None] = solara.reactive(None)


class Cancelled(Exception):
    """Raised from the progress callback to stop a cancelled explanation."""


def explanation_html(ex: Explanation) -> str:
    e = html.escape
    t = ex.table()
    t = t[(t.measure == "attainment") & ~t.term.isin([g.key for g in ex.idle])]
    parts = [
        f"<p>{e(ex.scenario)} minus {e(ex.baseline)} at month {ex.horizon}: each mechanism "
        "group's share of the difference in attainment (Shapley value: its average effect over "
        "every order of switching the groups on, in both arms alike). The shares plus what is "
        f"left with every group off add up to the total. {e(ex.cost_note())}.</p>"
    ]
    for outcome, sub in t.groupby("outcome", sort=False):
        rows = "".join(
            f"<tr><td>{e(r.label)}</td><td><b>{r.mean:+.2f}</b></td>"
            f"<td>{r.ci_low:+.2f} to {r.ci_high:+.2f}</td></tr>"
            for r in sub.itertuples()
        )
        parts.append(
            f"<p><b>{e(outcome.replace('_', ' '))}</b></p><table class='jusim-table'><tr>"
            f"<th>mechanism group</th><th>share of the difference</th><th>95% interval</th></tr>"
            f"{rows}</table>"
        )
    return "".join(parts)


def run_why(
    current: Any,
    silo: Any,
    seed: int,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
    groups: list[str] | None = None,
) -> Explanation | None:
    """The explanation, or None if cancelled."""

    def tick(done: int, n: int) -> None:
        if cancelled():
            raise Cancelled
        progress(done, n)

    try:
        return explain(
            current, silo, replications=REPLICATIONS, seed=seed, groups=groups, progress=tick
        )
    except Cancelled:
        return None


@solara.component
def WhyPanel(
    current: Any, silo: Any, seed: int, on_cancel: Callable[[], None], lever_name: str
) -> None:
    k = len(players(current, silo)) if current is not None else 0
    running = why_progress.value is not None
    solara.Text(
        f"Why do these levers ({lever_name}) do better or worse than silo? Switch mechanism "
        "groups off in both arms and share out the difference."
    )
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(
            f"Explain: {k} groups, up to {(1 << k) * 2 * REPLICATIONS:,} runs",
            on_click=lambda: why_job.set(why_job.value + 1),
            disabled=running or current is None,
            outlined=True,
        )
        if running:
            solara.Button("Cancel", on_click=on_cancel, color="error", outlined=True)
    if running:
        done, n = why_progress.value or (0, 1)
        solara.ProgressLinear(100 * done / max(n, 1))
        solara.Text(f"{done} of {n} runs")
    ex = why_result.value
    if ex is not None and not running:
        solara.HTML(tag="div", unsafe_innerHTML=explanation_html(ex), classes=["jusim-panel"])


def why_worker(
    get_arms: Callable[[], tuple[Any, Any, int] | None],
    cancel_event: threading.Event,
    throttled: Callable[[Callable[[int, int], None]], Callable[[int, int], None]],
    on_error: Callable[[str], None],
) -> Callable[[threading.Event], None]:
    """The thread body for ``solara.use_thread`` (keyed on ``why_job``)."""

    def work(cancel: threading.Event) -> None:
        if why_job.value == 0:
            return
        arms = get_arms()
        if arms is None:
            return
        current, silo, seed = arms
        cancel_event.clear()
        why_progress.value = (0, 1)
        try:
            ex = run_why(
                current,
                silo,
                seed,
                throttled(lambda done, n: why_progress.set((done, n))),
                lambda: cancel.is_set() or cancel_event.is_set(),
            )
            if ex is not None:
                why_result.value = ex
        except Exception as e:
            on_error(f"Explain failed ({type(e).__name__}): {e}")
        finally:
            why_progress.value = None

    return work
