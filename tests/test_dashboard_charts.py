"""Browser-side chart specifications, readable evidence citations and paced live play."""

from __future__ import annotations

import json

import ipyvuetify as v
import numpy as np
import solara
import solara.server.starlette
from solara.server import kernel, kernel_context

import jusim.dashboard.app as app
from jusim.dashboard.charts import FONT, network_option, outcome_option
from jusim.dashboard.evidence import SOURCES, readable
from jusim.dashboard.state import Arms, build_arms, levers_for, load_base, run_replications
from jusim.dashboard.widgets import PlayClock
from jusim.interventions import REGISTRY


def _font_sizes(option) -> list[float]:
    found = []

    def walk(x):
        if isinstance(x, dict):
            for k, val in x.items():
                if k == "fontSize":
                    found.append(val)
                walk(val)
        elif isinstance(x, list):
            for val in x:
                walk(val)

    walk(option)
    return found


def test_outcome_chart_has_both_arms_target_deadline_and_bands():
    base = load_base("silo")
    current, silo = build_arms(base, levers_for(base, "silo").with_enabled("pooled_budget", True))
    arms = Arms(current, silo)
    try:
        arms.run_to(10)
        cur, sil = arms.results()
        option = outcome_option(cur, sil, 0, arms.horizon)
        names = [s["name"] for s in option["series"]]
        assert names == ["silo", "levers"]
        assert option["series"][1]["data"] == [round(float(x), 2) for x in cur.series["need"][:, 0]]
        marks = {m["name"]: m for m in option["series"][1]["markLine"]["data"]}
        assert marks["target"]["yAxis"] == float(cur.target[0])
        assert marks["deadline"]["xAxis"] == str(int(cur.deadline[0]))
        assert len(option["xAxis"]["data"]) == arms.horizon + 1
        assert min(_font_sizes(option)) >= 14
        json.dumps(option)  # what travels to the browser must be plain JSON
        bands = run_replications(current, silo, 3, seed=1)
        banded = outcome_option(cur, sil, 0, arms.horizon, bands)
        stacked = [s for s in banded["series"] if s.get("stack") == "band-current"]
        lo, width = stacked[0]["data"], stacked[1]["data"]
        _, blo, bhi = (x[:, 0] for x in bands.need["current"])
        np.testing.assert_allclose(lo, np.round(blo, 2))
        np.testing.assert_allclose(width, np.round(bhi - blo, 2), atol=0.02)
        net = network_option(arms.current, show_staff=True)
        assert len(net["series"][0]["data"]) == len(current.agency_names)
        assert min(_font_sizes(net)) >= FONT
        json.dumps(net)
    finally:
        arms.release()


def test_evidence_names_reports_not_files():
    for cls in REGISTRY.values():
        text = readable(cls.evidence)
        assert ".txt" not in text, cls.name
    assert readable("002_5677c7bae92002df.txt ¶9") == (
        "'Joining Up to Improve Public Services' (National Audit Office, 2001) ¶9"
    )
    assert readable("001 ¶79").endswith("2004) ¶79")
    assert set(SOURCES) == {"000", "001", "002", "003", "004"}


def _month(rc) -> str:
    return rc.find(v.Html, class_="jusim-month").widget.children[0]


def test_play_steps_one_month_per_drawn_frame_and_pause_holds():
    ctx = kernel_context.VirtualKernelContext(id="play", session_id="play", kernel=kernel.Kernel())
    with ctx:
        _, rc = solara.render(app.Page(), handle_error=False)
        clock = rc.find(PlayClock).widget
        assert clock.playing is False
        play = next(b for b in rc.find(v.Btn).widgets if "Play" in b.children)
        play.click()
        assert clock.playing is True
        frame = clock.frame
        clock.vue_tick(frame)  # the browser drew a frame and asks for the next month
        assert _month(rc).startswith("month 1 of")
        assert clock.frame != frame  # the next request waits for this new frame
        clock.vue_tick(clock.frame)
        assert _month(rc).startswith("month 2 of")
        pause = next(b for b in rc.find(v.Btn).widgets if "Pause" in b.children)
        pause.click()
        assert clock.playing is False
        clock.vue_tick(clock.frame)  # a request already on its way when Pause was pressed
        assert _month(rc).startswith("month 2 of")
        # play to the end: play stops by itself at the horizon, with no error
        next(b for b in rc.find(v.Btn).widgets if "Play" in b.children).click()
        horizon = int(_month(rc).split()[-1])
        for _ in range(horizon + 5):
            clock.vue_tick(clock.frame)
        assert _month(rc) == f"month {horizon} of {horizon}"
        assert clock.playing is False
        assert not app.message.value
        rc.close()
