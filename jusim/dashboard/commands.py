"""``jusim dashboard [SCENARIO] [--port P] [--host H]``: serve the workshop dashboard.

Serves ``jusim.dashboard.app`` (the page ``dashboards/workshop.py`` also serves) with Solara's
server in this process — production mode, no auto-reload, no browser opened, on 127.0.0.1 unless
``--host`` says otherwise, with Solara's telemetry and every other off-machine call switched off
(``offline.keep_offline``). Because the server runs in this process, SIGTERM or SIGINT (Ctrl+C)
stops it and frees the port: there is no child process to leave behind. Open browser tabs get
``GRACE`` seconds to let go before the server closes them. The scenario is checked first, so a bad
file is an error on the command line rather than on the page.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Annotated

import typer

SCENARIO_ENV = "JUSIM_DASHBOARD_SCENARIO"  # the app reads the starting scenario from here
APP = "jusim.dashboard.app"
GRACE = 2  # seconds open websockets get on shutdown (uvicorn would otherwise wait for them)


def serve(host: str, port: int, scenario: str) -> None:
    """Run the dashboard server in this process until SIGTERM/SIGINT; returns when it stopped."""
    from jusim.dashboard.offline import keep_offline

    keep_offline()
    os.environ[SCENARIO_ENV] = scenario
    # what `solara run` sets before Solara's server module loads the app
    os.environ["SOLARA_APP"] = APP
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = host, str(port)
    from solara.server import settings

    settings.main.mode = "production"
    warm_up(scenario)
    import uvicorn

    config = uvicorn.Config(
        "solara.server.starlette:app",
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=GRACE,
    )
    uvicorn.Server(config).run()


def warm_up(scenario: str) -> None:
    """Load the page's code and run a month of the scenario once, before the server is up, so
    the first page does not pay for imports and compiled-kernel loading."""
    import jusim.dashboard.app  # noqa: F401
    from jusim.dashboard.state import Arms, build_arms, levers_for, load_base

    base = load_base(scenario)
    arms = Arms(*build_arms(base, levers_for(base, scenario)))
    arms.step(1)
    arms.results()
    arms.release()


def register(app: typer.Typer) -> None:
    """Add the ``dashboard`` command to the jusim CLI."""

    @app.command("dashboard")
    def dashboard_cmd(
        scenario: Annotated[
            str, typer.Argument(help="scenario file or shipped name to start from")
        ] = "silo",
        port: Annotated[int, typer.Option(min=0, max=65535, help="port to serve on")] = 8765,
        host: Annotated[
            str,
            typer.Option(help="interface to bind; other than 127.0.0.1 exposes the dashboard"),
        ] = "127.0.0.1",
    ) -> None:
        """Serve the workshop dashboard (Solara) for a scenario, on 127.0.0.1 by default."""
        from jusim.cli import console, fail
        from jusim.dashboard.state import load_base
        from jusim.scenario import ScenarioError

        try:
            load_base(scenario)
        except ScenarioError as e:
            raise fail(str(e)) from None
        console.print(f"jusim dashboard: http://{host}:{port}/  (Ctrl+C to stop)")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises SIGINT once stopped
            serve(host, port, scenario)
        console.print("jusim dashboard: stopped")
        sys.stdout.flush()
        # a replication thread still running must not keep a stopped server's process alive
        os._exit(0)
