"""The dashboard's Why panel (jusim/dashboard/why.py): explain for the current levers."""

from __future__ import annotations

import ipyvuetify as v
import solara
import solara.server.starlette  # reactive values per kernel, as under solara run
from solara.server import kernel, kernel_context

import jusim
import jusim.dashboard.app as app
from jusim.dashboard.why import explanation_html, run_why


def test_why_tab_offers_explain_with_its_cost():
    ctx = kernel_context.VirtualKernelContext(id="why", session_id="why", kernel=kernel.Kernel())
    with ctx:
        _, rc = solara.render(app.Page(), handle_error=False)
        app.panel.value = "Why"
        labels = [b.children[0] for b in rc.find(v.Btn).widgets if b.children]
        assert any(str(x).startswith("Explain: ") and "runs" in str(x) for x in labels), labels


def test_run_why_matches_explain_and_can_be_cancelled():
    cur = jusim.as_scenario("pooled_budget").with_overrides({"horizon": 12})
    silo = jusim.as_scenario("silo").with_overrides({"horizon": 12})
    seen = []
    ex = run_why(cur, silo, 3, lambda d, n: seen.append((d, n)), lambda: False, ["money"])
    assert ex is not None and seen[-1][0] == seen[-1][1] == ex.runs
    direct = jusim.explain(cur, silo, replications=5, seed=3, groups=["money"])
    assert (ex.total == direct.total).all()
    page = explanation_html(ex)
    assert "money and pooled budgets" in page and "total difference" in page
    assert run_why(cur, silo, 3, lambda d, n: None, lambda: True, ["money"]) is None
