"""``jusim dashboard [SCENARIO] [--port P] [--host H]``: serve the workshop dashboard.

Starts ``solara run jusim.dashboard.app`` in a subprocess (production mode, no auto-reload, no
browser opened) on 127.0.0.1 unless ``--host`` says otherwise. The scenario is checked first, so a
bad file is an error on the command line rather than on the page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Annotated

import typer

SCENARIO_ENV = "JUSIM_DASHBOARD_SCENARIO"  # the app reads the starting scenario from here


def server_command(host: str, port: int) -> list[str]:
    """The command line that serves the dashboard."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        "jusim.dashboard.app",
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-open",
    ]


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
        env = {**os.environ, SCENARIO_ENV: scenario}
        try:
            code = subprocess.call(server_command(host, port), env=env)
        except KeyboardInterrupt:
            code = 0
        raise typer.Exit(code)
