"""The Solara page rendered headless (no sidebar there), per-tab state and the CLI command."""

from __future__ import annotations

import os
import socket

import ipyvuetify as v
import solara

# Solara scopes reactive variables per kernel only when its server is loaded (as under
# `solara run`); without this import they would be process-global in the tests.
import solara.server.starlette
import typer
from solara.server import kernel, kernel_context
from typer.testing import CliRunner

import jusim.dashboard.app as app
from jusim.dashboard import commands


def new_kernel(name: str) -> kernel_context.VirtualKernelContext:
    return kernel_context.VirtualKernelContext(id=name, session_id=name, kernel=kernel.Kernel())


def button(rc, label: str):
    matches = [b for b in rc.find(v.Btn).widgets if label in b.children]
    assert len(matches) == 1, label
    return matches[0]


def month_text(rc) -> str:
    return rc.find(v.Html, class_="jusim-month").widget.children[0]


def test_reactive_state_is_per_kernel():
    """Module-level solara.reactive values are stored per kernel (one kernel per browser tab)."""
    assert solara._using_solara_server()
    one, two = new_kernel("tab-one"), new_kernel("tab-two")
    with one:
        app.show_staff.value = True
        app.message.value = "only in tab one"
    with two:
        assert app.show_staff.value is False
        assert app.message.value == ""
        app.message.value = "tab two"
    with one:
        assert app.show_staff.value is True
        assert app.message.value == "only in tab one"


def test_page_steps_and_two_tabs_have_their_own_models():
    one, two = new_kernel("page-one"), new_kernel("page-two")
    with one:
        _, rc1 = solara.render(app.Page(), handle_error=False)
        assert month_text(rc1).startswith("month 0 of")
        button(rc1, "Step").click()
        assert month_text(rc1).startswith("month 1 of")
        button(rc1, "+12 months").click()
        assert month_text(rc1).startswith("month 13 of")
    with two:
        _, rc2 = solara.render(app.Page(), handle_error=False)
        assert month_text(rc2).startswith("month 0 of")
        button(rc2, "Step").click()
    with one:
        assert month_text(rc1).startswith("month 13 of")
        button(rc1, "Reset").click()
        assert month_text(rc1).startswith("month 0 of")
        rc1.close()
    with two:
        assert month_text(rc2).startswith("month 1 of")
        rc2.close()


def test_levers_bad_files_and_impossible_settings_show_messages():
    ctx = new_kernel("errors")
    with ctx:
        session = app.Session("silo")
        try:
            lv = session.initial
            app.set_levers(session, lv.with_enabled("pooled_budget", True))
            assert app.message.value == ""
            assert [iv.name for iv in session.arms.current_scenario.interventions] == [
                "pooled_budget"
            ]
            good_arms = session.arms
            app.set_levers(
                session,
                lv.with_enabled("pooled_budget", True).with_param("pooled_budget", "share", 2.0),
            )
            assert "share" in app.message.value
            assert session.arms is good_arms  # the last good models stay
            app.choose_scenario(session, "/no/such/scenario.toml")
            assert "/no/such/scenario.toml" in app.message.value
            app.load_levers_text(session, "{broken", "mine.json")
            assert "mine.json" in app.message.value
            app.choose_scenario(session, "sponsorship")
            assert app.message.value == ""
            assert session.base.name == "sponsorship"
            assert (app.levers.value or session.initial).enabled["sponsorship"]
            saved = app.levers.value.with_param("sponsorship", "lost_at", 18).to_json()
            app.load_levers_text(session, saved, "saved.json")
            assert app.message.value == ""
            assert session.arms.current_scenario.interventions[0].lost_at == 18
        finally:
            session.release()


def test_guarded_handler_never_raises():
    ctx = new_kernel("guarded")
    with ctx:

        @app.guarded
        def boom() -> None:
            raise RuntimeError("kaput")

        boom()
        assert "kaput" in app.message.value and "Traceback" not in app.message.value


def _cli(monkeypatch, calls):
    monkeypatch.setattr(
        commands, "serve", lambda host, port, scenario, sock: calls.append((host, port, scenario))
    )
    monkeypatch.setattr(commands.os, "_exit", lambda code: calls.append(("exit", code)))
    cli = typer.Typer()
    commands.register(cli)
    cli.command("noop")(lambda: None)  # keep typer in multi-command mode
    return cli


def test_dashboard_command_binds_loopback_by_default(monkeypatch):
    calls: list = []
    cli = _cli(monkeypatch, calls)
    with socket.socket() as s:  # a free port
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = CliRunner().invoke(cli, ["dashboard", "sponsorship", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert calls[0] == ("127.0.0.1", port, "sponsorship")
    assert calls[1] == ("exit", 0)  # nothing left running once the server stops
    CliRunner().invoke(cli, ["dashboard", "--host", "0.0.0.0", "--port", "0"])
    assert calls[2][0] == "0.0.0.0"


def test_dashboard_command_rejects_bad_scenario(monkeypatch, tmp_path):
    calls: list = []
    cli = _cli(monkeypatch, calls)
    result = CliRunner().invoke(cli, ["dashboard", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert calls == []


def test_every_entry_point_keeps_solara_offline(monkeypatch):
    """Importing the page (what `solara run dashboards/workshop.py` and `jusim dashboard` both
    do before Solara's server starts) switches telemetry, the call-home check, the CDN fallback
    and the badge off."""
    import importlib.util
    from pathlib import Path

    import solara.checks
    import solara.settings
    from solara.server import settings as server_settings

    from jusim.dashboard import offline

    monkeypatch.setattr(server_settings.telemetry, "mixpanel_enable", True)
    monkeypatch.setattr(server_settings.theme, "show_banner", True)
    monkeypatch.setattr(solara.settings.assets, "cdn", "https://cdn.jsdelivr.net/npm/")
    monkeypatch.setattr(solara.checks, "should_perform_solara_check", lambda: True)
    for key in offline.ENVIRONMENT:
        monkeypatch.delenv(key, raising=False)
    path = Path(__file__).parents[1] / "dashboards" / "workshop.py"
    spec = importlib.util.spec_from_file_location("workshop_entry", path)
    module = importlib.util.module_from_spec(spec)
    importlib.reload(app)  # the page module runs keep_offline() when it loads
    spec.loader.exec_module(module)
    assert module.Page is app.Page and module.Layout is app.Layout
    assert server_settings.telemetry.mixpanel_enable is False
    assert server_settings.theme.show_banner is False
    assert solara.settings.assets.cdn.startswith("http://127.0.0.1:")
    assert solara.checks.should_perform_solara_check() is False
    assert os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
